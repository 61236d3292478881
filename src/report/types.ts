import type { RunEvent } from "../results/events.ts";
import type { RunResult } from "../results/schema.ts";

/**
 * A reporter consumes a run: its events as they happen (src/results/events.ts), and the whole results
 * record at the end. Either is optional: a streaming reporter (console, jsonl) reads events, a file
 * writer (junit, html) reads the record. A reporter may live outside this repository: a module whose
 * default export is a ReporterFactory, named to --reporter by its path or package name.
 */
export interface Reporter {
  onEvent?(event: RunEvent): void | Promise<void>;
  onEnd?(run: RunResult): void | Promise<void>;
}

export interface ReporterOptions {
  /** Folder for report files (--out). */
  outDir: string;
  /** Where a terminal reporter writes. */
  stream: NodeJS.WritableStream;
  color: boolean;
  /** --strict: warnings fail the run, and reporters show them as failures. */
  strict: boolean;
}

export type ReporterFactory = (opts: ReporterOptions) => Reporter;
