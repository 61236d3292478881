import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { AutoConcurrency } from "../src/run/concurrency.ts";
import { mergeRuns } from "../src/results/merge.ts";
import { readResults } from "../src/results/read.ts";
import { ROOT, runCli } from "./support/cli.ts";
import { prosody } from "./support/prosody.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * A server as the controller sees it: each window of case ends (twice the limit, ten at least, each case
 * started under the limit and logging sessions in) comes with the set-up pace the server gives at the current
 * limit, in its w-th window. Returns the limit after each window.
 */
function drive(c: AutoConcurrency, windows: number, paceAt: (limit: number, w: number) => number): number[] {
  let clock = 0;
  const limits: number[] = [];
  for (let w = 0; w < windows; w++) {
    const paceMs = paceAt(c.limit, w);
    for (let i = Math.max(10, 2 * c.limit); i > 0; i--) {
      clock += 10;
      c.completed({ startedAt: clock - 1, endedAt: clock, paceMs, trouble: false });
    }
    limits.push(c.limit);
  }
  return limits;
}

/** A server that answers at the same pace up to `cores` cases at once, and proportionally slower beyond. */
const saturatingAt = (cores: number) => (limit: number) => 80 * Math.max(1, limit / cores);

test("auto grows while cases per second rise with the limit, up to its bound", () => {
  const c = new AutoConcurrency({ start: 4, min: 1, max: 12 });
  const limits = drive(c, 8, () => 80);
  assert.deepEqual(limits.slice(0, 4), [6, 8, 10, 12]);
  assert.ok(
    limits.every((l) => l <= 12),
    `never above the bound: ${limits}`,
  );
  assert.deepEqual(c.summary(), { settled: 12, lowest: 4, highest: 12 });
});

test("auto holds where cases per second stop rising: one step tried, then back", () => {
  const c = new AutoConcurrency({ start: 4, min: 1, max: 32 });
  const limits = drive(c, 12, saturatingAt(8));
  assert.deepEqual(limits.slice(0, 6), [6, 8, 10, 8, 9, 8], "grows to 8, finds 10 and then 9 no better, goes back to 8");
  assert.deepEqual(limits.slice(6, 8), [8, 8], "holds there for calm windows before probing again");
  assert.ok(
    limits.slice(1).every((l) => l >= 8 && l <= 10),
    `${limits}`,
  );
  assert.equal(c.summary().settled, 8, "the limit held longest");
});

test("auto holds at its start on a server already busy: growth that buys nothing is undone", () => {
  const c = new AutoConcurrency({ start: 4, min: 1, max: 32 });
  const limits = drive(c, 10, saturatingAt(2));
  assert.deepEqual(limits.slice(0, 4), [6, 4, 5, 4]);
  assert.ok(Math.max(...limits) <= 6 && Math.min(...limits) === 4, `${limits}`);
  assert.equal(c.summary().settled, 4);
});

test("auto backs off when the server slows down at the same limit, but not below where it started", () => {
  const c = new AutoConcurrency({ start: 4, min: 1, max: 8 });
  // Room for 8 until the 5th window; then every set-up takes three times as long.
  const limits = drive(c, 8, (_limit, w) => (w < 5 ? 80 : 240));
  assert.deepEqual(limits.slice(0, 6), [6, 8, 8, 8, 8, 6], "8 x 0.75 once the pace triples");
  const start = new AutoConcurrency({ start: 4, min: 1, max: 4 });
  assert.deepEqual(
    drive(start, 4, (_limit, w) => (w < 2 ? 80 : 400)),
    [4, 4, 4, 4],
  );
});

