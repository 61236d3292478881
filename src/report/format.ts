import path from "node:path";
import { specName, specs } from "../specification/registry.ts";
import type { CaseResult, RemoteLink, RunInfo, RunResult, S2sInfo, S2sLink, TranscriptEntry, Verdict } from "../results/schema.ts";
import { VERDICTS, verdictWord } from "../results/verdicts.ts";
import { quoteRule, ruleOf } from "./fix-first.ts";

export { VERDICTS };

/** The transcript as people read it: time, session, direction, stanza. Harness traffic (the teardown too, marked) only on request. */
export function formatTranscript(entries: TranscriptEntry[], withHarness = false): string {
  const arrows = { in: "<-", out: "->", note: "--" } as const;
  return entries
    .filter((e) => withHarness || !e.harness)
    .map((e) => `${e.at.toFixed(1).padStart(8)} ms  ${e.session.padEnd(18)} ${arrows[e.dir]} ${e.teardown ? "(teardown) " : ""}${e.xml}`)
    .join("\n");
}

/** A scenario position as people open it: relative to the working folder when under it. */
export function here(pos: { file: string; line: number }): string {
  const rel = path.relative(process.cwd(), pos.file);
  return `${rel.startsWith("..") ? pos.file : rel}:${pos.line}`;
}

/** Everything about one unmet expectation, for the console and for JUnit's failure body: the rule's own words first. */
export function formatFailures(c: CaseResult): string {
  return c.failures
    .map((f) => {
      const rules = f.requirements.flatMap((id) => ruleOf(id) ?? []).map((r) => `rule: ${quoteRule(r)}`);
      const lines = [`${f.level} ${f.requirements.join(", ")}  at ${here(f.pos)}`, ...rules, `step: ${f.step}`, `why:  ${f.message}`, ...f.expected.map((e) => `expected: ${e}`)];
      const answers = f.closest.filter((s) => !s.early);
      if (answers.length === 0) lines.push("arrived instead: nothing, after the step's action");
      else lines.push("arrived instead (closest first):");
      for (const s of f.closest) {
        lines.push(`  ${s.at !== undefined ? `${s.at.toFixed(1)} ms  ` : ""}${s.early ? "(earlier, before the step's action) " : ""}${s.xml}`);
        for (const p of s.problems.slice(0, 4)) lines.push(`    - ${p}`);
      }
      return lines.join("\n");
    })
    .join("\n\n");
}

