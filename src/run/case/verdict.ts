import { findRequirement, gradeFor } from "../../catalog/index.ts";
import type { CaseResult, RequirementResult, StepFailure, Verdict } from "../../results/schema.ts";
import { worstRequirement } from "../../results/verdicts.ts";
import type { Level, Scenario, Step } from "../../scenario/types.ts";
import { EXPECTATION_KINDS, type Miss } from "./steps.ts";

/** What happened to one step of a case. */
export interface StepRecord {
  step: Step;
  outcome: "ok" | "failed" | "not-reached";
  failure?: StepFailure;
}

/** Which requirements a step checks: its own, else the case's. */
export const requirementsOf = (sc: Scenario, step: Step) => step.requirements ?? sc.requirements;

/** A step's unmet expectation as the case records it: graded at its level, at most SHOULD when only derived requirements are behind it. */
export function failureOf(sc: Scenario, step: Step, miss: Miss): StepFailure {
  const requirements = requirementsOf(sc, step);
  return { step: step.text, pos: step.pos, level: gradeFor(step.level ?? sc.level, requirements), requirements, ...miss };
}

const verdictOf = (level: Level): "fail" | "warn" | "pass" => (level === "MUST" ? "fail" : level === "SHOULD" ? "warn" : "pass");

/**
 * The case's verdict, folded in one place from its steps: the first MUST failure fails it, else the first
 * SHOULD failure makes it a warning (a MAY unmet is recorded, not graded). A harness error before any
 * failure makes it an error. Each requirement gets the verdict of the expectations that check it (and of
 * action steps that failed: a stream the server would not open, a bind it never answered): a requirement
 * whose steps were never reached is not reached, never failed.
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
    if (!EXPECTATION_KINDS.has(r.step.kind) && !r.failure) continue;
    const v = r.outcome === "not-reached" ? "not-reached" : r.failure ? verdictOf(r.failure.level) : "pass";
    for (const id of requirementsOf(sc, r.step)) note(id, v);
  }
  // The case's own requirements when no step checks them alone: what the case as a whole showed.
  for (const id of sc.requirements) if (!seen.has(id)) note(id, graded === "error" ? "not-reached" : graded === "fail" ? "fail" : graded === "warn" ? "warn" : "pass");
  const requirementResults = [...seen].map(([id, vs]) => ({ id, verdict: worstRequirement(vs), ...(findRequirement(id)?.derived && { derived: true }) }));
  return { verdict: graded, ...(reason && { reason }), failures, requirementResults };
}
