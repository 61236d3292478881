/**
 * Speed of the suite with accounts made by an admin (XEP-0133), against a real local server (prints, asserts nothing):
 *   node --import tsx bench/admin.ts [--target local:prosody] [--server-config harness|shipped] [--tls starttls|direct]
 *        [--concurrency 4|auto] [--samples 50]
 * With the harness's configuration the server is started with an admin account the bench registers; as
 * shipped (--server-config shipped: STARTTLS required, SCRAM, Prosody's mod_limits) the target makes its own.
 * - suite: the whole suite with --accounts admin: wall time, cases per second, the server's CPU, set-up per case;
 * - set-up per case by what it goes to: each kind of work measured alone (N times, one after the other,
 *   on the otherwise idle server), times how often a case of the suite does it (counted from the suite's
 *   transcripts), beside the same work's median inside the suite where its transcripts show it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import xml from "@xmpp/xml";
import { provisioners } from "../src/accounts/index.ts";
import type { RunResult, TranscriptEntry } from "../src/results/schema.ts";
import { run } from "../src/run/run.ts";
import { loadSuite } from "../src/scenario/load.ts";
import { openTarget, type Target } from "../src/targets/index.ts";
import type { Endpoint } from "../src/xmpp/wire/endpoint.ts";
import { NS } from "../src/xmpp/wire/ns.ts";
import { Session, type Credentials } from "../src/xmpp/connections/session.ts";
import { Transcript } from "../src/xmpp/connections/transcript.ts";
import { survivePeerResets } from "../src/util/socket-errors.ts";
import { cpuMsOf, serverCpu } from "./server-cpu.ts";

survivePeerResets((line) => console.error(line));

const { values } = parseArgs({
  options: {
    target: { type: "string", default: "local:prosody" },
    "server-config": { type: "string" },
    tls: { type: "string" },
    concurrency: { type: "string", default: "4" },
    samples: { type: "string", default: "50" },
  },
});
const concurrency = values.concurrency === "auto" ? "auto" : Number(values.concurrency);
const N = Number(values.samples);
const suite = loadSuite([path.join(import.meta.dirname, "../scenarios")]);
if (suite.errors.length > 0) throw new Error(suite.errors.map((e) => e.message).join("\n"));

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const s1 = (n: number) => `${(n / 1000).toFixed(1)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** The marks of one login in a transcript: the first <auth>, the <success>, the "online as" note; where there is STARTTLS, its note (at <proceed/>, before the handshake). */
function loginPhases(entries: TranscriptEntry[], label: string): { connect: number; tls?: number; sasl: number; bind: number } | undefined {
  const own = entries.filter((e) => e.session === label);
  const at = (test: (e: TranscriptEntry) => boolean) => own.find(test)?.at;
  const auth = at((e) => e.dir === "out" && e.xml.startsWith("<auth "));
  const success = at((e) => e.dir === "in" && e.xml.startsWith("<success "));
  const online = at((e) => e.dir === "note" && e.xml.startsWith("online as "));
  const tls = at((e) => e.dir === "note" && e.xml === "STARTTLS negotiated");
  if (auth === undefined || success === undefined || online === undefined) return undefined;
  return { connect: auth, ...(tls !== undefined && { tls }), sasl: success - auth, bind: online - success };
}

/** The admin (an account the bench registers on a server with the harness's configuration, or the one a server as shipped was given) and the endpoint. */
async function adminOf(t: Target): Promise<Credentials & { jid: string }> {
  if (t.admin) return t.admin;
  const admin = { username: "xc-bench-admin", password: "xc-bench-admin-secret", jid: `xc-bench-admin@${t.domain}` };
  await t.accountCommands!.register(admin.username, admin.password);
  return admin;
}

const endpointOf = (t: Target): Endpoint => ({ host: t.host, port: t.port, domain: t.domain, ...(t.tls && { security: { tls: t.tls, ...(t.caFile && { ca: readFileSync(t.caFile, "utf8") }) } }) });

