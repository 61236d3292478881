import path from "node:path";
import type { CaseResult } from "../results/schema.ts";
import { failsRun } from "../results/verdicts.ts";
import { specLabel } from "./format.ts";
import type { ReporterFactory } from "./types.ts";

/** Workflow-command escaping (the runner's own rules): data escapes % CR LF, properties also : and ,. */
const data = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const prop = (s: string) => data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/**
 * GitHub Actions annotations (`::error ...::message` on stdout, which the runner shows on the run and, for a file
 * of the repository, on the pull request's diff). What is annotated is what needs someone: without a baseline,
 * every case that fails the run or warns (a profile's documented deviations are xfail, not annotated); with one,
 * only the cases that got worse or lost coverage, and a one-line notice for each that got better. A scenario of
 * the user's repository is annotated at the step that failed; the harness's own scenarios are not in it, so
 * those annotations name no file and go to the run's summary.
 */
export const githubReporter: ReporterFactory = ({ stream, strict }) => {
  const root = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd());
  const inRepository = (file: string) => !path.relative(root, path.resolve(file)).startsWith("..") && !path.resolve(file).includes(`${path.sep}node_modules${path.sep}`);
  const where = (pos: CaseResult["pos"]) => (inRepository(pos.file) ? `file=${prop(path.relative(root, path.resolve(pos.file)).split(path.sep).join("/"))},line=${pos.line},col=${pos.col},` : "");
  const write = (kind: string, title: string, spots: { pos: CaseResult["pos"]; message: string }[]) => {
    for (const s of spots) stream.write(`::${kind} ${where(s.pos)}title=${prop(title)}::${data(s.message)}\n`);
  };
  const failures = (c: CaseResult) => {
    const at = c.failures.filter((f) => c.verdict !== "warn" || f.level === "SHOULD");
    return at.length > 0 ? at.map((f) => ({ pos: f.pos, message: `${f.requirements.join(", ")}: ${f.message}` })) : [{ pos: c.pos, message: c.reason ?? c.title }];
  };
  const annotate = (c: CaseResult) => {
    const change = c.baseline?.change;
    if (change === "better") return write("notice", `BETTER ${c.id}`, [{ pos: c.pos, message: `${c.baseline!.verdict} in the baseline, ${c.verdict} now` }]);
    if (change === "lost") return write("error", `LOST ${c.id}`, [{ pos: c.pos, message: `${c.baseline!.verdict} in the baseline, ${c.verdict} now: ${c.reason ?? ""}` }]);
    if (change !== undefined && change !== "worse") return;
    if (c.verdict !== "warn" && !failsRun(c.verdict, strict)) return;
    const kind = failsRun(c.verdict, strict) ? "error" : "warning";
    write(kind, `${change === "worse" ? "WORSE " : ""}${c.verdict.toUpperCase()} ${c.id} (${specLabel(c)} ${c.level})`, failures(c));
  };
  return {
    onEvent(e) {
      if (e.type === "case-end") annotate(e.case);
    },
  };
};
