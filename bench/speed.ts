/**
 * Speed figures of the harness against real local servers (prints, asserts nothing):
 *   node --import tsx bench/speed.ts [--target local:prosody,local:ejabberd] [--concurrency 4]
 *        [--sections suite,costs,barrier,quiet,scale,accounts,auto] [--scale 1,2,4] [--accounts 10,100,1000] [--runs 3]
 * - suite: the whole suite decided by barriers and decided by timeouts, side by side on the same server:
 *   cases per second of wall time, median failing case against median passing case, the run's wall time over
 *   the server's own CPU time (a single-threaded server's CPU time is the floor of the run), harness CPU,
 *   peak memory, set-up per case;
 * - costs: the server's CPU per case and what it goes to: each kind of work measured alone (N times), times
 *   how often a case of the suite does it (counted from the transcripts), and the rest;
 * - barrier: the cost of a negative assertion; quiet: barriers against a fixed quiet window (what sleep-based
 *   tools pay); scale: the suite repeated k times; accounts: N accounts connecting and exchanging a message;
 * - auto: the whole suite at concurrency 4 and at auto, alternating, N runs each: cases per second, wall time over
 *   the server's CPU time and the concurrency auto settled on, each run and the medians, with the machine's load
 *   average before each run (other work on the machine moves these figures).
 */
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import xml from "@xmpp/xml";
import { provisioners } from "../src/accounts/index.ts";
import { AccountLedger } from "../src/accounts/ledger.ts";
import type { CaseResult, RunResult } from "../src/results/schema.ts";
import { barrier } from "../src/run/barrier.ts";
import { setupMsOf } from "../src/run/concurrency.ts";
import { run, type RunOptions } from "../src/run/run.ts";
import { loadSuite } from "../src/scenario/load.ts";
import type { Scenario } from "../src/scenario/types.ts";
import { openTarget, type Target } from "../src/targets/index.ts";
import { Session, type Endpoint } from "../src/xmpp/connections/session.ts";
import { Transcript } from "../src/xmpp/connections/transcript.ts";
import { survivePeerResets } from "../src/util/socket-errors.ts";
import { serverCpu } from "./server-cpu.ts";

survivePeerResets((line) => console.error(line));

const { values } = parseArgs({
  options: {
    target: { type: "string", default: "local:prosody,local:ejabberd" },
    concurrency: { type: "string", default: "4" },
    sections: { type: "string", default: "suite,costs,barrier" },
    scale: { type: "string", default: "1,2,4" },
    accounts: { type: "string", default: "10,100,1000" },
    quiet: { type: "string", default: "1000" },
    samples: { type: "string", default: "100" },
    runs: { type: "string", default: "3" },
  },
});
const concurrency = values.concurrency === "auto" ? "auto" : Number(values.concurrency);
const sections = new Set(values.sections!.split(","));
const N = Number(values.samples);
const suite = loadSuite([path.join(import.meta.dirname, "../scenarios")]);
if (suite.errors.length > 0) throw new Error(suite.errors.map((e) => e.message).join("\n"));

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const s1 = (n: number) => `${(n / 1000).toFixed(1)} s`;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const peakMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

/** One whole run of the library against the target, with the server's and the harness's CPU time. */
async function measureRun(t: Target, plan: Scenario[], opts: RunOptions = {}): Promise<{ result: RunResult; wallMs: number; serverMs: number; harnessMs: number }> {
  const cpu = process.cpuUsage();
  const { result, cpuMs, wallMs } = await serverCpu(t.pidFile!, () => run(plan, { server: `${t.host}:${t.port}`, domain: t.domain, install: false, concurrency, transcripts: "all", ...opts }));
  const used = process.cpuUsage(cpu);
  return { result, wallMs, serverMs: cpuMs, harnessMs: (used.user + used.system) / 1000 };
}

const failing = (c: CaseResult) => ["fail", "warn"].includes(c.verdict);

