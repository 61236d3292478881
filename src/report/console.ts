import path from "node:path";
import { Chalk } from "chalk";
import type { CaseResult, RunResult, Verdict } from "../results/schema.ts";
import { needsAttention } from "../results/verdicts.ts";
import type { ReporterFactory } from "./types.ts";
import { describeStop } from "../results/stopped.ts";
import { cleanupCommand, rerunCommand } from "../results/commands.ts";
import { complianceOf, describeStatus } from "./compliance-suites.ts";
import { fixFirst } from "./fix-first.ts";
import { knownFailure, recordedDiff } from "../results/diff.ts";
import { renderDiffText } from "./diff.ts";
import {
  countVerdicts,
  describeConcurrency,
  describeProfile,
  describeRemote,
  describeS2s,
  describeTarget,
  formatFailures,
  formatTranscript,
  here,
  setupRetries,
  specLabel,
  specName,
  totals,
  totalsBySpec,
} from "./format.ts";

/** How long a case runs before a non-interactive console (a CI log) says it is still running. */
const SLOW_MS = 10_000;

/**
 * Progress while running (a line per case as it ends, and which cases are running: a status line on a
 * terminal, a "still running" line in a log when a case takes long), then every case that needs
 * attention with its unmet expectations and transcript, and the totals.
 */
