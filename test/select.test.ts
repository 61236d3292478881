import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { casesNamed, select, splitArgs } from "../src/plan/filter.ts";
import { loadSuite } from "../src/scenario/load.ts";
import { ROOT, runCli } from "./support/cli.ts";
import { tempDir } from "./support/temp-dir.ts";

/** Case selection as users type it: ids as the reports print them, scenario ids, requirement IDs, files. */
const suite = loadSuite([path.join(ROOT, "scenarios")]).scenarios;
const ids = (names: string[], extra: Partial<Parameters<typeof select>[1]> = {}) => select(suite, { files: [], ids: names, tags: [], ...extra });

test("a case id as reports print it selects that case, a scenario id all its cells, a requirement every case citing it", () => {
  assert.deepEqual(
    ids(["presence-priority-echo/7"]).plan.map((s) => s.id),
    ["presence-priority-echo/7"],
  );
  assert.deepEqual(
    ids(["presence-priority-echo"])
      .plan.map((s) => s.id)
      .sort(),
    ["presence-priority-echo/-5", "presence-priority-echo/0", "presence-priority-echo/7"],
  );
  // A row of the delivery table is cited through its cells, with a '/' in the ID.
  assert.deepEqual(
    ids(["DELIVERY-MSG-BARE-2NN/headline"]).plan.map((s) => s.id),
    ["delivery-msg-bare-2nn/headline"],
  );
  // Requirements cited only by a step count too.
  const stepOnly = suite.find((s) => s.steps.some((st) => st.requirements?.some((r) => !s.requirements.includes(r))))!;
  const req = stepOnly.steps.flatMap((st) => st.requirements ?? []).find((r) => !stepOnly.requirements.includes(r))!;
  assert.ok(
    casesNamed(suite, req).some((s) => s.id === stepOnly.id),
    req,
  );
  // A prefix that is not a whole scenario id selects nothing.
  assert.deepEqual(ids(["presence-priority"]).unknownIds, ["presence-priority"]);
});

test("each case once, files and names together, then --grep and --tag", () => {
  const files = suite.filter((s) => s.id.startsWith("roster-add"));
  const r = select(suite, { files, ids: ["roster-add-push", "presence-priority-echo/0", "nope"], tags: [] });
  assert.deepEqual(
    r.plan.map((s) => s.id),
    [...files.map((s) => s.id), "presence-priority-echo/0"],
  );
  assert.deepEqual(r.unknownIds, ["nope"]);
  assert.deepEqual(
    ids(["presence-priority-echo"], { grep: /\/-5$/ }).plan.map((s) => s.id),
    ["presence-priority-echo/-5"],
  );
  assert.equal(ids([], { tags: ["no-such-tag"] }).plan.length, 0);
  assert.equal(ids([]).plan.length, suite.length);
});

test("only what exists on disk is a path: a case id with '/' is a name", () => {
  assert.deepEqual(splitArgs(["presence-priority-echo/7", path.join(ROOT, "scenarios/roster"), "x.yaml"]), {
    paths: [path.join(ROOT, "scenarios/roster")],
    ids: ["presence-priority-echo/7", "x.yaml"],
  });
});

const noStack = (stderr: string) => assert.doesNotMatch(stderr, /^\s+at /m, stderr);

test("CLI: ids select, unknown arguments are usage errors naming them, no stack trace", async () => {
  const one = await runCli(["list", "presence-priority-echo/7"]);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /^presence-priority-echo\/7 .*\n1 case\n$/);
  const cells = await runCli(["list", "presence-priority-echo", "--json"]);
  assert.equal(JSON.parse(cells.stdout).length, 3);
  // A family by its folder's name, as the README's example runs one; a misspelt one gets a "did you mean".
  const family = await runCli(["list", "roster-add-push", "presence", "--json"]);
  assert.equal(family.code, 0, family.stderr);
  const listed = JSON.parse(family.stdout) as { id: string; file: string }[];
  assert.ok(listed.filter((c) => c.id.startsWith("presence-")).length > 20);
  assert.ok(listed.some((c) => c.id === "roster-add-push"));
  // A list option takes one value a flag: the cases after it stay cases.
  const tagged = await runCli(["list", "--tag", "roster", "roster-add-push", "--json"]);
  assert.deepEqual(
    (JSON.parse(tagged.stdout) as { id: string }[]).map((c) => c.id),
    ["roster-add-push"],
  );
  const typo = await runCli(["list", "presense"]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /'presense' is no file or folder.*did you mean 'presence'\?/);
  const bad = await runCli(["run", "presence-priority-echo/77", "no/such/file.yaml", "--server", "127.0.0.1:1", "--domain", "d"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /'presence-priority-echo\/77' is no file or folder, case id, scenario id or requirement ID/);
  assert.match(bad.stderr, /no such file or folder: no\/such\/file\.yaml/);
  noStack(bad.stderr);
  const grep = await runCli(["list", "--grep", "("]);
  assert.equal(grep.code, 2);
  assert.match(grep.stderr, /--grep: Invalid regular expression/);
  noStack(grep.stderr);
});

test("CLI: validate on a file that is not a scenario, or a folder without scenarios, says so and exits 2", async () => {
  const passwd = await runCli(["validate", "/etc/passwd"]);
  assert.equal(passwd.code, 2);
  assert.match(passwd.stderr, /^\/etc\/passwd:1:1: not a scenario: expected a YAML map with id, title, .*got a string$/m);
  noStack(passwd.stderr);
  const empty = tempDir("xc-empty-");
  writeFileSync(path.join(empty, "notes.txt"), "nothing here");
  const folder = await runCli(["validate", empty]);
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /no scenario files \(\.yaml, \.yml\) in this folder/);
});

test("CLI: the same names work with --shard (an unreachable server: every selected case is reported)", async () => {
  const out = tempDir("xc-shard-");
  const shards = await Promise.all(
    ["1/2", "2/2"].map(async (shard, i) => {
      const dir = path.join(out, String(i));
      const r = await runCli(["run", "presence-priority-echo", "roster-add-push", "--shard", shard, "--server", "127.0.0.1:1", "--domain", "d", "--reporter", "json", "--out", dir]);
      assert.equal(r.code, 3, r.stderr);
      return (await import(path.join(dir, "results.json"), { with: { type: "json" } })).default.cases.map((c: { id: string }) => c.id) as string[];
    }),
  );
  assert.deepEqual(shards.flat().sort(), ["presence-priority-echo/-5", "presence-priority-echo/0", "presence-priority-echo/7", "roster-add-push"]);
});
