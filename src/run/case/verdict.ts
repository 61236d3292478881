import { findRequirement, gradeFor } from "../../catalog/index.ts";
import type { CaseResult, RequirementResult, StepFailure, Verdict } from "../../results/schema.ts";
import { worstRequirement } from "../../results/verdicts.ts";
import { checksOf, type Level, type Scenario, type Step } from "../../scenario/types.ts";
import type { Miss } from "./steps.ts";

/** What happened to one step of a case. */
export interface StepRecord {
  step: Step;
  outcome: "ok" | "failed" | "not-reached";
  failure?: StepFailure;
}

/** A step's unmet expectation as the case records it: graded at its level, at most SHOULD when only derived requirements are behind it. */
export function failureOf(sc: Scenario, step: Step, miss: Miss): StepFailure {
  const requirements = checksOf(sc, step);
  return { step: step.text, pos: step.pos, level: gradeFor(step.level ?? sc.level, requirements), requirements, ...miss };
}

const verdictOf = (level: Level): "fail" | "warn" | "pass" => (level === "MUST" ? "fail" : level === "SHOULD" ? "warn" : "pass");

/**
 * The case's verdict, folded in one place from its steps: the first MUST failure fails it, else the first
 * SHOULD failure makes it a warning (a MAY unmet is recorded, not graded). A harness error (or a set-up step
 * that failed) before any failure makes it an error. Each requirement gets the verdict of the steps that
 * prove it (checksOf: a check its own requirements or the case's, an action only those it names, set-up
 * none): it passes only when such a step held, fails only when such a step failed, and is not reached when
 * none of them ran.
 */
export function fold(sc: Scenario, records: StepRecord[], error?: string): Pick<CaseResult, "verdict" | "reason" | "failures" | "requirementResults"> {
  const failures = records.flatMap((r) => (r.failure ? [r.failure] : []));
  const must = failures.find((f) => f.level === "MUST");
  const should = failures.find((f) => f.level === "SHOULD");
  const graded: Verdict = must ? "fail" : error ? "error" : should ? "warn" : "pass";
  const reason = must?.message ?? error ?? should?.message;

  const seen = new Map<string, RequirementResult["verdict"][]>();
  const note = (id: string, v: RequirementResult["verdict"]) => seen.set(id, [...(seen.get(id) ?? []), v]);
  for (const r of records) {
    // A step that failed without a failure is set-up: it proves nothing (and made the case an error).
    if (r.outcome === "failed" && !r.failure) continue;
    const v = r.outcome === "not-reached" ? "not-reached" : r.failure ? verdictOf(r.failure.level) : "pass";
    for (const id of checksOf(sc, r.step)) note(id, v);
  }
  // The loader makes sure some step checks each of the case's requirements; one none of them reached is not reached.
  for (const id of sc.requirements) if (!seen.has(id)) note(id, "not-reached");
  const requirementResults = [...seen].map(([id, vs]) => ({ id, verdict: worstRequirement(vs), ...(findRequirement(id)?.derived && { derived: true }) }));
  return { verdict: graded, ...(reason && { reason }), failures, requirementResults };
}
