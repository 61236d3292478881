import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { once } from "node:events";
import { parse } from "ltx";
import { streamLimits } from "../../src/xmpp/protocol/stream-limits.ts";
import { unreadInKernels } from "../../src/xmpp/wire/unread-bytes.ts";
import { XmlReader } from "../../src/xmpp/wire/xml-reader.ts";

test("XEP-0478 limits are read from stream features: each child only where announced, nothing without <limits/>", () => {
  const features = (inner: string) => parse(`<stream:features xmlns:stream='http://etherx.jabber.org/streams'>${inner}</stream:features>`);
  // Prosody 13's features, as it sends them.
  assert.deepEqual(streamLimits(features(`<limits xmlns="urn:xmpp:stream-limits:0"><max-bytes>262144</max-bytes><idle-seconds>840</idle-seconds></limits>`)), { maxBytes: 262144, idleSeconds: 840 });
  assert.deepEqual(streamLimits(features(`<limits xmlns="urn:xmpp:stream-limits:0"><idle-seconds> 1800 </idle-seconds></limits>`)), { idleSeconds: 1800 });
  assert.deepEqual(streamLimits(features(`<limits xmlns="urn:xmpp:stream-limits:0"><max-bytes>lots</max-bytes></limits>`)), {});
  assert.equal(streamLimits(features(`<limits xmlns="urn:example:other"><max-bytes>10</max-bytes></limits>`)), undefined);
  assert.equal(streamLimits(features(`<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>`)), undefined);
});

test("the bytes a reader on this machine has not read yet are seen, over IPv4 and IPv6, and fall to none as it reads", async () => {
  for (const host of ["127.0.0.1", "::1"]) {
    const server = net.createServer();
    server.listen(0, host);
    await once(server, "listening");
    const accepted = once(server, "connection");
    const client = net.connect((server.address() as net.AddressInfo).port, host);
    await once(client, "connect");
    const [peer] = (await accepted) as [net.Socket];
    peer.pause(); // a server that does not read (yet)
    const reader = new XmlReader(client, { element: () => {}, problem: () => {}, closed: () => {} });
    const unread = () => reader.unsent + unreadInKernels(client);
    assert.equal(unread(), 0, host);
    const size = 2_000_000;
    reader.write("x".repeat(size));
    // What the harness still holds, our kernel's queue and the reader's kernel's queue: what the reader has not
    // taken, give or take what is on its way (bytes received and not yet acknowledged count in both queues for
    // a moment, the piece being written in Node's and the kernel's).
    const seen = unread();
    assert.ok(Math.abs(seen - size) < 256 * 1024, `${host}: ${seen} of ${size} unread (${reader.unsent} unsent)`);
    let got = 0;
    const all = new Promise<void>((resolve) => peer.on("data", (d: Buffer) => (got += d.length) >= size && resolve()));
    peer.resume();
    await all;
    if (client.writableLength > 0) await once(client, "drain");
    assert.equal(unread(), 0, host);
    client.destroy();
    peer.destroy();
    server.close();
  }
});
