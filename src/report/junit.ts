import path from "node:path";
import { mkdirSync } from "node:fs";
import junitModule from "junit-report-builder";
import type { ReporterFactory } from "./types.ts";
import { describeTarget, formatFailures, formatTranscript } from "./format.ts";

/** junit.xml: a testcase per case, requirement IDs, RFC section and level as properties, transcript in system-out. */
// The package's CommonJS export is a builder instance, which its type declarations describe differently.
const junit = junitModule as unknown as { newBuilder(): typeof junitModule.default };

export const junitReporter: ReporterFactory = ({ outDir }) => ({
  onEnd(run) {
    const builder = junit.newBuilder();
    const suite = builder
      .testSuite()
      .name(`RFC 6121 conformance: ${describeTarget(run)}`)
      .property("target", run.target.name)
      .property("domain", run.target.domain)
      .property("started", run.startedAt);
    if (run.target.software) suite.property("server", `${run.target.software.name} ${run.target.software.version}`);
    for (const r of run.cases) {
      const tc = suite
        .testCase()
        .className(`rfc6121.section-${r.rfc}`)
        .name(`${r.id}: ${r.title}`)
        .file(r.pos.file)
        .time(r.durationMs / 1000)
        .property("requirements", r.requirements.join(","))
        .property("rfc", `RFC 6121 §${r.rfc}`)
        .property("level", r.level)
        .property("verdict", r.verdict);
      const body = formatFailures(r);
      switch (r.verdict) {
        case "fail":
        case "xpass":
          tc.failure(r.reason ?? r.verdict, r.verdict);
          break;
        case "error":
          tc.error(r.reason ?? "error", "error", body || undefined);
          break;
        case "skip":
        case "xfail":
          tc.skipped();
          break;
        default:
          break;
      }
      for (const choice of r.choices) tc.property("alternative", `${choice.step} => ${choice.alternative}`);
      const out = [r.reason && r.verdict !== "pass" ? `${r.verdict}: ${r.reason}` : "", body, formatTranscript(r.transcript)].filter(Boolean).join("\n\n");
      if (out) tc.standardOutput(out);
    }
    mkdirSync(outDir, { recursive: true });
    builder.writeTo(path.join(outDir, "junit.xml"));
  },
});
