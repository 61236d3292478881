import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { startRemoteServer } from "../src/remote/for-target.ts";
import { DialbackKeys } from "../src/remote/dialback.ts";
import { startWithRemote } from "../src/targets/pair.ts";
import { prosody } from "../src/targets/prosody.ts";
import { ejabberd } from "../src/targets/ejabberd.ts";
import type { S2sLink } from "../src/targets/s2s-log.ts";
import type { S2sMode } from "../src/targets/types.ts";
import { Session } from "../src/xmpp/connections/session.ts";
import { Transcript } from "../src/xmpp/connections/transcript.ts";
import { linksWhen } from "./support/s2s-links.ts";
import type { Inbox } from "../src/xmpp/connections/inbox.ts";

/** The first stanza not yet taken that `pick` accepts, waited for up to `timeoutMs`. */
async function take(inbox: Inbox, pick: (el: Element) => boolean, timeoutMs: number): Promise<Element | undefined> {
  const r = await inbox.waitUntil(() => inbox.items.find((i) => !i.consumed && pick(i.el)), timeoutMs);
  if (r) r.consumed = true;
  return r?.el;
}

/**
 * The scripted remote server against real servers: a local server on a.test federates with the harness
 * playing remote.test (no DNS: the server maps remote.test to the remote server's loopback address).
 */
const log = (l: string) => process.stderr.write(`${l}\n`);
const starters = { prosody: prosody.startOnce, ejabberd: ejabberd.startOnce };

const variants: { server: keyof typeof starters; s2s: S2sMode; external?: false; expect: { encrypted: boolean; auth: "certificate" | "dialback" } }[] = [
  { server: "prosody", s2s: "dialback", expect: { encrypted: false, auth: "dialback" } },
  { server: "ejabberd", s2s: "dialback", expect: { encrypted: false, auth: "dialback" } },
  { server: "prosody", s2s: "tls", expect: { encrypted: true, auth: "certificate" } },
  { server: "ejabberd", s2s: "tls", expect: { encrypted: true, auth: "certificate" } },
  // The remote server neither offers nor uses SASL EXTERNAL: Prosody (s2s_secure_auth) takes dialback over TLS from a certified peer.
  { server: "prosody", s2s: "tls", external: false, expect: { encrypted: true, auth: "dialback" } },
];

