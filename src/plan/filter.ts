import path from "node:path";
import { existsSync } from "node:fs";
import type { Scenario } from "../scenario/types.ts";

export interface Selection {
  /** Scenario ids, or requirement IDs, named on the command line (paths are handled by the loader). */
  ids: string[];
  grep?: string;
  tags: string[];
}

/** Splits `run` arguments into paths (files, folders) and ids. */
export function splitArgs(args: string[]): { paths: string[]; ids: string[] } {
  const paths = args.filter((a) => existsSync(a) || /\.ya?ml$/.test(a) || a.includes(path.sep));
  return { paths, ids: args.filter((a) => !paths.includes(a)) };
}

/** The cases to run: named ids (scenario or requirement), --grep on id and title, --tag (any of). */
export function select(all: Scenario[], sel: Selection): { plan: Scenario[]; unknownIds: string[] } {
  const unknownIds = sel.ids.filter((id) => !all.some((s) => s.id === id || s.requirements.includes(id)));
  const re = sel.grep ? new RegExp(sel.grep, "i") : undefined;
  const plan = all.filter(
    (s) =>
      (sel.ids.length === 0 || sel.ids.some((id) => s.id === id || s.requirements.includes(id))) &&
      (!re || re.test(s.id) || re.test(s.title)) &&
      (sel.tags.length === 0 || sel.tags.some((t) => s.tags.includes(t))),
  );
  return { plan, unknownIds };
}