test("auto backs off at once when a case started under its limit had its set-up retried, down to one case, not for cases started before", () => {
  const c = new AutoConcurrency({ start: 4, min: 1, max: 32 });
  drive(c, 2, () => 80);
  assert.equal(c.limit, 8);
  c.completed({ startedAt: 1e6, endedAt: 1e6 + 100, paceMs: 80, trouble: true });
  assert.equal(c.limit, 6, "8 x 0.75");
  // A case that started before the back-off and ends with trouble is the same trouble, already answered.
  c.completed({ startedAt: 1e6 + 50, endedAt: 1e6 + 200, paceMs: 80, trouble: true });
  assert.equal(c.limit, 6);
  c.completed({ startedAt: 1e6 + 300, endedAt: 1e6 + 400, trouble: true });
  assert.equal(c.limit, 4, "trouble again under the new limit: down again (6 x 0.75)");
  for (let t = 1e6 + 500; t < 2e6; t += 100) c.completed({ startedAt: t, endedAt: t + 50, trouble: true });
  assert.equal(c.limit, 1, "never below its minimum");
  assert.equal(c.summary().lowest, 1);
});

test("auto stays within one case at once when that is all there is room for", () => {
  const one = new AutoConcurrency({ start: 4, min: 1, max: 1 });
  assert.equal(one.limit, 1, "a plan of one case, or one existing account");
  assert.deepEqual(
    drive(one, 3, () => 10),
    [1, 1, 1],
  );
  assert.deepEqual(one.summary(), { settled: 1, lowest: 1, highest: 1 });
});

const server = await prosody();
after(() => server.stop());

test("a run is auto by default: it passes and reports what it settled on in results.json, on the console and in the summaries", async () => {
  const dir = tempDir("xc-out-");
  const r = await runCli(["run", "scenarios/roster", "--server", `127.0.0.1:${server.port}`, "--domain", "localhost", "--reporter", "console,json,markdown,html", "--out", dir]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const results = readResults(path.join(dir, "results.json"));
  assert.equal(results.options.concurrency, "auto");
  const c = results.concurrency!;
  assert.ok(c, "results.json has the settled concurrency");
  assert.ok(1 <= c.lowest && c.lowest <= c.settled && c.settled <= c.highest && c.highest <= 32, JSON.stringify(c));
  assert.equal(c.lowest, 4, "it starts at 4 and a fresh Prosody refuses nothing");
  assert.ok(c.highest > 4, "the cases' set-up pace reached the controller: it grows after its first window");
  assert.match(r.stdout, new RegExp(` in [\\d.]+ s: .*, concurrency auto: ${c.settled}\\b`));
  assert.match(readFileSync(path.join(dir, "summary.md"), "utf8"), new RegExp(`concurrency auto: ${c.settled}\\b`));
  assert.match(readFileSync(path.join(dir, "report.html"), "utf8"), new RegExp(`concurrency auto: ${c.settled}\\b`));
  assert.deepEqual(server.accounts(), []);
});

test("--concurrency takes auto or a whole number of at least 1", async () => {
  for (const bad of ["0", "2.5", "many"]) {
    const r = await runCli(["run", "scenarios/roster", "--server", `127.0.0.1:${server.port}`, "--domain", "localhost", "--concurrency", bad]);
    assert.equal(r.code, 2, bad);
    assert.match(r.stderr, new RegExp(`--concurrency must be auto or a whole number of at least 1, got '${bad.replace(".", "\\.")}'`));
  }
});

test("merge joins what auto settled on in each shard: their median, and the range over all of them", () => {
  const base = readResults(path.join(ROOT, "test/fixtures/results/v1-29a433d.json"));
  const shard = (file: string, cases: typeof base.cases, concurrency: NonNullable<typeof base.concurrency>) => ({
    file,
    run: { ...base, options: { ...base.options, concurrency: "auto" }, cases, concurrency },
  });
  const merged = mergeRuns([
    shard("a.json", base.cases.slice(0, 2), { settled: 8, lowest: 4, highest: 10 }),
    shard("b.json", base.cases.slice(2, 4), { settled: 6, lowest: 4, highest: 12 }),
    shard("c.json", base.cases.slice(4), { settled: 10, lowest: 5, highest: 10 }),
  ]);
  assert.deepEqual(merged.concurrency, { settled: 8, lowest: 4, highest: 12 });
  assert.equal(merged.cases.length, base.cases.length);
});
