import { existsSync } from "node:fs";
import { citations, covers } from "../scenario/ids.ts";
import type { Scenario } from "../scenario/types.ts";

/**
 * Case selection as users type it: every argument is a file or folder of scenarios, a case id exactly as
 * the reports print it ("presence-priority-echo/7"), a scenario id (all its matrix cells) or a requirement
 * ID a case cites ("ROSTER-PUSH-02", "DELIVERY-MSG-BARE-2NN/headline").
 */
export interface Selection {
  /** The cases of the files and folders named (those are loaded by the caller). */
  files: Scenario[];
  /** The other arguments: case, scenario or requirement IDs. */
  ids: string[];
  grep?: RegExp;
  tags: string[];
}

/** Arguments that are files or folders on disk; the rest are names. A case id may contain '/', so only existence decides. */
export function splitArgs(args: string[]): { paths: string[]; ids: string[] } {
  const paths = args.filter((a) => existsSync(a));
  return { paths, ids: args.filter((a) => !paths.includes(a)) };
}

/** The cases one name selects: the case, every cell of the scenario, or every case citing the requirement. */
export function casesNamed(all: Scenario[], name: string): Scenario[] {
  return all.filter((s) => covers(name, s.id) || citations(s).includes(name));
}

/**
 * The cases to run: those of the named files and the named ids (the whole of `all` when nothing is named),
 * each once, then --grep on id and title and --tag (any of). Names that select nothing are returned as unknown.
 */
export function select(all: Scenario[], sel: Selection): { plan: Scenario[]; unknownIds: string[] } {
  const named = sel.ids.map((id) => ({ id, cases: casesNamed(all, id) }));
  const picked = sel.files.length === 0 && sel.ids.length === 0 ? all : [...sel.files, ...named.flatMap((n) => n.cases)];
  const once = picked.filter((s, i) => picked.findIndex((x) => x.id === s.id) === i);
  const plan = once.filter((s) => (!sel.grep || sel.grep.test(s.id) || sel.grep.test(s.title)) && (sel.tags.length === 0 || sel.tags.some((t) => s.tags.includes(t))));
  return { plan, unknownIds: named.filter((n) => n.cases.length === 0).map((n) => n.id) };
}
