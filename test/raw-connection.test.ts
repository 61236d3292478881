import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Endpoint } from "../src/xmpp/wire/endpoint.ts";
import { RawConnection } from "../src/xmpp/connections/raw-connection.ts";
import { NS } from "../src/xmpp/wire/ns.ts";
import { Transcript } from "../src/xmpp/connections/transcript.ts";
import type { Target } from "../src/targets/types.ts";
import { prosody } from "./support/prosody.ts";
import { ejabberd } from "./support/ejabberd.ts";

// Raw connections against the real servers: what the harness reads off the wire, not verdicts on the servers.
const creds = { username: "raw1", password: "raw-secret" };
const servers: Record<string, Target> = {};
before(async () => {
  const [p, e, tls] = await Promise.all([prosody(), ejabberd(), prosody({ tls: "starttls" })]);
  Object.assign(servers, { prosody: p, ejabberd: e, tls });
  await Promise.all(Object.values(servers).map((s) => s.accountCommands!.register(creds.username, creds.password)));
});
after(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
});

const endpointOf = (t: Target): Endpoint => ({
  host: t.host,
  port: t.port,
  domain: t.domain,
  ...(t.tls === "starttls" && { security: { tls: "starttls" as const, ca: readFileSync(t.caFile!, "utf8") } }),
});

async function raw(name: string, label = "c1") {
  const transcript = new Transcript();
  const c = new RawConnection(label, endpointOf(servers[name]), transcript);
  await c.connect(3000);
  return { c, transcript };
}

