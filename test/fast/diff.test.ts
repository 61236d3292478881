import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffRuns, observed } from "../../src/results/diff.ts";
import { readResults } from "../../src/results/read.ts";
import type { CaseResult, RunResult } from "../../src/results/schema.ts";
import { runCli } from "../support/cli.ts";
import { makeCase, makeRun } from "../support/results.ts";
import { tempDir } from "../support/temp-dir.ts";

/** diff OLD NEW and the results files it reads: results.json and the jsonl event stream. */
const dir = tempDir("xc-diff-");
const write = (name: string, content: RunResult | string) => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
};
const deviation = (verdict: CaseResult["verdict"]) => ({ source: "profiles/p.yaml:3", reason: "known", verdict });

const before = makeRun([
  makeCase({ id: "pass-fail" }),
  makeCase({ id: "pass-warn" }),
  makeCase({ id: "warn-fail", verdict: "warn" }),
  makeCase({ id: "fail-pass", verdict: "fail" }),
  makeCase({ id: "xfail-fail", verdict: "xfail", deviation: deviation("fail") }),
  makeCase({ id: "xfail-xpass", verdict: "xfail", deviation: deviation("fail") }),
  makeCase({ id: "fail-error", verdict: "fail" }),
  makeCase({ id: "pass-skip" }),
  makeCase({ id: "skip-fail", verdict: "skip" }),
  makeCase({ id: "same" }),
  makeCase({ id: "gone" }),
]);
const after = makeRun([
  makeCase({ id: "pass-fail", verdict: "fail", reason: "no push" }),
  makeCase({ id: "pass-warn", verdict: "warn" }),
  makeCase({ id: "warn-fail", verdict: "fail" }),
  makeCase({ id: "fail-pass" }),
  makeCase({ id: "xfail-fail", verdict: "fail" }),
  makeCase({ id: "xfail-xpass", verdict: "xpass", deviation: deviation("pass") }),
  makeCase({ id: "fail-error", verdict: "error" }),
  makeCase({ id: "pass-skip", verdict: "skip" }),
  makeCase({ id: "skip-fail", verdict: "fail" }),
  makeCase({ id: "same" }),
  makeCase({ id: "new", verdict: "fail" }),
]);

/** A baseline as the gate reads it, from a run in memory. */
const baselineOf = (run: RunResult) => ({ label: "baseline", cases: new Map(run.cases.map((c) => [c.id, observed(c)])) });

test("worse, lost, better, changed, new and gone: by what the server did, whatever the profile said", () => {
  const d = diffRuns(baselineOf(before), after);
  const ids = (k: "worse" | "lost" | "better" | "changed" | "appeared" | "disappeared") => d[k].map((c) => c.id);
  assert.deepEqual(ids("worse"), ["pass-fail", "pass-warn", "warn-fail"]);
  // Observed then, skipped now: coverage the gate no longer has.
  assert.deepEqual(ids("lost"), ["pass-skip"]);
  assert.deepEqual(ids("better"), ["fail-pass", "xfail-xpass"]);
  // fail and error are equally bad; a skip was not observed.
  assert.deepEqual(ids("changed"), ["fail-error", "skip-fail"]);
  assert.deepEqual(ids("appeared"), ["new"]);
  assert.deepEqual(ids("disappeared"), ["gone"]);
  // xfail -> fail: the profile entry went, the server did the same.
  assert.equal(d.unchanged, 2);
});

// The events as the jsonl reporter writes them (src/results/events.ts).
const event = (type: string, body: object) => JSON.stringify({ type, ...body });
const { cases: _cases, schemaVersion: _v, durationMs: _d, accounts, interrupted: _i, ...info } = after;
const begin = event("run-begin", { run: info, plan: after.cases.map((c) => c.id) });
const caseEvents = (c: CaseResult) => [
  event("case-begin", { id: c.id, title: c.title, pos: c.pos }),
  event("step-end", { caseId: c.id, step: "s", pos: c.pos, outcome: "ok", at: 1 }),
  event("case-end", { case: c }),
];

