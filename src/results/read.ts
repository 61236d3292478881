import { readFileSync } from "node:fs";
import { z } from "zod";
import { RunResultSchema } from "./schema.ts";
import type { RunResult } from "./types.ts";

/** A results.json checked against the schema, so the commands that read one can trust its shape. */
export function readResults(file: string): RunResult {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const parsed = RunResultSchema.safeParse(data);
  if (!parsed.success) throw new Error(`${file}: not an xmpp-conform results file (schema version 1):\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
