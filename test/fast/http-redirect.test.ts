import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type net from "node:net";
import { httpGetFollowing } from "../../src/xmpp/protocol/upload.ts";

/**
 * Twenty-first audit: a `gets` step follows a few redirects (XEP-0363 §2 "Anyone who knows the URL SHOULD be able
 * to access it": a GET URL that redirects to the file gives it), to the same origin or to loopback only, and never
 * sends a credential header onward.
 */
test("a GET follows redirects on the same origin or to loopback, a bounded number, without credentials", async () => {
  const seen: { path: string; auth?: string; cookie?: string; origin?: string }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url!, auth: req.headers.authorization, cookie: req.headers.cookie, origin: req.headers.origin });
    const port = (server.address() as net.AddressInfo).port;
    const to = (location: string) => res.writeHead(302, { location }).end();
    if (req.url === "/file") res.writeHead(200, { "content-type": "text/plain" }).end("hello world");
    else if (req.url === "/short") to("/file");
    else if (req.url === "/loopback") to(`http://localhost:${port}/file`);
    else if (req.url === "/away") to("https://cdn.example/file");
    else if (req.url!.startsWith("/loop")) to(`/loop${Number(req.url!.slice(5) || 0) + 1}`);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  try {
    const headers = { Authorization: "Bearer secret", Cookie: "s=1", Origin: "https://web-client.example" };
    const a = await httpGetFollowing(`${base}/short`, { headers, timeoutMs: 2000, follow: 5 });
    assert.equal(a.status, 200);
    assert.equal(a.body.toString(), "hello world");
    assert.deepEqual(a.redirects, [`${base}/file`]);
    assert.deepEqual(seen.slice(-2), [
      { path: "/short", auth: "Bearer secret", cookie: "s=1", origin: "https://web-client.example" },
      { path: "/file", auth: undefined, cookie: undefined, origin: "https://web-client.example" },
    ]);

    const b = await httpGetFollowing(`${base}/loopback`, { timeoutMs: 2000, follow: 5 });
    assert.equal(b.status, 200);
    assert.equal(b.redirects?.length, 1);

    // Another origin that is not loopback: the redirect itself is the answer (nothing leaves the machine).
    const c = await httpGetFollowing(`${base}/away`, { timeoutMs: 2000, follow: 5 });
    assert.equal(c.status, 302);
    assert.equal(c.redirects, undefined);

    // One redirect too many: the last redirect is the answer.
    const d = await httpGetFollowing(`${base}/loop`, { timeoutMs: 2000, follow: 5 });
    assert.equal(d.status, 302);
    assert.equal(d.redirects?.length, 5);

    // No redirects to follow: the plain answer.
    const e = await httpGetFollowing(`${base}/missing`, { timeoutMs: 2000, follow: 5 });
    assert.equal(e.status, 404);
    assert.equal(e.redirects, undefined);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
