import type { Profile } from "./types.ts";

/** "23.01" < "23.10" < "24.2"; "0.12" < "0.12.3". */
function compareVersions(a: string, b: string): number {
  const pa = a.split(/\D+/).filter(Boolean).map(Number);
  const pb = b.split(/\D+/).filter(Boolean).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** Written for a server that does not say its version: the profile covers every version of that server. */
export const ANY_VERSION = "*";

/** A profile for "23.01" covers 23.01, 23.01-1 (Debian's) and 23.01.2, not 23.010; one for "*" every version. */
const covers = (profileVersion: string, version: string) =>
  profileVersion === ANY_VERSION || version === profileVersion || (version.startsWith(profileVersion) && /^\D/.test(version.slice(profileVersion.length)));

/**
 * --profile auto: the profile of this server software and version;
 * without one, the newest profile of that server, with a note saying so.
 */
export function pickProfile(profiles: Profile[], software: { name: string; version: string } | undefined): { profile?: Profile; note?: string } {
  if (!software) return { note: "the server did not say what software it is (no XEP-0092, no disco#info identity name): no profile applied" };
  const mine = profiles.filter((p) => p.server.toLowerCase() === software.name.toLowerCase()).sort((a, b) => compareVersions(b.version, a.version));
  // A release's profile is no guess to make for a server that does not say its release: only one for every version applies.
  if (!software.version) {
    const any = mine.find((p) => p.version === ANY_VERSION);
    return any ? { profile: any } : { note: `${software.name} did not say its version (no XEP-0092): no profile applied, the verdicts are raw (--profile FILE applies one)` };
  }
  const exact = mine.find((p) => covers(p.version, software.version));
  if (exact) return { profile: exact };
  if (mine.length === 0) return { note: `no profile for ${software.name}: no profile applied, the verdicts are raw` };
  return { profile: mine[0], note: `no profile for ${software.name} ${software.version}: using the newest for ${software.name}, ${mine[0].version} (${mine[0].file})` };
}