async function suiteFigures(t: Target): Promise<RunResult> {
  console.log(`\nwhole suite (${suite.scenarios.length} cases, --profile none, concurrency ${concurrency}): decided by barriers (now) and by timeouts (before)`);
  console.log(
    `  ${"".padEnd(10)} ${"wall".padStart(8)} ${"cases/s".padStart(8)} ${"server CPU".padStart(11)} ${"wall/srv".padStart(9)} ${"harness".padStart(8)} ${"pass med".padStart(9)} ${"fail med".padStart(9)} ${"fail/pass".padStart(10)} ${"set-up med/p95".padStart(16)}`,
  );
  let barriers: RunResult | undefined;
  for (const wait of ["barrier", "timeout"] as const) {
    const m = await measureRun(t, suite.scenarios, { wait });
    barriers ??= m.result;
    const cases = m.result.cases;
    const pass = quantile(
      cases.filter((c) => c.verdict === "pass").map((c) => c.durationMs),
      0.5,
    );
    const fail = quantile(
      cases.filter(failing).map((c) => c.durationMs),
      0.5,
    );
    const setups = cases.map(setupMsOf).filter((x): x is number => x !== undefined);
    console.log(
      `  ${wait.padEnd(10)} ${s1(m.wallMs).padStart(8)} ${(cases.length / (m.wallMs / 1000)).toFixed(1).padStart(8)} ${s1(m.serverMs).padStart(11)} ${(m.wallMs / m.serverMs).toFixed(2).padStart(9)} ` +
        `${s1(m.harnessMs).padStart(8)} ${ms(pass).padStart(9)} ${ms(fail).padStart(9)} ${(fail / pass).toFixed(2).padStart(10)} ${`${ms(quantile(setups, 0.5))}/${ms(quantile(setups, 0.95))}`.padStart(16)}`,
    );
    console.log(`  ${"".padEnd(10)} ${cases.filter(failing).length} failing or warning cases, server CPU ${(m.serverMs / cases.length).toFixed(1)} ms a case, peak RSS ${peakMb()} MB`);
  }
  return barriers!;
}

/** Fresh sessions on fresh accounts, for measuring one kind of work alone. */
async function sessions(endpoint: Endpoint, ledger: AccountLedger, n: number, tag: string): Promise<Session[]> {
  const creds = await Promise.all(Array.from({ length: n }, (_, i) => ledger.create(`xc-bench-${process.pid}-${tag}-${i}`)));
  const all = creds.map((c, i) => new Session(`s${i}`, endpoint, c, "r", new Transcript()));
  await Promise.all(all.map((s) => s.start(10_000)));
  return all;
}

/** The server's CPU per case of the suite, by what it goes to. */
async function costFigures(t: Target, barriers: RunResult): Promise<void> {
  const endpoint = { host: t.host, port: t.port, domain: t.domain };
  const provisioner = provisioners.ibr({ endpoint, timeoutMs: 10_000 });
  const ledger = new AccountLedger(provisioner);
  const per = (cpuMs: number, n: number) => cpuMs / n;
  const reg = await serverCpu(t.pidFile!, () => Promise.all(Array.from({ length: N }, (_, i) => ledger.create(`xc-bench-${process.pid}-reg-${i}`))));
  const creds = reg.result;
  const login = await serverCpu(t.pidFile!, async () => {
    const all = creds.map((c, i) => new Session(`s${i}`, endpoint, c, "r", new Transcript()));
    await Promise.all(all.map((s) => s.start(10_000)));
    return all;
  });
  const ss = login.result;
  const roster = await serverCpu(t.pidFile!, () => Promise.all(ss.map((s) => s.request(xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })), 10_000))));
  const ping = await serverCpu(t.pidFile!, () => Promise.all(ss.map((s) => s.ping(10_000))));
  const markers = await serverCpu(t.pidFile!, () =>
    Promise.all(
      ss.map((s, i) =>
        s.sendMarker(ss[(i + 1) % ss.length].jid, `bench-${i}`).then(() => ss[(i + 1) % ss.length].waitUntil(() => (ss[(i + 1) % ss.length].hasMarker(`bench-${i}`) ? true : undefined), 10_000)),
      ),
    ),
  );
  const removal = await serverCpu(t.pidFile!, () => Promise.all(ss.map((s, i) => provisioner.removeWith!(creds[i], s))));
  ss.forEach((s) => s.drop());
  const costs = {
    registration: per(reg.cpuMs, N),
    login: per(login.cpuMs, N),
    "roster get": per(roster.cpuMs, N),
    "barrier ping": per(ping.cpuMs, N),
    "barrier marker": per(markers.cpuMs, N),
    "removal (own session)": per(removal.cpuMs, N),
  };
  // How often a case does each, from the barrier run's transcripts.
  const cases = barriers.cases;
  const out = (c: CaseResult, re: RegExp) => (c.transcript ?? []).filter((e) => e.dir === "out" && re.test(e.xml)).length;
  const count = (re: RegExp) => cases.reduce((n, c) => n + out(c, re), 0) / cases.length;
  const accounts = suite.scenarios.reduce((n, sc) => n + sc.accounts.length, 0) / cases.length;
  const fixtureLogins = count(/<bind [^>]*><resource>set-up-/);
  const counts = {
    registration: accounts,
    login: count(/<bind /),
    "roster get": count(/<query xmlns="jabber:iq:roster"\/><\/iq>$/),
    "barrier ping": count(/urn:xmpp:ping/),
    "barrier marker": count(/urn:xmpp-conform:barrier/),
    "removal (own session)": accounts,
  };
  console.log(
    `\nserver CPU per case and what it goes to (each measured alone, ${N} times; counts from the barrier run's transcripts; ${fixtureLogins.toFixed(2)} of the logins are fixtures' set-up sessions):`,
  );
  let explained = 0;
  for (const [what, cost] of Object.entries(costs) as [keyof typeof costs, number][]) {
    const n = counts[what];
    explained += n * cost;
    console.log(`  ${what.padEnd(24)} ${ms(cost).padStart(9)} each x ${n.toFixed(2).padStart(6)} a case = ${ms(n * cost).padStart(9)}`);
  }
  const total = await serverCpu(t.pidFile!, () => run(suite.scenarios, { server: `${t.host}:${t.port}`, domain: t.domain, install: false, concurrency }));
  const perCase = total.cpuMs / suite.scenarios.length;
  console.log(`  ${"the scenarios' own stanzas, fixtures' exchanges, stream opens and closes".padEnd(24)}: ${ms(Math.max(0, perCase - explained))} (the rest)`);
  console.log(`  ${"total".padEnd(24)} ${ms(perCase)} a case (a whole run measured again: ${s1(total.cpuMs)} server CPU for ${suite.scenarios.length} cases)`);
  await ledger.removeAll();
}

