import { readFileSync } from "node:fs";
import { z } from "zod";
import { isEvent, runFromEvents } from "./events-file.ts";
import { RunResultSchema } from "./schema.ts";
import type { RunResult } from "./types.ts";

/**
 * A results file checked against the schema, so the commands that read one can trust its shape: a
 * results.json, or the jsonl event stream of a run (see events-file.ts).
 */
export function readResults(file: string): RunResult {
  let data: unknown;
  try {
    const text = readFileSync(file, "utf8");
    let whole: unknown;
    try {
      whole = JSON.parse(text);
    } catch {
      whole = undefined;
    }
    data = whole !== undefined && !isEvent(whole) ? whole : runFromEvents(text, file);
  } catch (err) {
    throw new Error(err instanceof Error && err.message.startsWith(file) ? err.message : `${file}: ${(err as Error).message}`);
  }
  const parsed = RunResultSchema.safeParse(data);
  if (!parsed.success) throw new Error(`${file}: not an xmpp-conform results file (schema version 1):\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