for (const name of ["prosody", "ejabberd"]) {
  test(`${name}: the response stream header's attributes, namespaces and prefix, and the features before authentication`, async () => {
    const { c, transcript } = await raw(name);
    const header = await c.openStream({ from: `${creds.username}@${servers[name].domain}`, lang: "en" });
    assert.ok(header, "a response stream header");
    assert.equal(header.name, "stream:stream");
    assert.equal(header.prefix, "stream");
    assert.deepEqual([header.namespaces[""], header.namespaces.stream], [NS.client, NS.stream]);
    assert.equal(header.attrs.from, servers[name].domain);
    assert.equal(header.attrs.version, "1.0");
    assert.match(header.attrs.id, /^\S{4,}$/);
    const features = await c.waitFeatures();
    assert.ok(features?.getChild("mechanisms", NS.sasl), "SASL mechanisms are offered before authentication");
    assert.equal(c.featuresOf("initial"), features);
    // The transcript shows the header as the open tag it is, and our own header as sent.
    assert.ok(transcript.entries.some((e) => e.dir === "in" && e.xml.startsWith("<stream:stream ") && e.xml.includes(`id='${header.attrs.id}'`)));
    assert.ok(transcript.entries.some((e) => e.dir === "out" && e.xml.includes("xml:lang='en'")));
    await c.close();
    assert.ok(c.tcpClosed);
  });

  test(`${name}: XML that is not well-formed gets a stream error; the stream and the connection are then closed`, async () => {
    const { c } = await raw(name);
    await c.openStream();
    await c.waitFeatures();
    c.send("<message><body>never closed</message>");
    assert.ok(await c.waitClosed(5000), "the server closes the connection");
    assert.equal(c.streamError?.condition, "not-well-formed");
    assert.ok(c.streamClosed, "the closing stream tag came before the connection closed");
  });

  test(`${name}: SASL step by step: an abort, a wrong password fails with a condition, a retry succeeds; restart, bind, a stanza and markers`, async () => {
    const { c, transcript } = await raw(name);
    await c.openStream();
    const first = c.header!.attrs.id;
    await c.waitFeatures();
    const challenge = await c.authenticate(creds, "SCRAM-SHA-1", { until: "challenge" });
    assert.equal(challenge?.name, "challenge");
    c.send(`<abort xmlns='${NS.sasl}'/>`);
    // What came before the abort is no answer to it, however close in time (arrival order decides, not the clock).
    assert.deepEqual(
      c.elements.map((r) => c.arrivedSinceSend(r)),
      c.elements.map(() => false),
    );
    const aborted = await c.next((el) => el.is("failure", NS.sasl), 3000);
    assert.ok(aborted && c.arrivedSinceSend(c.elements.at(-1)!));
    assert.deepEqual([aborted?.name, aborted?.getChildElements()[0]?.name], ["failure", "aborted"]);
    const failure = await c.authenticate({ ...creds, password: "wrong" }, "SCRAM-SHA-1");
    assert.equal(failure?.name, "failure");
    assert.equal(failure?.getChildElements()[0]?.name, "not-authorized");
    assert.equal(failure?.attrs.xmlns, NS.sasl);
    const success = await c.authenticate(creds, "SCRAM-SHA-1");
    assert.equal(success?.name, "success");
    assert.ok(c.authenticated);
    // Payloads are redacted in the transcript.
    const auths = transcript.entries.filter((e) => /^<(auth|response|challenge|success)\b/.test(e.xml));
    assert.ok(auths.length >= 4 && auths.every((e) => !/>[^<[]{8,}</.test(e.xml)), auths.map((e) => e.xml).join("\n"));

    await c.restart();
    assert.notEqual(c.header!.attrs.id, first, "a new stream id after the restart");
    const features = await c.waitFeatures();
    assert.ok(features?.getChild("bind", NS.bind), "bind is offered after SASL");
    assert.equal(c.featuresOf("after-sasl"), features);
    const bound = await c.bind();
    assert.equal(bound?.attrs.type, "result");
    assert.match(c.jid, new RegExp(`^${creds.username}@${servers[name].domain.replace(/\./g, "\\.")}/.+`));
    assert.ok(c.isOpen);

    // Stanzas land in the inbox in the shape sessions use; pings and markers stay out of it.
    c.send("<iq type='get' id='v1'><query xmlns='jabber:iq:roster'/></iq>");
    const reply = await c.waitUntil(() => c.inbox.items.find((r) => r.el.attrs.id === "v1"), 3000);
    assert.equal(reply?.el.attrs.type, "result");
    await c.ping(3000);
    const other = (await raw(name, "c2")).c;
    await other.login(creds, { resource: "second" });
    assert.equal(other.jid.split("/")[1], "second", "the requested resourcepart");
    await other.sendMarker(c.jid, "t1");
    assert.ok(await c.waitUntil(() => (c.hasMarker("t1") ? true : undefined), 3000), "the marker arrived");
    assert.ok(!c.inbox.items.some((r) => r.el.getChild("barrier")), "markers are not stanzas for the steps");
    // A failed barrier ends no wait: what arrives after it still counts (the rule sessions follow, see Inbox.waitFor).
    const failed = Promise.reject(new Error("a barrier failed"));
    const later = c.waitUntil(() => c.inbox.items.find((r) => r.el.attrs.id === "v2"), 3000, failed);
    c.send("<iq type='get' id='v2'><query xmlns='jabber:iq:roster'/></iq>");
    assert.equal((await later)?.el.attrs.type, "result", "the answer after a failed barrier is seen");
    await Promise.all([c.close(), other.close()]);
  });
}

test("STARTTLS on a raw connection: features before TLS, after TLS and after SASL", async () => {
  const { c } = await raw("tls");
  await c.login(creds);
  const before = c.featuresOf("initial")!;
  assert.ok(before.getChild("starttls", NS.tls)?.getChild("required"), "TLS is required on this server");
  assert.ok(!c.featuresOf("after-tls")?.getChild("starttls", NS.tls), "no STARTTLS after TLS");
  assert.ok(c.featuresOf("after-tls")?.getChild("mechanisms", NS.sasl));
  assert.ok(c.featuresOf("after-sasl")?.getChild("bind", NS.bind));
  assert.deepEqual(c.headers.length, 3, "three streams: before TLS, after TLS, after SASL");
  assert.equal(new Set(c.headers.map((h) => h.attrs.id)).size, 3);
  await c.close();
});
