import type { ServerConfig } from "../results/schema.ts";
import type { SourcePos } from "../scenario/types.ts";

/** How a run's sessions reach the server, as a profile entry names it. */
export type Transport = "tcp" | "websocket" | "bosh";

/** A server's known deviations from the RFC (profiles/<server>-<version>.yaml), after loading. */
export interface Profile {
  file: string;
  server: string;
  version: string;
  entries: ProfileEntry[];
}

/** One observed deviation: the cases it covers (a scenario id, with all its matrix cells, or a requirement ID) and why they fail. */
export interface ProfileEntry {
  case?: string;
  requirement?: string;
  /**
   * What the entry documents, and no more: these requirements failing, at most at `level` (MUST: a fail, SHOULD:
   * a warning). A case it covers that fails any other requirement, or one of these above the level, keeps its
   * verdict: a new failure, with or without a baseline.
   */
  documents: { requirements: string[]; level: "MUST" | "SHOULD" };
  reason: string;
  link?: string;
  /** The stanza the server sent instead: the entry's evidence. */
  observed?: string;
  /**
   * The server shows the deviation in most runs, not all (a race inside it): a run where the case passes is a pass,
   * not an xpass that would call the profile out of date.
   */
  intermittent?: boolean;
  /** Set on drafts ('profile init'): what a person must still check before the entry can be trusted. */
  review?: string;
  /**
   * Cross-domain variants (ID@cross): the deviation shows when the profile's server is the user's (a), the
   * contact's (b, the second of a pair), or either. An entry naming a single-server case then covers its
   * variant too; one naming a variant is side a unless it says; without it, variants are not covered.
   */
  side?: "a" | "b" | "both";
  /** Only on this pairing of servers, first+second (software names in lower case, e.g. "prosody+ejabberd"). */
  pairing?: string;
  /** Only on a server the harness started with this configuration (its own, or the package's as shipped). */
  config?: ServerConfig;
  /** Only when the run's sessions reach the server over this transport (a deviation of the server's BOSH or WebSocket code). */
  transport?: Transport;
  pos: SourcePos;
}
