import { observed, type Baseline } from "./baseline.ts";
import type { CaseResult, Change, RunResult, Verdict } from "./schema.ts";

export { observed };

/**
 * What changed since a baseline, case by case: the "no new failures" gate for a server that is not conformant
 * yet. Cases are compared by what the server did, not by what a profile expected: xfail counts as the verdict
 * it stands for (fail or warn) and xpass as pass, so adding, fixing or dropping a profile entry changes nothing
 * here. Severity: pass < warn < fail = error. A case that was observed (pass, warn, fail) and now is not (skip,
 * not-run) is lost: coverage the gate no longer has.
 */
export interface CaseChange {
  id: string;
  /** The case's observed verdict in the baseline (absent for a new case). */
  before?: Verdict;
  /** The case in this run (absent for a case that is gone). */
  after?: CaseResult;
}

export interface RunDiff {
  /** pass -> warn/fail/error, warn -> fail/error. */
  worse: CaseChange[];
  /** pass/warn/fail -> skip/not-run: no longer observed. */
  lost: CaseChange[];
  better: CaseChange[];
  /** Neither worse, lost nor better: fail <-> error, from skip to something. */
  changed: CaseChange[];
  /** Only in this run. */
  appeared: CaseChange[];
  /** Only in the baseline. */
  disappeared: CaseChange[];
  unchanged: number;
}

const SEVERITY: Partial<Record<Verdict, number>> = { pass: 0, warn: 1, fail: 2, error: 2 };
const OBSERVED = new Set<Verdict>(["pass", "warn", "fail"]);

/** How a case moved from its baseline verdict to this run's observed one. */
export function changeOf(before: Verdict | undefined, after: Verdict): Change {
  if (before === undefined) return "new";
  if (before === after) return "same";
  if (OBSERVED.has(before) && (after === "skip" || after === "not-run")) return "lost";
  const [sa, sb] = [SEVERITY[before], SEVERITY[after]];
  if (sa === undefined || sb === undefined || sa === sb) return "changed";
  return sb > sa ? "worse" : "better";
}

export function diffRuns(before: Baseline, after: Pick<RunResult, "cases">): RunDiff {
  const later = new Set(after.cases.map((c) => c.id));
  const d: RunDiff = { worse: [], lost: [], better: [], changed: [], appeared: [], disappeared: [], unchanged: 0 };
  const into = { worse: d.worse, lost: d.lost, better: d.better, changed: d.changed, new: d.appeared } as const;
  for (const now of after.cases) {
    const was = before.cases.get(now.id);
    const change = changeOf(was, observed(now));
    if (change === "same") d.unchanged++;
    else into[change].push({ id: now.id, ...(was && { before: was }), after: now });
  }
  for (const [id, was] of before.cases) if (!later.has(id)) d.disappeared.push({ id, before: was });
  return d;
}

/** The gate: a case that got worse fails it, and so does lost coverage unless it is allowed. */
export const failsGate = (d: RunDiff, allowLost = false) => d.worse.length > 0 || (!allowLost && d.lost.length > 0);

/** A case with how it moved since the baseline, as the record keeps it for every reporter. */
export function compared(c: CaseResult, b: Baseline): CaseResult {
  const verdict = b.cases.get(c.id);
  return { ...c, baseline: { ...(verdict && { verdict }), change: changeOf(verdict, observed(c)) } };
}

/** The diff a run's record holds when it was compared with a baseline (each case's `baseline`), or undefined. */
export function recordedDiff(run: Pick<RunResult, "cases" | "baseline">): RunDiff | undefined {
  if (!run.baseline) return undefined;
  const d: RunDiff = { worse: [], lost: [], better: [], changed: [], appeared: [], disappeared: run.baseline.gone.map((id) => ({ id })), unchanged: 0 };
  const into = { worse: d.worse, lost: d.lost, better: d.better, changed: d.changed, new: d.appeared } as const;
  for (const c of run.cases) {
    if (!c.baseline || c.baseline.change === "same") d.unchanged++;
    else into[c.baseline.change].push({ id: c.id, ...(c.baseline.verdict && { before: c.baseline.verdict }), after: c });
  }
  return d;
}

/** In a run compared with a baseline: a case whose failure the baseline already had (or that is new to it), not a regression. */
export const knownFailure = (c: Pick<CaseResult, "baseline">) => Boolean(c.baseline) && c.baseline!.change !== "worse" && c.baseline!.change !== "lost";
