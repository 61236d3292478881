/**
 * A results file written as an event stream (the jsonl reporter): one JSON object per line, each with a
 * `type`. The run's record is folded from three kinds of event; the others (case begin, step end) are
 * progress and add nothing to it:
 *
 *   {"type": "run-begin", "run": {schemaVersion, tool, target, startedAt, options, profile?, notes?}}
 *   {"type": "case-end",  "case": {id, title, verdict, ...: one case's result, as in results.json}}
 *   {"type": "run-end",   "run": {durationMs, accounts, interrupted, targetError?}}
 *
 * A stream cut short (the harness killed mid-run) has no run-end and maybe half a last line: it is read as
 * an interrupted run with the cases that had ended.
 */
export const EVENT = { runBegin: "run-begin", caseEnd: "case-end", runEnd: "run-end" } as const;

type Event = { type: string; run?: Record<string, unknown>; case?: { id?: unknown } };

/** Whether parsed JSON is one event (a one-line stream) rather than a whole results record. */
export const isEvent = (data: unknown): boolean => typeof data === "object" && data !== null && typeof (data as Event).type === "string";

/** The results record an event stream describes, unchecked (the caller checks it against the schema). */
export function runFromEvents(text: string, file: string): unknown {
  const lines = text.split("\n");
  const events: Event[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      events.push(JSON.parse(line) as Event);
    } catch (err) {
      // Only the last line may be cut short (a crash mid-write); anything else is a broken file.
      if (lines.slice(i + 1).some((l) => l.trim() !== "")) throw new Error(`${file}:${i + 1}: not a JSON event: ${(err as Error).message}`);
    }
  });
  const begin = events.find((e) => e.type === EVENT.runBegin);
  if (!begin?.run) throw new Error(`${file}: not an xmpp-conform event stream: no ${EVENT.runBegin} event with the run`);
  const end = events.find((e) => e.type === EVENT.runEnd);
  // With --repeat a case may end more than once: its last result counts.
  const cases = new Map<unknown, unknown>();
  for (const e of events) if (e.type === EVENT.caseEnd && e.case) cases.set(e.case.id, e.case);
  const unfinished = { durationMs: 0, accounts: { created: 0, notRemoved: 0 }, interrupted: true };
  const notes = [...((begin.run.notes as string[] | undefined) ?? []), ...(end ? [] : [`the run did not end (no ${EVENT.runEnd} event in ${file}): only the cases that had ended are here`])];
  return { ...begin.run, ...(end?.run ?? unfinished), ...(notes.length > 0 && { notes }), cases: [...cases.values()] };
}
