import { readFileSync } from "node:fs";
import { z } from "zod";
import { inPlanOrder, RunEvent } from "./events.ts";
import { RunResult, type CaseResult, type RunInfo } from "./schema.ts";

/**
 * A results file checked against the schema, so the commands that read one can trust its shape: a
 * results.json (the record), or a results.jsonl (the event stream, one event per line). A stream that
 * stops before run-end (the harness was killed) still gives every case that had ended, marked as an
 * interrupted run.
 */
export function readResults(file: string): RunResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
  }
  const lines = text.split("\n").filter((l) => l.trim());
  const stream = lines.length > 0 && /"type"\s*:\s*"run-begin"/.test(lines[0]);
  let data: unknown;
  try {
    data = stream ? fromEvents(lines.map((l, i) => parseEvent(l, i + 1))) : JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const parsed = RunResult.safeParse(data);
  if (!parsed.success) throw new Error(`${file}: not an xmpp-conform results file (schema version 1):\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function parseEvent(line: string, n: number): RunEvent {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new Error(`line ${n}: not JSON (a line cut short by a crash?): ${line.slice(0, 60)}`);
  }
  const e = RunEvent.safeParse(json);
  if (!e.success) throw new Error(`line ${n}: not a run event:\n${z.prettifyError(e.error)}`);
  return e.data;
}

/** The record the events describe; without run-end, what is known: the cases that ended, an interrupted run. */
function fromEvents(events: RunEvent[]): unknown {
  let begin: { run: RunInfo; plan: string[] } | undefined;
  const cases: CaseResult[] = [];
  for (const e of events) {
    if (e.type === "run-begin") begin = e;
    else if (e.type === "case-end") cases.push(e.case);
    else if (e.type === "run-end") return { ...e.run, cases: inPlanOrder(cases, begin?.plan ?? []) };
  }
  if (!begin) throw new Error("no run-begin event");
  const notes = [...(begin.run.notes ?? []), `the run did not end (no run-end event): ${cases.length} of ${begin.plan.length} cases had ended`];
  const last = Math.max(0, ...cases.map((c) => c.durationMs));
  return {
    schemaVersion: 1,
    ...begin.run,
    notes,
    durationMs: last,
    cases: inPlanOrder(cases, begin.plan),
    accounts: { created: 0, notRemoved: 0 },
    interrupted: true,
  };
}
