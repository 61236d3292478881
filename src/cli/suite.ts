import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { suggestion } from "../util/suggest.ts";
import type { Argv } from "yargs";
import { withCrossDomain } from "../plan/cross-domain.ts";
import { select, splitArgs } from "../plan/filter.ts";
import { isVariantId } from "../scenario/ids.ts";
import { loadSuite } from "../scenario/load.ts";
import type { Scenario } from "../scenario/types.ts";
import { EXIT } from "./exit-codes.ts";

import { PROFILES, SUITE } from "../suite-files.ts";

export { PROFILES, SUITE };

export const err = (s: string) => process.stderr.write(`${s}\n`);

/** "a,b" and ["a", "b,c"] alike. */
export const csv = (v: string[] | string | undefined) =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v])
    .flatMap((x) => String(x).split(","))
    .map((x) => x.trim())
    .filter(Boolean);

/** --grep, --tag and --cross-domain, shared by the commands that select cases. */
export function selectionOptions<T>(y: Argv<T>) {
  return y
    .option("grep", { type: "string", describe: "only cases whose id or title matches this regular expression" })
    .option("tag", { type: "string", array: true, nargs: 1, default: [] as string[], describe: "only cases with one of these tags (repeat or comma-separate)" })
    .option("cross-domain", {
      type: "boolean",
      default: false,
      describe: "with a pair target: after each case, its cross-domain variant (ID@cross: every account but the first on the second server), where a stanza would cross",
    });
}

export interface PlanOptions {
  grep?: string;
  tag?: string[];
  /** Each case followed by its cross-domain variant (src/plan/cross-domain.ts), before the selection. */
  crossDomain?: boolean;
}

/**
 * The cases the arguments select (see plan/filter.ts): files and folders are loaded, names are looked up in
 * them and in the shipped suite. Scenario errors, a name that selects nothing and a bad --grep end the
 * command with exit 2.
 */
export function planFrom(args: string[], o: PlanOptions, command = "xmpp-conform"): { plan: Scenario[]; from: Scenario[] } {
  const usage = (problem: string): never => {
    err(`${command}: ${problem}`);
    process.exit(EXIT.usage);
  };
  let grep: RegExp | undefined;
  try {
    grep = o.grep === undefined ? undefined : new RegExp(o.grep, "i");
  } catch (e) {
    usage(`--grep: ${(e as Error).message}`);
  }
  // A family of the shipped suite by its folder's name ("presence", "muc") as well as by its path.
  const family = (a: string) => (!existsSync(a) && /^[\w-]+$/.test(a) && existsSync(path.join(SUITE, a)) ? path.join(SUITE, a) : a);
  const { paths, ids } = splitArgs(args.map(family));
  const load = (from: string[]) => {
    const suite = loadSuite(from);
    if (suite.errors.length > 0) {
      for (const e of suite.errors) err(e.message);
      usage(`${suite.errors.length} scenario file error${suite.errors.length === 1 ? "" : "s"}`);
    }
    return o.crossDomain ? withCrossDomain(suite.scenarios) : suite.scenarios;
  };
  const files = paths.length > 0 ? load(paths) : [];
  const shipped = paths.length === 0 || ids.length > 0 ? load([SUITE]) : [];
  const { plan, unknownIds } = select([...files, ...shipped], { files, ids, grep, tags: csv(o.tag) });
  // What the compliance suites judge a run against: the shipped suite (and any files beside it), whatever was selected.
  // (Only counted: a shipped file with a problem must not stop a run of other files.)
  // A file of the shipped suite given by name is counted once.
  const all = [...files, ...(shipped.length > 0 ? shipped : loadSuite([SUITE]).scenarios)];
  const from = [...new Map(all.map((sc) => [`${path.resolve(sc.pos.file)} ${sc.id}`, sc])).values()];
  if (unknownIds.length > 0) {
    const what = (a: string) =>
      /\.ya?ml$/.test(a) || /^\.{0,2}\//.test(a)
        ? `no such file or folder: ${a}`
        : isVariantId(a) && !o.crossDomain
          ? `'${a}' names a cross-domain variant: add --cross-domain (with a pair target)`
          : `'${a}' is no file or folder, case id, scenario id or requirement ID${suggestion(a, [...new Set([...families(), ...from.flatMap((sc) => [sc.id, sc.id.split("/")[0], ...sc.requirements])])])}`;
    for (const a of unknownIds) err(`${command}: ${what(a)}`);
    usage("see 'xmpp-conform list' for the case ids and the requirements they cite");
  }
  // A selection of nothing is a mistake to say, not a green run of no case.
  if (plan.length === 0)
    usage(
      `the selection matches no case (${[args.length > 0 && args.join(" "), o.grep !== undefined && `--grep ${o.grep}`, csv(o.tag).length > 0 && `--tag ${csv(o.tag).join(",")}`].filter(Boolean).join(", ") || "no scenario files"}); 'xmpp-conform list' shows the cases`,
    );
  return { plan, from };
}

/** The shipped suite's families: its folders. */
const families = () => readdirSync(SUITE, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? [d.name] : []));

/** The cases per specification of what a plan was selected from (a run records it for the compliance suites). */
export function casesBySpec(scenarios: Scenario[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const sc of scenarios) counts[sc.spec] = (counts[sc.spec] ?? 0) + 1;
  return counts;
}
