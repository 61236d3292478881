import { readResults } from "../results/read.ts";
import type { RunResult } from "../results/schema.ts";
import { EXIT } from "./exit-codes.ts";
import { err } from "./suite.ts";

/** Results files named on the command line; one that cannot be read or is not a results file ends the command with exit 2. */
export function loadResults(files: string[]): { file: string; run: RunResult }[] {
  try {
    return files.map((file) => ({ file, run: readResults(file) }));
  } catch (e) {
    err((e as Error).message);
    process.exit(EXIT.usage);
  }
}