test("a jsonl event stream reads as the run it describes; one cut short as an interrupted run with the cases that ended", () => {
  const whole = write("run.jsonl", [begin, ...after.cases.flatMap(caseEvents), event("run-end", { run: { ...info, schemaVersion: 1, durationMs: 900, accounts, interrupted: false } }), ""].join("\n"));
  const run = readResults(whole);
  assert.deepEqual(
    run.cases.map((c) => c.id),
    after.cases.map((c) => c.id),
  );
  assert.equal(run.durationMs, 900);
  assert.equal(run.interrupted, false);
  assert.deepEqual(diffRuns(baselineOf(after), run).unchanged, after.cases.length);

  const lines = [begin, ...after.cases.slice(0, 3).flatMap(caseEvents), event("case-begin", { id: "pass-skip", title: "t", pos: after.cases[0].pos })];
  const cut = write("cut.jsonl", `${lines.join("\n")}\n{"type": "case-end", "case": {"id": "pass-sk`);
  const partial = readResults(cut);
  assert.deepEqual(
    partial.cases.map((c) => c.id),
    ["pass-fail", "pass-warn", "warn-fail"],
  );
  assert.equal(partial.interrupted, true);
  assert.match(partial.notes!.join(), /the run did not end/);

  assert.throws(() => readResults(write("broken.jsonl", `${begin}\nnot json\n${begin}\n`)), /broken\.jsonl:2: not a JSON event/);
  assert.throws(() => readResults(write("other.jsonl", `${event("case-end", { case: after.cases[0] })}\n`)), /not an xmpp-conform event stream/);
});

test("xmpp-conform diff prints the changes, writes Markdown, and exits 1 when a case got worse or lost coverage", async () => {
  const old = write("old.json", before);
  const md = path.join(dir, "diff.md");
  const r = await runCli(["diff", old, path.join(dir, "run.jsonl"), "--markdown", md]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^ {2}3 worse, 1 lost, 2 better, 2 changed, 1 new, 1 gone, 2 unchanged$/m);
  assert.match(r.stdout, /Got worse:\n {2}pass-fail +pass -> fail {2}no push\n/);
  assert.match(r.stdout, /xfail-xpass +fail -> xpass \(pass\)/);
  const text = readFileSync(md, "utf8");
  assert.match(
    text,
    /^#### Got worse\n\n\| Case \| Section \| Level \| Baseline \| Now \| Why \|\n\|---\|---\|---\|---\|---\|---\|\n\| `pass-fail` \| \[RFC 6121 §2\.3\.2\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc6121#section-2\.3\.2\) \| MUST \| pass \| \*\*fail\*\* \| no push \|$/m,
  );
  assert.match(text, /^\| `gone` \| \| \| pass \| – \| not in this run \|$/m);

  const onlyBetter = makeRun(before.cases.map((c) => (c.id === "fail-pass" ? { ...c, verdict: "pass" as const } : c)));
  const ok = await runCli(["diff", old, write("better.json", onlyBetter)]);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /0 worse, 0 lost, 1 better/);

  // Only lost coverage: it fails the gate unless allowed.
  const skipped = write("skipped.json", makeRun(before.cases.map((c) => (c.id === "same" ? { ...c, verdict: "skip" as const, reason: "not advertised" } : c))));
  assert.equal((await runCli(["diff", old, skipped])).code, 1);
  assert.equal((await runCli(["diff", old, skipped, "--allow-lost"])).code, 0);

  const bad = await runCli(["diff", old, write("nothing.json", "{}")]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /nothing\.json: not an xmpp-conform results file/);
});

test("baseline accept writes a slim, sorted, stable file; a gate reads it as it reads a results file", async () => {
  const run = write("accepted.json", after);
  const file = path.join(dir, "conformance", "baseline.json");
  const r = await runCli(["baseline", "accept", run, "-o", file]);
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(file, "utf8");
  const slim = JSON.parse(text);
  assert.equal(slim.baseline, 1);
  assert.deepEqual(
    Object.keys(slim.cases),
    [...after.cases.map((c) => c.id)].sort((a, b) => a.localeCompare(b)),
  );
  // What the server did, one line per case: xpass as pass, no times, ids or transcripts.
  assert.equal(slim.cases["xfail-xpass"], "pass");
  assert.match(text, /^ {4}"pass-fail": "fail",$/m);
  assert.doesNotMatch(text, /startedAt|durationMs|transcript/);
  assert.ok(text.length < 2000);
  // Accepting the same results again writes the same bytes.
  await runCli(["baseline", "accept", run, "-o", file]);
  assert.equal(readFileSync(file, "utf8"), text);
  // The gate on the slim file: the same run is unchanged.
  const same = await runCli(["diff", file, run]);
  assert.equal(same.code, 0, same.stdout);
  assert.match(same.stdout, new RegExp(`0 worse, 0 lost, 0 better, 0 changed, 0 new, 0 gone, ${after.cases.length} unchanged`));
});