export const consoleReporter: ReporterFactory = ({ stream, color }) => {
  const c = new Chalk({ level: color ? 1 : 0 });
  const mark: Record<Verdict, string> = {
    pass: c.green("✓"),
    fail: c.red("✗"),
    warn: c.yellow("!"),
    error: c.magenta("E"),
    skip: c.gray("-"),
    xfail: c.cyan("x"),
    xpass: c.red("X"),
    "not-run": c.gray("·"),
  };
  const paint: Record<Verdict, (s: string) => string> = {
    pass: c.green,
    fail: c.red,
    warn: c.yellow,
    error: c.magenta,
    skip: c.gray,
    xfail: c.cyan,
    xpass: c.red,
    "not-run": c.gray,
  };
  const live = (stream as NodeJS.WriteStream).isTTY === true;
  const out = (s = "") => stream.write(`${live ? "\r\x1b[K" : ""}${s}\n`);
  const running = new Map<string, number>();
  let done = 0;
  let total = 0;
  const status = () => {
    if (!live || running.size === 0) return;
    const names = [...running.keys()];
    stream.write(c.gray(`\r\x1b[K  running: ${names.slice(0, 3).join(", ")}${names.length > 3 ? ` and ${names.length - 3} more` : ""}`.slice(0, ((stream as NodeJS.WriteStream).columns ?? 100) - 1)));
  };
  const slow = live
    ? undefined
    : setInterval(() => {
        const now = Date.now();
        const long = [...running].filter(([, since]) => now - since > SLOW_MS);
        if (long.length > 0) out(c.gray(`  … still running: ${long.map(([id, since]) => `${id} (${Math.round((now - since) / 1000)} s)`).join(", ")}`));
      }, SLOW_MS);
  slow?.unref();
  // Cases that never ran for one shared reason (an unreachable target, accounts refused) are one line, not hundreds.
  let lastNotRun: string | undefined;
  let alike = 0;
  const flushAlike = () => {
    if (alike > 0) out(c.gray(`    … and ${alike} more not run, for the same reason`));
    alike = 0;
  };
  // Cases a stopped run never started: one line per reason at the end, not one per case.
  const notStarted = new Map<string, number>();
  const ended = (r: CaseResult) => {
    running.delete(r.id);
    done++;
    if (r.verdict === "not-run" && !r.transcript?.length) {
      notStarted.set(r.reason ?? "", (notStarted.get(r.reason ?? "") ?? 0) + 1);
      return;
    }
    const reason = neverRan(r) ? r.reason : undefined;
    if (reason !== undefined && reason === lastNotRun) {
      alike++;
      return;
    }
    flushAlike();
    lastNotRun = reason;
    const why = r.verdict === "pass" ? "" : c.gray(`  ${r.reason ?? ""}`.slice(0, 160));
    const retried = r.setupRetries ? c.gray(` [set-up retried ${r.setupRetries.length}x]`) : "";
    out(`  ${mark[r.verdict]} ${c.gray(`[${done}/${total}]`)} ${r.id} ${c.gray(`(${r.durationMs} ms)`)}${retried}${why}`);
    status();
  };
  return {
    onEvent(e) {
      switch (e.type) {
        case "run-begin":
          total = e.plan.length;
          out(c.bold(`xmpp-conform: ${total} case${total === 1 ? "" : "s"} against ${describeTarget(e.run)}; ${describeProfile(e.run)}`));
          for (const note of e.run.notes ?? []) out(c.yellow(`note: ${note}`));
          return;
        case "case-begin":
          running.set(e.id, Date.now());
          return status();
        case "case-again":
          // Not running until its lone run begins: a log must not show it as a case that hangs.
          running.delete(e.id);
          return status();
        case "case-end":
          return ended(e.case);
        case "run-end":
          if (slow) clearInterval(slow);
          if (live) stream.write("\r\x1b[K");
          flushAlike();
          for (const [reason, n] of notStarted) out(`  ${mark["not-run"]} ${c.gray(`${n} case${n === 1 ? "" : "s"} not run: ${reason}`)}`);
          return;
        default:
          return;
      }
    },
    onEnd(run) {
      if (run.targetError) out(c.magenta(`\nthe run could not start: ${run.targetError}`));
      const bad = run.cases.filter((x) => needsAttention(x.verdict) && !knownFailure(x));
      const notRun = new Map<string, number>();
      for (const r of bad.filter(neverRan)) notRun.set(r.reason ?? "", (notRun.get(r.reason ?? "") ?? 0) + 1);
      for (const [reason, n] of notRun) {
        out();
        out(paint.error(c.bold(`ERROR ${n} case${n === 1 ? "" : "s"} not run:`)));
        out(indent(reason));
      }
      for (const r of bad.filter((x) => !neverRan(x))) {
        out();
        out(paint[r.verdict](c.bold(`${r.verdict.toUpperCase()} ${r.id}: ${r.title}`)));
        out(c.gray(`  ${specLabel(r)} ${r.level} ${r.requirements.join(", ")}  ${here(r.pos)}`));
        if (r.failures.length > 0) out(indent(formatFailures(r)));
        else if (r.reason) out(indent(r.reason));
        const transcript = formatTranscript(r.transcript ?? []);
        if (transcript) out(c.gray(indent(`transcript:\n${transcript}`)));
      }
      // Compared with a baseline, the end leads with what changed; the failures it already had are counted.
      const changes = recordedDiff(run);
      if (changes) {
        const known = run.cases.filter((x) => needsAttention(x.verdict) && knownFailure(x)).length;
        out();
        if (known > 0) out(c.gray(`${known} failure${known === 1 ? "" : "s"} the baseline already had (or of cases new to it): summary.md and report.html list them`));
        out(renderDiffText(changes, run.baseline!.label, run).trimEnd());
      }
      shortSummary(run);
      const profiled = run.profile !== undefined;
      const parts = totals(countVerdicts(run), profiled).map(({ verdict, text }) => paint[verdict](text));
      out();
      const sw = run.target.software ? `${run.target.software.name} ${run.target.software.version}` : run.target.name;
      const concurrency = describeConcurrency(run);
      out(
        `${parts.join(", ")} in ${(run.durationMs / 1000).toFixed(1)} s${run.interrupted ? c.yellow(` (${run.stopped ? describeStop(run.stopped) : "interrupted"})`) : ""}: ${sw}, ${describeProfile(run)}${concurrency ? `, ${concurrency}` : ""}`,
      );
      const documented = run.cases.filter((x) => x.verdict === "xfail").length;
      if (documented > 0)
        out(
          c.cyan(
            `${documented} failure${documented === 1 ? "" : "s"} documented as known deviations by ${run.profile ? path.relative(process.cwd(), run.profile.file) : "the profile"}${run.options.profile === "auto" ? " (chosen by --profile auto)" : ""}: --profile none shows the raw verdicts`,
          ),
        );
      const bySpec = totalsBySpec(run);
      if (bySpec.length > 1)
        for (const s of bySpec)
          out(
            `  ${specName(s.spec)}: ${totals(s.counts, profiled)
              .map(({ verdict, text }) => paint[verdict](text))
              .join(", ")} of ${s.cases}`,
          );
      if (run.target.s2s) out(c.gray(describeS2s(run.target.s2s)));
      if (run.target.remote) out(c.gray(describeRemote(run.target.remote)));
      const retries = setupRetries(run);
      if (retries.cases > 0)
        out(
          c.gray(
            `set-up retried ${retries.retries} time${retries.retries === 1 ? "" : "s"} in ${retries.cases} case${retries.cases === 1 ? "" : "s"} (the server dropped or refused a connection during set-up)`,
          ),
        );
      if (run.accounts.refused && !run.targetError) out(c.magenta(`the server stopped giving accounts: ${run.accounts.refused}`));
      if (run.accounts.notRemoved > 0) {
        const left = run.accounts.left ?? [];
        out(c.yellow(`${run.accounts.notRemoved} of ${run.accounts.created} test accounts could not be removed (${left[0]?.reason ?? "see results.json"}); this removes them:`));
        out(`  ${cleanupCommand(run)}`);
        for (const a of left.slice(0, 5)) out(c.gray(`  ${a.jid}: ${a.reason}`));
        if (left.length > 5) out(c.gray(`  … and ${left.length - 5} more (results.json lists them)`));
      }
      const underLoad = run.cases.filter((r) => r.besideOthers);
      if (underLoad.length > 0)
        out(
          c.yellow(
            `${underLoad.length} case${underLoad.length === 1 ? "" : "s"} had a request refused, or a stanza late or unwanted, only beside other cases (the server under load), and kept the verdict they had alone: ${underLoad.map((r) => `${r.id} (${r.besideOthers!.verdict} beside others, ${r.verdict} alone)`).join("; ")}`,
          ),
        );
      const flaky = run.cases.filter((r) => r.flaky);
      if (flaky.length > 0) out(c.red(`${flaky.length} flaky: ${flaky.map((r) => `${r.id} (${r.flaky!.join(", ")})`).join("; ")}`));
      for (const line of complianceLines(run)) out(line);
    },
  };

  /** What to fix first, in the manner of pytest's short summary: a line per requirement broken, MUST first, with the command that reruns its cases. */
  function shortSummary(run: RunResult) {
    const entries = fixFirst(run);
    if (entries.length === 0) return;
    const label = { MUST: paint.fail("MUST  "), SHOULD: paint.warn("SHOULD"), MAY: paint.warn("MAY   "), profile: paint.xpass("XPASS "), error: paint.error("ERROR ") };
    out();
    out(c.bold(`what to fix first (${entries.length} ${entries.length === 1 ? "entry" : "entries"}, MUST first):`));
    for (const e of entries.slice(0, SHORT_LIST)) {
      const title = e.rule ? `${e.key} (${e.rule.where})` : e.key === "profile" ? "cases the profile says fail, passing now" : "cases that could not be judged";
      const first = e.cases[0];
      out(
        `${label[e.level as keyof typeof label] ?? e.level} ${c.bold(title)}: ${first.id}: ${first.why}${e.cases.length > 1 ? c.gray(` (and ${e.cases.length - 1} more case${e.cases.length === 2 ? "" : "s"})`) : ""}`,
      );
      const ids = e.cases.map((x) => x.id);
      out(c.gray(`       ${rerunCommand(run, ids.slice(0, RERUN_IDS))}${ids.length > RERUN_IDS ? ` (the first ${RERUN_IDS} of ${ids.length})` : ""}`));
    }
    if (entries.length > SHORT_LIST) out(c.gray(`… and ${entries.length - SHORT_LIST} more: summary.md and report.html list them all`));
  }
};

/** Entries of the short summary the console shows; the reports list all. */
const SHORT_LIST = 25;
/** Case ids a rerun command names at most. */
const RERUN_IDS = 5;

/** The compliance suites at the Server level, a line each, when the run judged them (a whole run). */
function complianceLines(run: RunResult): string[] {
  if (run.targetError) return [];
  const report = complianceOf(run);
  const server = report.suites.filter((s) => s.level === "server");
  if (server.every((s) => s.status === "partial" || s.status === "not covered")) return [`compliance suites (XEP-0479): no verdict, the run ran only some of the suite's cases`];
  return [
    `compliance suites (XEP-0479), Server level (Advanced Server: compliance.md):`,
    ...server.map((s) => `  ${s.name}${s.requires.length ? ` (with ${s.requires.join(", ")})` : ""}: ${describeStatus(s)}`),
  ];
}

const indent = (s: string) => s.replace(/^/gm, "  ");

/** A case the run never started (nothing in its transcript): its reason is the run's, not the case's. */
const neverRan = (r: CaseResult) => (r.transcript ?? []).length === 0 && r.failures.length === 0 && r.verdict === "error";
