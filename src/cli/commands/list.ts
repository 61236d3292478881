import type { CommandModule } from "yargs";
import { specName } from "../../specification/registry.ts";
import { crossDomain } from "../../plan/cross-domain.ts";
import { planFrom, selectionOptions } from "../suite.ts";

export const list: CommandModule = {
  command: "list [cases..]",
  describe: "list the cases with their RFC section, level and requirement IDs",
  builder: (y) =>
    selectionOptions(
      y.positional("cases", { type: "string", array: true, default: [] as string[], describe: "scenario files/folders, case ids, scenario ids or requirement IDs (default: the shipped suite)" }),
    )
      .option("json", { type: "boolean", default: false, describe: "machine-readable" })
      .example("$0 list --cross-domain", "also the cross-domain variants, and for each case without one, why"),
  handler: (argv) => {
    const a = argv as unknown as { cases: string[]; grep?: string; tag: string[]; json: boolean; crossDomain: boolean };
    const cases = planFrom(a.cases, a, "xmpp-conform list").plan;
    // With --cross-domain, a case that has no variant says why.
    const noVariant = (c: (typeof cases)[number]) => {
      if (!a.crossDomain || c.variant) return undefined;
      const x = crossDomain(c);
      return "why" in x ? x.why : undefined;
    };
    if (a.json) {
      const rows = cases.map((c) => {
        const { id, title, spec, rfc, level, requirements, tags, pos, variant } = c;
        const why = noVariant(c);
        return { id, title, spec, rfc, level, requirements, tags, file: pos.file, ...(variant && { variant }), ...(why && { noVariant: why }) };
      });
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    for (const c of cases) {
      const why = noVariant(c);
      process.stdout.write(`${c.id.padEnd(36)} ${`${specName(c.spec)} §${c.rfc}`.padEnd(18)} ${c.level.padEnd(6)} ${c.requirements.join(",")}${why ? `  (no @cross variant: ${why})` : ""}\n`);
    }
    const variants = cases.filter((c) => c.variant).length;
    process.stdout.write(`${cases.length} case${cases.length === 1 ? "" : "s"}${a.crossDomain ? `, ${variants} of them cross-domain variants` : ""}\n`);
  },
};
