import type { CaseResult, RequirementResult, Verdict } from "./schema.ts";

/**
 * What verdicts mean, in one place: the exit code, the console, JUnit, Markdown, HTML and diff all ask here.
 * - pass, skip, xfail and not-run never fail a run (a run that stopped early has an exit code of its own);
 * - fail, error and xpass always do (xpass: the profile is out of date), and so does a flaky case;
 * - warn (a broken SHOULD) fails a run only under --strict.
 */
export const VERDICTS: Verdict[] = ["pass", "fail", "warn", "error", "skip", "xfail", "xpass", "not-run"];

/** Worst first: what a group of cases (a requirement, a section) shows when they disagree. */
export const SEVERITY: Verdict[] = ["fail", "xpass", "error", "warn", "xfail", "skip", "not-run", "pass"];

export const worst = (verdicts: Verdict[]): Verdict => SEVERITY.find((v) => verdicts.includes(v)) ?? "pass";

/** A verdict that fails the run (and is a failure in JUnit). */
export function failsRun(verdict: Verdict, strict = false): boolean {
  return verdict === "fail" || verdict === "error" || verdict === "xpass" || (strict && verdict === "warn");
}

/** A case that fails the run: its verdict, or a verdict that changed between repeats. */
export const caseFailsRun = (c: Pick<CaseResult, "verdict" | "flaky">, strict = false) => Boolean(c.flaky) || failsRun(c.verdict, strict);

/** Verdicts someone should look at, worst first (the lists of failures in console and Markdown). */
export const ATTENTION: Verdict[] = ["fail", "xpass", "error", "warn"];
export const needsAttention = (v: Verdict) => ATTENTION.includes(v);

/** "passed", "failed", "not run", else the verdict itself: the words of the totals line. */
export const verdictWord = (v: Verdict) => (v === "pass" ? "passed" : v === "fail" ? "failed" : v === "not-run" ? "not run" : v);

/** A verdict got worse from `before` to `after` when it now fails the run and did not before. */
export const gotWorse = (before: Verdict, after: Verdict, strict = false) => failsRun(after, strict) && !failsRun(before, strict);

/** What a requirement can show: a verdict, or that no step checking it was reached. */
export type Shown = Verdict | RequirementResult["verdict"];

/** Worst first for what requirements show: one observation of it passing outweighs runs that never reached it. */
const SHOWN_SEVERITY: Shown[] = ["fail", "xpass", "error", "warn", "xfail", "pass", "skip", "not-run", "not-reached"];
export const worstShown = (vs: Shown[]): Shown => SHOWN_SEVERITY.find((v) => vs.includes(v)) ?? "not-reached";
export const worstRequirement = (vs: RequirementResult["verdict"][]) => worstShown(vs) as RequirementResult["verdict"];
