import { inPlanOrder, type EventSink, type RunEvent } from "../results/events.ts";
import type { CaseResult, RunResult } from "../results/schema.ts";
import type { Reporter } from "./types.ts";

/**
 * One event sink for many reporters, each call guarded: a reporter that throws (or rejects) is reported
 * once per kind of event and skipped, and neither the run nor the other reporters stop. The results
 * record each reporter's onEnd gets is assembled from the stream itself: the cases as they ended, and
 * the run's record at run-end.
 */
export function fanOut(reporters: { name: string; reporter: Reporter }[], log: (line: string) => void): EventSink & { failures: string[] } {
  const cases: CaseResult[] = [];
  let plan: string[] = [];
  const failures: string[] = [];
  const guard = async (name: string, what: string, call: () => void | Promise<void>) => {
    try {
      await call();
    } catch (err) {
      const line = `reporter '${name}' failed in ${what}: ${(err as Error).message}`;
      if (!failures.includes(line)) {
        failures.push(line);
        log(line);
      }
    }
  };
  const sink = async (e: RunEvent) => {
    if (e.type === "run-begin") plan = e.plan;
    if (e.type === "case-end") cases.push(e.case);
    const run: RunResult | undefined = e.type === "run-end" ? { ...e.run, cases: inPlanOrder(cases, plan) } : undefined;
    await Promise.all(
      reporters.map(async ({ name, reporter }) => {
        if (reporter.onEvent) await guard(name, e.type, () => reporter.onEvent!(e));
        if (run && reporter.onEnd) await guard(name, "onEnd", () => reporter.onEnd!(run));
      }),
    );
  };
  return Object.assign(sink, { failures });
}
