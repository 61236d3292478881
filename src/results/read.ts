import { readFileSync } from "node:fs";
import { z } from "zod";
import { inPlanOrder, RunEvent } from "./events.ts";
import { RunResult, type CaseResult, type RunInfo } from "./schema.ts";

/**
 * A results file checked against the schema, so the commands that read one can trust its shape: a
 * results.json (the record), or a results.jsonl (the event stream, one event per line, events.ts). A
 * stream that stops before run-end (the harness was killed) still gives every case that had ended,
 * marked as an interrupted run; only its last line may be cut short.
 */
export function readResults(file: string): RunResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
  }
  let data: unknown;
  try {
    data = isEventStream(text) ? fromEvents(parseEvents(text)) : JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}${(err as Error).message.startsWith(":") ? "" : ": "}${(err as Error).message}`);
  }
  const parsed = RunResult.safeParse(data);
  if (!parsed.success) throw new Error(`${file}: not an xmpp-conform results file (schema version 1):\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** An event stream: its first line is one JSON object with a `type` (a results.json spans many lines, or has no type). */
function isEventStream(text: string): boolean {
  const first = text.trimStart().split("\n", 1)[0];
  try {
    return typeof (JSON.parse(first) as { type?: unknown }).type === "string";
  } catch {
    return false;
  }
}

function parseEvents(text: string): RunEvent[] {
  const lines = text.split("\n");
  const last = lines.map((l) => l.trim() !== "").lastIndexOf(true);
  return lines.flatMap((line, i) => {
    if (line.trim() === "") return [];
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (i === last) return []; // cut short by a crash mid-write
      throw new Error(`:${i + 1}: not a JSON event: ${line.slice(0, 60)}`);
    }
    const e = RunEvent.safeParse(json);
    if (!e.success) throw new Error(`:${i + 1}: not a run event:\n${z.prettifyError(e.error)}`);
    return [e.data];
  });
}

/** The record the events describe; without run-end, what is known: the cases that ended, an interrupted run. */
function fromEvents(events: RunEvent[]): unknown {
  let begin: { run: RunInfo; plan: string[] } | undefined;
  const cases = new Map<string, CaseResult>(); // with --repeat the last result of a case counts
  for (const e of events) {
    if (e.type === "run-begin") begin = e;
    else if (e.type === "case-end") cases.set(e.case.id, e.case);
    else if (e.type === "run-end") return { ...e.run, cases: inPlanOrder([...cases.values()], begin?.plan ?? []) };
  }
  if (!begin) throw new Error("not an xmpp-conform event stream: no run-begin event");
  const notes = [...(begin.run.notes ?? []), `the run did not end (no run-end event): ${cases.size} of ${begin.plan.length} cases had ended`];
  return {
    schemaVersion: 1,
    ...begin.run,
    notes,
    durationMs: Math.max(0, ...[...cases.values()].map((c) => c.durationMs)),
    cases: inPlanOrder([...cases.values()], begin.plan),
    accounts: { created: 0, notRemoved: 0 },
    interrupted: true,
  };
}
