import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { findRequirement } from "../src/catalog/index.ts";
import { readResults } from "../src/results/read.ts";
import { runCli } from "./support/cli.ts";
import { prosody } from "./support/prosody.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * The CI gate on a server that is not conformant: a few cases Prosody 0.12 fails or warns on, plus two it
 * passes, against one throwaway Prosody: a draft profile from a raw run makes the run exit 0; run
 * --baseline exits 0 on the same failures and 1 when something got worse; merged shards equal one run.
 */
const CASES = ["presence-probe-full-jid", "delivery-msg-untyped-fullnomatch", "delivery-iq-fullmatch-unshared", "roster-add-push", "roster-get-empty"];
const dir = tempDir("xc-gate-");
let server: Awaited<ReturnType<typeof prosody>>;
const run = (out: string, extra: string[]) =>
  runCli(["run", ...CASES, "--server", `127.0.0.1:${server.port}`, "--domain", "localhost", "--timeout", "1000", "--reporter", "json", "--out", path.join(dir, out), ...extra]);
const raw = path.join(dir, "raw/results.json");

before(async () => {
  server = await prosody();
  const r = await run("raw", ["--profile", "none"]);
  assert.equal(r.code, 1, r.stderr);
});
after(async () => {
  await server.stop();
});

test("profile init drafts an entry per failing or warning case that validate accepts and that makes the run exit 0", async () => {
  const draft = path.join(dir, "draft.yaml");
  const init = await runCli(["profile", "init", raw, "-o", draft]);
  assert.equal(init.code, 0, init.stderr);
  const results = readResults(raw);
  const bad = results.cases.filter((c) => c.verdict === "fail" || c.verdict === "warn");
  assert.ok(bad.length >= 3 && bad.length < results.cases.length, results.cases.map((c) => `${c.id} ${c.verdict}`).join(", "));
  const doc = parse(readFileSync(draft, "utf8"));
  assert.deepEqual([doc.server, doc.version], [results.target.software!.name, results.target.software!.version]);
  assert.deepEqual(
    doc.deviations.map((e: { case: string }) => e.case),
    bad.map((c) => c.id),
  );
  for (const e of doc.deviations) assert.match(e.review, /check that the server deviates/);
  // The rule quoted from the catalog, the stanza the server sent after the action, without run-specific names.
  const probe = doc.deviations.find((e: { case: string }) => e.case === "presence-probe-full-jid");
  assert.ok(probe.rfc.includes(findRequirement("PROBE-11")!.text), probe.rfc);
  assert.match(probe.observed, /^after alice\/a1 sent <presence to="carol@localhost\/c1" type="probe"[^\n]*:\nalice\/a1 got <presence [^\n]*from="carol@localhost\/c2"/);
  assert.doesNotMatch(probe.observed, /xc-[0-9a-f]{6}-/);

  const valid = await runCli(["validate", "--profile", draft]);
  assert.equal(valid.code, 0, valid.stderr);
  const withDraft = await run("with-draft", ["--profile", draft]);
  assert.equal(withDraft.code, 0, withDraft.stdout + withDraft.stderr);
  assert.deepEqual(
    readResults(path.join(dir, "with-draft/results.json"))
      .cases.filter((c) => c.verdict === "xfail")
      .map((c) => c.id),
    bad.map((c) => c.id),
  );

  // profile check: every draft entry is still under review; once reviewed, a passing case's entry is stale
  // and an entry with only a link has no evidence.
  const check = await runCli(["profile", "check", path.join(dir, "with-draft/results.json")]);
  assert.equal(check.code, 1);
  assert.equal(check.stdout.match(/: under review: /g)?.length, bad.length, check.stdout);
  const reviewed = path.join(dir, "reviewed.yaml");
  const extra = `  - case: roster-add-push\n    requirements: [ROSTER-PUSH-01]\n    level: MUST\n    reason: thought to fail\n    link: https://issues.example/1\n`;
  writeFileSync(reviewed, readFileSync(draft, "utf8").replace(/^ {4}review: .*\n/gm, "") + extra);
  const stale = await runCli(["profile", "check", raw, "--profile", reviewed]);
  assert.equal(stale.code, 1);
  assert.match(stale.stdout, /reviewed\.yaml:\d+: roster-add-push: stale: no longer fails: roster-add-push passed/);
  assert.match(stale.stdout, /roster-add-push: no evidence: only a link/);
  assert.doesNotMatch(stale.stdout, /under review/);
  writeFileSync(reviewed, readFileSync(reviewed, "utf8").replace(extra, ""));
  const clean = await runCli(["profile", "check", raw, "--profile", reviewed]);
  assert.equal(clean.code, 0, clean.stdout);
});

