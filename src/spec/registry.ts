/**
 * The specifications the project knows, in one place: each has its text in spec/texts/ (what quotes are
 * checked against) and, when cases check it, a requirement catalog in spec/. A specification without a
 * catalog (RFC 7622) is only quoted: another catalog's rows cite it.
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
  /** Its plain text, relative to the repository: section headings as "4.8.1.  Title". */
  text: string;
  /** Its requirement catalog, relative to the repository, when cases check it. */
  catalog?: string;
  /** The published page of a section: "2.3.2" → …#section-2.3.2, "A.2.1" → …#appendix-A.2.1. */
  url: (section?: string) => string;
}

const rfcUrl = (n: string) => (section?: string) =>
  `https://www.rfc-editor.org/rfc/rfc${n}${section ? `#${/^[A-Z]/.test(section) ? "appendix" : "section"}-${section}` : ""}`;

const rfc = (n: string, title: string, version: string, catalog: boolean): SpecEntry => ({
  id: `rfc${n}`,
  name: `RFC ${n}`,
  title,
  kind: "rfc",
  version,
  text: `spec/texts/rfc${n}.txt`,
  ...(catalog && { catalog: `spec/rfc${n}-requirements.md` }),
  url: rfcUrl(n),
});

export const REGISTRY: readonly SpecEntry[] = [
  rfc("6120", "Extensible Messaging and Presence Protocol (XMPP): Core", "March 2011", true),
  rfc("6121", "Extensible Messaging and Presence Protocol (XMPP): Instant Messaging and Presence", "March 2011", true),
  rfc("7622", "Extensible Messaging and Presence Protocol (XMPP): Address Format", "September 2015", false),
];

/** A specification by its id ("rfc6120") or the way texts name it ("RFC 6120", "XEP-0280"). */
export function findSpec(name: string): SpecEntry | undefined {
  const id = name.toLowerCase().replace(/^rfc\s*/, "rfc").replace(/^xep[\s-]*/, "xep-");
  return REGISTRY.find((s) => s.id === id);
}
