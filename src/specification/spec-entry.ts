import { existsSync, readFileSync } from "node:fs";
import { packageFile } from "../suite-files.ts";
/**
 * A specification the project knows: its text in spec/texts/ (what quotes are checked against) and, when cases
 * check it, a requirement catalog in spec/. The families (src/families/) declare theirs with rfc() and xep();
 * the registry (registry.ts) gathers them.
 */
export interface SpecEntry {
  /** "rfc6120", "xep-0280": what scenarios, catalogs and results call it. */
  id: string;
  /** How people name it: "RFC 6120". */
  name: string;
  title: string;
  kind: "rfc" | "xep";
  /** The date (an RFC) or version and date (a XEP) of the text in spec/texts/. */
  version: string;
  /** Its plain text (relative to the repository, or absolute): section headings as "4.8.1.  Title". */
  text: string;
  /** Its requirement catalog (relative to the repository, or absolute), when cases check it. */
  catalog?: string;
  /** The published page of a section: "2.3.2" → …#section-2.3.2, "A.2.1" → …#appendix-A.2.1. */
  url: (section?: string) => string;
}

export const rfcUrl = (n: string) => (section?: string) => `https://www.rfc-editor.org/rfc/rfc${n}${section ? `#${/^[A-Z]/.test(section) ? "appendix" : "section"}-${section}` : ""}`;

/** An RFC: `catalog` when cases check it (else only quoted). */
export const rfc = (n: string, title: string, version: string, catalog: boolean): SpecEntry => ({
  id: `rfc${n}`,
  name: `RFC ${n}`,
  title,
  kind: "rfc",
  version,
  text: `spec/texts/rfc${n}.txt`,
  ...(catalog && { catalog: `spec/rfc${n}-requirements.md` }),
  url: rfcUrl(n),
});

/**
 * A XEP's published page: its sections' anchors are names of the source's choosing, written beside its text
 * (spec/texts/xep-NNNN.anchors.json, by tools/write-texts.ts); a section without one links to the page.
 */
export const xep = (n: string, title: string, version: string, catalog: boolean): SpecEntry => {
  let anchors: Record<string, string> | undefined;
  const anchorOf = (section: string) => {
    const file = packageFile(`spec/texts/xep-${n}.anchors.json`);
    anchors ??= existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
    return anchors[section];
  };
  return {
    id: `xep-${n}`,
    name: `XEP-${n}`,
    title,
    kind: "xep",
    version,
    text: `spec/texts/xep-${n}.txt`,
    ...(catalog && { catalog: `spec/xep-${n}-requirements.md` }),
    url: (section) => {
      const anchor = section && anchorOf(section);
      return `https://xmpp.org/extensions/xep-${n}.html${anchor ? `#${anchor}` : ""}`;
    },
  };
};