async function barrierCost(t: Target): Promise<void> {
  const endpoint = { host: t.host, port: t.port, domain: t.domain };
  const ledger = new AccountLedger(provisioners.ibr({ endpoint, timeoutMs: 10_000 }));
  const [sa, sb] = await sessions(endpoint, ledger, 2, "barrier");
  const times: number[] = [];
  for (let i = 0; i < N * 2; i++) {
    await sa.send(xml("message", { to: sb.jid, type: "chat" }, xml("body", {}, String(i))));
    const t0 = performance.now();
    await barrier([sb], [sa, sb], 10_000);
    times.push(performance.now() - t0);
  }
  sa.drop();
  sb.drop();
  await ledger.removeAll();
  console.log(`\nnegative assertion (one two-round barrier between two sessions, ${times.length} samples): median ${ms(quantile(times, 0.5))}, p95 ${ms(quantile(times, 0.95))}`);
}

async function quietCost(t: Target): Promise<void> {
  const quiet = Number(values.quiet);
  const sample = suite.scenarios.filter((s) => s.steps.some((st) => st.kind === "receive-nothing" || st.kind === "one-of")).slice(0, 12);
  const [withBarriers, withWindow] = [await measureRun(t, sample), await measureRun(t, sample, { quietWindowMs: quiet })];
  console.log(
    `${sample.length} cases with negative assertions: barriers ${s1(withBarriers.wallMs)}, barriers + ${quiet} ms quiet window ${s1(withWindow.wallMs)}: ${(withWindow.wallMs / withBarriers.wallMs).toFixed(1)}x`,
  );
}

async function scale(t: Target): Promise<void> {
  for (const k of values.scale!.split(",").map(Number)) {
    const plan = Array.from({ length: k }, () => suite.scenarios).flat();
    const m = await measureRun(t, plan);
    console.log(`suite x${k}: ${plan.length} cases in ${s1(m.wallMs)} (${(plan.length / (m.wallMs / 1000)).toFixed(1)} cases/s), peak RSS ${peakMb()} MB`);
  }
}

