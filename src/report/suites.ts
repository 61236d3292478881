import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { complianceOf, renderComplianceMarkdown } from "./compliance-suites.ts";
import type { ReporterFactory } from "./types.ts";

/** compliance.md and compliance.json: the XMPP compliance suites (XEP-0479) the server meets, feature by feature. */
export const complianceReporter: ReporterFactory = ({ outDir }) => ({
  onEnd(run) {
    const report = complianceOf(run);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, "compliance.json"), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(path.join(outDir, "compliance.md"), renderComplianceMarkdown(report));
  },
});
