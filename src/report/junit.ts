import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import junitModule from "junit-report-builder";
import type { CaseResult, RunResult } from "../results/schema.ts";
import { failsRun } from "../results/verdicts.ts";
import { knownFailure } from "../results/diff.ts";
import type { ReporterFactory } from "./types.ts";
import { quoteRule, ruleOf, rulesOf } from "./fix-first.ts";
import { describeLink, describeRemoteLink, describeTarget, describeTransport, formatFailures, formatTranscript, specLabel, specName } from "./format.ts";

// The package's CommonJS export is a builder instance, which its type declarations describe differently.
type Builder = typeof junitModule.default;
const junit = junitModule as unknown as { newBuilder(): Builder };

/** Characters a server may send that XML 1.0 cannot carry: dropped, so the file stays well-formed. */
const xmlSafe = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "");

/**
 * junit.xml: a testcase per case (fail and xpass are failures, error an error, skip, xfail and not-run skipped), the
 * RFC section as classname, requirement IDs, RFC section and level as testcase properties (and on the first
 * line of system-out, for readers that ignore testcase properties), the transcript below.
 */
export const junitReporter: ReporterFactory = ({ outDir }) => ({
  onEnd(run) {
    mkdirSync(outDir, { recursive: true });
    // The run's --strict (recorded in its options) decides how warnings are written, as it decides the exit code.
    writeFileSync(path.join(outDir, "junit.xml"), renderJunit(run, { strict: run.options.strict === true }));
  },
});

/** A pure function of the results record: a testsuite per specification (RFC 6120, RFC 6121), each with the run's properties: CI test tabs group by suite. */
export function renderJunit(run: RunResult, opts: { strict: boolean }): string {
  const builder = junit.newBuilder();
  const specs = [...new Set(run.cases.map((c) => c.spec))].sort();
  for (const spec of specs.length > 0 ? specs : [undefined]) {
    const name = spec && specs.length > 1 ? `XMPP conformance (${specName(spec)}): ${describeTarget(run)}` : `XMPP conformance: ${describeTarget(run)}`;
    const suite = builder
      .testSuite()
      .name(name)
      .timestamp(run.startedAt)
      .time(run.durationMs / 1000);
    for (const [key, value] of properties(run, opts.strict)) if (value !== undefined) suite.property(key, xmlSafe(value));
    for (const c of run.cases.filter((x) => spec === undefined || x.spec === spec)) testcase(suite, c, opts.strict);
  }
  return builder.build();
}

function properties(run: RunResult, strict: boolean): [string, string | undefined][] {
  return [
    ["target", run.target.name],
    ["domain", run.target.domain],
    ["started", run.startedAt],
    ["server", run.target.software && `${run.target.software.name} ${run.target.software.version}`],
    ["server-identity", run.target.server?.identity && Object.values(run.target.server.identity).join("/")],
    ["transport", run.target.transport && describeTransport(run.target.transport)],
    // A pair target: which server played domain b.
    ["peer-domain", run.target.peer?.domain],
    ["peer-server", run.target.peer?.software && `${run.target.peer.software.name} ${run.target.peer.software.version}`],
    ["peer-address", run.target.peer && `${run.target.peer.host}:${run.target.peer.port}`],
    // Federating targets: how the servers were asked to talk, and each s2s stream they accepted.
    ["s2s", run.target.s2s?.mode],
    ...(run.target.s2s?.links ?? []).map((l): [string, string] => ["s2s-link", describeLink(l)]),
    ["remote-domain", run.target.remote?.domain],
    ...(run.target.remote?.links ?? []).map((l): [string, string] => ["remote-link", describeRemoteLink(run.target.remote!.domain, l)]),
    ["profile", run.profile ? path.relative(process.cwd(), run.profile.file) : "none"],
    ["peer-profile", run.peerProfile && path.relative(process.cwd(), run.peerProfile.file)],
    ...(run.notes ?? []).map((n): [string, string] => ["note", n]),
    ["tool", `${run.tool.name} ${run.tool.version}`],
    ["strict", String(strict)],
  ];
}

