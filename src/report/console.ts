import { Chalk } from "chalk";
import type { CaseResult, Verdict } from "../results/types.ts";
import type { ReporterFactory } from "./types.ts";
import { countVerdicts, describeProfile, describeTarget, formatFailures, formatTranscript, totals } from "./format.ts";

/** Progress while running (a line per case), then every unmet expectation with its transcript. */
export const consoleReporter: ReporterFactory = ({ stream, color }) => {
  const c = new Chalk({ level: color ? 1 : 0 });
  const mark: Record<Verdict, string> = {
    pass: c.green("✓"), fail: c.red("✗"), warn: c.yellow("!"), error: c.magenta("E"), skip: c.gray("-"), xfail: c.cyan("x"), xpass: c.red("X"),
  };
  const paint: Record<Verdict, (s: string) => string> = {
    pass: c.green, fail: c.red, warn: c.yellow, error: c.magenta, skip: c.gray, xfail: c.cyan, xpass: c.red,
  };
  const out = (s = "") => stream.write(`${s}\n`);
  let done = 0;
  let total = 0;
  // Cases that never ran for one shared reason (an unreachable target, accounts refused) are one line, not hundreds.
  let lastNotRun: string | undefined;
  let alike = 0;
  const flushAlike = () => {
    if (alike > 0) out(c.gray(`    … and ${alike} more not run, for the same reason`));
    alike = 0;
  };
  return {
    onBegin(info, n) {
      total = n;
      out(c.bold(`xmpp-conform: ${n} case${n === 1 ? "" : "s"} against ${describeTarget(info)}; ${describeProfile(info)}`));
      for (const note of info.notes ?? []) out(c.yellow(`note: ${note}`));
    },
    onCaseEnd(r) {
      done++;
      const reason = neverRan(r) ? r.reason : undefined;
      if (reason !== undefined && reason === lastNotRun) {
        alike++;
        return;
      }
      flushAlike();
      lastNotRun = reason;
      const why = r.verdict === "pass" ? "" : c.gray(`  ${r.reason ?? ""}`.slice(0, 160));
      out(`  ${mark[r.verdict]} ${c.gray(`[${done}/${total}]`)} ${r.id} ${c.gray(`(${r.durationMs} ms)`)}${why}`);
    },
    onEnd(run) {
      flushAlike();
      if (run.targetError) out(c.magenta(`\ncould not reach the target: ${run.targetError}`));
      const bad = run.cases.filter((r) => r.verdict !== "pass" && r.verdict !== "skip" && r.verdict !== "xfail");
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
        out(c.gray(`  RFC 6121 §${r.rfc} ${r.level} ${r.requirements.join(", ")}  ${r.pos.file}:${r.pos.line}`));
        if (r.failures.length > 0) out(indent(formatFailures(r)));
        else if (r.reason) out(indent(r.reason));
        const transcript = formatTranscript(r.transcript);
        if (transcript) out(c.gray(indent(`transcript:\n${transcript}`)));
      }
      const parts = totals(countVerdicts(run)).map(({ verdict, text }) => paint[verdict](text));
      out();
      const sw = run.target.software ? `${run.target.software.name} ${run.target.software.version}` : run.target.name;
      out(`${parts.join(", ")} in ${(run.durationMs / 1000).toFixed(1)} s${run.interrupted ? c.yellow(" (interrupted)") : ""}: ${sw}, ${describeProfile(run)}`);
      if (run.accounts.refused && !run.targetError) out(c.magenta(`the server stopped giving accounts: ${run.accounts.refused}`));
      if (run.accounts.notRemoved > 0) {
        out(c.yellow(`${run.accounts.notRemoved} of ${run.accounts.created} accounts could not be removed; 'xmpp-conform cleanup' with the same target options removes them:`));
        for (const a of run.accounts.left ?? []) out(c.yellow(`  ${a.jid}: ${a.reason}`));
      }
      const flaky = run.cases.filter((r) => r.flaky);
      if (flaky.length > 0) out(c.red(`${flaky.length} flaky: ${flaky.map((r) => `${r.id} (${r.flaky!.join(", ")})`).join("; ")}`));
    },
  };
};

const indent = (s: string) => s.replace(/^/gm, "  ");

/** A case the run never started (nothing in its transcript): its reason is the run's, not the case's. */
const neverRan = (r: CaseResult) => r.transcript.length === 0 && r.failures.length === 0 && r.verdict === "error";
