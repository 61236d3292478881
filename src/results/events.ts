import { z } from "zod";
import { SourcePos } from "../scenario/types.ts";
import { CaseResult, RunInfo, RunResult, StepFailure } from "./schema.ts";

/**
 * A run as a stream of events, in the order they happen: reporters consume it, and the jsonl reporter
 * writes it one event per line as it happens, so a crashed run still leaves every case that had ended.
 * run-begin and run-end frame the run; each case is case-begin, a step-end per step run, case-end.
 * With --repeat, case-begin and step-end come for every run of a case, case-end once, folded, at the end.
 * A case that ran beside others and shows what load does gets case-again instead of case-end, and runs again
 * alone after the others (case-begin, step-end, case-end).
 */
export const RunEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("run-begin"), run: RunInfo, plan: z.array(z.string()).describe("the ids of the cases to run, in plan order") }),
  z.object({ type: z.literal("case-begin"), id: z.string(), title: z.string(), pos: SourcePos, repeat: z.number().int().optional() }),
  z.object({
    type: z.literal("step-end"),
    caseId: z.string(),
    step: z.string(),
    pos: SourcePos,
    outcome: z.enum(["ok", "failed", "not-reached"]),
    failure: StepFailure.optional(),
    at: z.number().describe("ms since the case started"),
  }),
  z.object({
    type: z.literal("case-again"),
    id: z.string(),
    reason: z.string().describe("why the case runs again alone, after the others: its case-begin comes again then"),
  }),
  z.object({ type: z.literal("case-end"), case: CaseResult }),
  z.object({ type: z.literal("run-end"), run: RunResult.omit({ cases: true }).describe("the run record without its cases: they came with case-end") }),
]);
export type RunEvent = z.infer<typeof RunEvent>;
export type EventOf<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;

/** Where a run sends its events. A sink may be async; the run waits for it only at run-end. */
export type EventSink = (event: RunEvent) => void | Promise<void>;

/** Cases in the order of the plan that run-begin announced (they end in the order they finish). */
export function inPlanOrder<T extends { id: string }>(cases: T[], plan: string[]): T[] {
  const at = new Map(plan.map((id, i) => [id, i]));
  return [...cases].sort((a, b) => (at.get(a.id) ?? Infinity) - (at.get(b.id) ?? Infinity));
}
