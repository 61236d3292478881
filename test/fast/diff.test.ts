import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { diffRuns } from "../../src/results/diff.ts";
import { readResults } from "../../src/results/read.ts";
import type { CaseResult, RunResult } from "../../src/results/schema.ts";
import { runCli } from "../support/cli.ts";
import { makeCase, makeRun } from "../support/results.ts";

/** diff OLD NEW and the results files it reads: results.json and the jsonl event stream. */
const dir = mkdtempSync(path.join(tmpdir(), "xc-diff-"));
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

test("worse, better, changed, new and gone: by what the server did, whatever the profile said", () => {
  const d = diffRuns(before, after);
  const ids = (k: "worse" | "better" | "changed" | "appeared" | "disappeared") => d[k].map((c) => c.id);
  assert.deepEqual(ids("worse"), ["pass-fail", "pass-warn", "warn-fail"]);
  assert.deepEqual(ids("better"), ["fail-pass", "xfail-xpass"]);
  // fail and error are equally bad; a skip was not observed.
  assert.deepEqual(ids("changed"), ["fail-error", "pass-skip", "skip-fail"]);
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
  assert.deepEqual(diffRuns(after, run).unchanged, after.cases.length);

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

test("xmpp-conform diff prints the changes, writes Markdown, and exits 1 only when a case got worse", async () => {
  const old = write("old.json", before);
  const md = path.join(dir, "diff.md");
  const r = await runCli(["diff", old, path.join(dir, "run.jsonl"), "--markdown", md]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^ {2}3 worse, 2 better, 3 changed, 1 new, 1 gone, 2 unchanged$/m);
  assert.match(r.stdout, /Got worse:\n {2}pass-fail +pass -> fail {2}no push\n/);
  assert.match(r.stdout, /xfail-xpass +xfail \(fail\) -> xpass \(pass\)/);
  const text = readFileSync(md, "utf8");
  assert.match(
    text,
    /^#### Got worse\n\n\| Case \| Section \| Level \| Baseline \| Now \| Why \|\n\|---\|---\|---\|---\|---\|---\|\n\| `pass-fail` \| \[RFC 6121 §2\.3\.2\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc6121#section-2\.3\.2\) \| MUST \| pass \| \*\*fail\*\* \| no push \|$/m,
  );
  assert.match(text, /^\| `gone` \| .* \| pass \| – \| {2}\|$/m);

  const onlyBetter = makeRun(before.cases.map((c) => (c.id === "fail-pass" ? { ...c, verdict: "pass" as const } : c)));
  const ok = await runCli(["diff", old, write("better.json", onlyBetter)]);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /0 worse, 1 better/);

  const bad = await runCli(["diff", old, write("nothing.json", "{}")]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /nothing\.json: not an xmpp-conform results file/);
});
