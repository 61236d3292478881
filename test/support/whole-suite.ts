import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadProfiles, loadSuite, PROFILES, run, SUITE, type RunResult } from "../../src/index.ts";
import { loadProfile } from "../../src/profiles/load.ts";
import type { Target } from "../../src/targets/types.ts";
import { runCli, type CliResult } from "./cli.ts";
import { FaultProxy } from "./fault-proxy.ts";
import { brokeNothing } from "./results.ts";
import { timingMatters } from "./same-verdicts.ts";
import { combineCounted, VARIATIONS, type Server } from "./variations.ts";
import * as mobile from "./xep/mobile.ts";
import * as muc from "./xep/muc.ts";
import { tempDir } from "./temp-dir.ts";

/**
 * Verdicts that do not depend on how they were reached: decided by barriers or by timeouts, over TCP or
 * WebSocket (RFC 7395), through a server that differs from this one only in ways the RFC allows: every case
 * gets the same verdict (raw, as the profile's deviations record them). The reference is the command a user runs
 * first, `run --target local:NAME` on a server of its own (its raw verdicts: a profile keeps each one in its
 * deviation), so the whole suite runs once for both; the other runs go to a server this file starts with WebSocket.
 * One file a server (test/verdicts-*.test.ts), so the two run side by side; within a file the tests run side by
 * side too (`describe(…, { concurrency: true })` there), each waiting for the reference run where it needs it. The mobile family is compared the
 * same way in test/mobile.test.ts, on the releases that serve it; the WebSocket family (raw connections over
 * WebSocket, which TCP runs skip) in test/connections.test.ts. The group chat family is compared here on Prosody
 * (`rooms`), against the reference that ran it anyway.
 */
