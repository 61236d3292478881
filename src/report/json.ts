import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import type { ReporterFactory } from "./types.ts";

/** results.json: the whole results record (src/results/schema.ts, schemaVersion 2; docs/results.md), for tools and later reports. */
export const jsonReporter: ReporterFactory = ({ outDir }) => ({
  onEnd(run) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, "results.json"), `${JSON.stringify(run, null, 2)}\n`);
  },
});
