import { test } from "node:test";
import assert from "node:assert/strict";
import { run } from "../src/index.ts";
import { FaultProxy } from "./support/fault-proxy.ts";
import { prosody } from "./support/prosody.ts";
import { suite, verdicts, wholeSuiteTests } from "./support/whole-suite.ts";

/** Prosody's whole suite the ways test/support/whole-suite.ts compares, beside ejabberd's file; and set-up chaos. */
const { target, direct } = wholeSuiteTests("Prosody", () => prosody({ websocket: true }));

test("Prosody behind a proxy that kills one connection in five during set-up: the same verdicts, no error, no account left", async () => {
  const pros = target();
  const proxy = new FaultProxy({ host: pros.host, port: pros.port });
  const port = await proxy.listen();
  proxy.setChaos({ rate: 0.2, seed: 6121 });
  try {
    // RFC 6121's cases: raw connections (RFC 6120) are never bound while their steps run, so chaos there would
    // be a verdict, not set-up.
    const chaotic = await run(
      suite.filter((sc) => sc.spec === "rfc6121" && sc.connections.length === 0),
      { server: `127.0.0.1:${port}`, domain: pros.domain, install: false, concurrency: 6 },
    );
    const killed = proxy.stats.killed / proxy.stats.connections;
    assert.ok(killed >= 0.1, `${proxy.stats.killed} of ${proxy.stats.connections} connections killed`);
    assert.ok(proxy.stats.streamErrors > 0 && proxy.stats.resets > 0, JSON.stringify(proxy.stats));
    const errors = chaotic.cases.filter((c) => c.verdict === "error").map((c) => `${c.id}: ${c.reason}`);
    assert.deepEqual(errors, []);
    const expected = verdicts(await direct());
    assert.deepEqual(verdicts(chaotic), Object.fromEntries(chaotic.cases.map((c) => [c.id, expected[c.id]])));
    assert.ok(
      chaotic.cases.some((c) => c.setupRetries?.length),
      "retries are counted in the results",
    );
    assert.equal(chaotic.accounts.notRemoved, 0);
    assert.deepEqual(pros.accounts(), []);
  } finally {
    await proxy.close();
  }
});
