import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { probeTls, tcpConnect } from "../../src/xmpp/wire/tls.ts";

/** A loopback listener that either says nothing to a ClientHello or cuts the connection at once. */
async function listener(cut: boolean): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    if (cut) s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

test("a TLS handshake the server leaves hanging is 'stalled', not 'refused'; one it cuts is refused", async () => {
  for (const cut of [false, true]) {
    const l = await listener(cut);
    try {
      const endpoint = { host: "127.0.0.1", port: l.port, domain: "localhost" };
      const { secure, outcome } = await probeTls(await tcpConnect(endpoint, 1000), endpoint, {}, 300);
      assert.equal(secure, undefined);
      if (cut) {
        assert.ok(outcome.refused, JSON.stringify(outcome));
        assert.equal(outcome.stalled, undefined);
      } else {
        assert.match(outcome.stalled ?? "", /no TLS handshake \(no answer within 300 ms\)/);
        assert.equal(outcome.refused, undefined);
      }
    } finally {
      await l.close();
    }
  }
});
