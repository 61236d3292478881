/**
 * What a broadly breaking server costs a run: the whole suite through the fault proxy in front of a real local
 * server, without a fault and with one (by default one that drops every subscription approval, which the set-up
 * of many cases needs), side by side. A failing case should cost about what a passing one does, so the run with
 * the fault should take at most about twice as long. Prints the figures; asserts nothing.
 *   node --import tsx bench/fault-cost.ts [--target local:prosody] [--fault subscription.approval-lost] [--concurrency 4]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { run } from "../src/run/run.ts";
import { loadSuite } from "../src/scenario/load.ts";
import { openTarget } from "../src/targets/index.ts";
import type { Verdict } from "../src/results/schema.ts";
import { FaultProxy } from "../test/support/fault-proxy.ts";
import { FAULTS } from "../test/support/faults.ts";

const { values } = parseArgs({
  options: { target: { type: "string", default: "local:prosody" }, fault: { type: "string", default: "subscription.approval-lost" }, concurrency: { type: "string", default: "4" } },
});
const fault = FAULTS.find((f) => f.id === values.fault);
if (!fault) throw new Error(`no fault ${values.fault}`);
const suite = loadSuite([path.join(import.meta.dirname, "../scenarios")]).scenarios;
const target = await openTarget({ target: values.target }, { install: true, log: (l) => console.error(l) });
const proxy = new FaultProxy(target);
const port = await proxy.listen();
const once = async (label: string) => {
  const started = Date.now();
  const r = await run(suite, { server: `127.0.0.1:${port}`, domain: target.domain, concurrency: Number(values.concurrency), install: false });
  const counts: Partial<Record<Verdict, number>> = {};
  for (const c of r.cases) counts[c.verdict] = (counts[c.verdict] ?? 0) + 1;
  const retried = r.cases.filter((c) => c.setupRetries?.length).length;
  const seconds = (Date.now() - started) / 1000;
  console.log(`${label.padEnd(34)} ${seconds.toFixed(1).padStart(6)} s  ${JSON.stringify(counts)}  set-up retried in ${retried} cases`);
  return seconds;
};
try {
  const clean = await once("without a fault");
  proxy.fault = fault.fault;
  proxy.streamFault = fault.stream;
  const broken = await once(`with ${fault.id}`);
  console.log(`the fault costs the run ${(broken / clean).toFixed(2)}x its time without it (${values.target}, concurrency ${values.concurrency})`);
} finally {
  await proxy.close();
  await target.stop();
}
