import type { Scenario, Step } from "./types.ts";

/**
 * How cases are named: a matrix cell's id is its scenario's id, '/', the cell ("presence-priority-echo/7"),
 * so a scenario id names every cell of its matrix.
 */
export const covers = (name: string, caseId: string) => caseId === name || caseId.startsWith(`${name}/`);

/** The requirement IDs a case cites: its own and its steps', including the steps inside "one of" alternatives. */
export function citations(sc: Scenario): string[] {
  const ids = new Set(sc.requirements);
  const visit = (steps: Step[]) => {
    for (const step of steps) {
      for (const id of step.requirements ?? []) ids.add(id);
      if (step.kind === "one-of") for (const alt of step.alternatives) visit(alt.steps);
    }
  };
  visit(sc.steps);
  return [...ids];
}
