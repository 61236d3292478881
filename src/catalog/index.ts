import { readFileSync } from "node:fs";
import { catalogSpecs, onRegister, specFile } from "../specification/registry.ts";
import { buildCatalog } from "./parse.ts";
import type { Catalog, Requirement } from "./types.ts";

export type { Area, Catalog, Observable, Requirement } from "./types.ts";

/**
 * The requirement catalogs, one per specification of the registry that has one, read from their Markdown
 * (spec/<spec>-requirements.md) when first asked for. A catalog whose tables and summary disagree stops the
 * harness with the reason (the tests keep the shipped ones right).
 */
let cache: Map<string, Catalog> | undefined;

/** A requirement catalog that cannot be read: the command says which file and why, with no stack trace. */
export class CatalogError extends Error {}

let byId: Map<string, Requirement> | undefined;
onRegister(() => {
  cache = undefined;
  byId = undefined;
});

function load(): Map<string, Catalog> {
  cache ??= new Map(
    catalogSpecs().map((s) => {
      const file = specFile(s.catalog!);
      try {
        return [s.id, buildCatalog(readFileSync(file, "utf8"), file)];
      } catch (err) {
        throw new CatalogError(`${file}: ${(err as Error).message}`);
      }
    }),
  );
  return cache;
}

/** Every catalog by its specification's id, in the registry's order. */
export const catalogs = (): ReadonlyMap<string, Catalog> => load();

/** One specification's catalog. */
export function catalogOf(spec: string): Catalog {
  const c = load().get(spec);
  if (!c) throw new Error(`no requirement catalog for '${spec}' (src/specification/registry.ts)`);
  return c;
}

/** A requirement of any catalog by its ID; IDs are unique across the catalogs (their areas share no prefix). */
export function findRequirement(id: string): Requirement | undefined {
  byId ??= new Map([...load().values()].flatMap((c) => c.requirements.map((r) => [r.id, r] as const)));
  return byId.get(id);
}
