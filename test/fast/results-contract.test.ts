import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readResults } from "../../src/results/read.ts";
import { SCHEMA_VERSION } from "../../src/results/schema.ts";
import { ROOT, runCli } from "../support/cli.ts";
import { tempFiles } from "../support/temp-files.ts";

/**
 * Results files outlive releases: a CI baseline written last month must still gate this month. The fixture
 * test/fixtures/results/v1-29a433d.json was written by the release at commit 29a433d (schema version 1, no
 * `spec` on its cases) against Prosody 0.12.3.
 */
const V1 = path.join(ROOT, "test/fixtures/results/v1-29a433d.json");
const file = tempFiles("contract", "json");

test("a version-1 results file is read as this release's record: its cases are RFC 6121's", () => {
  const raw = JSON.parse(readFileSync(V1, "utf8"));
  assert.equal(raw.schemaVersion, 1);
  assert.ok(
    raw.cases.every((c: object) => !("spec" in c)),
    "the fixture is a record from before cases had a spec",
  );
  const run = readResults(V1);
  assert.equal(run.schemaVersion, SCHEMA_VERSION);
  assert.deepEqual([...new Set(run.cases.map((c) => c.spec))], ["rfc6121"]);
  assert.deepEqual(
    run.cases.map((c) => [c.id, c.verdict]),
    raw.cases.map((c: { id: string; verdict: string }) => [c.id, c.verdict]),
  );
});

test("a version-2 file of an interrupted run (7e3fb55) reads with the cases the interrupt kept from running as not-run", () => {
  const V2 = path.join(ROOT, "test/fixtures/results/v2-7e3fb55.json");
  const raw = JSON.parse(readFileSync(V2, "utf8"));
  assert.equal(raw.schemaVersion, 2);
  const run = readResults(V2);
  assert.equal(run.schemaVersion, SCHEMA_VERSION);
  const was = (v: string, reason: string) => raw.cases.filter((c: { verdict: string; reason?: string }) => c.verdict === v && c.reason === reason).length;
  assert.ok(was("skip", "interrupted before it started") > 0 && was("error", "interrupted") > 0, "the fixture has both kinds");
  assert.equal(run.cases.filter((c) => c.verdict === "not-run").length, was("skip", "interrupted before it started") + was("error", "interrupted"));
  assert.equal(run.cases.filter((c) => c.verdict === "pass").length, raw.cases.filter((c: { verdict: string }) => c.verdict === "pass").length);
});

test("every command that reads results reads the version-1 file: diff, merge, matrix, counts, profile init", async () => {
  const out = path.dirname(file("{}"));
  const now = path.join(out, "now.json");
  // The same run as this release would write it.
  writeFileSync(now, JSON.stringify({ ...readResults(V1), startedAt: new Date().toISOString() }));
  const diff = await runCli(["diff", V1, now]);
  assert.equal(diff.code, 0, diff.stderr);
  assert.match(diff.stdout, /no case got worse|unchanged/i);
  assert.equal((await runCli(["merge", V1, "--out", path.join(out, "merged"), "--reporter", "json"])).code, 0);
  assert.equal(readResults(path.join(out, "merged/results.json")).cases.length, 6);
  const matrix = await runCli(["matrix", V1, now, "--out", path.join(out, "matrix")]);
  assert.equal(matrix.code, 0, matrix.stderr);
  assert.match((await runCli(["counts", V1])).stdout, /^total=6$/m);
  const init = await runCli(["profile", "init", V1, "-o", path.join(out, "draft.yaml")]);
  assert.equal(init.code, 0, init.stderr);
  assert.match(readFileSync(path.join(out, "draft.yaml"), "utf8"), /case: presence-probe-full-jid/);
});

test("a file that is not a results record gets a short error: the first problems and how many more", () => {
  const broken = { ...JSON.parse(readFileSync(V1, "utf8")), cases: JSON.parse(readFileSync(V1, "utf8")).cases.map((c: object) => ({ ...c, verdict: "maybe" })) };
  const f = file(JSON.stringify(broken));
  assert.throws(
    () => readResults(f),
    (err: Error) => {
      assert.match(err.message, /not an xmpp-conform results file \(schema version 3\): .* at cases\.0\.verdict; .* at cases\.1\.verdict; .* at cases\.2\.verdict; and 3 more problems$/);
      assert.equal(err.message.split("\n").length, 1, "one line, not one per case");
      return true;
    },
  );
  assert.throws(() => readResults(file(JSON.stringify({ ...broken, schemaVersion: 9 }))), /written by a newer release of xmpp-conform \(schema version 9; this one reads up to 3\)/);
});

test("results/ imports nothing from the run, the targets, the transports or the remote server", () => {
  const dir = path.join(ROOT, "src/results");
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".ts"))) {
    const imports = [...readFileSync(path.join(dir, f), "utf8").matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    assert.deepEqual(
      imports.filter((i) => /^\.\.\/(run|targets|xmpp|remote|accounts|cli|report)\//.test(i)),
      [],
      f,
    );
  }
});
