import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The specifications the project knows, in one place: each has its text in spec/texts/ (what quotes are
 * checked against) and, when cases check it, a requirement catalog in spec/. A specification without a
 * catalog (RFC 7622) is only quoted: another catalog's rows cite it. Loading, traceability, coverage and every
 * report take names, links and catalogs from here: adding a specification is its text, its catalog, its
 * scenarios and one entry below (or registerSpec, for a library user's own).
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

/** A XEP's published page: its sections' anchors are names of the source's choosing, so a section links to the page. */
const xep = (n: string, title: string, version: string, catalog: boolean): SpecEntry => ({
  id: `xep-${n}`,
  name: `XEP-${n}`,
  title,
  kind: "xep",
  version,
  text: `spec/texts/xep-${n}.txt`,
  ...(catalog && { catalog: `spec/xep-${n}-requirements.md` }),
  url: () => `https://xmpp.org/extensions/xep-${n}.html`,
});

const REGISTRY: SpecEntry[] = [
  rfc("6120", "Extensible Messaging and Presence Protocol (XMPP): Core", "March 2011", true),
  rfc("6121", "Extensible Messaging and Presence Protocol (XMPP): Instant Messaging and Presence", "March 2011", true),
  rfc("7622", "Extensible Messaging and Presence Protocol (XMPP): Address Format", "September 2015", false),
  xep("0280", "Message Carbons", "1.0.1 (2021-12-26)", true),
  xep("0313", "Message Archive Management", "1.1.3 (2025-04-09)", true),
  xep("0059", "Result Set Management", "1.0 (2006-09-20)", true),
  xep("0359", "Unique and Stable Stanza IDs", "0.7.0 (2023-02-20)", true),
  xep("0191", "Blocking Command", "1.3 (2015-03-12)", true),
  xep("0054", "vcard-temp", "1.3.0 (2024-06-27)", true),
  xep("0049", "Private XML Storage", "1.2 (2004-03-01)", true),
  xep("0077", "In-Band Registration", "2.4 (2012-01-25)", true),
  xep("0199", "XMPP Ping", "2.0.1 (2019-03-26)", true),
  xep("0092", "Software Version", "1.1 (2007-02-15)", true),
  xep("0012", "Last Activity", "2.0 (2008-11-26)", true),
  xep("0202", "Entity Time", "2.0 (2009-09-11)", true),
  xep("0297", "Stanza Forwarding", "1.0 (2013-10-02)", false),
  xep("0334", "Message Processing Hints", "1.0.0 (2024-04-17)", false),
  xep("0203", "Delayed Delivery", "2.0 (2009-09-15)", false),
  xep("0082", "XMPP Date and Time Profiles", "1.1.1 (2021-08-31)", false),
  xep("0030", "Service Discovery", "2.5.0 (2024-04-30)", true),
  xep("0115", "Entity Capabilities", "1.6.0 (2022-03-08)", true),
  xep("0163", "Personal Eventing Protocol", "1.2.2 (2022-02-16)", true),
  xep("0060", "Publish-Subscribe", "1.30.0 (2025-11-11)", true),
  xep("0223", "Persistent Storage of Private Data via PubSub", "1.1.1 (2023-03-23)", true),
  xep("0402", "PEP Native Bookmarks", "1.2.0 (2024-08-15)", true),
  xep("0048", "Bookmarks", "1.2 (2020-08-04)", true),
  xep("0084", "User Avatar", "1.1.4 (2019-09-20)", true),
  xep("0398", "User Avatar to vCard-Based Avatars Conversion", "1.0.0 (2024-05-06)", true),
  xep("0153", "vCard-Based Avatars", "1.1.1 (2024-06-10)", true),
  xep("0215", "External Service Discovery", "1.0.0 (2022-08-23)", true),
  xep("0128", "Service Discovery Extensions", "1.0.1 (2019-07-30)", false),
  xep("0004", "Data Forms", "2.13.2 (2024-08-30)", false),
];

/** Every specification, in the registry's order (the order the reports show them in). */
export const specs = (): readonly SpecEntry[] => REGISTRY;

/** The specifications cases check: those with a requirement catalog. */
export const catalogSpecs = (): SpecEntry[] => REGISTRY.filter((s) => s.catalog);

/** Adds a specification (a library user's own, a test's fixture): its paths absolute or relative to the repository. */
export function registerSpec(entry: SpecEntry): void {
  if (REGISTRY.some((s) => s.id === entry.id)) throw new Error(`a specification '${entry.id}' is already registered`);
  REGISTRY.push(entry);
  for (const listener of listeners) listener();
}

const listeners: (() => void)[] = [];
/** Called after registerSpec, for what caches a view of the registry (the catalogs). */
export const onRegister = (listener: () => void) => void listeners.push(listener);

/** A specification by its id ("rfc6120") or the way texts name it ("RFC 6120", "XEP-0280"). */
export function findSpec(name: string): SpecEntry | undefined {
  const id = name.toLowerCase().replace(/^rfc\s*/, "rfc").replace(/^xep[\s-]*/, "xep-");
  return REGISTRY.find((s) => s.id === id);
}

/** How people name a specification by its id: "RFC 6121", "XEP-0280" (also one the registry lacks yet). */
export const specName = (id: string) => findSpec(id)?.name ?? id.replace(/^rfc(\d+)$/, "RFC $1").replace(/^xep-(\d+)$/, "XEP-$1");

/** The published page of a section of a specification (of the specification, for one the registry lacks yet). */
export const sectionUrl = (id: string, section?: string) =>
  findSpec(id)?.url(section) ?? (/^rfc\d+$/.test(id) ? rfcUrl(id.slice(3))() : /^xep-\d+$/.test(id) ? `https://xmpp.org/extensions/${id}.html` : "");

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Where a registry path is on disk. */
export const specFile = (p: string) => (path.isAbsolute(p) ? p : path.join(ROOT, p));
