import path from "node:path";
import { packageFile } from "../suite-files.ts";
import { FAMILIES } from "../families/index.ts";
import { rfcUrl, type SpecEntry } from "./spec-entry.ts";

export type { SpecEntry } from "./spec-entry.ts";

/**
 * The specifications the project knows, in one place: each family (src/families/) declares its own, with its
 * text in spec/texts/ (what quotes are checked against) and, when cases check it, a requirement catalog in
 * spec/. A specification without a catalog (RFC 7622) is only quoted: another catalog's rows cite it. Loading,
 * traceability, coverage and every report take names, links and catalogs from here; a library user's own
 * specification comes in with registerSpec.
 */
const REGISTRY: SpecEntry[] = FAMILIES.flatMap((f) => f.specs);

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
  const id = name
    .toLowerCase()
    .replace(/^rfc\s*/, "rfc")
    .replace(/^xep[\s-]*/, "xep-");
  return REGISTRY.find((s) => s.id === id);
}

/** How people name a specification by its id: "RFC 6121", "XEP-0280" (also one the registry lacks yet). */
export const specName = (id: string) => findSpec(id)?.name ?? id.replace(/^rfc(\d+)$/, "RFC $1").replace(/^xep-(\d+)$/, "XEP-$1");

/** The published page of a section of a specification (of the specification, for one the registry lacks yet). */
export const sectionUrl = (id: string, section?: string) =>
  findSpec(id)?.url(section) ?? (/^rfc\d+$/.test(id) ? rfcUrl(id.slice(3))() : /^xep-\d+$/.test(id) ? `https://xmpp.org/extensions/${id}.html` : "");

/** Where a registry path is on disk. */
export const specFile = (p: string) => (path.isAbsolute(p) ? p : packageFile(p));
