import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import xml from "@xmpp/xml";
import type { RunResult } from "../src/results/schema.ts";
import type { Target } from "../src/targets/types.ts";
import { NS } from "../src/xmpp/wire/ns.ts";
import { openWebSocketStream, type WebSocketEndpoint } from "../src/xmpp/wire/websocket.ts";
import { WebSocketServer } from "ws";
import { once } from "node:events";
import { Session } from "../src/xmpp/connections/session.ts";
import { Transcript } from "../src/xmpp/connections/transcript.ts";
import { prosody } from "./support/prosody.ts";
import { ejabberd } from "./support/ejabberd.ts";
import { runCli } from "./support/cli.ts";
import { rawLogin, register } from "./support/raw-login.ts";
import { tempDir } from "./support/temp-dir.ts";

/** RFC 7395 on the local targets: ws:// on plaintext servers, wss:// on TLS ones, both servers; raw, through xmpp.js and through the CLI. */
const starters = { prosody, ejabberd } as const;
const started: Target[] = [];
after(() => Promise.all(started.map((t) => t.stop())));

async function start(server: keyof typeof starters, tls?: "starttls"): Promise<Target> {
  const t = await starters[server]({ websocket: true, ...(tls && { tls }) });
  started.push(t);
  return t;
}

const at = (t: Target, ca = true): WebSocketEndpoint => ({ url: t.websocket!, domain: t.domain, security: { ...(ca && t.caFile && { ca: readFileSync(t.caFile, "utf8") }) } });
let serial = 0;
const fresh = () => ({ username: `ws${process.pid}x${++serial}`, password: `pw-${serial}` });

/** Logs in as the harness's sessions do over WebSocket, sends a message to its own full JID and closes. */
async function viaTransport(t: Target): Promise<void> {
  const creds = fresh();
  const reg = await openWebSocketStream(at(t), 5000);
  await register(reg, t.domain, creds.username, creds.password);
  reg.close();
  const ws = at(t);
  const endpoint = {
    host: "127.0.0.1",
    port: Number(new URL(ws.url).port),
    domain: t.domain,
    websocket: ws.url,
    security: { tls: ws.url.startsWith("wss:") ? ("direct" as const) : ("none" as const), ...ws.security },
  };
  const transcript = new Transcript();
  const session = new Session("web", endpoint, creds, "tab", transcript);
  await session.start(5000);
  try {
    assert.equal(session.jid, `${creds.username}@${t.domain}/tab`);
    await session.send(xml("message", { to: session.jid, id: "self1" }, xml("body", {}, "over websocket")));
    const echo = await session.waitUntil(() => session.inbox.items.find((r) => r.el.is("message")), 5000);
    assert.equal(echo?.el.getChildText("body"), "over websocket");
    assert.equal(echo?.el.attrs.from, session.jid);
    // RFC 7395 §3.3.3: each stanza is a document of its own, with its namespace.
    assert.ok(
      transcript.entries.some((e) => e.dir === "out" && /^<message [^>]*xmlns="jabber:client"/.test(e.xml)),
      transcript.entries.map((e) => e.xml).join("\n"),
    );
  } finally {
    await session.close();
  }
  assert.equal(session.closedReason, "closed by the harness");
}

for (const server of ["prosody", "ejabberd"] as const) {
  test(`local:${server} serves RFC 7395 on ws://: <open/> answered by <open/> and features; registration, SCRAM-SHA-1 login and bind; <close/> answered by <close/>`, async () => {
    const t = await start(server);
    assert.match(t.websocket!, /^ws:\/\/127\.0\.0\.1:\d+\/xmpp-websocket$/);
    const creds = fresh();
    const first = await openWebSocketStream(at(t), 5000);
    assert.ok(first.opened.is("open", NS.framing), first.opened.toString());
    assert.equal(first.opened.attrs.from, t.domain);
    assert.equal(first.opened.attrs.version, "1.0");
    assert.ok(first.opened.attrs.id, "the server's <open/> carries a stream id");
    assert.ok(first.features.getChild("mechanisms", "urn:ietf:params:xml:ns:xmpp-sasl"), first.features.toString());
    await register(first, t.domain, creds.username, creds.password);
    first.close();

    const stream = await openWebSocketStream(at(t), 5000);
    const { jid } = await rawLogin(stream, creds, "SCRAM-SHA-1", "web");
    assert.equal(jid, `${creds.username}@${t.domain}/web`);
    const pong = await stream.request(`<iq type='get' id='p1' xmlns='jabber:client'><ping xmlns='urn:xmpp:ping'/></iq>`, "p1");
    assert.equal(pong.attrs.type, "result");
    const closed = await stream.exchange(`<close xmlns='${NS.framing}'/>`, () => false, "close").catch((e: Error) => e);
    assert.match(String(closed), /closed the stream \(<close\/>\)|closed the WebSocket/, "the server answers <close/> and closes");
  });

  test(`local:${server} over ws:// through the harness's session: login, a message to the own full JID comes back, the session closes`, async () => {
    await viaTransport(await start(server));
  });

  test(`local:${server} with TLS serves wss://: the run CA's certificate is checked, login and bind succeed (raw and through the xmpp.js transport); without the CA the handshake fails`, async () => {
    const t = await start(server, "starttls");
    assert.match(t.websocket!, /^wss:\/\/127\.0\.0\.1:\d+\/xmpp-websocket$/);
    const creds = fresh();
    const reg = await openWebSocketStream(at(t), 5000);
    await register(reg, t.domain, creds.username, creds.password);
    reg.close();
    const stream = await openWebSocketStream(at(t), 5000);
    assert.equal((await rawLogin(stream, creds, "PLAIN", "web")).jid, `${creds.username}@${t.domain}/web`);
    stream.close();
    await assert.rejects(openWebSocketStream(at(t, false), 5000), /is not trusted: unable to verify the first certificate.*pass --ca FILE/);
    // The xmpp.js transport over wss://, with the run CA: the client names itself in <open/> once authenticated.
    await viaTransport(t);
  });
}

