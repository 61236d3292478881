import { test } from "node:test";
import assert from "node:assert/strict";
import { Element } from "ltx";
import { Inbox } from "../src/xmpp/inbox.ts";

// Sessions, raw connections and the scripted remote server's accounts all keep their arrivals in an Inbox and
// wait on it (raw connections are also tested against real servers in raw-connection.test.ts). These pin the rule.
const stanza = (id: string) => new Element("iq", { id, type: "result" });
const byId = (inbox: Inbox, id: string) => () => inbox.items.find((r) => r.el.attrs.id === id);

test("a barrier that failed proves nothing: the wait goes on and sees what arrives after it", async () => {
  const inbox = new Inbox();
  const wait = inbox.waitUntil(byId(inbox, "a"), 2000, Promise.reject(new Error("a barrier failed")));
  await new Promise((r) => setImmediate(r));
  inbox.push(stanza("a"), 1);
  assert.equal((await wait)?.el.attrs.id, "a");
});

test("a barrier that passed ends the wait: nothing came, so the answer is none", async () => {
  const inbox = new Inbox();
  const started = Date.now();
  assert.equal(await inbox.waitUntil(byId(inbox, "a"), 5000, Promise.resolve()), undefined);
  assert.ok(Date.now() - started < 1000, "decided by the barrier, not by the timeout");
});

test("the end of the session ends the wait; an arrival before the timeout settles it", async () => {
  const inbox = new Inbox();
  const closed = inbox.waitUntil(byId(inbox, "x"), 5000);
  inbox.close("stream closed");
  assert.equal(await closed, undefined);
  const other = new Inbox();
  const arrived = other.waitUntil(byId(other, "b"), 5000);
  other.push(stanza("b"), 1);
  assert.equal((await arrived)?.el.attrs.id, "b");
});
