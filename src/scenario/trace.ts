import { findRequirement } from "../catalog/index.ts";
import type { Path } from "../util/yaml-file.ts";

/**
 * Traceability: every requirement ID a scenario cites is in a catalog, and the case's section is where one of
 * its requirements is stated in the case's own specification (or a section above it). A case that cannot be traced to the RFC text
 * does not load, for `validate` and `run` alike.
 */
export interface TraceIssue {
  /** Where in the scenario document (the path below the document root). */
  path: Path;
  message: string;
}

/** Every `requirements:` list in a scenario document (its own and every step's, also inside "one of"). */
function* citations(value: unknown, path: Path): Generator<{ id: unknown; path: Path }> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* citations(v, [...path, i]);
  } else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "requirements" && Array.isArray(v)) for (const [j, id] of v.entries()) yield { id, path: [...path, key, j] };
      else yield* citations(v, [...path, key]);
    }
  }
}

const isAtOrBelow = (section: string, above: string) => section === above || section.startsWith(`${above}.`);

/** The sections of the case's own specification its requirements are stated in (rows of the delivery tables name their rule's too). */
function sectionsOf(ids: string[], spec: string): string[] {
  return ids
    .flatMap((id) => findRequirement(id))
    .filter((r) => r !== undefined && r.statedIn === spec)
    .flatMap((r) => r!.sections);
}

/** The first traceability problem of a scenario document (matrix placeholders already filled in), if any. */
export function traceIssue(doc: { spec?: string; section?: string; rfc?: string; requirements: string[] }, raw: unknown): TraceIssue | undefined {
  const key = doc.section ? "section" : "rfc";
  const section = (doc.section ?? doc.rfc)!;
  for (const { id, path } of citations(raw, [])) {
    if (typeof id === "string" && !findRequirement(id)) {
      return { path, message: `${path.join(".")}: ${id} is not a requirement of any catalog (spec/*-requirements.md; 'xmpp-conform coverage' lists the cited ones)` };
    }
  }
  const sections = sectionsOf(doc.requirements, doc.spec ?? "rfc6121");
  // A case citing only rules another specification states (an RFC 6121 case citing RFC 6120's stanza errors) has no section of its own to agree with.
  if (sections.length > 0 && !sections.some((s) => isAtOrBelow(s, section))) {
    const stated = doc.requirements.map((id) => `${id} §${findRequirement(id)!.sections.join("/")}`).join(", ");
    return { path: [key], message: `${key}: §${section} is not the section of a requirement the case cites, nor above one (${stated})` };
  }
  return undefined;
}
