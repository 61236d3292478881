import type { CommandModule } from "yargs";
import { catalogOf, catalogs } from "../../catalog/index.ts";
import { catalogSpecs, specName } from "../../specification/registry.ts";
import { coverageBySpec, type Coverage } from "../../report/coverage.ts";
import { planFrom } from "../suite.ts";

export const coverage: CommandModule = {
  command: "coverage [paths..]",
  describe: "per specification: which catalog requirements the scenarios cite, which client-observable ones no case covers yet, and the share per area",
  builder: (y) =>
    y
      .positional("paths", { type: "string", array: true, default: [] as string[], describe: "scenario files or folders (default: the shipped suite)" })
      .option("spec", { choices: catalogSpecs().map((s) => s.id), array: true, describe: "only these specifications (default: all)" })
      .option("json", { type: "boolean", default: false, describe: "machine-readable" }),
  handler: (argv) => {
    const a = argv as unknown as { paths: string[]; json: boolean; spec?: string[] };
    const all = coverageBySpec(planFrom(a.paths, {}).plan, catalogs());
    const specs = all.specs.filter((c) => !a.spec || a.spec.includes(c.spec));
    const out = (s = "") => process.stdout.write(`${s}\n`);
    if (a.json) {
      out(JSON.stringify({ specs: specs.map((c) => ({ ...c, uncovered: c.uncovered.map((r) => r.id) })), unknown: all.unknown }, null, 2));
      return;
    }
    for (const cov of specs) print(cov, out);
    if (all.unknown.length > 0) {
      out(`Cited IDs no catalog has (${all.unknown.length}):`);
      for (const u of all.unknown) out(`  ${u.id.padEnd(40)} ${u.cases.join(", ")}`);
      out();
    }
    out("Summary:");
    out(`  ${"spec".padEnd(10)} ${"covered".padStart(8)} ${"of".padStart(6)} ${"percent".padStart(8)}`);
    for (const cov of specs) out(tallyLine(cov.spec, cov.total));
  },
};

/** One specification's report: its citations, what is left, and the share per area. */
function print(cov: Coverage, out: (s?: string) => void): void {
  const title = specName(cov.spec);
  out(`== ${title} ==`);
  out(`Requirements the scenarios cite (${cov.cited.length}):`);
  for (const c of cov.cited) {
    const r = c.requirement;
    out(
      `  ${c.id.padEnd(40)} ${`§${r.statedIn === cov.spec ? "" : `${specName(r.statedIn)} `}${r.section}`.padEnd(10)} ${`${r.level ?? "n/a"}${r.derived ? " (derived)" : ""}`.padEnd(17)} ${c.cases.join(", ")}`,
    );
  }
  out();
  out(`Client-observable requirements no case cites yet (${cov.uncovered.length}):`);
  for (const area of catalogOf(cov.spec).areas) {
    const ids = cov.uncovered.filter((r) => r.area === area.name).map((r) => r.id);
    if (ids.length > 0) out(wrap(`  ${area.name} (${ids.length}):`, ids));
  }
  out();
  const cells = catalogOf(cov.spec).requirements.some((r) => r.cellOf);
  out(`Coverage of client-observable ${title} requirements${cells ? " (table rows with cells count through their cells)" : ""}:`);
  out(`  ${"area".padEnd(10)} ${"covered".padStart(8)} ${"of".padStart(6)} ${"percent".padStart(8)}`);
  for (const row of [...cov.areas, cov.total]) out(tallyLine(row.area, row));
  out();
}

const tallyLine = (name: string, row: { covered: number; observable: number; percent: number | null }) =>
  `  ${name.padEnd(10)} ${String(row.covered).padStart(8)} ${String(row.observable).padStart(6)} ${(row.percent === null ? "n/a" : `${row.percent.toFixed(1)}%`).padStart(8)}`;

/** A long ID list folded at about 110 columns, continuation lines indented. */
function wrap(head: string, words: string[], indent = "    ", width = 110): string {
  const lines = [head];
  for (const w of words) {
    if (lines[lines.length - 1].length + 1 + w.length > width) lines.push(indent + w);
    else lines[lines.length - 1] += ` ${w}`;
  }
  return lines.join("\n");
}
