import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { reporters } from "../src/report/index.ts";
import { runActionSteps, type StepRun } from "./support/action-runner.ts";
import { ROOT } from "./support/cli.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * action.yml's shell steps, run as a GitHub runner runs them, against a local Prosody the action starts:
 * the action's own code (a copy of this checkout's files, as `uses:` checks it out), its install step
 * (npm ci from the registry, the target's Debian packages), the run, the outputs and the step summary.
 */
const dir = tempDir("xc-action-");
const actionDir = path.join(dir, "action");
const workspace = path.join(dir, "workspace");
let result: ReturnType<typeof runActionSteps>;
const step = (name: RegExp): StepRun => result.steps.find((s) => name.test(s.step.name ?? ""))!;

before(() => {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
  for (const f of files) if (existsSync(path.join(ROOT, f))) cpSync(path.join(ROOT, f), path.join(actionDir, f));
  mkdirSync(workspace);
  // The github reporter (annotations) is the input's default; until the harness has it, name the others.
  const inputs: Record<string, string> = {
    target: "local:prosody",
    cases: "roster-add-push presence-priority-echo/7 presence-probe-full-jid",
    profile: "none",
    args: "--timeout 1000",
    ...(reporters.github ? {} : { reporters: "console,junit,json,html,markdown" }),
  };
  result = runActionSteps(actionDir, inputs, { workspace });
});

test("the install step installs the action's own code and the target's packages", () => {
  const install = step(/^Install xmpp-conform$/);
  assert.equal(install.code, 0, install.stdout + install.stderr);
  assert.equal(install.outputs.bin, path.join(actionDir, "bin/xmpp-conform.js"));
  assert.ok(existsSync(path.join(actionDir, "node_modules/yargs")));
  // Production dependencies only.
  assert.equal(existsSync(path.join(actionDir, "node_modules/typescript")), false);
});

test("the run step runs the selection, exposes the counts and the exit code, and fills the step summary", () => {
  const run = step(/^Run the conformance suite$/);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /2 passed, 1 failed/);
  assert.deepEqual(Object.fromEntries(["exit-code", "total", "pass", "fail", "warn", "error", "artifact", "results"].map((k) => [k, result.outputs[k] ?? run.outputs[k]])), {
    "exit-code": "1",
    total: "3",
    pass: "2",
    fail: "1",
    warn: "0",
    error: "0",
    artifact: "xmpp-conform-reports",
    results: "xmpp-conform-reports/results.json",
  });
  for (const f of ["junit.xml", "results.json", "summary.md"]) assert.ok(existsSync(path.join(workspace, "xmpp-conform-reports", f)), f);
  assert.equal(result.summary, readFileSync(path.join(workspace, "xmpp-conform-reports/summary.md"), "utf8"));
  // The summary leads with what to fix first: the rule the failing case breaks, then the case.
  assert.match(result.summary, /^- \*\*MUST\*\* `PROBE-11`.*\n {2}- `presence-probe-full-jid` \(fail\)/m);
  if (reporters.github) assert.match(run.stdout, /^::error /m);
});

test("the reports are uploaded whatever the verdict, and the action then fails as the run did", () => {
  const upload = step(/^Upload the reports$/);
  assert.equal(upload.step.uses, "actions/upload-artifact@v4");
  assert.match(upload.step.if!, /^always\(\)/);
  assert.deepEqual(upload.step.with, { name: "xmpp-conform-reports", path: "xmpp-conform-reports", "if-no-files-found": "warn" });
  const last = result.steps.at(-1)!;
  assert.match(last.step.name!, /^Pass or fail as the run did$/);
  assert.equal(last.code, 1);
});
