import path from "node:path";
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

export function countOf(verdicts: Verdict[]): Record<Verdict, number> {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const v of verdicts) counts[v]++;
  return counts;
}

export const countVerdicts = (run: RunResult) => countOf(run.cases.map((c) => c.verdict));

/** "3 passed", "1 failed", then the other verdicts that occurred: the totals line of every reporter. */
export function totals(counts: Record<Verdict, number>): { verdict: Verdict; count: number; word: string; text: string }[] {
  const word = (v: Verdict) => (v === "pass" ? "passed" : v === "fail" ? "failed" : v);
  return VERDICTS.filter((v) => counts[v] > 0 || v === "pass" || v === "fail").map((v) => ({ verdict: v, count: counts[v], word: word(v), text: `${counts[v]} ${word(v)}` }));
}

/** "Prosody 0.12.3", or the target's name when the software is not known. */
export const serverLabel = (run: Pick<RunResult, "target">) => (run.target.software ? `${run.target.software.name} ${run.target.software.version}` : run.target.name);

export function describeTarget(run: Pick<RunResult, "target">): string {
  const t = run.target;
  const sw = t.software ? ` (${t.software.name} ${t.software.version})` : "";
  const peer = t.peer && `; domain b: ${t.peer.name}${t.peer.software ? ` (${t.peer.software.name} ${t.peer.software.version})` : ""} at ${t.peer.host}:${t.peer.port}, domain ${t.peer.domain}`;
  return `${t.name}${sw} at ${t.host}:${t.port}, domain ${t.domain}${t.transport ? `, ${describeTransport(t.transport)}` : ""}${peer ?? ""}`;
}

/** "over STARTTLS (certificate verified), SASL SCRAM-SHA-1". */
export function describeTransport(t: NonNullable<RunResult["target"]["transport"]>): string {
  const tls = { none: "plaintext", starttls: "over STARTTLS", direct: "over direct TLS" }[t.tls];
  const cert = t.tls === "none" ? "" : t.certificateVerified ? " (certificate verified)" : " (certificate NOT verified: --insecure)";
  return `${tls}${cert}${t.sasl ? `, SASL ${t.sasl}` : ""}`;
}

/** "profile profiles/ejabberd-23.01.yaml" or "no profile: raw verdicts". */
export function describeProfile(run: Pick<RunResult, "profile">): string {
  return run.profile ? `profile ${path.relative(process.cwd(), run.profile.file)}` : "no profile: raw verdicts";
}
