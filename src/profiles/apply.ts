import path from "node:path";
import type { CaseResult, RequirementResult, RunInfo, ServerConfig } from "../results/schema.ts";
import { covers, isVariantId } from "../scenario/ids.ts";
import type { Profile, ProfileEntry, Transport } from "./types.ts";

const cites = (r: CaseResult, requirement: string) => r.requirements.includes(requirement) || r.failures.some((f) => f.requirements.includes(requirement));

/** Which server of the run a profile is for: the user's (a, the only one on a single server) or a pair's second (b). */
export type Role = "a" | "b";

/** The profiles a run applies: the first server's, on a pair the second's, and the pairing (first+second, software names in lower case). */
export interface RunProfiles {
  a?: Profile;
  b?: Profile;
  pairing?: string;
  /** How the harness configured the local server it started; absent for a running server (not known). */
  config?: ServerConfig;
  /** How the run's sessions reached the server. */
  transport?: Transport;
}

/** What limits an entry to some runs: the pairing, the local server's configuration, the transport. */
export type RunConditions = Pick<RunProfiles, "pairing" | "config" | "transport">;

/** The transport a run's sessions took, as profile entries name it. */
export const transportOf = (run: Pick<RunInfo, "target">): Transport => (run.target.transport?.bosh ? "bosh" : run.target.transport?.websocket ? "websocket" : "tcp");

/** "prosody+ejabberd": a pair's servers by their software, as profile entries name a pairing. */
export function pairingOf(run: Pick<RunInfo, "target">): string | undefined {
  const [a, b] = [run.target.software, run.target.peer?.software];
  return a && b ? `${a.name}+${b.name}`.toLowerCase() : undefined;
}

/** The roles in which an entry covers cross-domain variants: its side (an entry naming a variant: a unless it says). */
function sidesOf(e: ProfileEntry): Role[] {
  if (e.side === "both") return ["a", "b"];
  if (e.side) return [e.side];
  return e.case && isVariantId(e.case) ? ["a"] : [];
}

/**
 * Whether an entry of the profile of the server playing `role` speaks about this case: it names the case (or
 * its scenario), or a requirement the case cites. Single-server cases run on server a. A cross-domain
 * variant runs on both: an entry covers it only when it says the deviation is its server's in that role
 * (`side`), or names the variant itself (side a unless it says); `pairing` limits an entry to one pairing,
 * `config` to a server the harness started with that configuration, `transport` to runs over it.
 */
export function entryCovers(e: ProfileEntry, r: CaseResult, role: Role = "a", on: RunConditions = {}): boolean {
  if (e.pairing && e.pairing !== on.pairing) return false;
  if (e.config && e.config !== on.config) return false;
  if (e.transport && e.transport !== (on.transport ?? "tcp")) return false;
  const variant = isVariantId(r.id);
  if (variant ? !sidesOf(e).includes(role) : role !== "a") return false;
  if (e.case) return covers(e.case, r.id);
  return Boolean(e.requirement && cites(r, e.requirement));
}

/** The most specific entry: one for this pairing, then one for this configuration, then this transport, then one naming the case, then one naming a requirement; the first server's before the second's. */
function entryFor(profiles: RunProfiles, r: CaseResult): ProfileEntry | undefined {
  const all = (["a", "b"] as const).flatMap((role) => (profiles[role]?.entries ?? []).filter((e) => entryCovers(e, r, role, profiles)));
  return all.find((e) => e.pairing) ?? all.find((e) => e.config) ?? all.find((e) => e.transport) ?? all.find((e) => e.case) ?? all[0];
}

/** The requirements a case fails (fail: at MUST, warn: at SHOULD), by what its steps showed of each. */
function failing(r: CaseResult): RequirementResult[] {
  return (r.requirementResults ?? []).filter((q) => q.verdict === "fail" || q.verdict === "warn");
}

/**
 * What of the case's failure the entry does not document: a requirement it does not cite, or one it cites
 * failing above its level (a fail where it documents a warning). Empty: the entry covers the whole failure.
 */
export function beyondEntry(entry: ProfileEntry, r: CaseResult): RequirementResult[] {
  const { requirements, level } = entry.documents;
  return failing(r).filter((q) => !requirements.includes(q.id) || (q.verdict === "fail" && level !== "MUST"));
}

/**
 * Whether the case judged what the entry documents: one of its requirements was checked and held (a step that
 * ran, not one an `after:` or an earlier failure left unreached). A pass that judged none of them says nothing of
 * the deviation, so it is neither an xpass nor a sign the entry is stale. Results without per-requirement
 * verdicts (older files) count as judged. Reads raw verdicts or verdicts under the entry (pass or xpass).
 */
export function judgedDocumented(entry: ProfileEntry, r: CaseResult): boolean {
  if (!r.requirementResults) return true;
  return r.requirementResults.some((q) => entry.documents.requirements.includes(q.id) && (q.verdict === "pass" || q.verdict === "xpass"));
}

/** A requirement's verdict under the entry: what it documents is xfail when broken (within the level), xpass when it held. */
function requirementUnder(entry: ProfileEntry, q: RequirementResult): RequirementResult {
  if (!entry.documents.requirements.includes(q.id)) return q;
  if (q.verdict === "warn" || (q.verdict === "fail" && entry.documents.level === "MUST")) return { ...q, verdict: "xfail" };
  if (q.verdict === "pass") return entry.intermittent ? q : { ...q, verdict: "xpass" };
  return q;
}

/**
 * The verdict in the light of the server's profile: a case the profile expects to fail is xfail when it fails
 * or warns as the entry documents (its requirements, at most at its level), and xpass when it passes (the
 * profile is out of date). A failure beyond the entry (another requirement, or a fail where it documents a
 * warning) keeps its verdict, and its reason says what the entry does not cover. Errors and skips stay as
 * they are: a profile documents the server, never the harness or the set-up.
 */
export function applyProfile(r: CaseResult, profiles: RunProfiles | undefined): CaseResult {
  const entry = profiles && entryFor(profiles, r);
  if (!entry || !["pass", "fail", "warn"].includes(r.verdict)) return r;
  const source = `${path.relative(process.cwd(), entry.pos.file)}:${entry.pos.line}`;
  const deviation = { source, reason: entry.reason, ...(entry.link && { link: entry.link }), verdict: r.verdict };
  const requirementResults = r.requirementResults?.map((q) => requirementUnder(entry, q));
  const under = { ...r, deviation, ...(requirementResults && { requirementResults }) };
  if (r.verdict === "pass" && !judgedDocumented(entry, r))
    return { ...under, reason: `passed without judging what ${source} documents (${entry.documents.requirements.join(", ")} not reached)` };
  if (r.verdict === "pass" && entry.intermittent) return { ...under, reason: `passed; ${source} documents a deviation this server shows in some runs only (${entry.reason})` };
  if (r.verdict === "pass") return { ...under, verdict: "xpass", reason: `passed, but ${source} expects it to fail (${entry.reason}): update the profile` };
  const beyond = beyondEntry(entry, r);
  if (beyond.length > 0) {
    const what = beyond.map((q) => `${q.id} ${q.verdict === "fail" ? "at MUST" : "at SHOULD"}`).join(", ");
    return { ...under, reason: `fails beyond its known deviation (${source} documents ${entry.documents.requirements.join(", ")} at ${entry.documents.level}): ${what}; ${r.reason ?? ""}`.trim() };
  }
  return { ...under, verdict: "xfail", reason: `known deviation (${source}): ${entry.reason}` };
}
