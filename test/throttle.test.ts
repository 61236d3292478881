import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { FaultProxy } from "./support/fault-proxy.ts";
import { prosody } from "./support/prosody.ts";
import { runCli } from "./support/cli.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * A server that reads slowly (rate limits, as Prosody's mod_limits and ejabberd's shapers do) is no harness
 * error: through a proxy that reads from each client at 32 KiB/s (a chunk of up to 64 KiB, then a pause), the
 * cases with large stanzas end as they do straight to the server. Prosody 13 announces its stanza size limit
 * (XEP-0478), so stanza-oversized runs, sized from it. The baseline goes straight to the server: at full speed
 * the proxy itself lost the stream error Prosody sent as it closed the connection on the oversized stanza.
 */
let server: Awaited<ReturnType<typeof prosody>>;
let proxy: FaultProxy;
let port: number;

before(async () => {
  server = await prosody({ release: "13" });
  proxy = new FaultProxy({ host: server.host, port: server.port });
  port = await proxy.listen();
});
after(async () => {
  await proxy.close();
  await server.stop();
});

/** The RFC 6120 cases about XML and stanza size, including half a stanza sent in two parts. */
const CASES = ["scenarios/core/xml.yaml"];

async function run(at: number) {
  const dir = tempDir("xc-throttle-");
  await runCli(["run", ...CASES, "--server", `127.0.0.1:${at}`, "--domain", "localhost", "--profile", "none", "--reporter", "json", "--out", dir]);
  const results = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8")) as { cases: { id: string; verdict: string; reason?: string; durationMs: number }[] };
  return { results, verdicts: Object.fromEntries(results.cases.map((c) => [c.id, c.verdict])) };
}

test("a server that reads slowly gives no error: every verdict is the one it gets reading at full speed", async () => {
  const fast = await run(server.port);
  assert.equal(fast.verdicts["stanza-oversized"], "pass", "the oversized case runs (Prosody 13 announces max-bytes) and passes");
  proxy.throttle = 32 * 1024;
  const slow = await run(port);
  const oversized = slow.results.cases.find((c) => c.id === "stanza-oversized")!;
  // What the server had to read before it could refuse took it more than two timeouts (the harness's 3000 ms):
  // a wait that counted from the send, not from the server's progress, would have given up.
  assert.ok(oversized.durationMs > 2 * 3000, `stanza-oversized took ${oversized.durationMs} ms through the throttle`);
  assert.deepEqual(
    slow.results.cases.filter((c) => c.verdict === "error").map((c) => `${c.id}: ${c.reason}`),
    [],
  );
  assert.deepEqual(slow.verdicts, fast.verdicts);
});
