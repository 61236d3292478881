import type { Argv } from "yargs";
import { select, splitArgs } from "../plan/filter.ts";
import { loadSuite } from "../scenario/load.ts";
import type { Scenario } from "../scenario/types.ts";
import { EXIT } from "./exit-codes.ts";

import { PROFILES, SUITE } from "../suite-files.ts";

export { PROFILES, SUITE };

export const err = (s: string) => process.stderr.write(`${s}\n`);

/** "a,b" and ["a", "b,c"] alike. */
export const csv = (v: string[] | string | undefined) =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(",")).map((x) => x.trim()).filter(Boolean);

/** --grep and --tag, shared by the commands that select cases. */
export function selectionOptions<T>(y: Argv<T>) {
  return y
    .option("grep", { type: "string", describe: "only cases whose id or title matches this regular expression" })
    .option("tag", { type: "string", array: true, default: [] as string[], describe: "only cases with one of these tags (repeat or comma-separate)" });
}

/** Loads the suite (or the given paths) and selects cases; scenario errors end the command with exit 2. */
export function planFrom(args: string[], o: { grep?: string; tag?: string[] }): Scenario[] {
  const { paths, ids } = splitArgs(args);
  const suite = loadSuite(paths.length > 0 ? paths : [SUITE]);
  if (suite.errors.length > 0) {
    for (const e of suite.errors) err(e.message);
    err(`${suite.errors.length} scenario file error${suite.errors.length === 1 ? "" : "s"}`);
    process.exit(EXIT.usage);
  }
  const { plan, unknownIds } = select(suite.scenarios, { ids, grep: o.grep, tags: csv(o.tag) });
  if (unknownIds.length > 0) {
    err(`no scenario or requirement matches: ${unknownIds.join(", ")} (see 'xmpp-conform list')`);
    process.exit(EXIT.usage);
  }
  return plan;
}
