/**
 * Speed figures of the harness against real local servers (prints, asserts nothing):
 *   node --import tsx bench/speed.ts [--target local:prosody,local:ejabberd] [--concurrency 4]
 *        [--scale 1,2,4,8] [--accounts 10,100,1000] [--quiet 1000] [--pings 200]
 * - the whole suite: wall time, harness CPU time, cases per second, peak memory, set-up cost per case;
 * - the cost of a negative assertion (one barrier between two sessions): median and 95th percentile;
 * - barriers against a fixed quiet window (what sleep-based tools pay) on the same cases;
 * - how wall time grows with the suite repeated k times, and N accounts connecting and exchanging a message.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import xml from "@xmpp/xml";
import { provisioners } from "../src/accounts/index.ts";
import { AccountLedger } from "../src/accounts/ledger.ts";
import type { CaseResult } from "../src/results/schema.ts";
import { barrier } from "../src/run/barrier.ts";
import { run } from "../src/run/run.ts";
import { loadSuite } from "../src/scenario/load.ts";
import type { Scenario } from "../src/scenario/types.ts";
import { openTarget, type Target } from "../src/targets/index.ts";
import { Session, type Endpoint } from "../src/xmpp/session.ts";
import { Transcript } from "../src/xmpp/transcript.ts";
import { survivePeerResets } from "../src/util/socket-errors.ts";

survivePeerResets((line) => console.error(line));

const { values } = parseArgs({
  options: {
    target: { type: "string", default: "local:prosody,local:ejabberd" },
    concurrency: { type: "string", default: "4" },
    scale: { type: "string", default: "1,2,4,8" },
    accounts: { type: "string", default: "10,100,1000" },
    quiet: { type: "string", default: "1000" },
    pings: { type: "string", default: "200" },
  },
});
const concurrency = Number(values.concurrency);
const suite = loadSuite([path.join(import.meta.dirname, "../scenarios")]);
if (suite.errors.length > 0) throw new Error(suite.errors.map((e) => e.message).join("\n"));

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const peakMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

async function runSuite(endpoint: Endpoint, plan: Scenario[], quietMs = 0): Promise<{ results: CaseResult[]; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const { cases: results } = await run(plan, { server: `${endpoint.host}:${endpoint.port}`, domain: endpoint.domain, concurrency, quietWindowMs: quietMs, transcripts: "all", install: false });
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  return { results, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** Time from case start to "set-up done" (accounts, logins, fixtures, first barrier). */
const setupMs = (r: CaseResult) => r.transcript?.find((e) => e.session === "harness" && e.xml === "set-up done")?.at;

async function barrierCost(endpoint: Endpoint, n: number): Promise<number[]> {
  const ledger = new AccountLedger(provisioners.ibr({ endpoint, timeoutMs: 3000 }));
  const t = new Transcript();
  const [a, b] = await Promise.all(["bench-a", "bench-b"].map((name) => ledger.create(`xc-bench-${process.pid}-${name}`)));
  const sa = new Session("a/r", endpoint, a, "r", t);
  const sb = new Session("b/r", endpoint, b, "r", t);
  await Promise.all([sa.start(3000), sb.start(3000)]);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    await sa.send(xml("message", { to: sb.jid, type: "chat" }, xml("body", {}, String(i))));
    const t0 = performance.now();
    await barrier([sb], [sa, sb], 3000);
    times.push(performance.now() - t0);
  }
  await Promise.all([sa.close(), sb.close()]);
  await ledger.remove([a, b]);
  return times;
}

