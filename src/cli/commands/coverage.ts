import type { CommandModule } from "yargs";
import { catalog } from "../../catalog/index.ts";
import { coverageOf } from "../../catalog/coverage.ts";
import { planFrom } from "../suite.ts";

export const coverage: CommandModule = {
  command: "coverage [paths..]",
  describe: "which catalog requirements the scenarios cite, which client-observable ones no case covers yet, and the share per area",
  builder: (y) =>
    y
      .positional("paths", { type: "string", array: true, default: [] as string[], describe: "scenario files or folders (default: the shipped suite)" })
      .option("json", { type: "boolean", default: false, describe: "machine-readable" }),
  handler: (argv) => {
    const a = argv as unknown as { paths: string[]; json: boolean };
    const cov = coverageOf(planFrom(a.paths, {}), catalog);
    const out = (s = "") => process.stdout.write(`${s}\n`);
    if (a.json) {
      out(JSON.stringify({ ...cov, uncovered: cov.uncovered.map((r) => r.id) }, null, 2));
      return;
    }
    out(`Requirements the scenarios cite (${cov.cited.length}):`);
    for (const c of cov.cited) {
      const r = c.requirement;
      const about = r ? `§${r.section}`.padEnd(10) + `${r.level ?? "n/a"}${r.derived ? " (derived)" : ""}`.padEnd(17) : "(not in the catalog)".padEnd(27);
      out(`  ${c.id.padEnd(40)} ${about} ${c.cases.join(", ")}`);
    }
    out();
    out(`Client-observable requirements no case cites yet (${cov.uncovered.length}):`);
    for (const area of catalog.areas) {
      const ids = cov.uncovered.filter((r) => r.area === area.name).map((r) => r.id);
      if (ids.length > 0) out(wrap(`  ${area.name} (${ids.length}):`, ids));
    }
    out();
    out("Coverage of client-observable requirements (delivery-table rows count through their cells):");
    out(`  ${"area".padEnd(10)} ${"covered".padStart(8)} ${"of".padStart(6)} ${"percent".padStart(8)}`);
    for (const row of [...cov.areas, cov.total]) {
      out(`  ${row.area.padEnd(10)} ${String(row.covered).padStart(8)} ${String(row.observable).padStart(6)} ${(row.percent === null ? "n/a" : `${row.percent.toFixed(1)}%`).padStart(8)}`);
    }
  },
};

/** A long ID list folded at about 110 columns, continuation lines indented. */
function wrap(head: string, words: string[], indent = "    ", width = 110): string {
  const lines = [head];
  for (const w of words) {
    if (lines[lines.length - 1].length + 1 + w.length > width) lines.push(indent + w);
    else lines[lines.length - 1] += ` ${w}`;
  }
  return lines.join("\n");
}
