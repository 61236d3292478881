import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { loadSuite, run, SUITE, type RunResult } from "../../src/index.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import type { Target } from "../../src/targets/types.ts";
import { FaultProxy } from "./fault-proxy.ts";
import { combineCounted, VARIATIONS, type Server } from "./variations.ts";
import * as mobile from "./xep/mobile.ts";
import * as muc from "./xep/muc.ts";

/**
 * Verdicts that do not depend on how they were reached: decided by barriers or by timeouts, over TCP or
 * WebSocket (RFC 7395), through a server that differs from this one only in ways the RFC allows: every case
 * gets the same verdict (raw, --profile none). The server serves WebSocket too; its TCP run is the reference.
 * One file a server (test/verdicts-*.test.ts), so the two run side by side. The group chat and mobile families
 * are compared the same way in test/muc.test.ts and test/mobile.test.ts; the WebSocket family (raw connections
 * over WebSocket, which TCP runs skip) in test/connections.test.ts.
 */
const own = (file: string) => !/scenarios\/(muc|mobile|websocket)\//.test(file);
export const suite = loadSuite([SUITE]).scenarios.filter((sc) => own(sc.pos.file));
/**
 * Where deciding by timeouts instead of barriers could change a verdict: a case that looks for an absence or picks
 * among outcomes, or one whose barrier run did not pass (a miss a barrier decided). In the others every expected
 * stanza arrived, which a longer wait cannot undo: running them again would cost CPU and prove nothing.
 */
const timingMatters = (sc: Scenario, verdict: string) => verdict !== "pass" || sc.steps.some((st) => st.kind === "receive-nothing" || st.kind === "receive-one-of" || st.kind === "one-of");
export const verdicts = (r: RunResult) => Object.fromEntries(r.cases.map((c) => [c.id, c.verdict]));

/** Registers the comparisons for one server; returns the reference run (after the first test) and the server. */
export function wholeSuiteTests<T extends Target>(name: Server, start: () => Promise<T>): { target: () => T; direct: () => Promise<RunResult> } {
  let t: T;
  let reference: RunResult | undefined;
  before(async () => {
    t = await start();
  });
  after(async () => {
    await t?.stop();
  });
  const runOn = (at: { host: string; port: number; domain: string }, opts: Parameters<typeof run>[1] = {}, cases = suite) =>
    run(cases, { server: `${at.host}:${at.port}`, domain: at.domain, install: false, concurrency: 6, ...opts });
  const direct = async () => (reference ??= await runOn(t));

  test(`${name}: the whole suite decided by barriers and decided by timeouts gives every case the same verdict`, async () => {
    const barriers = await direct();
    const byBarrier = verdicts(barriers);
    // Timed runs mostly wait out their timeouts: more of them side by side cost no more CPU.
    const timed = suite.filter((sc) => timingMatters(sc, byBarrier[sc.id] ?? ""));
    const timeouts = await runOn(t, { wait: "timeout", concurrency: 12 }, timed);
    assert.equal(barriers.cases.length, suite.length);
    assert.ok(timed.length > 100, `${timed.length} cases where the wait decides`);
    assert.deepEqual(verdicts(timeouts), Object.fromEntries(timeouts.cases.map((c) => [c.id, byBarrier[c.id]])));
    // Barriers decided the failures: a failing case costs about what a passing one does. (Stream-level
    // expectations wait on raw connections that cannot take part in a barrier before they are bound, and an
    // `also:` check judges a stanza already received: nothing to wait for.)
    const waited = (f: { step: string; decidedBy?: string }) => f.decidedBy !== undefined && !/ receives (stream |features)/.test(f.step);
    const decided = barriers.cases.filter((c) => c.spec === "rfc6121").flatMap((c) => c.failures.filter(waited).map((f) => f.decidedBy));
    assert.ok(decided.length > 0 && decided.every((d) => d === "barrier"), `every failure decided by a barrier: ${decided.join(", ")}`);
    assert.equal(barriers.accounts.notRemoved + timeouts.accounts.notRemoved, 0);
  });

  test(`${name} over WebSocket (RFC 7395): the whole suite gives every case the verdict it has over TCP`, async () => {
    const ws = await run(suite, { websocket: t.websocket!, domain: t.domain, install: false, concurrency: 6 });
    assert.equal(ws.target.transport?.websocket, t.websocket);
    // Named by its URL alone the server has no TCP c2s for the raw connections of RFC 6120's stream cases: those
    // are skipped with the reason, every other case has its TCP verdict.
    const tcp = verdicts(await direct());
    const raw = new Set(suite.filter((sc) => sc.connections.length > 0).map((sc) => sc.id));
    assert.ok(raw.size > 0);
    assert.deepEqual(verdicts(ws), Object.fromEntries(Object.entries(tcp).map(([id, v]) => [id, raw.has(id) ? "skip" : v])));
    assert.ok(ws.cases.filter((c) => raw.has(c.id)).every((c) => /raw connections speak RFC 6120's TCP binding.*--server HOST:PORT/.test(c.reason ?? "")));
    // The cases' own sessions went over WebSocket: every stanza is a document of its own, with its namespace (§3.3.3).
    const sent = ws.cases.flatMap((c) => c.transcript ?? []).filter((e) => e.dir === "out" && /^<(message|presence|iq)[ >]/.test(e.xml));
    assert.ok(sent.length > 0 && sent.every((e) => /^<\w+ [^>]*xmlns="jabber:client"/.test(e.xml)), sent.find((e) => !/xmlns="jabber:client"/.test(e.xml))?.xml);
    assert.equal(ws.accounts.notRemoved, 0);
  });

  /** Which variations changed some stanza of the run through them. */
  const used = new Map<string, number>();
  test(`${name} through every legitimate variation at once (test/support/variations.ts): the verdicts of a direct run`, async () => {
    const proxy = new FaultProxy({ host: t.host, port: t.port });
    const port = await proxy.listen();
    proxy.fault = combineCounted(VARIATIONS, used);
    try {
      const varied = verdicts(await runOn({ host: "127.0.0.1", port, domain: t.domain }));
      const plain = verdicts(await direct());
      // Without versioning, 'ver' on pushes and results is a SHOULD (RFC 6121 §2.6.3, ROSTER-VER-09): the variation
      // drops it, so the case checking that SHOULD warns. The one change a correct server may cause, never a failure.
      const expected = { ...plain, ...(plain["roster-ver-without-client-ver"] === "pass" && { "roster-ver-without-client-ver": "warn" }) };
      assert.deepEqual(varied, expected);
    } finally {
      await proxy.close();
    }
  });

  test(`${name}: every variation changed some stanza of the run through them, but those for what only the other server sends`, (tc) => {
    if (used.size === 0) return tc.skip("needs the variation run above");
    // The group chat and mobile families' own variations apply to the cases test/muc.test.ts and test/mobile.test.ts run.
    const theirs = new Set([...muc.VARIATIONS, ...mobile.VARIATIONS].map((v) => v.id));
    const other: Server = name === "Prosody" ? "ejabberd" : "Prosody";
    assert.deepEqual(
      VARIATIONS.filter((v) => !theirs.has(v.id) && v.only !== other && !used.get(v.id)).map((v) => v.id),
      [],
    );
  });

  return { target: () => t, direct };
}
