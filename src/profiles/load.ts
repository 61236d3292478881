import { readdirSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { withCrossDomain } from "../plan/cross-domain.ts";
import { covers, isVariantId } from "../scenario/ids.ts";
import type { Scenario } from "../scenario/types.ts";
import { ServerConfig } from "../results/schema.ts";
import { FileError, readYamlFile } from "../util/yaml-file.ts";
import type { Profile } from "./types.ts";

/**
 * An entry documents a real, observed deviation, never a harness problem: the reason, and either a link
 * (a bug report, the server's documentation) or the RFC text it breaks together with the stanza observed.
 */
const Entry = z
  .strictObject({
    case: z.string().regex(/^[a-z0-9][a-z0-9.+/_-]*(@cross)?$/, "expected a scenario id (or one cell of its matrix, id/value), with @cross for its cross-domain variant").optional(),
    requirement: z.string().regex(/^[A-Z]+(?:-[A-Z0-9]+)+(?:\/[a-z]+)?$/, "expected a requirement ID like ROSTER-PUSH-02").optional(),
    requirements: z
      .array(z.string().regex(/^[A-Z]+(?:-[A-Z0-9]+)+(?:\/[a-z]+)?$/, "expected a requirement ID like ROSTER-PUSH-02"))
      .min(1)
      .optional()
      .describe("what a case entry documents: the requirements the case fails (the others it must not fail)"),
    level: z.enum(["MUST", "SHOULD"]).optional().describe("the strongest failure of them it documents: MUST (a fail), SHOULD (a warning only)"),
    reason: z.string().min(1),
    rfc: z.string().min(1).optional().describe("the RFC text the server breaks, quoted"),
    observed: z.string().min(1).optional().describe("what the server sent instead"),
    link: z.string().url().optional(),
    intermittent: z.boolean().optional().describe("the server shows the deviation in most runs, not all (a race inside it): a pass is then a pass, not an xpass"),
    review: z.string().min(1).optional().describe("a draft's note of what a person must still check; delete it once checked"),
    side: z
      .enum(["a", "b", "both"])
      .optional()
      .describe("cross-domain variants: the deviation shows when this server is the user's (a), the contact's (b) or either; an entry naming a single-server case then covers its variant too"),
    pairing: z.string().regex(/^[a-z0-9]+\+[a-z0-9]+$/, "expected first+second, the servers' names in lower case, like prosody+ejabberd").optional(),
    config: ServerConfig.optional().describe("only on a server the harness started so: its own configuration, or the package's as shipped"),
    transport: z.enum(["tcp", "websocket", "bosh"]).optional().describe("only when the run's sessions reach the server over this transport: a deviation of its BOSH or WebSocket code"),
  })
  .refine((e) => e.pairing === undefined || e.side !== undefined || (e.case !== undefined && isVariantId(e.case)), "pairing is for cross-domain variants: name one (case: ID@cross) or say the side")
  .refine((e) => Boolean(e.case) !== Boolean(e.requirement), "expected exactly one of case, requirement")
  .refine((e) => !e.case || (e.requirements && e.level), "a case entry documents what it cites and no more: expected requirements (those the case fails) and level (MUST: a fail, SHOULD: a warning)")
  .refine((e) => !e.requirement || !e.requirements, "a requirement entry documents its requirement: no requirements list")
  .refine((e) => Boolean(e.link) || Boolean(e.rfc && e.observed), "expected a link, or the RFC text (rfc) and the stanza the server sent (observed)");

const ProfileFile = z.strictObject({
  server: z.string().min(1),
  version: z.string().min(1),
  description: z.string().optional(),
  deviations: z.array(Entry),
});

/** Reads and checks a profile file; problems are FileErrors at file:line:col. */
export function loadProfile(file: string): Profile {
  const { data, at } = readYamlFile(file, ProfileFile);
  const entries = data.deviations.map((e, i) => ({
    ...(e.case && { case: e.case }),
    ...(e.requirement && { requirement: e.requirement }),
    documents: { requirements: e.requirements ?? [e.requirement!], level: e.level ?? "MUST" },
    reason: e.reason.trim(),
    ...(e.link && { link: e.link }),
    ...(e.observed && { observed: e.observed }),
    ...(e.intermittent && { intermittent: true }),
    ...(e.review && { review: e.review }),
    ...(e.side && { side: e.side }),
    ...(e.pairing && { pairing: e.pairing }),
    ...(e.config && { config: e.config }),
    ...(e.transport && { transport: e.transport }),
    pos: at(["deviations", i]),
  }));
  return { file, server: data.server, version: String(data.version), entries };
}

/** The shipped profiles (or those of another folder), every one checked. */
export function loadProfiles(dir: string): Profile[] {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => loadProfile(path.join(dir, f)));
}

/** Entries that name no scenario (or cross-domain variant) or requirement of the suite: a typo would otherwise expect nothing. */
export function unknownEntries(profile: Profile, suite: Scenario[]): FileError[] {
  const all = withCrossDomain(suite.filter((s) => !s.variant));
  return profile.entries
    .filter((e) => !all.some((s) => (e.case && covers(e.case, s.id)) || (e.requirement && s.requirements.includes(e.requirement))))
    .map((e) => new FileError(e.pos, e.case ? `no scenario '${e.case}' in the suite${isVariantId(e.case) ? " (or it has no cross-domain variant: see 'xmpp-conform list --cross-domain')" : ""}` : `no scenario cites requirement ${e.requirement}`));
}
