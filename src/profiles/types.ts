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
  pos: SourcePos;
}
