import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunResult } from "../src/results/schema.ts";
import { loadSuite } from "../src/scenario/load.ts";
import type { Target } from "../src/targets/types.ts";
import { ROOT, runCli } from "./support/cli.ts";
import { ejabberd } from "./support/ejabberd.ts";

/** ejabberd is the second real target: the whole suite, with its profile and without. */
const suiteSize = loadSuite([path.join(ROOT, "scenarios")]).scenarios.length;
const out = () => mkdtempSync(path.join(tmpdir(), "xc-ejabberd-"));
const results = (d: string) => JSON.parse(readFileSync(path.join(d, "results.json"), "utf8")) as RunResult;

let server: Target;
before(async () => {
  server = await ejabberd();
});
after(async () => {
  await server.stop();
});

let xfails: string[] = [];

test("--target local:ejabberd: the whole suite with the profile the server's version picks exits 0, and every xfail names its deviation", async () => {
  const d = out();
  const r = await runCli(["run", "--target", "local:ejabberd", "--reporter", "console,json", "--out", d]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const run = results(d);
  assert.equal(run.cases.length, suiteSize);
  assert.deepEqual([run.target.server?.version?.name, run.profile?.server, run.profile?.version], ["ejabberd", "ejabberd", "23.01"]);
  assert.deepEqual(
    run.cases.filter((c) => ["fail", "error", "xpass"].includes(c.verdict)).map((c) => `${c.id}: ${c.reason}`),
    [],
  );
  const expected = run.cases.filter((c) => c.verdict === "xfail");
  assert.ok(expected.length > 0);
  for (const c of expected) {
    assert.match(c.deviation?.source ?? "", /^profiles\/ejabberd-23\.01\.yaml:\d+$/, c.id);
    assert.ok(c.deviation!.reason.length > 10, c.id);
    assert.match(r.stdout, new RegExp(`x \\[\\d+/\\d+\\] ${c.id.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} .*known deviation \\(profiles/ejabberd-23\\.01\\.yaml:\\d+\\)`));
  }
  assert.match(r.stdout, new RegExp(`${expected.length} documented deviations in [\\d.]+ s: ejabberd 23\\.01\\S*, profile profiles/ejabberd-23\\.01\\.yaml`));
  xfails = expected.map((c) => c.id);
});

test("--profile none against a running ejabberd shows the raw verdicts: exit 1, each deviation listed with what arrived", async () => {
  const d = out();
  // The cases the profile expects to fail, and one it does not: the run above (exit 0 with the profile, so no
  // other case fails) already shows nothing else deviates. Without it, the whole suite.
  const picked = xfails.length > 0 ? [...xfails, "roster-get-empty"] : [];
  const r = await runCli(["run", ...picked, "--server", `127.0.0.1:${server.port}`, "--domain", server.domain, "--profile", "none", "--reporter", "console,json", "--out", d]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const run = results(d);
  assert.equal(run.profile, undefined);
  const raw = run.cases.filter((c) => c.verdict === "fail" || c.verdict === "warn");
  assert.ok(raw.some((c) => c.verdict === "fail"));
  assert.deepEqual(
    run.cases.filter((c) => c.verdict.startsWith("x")),
    [],
  );
  for (const c of raw) assert.match(r.stdout, new RegExp(`\\n${c.verdict.toUpperCase()} ${c.id.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: `));
  if (xfails.length > 0) assert.deepEqual(raw.map((c) => c.id).sort(), [...xfails].sort(), "what the profile expects is what fails without it");
});
