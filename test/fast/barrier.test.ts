import { test } from "node:test";
import assert from "node:assert/strict";
import { barrier } from "../../src/run/barrier.ts";
import type { Participant } from "../../src/run/participant.ts";
import xml from "@xmpp/xml";
import { markerMessage, Markers } from "../../src/xmpp/protocol/markers.ts";

/** A party whose server answers pings at once and delivers markers only where `delivers` says. */
function party(jid: string, delivers: (from: Participant) => boolean): Participant & { pings: number; pingedTo: (string | undefined)[] } {
  const markers = new Set<string>();
  const self = {
    label: jid,
    jid,
    isOpen: true,
    inbox: { items: [] },
    pings: 0,
    pingedTo: [] as (string | undefined)[],
    ping: async (_timeoutMs: number, to?: string) => void (self.pings++, self.pingedTo.push(to)),
    hasMarker: (token: string) => markers.has(token),
    async sendMarker(to: string, token: string) {
      const observer = parties.get(to);
      if (observer && delivers(self)) observer.take(token);
    },
    take: (token: string) => markers.add(token),
    waitUntil<T>(probe: () => T | undefined, timeoutMs: number, until?: Promise<unknown>): Promise<T | undefined> {
      return new Promise((resolve) => {
        const done = () => (clearInterval(poll), clearTimeout(timer), resolve(probe()));
        const timer = setTimeout(done, timeoutMs);
        const poll = setInterval(() => probe() !== undefined && done(), 1);
        until?.then(done, () => undefined);
      });
    },
  };
  parties.set(jid, self);
  return self;
}
const parties = new Map<string, ReturnType<typeof party> & { take(token: string): void }>();

test("a marker the server withholds between two users of one domain (a block) is replaced by round trips", async () => {
  const juliet = party("juliet@a.test/balcony", () => false);
  const romeo = party("romeo@a.test/r1", () => false);
  const started = Date.now();
  await barrier([juliet], [juliet, romeo], 2000);
  assert.ok(Date.now() - started < 1000, "decided by the round trips, not by the timeout");
  assert.ok(romeo.pings >= 2 && juliet.pings >= 3, `both parties pinged their server: romeo ${romeo.pings}, juliet ${juliet.pings}`);
});

test("across domains, the actor's round trip goes to the observer's domain, after the marker over the same server-to-server stream", async () => {
  const juliet = party("juliet@a.test/balcony", () => false);
  const bob = party("bob@b.test/b1", () => false);
  await barrier([juliet], [juliet, bob], 2000);
  assert.ok(bob.pingedTo.length >= 2 && bob.pingedTo.every((to) => to === "a.test"), `bob pinged ${bob.pingedTo.join(", ")}`);
});

test("a delivered marker needs no round trips beyond the observer's own ping", async () => {
  const juliet = party("juliet@a.test/balcony", () => true);
  const romeo = party("romeo@a.test/r1", () => true);
  await barrier([juliet], [juliet, romeo], 2000);
  assert.equal(romeo.pings, 0, "the actor did not ping");
});

// A raw connection's XEP-0198 count takes every stanza it sends: a round trip sent after the step that asked for the
// barrier moved on (its stanza came) would land among the case's own stanzas and in that count (sm-ack-inactive's 'h').
test("a barrier no longer needed sends no more round trips", async () => {
  const juliet = party("juliet@a.test/balcony", () => false);
  const romeo = party("romeo@a.test/r1", () => false);
  const enough = new AbortController();
  const slow = romeo.ping;
  romeo.ping = async (timeoutMs, to) => (await slow(timeoutMs, to), enough.abort());
  await barrier([juliet], [juliet, romeo], 2000, 0, enough.signal);
  assert.deepEqual([romeo.pings, juliet.pings], [1, 1], "only the round's own ping and the actor's first round trip");
});

test("a marker asks the server to keep it neither offline nor in an archive (XEP-0334 <no-store/>), and names a component as its sender", () => {
  const el = markerMessage("juliet@localhost/c1", "b7");
  assert.ok(el.getChild("no-store", "urn:xmpp:hints"));
  assert.equal(el.attrs.from, undefined);
  assert.equal(markerMessage("juliet@localhost/c1", "b7", "comp.localhost").attrs.from, "comp.localhost");
  assert.equal(new Markers().take(el), true);
});

test("a server's copy of a marker (a Carbons copy, an archived result) is harness traffic too, but proves nothing of the marker's way", () => {
  const marker = markerMessage("juliet@localhost/balcony", "b22");
  const carbon = xml("message", { to: "romeo@localhost/r2" }, xml("sent", { xmlns: "urn:xmpp:carbons:2" }, xml("forwarded", { xmlns: "urn:xmpp:forward:0" }, marker)));
  const markers = new Markers();
  assert.equal(markers.take(carbon), true);
  assert.equal(markers.has("b22"), false);
  assert.equal(markers.take(xml("message", {}, xml("body", {}, "hello"))), false);
  assert.equal(markers.take(markerMessage("romeo@localhost/r2", "b23")), true);
  assert.equal(markers.has("b23"), true);
});