async function suiteFigures(t: Target, admin: Credentials & { jid: string }): Promise<RunResult> {
  const { result, cpuMs, wallMs } = await serverCpu(t.pidFile!, () =>
    run(suite.scenarios, {
      server: `${t.host}:${t.port}`,
      domain: t.domain,
      install: false,
      concurrency,
      transcripts: "all",
      accounts: { mode: "admin", admin },
      tls: { tls: t.tls ?? "auto", ...(t.caFile && { caFile: t.caFile }) },
    }),
  );
  const cases = result.cases;
  const setups = cases.map((c) => c.transcript?.find((e) => e.session === "harness" && e.xml === "set-up done")?.at).filter((x): x is number => x !== undefined);
  console.log(`\nwhole suite, --accounts admin (${cases.length} cases, --profile none, concurrency ${concurrency}):`);
  console.log(
    `  ${s1(wallMs)}, ${(cases.length / (wallMs / 1000)).toFixed(1)} cases/s; server CPU ${s1(cpuMs)} (${(cpuMs / cases.length).toFixed(1)} ms a case, wall/CPU ${(wallMs / cpuMs).toFixed(2)})`,
  );
  console.log(
    `  case duration median ${ms(median(cases.map((c) => c.durationMs)))}; set-up (accounts, logins, fixtures, first barrier) median ${ms(median(setups))}, p95 ${ms(quantile(setups, 0.95))}`,
  );
  console.log(
    `  accounts made ${result.accounts.created}, not removed ${result.accounts.notRemoved}; verdicts ${Object.entries(
      cases.reduce<Record<string, number>>((n, c) => ({ ...n, [c.verdict]: (n[c.verdict] ?? 0) + 1 }), {}),
    )
      .map(([v, n]) => `${v} ${n}`)
      .join(", ")}`,
  );
  return result;
}

