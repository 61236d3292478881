/**
 * Legitimate variations against verdicts: the given scenarios (default: all) run directly against a real server
 * and through the fault proxy with the variations of test/support/variations.ts on (all, a family's with
 * --family, or --only), their stream parts included, and every case whose verdict differs is printed with the
 * variations that change it alone. A difference means a case asserts more than its rule requires. The whole-suite
 * tests run only the variations without a stream part; this is where the others are proved.
 *   node --import tsx bench/variations.ts [--target local:prosody] [--family archive | --only id,...] [scenario paths...]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import type { Scenario } from "../src/scenario/types.ts";
import { run } from "../src/run/run.ts";
import { loadSuite } from "../src/scenario/load.ts";
import { openTarget } from "../src/targets/index.ts";
import { FaultProxy } from "../test/support/fault-proxy.ts";
import { brokeNothing } from "../test/support/results.ts";
import { combineStreams, VARIATIONS, type Variation } from "../test/support/variations.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { target: { type: "string", default: "local:prosody" }, only: { type: "string" }, family: { type: "string" } },
});
const only = values.only?.split(",");
const family: Variation[] | undefined = values.family ? (await import(`../test/support/xep/${values.family}.ts`)).VARIATIONS : undefined;
const variations = VARIATIONS.filter((v) => (!only || only.includes(v.id)) && (!family || family.some((f) => f.id === v.id)));
if (variations.length === 0) throw new Error("no variation is selected");
const suite = loadSuite(positionals.length > 0 ? positionals : [path.join(import.meta.dirname, "../scenarios")]);
if (suite.errors.length > 0) throw new Error(suite.errors.map((e) => e.message).join("\n"));

const target = await openTarget({ target: values.target }, { install: true, log: (l) => console.error(l) });
const proxy = new FaultProxy({ host: target.host, port: target.port });
try {
  const port = await proxy.listen();
  const verdicts = async (scenarios: Scenario[], server: string) =>
    Object.fromEntries(
      (await run(scenarios, { server, domain: target.domain, install: false, concurrency: 4, profile: { mode: "none" } })).cases.map((c) => [
        c.id,
        `${brokeNothing(c)}${c.reason ? `: ${c.reason.split("\n")[0]}` : ""}`,
      ]),
    );
  const through = async (chosen: Variation[], scenarios: Scenario[], used = new Map<string, number>()) => {
    proxy.streamFault = combineStreams(chosen, used);
    return verdicts(scenarios, `127.0.0.1:${port}`);
  };
  const verdictOf = (v: string | undefined) => v?.split(":")[0];
  const direct = await verdicts(suite.scenarios, `${target.host}:${target.port}`);
  const used = new Map<string, number>();
  const varied = await through(variations, suite.scenarios, used);
  const changed = Object.keys(direct).filter((id) => verdictOf(direct[id]) !== verdictOf(varied[id]));
  // Printed before the variations run alone, which can take long: a stopped run still says what changed.
  for (const id of changed) console.log(`${id}\n  direct: ${direct[id]}\n  varied: ${varied[id]}`);
  // Each variation alone, on the scenarios of the cases that changed: which one a case asserts too much against.
  const again = suite.scenarios.filter((sc) => changed.some((id) => id === sc.id || id.startsWith(`${sc.id}/`)));
  const blamed = new Map<string, string[]>();
  for (const v of again.length > 0 ? variations.filter((x) => used.get(x.id)) : []) {
    const alone = await through([v], again);
    for (const id of changed) if (verdictOf(alone[id]) !== verdictOf(direct[id])) blamed.set(id, [...(blamed.get(id) ?? []), v.id]);
  }
  for (const id of changed) console.log(`${id} alone: ${blamed.get(id)?.join(", ") ?? "none (only together)"}`);
  console.log(`\n${Object.keys(direct).length} cases, ${changed.length} changed; variations used: ${variations.map((v) => `${v.id} ${used.get(v.id) ?? 0}`).join(", ")}`);
  process.exitCode = changed.length > 0 ? 1 : 0;
} finally {
  await proxy.close();
  await target.stop();
}
