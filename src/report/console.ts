import { Chalk } from "chalk";
import type { Verdict } from "../results/types.ts";
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
  return {
    onBegin(info, n) {
      total = n;
      out(c.bold(`xmpp-conform: ${n} case${n === 1 ? "" : "s"} against ${describeTarget(info)}; ${describeProfile(info)}`));
      for (const note of info.notes ?? []) out(c.yellow(`note: ${note}`));
    },
    onCaseEnd(r) {
      done++;
      const why = r.verdict === "pass" ? "" : c.gray(`  ${r.reason ?? ""}`.slice(0, 160));
      out(`  ${mark[r.verdict]} ${c.gray(`[${done}/${total}]`)} ${r.id} ${c.gray(`(${r.durationMs} ms)`)}${why}`);
    },
    onEnd(run) {
      if (run.targetError) out(c.magenta(`\ncould not reach the target: ${run.targetError}`));
      const bad = run.cases.filter((r) => r.verdict !== "pass" && r.verdict !== "skip" && r.verdict !== "xfail");
      for (const r of bad) {
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
      if (run.accounts.notRemoved > 0) out(c.yellow(`${run.accounts.notRemoved} of ${run.accounts.created} accounts could not be removed`));
      const flaky = run.cases.filter((r) => r.flaky);
      if (flaky.length > 0) out(c.red(`${flaky.length} flaky: ${flaky.map((r) => `${r.id} (${r.flaky!.join(", ")})`).join("; ")}`));
    },
  };
};

const indent = (s: string) => s.replace(/^/gm, "  ");