for (const v of variants) {
  const how = `${v.s2s === "tls" ? `TLS, ${v.expect.auth === "certificate" ? "SASL EXTERNAL" : "dialback over TLS"}` : "dialback over plain TCP"}`;
  test(`local:${v.server} and the scripted remote server (${how}): a message to a remote user arrives there, a subscription is approved from there, the target's probe arrives there, a remote user's subscribe reaches the local user`, async () => {
    const t0 = performance.now();
    const target = await startWithRemote(starters[v.server], { install: true, log, s2s: v.s2s });
    const transcript = new Transcript();
    const trace = () => transcript.entries.map((e) => `${e.at} ${e.session} ${e.dir} ${e.xml}`).join("\n");
    const remote = await startRemoteServer(target, { timeoutMs: 5000, transcript, ...(v.external === false && { external: false }) });
    let alice: Session | undefined;
    try {
      const up = performance.now() - t0;
      assert.equal(target.domain, "a.test");
      assert.equal(remote.domain, "remote.test");
      await target.accountCommands!.register("alice", "pw-alice");
      const security = target.tls ? { security: { tls: target.tls, ca: readFileSync(target.caFile!, "utf8") } } : {};
      alice = new Session("alice", { host: target.host, port: target.port, domain: target.domain, ...security }, { username: "alice", password: "pw-alice" }, "a1", transcript);
      await alice.start(5000);
      // An interested resource (RFC 6121 §2.1.6): roster pushes reach it.
      await alice.request(xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })), 5000);
      const a = alice;
      const aliceGets = (pick: (el: Element) => boolean) => a.waitUntil(() => a.inbox.items.find((r) => !r.consumed && pick(r.el)), 5000).then((r) => (r && (r.consumed = true), r?.el));
      const bob = remote.account("bob", transcript);
      const carol = remote.account("carol", transcript);

      // A local user's message to a remote user: the target opens s2s to remote.test and routes it (RFC 6121 §8.3).
      const sent = performance.now();
      await alice.send(xml("message", { to: "bob@remote.test", type: "chat", id: "m1" }, xml("body", {}, "to the remote side")));
      const m = await take(bob.inbox, (el) => el.is("message"), 5000);
      assert.ok(m, `no message reached bob@remote.test\n${trace()}`);
      const firstMessage = performance.now() - sent;
      assert.equal(m.attrs.from, "alice@a.test/a1");
      assert.equal(m.getChildText("body"), "to the remote side");

      // alice subscribes to bob; the request reaches remote.test from her bare JID; bob approves from there.
      await alice.send(xml("presence", { to: "bob@remote.test", type: "subscribe", id: "s1" }));
      const sub = await take(bob.inbox, (el) => el.is("presence") && el.attrs.type === "subscribe", 5000);
      assert.ok(sub, `no subscribe reached bob@remote.test\n${trace()}`);
      assert.equal(sub.attrs.from, "alice@a.test");
      const sentBack = performance.now();
      await bob.send(`<presence to='alice@a.test' type='subscribed' id='s2'/>`);
      const push = await aliceGets((el) => el.is("iq") && el.getChild("query", "jabber:iq:roster")?.getChild("item")?.attrs.subscription === "to");
      assert.ok(push, `alice's roster shows no subscription to bob after his approval\n${trace()}`);
      const firstInbound = performance.now() - sentBack;

      // alice's initial presence: the target probes her contact on the remote server (RFC 6121 §4.3.1).
      await alice.send(xml("presence", {}));
      const probe = await take(bob.inbox, (el) => el.is("presence") && el.attrs.type === "probe", 5000);
      assert.ok(probe, `no probe reached bob@remote.test\n${trace()}`);
      // Which of alice's JIDs it comes from is PROBE-01's question (a scenario's), not this test's.
      assert.equal(probe.attrs.from.split("/")[0], "alice@a.test");

      // A remote user's subscription request reaches the (available) local user, from the remote bare JID.
      await carol.send(`<presence to='alice@a.test' type='subscribe' id='s3'/>`);
      const incoming = await aliceGets((el) => el.is("presence") && el.attrs.type === "subscribe");
      assert.ok(incoming, `carol's subscribe did not reach alice\n${trace()}`);
      assert.equal(incoming.attrs.from, "carol@remote.test");

      // Barriers work with a remote account on either side: markers both ways, and a ping from remote.test answered.
      await a.sendMarker(bob.jid, "to-remote");
      assert.ok(await bob.waitUntil(() => (bob.hasMarker("to-remote") ? true : undefined), 5000), "alice's marker reached bob@remote.test");
      await bob.sendMarker(a.jid, "from-remote");
      assert.ok(await a.waitUntil(() => (a.hasMarker("from-remote") ? true : undefined), 5000), "bob's marker reached alice");
      assert.equal((await bob.ping(5000)).attrs.type, "result");
      assert.deepEqual(
        bob.inbox.items.filter((r) => !r.consumed).map((r) => r.el.toString()),
        [],
        "markers and ping replies stay out of the inbox",
      );

      // How each side authenticated the other: what the remote server negotiated, and what the target's log says.
      for (const direction of ["in", "out"] as const) {
        assert.deepEqual(
          remote.links.filter((l) => l.direction === direction).map(({ encrypted, auth }) => ({ encrypted, auth })),
          [v.expect],
          `${direction}: ${JSON.stringify(remote.links)}`,
        );
      }
      {
        const fromRemote = (ls: S2sLink[]) => ls.filter((l) => l.from === "remote.test");
        const accepted = fromRemote(await linksWhen(target, (ls) => fromRemote(ls).length > 0, 10_000));
        assert.deepEqual(
          accepted.map(({ encrypted, auth }) => ({ encrypted, auth })),
          [v.expect],
          JSON.stringify(accepted),
        );
      }
      log(
        `local:${v.server} + remote (${how}): probe from ${probe.attrs.from}; target up in ${up.toFixed(0)} ms; first message to the remote server (s2s set-up included) ${firstMessage.toFixed(0)} ms; first stanza from it (set-up and the target's verification included) ${firstInbound.toFixed(0)} ms`,
      );
    } finally {
      await alice?.close();
      await remote.stop();
      await target.stop();
    }
  });
}

test("dialback keys: a key verifies only for the receiving server, originating server and stream id it was made for", () => {
  const keys = new DialbackKeys();
  const key = keys.key("a.test", "remote.test", "s1");
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(keys.verify(key, "a.test", "remote.test", "s1"), true);
  assert.equal(keys.verify(key, "b.test", "remote.test", "s1"), false);
  assert.equal(keys.verify(key, "a.test", "remote.test", "s2"), false);
  assert.equal(new DialbackKeys().verify(key, "a.test", "remote.test", "s1"), false, "another server's secret");
});
