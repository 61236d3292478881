import type { Level } from "../specification/levels.ts";

/** Whether a client-only harness (accounts on one domain) can observe the requirement: the catalog's "Client-only?" column. */
export type Observable = "yes" | "partly" | "no" | "n-a";

export interface Requirement {
  /** Catalog ID, e.g. "ROSTER-ADD-01" or "BIND-GEN-01", or a delivery-table cell "DELIVERY-MSG-BARE-2NN/headline". */
  id: string;
  /** The catalog it belongs to: a specification of the registry (src/specification/registry.ts), e.g. "rfc6121". */
  spec: string;
  /** The catalog's area (§1 of the catalog), e.g. "ROSTER", "SEC/GEN". */
  area: string;
  /**
   * The specification whose text states it (mostly the catalog's own; some rows cite another, e.g. rfc6120 in
   * RFC 6121's catalog, rfc7622 in RFC 6120's), and its section there, e.g. "2.3.2" or "A.2.1".
   */
  statedIn: string;
  section: string;
  /** Every section of that specification the row cites (the first is `section`): a case's section must be one of them or above one. */
  sections: string[];
  /** The first keyword of the Level cell (MUST NOT counts as MUST); null where the server role is N/A. */
  level: Level | null;
  /**
   * The strongest keyword the Level cell uses: "SHOULD (reply) / MUST (bare 'from')" is a SHOULD row with a MUST
   * part, and a step checking that part may be a MUST. The same as `level` for a cell with one keyword.
   */
  maxLevel: Level | null;
  /** The weakest keyword the Level cell uses: below maxLevel for a row of mixed levels, whose checks may be about either part. */
  minLevel: Level | null;
  /**
   * The Level cell says "(derived)": the rule is inferred from the RFC, not stated in one of its sentences
   * with a keyword. Such a row is at most SHOULD (the generator refuses more), so a rule the RFC does not state
   * can warn but never fail a server.
   */
  derived: boolean;
  observable: Observable;
  /** One line for people. */
  text: string;
  /** The RFC's own words, as the catalog's Quote column gives them ("…" joins fragments). */
  quote?: string;
  /** Why the level is not the first BCP 14 keyword of the quote: the catalog's "(reviewed: …)" note. */
  reviewed?: string;
  /** The catalog's source line (while reading the Markdown; not in the JSON). */
  line?: number;
  /** For a table cell: the row it belongs to. Rows with cells are tested, and counted for coverage, through their cells. */
  cellOf?: string;
}

export interface Area {
  name: string;
  /** ID prefixes (first dash-separated part) that belong to the area. */
  prefixes: string[];
  scope: string;
}

/** A specification's requirement catalog, read from its Markdown (spec/<spec>-requirements.md) by parse.ts. */
export interface Catalog {
  spec: string;
  source: { file: string; sha256: string };
  areas: Area[];
  requirements: Requirement[];
}
