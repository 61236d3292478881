import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import type { Baseline } from "../results/baseline.ts";
import { diffRuns, failsGate } from "../results/diff.ts";
import type { RunResult } from "../results/schema.ts";
import { renderDiffMarkdown, renderDiffText } from "../report/diff.ts";
import { EXIT } from "./exit-codes.ts";

/**
 * `run --baseline OLD` and `diff OLD NEW`: what changed, and the exit code of the gate: 1 when a case got worse,
 * or was observed in the baseline and is not now (lost) unless that is allowed; so a server that is not
 * conformant yet can keep "no new failures". `print`: the console's text (the run's console reporter already
 * led with it); diff.md is written for a pull-request comment.
 */
export function judgeAgainstBaseline(baseline: Baseline, run: RunResult, opts: { outDir?: string; markdownFile?: string; stream?: NodeJS.WritableStream; allowLost?: boolean }): number {
  const d = diffRuns(baseline, run);
  opts.stream?.write(renderDiffText(d, baseline.label, run));
  const file = opts.markdownFile ?? (opts.outDir && path.join(opts.outDir, "diff.md"));
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, renderDiffMarkdown(d, baseline.label, run));
  }
  return failsGate(d, opts.allowLost) ? EXIT.failed : EXIT.ok;
}
