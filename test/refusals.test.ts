import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "ltx";
import { loginRefusal, registrationRefusal, adminRefusal } from "../src/accounts/refusal.ts";
import { ROOT, runCli } from "./support/cli.ts";
import { prosody } from "./support/prosody.ts";
import { LoginFailure } from "../src/xmpp/connections/session.ts";
import { tempDir } from "./support/temp-dir.ts";

type Server = Awaited<ReturnType<typeof prosody>>;
/** Prosody exempts loopback from its registration limits unless the allowlist is emptied. */
const NO_EXEMPTION = "registration_allowlist = { }";
const CONFIGS = {
  off: ["allow_registration = false"],
  interval: ["min_seconds_between_registrations = 300", NO_EXEMPTION],
  // Six registrations per ten minutes: the preflight takes two, the server's identification one, the cases three.
  bucket: ["registration_throttle_max = 6", "registration_throttle_period = 600", NO_EXEMPTION],
  sasl: ['disable_sasl_mechanisms = { "SCRAM-SHA-1", "PLAIN" }'],
};
const servers = {} as Record<keyof typeof CONFIGS, Server>;
before(async () => {
  await Promise.all(Object.entries(CONFIGS).map(async ([name, extraConfig]) => (servers[name as keyof typeof CONFIGS] = await prosody({ extraConfig }))));
});
after(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
});

interface Results {
  cases: { id: string; verdict: string; reason?: string; transcript: unknown[] }[];
  accounts: { created: number; notRemoved: number; refused?: string };
  targetError?: string;
}
const ROSTER = path.join(ROOT, "scenarios", "roster");

async function run(server: Server, extra: string[] = []) {
  const out = tempDir("xc-refusal-");
  const state = tempDir("xc-state-");
  const r = await runCli(["run", ROSTER, "--server", `127.0.0.1:${server.port}`, "--domain", server.domain, "--reporter", "console,json", "--out", out, ...extra], {
    env: { XDG_STATE_HOME: state },
  });
  const journals = path.join(state, "xmpp-conform", "accounts");
  return { ...r, results: JSON.parse(readFileSync(path.join(out, "results.json"), "utf8")) as Results, journals: existsSync(journals) ? readdirSync(journals) : [] };
}

/** Refused before any case: exit 3, one message, every case an error with it, nothing left on the server. */
function refusedAtStart(r: Awaited<ReturnType<typeof run>>, server: Server, message: RegExp) {
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.results.targetError!, message);
  assert.ok(r.results.cases.length > 40);
  assert.ok(r.results.cases.every((c) => c.verdict === "error" && c.reason!.includes(r.results.targetError!)));
  assert.equal(r.stdout.match(/^ {2}E \[/gm)?.length, 1, `one line for the cases, not one per case:\n${r.stdout}`);
  assert.match(r.stdout, new RegExp(`… and ${r.results.cases.length - 1} more not run, for the same reason`));
  assert.deepEqual(server.accounts(), []);
  assert.deepEqual(r.journals, [], "nothing left, so no journal kept");
}

test("registration off: the run stops before any case with the server's answer and what to use instead, exit 3", async () => {
  const r = await run(servers.off);
  refusedAtStart(
    r,
    servers.off,
    /the server does not offer in-band registration \(XEP-0077\): its stream features \(.*\) have no <register\/>; use --accounts admin .* or --accounts file .*allow_registration = true/,
  );
});

test("registration throttled by a minimum interval: caught by the preflight's second registration, exit 3", async () => {
  const r = await run(servers.interval);
  refusedAtStart(
    r,
    servers.interval,
    /limits in-band registrations .* answered <policy-violation\/> \(wait\): "Too many registrations from this IP address recently".*--accounts admin .*min_seconds_between_registrations/,
  );
});

test("registration throttled mid-run: no more asking, the remaining cases are errors with the one reason, exit 3", async () => {
  const r = await run(servers.bucket, ["--concurrency", "2"]);
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.equal(r.results.targetError, undefined);
  assert.match(r.results.accounts.refused!, /answered <policy-violation\/> \(wait\)/);
  const errors = r.results.cases.filter((c) => c.verdict === "error");
  assert.ok(errors.length > 40, `${errors.length} errors`);
  assert.ok(
    errors.every((c) => c.reason === r.results.accounts.refused),
    "one reason for all of them",
  );
  assert.ok(r.results.cases.filter((c) => c.verdict === "error" && c.transcript.length === 0).length > 40, "most were never started");
  assert.ok(r.stdout.split("\n").length < 40, `a few lines, not one per case:\n${r.stdout}`);
  assert.match(r.stdout, /… and \d+ more not run, for the same reason/);
  assert.match(r.stdout, /ERROR \d+ cases not run:\n {2}the server limits in-band registrations/);
  assert.equal(r.results.accounts.notRemoved, 0);
  assert.deepEqual(servers.bucket.accounts(), []);
  assert.deepEqual(r.journals, []);
});

test("no SASL mechanism the harness speaks: said before any account is made, exit 3", async () => {
  const r = await run(servers.sasl);
  refusedAtStart(r, servers.sasl, /the server offers no SASL mechanism the harness speaks \(it offers: none\)/);
  assert.equal(r.results.accounts.created, 0);
});

test("the server's answers are classified: throttling, refusal, connection limits, other failures", () => {
  const iqError = (condition: string, type: string) => parse(`<iq type='error'><error type='${type}'><${condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`);
  assert.equal(registrationRefusal(iqError("resource-constraint", "wait"))?.kind, "registration-throttled", "ejabberd's registration_timeout");
  assert.equal(registrationRefusal(iqError("not-allowed", "cancel"))?.kind, "registration-disabled");
  assert.equal(registrationRefusal(iqError("forbidden", "auth"))?.kind, "registration-disabled");
  assert.equal(registrationRefusal(iqError("conflict", "cancel")), undefined, "an account that exists is not a refusal");
  assert.equal(adminRefusal("admin@example.org", iqError("forbidden", "auth"))?.kind, "admin-refused");
  assert.match(adminRefusal("admin@example.org", iqError("forbidden", "auth"))!.message, /make admin@example\.org a server admin/);
  // Decided by the server's answer the failure carries, not by its words.
  const failure = (fields: Partial<LoginFailure>) => Object.assign(new LoginFailure("cannot log in as a@b at h:1: (worded for people)"), fields);
  assert.equal(loginRefusal(failure({ stream: "policy-violation" }), "x")?.kind, "connection-limit");
  assert.equal(loginRefusal(new Error("read ECONNRESET"), "x")?.kind, "connection-limit");
  assert.equal(loginRefusal(new Error("the server refused the connection (stream error resource-constraint): it may limit connections per address"), "x")?.kind, "connection-limit");
  assert.equal(loginRefusal(failure({ sasl: "not-authorized" }), "x")?.kind, "login-refused");
  assert.equal(loginRefusal(failure({ sasl: "invalid-mechanism" }), "x"), undefined);
  assert.equal(loginRefusal(new Error("cannot log in as a@b at h:1: no session (no answer within 3000 ms)"), "x"), undefined);
});
