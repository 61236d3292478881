/**
 * Mutation score of the suite: for each fault of test/support/faults.ts, the cases citing its requirements
 * run through the fault proxy in front of a real server; a fault is killed when some case's verdict gets worse, or a
 * requirement it breaks, held without it, now fails or warns (in a case already failing on another rule too).
 *   node --import tsx bench/mutation.ts [--target local:prosody] [--only fault-id,...] [--scenarios file-or-dir,...] [--out reports]
 * --scenarios limits the suite (and the baseline run) to those scenario files, to try new faults quickly.
 * Prints one line per fault and the score per area; writes <out>/mutation.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadSuite } from "../src/scenario/load.ts";
import { openTarget } from "../src/targets/index.ts";
import { FAULTS } from "../test/support/faults.ts";
import { mutate, specOf } from "../test/support/mutation.ts";

const { values } = parseArgs({
  options: {
    target: { type: "string", default: "local:prosody" },
    only: { type: "string" },
    scenarios: { type: "string" },
    out: { type: "string", default: "reports" },
    timeout: { type: "string", default: "1500" },
  },
});
const only = values.only?.split(",");
const faults = FAULTS.filter((f) => !only || only.includes(f.id));
const suite = loadSuite(values.scenarios ? values.scenarios.split(",") : [path.join(import.meta.dirname, "../scenarios")]);
if (suite.errors.length > 0) throw new Error(suite.errors.map((e) => e.message).join("\n"));

const target = await openTarget({ target: values.target }, { install: true, log: (l) => console.error(l) });
const started = Date.now();
try {
  const { baseline, mutants } = await mutate({
    upstream: target,
    suite: suite.scenarios,
    faults,
    timeoutMs: Number(values.timeout),
    concurrency: 4,
    onMutant: (m) => console.log(`${m.status.padEnd(9)} ${m.fault.id.padEnd(44)} ${String(m.cases).padStart(4)} cases${m.killedBy[0] ? `  by ${m.killedBy[0].id} (${m.killedBy[0].verdict})` : ""}`),
  });
  const areas = [...new Set(mutants.map((m) => m.fault.area))];
  console.log("\narea                 killed  survived  no-case  score");
  for (const area of [...areas, "all"]) {
    const list = mutants.filter((m) => area === "all" || m.fault.area === area);
    const n = (s: string) => list.filter((m) => m.status === s).length;
    const score = (100 * n("killed")) / list.length;
    console.log(`${area.padEnd(20)} ${String(n("killed")).padStart(6)} ${String(n("survived")).padStart(9)} ${String(n("no-case")).padStart(8)}  ${score.toFixed(0)}%`);
  }
  console.log("\nspecification        killed  survived  no-case  score");
  for (const spec of [...new Set(mutants.map((m) => specOf(m.fault)))].sort()) {
    const list = mutants.filter((m) => specOf(m.fault) === spec);
    const n = (s: string) => list.filter((m) => m.status === s).length;
    console.log(`${spec.padEnd(20)} ${String(n("killed")).padStart(6)} ${String(n("survived")).padStart(9)} ${String(n("no-case")).padStart(8)}  ${((100 * n("killed")) / list.length).toFixed(0)}%`);
  }
  const baselineBad = Object.entries(baseline).filter(([, v]) => v !== "pass" && v !== "warn" && v !== "skip").length;
  console.log(
    `\n${faults.length} faults, ${Object.keys(baseline).length} cases (${baselineBad} not passing on ${target.software?.name ?? target.name} without faults), ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  mkdirSync(values.out!, { recursive: true });
  writeFileSync(
    path.join(values.out!, "mutation.json"),
    JSON.stringify(
      {
        target: target.software,
        baseline,
        mutants: mutants.map((m) => ({
          id: m.fault.id,
          spec: specOf(m.fault),
          area: m.fault.area,
          requirements: m.fault.requirements,
          description: m.fault.description,
          status: m.status,
          cases: m.cases,
          killedBy: m.killedBy,
        })),
      },
      null,
      2,
    ),
  );
} finally {
  await target.stop();
}
