import type { CaseResult, RunInfo, RunResult } from "../results/types.ts";

/**
 * A reporter sees the run as it happens and the whole results record at the end. Add one by writing a
 * file that exports a ReporterFactory and registering it in index.ts.
 */
export interface Reporter {
  onBegin?(info: RunInfo, total: number): void;
  onCaseEnd?(result: CaseResult): void;
  onEnd(run: RunResult): void | Promise<void>;
}

export interface ReporterOptions {
  /** Folder for report files (--out). */
  outDir: string;
  /** Where a terminal reporter writes. */
  stream: NodeJS.WritableStream;
  color: boolean;
}

export type ReporterFactory = (opts: ReporterOptions) => Reporter;