test("run --baseline: the same failures exit 0, a case that got worse exits 1 and is named in diff.md", async () => {
  const same = await run("again", ["--profile", "none", "--baseline", raw]);
  assert.equal(same.code, 0, same.stdout + same.stderr);
  assert.match(same.stdout, /^ {2}0 worse, 0 lost, 0 better, 0 changed, 0 new, 0 gone, \d+ unchanged$/m);
  // A baseline in which a case that fails here had passed.
  const rawRun = readResults(raw);
  const failing = rawRun.cases.find((c) => c.verdict === "fail")!;
  const rosier = path.join(dir, "rosier.json");
  writeFileSync(rosier, JSON.stringify({ ...rawRun, cases: rawRun.cases.map((c) => (c.id === failing.id ? { ...c, verdict: "pass", failures: [] } : c)) }));
  const worse = await run("worse", ["--profile", "none", "--baseline", rosier, "--reporter", "console"]);
  assert.equal(worse.code, 1, worse.stdout + worse.stderr);
  assert.match(worse.stdout, new RegExp(`Got worse:\\n {2}${failing.id.replace(/[/.]/g, "\\$&")} +pass -> fail`));
  assert.match(readFileSync(path.join(dir, "worse/diff.md"), "utf8"), new RegExp(`^\\| \`${failing.id}\` \\|.*\\| pass \\| \\*\\*fail\\*\\* \\|`, "m"));
  // --baseline writes results.json whatever the reporters.
  assert.equal(readResults(path.join(dir, "worse/results.json")).cases.length, rawRun.cases.length);
  const unreadable = await run("x", ["--baseline", path.join(dir, "nope.json")]);
  assert.equal(unreadable.code, 2);
});

test("shards of a selection, merged, give the verdicts of one run", async () => {
  const shards = await Promise.all([1, 2, 3].map((k) => run(`shard${k}`, ["--profile", "none", "--shard", `${k}/3`])));
  for (const s of shards) assert.equal([0, 1].includes(s.code!), true, s.stderr);
  const merged = path.join(dir, "merged");
  const m = await runCli(["merge", ...[1, 2, 3].map((k) => path.join(dir, `shard${k}/results.json`)), "--out", merged]);
  assert.equal(m.code, 0, m.stderr);
  const verdicts = (file: string) => Object.fromEntries(readResults(file).cases.map((c) => [c.id, c.verdict]));
  assert.deepEqual(verdicts(path.join(merged, "results.json")), verdicts(raw));
});

test("profile init on a run against a server that does not say its version (no XEP-0092) writes a draft validate accepts, for any version", async () => {
  const quiet = await prosody({ extraConfig: ['modules_disabled = { "s2s"; "s2s_auth_certs"; "version" }'] });
  try {
    const out = path.join(dir, "no-version");
    const r = await runCli(["run", ...CASES, "--server", `127.0.0.1:${quiet.port}`, "--domain", "localhost", "--timeout", "1000", "--reporter", "json", "--out", out, "--profile", "none"]);
    assert.equal(r.code, 1, r.stderr);
    const results = readResults(path.join(out, "results.json"));
    assert.equal(results.target.software?.version ?? "", "", "the server gave no version");
    const draft = path.join(dir, "no-version.yaml");
    assert.equal((await runCli(["profile", "init", path.join(out, "results.json"), "-o", draft])).code, 0);
    const text = readFileSync(draft, "utf8");
    assert.match(text, /^version: "\*" # the server did not say its version \(no XEP-0092\): '\*' covers every version of it$/m);
    const valid = await runCli(["validate", "--profile", draft]);
    assert.equal(valid.code, 0, valid.stderr);
    // It applies to the server it was drafted from: the run exits 0 with it.
    const again = await runCli(["run", ...CASES, "--server", `127.0.0.1:${quiet.port}`, "--domain", "localhost", "--timeout", "1000", "--reporter", "json", "--out", `${out}-2`, "--profile", draft]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
  } finally {
    await quiet.stop();
  }
});