/** N accounts connect at once; each sends one message to the next; done when every message has arrived. */
async function fanOut(endpoint: Endpoint, n: number): Promise<{ registerMs: number; connectMs: number; exchangeMs: number; refused: number }> {
  const ledger = new AccountLedger(provisioners.ibr({ endpoint, timeoutMs: 60_000 }));
  const t = new Transcript();
  let t0 = performance.now();
  const creds = await Promise.all(Array.from({ length: n }, (_, i) => ledger.create(`xc-fan-${process.pid}-${n}-${i}`)));
  const registerMs = performance.now() - t0;
  const all = creds.map((c, i) => new Session(`s${i}`, endpoint, c, "r", t));
  t0 = performance.now();
  const started = await Promise.allSettled(all.map((s) => s.start(60_000)));
  const connectMs = performance.now() - t0;
  // A server may refuse some of a thousand simultaneous logins: count them, exchange among the others.
  const sessions = all.filter((_, i) => started[i].status === "fulfilled");
  n = sessions.length;
  t0 = performance.now();
  await Promise.all(sessions.map((s, i) => s.send(xml("message", { to: sessions[(i + 1) % n].jid, type: "chat" }, xml("body", {}, "hi")))));
  await Promise.all(sessions.map((s) => s.waitUntil(() => (s.inbox.items.some((r) => r.el.name === "message") ? true : undefined), 30_000)));
  const exchangeMs = performance.now() - t0;
  await Promise.all(all.map((s) => s.close()));
  await ledger.removeAll();
  return { registerMs, connectMs, exchangeMs, refused: all.length - sessions.length };
}

async function bench(target: Target): Promise<void> {
  const endpoint = { host: target.host, port: target.port, domain: target.domain };
  console.log(`\n## ${target.software?.name ?? target.name} ${target.software?.version ?? ""} (concurrency ${concurrency})`);

  const full = await runSuite(endpoint, suite.scenarios);
  const setups = full.results.map(setupMs).filter((x): x is number => x !== undefined);
  console.log(`full suite: ${full.results.length} cases in ${(full.wallMs / 1000).toFixed(2)} s wall, ${(full.cpuMs / 1000).toFixed(2)} s harness CPU, ${(full.results.length / (full.wallMs / 1000)).toFixed(1)} cases/s, peak RSS ${peakMb()} MB`);
  console.log(`set-up per case (accounts, logins, fixtures, first barrier): median ${ms(quantile(setups, 0.5))}, p95 ${ms(quantile(setups, 0.95))}`);

  const costs = await barrierCost(endpoint, Number(values.pings));
  console.log(`negative assertion (barrier, ${costs.length} samples): median ${ms(quantile(costs, 0.5))}, p95 ${ms(quantile(costs, 0.95))}`);

  const quiet = Number(values.quiet);
  const sample = suite.scenarios.filter((s) => s.steps.some((st) => st.kind === "receive-nothing" || st.kind === "one-of")).slice(0, 12);
  const withBarriers = await runSuite(endpoint, sample);
  const withWindow = await runSuite(endpoint, sample, quiet);
  console.log(`${sample.length} cases with negative assertions: barriers ${(withBarriers.wallMs / 1000).toFixed(2)} s, barriers + ${quiet} ms quiet window ${(withWindow.wallMs / 1000).toFixed(2)} s: ${(withWindow.wallMs / withBarriers.wallMs).toFixed(1)}x`);

  for (const k of values.scale!.split(",").map(Number)) {
    const plan = Array.from({ length: k }, () => suite.scenarios).flat();
    const r = await runSuite(endpoint, plan);
    console.log(`suite x${k}: ${plan.length} cases in ${(r.wallMs / 1000).toFixed(2)} s (${(plan.length / (r.wallMs / 1000)).toFixed(1)} cases/s), peak RSS ${peakMb()} MB`);
  }
  for (const n of values.accounts!.split(",").map(Number)) {
    const r = await fanOut(endpoint, n);
    console.log(`${n} accounts: register ${ms(r.registerMs)}, connect ${ms(r.connectMs)}${r.refused ? ` (${r.refused} logins refused by the server)` : ""}, one message each delivered in ${ms(r.exchangeMs)}, peak RSS ${peakMb()} MB`);
  }
}

for (const name of values.target!.split(",")) {
  const target = await openTarget({ target: name }, { install: true, log: (l) => console.error(l) });
  try {
    await bench(target);
  } finally {
    await target.stop();
  }
}
