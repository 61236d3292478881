import path from "node:path";
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import type { ReporterFactory } from "./types.ts";

/**
 * results.jsonl: the run's events, one JSON object per line, written and flushed as each happens
 * (src/results/events.ts). A run that crashes or is killed leaves every case that had ended;
 * diff, merge and matrix read the file like a results.json.
 */
export const jsonlReporter: ReporterFactory = ({ outDir }) => {
  let fd: number | undefined;
  return {
    onEvent(e) {
      if (fd === undefined) {
        mkdirSync(outDir, { recursive: true });
        fd = openSync(path.join(outDir, "results.jsonl"), "w");
      }
      // A synchronous write per event: what the harness has said is on disk before it says more.
      writeSync(fd, `${JSON.stringify(e)}\n`);
      if (e.type === "run-end") {
        closeSync(fd);
        fd = undefined;
      }
    },
  };
};