const out = () => tempDir("xc-websocket-");
const resultsIn = (d: string) => JSON.parse(readFileSync(path.join(d, "results.json"), "utf8")) as RunResult;

test("run --websocket wss://URL --domain D --ca FILE: a running server over WebSocket with TLS, the transport in every report; without --ca the certificate is refused (exit 3)", async () => {
  const t = await start("prosody", "starttls");
  const d = out();
  const r = await runCli(["run", "roster-add-push", "--websocket", t.websocket!, "--domain", t.domain, "--ca", t.caFile!, "--reporter", "console,junit,json", "--out", d]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const transport = resultsIn(d).target.transport;
  assert.deepEqual({ websocket: transport?.websocket, tls: transport?.tls, verified: transport?.certificateVerified }, { websocket: t.websocket, tls: "direct", verified: true });
  assert.match(r.stdout.split("\n")[0], new RegExp(`over WebSocket ${t.websocket!.replace(/[.:/]/g, "\\$&")} \\(certificate verified\\)`));
  assert.match(readFileSync(path.join(d, "junit.xml"), "utf8"), /<property name="transport" value="over WebSocket wss:\/\/127\.0\.0\.1:\d+\/xmpp-websocket \(certificate verified\)/);
  const dr = out();
  const refused = await runCli(["run", "roster-add-push", "--websocket", t.websocket!, "--domain", t.domain, "--reporter", "json", "--out", dr]);
  assert.equal(refused.code, 3, refused.stdout + refused.stderr);
  assert.match(resultsIn(dr).targetError ?? "", /is not trusted: unable to verify the first certificate.*pass --ca FILE/);
});

test("run --target local:prosody --websocket CASE: the local server serves RFC 7395 and the run goes over it (a bare --websocket before a case leaves the case a case)", async () => {
  const d = out();
  const r = await runCli(["run", "--target", "local:prosody", "--websocket", "roster-add-push", "--reporter", "console,json", "--out", d]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const res = resultsIn(d);
  assert.deepEqual(
    res.cases.map((c) => c.id),
    ["roster-add-push"],
  );
  assert.match(res.target.transport?.websocket ?? "", /^ws:\/\/127\.0\.0\.1:\d+\/xmpp-websocket$/);
  assert.match(r.stdout.split("\n")[0], /over WebSocket ws:\/\/127\.0\.0\.1:\d+\/xmpp-websocket, SASL /);
});

test("--websocket usage errors exit 2 with what to write instead", async () => {
  const cases: [string[], RegExp][] = [
    [["--websocket"], /--websocket without a URL is for --target local:\.\.\.; for a running server give its URL/],
    [["--target", "local:prosody", "--websocket", "ws://127.0.0.1:5280/xmpp-websocket"], /--websocket URL names a running server; with --target give --websocket without a URL/],
    [["--websocket", "http://127.0.0.1:5280/xmpp-websocket", "--domain", "localhost"], /--websocket must be a ws:\/\/ or wss:\/\/ URL/],
    [["--websocket", "ws://127.0.0.1:5280/xmpp-websocket"], /--websocket URL needs --domain/],
    [["--websocket", "ws://127.0.0.1:5280/xmpp-websocket", "--server", "127.0.0.1:5222", "--domain", "localhost"], /--server and --websocket exclude each other/],
    [["--websocket", "wss://127.0.0.1:5281/xmpp-websocket", "--domain", "localhost", "--tls", "starttls"], /--tls starttls is for TCP streams: over WebSocket the URL says whether there is TLS/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(["run", ...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  }
});

test("a WebSocket server that never answers <open/>: one rejection naming <open/>, and the features' own timeout does not reject unhandled", async () => {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, handleProtocols: () => "xmpp" });
  await once(server, "listening");
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    const { port } = server.address() as { port: number };
    await assert.rejects(openWebSocketStream({ url: `ws://127.0.0.1:${port}/xmpp-websocket`, domain: "localhost" }, 100), /no <open\/>/);
    // Both timers were due together: the features' fires in the same timers phase, and a rejection it left
    // unhandled is reported before the loop reaches its check phase twice.
    for (let i = 0; i < 2; i++) await new Promise(setImmediate);
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
    for (const c of server.clients) c.terminate();
    server.close();
  }
});
