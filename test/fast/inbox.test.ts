import { test } from "node:test";
import assert from "node:assert/strict";
import { Element } from "ltx";
import { Inbox } from "../../src/xmpp/connections/inbox.ts";

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

test("behind bytes the server is still reading, the timeout counts from its latest progress; a server that stopped reading ends the wait", async () => {
  // What the server has read of the bytes the answer waits behind, as the kernel would show it.
  let read = 0;
  const reading = setInterval(() => (read += 1000), 20);
  const inbox = new Inbox(() => read);
  const started = Date.now();
  const wait = inbox.waitUntil(byId(inbox, "late"), 100);
  setTimeout(() => inbox.push(stanza("late"), 1), 400);
  assert.equal((await wait)?.el.attrs.id, "late", "waited past four timeouts while the server read");
  assert.ok(Date.now() - started >= 390);
  clearInterval(reading);
  const stalled = Date.now();
  assert.equal(await inbox.waitUntil(byId(inbox, "never"), 100), undefined);
  assert.ok(Date.now() - stalled < 300, "nothing read any more: over within two timeouts");
  // Another party's sends (a barrier's actor) can be what the wait is behind.
  let other = 0;
  const otherReading = setInterval(() => (other += 1), 20);
  const behindOther = new Inbox().waitUntil(
    () => undefined,
    100,
    undefined,
    () => other,
  );
  const overAt = Date.now();
  setTimeout(() => clearInterval(otherReading), 300);
  assert.equal(await behindOther, undefined);
  assert.ok(Date.now() - overAt >= 300, "waited while the other connection's bytes were being read");
});
