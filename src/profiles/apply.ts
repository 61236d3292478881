import path from "node:path";
import type { CaseResult, RequirementResult } from "../results/schema.ts";
import { covers } from "../scenario/ids.ts";
import type { Profile, ProfileEntry } from "./types.ts";

const cites = (r: CaseResult, requirement: string) => r.requirements.includes(requirement) || r.failures.some((f) => f.requirements.includes(requirement));

/** Whether a profile entry speaks about this case: it names the case (or its scenario), or a requirement the case cites. */
export const entryCovers = (e: ProfileEntry, r: CaseResult) => Boolean((e.case && covers(e.case, r.id)) || (e.requirement && cites(r, e.requirement)));

/** Entries naming the case come before entries naming a requirement. */
function entryFor(profile: Profile, r: CaseResult): ProfileEntry | undefined {
  return profile.entries.find((e) => e.case && entryCovers(e, r)) ?? profile.entries.find((e) => e.requirement && entryCovers(e, r));
}

/** A requirement's verdict under the entry: what it documents as broken is xfail when broken, xpass when not. */
function requirementUnder(entry: ProfileEntry, q: RequirementResult): RequirementResult {
  const documented = entry.case !== undefined || entry.requirement === q.id;
  if (!documented) return q;
  if (q.verdict === "fail" || q.verdict === "warn") return { ...q, verdict: "xfail" };
  if (q.verdict === "pass" && entry.requirement === q.id) return { ...q, verdict: "xpass" };
  return q;
}

/**
 * The verdict in the light of the server's profile: a case the profile expects to fail is xfail when it
 * fails or warns, and xpass when it passes (the profile is out of date). Errors and skips stay as they
 * are: a profile documents the server, never the harness or the set-up.
 */
export function applyProfile(r: CaseResult, profile: Profile | undefined): CaseResult {
  const entry = profile && entryFor(profile, r);
  if (!entry || !["pass", "fail", "warn"].includes(r.verdict)) return r;
  const source = `${path.relative(process.cwd(), entry.pos.file)}:${entry.pos.line}`;
  const deviation = { source, reason: entry.reason, ...(entry.link && { link: entry.link }), verdict: r.verdict };
  const requirementResults = r.requirementResults?.map((q) => requirementUnder(entry, q));
  const under = { ...r, deviation, ...(requirementResults && { requirementResults }) };
  if (r.verdict === "pass") return { ...under, verdict: "xpass", reason: `passed, but ${source} expects it to fail (${entry.reason}): update the profile` };
  return { ...under, verdict: "xfail", reason: `known deviation (${source}): ${entry.reason}` };
}