/**
 * How each verdict appears in a test tab. JUnit XML knows pass, failure, error and skipped, and those are all
 * the states Jenkins, GitLab and GitHub's JUnit actions show; none has a "warning". So a broken SHOULD
 * (warn) is skipped, the one state that is neither a pass nor fails the tab, with a `warning` property and
 * the reason on the first line of its output; under --strict, where a warning fails the run, it is a
 * failure of type "warn". (junit-report-builder writes <skipped/> without a message attribute.)
 */
function testcase(suite: ReturnType<Builder["testSuite"]>, c: CaseResult, strict: boolean): void {
  const tc = suite
    .testCase()
    .className(`${c.spec}.section-${c.rfc}`)
    .name(xmlSafe(`${c.id}: ${c.title}`))
    .file(c.pos.file)
    .time(c.durationMs / 1000)
    .property("requirements", c.requirements.join(","))
    .property("rfc", specLabel(c))
    .property("level", c.level)
    .property("verdict", c.verdict);
  // A verdict per requirement: what each one showed, so a case failing on one does not read as failing all.
  for (const q of c.requirementResults ?? []) tc.property(`requirement:${q.id}`, `${q.verdict}${q.derived ? " (derived)" : ""}`);
  if (c.variant) tc.property("variant", `cross-domain: ${c.variant.moved.join(", ")} on domain b (the case ${c.variant.of} across two servers)`);
  if (c.setupRetries) tc.property("setup-retries", String(c.setupRetries.length));
  for (const choice of c.choices) tc.property("alternative", xmlSafe(`${choice.step} => ${choice.alternative}`));
  const reason = xmlSafe(c.reason ?? c.verdict);
  const body = xmlSafe(formatFailures(c));
  // The rule's own words in the message, the one line a CI test tab shows: those the failures cite (an xpass: the case's).
  const rules = (c.failures.length > 0 ? rulesOf(c) : c.requirements.flatMap((id) => ruleOf(id) ?? [])).map(quoteRule);
  const message = xmlSafe([c.verdict === "warn" ? `SHOULD broken (--strict): ${c.reason ?? ""}` : (c.reason ?? c.verdict), ...rules].join(" | rule: "));
  if (c.verdict === "warn") tc.property("warning", `SHOULD broken: ${reason}`);
  // Compared with a baseline, the tab is red only for what got worse or lost coverage: a failure the baseline
  // already had is known, skipped with its reason (as a profile's documented deviation is).
  if (c.baseline) tc.property("baseline", `${c.baseline.verdict ?? "not in the baseline"}: ${c.baseline.change}`);
  if (c.baseline?.change === "lost") tc.failure(xmlSafe(`lost: ${c.baseline.verdict} in the baseline, ${c.verdict} now: ${c.reason ?? ""}`), "lost");
  else if (failsRun(c.verdict, strict) && knownFailure(c)) {
    tc.property("known", `${c.baseline!.change === "new" ? "not in the baseline" : `${c.baseline!.verdict} in the baseline`}: ${reason}`);
    tc.skipped();
  } else if (failsRun(c.verdict, strict) && c.verdict !== "error") tc.failure(message, c.verdict);
  else if (c.verdict === "error") tc.error(reason, "error", body || undefined);
  else if (c.verdict === "skip" || c.verdict === "xfail" || c.verdict === "warn" || c.verdict === "not-run") tc.skipped();
  const header = [`${specLabel(c)} ${c.level}  requirements: ${c.requirements.join(", ")}  verdict: ${c.verdict}`, ...c.choices.map((ch) => `alternative: ${ch.step} => ${ch.alternative}`)].join("\n");
  const why = c.reason && c.verdict !== "pass" ? `${c.verdict === "warn" ? "WARNING, SHOULD broken" : c.verdict}: ${c.reason}` : "";
  tc.standardOutput(xmlSafe([why, header, body, formatTranscript(c.transcript ?? [])].filter(Boolean).join("\n\n")));
}