export function countOf<V extends string = Verdict>(verdicts: V[]): Record<Verdict | V, number> {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict | V, number>;
  for (const v of verdicts) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

export const countVerdicts = (run: RunResult) => countOf(run.cases.map((c) => c.verdict));

/** The verdicts per specification, in the specifications' order: the reports show RFC 6120 and RFC 6121 side by side. */
export function totalsBySpec(run: Pick<RunResult, "cases">): { spec: string; cases: number; counts: Record<Verdict, number> }[] {
  const order = (id: string) => ((i) => (i < 0 ? Infinity : i))(specs().findIndex((s) => s.id === id));
  return [...new Set(run.cases.map((c) => c.spec))]
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .map((spec) => {
      const cases = run.cases.filter((c) => c.spec === spec);
      return { spec, cases: cases.length, counts: countOf(cases.map((c) => c.verdict)) };
    });
}

/**
 * "3 passed", "1 failed", then the other verdicts that occurred: the totals line of every reporter. Under a
 * profile a failure is a new one and an xfail a documented deviation, in every report alike.
 */
export function totals(counts: Record<Verdict, number>, profiled = false): { verdict: Verdict; count: number; word: string; text: string }[] {
  const word = (v: Verdict, n: number) => (profiled && v === "fail" ? `new failure${n === 1 ? "" : "s"}` : v === "xfail" ? `documented deviation${n === 1 ? "" : "s"}` : verdictWord(v));
  return VERDICTS.filter((v) => counts[v] > 0 || v === "pass" || v === "fail").map((v) => ({ verdict: v, count: counts[v], word: word(v, counts[v]), text: `${counts[v]} ${word(v, counts[v])}` }));
}

/** "Prosody 0.12.3", or the target's name when the software is not known. */
export const serverLabel = (run: Pick<RunResult, "target">) => (run.target.software ? `${run.target.software.name} ${run.target.software.version}` : run.target.name);

export function describeTarget(run: Pick<RunInfo, "target">): string {
  const t = run.target;
  const sw = t.software ? ` (${t.software.name} ${t.software.version})` : "";
  const peer = t.peer && `; domain b: ${t.peer.name}${t.peer.software ? ` (${t.peer.software.name} ${t.peer.software.version})` : ""} at ${t.peer.host}:${t.peer.port}, domain ${t.peer.domain}`;
  return `${t.name}${sw} at ${t.host}:${t.port}, domain ${t.domain}${t.transport ? `, ${describeTransport(t.transport)}` : ""}${peer ?? ""}${t.s2s ? `; ${describeS2s(t.s2s)}` : ""}${t.remote ? `; ${describeRemote(t.remote)}` : ""}`;
}

/** "a.test -> remote.test plaintext, by dialback": one s2s stream the harness's remote server exchanged stanzas on. */
export const describeRemoteLink = (remote: string, l: RemoteLink) =>
  `${l.direction === "in" ? `${l.domain} -> ${remote}` : `${remote} -> ${l.domain}`} ${l.encrypted ? "over TLS" : "plaintext"}, by ${l.auth}`;

/** "the harness's remote server remote.test (a.test -> remote.test plaintext, by dialback; ...)". */
export function describeRemote(r: NonNullable<RunInfo["target"]["remote"]>): string {
  const links = r.links === undefined ? "" : r.links.length === 0 ? " (no s2s stream used)" : ` (${r.links.map((l) => describeRemoteLink(r.domain, l)).join("; ")})`;
  return `the harness's remote server ${r.domain}${links}`;
}

/** "a.test -> b.test over TLS, by certificate": one s2s stream a server accepted. */
export const describeLink = (l: S2sLink) => `${l.from} -> ${l.to} ${l.encrypted ? "over TLS" : "plaintext"}, by ${l.auth}`;

/** "s2s tls (a.test -> b.test over TLS, by certificate; ...)", or only the mode while nothing is known yet. */
export function describeS2s(s: S2sInfo): string {
  const links = s.links === undefined ? "" : s.links.length === 0 ? " (no s2s stream seen)" : ` (${s.links.map(describeLink).join("; ")})`;
  return `s2s ${s.mode}${links}`;
}

/** "over STARTTLS (certificate verified), SASL SCRAM-SHA-1"; "over WebSocket wss://... (certificate verified), ..."; "over BOSH https://...". */
export function describeTransport(t: NonNullable<RunResult["target"]["transport"]>): string {
  const tls = t.websocket ? `over WebSocket ${t.websocket}` : t.bosh ? `over BOSH ${t.bosh}` : { none: "plaintext", starttls: "over STARTTLS", direct: "over direct TLS" }[t.tls];
  const cert = t.tls === "none" ? "" : t.certificateVerified ? " (certificate verified)" : " (certificate NOT verified: --insecure)";
  return `${tls}${cert}${t.sasl ? `, SASL ${t.sasl}` : ""}`;
}

/** "profile profiles/ejabberd-23.01.yaml" or "no profile: raw verdicts"; on a pair also the second server's. */
export function describeProfile(run: Pick<RunInfo, "profile" | "peerProfile"> & Partial<Pick<RunInfo, "options" | "target">>): string {
  const peer = run.peerProfile && run.peerProfile.file !== run.profile?.file ? ` (domain b: ${path.relative(process.cwd(), run.peerProfile.file)})` : "";
  const sw = run.target?.software;
  const auto = run.options?.profile === "auto" && sw ? ` (chosen by --profile auto for ${sw.name} ${sw.version})` : "";
  return `${run.profile ? `profile ${path.relative(process.cwd(), run.profile.file)}${auto}` : "no profile: raw verdicts"}${peer}`;
}

/** With --concurrency auto, what it settled on: "concurrency auto: 8 (4-10 during the run)". */
export function describeConcurrency(run: Pick<RunResult, "concurrency">): string | undefined {
  const c = run.concurrency;
  if (!c) return undefined;
  return `concurrency auto: ${c.settled}${c.lowest === c.highest ? "" : ` (${c.lowest}-${c.highest} during the run)`}`;
}

/** The specifications' names as people write them (the registry's): "RFC 6121 §2.3.2". */
export { specName };
export const specLabel = (c: Pick<CaseResult, "spec" | "rfc">) => `${specName(c.spec)} §${c.rfc}`;

/** How often set-up was retried, and in how many cases. */
export function setupRetries(run: RunResult): { retries: number; cases: number } {
  const retried = run.cases.filter((c) => c.setupRetries?.length);
  return { retries: retried.reduce((n, c) => n + c.setupRetries!.length, 0), cases: retried.length };
}
