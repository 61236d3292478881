import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { RunResult } from "../src/results/schema.ts";
import { runCli } from "./support/cli.ts";
import { ejabberd } from "./support/ejabberd.ts";
import { racing, wholeSuiteTests } from "./support/whole-suite.ts";
import { tempDir } from "./support/temp-dir.ts";

// Side by side: the runs mostly wait on the servers, and each needs only its own server and the reference run.
describe("ejabberd's whole suite", { concurrency: true }, () => {
  /** ejabberd's whole suite the ways test/support/whole-suite.ts compares, beside Prosody's file: with its profile and without. */
  const { target, reference } = wholeSuiteTests("ejabberd", "local:ejabberd", () => ejabberd({ websocket: true }));

  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

  test("--target local:ejabberd: the whole suite with the profile the server's version picks exits 0, and every xfail names its deviation", async () => {
    const { cli: r, results: run } = await reference();
    assert.equal(r.code, 0, r.stdout + r.stderr);
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
      assert.match(r.stdout, new RegExp(`x \\[\\d+/\\d+\\] ${escape(c.id)} .*known deviation \\(profiles/ejabberd-23\\.01\\.yaml:\\d+\\)`));
    }
    assert.match(r.stdout, new RegExp(`${expected.length} documented deviations in [\\d.]+ s: ejabberd 23\\.01\\S*, profile profiles/ejabberd-23\\.01\\.yaml`));
  });

  test("--profile none against a running ejabberd shows the raw verdicts: exit 1, each deviation listed with what arrived", async () => {
    const d = tempDir("xc-ejabberd-");
    // Every tenth case the profile expects to fail, and one it does not: the run with the profile (exit 0, so no
    // other case fails) already shows nothing else deviates, and keeps each raw verdict in its deviation. Not those
    // it documents as intermittent, which any two runs may give differently.
    const { results } = await reference();
    const racy = racing(results);
    const xfails = results.cases.filter((c) => c.verdict === "xfail" && !racy(c.id)).filter((_, i) => i % 10 === 0);
    assert.ok(xfails.length > 5);
    const server = target();
    const r = await runCli([
      "run",
      ...xfails.map((c) => c.id),
      "roster-get-empty",
      "--server",
      `127.0.0.1:${server.port}`,
      "--domain",
      server.domain,
      "--profile",
      "none",
      "--reporter",
      "console,json",
      "--out",
      d,
    ]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const run = JSON.parse(readFileSync(path.join(d, "results.json"), "utf8")) as RunResult;
    assert.equal(run.profile, undefined);
    const raw = run.cases.filter((c) => c.verdict === "fail" || c.verdict === "warn");
    assert.ok(raw.some((c) => c.verdict === "fail"));
    assert.deepEqual(
      run.cases.filter((c) => c.verdict.startsWith("x")),
      [],
    );
    for (const c of raw) assert.match(r.stdout, new RegExp(`\\n${c.verdict.toUpperCase()} ${escape(c.id)}: `));
    // What the profile expects is what fails without it, each as the profiled run recorded it.
    assert.deepEqual(Object.fromEntries(run.cases.map((c) => [c.id, c.verdict])), { ...Object.fromEntries(xfails.map((c) => [c.id, c.deviation!.verdict])), "roster-get-empty": "pass" });
  });
});
