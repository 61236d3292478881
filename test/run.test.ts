import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadSuite } from "../src/scenario/load.ts";
import { ROOT, runCli } from "./support/cli.ts";
import { orphanedProsodies, prosody } from "./support/prosody.ts";
import { tempDir } from "./support/temp-dir.ts";

let server: Awaited<ReturnType<typeof prosody>>;
const suiteSize = loadSuite([path.join(ROOT, "scenarios")]).scenarios.length;
const out = () => tempDir("xc-out-");
const junitCounts = (dir: string) => {
  const xml = readFileSync(path.join(dir, "junit.xml"), "utf8");
  const [, tests, failures, errors] = /<testsuites tests="(\d+)" failures="(\d+)" errors="(\d+)"/.exec(xml)!.map(Number);
  return { tests, failures, errors, xml };
};

before(async () => {
  server = await prosody();
});
after(async () => {
  await server.stop();
});

test("the CI form runs against a running server, writes junit.xml and removes its accounts", async () => {
  // The roster family: the whole suite with the profile runs below, on a server the harness starts.
  const dir = out();
  const r = await runCli(["run", "scenarios/roster", "--server", `127.0.0.1:${server.port}`, "--domain", "localhost", "--reporter", "junit", "--out", dir]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const j = junitCounts(dir);
  assert.deepEqual([j.tests, j.failures, j.errors], [loadSuite([path.join(ROOT, "scenarios/roster")]).scenarios.length, 0, 0]);
  assert.match(j.xml, /<property name="requirements" value="ROSTER-ADD-01,ROSTER-ADD-02/);
  assert.match(j.xml, /<system-out><!\[CDATA\[RFC 6121 §2\.3\.2 MUST {2}requirements: ROSTER-ADD-01, ROSTER-ADD-02/);
  // A verdict per requirement as testcase properties; the transcripts of passing cases only on request.
  assert.match(j.xml, /<property name="requirement:ROSTER-ADD-01" value="pass"\/>/);
  assert.doesNotMatch(j.xml, /-> <iq type="set" id="ph1xaz53">/);
  assert.deepEqual(server.accounts(), []);
});

test("a failing case exits 1 and shows what was expected, what came instead and the transcript", async () => {
  const d = out();
  const scenario = readFileSync(path.join(ROOT, "scenarios/roster/add-push.yaml"), "utf8")
    .replace("id: roster-add-push", "id: wrong-group")
    .replace("<item jid='${nurse}'/></query></iq>", "<item jid='${nurse}' name='Nursz'/></query></iq>");
  writeFileSync(path.join(d, "wrong.yaml"), scenario);
  const r = await runCli(["run", path.join(d, "wrong.yaml"), "--server", `127.0.0.1:${server.port}`, "--domain", "localhost", "--timeout", "300", "--reporter", "console,junit", "--out", d]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /FAIL wrong-group/);
  assert.match(r.stdout, /arrived instead \(closest first\):\n\s+[\d.]+ ms {2}<iq [^\n]*name="Nurse"/);
  assert.match(r.stdout, /iq\/query\/item@name: expected 'Nursz', got 'Nurse'/);
  assert.match(r.stdout, /transcript:/);
  assert.match(r.stdout, /0 passed, 1 new failure/);
  // The rule's own words in the failure, and what to fix first with a command that runs the case again (from its file).
  assert.match(r.stdout, /^ {2}rule: RFC 6121 §2\.3\.2 MUST: "[^\n]*\bMUST\b/m);
  assert.match(r.stdout, /^what to fix first \(\d+ entr(y|ies), MUST first\):$/m);
  const rerun = /^ +(npx xmpp-conform run --server 127\.0\.0\.1:\d+ --domain localhost \S*wrong\.yaml --grep '\^\(wrong-group\)\$')$/m.exec(r.stdout);
  assert.ok(rerun, r.stdout);
  const again = await runCli([
    ...rerun[1]
      .split(" ")
      .slice(2)
      .map((w) => w.replace(/^'|'$/g, "")),
    "--timeout",
    "300",
    "--reporter",
    "json",
    "--out",
    path.join(d, "again"),
  ]);
  assert.equal(again.code, 1, again.stdout + again.stderr);
  assert.deepEqual(
    JSON.parse(readFileSync(path.join(d, "again", "results.json"), "utf8")).cases.map((c: { id: string }) => c.id),
    ["wrong-group"],
  );
  assert.match(junitCounts(d).xml, /<failure message="juliet\/balcony did not receive/);
  assert.deepEqual(server.accounts(), []);
});

test("Ctrl-C mid-run: cases stop, reports are written, accounts are removed, exit 130", async () => {
  const dir = out();
  let sent = false;
  const r = await runCli(["run", "--server", `127.0.0.1:${server.port}`, "--domain", "localhost", "--concurrency", "1", "--out", dir], {
    onStdout: (text, child) => {
      if (!sent && text.includes("[1/")) {
        sent = true;
        child.kill("SIGINT");
      }
    },
  });
  assert.equal(r.code, 130, r.stdout + r.stderr);
  assert.match(r.stderr, /interrupted/);
  const results = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8"));
  assert.equal(results.interrupted, true);
  assert.equal(results.cases.length, suiteSize);
  assert.ok(results.cases.some((c: { reason?: string }) => /interrupted/.test(c.reason ?? "")));
  assert.equal(results.accounts.notRemoved, 0);
  assert.deepEqual(server.accounts(), []);
});

test("an unreachable server gives error verdicts with the reason, reports, and exit 3", async () => {
  const dir = out();
  const r = await runCli(["run", "--server", "127.0.0.1:1", "--domain", "localhost", "--reporter", "console,junit,json", "--out", dir]);
  assert.equal(r.code, 3);
  assert.match(r.stdout, /the run could not start: .*ECONNREFUSED/);
  const j = junitCounts(dir);
  assert.deepEqual([j.tests, j.errors], [suiteSize, suiteSize]);
  assert.match(j.xml, /the run could not start/);
});

test("a broken scenario file gives file:line:col and exit 2; usage errors exit 2", async () => {
  const d = out();
  writeFileSync(
    path.join(d, "broken.yaml"),
    "id: x\ntitle: t\nrfc: '2.1'\nlevel: MUST\nrequirements: [ROSTER-GET-01]\naccounts: { juliet: { resources: { a: {} } } }\nsteps:\n  - juliet/a sendz: <iq/>\n",
  );
  const v = await runCli(["validate", path.join(d, "broken.yaml")]);
  assert.equal(v.code, 2);
  assert.match(v.stderr, new RegExp(`${path.join(d, "broken.yaml")}:8:5: steps\\[0\\]: expected a step like`));
  const run = await runCli(["run", path.join(d, "broken.yaml"), "--server", `127.0.0.1:${server.port}`, "--domain", "localhost"]);
  assert.equal(run.code, 2);
  assert.equal((await runCli(["run"])).code, 2);
  assert.equal((await runCli(["run", "--server", "no host:x"])).code, 2);
  assert.equal((await runCli(["run", "no-such-case", "--server", "127.0.0.1:5222", "--domain", "d"])).code, 2);
  assert.equal((await runCli(["frobnicate"])).code, 2);
});

test("Ctrl-C during a --target local:prosody run stops the server it started", async () => {
  const dir = out();
  let sent = false;
  const r = await runCli(["run", "--target", "local:prosody", "--concurrency", "1", "--reporter", "console,json", "--out", dir], {
    onStdout: (text, child) => {
      if (!sent && text.includes("[1/")) {
        sent = true;
        child.kill("SIGINT");
      }
    },
  });
  assert.equal(r.code, 130, r.stdout + r.stderr);
  assert.equal(JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8")).accounts.notRemoved, 0);
  assert.deepEqual(orphanedProsodies(), []);
});

test("--shard k/n runs disjoint parts that add up to the plan; --repeat reports no flaky verdict", async () => {
  const roster = path.join(ROOT, "scenarios/roster");
  const ids = async (extra: string[]) => {
    const dir = out();
    const r = await runCli(["run", roster, "--server", `127.0.0.1:${server.port}`, "--domain", "localhost", "--profile", "none", "--reporter", "json", "--out", dir, ...extra]);
    return { code: r.code, stderr: r.stderr, cases: JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8")).cases as { id: string; flaky?: string[] }[] };
  };
  const shards = await Promise.all(["1/3", "2/3", "3/3"].map((s) => ids(["--shard", s])));
  const all = loadSuite([roster])
    .scenarios.map((s) => s.id)
    .sort();
  assert.deepEqual(shards.flatMap((s) => s.cases.map((c) => c.id)).sort(), all);
  assert.ok(shards.every((s) => s.cases.length > 0));
  const twice = await ids(["--repeat", "2", "--grep", "^roster-(add|delete|get)"]);
  assert.match(twice.stderr, /run 2 of 2 done/);
  assert.ok(twice.cases.length > 5);
  assert.deepEqual(
    twice.cases.filter((c) => c.flaky),
    [],
  );
  assert.equal((await runCli(["run", "--shard", "4/3", "--server", "127.0.0.1:1", "--domain", "d"])).code, 2);
});
