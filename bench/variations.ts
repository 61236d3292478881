/**
 * Legitimate variations against verdicts: the given scenarios (default: all) run directly against a real server
 * and through the fault proxy with the variations of test/support/variations.ts on (all, or --only), and every
 * case whose verdict differs is printed. A difference means a case asserts more than its rule requires.
 *   node --import tsx bench/variations.ts [--target local:prosody] [--only variation-id,...] [scenario paths...]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { run } from "../src/run/run.ts";
import { loadSuite } from "../src/scenario/load.ts";
import { openTarget } from "../src/targets/index.ts";
import { FaultProxy } from "../test/support/fault-proxy.ts";
import { combineCounted, VARIATIONS } from "../test/support/variations.ts";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { target: { type: "string", default: "local:prosody" }, only: { type: "string" } } });
const only = values.only?.split(",");
const variations = VARIATIONS.filter((v) => !only || only.includes(v.id));
const suite = loadSuite(positionals.length > 0 ? positionals : [path.join(import.meta.dirname, "../scenarios")]);
if (suite.errors.length > 0) throw new Error(suite.errors.map((e) => e.message).join("\n"));

const target = await openTarget({ target: values.target }, { install: true, log: (l) => console.error(l) });
const proxy = new FaultProxy({ host: target.host, port: target.port });
const used = new Map<string, number>();
proxy.fault = combineCounted(variations, used);
try {
  const port = await proxy.listen();
  const verdicts = async (server: string) =>
    Object.fromEntries(
      (await run(suite.scenarios, { server, domain: target.domain, install: false, concurrency: 4 })).cases.map((c) => [c.id, `${c.verdict}${c.reason ? `: ${c.reason.split("\n")[0]}` : ""}`]),
    );
  const direct = await verdicts(`${target.host}:${target.port}`);
  const varied = await verdicts(`127.0.0.1:${port}`);
  const changed = Object.keys(direct).filter((id) => direct[id].split(":")[0] !== varied[id]?.split(":")[0]);
  for (const id of changed) console.log(`${id}\n  direct: ${direct[id]}\n  varied: ${varied[id]}`);
  console.log(`\n${Object.keys(direct).length} cases, ${changed.length} changed; variations used: ${variations.map((v) => `${v.id} ${used.get(v.id) ?? 0}`).join(", ")}`);
  process.exitCode = changed.length > 0 ? 1 : 0;
} finally {
  await proxy.close();
  await target.stop();
}
