import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Element } from "ltx";
import xml from "@xmpp/xml";
import { FaultProxy, type ProxiedConnection } from "./support/fault-proxy.ts";
import { prosody } from "./support/prosody.ts";
import { runCli } from "./support/cli.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * The suite must fail on a server that breaks the rule, and only then: the proxy turns a real Prosody into
 * one that does, and into one that differs from it only in ways the RFC allows.
 */
let server: Awaited<ReturnType<typeof prosody>>;
let proxy: FaultProxy;
let port: number;

before(async () => {
  server = await prosody();
  proxy = new FaultProxy({ host: server.host, port: server.port });
  port = await proxy.listen();
});
after(async () => {
  await proxy.close();
  await server.stop();
});

const isRosterPush = (el: Element) => el.name === "iq" && el.attrs.type === "set" && Boolean(el.getChild("query", "jabber:iq:roster"));
const toChamber = (conn: ProxiedConnection) => Boolean(conn.jid?.endsWith("/chamber"));

async function run(cases: string[]) {
  const dir = tempDir("xc-proxy-");
  const r = await runCli(["run", ...cases, "--server", `127.0.0.1:${port}`, "--domain", "localhost", "--profile", "none", "--reporter", "json", "--out", dir]);
  const results = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8")) as { cases: { id: string; verdict: string; reason?: string; precondition?: { step: string } }[] };
  return { code: r.code, verdicts: Object.fromEntries(results.cases.map((c) => [c.id, c.verdict])), results };
}

test("dropping roster pushes to the second resource fails the push scenario", async () => {
  proxy.fault = (el, { conn }) => (isRosterPush(el) && toChamber(conn) ? "drop" : "pass");
  const r = await run(["roster-add-push", "roster-get-empty"]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.verdicts, { "roster-add-push": "fail", "roster-get-empty": "pass" });
  assert.match(r.results.cases.find((c) => c.id === "roster-add-push")!.reason!, /^juliet\/chamber did not receive <iq type="set"/);
});

test("a roster push after a rejected roster set is caught by the barrier, not by a sleep", async () => {
  // A server that pushes even though it rejected the set: the push follows the error on the same stream.
  proxy.fault = (el) =>
    el.name === "iq" && el.attrs.type === "error" && el.getChild("error")?.getChild("bad-request")
      ? [el, xml("iq", { type: "set", id: "leak" }, xml("query", { xmlns: "jabber:iq:roster" }, xml("item", { jid: "nurse@localhost" })))]
      : "pass";
  const r = await run(["roster-set-two-items"]);
  // "No side effects" is implied by RFC 6121 §2.3.3, not stated with a keyword: a derived rule, so a warning.
  assert.deepEqual(r.verdicts, { "roster-set-two-items": "warn" });
  assert.match(r.results.cases[0].reason!, /^juliet\/balcony received a stanza it must not .*id="leak"/);
});

test("with every push dropped, the push cases fail, the negative ones still pass, and a case whose set-up needs a push is skipped naming it", async () => {
  proxy.fault = (el) => (isRosterPush(el) ? "drop" : "pass");
  const r = await run(["roster-set-two-items", "roster-push-not-interested", "roster-add-push", "roster-delete-push-remove"]);
  assert.deepEqual(r.verdicts, { "roster-add-push": "fail", "roster-delete-push-remove": "skip", "roster-push-not-interested": "fail", "roster-set-two-items": "pass" });
  // Its set-up (the push of the item it then deletes) never came, twice: no verdict on the deletion's rules.
  const skipped = r.results.cases.find((c) => c.id === "roster-delete-push-remove")!;
  assert.match(skipped.reason!, /^the server did not give the precondition 'juliet\/chamber receives <iq type='set'>.*': juliet\/chamber did not receive/);
  assert.equal(skipped.precondition?.step.startsWith("juliet/chamber receives"), true);
});

test("a connection the server cuts mid-case is an error verdict with the reason, and the run goes on", async () => {
  proxy.fault = (el, { conn }) => (isRosterPush(el) && toChamber(conn) ? "disconnect" : "pass");
  const r = await run(["roster-add-push", "roster-get-empty"]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.verdicts, { "roster-add-push": "error", "roster-get-empty": "pass" });
  assert.match(r.results.cases.find((c) => c.id === "roster-add-push")!.reason!, /juliet\/chamber: the connection closed/);
  proxy.fault = undefined;
  assert.deepEqual(server.accounts(), []);
});

test("a server that answers a refused login with SASL success: a verdict, and no exception escapes the harness (its parser throws on what follows)", async () => {
  const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
  proxy.streamFault = { element: (el) => (el.name === "failure" && el.attrs.xmlns === SASL ? [xml("success", { xmlns: SASL })] : "pass") };
  try {
    const r = await run(["register-cancel-own-account"]);
    // The removed account's refused login is XEP-0077 §3.2's SHOULD (IBR-CANCEL-05): a warning.
    assert.equal(r.code, 0);
    assert.deepEqual(r.verdicts, { "register-cancel-own-account": "warn" });
    assert.match(r.results.cases[0].reason!, /did not receive <failure xmlns="urn:ietf:params:xml:ns:xmpp-sasl"\/>.*got <success/);
  } finally {
    proxy.streamFault = undefined;
  }
  assert.deepEqual(server.accounts(), []);
});
