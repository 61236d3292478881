import type { CommandModule } from "yargs";
import { planFrom, selectionOptions } from "../suite.ts";

export const list: CommandModule = {
  command: "list [cases..]",
  describe: "list the cases with their RFC section, level and requirement IDs",
  builder: (y) => selectionOptions(y.positional("cases", { type: "string", array: true, default: [] as string[], describe: "scenario files/folders, case ids, scenario ids or requirement IDs (default: the shipped suite)" })).option("json", { type: "boolean", default: false, describe: "machine-readable" }),
  handler: (argv) => {
    const a = argv as unknown as { cases: string[]; grep?: string; tag: string[]; json: boolean };
    const cases = planFrom(a.cases, a, "xmpp-conform list");
    if (a.json) {
      const rows = cases.map(({ id, title, rfc, level, requirements, tags, pos }) => ({ id, title, rfc, level, requirements, tags, file: pos.file }));
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    for (const c of cases) process.stdout.write(`${c.id.padEnd(36)} §${c.rfc.padEnd(8)} ${c.level.padEnd(6)} ${c.requirements.join(",")}\n`);
    process.stdout.write(`${cases.length} case${cases.length === 1 ? "" : "s"}\n`);
  },
};
