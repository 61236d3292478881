import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadSuite, run, select, SUITE, type RunEvent } from "../src/index.ts";
import { readResults } from "../src/results/read.ts";
import { ROOT, runCli } from "./support/cli.ts";
import { prosody } from "./support/prosody.ts";
import { tempDir } from "./support/temp-dir.ts";

/** The run as a library and an event stream, and the reporters that consume it. */
let server: Awaited<ReturnType<typeof prosody>>;
const suite = loadSuite([SUITE]).scenarios;
const out = () => tempDir("xc-lib-");
const at = () => ["--server", `127.0.0.1:${server.port}`, "--domain", "localhost"];

before(async () => {
  server = await prosody();
});
after(async () => {
  await server.stop();
});

test("the library runs a plan without the CLI: events in order, the results record out, accounts removed", async () => {
  const { plan } = select(suite, { files: [], ids: ["roster-add-push", "roster-set-two-items"], tags: [] });
  const events: RunEvent[] = [];
  const results = await run(plan, { server: `127.0.0.1:${server.port}`, domain: "localhost", install: false }, { onEvent: (e) => void events.push(e) });
  assert.deepEqual(
    results.cases.map((c) => [c.id, c.verdict]),
    [
      ["roster-add-push", "pass"],
      ["roster-set-two-items", "pass"],
    ],
  );
  assert.equal(events[0].type, "run-begin");
  assert.equal(events.at(-1)!.type, "run-end");
  const types = events.map((e) => e.type);
  for (const id of ["roster-add-push", "roster-set-two-items"]) {
    const begin = events.findIndex((e) => e.type === "case-begin" && e.id === id);
    const end = events.findIndex((e) => e.type === "case-end" && e.case.id === id);
    const steps = events.filter((e, i) => e.type === "step-end" && e.caseId === id && i > begin && i < end);
    assert.ok(begin > 0 && end > begin, `case-begin before case-end for ${id}: ${types.join(" ")}`);
    assert.equal(steps.length, plan.find((sc) => sc.id === id)!.steps.length);
  }
  // Passing cases keep no transcript unless asked: what makes reports large.
  assert.equal(results.cases[0].transcript, undefined);
  assert.equal(results.accounts.notRemoved, 0);
  assert.deepEqual(server.accounts(), []);
});

test("a reporter from a file outside src/ consumes the run; a reporter that throws is reported and stops nothing", async () => {
  const dir = out();
  const fixtures = path.join(ROOT, "test/fixtures/reporters");
  const r = await runCli([
    "run",
    "roster-add-push",
    "roster-get-empty",
    ...at(),
    "--reporter",
    `json,${path.join(fixtures, "throwing-reporter.mjs")},${path.join(fixtures, "count-reporter.mjs")}`,
    "--out",
    dir,
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /reporter '.*throwing-reporter\.mjs' failed in case-end: boom on roster-/);
  const counts = JSON.parse(readFileSync(path.join(dir, "counts.json"), "utf8"));
  assert.deepEqual(counts.events["case-end"], 2);
  assert.deepEqual(counts.events["run-begin"], 1);
  assert.deepEqual(counts.cases, [
    ["roster-add-push", "pass"],
    ["roster-get-empty", "pass"],
  ]);
  assert.ok(existsSync(path.join(dir, "results.json")), "the other reporters still wrote their files");
});

test("a reporter that cannot be found is a usage error naming it", async () => {
  const r = await runCli(["run", "roster-add-push", ...at(), "--reporter", "./no-such-reporter.js", "--out", out()]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /reporter '\.\/no-such-reporter\.js' could not be loaded/);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
});

test("kill -9 mid-run: results.jsonl holds every case that had ended, and merge reads it", async () => {
  const dir = out();
  let ended = 0;
  const r = await runCli(["run", ...at(), "--reporter", "jsonl,console", "--concurrency", "2", "--out", dir], {
    onStdout: (text, child) => {
      ended = (text.match(/\[\d+\/\d+\]/g) ?? []).length;
      if (ended >= 5 && !child.killed) child.kill("SIGKILL");
    },
  });
  assert.equal(r.signal, "SIGKILL");
  const lines = readFileSync(path.join(dir, "results.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as RunEvent);
  const caseEnds = lines.filter((e) => e.type === "case-end");
  assert.ok(caseEnds.length >= ended, `${caseEnds.length} case-end events, ${ended} cases printed as ended`);
  assert.ok(!lines.some((e) => e.type === "run-end"));
  const partial = readResults(path.join(dir, "results.jsonl"));
  assert.equal(partial.interrupted, true);
  assert.equal(partial.cases.length, caseEnds.length);
  assert.match(partial.notes!.join("\n"), /the run did not end/);
  const merged = await runCli(["merge", path.join(dir, "results.jsonl"), "--out", path.join(dir, "merged"), "--reporter", "json"]);
  assert.equal(merged.code, 0, merged.stderr);
  assert.equal(readResults(path.join(dir, "merged", "results.json")).cases.length, caseEnds.length);
});