const shipped = loadSuite([SUITE]).scenarios;
const inRooms = (sc: { pos: { file: string } }) => /scenarios\/muc\//.test(sc.pos.file);
/** The cases a server's comparisons take (with the group chat family's or not), and the chaos test's. */
const casesOf = (rooms: boolean) => shipped.filter((sc) => !/scenarios\/(mobile|websocket)\//.test(sc.pos.file) && (rooms || !inRooms(sc)));
export const suite = casesOf(false);
/**
 * Rooms answer after what they sent, so barriers (which ping them) decide their cases; timeouts decide where they
 * decide the most (entering and talking), as a run with --wait timeout would: every "receives nothing" of the
 * other room files costs a whole timeout and shows nothing more.
 */
const mayTime = (sc: { pos: { file: string } }) => !inRooms(sc) || /scenarios\/muc\/(enter|messages)\.yaml$/.test(sc.pos.file);
/**
 * Not diagnosed: in a whole-family run through the variation proxy, the service's disco#items (every public room of
 * every case) reaches carol only after the 3 s timeout (nothing arrives); alone, and directly, it passes.
 */
const slowList = "muc-disco-hidden-room-unlisted";
/** A case's verdict without its profile entry; one that judged nothing broke nothing, as a pass (a variation may take up a MAY the server leaves alone). */
const raw = (c: RunResult["cases"][number]) => brokeNothing({ verdict: c.deviation?.verdict ?? c.verdict, reason: c.reason });
/** A run's raw verdicts, as the comparisons take them. */
export const verdicts = (r: Pick<RunResult, "cases">) => Object.fromEntries(r.cases.map((c) => [c.id, raw(c)]));
/** Whether a case is one the run's profile documents as intermittent (a race inside the server). */
export const racing = (r: Pick<RunResult, "profile">) => {
  const cases = (r.profile ? loadProfile(r.profile.file).entries : []).filter((e) => e.intermittent && e.case).map((e) => e.case!);
  return (id: string) => cases.some((c) => id === c || id.startsWith(`${c}/`));
};
/**
 * The verdicts without the profile, of this file's cases, but those the run's profile documents as intermittent:
 * a race inside the server (ejabberd's last PEP item to a resource whose caps it learns only after its presence)
 * lets any two runs differ on them, however they are decided.
 */
const rawVerdicts = (r: RunResult, ids: Set<string>) => {
  const racy = racing(r);
  const steady = (id: string) => ids.has(id) && !racy(id) && id !== slowList;
  return Object.fromEntries(r.cases.filter((c) => steady(c.id)).map((c) => [c.id, raw(c)]));
};
/**
 * The cases run again over WebSocket: the transport carries every case's stanzas alike (one document a message,
 * RFC 7395 §3.3.3), so the first case of each scenario file that its sessions run shows each family's
 * stanzas over it, and one case of each with raw or BOSH connections shows those skipped saying why. The whole
 * suite over WebSocket cost each server a run as long as the reference's (about 1.5 min of CI a server) and
 * never gave a verdict this sample did not (docs/design.md).
 */
const overWebSocket = (() => {
  const byFile = new Map<string, typeof suite>();
  for (const sc of suite) byFile.set(sc.pos.file, [...(byFile.get(sc.pos.file) ?? []), sc]);
  return [...byFile.values()].flatMap((cases) => [...cases.filter((sc) => sc.connections.length === 0).slice(0, 1), ...cases.filter((sc) => sc.connections.length > 0).slice(0, 1)]);
})();
/** A run's raw verdicts of the cases the reference's raw verdicts have. */
const alike = (r: Pick<RunResult, "cases">, reference: Record<string, string>) => Object.fromEntries(r.cases.filter((c) => c.id in reference).map((c) => [c.id, raw(c)]));

/** The reference run: the README's first command for this server, with every reporter. */
export interface Reference {
  cli: CliResult;
  dir: string;
  results: RunResult;
}

/** Registers the comparisons for one server (with the group chat family's cases, `rooms`); returns the reference run, the server and its raw verdicts. */
export function wholeSuiteTests<T extends Target>(
  name: Server,
  local: "local:prosody" | "local:ejabberd",
  start: () => Promise<T>,
  { rooms = false } = {},
): { target: () => T; reference: () => Promise<Reference>; direct: () => Promise<Record<string, string>> } {
  const cases = casesOf(rooms);
  const ids = new Set(cases.map((sc) => sc.id));
  let t: T;
  let ref: Promise<Reference> | undefined;
  before(async () => {
    t = await start();
  });
  after(async () => {
    await t?.stop();
  });
  const reference = () =>
    (ref ??= (async () => {
      const dir = tempDir("xc-suite-");
      const cli = await runCli(["run", "--target", local, "--out", dir]);
      return { cli, dir, results: JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8")) as RunResult };
    })());
  const direct = async () => rawVerdicts((await reference()).results, ids);
  // What a local target tells its run of itself, told here: the CA of its upload service's HTTPS, its component.
  // With the profiles, as the reference: a documented failure is not run again alone (src/run/pool.ts), and the
  // comparisons take each case's raw verdict.
  const known = (): Parameters<typeof run>[1] => ({
    domain: t.domain,
    install: false,
    profile: { mode: "auto", profiles: loadProfiles(PROFILES) },
    concurrency: 6,
    ...(t.caFile && { tls: { tls: "auto", caFile: t.caFile } }),
    ...(t.component && { component: `${t.component.domain}@${t.component.host}:${t.component.port}`, componentSecret: t.component.secret }),
  });
  const runOn = (at: { host: string; port: number }, opts: Parameters<typeof run>[1], these: typeof cases) => run(these, { ...known(), server: `${at.host}:${at.port}`, ...opts });

  test(`${name}: the whole suite decided by barriers (${local}, the first command a user runs) gives every failure at the moment a barrier proved it`, async () => {
    const { results } = await reference();
    assert.equal(results.cases.filter((c) => ids.has(c.id)).length, cases.length);
    // Barriers decided the failures: a failing case costs about what a passing one does. (Stream-level
    // expectations wait on raw connections that cannot take part in a barrier before they are bound, and an
    // `also:` check judges a stanza already received: nothing to wait for.)
    const waited = (f: { step: string; decidedBy?: string }) => f.decidedBy !== undefined && !/ receives (stream |features)/.test(f.step);
    const decided = results.cases.filter((c) => c.spec === "rfc6121").flatMap((c) => c.failures.filter(waited).map((f) => f.decidedBy));
    assert.ok(decided.length > 0 && decided.every((d) => d === "barrier"), `every failure decided by a barrier: ${decided.join(", ")}`);
    assert.equal(results.accounts.notRemoved, 0);
  });

  test(`${name} over WebSocket (RFC 7395): one case of every scenario file gives the verdict it has over TCP; raw and BOSH connections are skipped saying why`, async () => {
    const ws = await run(overWebSocket, { ...known(), websocket: t.websocket! });
    assert.equal(ws.target.transport?.websocket, t.websocket);
    // Named by its URL alone the server has no TCP c2s for the raw connections of RFC 6120's stream cases: those
    // are skipped with the reason, every other case has its TCP verdict. (BOSH connections need the BOSH endpoint,
    // which a run over WebSocket does not have: skipped too, saying so.)
    const tcp = await direct();
    const ran = new Set(ws.cases.map((c) => c.id));
    const bosh = new Set(overWebSocket.filter((sc) => sc.connections.some((c) => c.bosh)).map((sc) => sc.id));
    const raw = new Set(overWebSocket.filter((sc) => sc.connections.length > 0 && !bosh.has(sc.id)).map((sc) => sc.id));
    assert.ok(raw.size > 0 && bosh.size > 0);
    assert.deepEqual(alike(ws, tcp), Object.fromEntries(Object.entries(tcp).flatMap(([id, v]) => (ran.has(id) ? [[id, raw.has(id) || bosh.has(id) ? "skip" : v]] : []))));
    const why = (ids: Set<string>, reason: RegExp) => ws.cases.filter((c) => ids.has(c.id) && !reason.test(c.reason ?? "")).map((c) => `${c.id}: ${c.reason}`);
    assert.deepEqual(why(raw, /raw connections speak RFC 6120's TCP binding.*--server HOST:PORT/), []);
    assert.deepEqual(why(bosh, /the run has no BOSH endpoint/), []);
    // The cases' own sessions went over WebSocket: every stanza is a document of its own, with its namespace (§3.3.3).
    const sent = ws.cases.flatMap((c) => c.transcript ?? []).filter((e) => e.dir === "out" && /^<(message|presence|iq)[ >]/.test(e.xml));
    assert.ok(sent.length > 0 && sent.every((e) => /^<\w+ [^>]*xmlns="jabber:client"/.test(e.xml)), sent.find((e) => !/xmlns="jabber:client"/.test(e.xml))?.xml);
    assert.equal(ws.accounts.notRemoved, 0);
  });

  /** Which variations changed some stanza of the run through them, known once that run ended. */
  const used = new Map<string, number>();
  let variationsRan!: () => void;
  const variationsDone = new Promise<void>((resolve) => (variationsRan = resolve));
  test(`${name} through every legitimate variation at once (test/support/variations.ts), decided by timeouts where the wait can decide: the verdicts of the direct run`, async () => {
    const proxy = new FaultProxy({ host: t.host, port: t.port });
    const port = await proxy.listen();
    proxy.fault = combineCounted(VARIATIONS, used);
    try {
      const plain = await direct();
      // One pass through the variations proves both: where the wait can decide, by timeouts (more of them side by
      // side cost no more CPU: they mostly wait), the rest by barriers. Either way a verdict must not move.
      const timed = cases.filter((sc) => mayTime(sc) && timingMatters(sc, plain[sc.id] ?? ""));
      const barriered = cases.filter((sc) => !timed.includes(sc));
      assert.ok(timed.length > 100, `${timed.length} cases where the wait decides`);
      if (rooms) assert.ok(timed.filter(inRooms).length > 15, `${timed.filter(inRooms).length} group chat cases where the wait decides`);
      const through = { host: "127.0.0.1", port };
      const byTimeout = await runOn(through, { wait: "timeout", concurrency: 12 }, timed);
      const byBarrier = await runOn(through, {}, barriered);
      // Without versioning, 'ver' on pushes and results is a SHOULD (RFC 6121 §2.6.3, ROSTER-VER-09): the variation
      // drops it, so the case checking that SHOULD warns. The one change a correct server may cause, never a failure.
      const expected = { ...plain, ...(plain["roster-ver-without-client-ver"] === "pass" && { "roster-ver-without-client-ver": "warn" }) };
      assert.deepEqual(alike({ cases: [...byTimeout.cases, ...byBarrier.cases] }, plain), expected);
      assert.equal(byTimeout.accounts.notRemoved + byBarrier.accounts.notRemoved, 0);
    } finally {
      await proxy.close();
      variationsRan();
    }
  });

  test(`${name}: every variation changed some stanza of the run through them, but those for what only the other server sends`, async (tc) => {
    await variationsDone;
    if (used.size === 0) return tc.skip("needs the variation run above");
    // The mobile family's own variations (and the group chat family's, where this run has no rooms) apply to the
    // cases test/mobile.test.ts (and the other server's file) runs; one that must see what clients send (`stream`)
    // acts only where bench/try-case.ts applies it.
    const theirs = new Set([...(rooms ? [] : muc.VARIATIONS), ...mobile.VARIATIONS].map((v) => v.id));
    const other: Server = name === "Prosody" ? "ejabberd" : "Prosody";
    assert.deepEqual(
      VARIATIONS.filter((v) => !theirs.has(v.id) && !v.stream && v.only !== other && !used.get(v.id)).map((v) => v.id),
      [],
    );
  });

  return { target: () => t, reference, direct };
}
