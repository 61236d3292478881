import path from "node:path";
import type { CaseResult } from "../results/schema.ts";
import { failsRun } from "../results/verdicts.ts";
import { specLabel } from "./format.ts";
import type { ReporterFactory } from "./types.ts";

/** Workflow-command escaping (the runner's own rules): data escapes % CR LF, properties also : and ,. */
const data = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const prop = (s: string) => data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/**
 * GitHub Actions annotations: every case that fails the run or warns shows on its scenario file, at the
 * step that failed (else the case), as an error or a warning: `::error file=...,line=...::message` on
 * stdout, which the runner turns into annotations on the pull request and the run's summary.
 */
export const githubReporter: ReporterFactory = ({ stream, strict }) => {
  const root = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const where = (file: string) => path.relative(root, path.resolve(file)).split(path.sep).join("/");
  const annotate = (c: CaseResult) => {
    if (c.verdict !== "warn" && !failsRun(c.verdict, strict)) return;
    const kind = failsRun(c.verdict, strict) ? "error" : "warning";
    const title = `${c.verdict.toUpperCase()} ${c.id} (${specLabel(c)} ${c.level})`;
    const at = c.failures.filter((f) => c.verdict !== "warn" || f.level === "SHOULD");
    const spots = at.length > 0 ? at.map((f) => ({ pos: f.pos, message: `${f.requirements.join(", ")}: ${f.message}` })) : [{ pos: c.pos, message: c.reason ?? c.title }];
    for (const s of spots) stream.write(`::${kind} file=${prop(where(s.pos.file))},line=${s.pos.line},col=${s.pos.col},title=${prop(title)}::${data(s.message)}\n`);
  };
  return {
    onEvent(e) {
      if (e.type === "case-end") annotate(e.case);
    },
  };
};
