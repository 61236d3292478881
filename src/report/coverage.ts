import { citations } from "../scenario/ids.ts";
import type { Scenario } from "../scenario/types.ts";
import type { Catalog, Requirement } from "../catalog/types.ts";

export interface AreaCoverage {
  area: string;
  /** Client-observable (yes or partly) requirements; rows with cells count through their cells. */
  observable: number;
  covered: number;
  /** null where the area has nothing a client can observe (the conformance list). */
  percent: number | null;
}

export interface Coverage {
  spec: string;
  /** Every ID of this catalog the suite cites, with the cases that cite it. */
  cited: { id: string; requirement: Requirement; cases: string[] }[];
  /** Client-observable requirements no case cites yet. */
  uncovered: Requirement[];
  areas: AreaCoverage[];
  total: AreaCoverage;
}

const percent = (covered: number, of: number) => (of === 0 ? null : Math.round((covered / of) * 1000) / 10);

/** Each cited ID with the cases citing it, in suite order. */
function casesById(suite: Scenario[]): Map<string, string[]> {
  const casesOf = new Map<string, string[]>();
  for (const sc of suite) for (const id of citations(sc)) casesOf.set(id, [...(casesOf.get(id) ?? []), sc.id]);
  return casesOf;
}

/** Which requirements of one catalog the suite cites, and how much of what a client can observe it covers, per area. */
export function coverageOf(suite: Scenario[], catalog: Catalog): Coverage {
  const casesOf = casesById(suite);
  const byId = new Map(catalog.requirements.map((r) => [r.id, r]));
  const cited = [...casesOf].flatMap(([id, cases]) => (byId.has(id) ? [{ id, requirement: byId.get(id)!, cases }] : [])).sort((a, b) => a.id.localeCompare(b.id));

  // A row that has cells is tested through them (the catalog names cells "<row>/<type>"), so its cells are the units.
  const withCells = new Set(catalog.requirements.flatMap((r) => (r.cellOf ? [r.cellOf] : [])));
  const units = catalog.requirements.filter((r) => (r.observable === "yes" || r.observable === "partly") && !withCells.has(r.id));
  const tally = (area: string, reqs: Requirement[]): AreaCoverage => {
    const covered = reqs.filter((r) => casesOf.has(r.id)).length;
    return { area, observable: reqs.length, covered, percent: percent(covered, reqs.length) };
  };
  return {
    spec: catalog.spec,
    cited,
    uncovered: units.filter((r) => !casesOf.has(r.id)),
    areas: catalog.areas.map((a) =>
      tally(
        a.name,
        units.filter((r) => r.area === a.name),
      ),
    ),
    total: tally("total", units),
  };
}

export interface SuiteCoverage {
  /** One per specification with a catalog, in the registry's order. */
  specs: Coverage[];
  /** IDs the suite cites that no catalog has (a typo, or a catalog row still to write). */
  unknown: { id: string; cases: string[] }[];
}

/** Coverage of every catalog, and the cited IDs none of them knows. */
export function coverageBySpec(suite: Scenario[], catalogs: ReadonlyMap<string, Catalog>): SuiteCoverage {
  const known = new Set([...catalogs.values()].flatMap((c) => c.requirements.map((r) => r.id)));
  const unknown = [...casesById(suite)]
    .filter(([id]) => !known.has(id))
    .map(([id, cases]) => ({ id, cases }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return { specs: [...catalogs.values()].map((c) => coverageOf(suite, c)), unknown };
}