/** Concurrency 4 and auto side by side, alternating so that both see the machine's load alike. */
async function autoFigures(t: Target): Promise<void> {
  const runs = Number(values.runs);
  const ways = [4, "auto"] as const;
  const seen = new Map(ways.map((c) => [c, [] as { rate: number; ratio: number; settled?: string }[]]));
  console.log(`\nconcurrency 4 and auto (whole suite, ${suite.scenarios.length} cases, --profile none, ${runs} runs each, alternating; load: the machine's 1-minute load average before the run):`);
  for (let i = 0; i < runs; i++) {
    for (const c of ways) {
      const load = loadavg()[0];
      const m = await measureRun(t, suite.scenarios, { concurrency: c, transcripts: "failures", profile: { mode: "none" } });
      const auto = m.result.concurrency;
      const row = { rate: suite.scenarios.length / (m.wallMs / 1000), ratio: m.wallMs / m.serverMs, ...(auto && { settled: `${auto.settled} (${auto.lowest}-${auto.highest})` }) };
      seen.get(c)!.push(row);
      console.log(
        `  run ${i + 1} ${String(c).padEnd(5)} ${row.rate.toFixed(1).padStart(5)} cases/s, wall/srv ${row.ratio.toFixed(2)}${row.settled ? `, settled ${row.settled}` : ""}, load ${load.toFixed(1)}`,
      );
    }
  }
  const med = (xs: number[]) => quantile(xs, 0.5);
  console.log(
    `  ${"median".padEnd(11)} ${ways.map((c) => `${String(c).padEnd(4)}: ${med(seen.get(c)!.map((r) => r.rate)).toFixed(1)} cases/s, wall/srv ${med(seen.get(c)!.map((r) => r.ratio)).toFixed(2)}`).join(" | ")}; auto settled on ${seen
      .get("auto")!
      .map((r) => r.settled)
      .join(", ")}`,
  );
}

/** N accounts connect at once; each sends one message to the next; done when every message has arrived. */
async function fanOut(t: Target): Promise<void> {
  const endpoint = { host: t.host, port: t.port, domain: t.domain };
  for (const n of values.accounts!.split(",").map(Number)) {
    const ledger = new AccountLedger(provisioners.ibr({ endpoint, timeoutMs: 60_000 }));
    let t0 = performance.now();
    const creds = await Promise.all(Array.from({ length: n }, (_, i) => ledger.create(`xc-fan-${process.pid}-${n}-${i}`)));
    const registerMs = performance.now() - t0;
    const all = creds.map((c, i) => new Session(`s${i}`, endpoint, c, "r", new Transcript(), { timeoutMs: 60_000 }));
    t0 = performance.now();
    const started = await Promise.allSettled(all.map((s) => s.start(60_000)));
    const connectMs = performance.now() - t0;
    // A server may refuse some of a thousand simultaneous logins: count them, exchange among the others.
    const ok = all.filter((_, i) => started[i].status === "fulfilled");
    t0 = performance.now();
    await Promise.all(ok.map((s, i) => s.send(xml("message", { to: ok[(i + 1) % ok.length].jid, type: "chat" }, xml("body", {}, "hi")))));
    await Promise.all(ok.map((s) => s.waitUntil(() => (s.inbox.items.some((r) => r.el.name === "message") ? true : undefined), 30_000)));
    const exchangeMs = performance.now() - t0;
    all.forEach((s) => s.drop());
    await ledger.removeAll();
    console.log(
      `${n} accounts: register ${ms(registerMs)}, connect ${ms(connectMs)}${all.length - ok.length ? ` (${all.length - ok.length} logins refused by the server)` : ""}, one message each delivered in ${ms(exchangeMs)}, peak RSS ${peakMb()} MB`,
    );
  }
}

for (const name of values.target!.split(",")) {
  const target = await openTarget({ target: name }, { install: true, log: (l) => console.error(l) });
  try {
    console.log(`\n## ${target.software?.name ?? target.name} ${target.software?.version ?? ""} (${new Date().toISOString().slice(0, 10)}, concurrency ${concurrency})`);
    const barriers = sections.has("suite") || sections.has("costs") ? await suiteFigures(target) : undefined;
    if (sections.has("costs")) await costFigures(target, barriers!);
    if (sections.has("barrier")) await barrierCost(target);
    if (sections.has("quiet")) await quietCost(target);
    if (sections.has("scale")) await scale(target);
    if (sections.has("accounts")) await fanOut(target);
    if (sections.has("auto")) await autoFigures(target);
  } finally {
    await target.stop();
  }
}
