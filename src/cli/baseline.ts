import path from "node:path";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { diffRuns } from "../results/diff.ts";
import type { RunResult } from "../results/schema.ts";
import { renderDiffMarkdown, renderDiffText } from "../report/diff.ts";
import { EXIT } from "./exit-codes.ts";

/**
 * `run --baseline OLD` and `diff OLD NEW`: prints what changed, writes diff.md (for a pull-request comment;
 * also appended to $GITHUB_STEP_SUMMARY under GitHub Actions) and returns the exit code of the gate:
 * 1 only when a case got worse, so a server that is not conformant yet can still keep "no new failures".
 */
export function judgeAgainstBaseline(baseline: { file: string; run: RunResult }, run: RunResult, opts: { outDir?: string; markdownFile?: string; stream: NodeJS.WritableStream }): number {
  const d = diffRuns(baseline.run, run);
  opts.stream.write(renderDiffText(d, baseline.run, run));
  const md = renderDiffMarkdown(d, baseline.run, run);
  const file = opts.markdownFile ?? (opts.outDir && path.join(opts.outDir, "diff.md"));
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, md);
  }
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, md);
  return d.worse.length > 0 ? EXIT.failed : EXIT.ok;
}