/** Each kind of a case's set-up work alone, N times one after the other, against how often a case of the suite does it. */
async function setupCosts(t: Target, admin: Credentials & { jid: string }, suiteRun: RunResult): Promise<void> {
  const endpoint = endpointOf(t);
  const provisioner = provisioners.admin({ endpoint, timeoutMs: 10_000, admin });
  await provisioner.open!();
  const timed = async <T>(work: () => Promise<T>): Promise<{ result: T; wallMs: number; cpuMs: number }> => {
    const c0 = cpuMsOf(t.pidFile!);
    const t0 = performance.now();
    const result = await work();
    return { result, wallMs: performance.now() - t0, cpuMs: cpuMsOf(t.pidFile!) - c0 };
  };
  const creds: Credentials[] = [];
  const adds: number[] = [];
  let addCpu = 0;
  for (let i = 0; i < N; i++) {
    const m = await timed(() => provisioner.create(`xc-bench-${process.pid}-${i}`, `secret-${i}`));
    creds.push(m.result);
    adds.push(m.wallMs);
    addCpu += m.cpuMs;
  }
  const logins: NonNullable<ReturnType<typeof loginPhases>>[] = [];
  const rosters: number[] = [];
  let loginCpu = 0;
  for (const c of creds) {
    const transcript = new Transcript();
    const session = new Session("bench", endpoint, c, "r", transcript);
    loginCpu += (await timed(() => session.start(10_000))).cpuMs;
    logins.push(loginPhases(transcript.entries, "bench")!);
    rosters.push((await timed(() => session.request(xml("iq", { type: "get" }, xml("query", { xmlns: NS.roster })), 10_000))).wallMs);
    session.drop();
  }
  // A case's accounts go in one delete-user: removed here as the suite's cases have them, a case's worth at once.
  const cases = suiteRun.cases;
  const perCase = Math.max(1, Math.round(suiteRun.accounts.created / cases.length));
  const removals: number[] = [];
  let removalCpu = 0;
  for (let i = 0; i < creds.length; i += perCase) {
    const m = await timed(() => Promise.all(creds.slice(i, i + perCase).map((c) => provisioner.remove(c))));
    removals.push(m.wallMs);
    removalCpu += m.cpuMs;
  }
  await provisioner.close!();

  // How often a case does each, and how long it took inside the suite, from the suite's transcripts.
  const inSuite = cases.flatMap((c) => [...new Set((c.transcript ?? []).map((e) => e.session))].map((label) => loginPhases(c.transcript!, label)).filter((p) => p !== undefined));
  const count = (test: (e: TranscriptEntry) => boolean) => cases.reduce((n, c) => n + (c.transcript ?? []).filter(test).length, 0) / cases.length;
  const loginsPerCase = count((e) => e.dir === "note" && e.xml.startsWith("online as "));
  const rosterGets = count((e) => e.dir === "out" && /<query xmlns="jabber:iq:roster"\/><\/iq>$/.test(e.xml));
  const removalsPerCase = count((e) => e.session === "harness" && e.xml === "accounts removed");
  const tls = logins.every((l) => l.tls !== undefined);
  const rows: [string, number, number, number | undefined][] = [
    ["admin add-user (one command)", median(adds), suiteRun.accounts.created / cases.length, undefined],
    [tls ? "TCP, STARTTLS, TLS, features" : "TCP, stream, features", median(logins.map((l) => l.connect)), loginsPerCase, undefined],
    ...(tls ? [["  of which up to <proceed/>", median(logins.map((l) => l.tls!)), loginsPerCase, undefined] as [string, number, number, undefined]] : []),
    ["SASL (SCRAM)", median(logins.map((l) => l.sasl)), loginsPerCase, median(inSuite.map((l) => l.sasl))],
    ["stream restart and bind", median(logins.map((l) => l.bind)), loginsPerCase, median(inSuite.map((l) => l.bind))],
    ["roster get", median(rosters), rosterGets, undefined],
    [`admin delete-user (a case's ${perCase})`, median(removals), removalsPerCase, undefined],
  ];
  console.log(
    `\nset-up per case by what it goes to: each measured alone (median of ${N}, one at a time) x how often a case does it (from the suite's transcripts); the median inside the suite where the transcripts show it:`,
  );
  console.log(`  ${"".padEnd(34)} ${"alone".padStart(9)} ${"x a case".padStart(9)} ${"= a case".padStart(9)} ${"in suite".padStart(9)}`);
  let sum = 0;
  for (const [what, each, n, loaded] of rows) {
    if (!what.startsWith(" ")) sum += each * n;
    console.log(`  ${what.padEnd(34)} ${ms(each).padStart(9)} ${n.toFixed(2).padStart(9)} ${ms(each * n).padStart(9)} ${(loaded === undefined ? "" : ms(loaded)).padStart(9)}`);
  }
  console.log(`  ${"sum (a case's sessions log in partly at once: an upper bound)".padEnd(34)} ${ms(sum)}`);
  console.log(`  server CPU each: add-user ${ms(addCpu / N)}, login ${ms(loginCpu / N)}, delete-user ${ms(removalCpu / removals.length)} (a case's ${perCase}); /proc's 10 ms ticks, summed over ${N}`);
}

const target = await openTarget(
  { target: values.target, ...(values["server-config"] && { serverConfig: values["server-config"] as "harness" | "shipped" }) },
  { install: true, log: (l) => console.error(l), admins: ["xc-bench-admin@localhost"], ...(values.tls && { tls: values.tls as "starttls" | "direct" }) },
);
try {
  const admin = await adminOf(target);
  console.log(
    `\n## ${target.software?.name ?? target.name} ${target.software?.version ?? ""}, ${target.name}${values["server-config"] ? ` --server-config ${values["server-config"]}` : ""}${target.tls ? `, ${target.tls}` : ""} (${new Date().toISOString().slice(0, 10)})`,
  );
  const suiteRun = await suiteFigures(target, admin);
  await setupCosts(target, admin, suiteRun);
} finally {
  await target.stop();
}
