import type { CaseResult } from "../results/schema.ts";

/**
 * Folds the results of N runs of the same plan into one record per case: the first run's result, marked
 * flaky (with every verdict seen) when the verdict changed between runs. A deterministic suite has none.
 */
export function foldRepeats(runs: CaseResult[][]): CaseResult[] {
  return runs[0].map((first, i) => {
    const verdicts = runs.map((r) => r[i].verdict);
    if (verdicts.every((v) => v === first.verdict)) return first;
    return { ...first, flaky: verdicts };
  });
}
