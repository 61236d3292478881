import { findRequirement } from "../catalog/index.ts";
import { applyProfile, type RunProfiles } from "../profiles/apply.ts";
import type { CaseResult, Precondition, RequirementResult, StepFailure, Verdict } from "../results/schema.ts";
import { worstRequirement } from "../results/verdicts.ts";
import type { Level, PlannedStep, Proof, Scenario } from "../scenario/types.ts";
import type { TranscriptEntry } from "../xmpp/connections/transcript.ts";

/**
 * The one judge: what happened to a case becomes its record here, and nowhere else. A step's unmet
 * expectation fails what the step proves, each requirement at the level its plan gives it (failureOf), the
 * steps are folded into the case's verdict and a verdict per requirement (fold), the server's profile turns
 * expected deviations into xfail and xpass (applyProfile), and repeated runs are folded into one record per
 * case (foldRepeats). Cases that never ran get their record from the same code as those that ran.
 */

/** What a step found wrong: a StepFailure without what the case adds (the step, its level and requirements). */
export type Miss = Omit<StepFailure, "step" | "pos" | "level" | "requirements">;

/** What happened to one step of a case. */
export interface StepRecord {
  step: PlannedStep;
  outcome: "ok" | "failed" | "not-reached";
  failure?: StepFailure;
  /** For 'one of': the alternative that happened. */
  choice?: string;
}

/** How far a case got: to its steps (their records, and a harness error if one ended it), or not that far. */
export type Outcome =
  | { ran: { records: StepRecord[]; error?: string; precondition?: Precondition; choices: CaseResult["choices"]; setupRetries: string[]; durationMs: number; transcript: TranscriptEntry[] } }
  | { skipped: string; unmet?: string[]; precondition?: Precondition; setupRetries?: string[]; durationMs?: number; transcript?: TranscriptEntry[] }
  /** Never got to its steps: skipped before it started, an error of the run, or not run (the run stopped); what it did so far, if anything. */
  | { notRun: "skip" | "error" | "not-run"; reason: string; durationMs?: number; transcript?: TranscriptEntry[] };

/** The strongest of the levels (MUST for none: a failure that proves nothing is no failure; see runCase). */
const strongest = (levels: Level[]): Level => (levels.includes("MUST") ? "MUST" : levels.includes("SHOULD") ? "SHOULD" : levels.length > 0 ? "MAY" : "MUST");

/** A step's unmet expectation as the case records it: for what the step proves, worth the strongest of their levels. */
export function failureOf(step: PlannedStep, miss: Miss): StepFailure {
  const { order, unanswered } = step.plan;
  // Every stanza came, in another order: only what the order proves fails. No answer at all: only what an
  // unanswered request breaks.
  const proves = miss.outOfOrder && order ? [order] : miss.unanswered && unanswered ? [unanswered] : step.plan.proves;
  return { step: step.text, pos: step.pos, level: strongest(proves.map((p) => p.level)), requirements: proves.map((p) => p.id), ...miss };
}

/**
 * What a requirement shows when a step proving it failed: its own level decides. A MAY unmet is recorded, not
 * graded, and credits nothing: the server did not do what the rule allows, so the rule was not judged.
 */
const verdictOf = (p: Proof): "fail" | "warn" | "not-reached" => (p.level === "MUST" ? "fail" : p.level === "SHOULD" ? "warn" : "not-reached");

