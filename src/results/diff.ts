import type { CaseResult, RunResult, Verdict } from "./schema.ts";

/**
 * What changed between two runs, case by case: the "no new failures" gate for a server that is not
 * conformant yet. Cases are compared by what the server did, not by what a profile expected: xfail counts
 * as the verdict it stands for (fail or warn) and xpass as pass, so adding, fixing or dropping a profile
 * entry changes nothing here. Severity: pass < warn < fail = error. A skip was not observed: a case that is
 * skipped in one run and not in the other is "changed", never worse or better.
 */
export interface CaseChange {
  id: string;
  /** The case in the earlier run (absent for a new case) and in the later run (absent for a case that is gone). */
  before?: CaseResult;
  after?: CaseResult;
}

export interface RunDiff {
  /** pass -> warn/fail/error, warn -> fail/error. */
  worse: CaseChange[];
  better: CaseChange[];
  /** Neither worse nor better: fail <-> error, to or from skip. */
  changed: CaseChange[];
  /** Only in the later run. */
  appeared: CaseChange[];
  /** Only in the earlier run. */
  disappeared: CaseChange[];
  unchanged: number;
}

/** The verdict without the profile: what the server did. */
export const observed = (c: CaseResult): Verdict => c.deviation?.verdict ?? (c.verdict === "xpass" ? "pass" : c.verdict);

const SEVERITY: Partial<Record<Verdict, number>> = { pass: 0, warn: 1, fail: 2, error: 2 };

export function diffRuns(before: RunResult, after: RunResult): RunDiff {
  const earlier = new Map(before.cases.map((c) => [c.id, c]));
  const later = new Set(after.cases.map((c) => c.id));
  const d: RunDiff = { worse: [], better: [], changed: [], appeared: [], disappeared: [], unchanged: 0 };
  for (const now of after.cases) {
    const old = earlier.get(now.id);
    if (!old) {
      d.appeared.push({ id: now.id, after: now });
      continue;
    }
    const [a, b] = [observed(old), observed(now)];
    const [sa, sb] = [SEVERITY[a], SEVERITY[b]];
    const change = { id: now.id, before: old, after: now };
    if (a === b) d.unchanged++;
    else if (sa === undefined || sb === undefined || sa === sb) d.changed.push(change);
    else (sb > sa ? d.worse : d.better).push(change);
  }
  for (const old of before.cases) if (!later.has(old.id)) d.disappeared.push({ id: old.id, before: old });
  return d;
}
