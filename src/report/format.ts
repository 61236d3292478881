import type { CaseResult, RunResult, Verdict } from "../results/types.ts";
import type { TranscriptEntry } from "../xmpp/transcript.ts";

/** The transcript as people read it: time, session, direction, stanza. Harness traffic only on request. */
export function formatTranscript(entries: TranscriptEntry[], withHarness = false): string {
  const arrows = { in: "<-", out: "->", note: "--" } as const;
  return entries
    .filter((e) => withHarness || !e.harness)
    .map((e) => `${e.at.toFixed(1).padStart(8)} ms  ${e.session.padEnd(18)} ${arrows[e.dir]} ${e.xml}`)
    .join("\n");
}

/** Everything about one unmet expectation, for the console and for JUnit's failure body. */
export function formatFailures(c: CaseResult): string {
  return c.failures
    .map((f) => {
      const lines = [
        `${f.level} ${f.requirements.join(", ")}  at ${f.pos.file}:${f.pos.line}`,
        `step: ${f.step}`,
        `why:  ${f.message}`,
        ...f.expected.map((e) => `expected: ${e}`),
      ];
      if (f.closest.length === 0) lines.push("arrived instead: nothing on that session");
      else lines.push("arrived instead (closest first):");
      for (const s of f.closest) {
        lines.push(`  ${s.xml}`);
        for (const p of s.problems.slice(0, 4)) lines.push(`    - ${p}`);
      }
      return lines.join("\n");
    })
    .join("\n\n");
}

export const VERDICTS: Verdict[] = ["pass", "fail", "warn", "error", "skip", "xfail", "xpass"];

export function countVerdicts(run: RunResult): Record<Verdict, number> {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const c of run.cases) counts[c.verdict]++;
  return counts;
}

export function describeTarget(run: Pick<RunResult, "target">): string {
  const t = run.target;
  const sw = t.software ? ` (${t.software.name} ${t.software.version})` : "";
  return `${t.name}${sw} at ${t.host}:${t.port}, domain ${t.domain}`;
}
