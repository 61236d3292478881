import { readFileSync } from "node:fs";
import { z } from "zod";
import { inPlanOrder, RunEvent } from "./events.ts";
import { RunResult, SCHEMA_VERSION, type CaseResult, type RunInfo } from "./schema.ts";

/**
 * A results file checked against the schema, so the commands that read one can trust its shape: a
 * results.json (the record), or a results.jsonl (the event stream, one event per line, events.ts). A
 * stream that stops before run-end (the harness was killed) still gives every case that had ended,
 * marked as an interrupted run; only its last line may be cut short. Every version this project has
 * written is read: older records are upgraded to this release's (upgrade).
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
  const parsed = RunResult.safeParse(upgrade(data, file));
  if (!parsed.success) throw new Error(`${file}: not an xmpp-conform results file (schema version ${SCHEMA_VERSION}): ${briefly(parsed.error)}`);
  return parsed.data;
}

/**
 * A record of an earlier schema version, as this release writes it:
 * - 1 → 2: a case without `spec` is RFC 6121's (releases before RFC 6120 had cases did not write it);
 * - 2 → 3: a case an interrupt kept from starting was a skip ("interrupted before it started"), one it cut short
 *   an error ("interrupted"): both are not-run.
 */
function upgrade(data: unknown, file: string): unknown {
  if (!data || typeof data !== "object") return data;
  const record = data as { schemaVersion?: unknown; cases?: unknown };
  const version = record.schemaVersion;
  if (typeof version === "number" && version > SCHEMA_VERSION)
    throw new Error(`${file}: written by a newer release of xmpp-conform (schema version ${version}; this one reads up to ${SCHEMA_VERSION}): upgrade xmpp-conform to read it`);
  // An event stream has no version: its cases are upgraded as a version-1 record's would be.
  if (version === SCHEMA_VERSION || (version !== undefined && typeof version !== "number")) return data;
  const cases = Array.isArray(record.cases) ? record.cases.map(upgradeCase) : record.cases;
  return { ...record, schemaVersion: SCHEMA_VERSION, cases };
}

/** An event of an earlier release, as this one writes it: its case upgraded, its run-end of this version. */
function upgradeEvent(json: unknown): unknown {
  if (!json || typeof json !== "object") return json;
  const e = json as { type?: unknown; case?: unknown; run?: { schemaVersion?: unknown } };
  if (e.type === "case-end") return { ...e, case: upgradeCase(e.case) };
  if (e.type === "run-end" && e.run && typeof e.run.schemaVersion === "number" && e.run.schemaVersion < SCHEMA_VERSION) return { ...e, run: { ...e.run, schemaVersion: SCHEMA_VERSION } };
  return json;
}

/** A case of an earlier record or event stream: without `spec`, it is RFC 6121's; a verdict an interrupt made is not-run. */
function upgradeCase(c: unknown): unknown {
  if (!c || typeof c !== "object") return c;
  const old = c as { spec?: unknown; verdict?: unknown; reason?: unknown };
  const interrupted = (old.verdict === "skip" && old.reason === "interrupted before it started") || (old.verdict === "error" && old.reason === "interrupted");
  return { ...c, ...(!("spec" in old) && { spec: "rfc6121" }), ...(interrupted && { verdict: "not-run" }) };
}

/** The first few problems of an invalid file and how many there are, not one line per case. */
function briefly(error: z.ZodError): string {
  const shown = 3;
  const lines = error.issues.slice(0, shown).map((i) => `${i.message} at ${i.path.join(".") || "the top level"}`);
  const more = error.issues.length - shown;
  return `${lines.join("; ")}${more > 0 ? `; and ${more} more problem${more === 1 ? "" : "s"}` : ""}`;
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
    const e = RunEvent.safeParse(upgradeEvent(json));
    if (!e.success) throw new Error(`:${i + 1}: not a run event: ${briefly(e.error)}`);
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
    else if (e.type === "run-end") return { ...e.run, schemaVersion: undefined, cases: inPlanOrder([...cases.values()], begin?.plan ?? []) };
  }
  if (!begin) throw new Error("not an xmpp-conform event stream: no run-begin event");
  const notes = [...(begin.run.notes ?? []), `the run did not end (no run-end event): ${cases.size} of ${begin.plan.length} cases had ended`];
  return {
    ...begin.run,
    notes,
    durationMs: Math.max(0, ...[...cases.values()].map((c) => c.durationMs)),
    cases: inPlanOrder([...cases.values()], begin.plan),
    accounts: { created: 0, notRemoved: 0 },
    interrupted: true,
  };
}
