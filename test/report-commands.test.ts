import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readResults } from "../src/results/read.ts";
import type { RunResult } from "../src/results/schema.ts";
import { runCli } from "./support/cli.ts";
import { makeCase, makeRun } from "./support/results.ts";
import { tempDir } from "./support/temp-dir.ts";

/** matrix and merge as a user calls them, on results files written from in-memory records. */
const dir = tempDir("xc-commands-");
const write = (name: string, run: RunResult | string) => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof run === "string" ? run : JSON.stringify(run));
  return file;
};

const prosody = write("prosody.json", makeRun([makeCase({ id: "a" }), makeCase({ id: "b", verdict: "fail", reason: "no push" }), makeCase({ id: "c" })]));
const ejabberd = write(
  "ejabberd.json",
  makeRun([makeCase({ id: "a" }), makeCase({ id: "b" }), makeCase({ id: "c" })], {
    target: { name: "local:ejabberd", host: "127.0.0.1", port: 5223, domain: "localhost", software: { name: "ejabberd", version: "23.01" } },
  }),
);

const tigase = write(
  "tigase.json",
  makeRun([makeCase({ id: "a", verdict: "skip", reason: "not advertised" }), makeCase({ id: "b" }), makeCase({ id: "c" })], {
    target: { name: "127.0.0.1:5224", host: "127.0.0.1", port: 5224, domain: "localhost", software: { name: "Tigase", version: "8.4" } },
  }),
);

test("xmpp-conform matrix of three servers: a summary grid, disagreements first with their reasons, Markdown for a wiki", async () => {
  const out = path.join(dir, "matrix");
  const r = await runCli(["matrix", prosody, ejabberd, tigase, "--out", out]);
  assert.equal(r.code, 0, r.stderr);
  // The grid first, under column headers: each server's counts per specification and its state per compliance suite.
  const lines = r.stdout.split("\n");
  assert.match(lines[0], /^\s+Prosody 0\.12\.3\s+ejabberd 23\.01\s+Tigase 8\.4$/);
  assert.match(lines[1], /^RFC 6121\s+2 pass 1 fail\s+3 pass\s+2 pass$/);
  assert.ok(
    lines.some((l) => /^Core \(XEP-0479, Server\)\s+not covered\s+not covered\s+not covered$/.test(l)),
    r.stdout,
  );
  // Then the rows that differ, under the same headers.
  assert.match(
    r.stdout,
    /^2 of 3 cases differ between Prosody 0\.12\.3, ejabberd 23\.01, Tigase 8\.4\ncase\s+Prosody 0\.12\.3\s+ejabberd 23\.01\s+Tigase 8\.4\na\s+pass\s+pass\s+skip\nb\s+fail\s+pass\s+pass$/m,
  );
  const html = readFileSync(path.join(out, "matrix.html"), "utf8");
  assert.match(html, /<h2>Summary<\/h2>\n<table class="grid"/);
  assert.match(html, /<td class="differ" title="no push"><span class="badge v-fail">FAIL<\/span><div class="req-text">no push<\/div><\/td>/);
  assert.ok(html.indexOf("<code>b</code>") < html.indexOf("<code>c</code>"), "disagreements come first");
  const md = readFileSync(path.join(out, "matrix.md"), "utf8");
  assert.match(md, /^\| Specification \| Prosody 0\.12\.3 \| ejabberd 23\.01 \| Tigase 8\.4 \|$/m);
  assert.match(md, /^\| Compliance suite \| /m);
  assert.match(md, /^\| ≠ \| `b` \| .* \| \*\*fail\*\* no push \| \*\*pass\*\* \| \*\*pass\*\* \|$/m);
  assert.ok(md.indexOf("| ≠ |") < md.indexOf("|  | `c`"), "disagreements come first in the Markdown too");
  const byReq = await runCli(["matrix", prosody, ejabberd, "--by", "requirement", "--out", out]);
  assert.match(byReq.stdout, /^1 of 1 requirements differ/m);
});

test("matrix and merge refuse what is not a set of results files, with exit 2", async () => {
  assert.equal((await runCli(["matrix", prosody])).code, 2);
  const broken = await runCli(["matrix", prosody, write("broken.json", `{"schemaVersion": 1}`)]);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /broken\.json: not an xmpp-conform results file/);
  const clash = await runCli(["merge", prosody, ejabberd, "--out", path.join(dir, "clash")]);
  assert.equal(clash.code, 2);
  assert.match(clash.stderr, /not a shard of the same run .*target, software differ/);
});

test("xmpp-conform merge joins shards into one results.json and writes its reports", async () => {
  const one = write("shard1.json", makeRun([makeCase({ id: "a" }), makeCase({ id: "b", verdict: "fail" })]));
  const two = write("shard2.json", makeRun([makeCase({ id: "c", verdict: "warn" })], { target: { ...makeRun([]).target, port: 6000 } }));
  const out = path.join(dir, "merged");
  const r = await runCli(["merge", one, two, "--out", out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /merged 2 files, 3 cases/);
  assert.deepEqual(
    readResults(path.join(out, "results.json")).cases.map((c) => [c.id, c.verdict]),
    [
      ["a", "pass"],
      ["b", "fail"],
      ["c", "warn"],
    ],
  );
  for (const f of ["junit.xml", "report.html", "summary.md", "compliance.md"]) assert.ok(existsSync(path.join(out, f)), f);
});

test("merge refuses an incomplete set of shards, naming the missing ones, unless --allow-partial; the report says so", async () => {
  const shard = (k: number, id: string) => write(`part${k}.json`, makeRun([makeCase({ id })], { shard: { k, n: 3 } }));
  const [one, three] = [shard(1, "a"), shard(3, "c")];
  const refused = await runCli(["merge", one, three, "--out", path.join(dir, "partial")]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /shard 2\/3 missing \(--allow-partial merges what there is\)/);
  const out = path.join(dir, "partial");
  const allowed = await runCli(["merge", one, three, "--allow-partial", "--out", out]);
  assert.equal(allowed.code, 0, allowed.stderr);
  const merged = readResults(path.join(out, "results.json"));
  assert.deepEqual(merged.notes, ["shard 2/3 missing: this is part of the run (merge --allow-partial)"]);
  assert.equal(merged.shard, undefined);
  assert.match(readFileSync(path.join(out, "summary.md"), "utf8"), /shard 2\/3 missing/);
  assert.equal((await runCli(["merge", one, shard(2, "b"), three, "--out", path.join(dir, "whole")])).code, 0);
});
