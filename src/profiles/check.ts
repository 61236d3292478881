import path from "node:path";
import { observed } from "../results/diff.ts";
import type { RunResult } from "../results/schema.ts";
import { entryCovers, judgedDocumented, pairingOf, transportOf, type Role } from "./apply.ts";
import type { Profile, ProfileEntry } from "./types.ts";

/**
 * `profile check RESULTS`: the entries of a profile a run shows to be out of date or unfinished. Problems:
 * stale (every case it covers passed in this run, before any profile, and judged what it documents), no evidence (no `observed` stanza),
 * under review (a draft's `review` line is still there). Notes: entries this run says nothing about.
 */
export interface EntryFinding {
  entry: ProfileEntry;
  kind: "stale" | "no-evidence" | "under-review" | "not-run" | "not-observed";
  detail: string;
}

export const PROBLEMS: EntryFinding["kind"][] = ["stale", "no-evidence", "under-review"];

export function checkProfile(profile: Profile, run: RunResult): EntryFinding[] {
  const out: EntryFinding[] = [];
  // On a pair the profile may have been the second server's (side b of the cross-domain variants), or both servers'.
  const roles: Role[] = run.peerProfile?.file === profile.file ? (run.profile?.file === profile.file ? ["a", "b"] : ["b"]) : ["a"];
  const on = { pairing: pairingOf(run), transport: transportOf(run), ...(run.target.config && { config: run.target.config }) };
  for (const entry of profile.entries) {
    const add = (kind: EntryFinding["kind"], detail: string) => out.push({ entry, kind, detail });
    const covered = run.cases.filter((c) => roles.some((role) => entryCovers(entry, c, role, on)));
    const seen = covered.filter((c) => ["pass", "fail", "warn"].includes(observed(c)));
    if (covered.length === 0) add("not-run", "no case of this run is covered by it");
    else if (seen.length === 0) add("not-observed", `its cases errored or were skipped in this run (${covered.map((c) => `${c.id}: ${c.verdict}`).join(", ")})`);
    else if (seen.every((c) => observed(c) === "pass" && judgedDocumented(entry, c))) add("stale", `no longer fails: ${seen.map((c) => c.id).join(", ")} passed`);
    if (!entry.observed) add("no-evidence", entry.link ? `only a link (${entry.link}), no 'observed' stanza the server sent` : "no 'observed' stanza the server sent");
    if (entry.review) add("under-review", entry.review);
  }
  return out;
}

/** "profiles/x.yaml:12: stale: no longer fails: a, b passed". */
export function describeFinding(f: EntryFinding): string {
  const rel = path.relative(process.cwd(), f.entry.pos.file);
  return `${rel.startsWith("..") ? f.entry.pos.file : rel}:${f.entry.pos.line}: ${f.entry.case ?? f.entry.requirement}: ${f.kind.replace("-", " ")}: ${f.detail}`;
}
