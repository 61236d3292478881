import type { SourcePos } from "../scenario/types.ts";

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
  reason: string;
  link?: string;
  /** The stanza the server sent instead: the entry's evidence. */
  observed?: string;
  /** Set on drafts ('profile init'): what a person must still check before the entry can be trusted. */
  review?: string;
  pos: SourcePos;
}
