import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { loadSuite, run, SUITE, type RunResult } from "../src/index.ts";
import type { Target } from "../src/targets/types.ts";
import { ejabberd } from "./support/ejabberd.ts";
import { FaultProxy } from "./support/fault-proxy.ts";
import { combine, VARIATIONS } from "./support/variations.ts";
import * as mobile from "./support/xep/mobile.ts";
import * as muc from "./support/xep/muc.ts";
import { prosody } from "./support/prosody.ts";

/**
 * Verdicts that do not depend on how they were reached: decided by barriers or by timeouts, over TCP or
 * WebSocket (RFC 7395), through a server that kills connections during set-up or not, through a server that
 * differs from this one only in ways the RFC allows: every case gets the same verdict (raw, --profile none).
 * The servers serve WebSocket too; the TCP runs are the reference. The group chat and mobile families are
 * compared the same way in test/muc.test.ts and test/mobile.test.ts, which run beside this file; the WebSocket
 * family (raw connections over WebSocket, which TCP runs skip) in test/connections.test.ts.
 */
const own = (file: string) => !/scenarios\/(muc|mobile|websocket)\//.test(file);
const suite = loadSuite([SUITE]).scenarios.filter((sc) => own(sc.pos.file));
let pros: Awaited<ReturnType<typeof prosody>>;
let ejab: Target;
const direct = new Map<string, RunResult>();

before(async () => {
  [pros, ejab] = await Promise.all([prosody({ websocket: true }), ejabberd({ websocket: true })]);
});
after(async () => {
  await Promise.all([pros?.stop(), ejab?.stop()]);
});

const verdicts = (r: RunResult) => Object.fromEntries(r.cases.map((c) => [c.id, c.verdict]));
const runOn = (t: { host: string; port: number; domain: string }, opts: Parameters<typeof run>[1] = {}) =>
  run(suite, { server: `${t.host}:${t.port}`, domain: t.domain, install: false, concurrency: 6, ...opts });

for (const name of ["Prosody", "ejabberd"] as const) {
  test(`${name}: the whole suite decided by barriers and decided by timeouts gives every case the same verdict`, async () => {
    const t = name === "Prosody" ? pros : ejab;
    const [barriers, timeouts] = [await runOn(t), await runOn(t, { wait: "timeout" })];
    direct.set(name, barriers);
    assert.equal(barriers.cases.length, suite.length);
    assert.deepEqual(verdicts(barriers), verdicts(timeouts));
    // Barriers decided the failures: a failing case costs about what a passing one does. (Stream-level
    // expectations wait on raw connections that cannot take part in a barrier before they are bound, and an
    // `also:` check judges a stanza already received: nothing to wait for.)
    const waited = (f: { step: string; decidedBy?: string }) => f.decidedBy !== undefined && !/ receives (stream |features)/.test(f.step);
    const decided = barriers.cases.filter((c) => c.spec === "rfc6121").flatMap((c) => c.failures.filter(waited).map((f) => f.decidedBy));
    assert.ok(decided.length > 0 && decided.every((d) => d === "barrier"), `every failure decided by a barrier: ${decided.join(", ")}`);
    assert.equal(barriers.accounts.notRemoved + timeouts.accounts.notRemoved, 0);
  });
}

for (const name of ["Prosody", "ejabberd"] as const) {
  test(`${name} over WebSocket (RFC 7395): the whole suite gives every case the verdict it has over TCP`, async () => {
    const t = name === "Prosody" ? pros : ejab;
    const ws = await run(suite, { websocket: t.websocket!, domain: t.domain, install: false, concurrency: 6 });
    assert.equal(ws.target.transport?.websocket, t.websocket);
    // Named by its URL alone the server has no TCP c2s for the raw connections of RFC 6120's stream cases: those
    // are skipped with the reason, every other case has its TCP verdict.
    const tcp = verdicts(direct.get(name) ?? (await runOn(t)));
    const raw = new Set(suite.filter((sc) => sc.connections.length > 0).map((sc) => sc.id));
    assert.ok(raw.size > 0);
    assert.deepEqual(verdicts(ws), Object.fromEntries(Object.entries(tcp).map(([id, v]) => [id, raw.has(id) ? "skip" : v])));
    assert.ok(ws.cases.filter((c) => raw.has(c.id)).every((c) => /raw connections speak RFC 6120's TCP binding.*--server HOST:PORT/.test(c.reason ?? "")));
    // The cases' own sessions went over WebSocket: every stanza is a document of its own, with its namespace (§3.3.3).
    const sent = ws.cases.flatMap((c) => c.transcript ?? []).filter((e) => e.dir === "out" && /^<(message|presence|iq)[ >]/.test(e.xml));
    assert.ok(sent.length > 0 && sent.every((e) => /^<\w+ [^>]*xmlns="jabber:client"/.test(e.xml)), sent.find((e) => !/xmlns="jabber:client"/.test(e.xml))?.xml);
    assert.equal(ws.accounts.notRemoved, 0);
  });
}

test("Prosody behind a proxy that kills one connection in five during set-up: the same verdicts, no error, no account left", async () => {
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
    const expected = verdicts(direct.get("Prosody") ?? (await runOn(pros)));
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

/** Which variations changed some stanza, over both servers' runs. */
const usedVariations = new Map<string, number>();

for (const name of ["Prosody", "ejabberd"] as const) {
  test(`${name} through every legitimate variation at once (test/support/variations.ts): the verdicts of a direct run`, async () => {
    const t = name === "Prosody" ? pros : ejab;
    const proxy = new FaultProxy({ host: t.host, port: t.port });
    const port = await proxy.listen();
    proxy.fault = combine(
      VARIATIONS.map((v) => (el, ctx) => {
        const action = v.fault(el, ctx);
        if (action !== "pass") usedVariations.set(v.id, (usedVariations.get(v.id) ?? 0) + 1);
        return action;
      }),
    );
    try {
      const varied = verdicts(await runOn({ host: "127.0.0.1", port, domain: t.domain }));
      const plain = verdicts(direct.get(name) ?? (await runOn(t)));
      // Without versioning, 'ver' on pushes and results is a SHOULD (RFC 6121 §2.6.3, ROSTER-VER-09): the variation
      // drops it, so the case checking that SHOULD warns. The one change a correct server may cause, never a failure.
      const expected = { ...plain, ...(plain["roster-ver-without-client-ver"] === "pass" && { "roster-ver-without-client-ver": "warn" }) };
      assert.deepEqual(varied, expected);
    } finally {
      await proxy.close();
    }
  });
}

test("every variation changed some stanza of the runs through them (some apply to what only one of the servers sends)", (t) => {
  if (usedVariations.size === 0) return t.skip("needs the variation runs above");
  // The group chat and mobile families' own variations apply to the cases test/muc.test.ts and test/mobile.test.ts run.
  const theirs = new Set([...muc.VARIATIONS, ...mobile.VARIATIONS].map((v) => v.id));
  assert.deepEqual(
    VARIATIONS.map((v) => v.id).filter((id) => !theirs.has(id) && !usedVariations.get(id)),
    [],
  );
});
