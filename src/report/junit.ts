import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { create } from "xmlbuilder2";
import type { CaseResult, RunResult } from "../results/types.ts";
import type { ReporterFactory } from "./types.ts";
import { describeTarget, describeTransport, formatFailures, formatTranscript } from "./format.ts";

type XMLBuilder = ReturnType<typeof create>;

/** Characters a server may send that XML 1.0 cannot carry: dropped, so the file stays well-formed. */
const xmlSafe = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "");

/**
 * junit.xml, for the CI's test tab. The run's --strict (recorded in its options) decides how warnings are
 * written, as it decides the exit code.
 */
export const junitReporter: ReporterFactory = ({ outDir }) => ({
  onEnd(run) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, "junit.xml"), renderJunit(run, { strict: run.options.strict === true }));
  },
});

/**
 * How each verdict appears in a test tab. JUnit XML knows pass, failure, error and skipped, and those are all
 * the states Jenkins, GitLab and GitHub's JUnit report actions show; none has a "warning". So a broken SHOULD
 * (warn) is written as skipped with the reason, the one state that is neither a pass nor fails the tab, as
 * xfail is; under --strict, where a warning fails the run, it is a failure of type "warn".
 */
type Outcome = { element: "failure" | "error" | "skipped"; type?: string; message: string; body?: string } | undefined;

function outcomeOf(c: CaseResult, strict: boolean): Outcome {
  const reason = c.reason ?? c.verdict;
  const body = formatFailures(c) || undefined;
  switch (c.verdict) {
    case "pass":
      return undefined;
    case "fail":
    case "xpass":
      return { element: "failure", type: c.verdict, message: reason, body };
    case "error":
      return { element: "error", type: "error", message: reason, body };
    case "warn":
      return strict
        ? { element: "failure", type: "warn", message: `SHOULD broken (--strict): ${reason}`, body }
        : { element: "skipped", message: `warning, SHOULD broken: ${reason}`, body };
    case "skip":
    case "xfail":
      return { element: "skipped", message: reason };
  }
}

/** A pure function of the results record: a testsuite with one testcase per case. */
export function renderJunit(run: RunResult, opts: { strict: boolean }): string {
  const outcomes = run.cases.map((c) => outcomeOf(c, opts.strict));
  const count = (element: NonNullable<Outcome>["element"]) => outcomes.filter((o) => o?.element === element).length;
  const totals = { tests: run.cases.length, failures: count("failure"), errors: count("error"), skipped: count("skipped"), time: run.durationMs / 1000 };
  const doc = create({ version: "1.0", encoding: "UTF-8" });
  const suite = doc
    .ele("testsuites", totals)
    .ele("testsuite", { name: xmlSafe(`RFC 6121 conformance: ${describeTarget(run)}`), ...totals, timestamp: run.startedAt });
  const properties: [string, string | undefined][] = [
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
    ["profile", run.profile ? path.relative(process.cwd(), run.profile.file) : "none"],
    ...(run.notes ?? []).map((n): [string, string] => ["note", n]),
    ["tool", `${run.tool.name} ${run.tool.version}`],
    ["strict", String(opts.strict)],
  ];
  addProperties(suite, properties);
  run.cases.forEach((c, i) => testcase(suite, c, outcomes[i]));
  return doc.end({ prettyPrint: true });
}

function addProperties(parent: XMLBuilder, list: [string, string | undefined][]): void {
  const props = parent.ele("properties");
  for (const [name, value] of list) if (value !== undefined) props.ele("property", { name, value: xmlSafe(value) });
}

/** Long text as CDATA, readable in the file; CDATA cannot hold "]]>", so such text is written escaped. */
function longText(parent: XMLBuilder, text: string): void {
  const safe = xmlSafe(text);
  if (safe.includes("]]>")) parent.txt(safe);
  else parent.dat(safe);
}

function testcase(suite: XMLBuilder, c: CaseResult, outcome: Outcome): void {
  const tc = suite.ele("testcase", { classname: `rfc6121.section-${c.rfc}`, name: xmlSafe(`${c.id}: ${c.title}`), file: c.pos.file, time: c.durationMs / 1000 });
  addProperties(tc, [
    ["requirements", c.requirements.join(",")],
    ["rfc", `RFC 6121 §${c.rfc}`],
    ["level", c.level],
    ["verdict", c.verdict],
    ...c.choices.map((ch): [string, string] => ["alternative", `${ch.step} => ${ch.alternative}`]),
  ]);
  if (outcome) {
    const el = tc.ele(outcome.element, { message: xmlSafe(outcome.message), ...(outcome.type && { type: outcome.type }) });
    if (outcome.body) longText(el, outcome.body);
  }
  const header = [
    `RFC 6121 §${c.rfc} ${c.level}  requirements: ${c.requirements.join(", ")}  verdict: ${c.verdict}`,
    ...c.choices.map((ch) => `alternative: ${ch.step} => ${ch.alternative}`),
  ].join("\n");
  const why = c.reason && c.verdict !== "pass" ? `${c.verdict}: ${c.reason}` : "";
  longText(tc.ele("system-out"), [header, why, formatFailures(c), formatTranscript(c.transcript)].filter(Boolean).join("\n\n"));
}
