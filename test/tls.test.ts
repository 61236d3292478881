import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { plainAllowed } from "../src/xmpp/wire/endpoint.ts";
import { Session } from "../src/xmpp/connections/session.ts";
import { Transcript } from "../src/xmpp/connections/transcript.ts";
import { runCli } from "./support/cli.ts";
import { prosody } from "./support/prosody.ts";
import { tempDir } from "./support/temp-dir.ts";

let tlsServer: Awaited<ReturnType<typeof prosody>>;
let plainServer: Awaited<ReturnType<typeof prosody>>;
before(async () => {
  [tlsServer, plainServer] = await Promise.all([prosody({ tls: "starttls" }), prosody()]);
  await tlsServer.accountCommands!.register("me", "my-secret");
});
after(async () => {
  await Promise.all([tlsServer.stop(), plainServer.stop()]);
});

const CASES = ["roster-get-empty", "roster-add-push", "roster-set-two-items"];
const out = () => tempDir("xc-tls-");
const results = (d: string) => JSON.parse(readFileSync(path.join(d, "results.json"), "utf8"));
const at = (t: typeof tlsServer) => ["--server", `127.0.0.1:${t.port}`, "--domain", "localhost"];

test("over STARTTLS with --ca the run passes and records the transport and the features before TLS", async () => {
  const d = out();
  const r = await runCli(["run", ...CASES, ...at(tlsServer), "--ca", tlsServer.caFile!, "--reporter", "console,json,junit", "--out", d]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const run = results(d);
  assert.deepEqual(
    run.cases.map((c: { verdict: string }) => c.verdict),
    ["pass", "pass", "pass"],
  );
  assert.deepEqual(run.target.transport, { tls: "starttls", certificateVerified: true, ca: tlsServer.caFile, sasl: "SCRAM-SHA-1" });
  assert.deepEqual(run.target.server.streamFeatures.beforeTls, ['<starttls xmlns="urn:ietf:params:xml:ns:xmpp-tls"><required/></starttls>']);
  assert.match(r.stdout, /over STARTTLS \(certificate verified\), SASL SCRAM-SHA-1/);
  assert.match(readFileSync(path.join(d, "junit.xml"), "utf8"), /<property name="transport" value="over STARTTLS \(certificate verified\), SASL SCRAM-SHA-1"\/>/);
});

test("without --ca the certificate signed by the run's own CA is a clear error before any case runs (exit 3)", async () => {
  const d = out();
  const r = await runCli(["run", ...CASES, ...at(tlsServer), "--reporter", "console,json", "--out", d]);
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /the run could not start: TLS: the certificate 127\.0\.0\.1:\d+ presented for localhost is not trusted: unable to verify the first certificate \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); pass --ca FILE/,
  );
  assert.deepEqual(
    results(d).cases.map((c: { verdict: string }) => c.verdict),
    ["error", "error", "error"],
  );
});

test("--insecure works only when asked for, is warned about and recorded in the results", async () => {
  const d = out();
  const r = await runCli(["run", "roster-get-empty", ...at(tlsServer), "--insecure", "--reporter", "console,json", "--out", d]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /warning: --insecure: the server's TLS certificate is not verified/);
  assert.match(r.stdout, /certificate NOT verified: --insecure/);
  const run = results(d);
  assert.equal(run.target.transport.certificateVerified, false);
  assert.ok(run.notes.includes("the server's TLS certificate was not verified (--insecure)"));
  assert.equal(run.options.insecure, true);
  assert.equal((await runCli(["run", "roster-get-empty", ...at(tlsServer), "--insecure", "--ca", tlsServer.caFile!])).code, 2, "--ca and --insecure exclude each other");
});

test("--tls starttls refuses a server that does not offer it; auto stays plaintext on it", async () => {
  const strict = await runCli(["run", "roster-get-empty", ...at(plainServer), "--tls", "starttls", "--reporter", "console", "--out", out()]);
  assert.equal(strict.code, 3, strict.stdout + strict.stderr);
  assert.match(strict.stdout, /does not offer STARTTLS/);
  const d = out();
  const auto = await runCli(["run", "roster-get-empty", ...at(plainServer), "--reporter", "json", "--out", d]);
  assert.equal(auto.code, 0, auto.stdout + auto.stderr);
  assert.equal(results(d).target.transport.tls, "none");
});

test("a local target over direct TLS trusts the certificate it made", async () => {
  const d = out();
  const r = await runCli(["run", "roster-add-push", "--target", "local:prosody", "--tls", "direct", "--reporter", "json", "--out", d]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual([results(d).target.transport.tls, results(d).target.transport.certificateVerified], ["direct", true]);
});

test("send: one raw stanza as an existing account, what comes back is printed, the password never is", async () => {
  const env = { XMPP_CONFORM_PASSWORD: "my-secret" };
  const stanza = "<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>";
  const r = await runCli(["send", stanza, ...at(tlsServer), "--as", "me@localhost", "--ca", tlsServer.caFile!, "--listen", "200", "--verbose"], { env });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  // Prosody writes attributes in no fixed order.
  assert.match(r.stdout, /-> <iq type="get" id="r1"><query xmlns="jabber:iq:roster"\/><\/iq>\n.*<- <iq (?=[^>]*type="result")[^>]*id="r1"/);
  assert.match(r.stdout, /-> <auth [^>]*>\[redacted\]<\/auth>/);
  assert.doesNotMatch(r.stdout + r.stderr, /my-secret|bXktc2VjcmV0/);
  const wrong = await runCli(["send", stanza, ...at(tlsServer), "--as", "me@localhost", "--ca", tlsServer.caFile!, "--listen", "0"], { env: { XMPP_CONFORM_PASSWORD: "nope" } });
  assert.equal(wrong.code, 3, wrong.stdout + wrong.stderr);
  assert.match(wrong.stderr, /cannot log in as me@localhost .*not-authorized/);
  const bad = await runCli(["send", "<iq", ...at(tlsServer), "--as", "me@localhost"], { env });
  assert.equal(bad.code, 2, bad.stdout + bad.stderr);
});

test("a refused login is that session's error, never an unhandled rejection that would end the run", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on("unhandledRejection", onUnhandled);
  try {
    const endpoint = { host: "127.0.0.1", port: tlsServer.port, domain: "localhost", security: { tls: "starttls" as const, ca: readFileSync(tlsServer.caFile!, "utf8") } };
    const logins = Array.from({ length: 12 }, (_, i) => new Session(`s${i}`, endpoint, { username: "me", password: "wrong" }, `r${i}`, new Transcript()).start(3000));
    const results = await Promise.allSettled(logins);
    assert.deepEqual(
      results.map((r) => r.status === "rejected" && /not-authorized/.test(String(r.reason))),
      results.map(() => true),
    );
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test("SASL PLAIN only over TLS, on loopback, or when allowed", () => {
  const remote = { host: "xmpp.example.org", port: 5222, domain: "example.org" };
  assert.equal(plainAllowed({ ...remote, security: { tls: "none" } }), false);
  assert.equal(plainAllowed({ ...remote, security: { tls: "starttls" } }), true);
  assert.equal(plainAllowed({ ...remote, security: { tls: "none", allowPlain: true } }), true);
  assert.equal(plainAllowed({ ...remote, host: "127.0.0.1" }), true);
});
