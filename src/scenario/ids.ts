import { outcomesOf } from "./kinds.ts";
import type { Scenario, Step } from "./types.ts";

/** The suffix of a cross-domain variant's id (src/plan/cross-domain.ts): one separator no scenario id uses. */
export const CROSS = "@cross";

export const isVariantId = (id: string) => id.endsWith(CROSS);

/** The case a variant was made from (the id itself for a single-server case). */
export const baseId = (id: string) => (isVariantId(id) ? id.slice(0, -CROSS.length) : id);

/**
 * How cases are named: a matrix cell's id is its scenario's id, '/', the cell ("presence-priority-echo/7"),
 * so a scenario id names every cell of its matrix. A cross-domain variant is its case's id and "@cross"
 * ("presence-priority-echo/7@cross"): a name without "@cross" covers the cases and their variants, a name
 * with it ("presence-priority-echo@cross") only the variants.
 */
export function covers(name: string, caseId: string): boolean {
  if (caseId === name) return true;
  if (isVariantId(name) && !isVariantId(caseId)) return false;
  const [n, c] = [baseId(name), baseId(caseId)];
  return c === n || c.startsWith(`${n}/`);
}

/** The requirement IDs a case cites: its own and its steps', including the steps inside "one of" alternatives and the outcomes of a single check. */
export function citations(sc: Scenario): string[] {
  const ids = new Set(sc.requirements);
  const visit = (steps: Step[]) => {
    for (const step of steps) {
      for (const id of step.requirements ?? []) ids.add(id);
      for (const id of (outcomesOf(step) ?? []).flatMap((o) => o.requirements ?? [])) ids.add(id);
      if (step.kind === "one-of") for (const alt of step.alternatives) visit(alt.steps);
    }
  };
  visit(sc.steps);
  return [...ids];
}