/**
 * The case's verdict from its steps: the first MUST failure fails it, else the first SHOULD failure makes it
 * a warning (a MAY unmet is recorded, not graded). A harness error (or a set-up step that failed) before any
 * failure makes it an error. Each requirement gets the verdict of the steps whose plans prove it: it passes
 * only when such a step held (for an alternative, when that alternative happened), fails or warns (at its own
 * level there) only when such a step failed, and is not reached when none of them ran. A case that held but
 * judged none of its requirements (the server took alternatives that credit nothing) is a skip, not a pass.
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
    // A step that failed without a failure is set-up: it proves nothing.
    if (r.outcome === "failed" && !r.failure) continue;
    const { proves, order, unanswered, alternatives = [] } = r.step.plan;
    const chosen = r.outcome === "ok" ? alternatives.find((a) => a.name === r.choice) : undefined;
    // An alternative that happened credits what it proves; what only the others prove did not apply.
    const credited = chosen ? chosen.proves : proves;
    // Every stanza came, in another order: they are credited, the order is what failed.
    const disordered = Boolean(r.failure?.outOfOrder && order);
    // No answer at all: the request's rule fails, and what the answer would have shown is not reached.
    const silent = Boolean(r.failure?.unanswered && unanswered);
    for (const p of credited) note(p.id, r.outcome === "not-reached" || silent ? "not-reached" : r.failure && !disordered ? verdictOf(p) : "pass");
    for (const a of alternatives) for (const p of a.proves) if (!credited.some((q) => q.id === p.id)) note(p.id, "not-reached");
    if (order) note(order.id, r.outcome === "ok" ? "pass" : disordered ? verdictOf(order) : "not-reached");
    // Any answer keeps the request's rule; an outcome that credits nothing (a refusal the text allows) judges nothing,
    // that rule included, so that a case whose answers all credit nothing stays a skip.
    if (unanswered && (silent || !unanswered.implied))
      note(unanswered.id, r.outcome === "not-reached" ? "not-reached" : silent ? verdictOf(unanswered) : r.failure || credited.length > 0 ? "pass" : "not-reached");
  }
  // The loader makes sure some step checks each of the case's requirements; one none of them reached is not reached.
  for (const id of sc.requirements) if (!seen.has(id)) note(id, "not-reached");
  const requirementResults = [...seen].map(([id, vs]) => ({ id, verdict: worstRequirement(vs), ...(findRequirement(id)?.derived && { derived: true }) }));
  // Every answer took an alternative that credits none of the case's requirements, or did not do what a MAY allows:
  // a pass would credit what no check judged, so it is a skip that says which way the server went.
  if (graded === "pass" && requirementResults.every((q) => q.verdict === "not-reached")) {
    const took = [...new Set(records.flatMap((r) => (r.choice ? [r.choice] : [])))];
    const unmet = failures.flatMap((f) => f.requirements);
    const reason =
      unmet.length > 0
        ? `judged nothing: the server did not do what ${unmet.join(", ")} (MAY) ${unmet.length === 1 ? "allows" : "allow"}, and none of ${sc.requirements.join(", ")} was judged otherwise`
        : `judged nothing: the server's answers took ${took.join(", ") || "no alternative"}, which credit none of ${sc.requirements.join(", ")}`;
    return {
      verdict: "skip",
      reason,
      failures,
      requirementResults,
    };
  }
  return { verdict: graded, ...(reason && { reason }), failures, requirementResults };
}

/** The case's record: what it is (from the scenario), what happened to it, judged, and under the server's profile. */
export function judge(sc: Scenario, outcome: Outcome, profiles?: RunProfiles): CaseResult {
  const base = {
    id: sc.id,
    title: sc.title,
    pos: sc.pos,
    spec: sc.spec,
    rfc: sc.rfc,
    level: sc.level,
    requirements: sc.requirements,
    tags: sc.tags,
    ...(sc.variant && { variant: sc.variant }),
  };
  let record: CaseResult;
  if ("ran" in outcome) {
    const r = outcome.ran;
    record = {
      ...base,
      choices: r.choices,
      ...(r.precondition && { precondition: r.precondition }),
      ...(r.setupRetries.length > 0 && { setupRetries: r.setupRetries }),
      durationMs: r.durationMs,
      transcript: r.transcript,
      ...fold(sc, r.records, r.error),
    };
  } else if ("skipped" in outcome) {
    const retries = outcome.setupRetries ?? [];
    record = {
      ...base,
      choices: [],
      ...(outcome.precondition && { precondition: outcome.precondition }),
      ...(outcome.unmet && { unmet: outcome.unmet }),
      ...(retries.length > 0 && { setupRetries: retries }),
      durationMs: outcome.durationMs ?? 0,
      transcript: outcome.transcript ?? [],
      verdict: "skip",
      reason: outcome.skipped,
      failures: [],
    };
  } else {
    record = { ...base, choices: [], durationMs: outcome.durationMs ?? 0, transcript: outcome.transcript ?? [], verdict: outcome.notRun, reason: outcome.reason, failures: [] };
  }
  return applyProfile(record, profiles);
}

/**
 * The results of N runs of the same plan as one record per case: the first run's, marked flaky (with every
 * verdict seen) when the verdict changed between runs. A deterministic suite has none.
 */
export function foldRepeats(runs: CaseResult[][]): CaseResult[] {
  return runs[0].map((first, i) => {
    const verdicts = runs.map((r) => r[i].verdict);
    if (verdicts.every((v) => v === first.verdict)) return first;
    return { ...first, flaky: verdicts };
  });
}
