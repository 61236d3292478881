import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { tempDir } from "./temp-dir.ts";

/**
 * Runs the shell steps of a composite action (action.yml) the way a GitHub runner does: inputs with their
 * defaults, ${{ }} expressions substituted before the step runs (composite actions get no INPUT_*
 * variables), each step's own GITHUB_OUTPUT file read back as steps.<id>.outputs, one step summary, and
 * `bash --noprofile --norc -eo pipefail` for `shell: bash`. Steps that `uses:` another action are recorded,
 * not run. An expression this runner does not know fails the run, so the action stays within what is tested.
 */
export interface ActionStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  shell?: string;
  env?: Record<string, string>;
  run?: string;
}

export interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface StepRun {
  step: ActionStep;
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export function readAction(file: string): Action {
  return parse(readFileSync(file, "utf8")) as Action;
}

export function runActionSteps(
  actionDir: string,
  inputs: Record<string, string>,
  opts: { workspace: string; env?: NodeJS.ProcessEnv },
): { steps: StepRun[]; summary: string; outputs: Record<string, string> } {
  const action = readAction(path.join(actionDir, "action.yml"));
  const values = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ""])), ...inputs };
  const temp = tempDir("xc-runner-");
  const summaryFile = path.join(temp, "step-summary.md");
  writeFileSync(summaryFile, "");
  const outputs: Record<string, Record<string, string>> = {};
  const expr = (text: string) =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
      let m: RegExpExecArray | null;
      if ((m = /^inputs\.([A-Za-z0-9_-]+)$/.exec(e))) return values[m[1]] ?? "";
      if ((m = /^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(e))) return outputs[m[1]]?.[m[2]] ?? "";
      if (e === "github.action_path") return actionDir;
      if (e === "runner.temp") return temp;
      throw new Error(`expression the local runner does not know: ${e}`);
    });
  const runs: StepRun[] = [];
  for (const [i, step] of action.runs.steps.entries()) {
    if (step.uses) {
      // Another action (upload-artifact): only its inputs are evaluated.
      runs.push({ step: { ...step, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expr(String(v))])) }, code: 0, stdout: "", stderr: "", outputs: {} });
      continue;
    }
    if (step.if) throw new Error(`step ${i}: the local runner does not evaluate 'if' on run steps`);
    if (step.shell !== "bash") throw new Error(`step ${i}: only shell: bash is run locally`);
    const outputFile = path.join(temp, `output-${i}`);
    writeFileSync(outputFile, "");
    const script = path.join(temp, `step-${i}.sh`);
    writeFileSync(script, expr(step.run!));
    const env = {
      ...process.env,
      ...opts.env,
      GITHUB_ACTIONS: "true",
      CI: "true",
      GITHUB_WORKSPACE: opts.workspace,
      GITHUB_ACTION_PATH: actionDir,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_ENV: path.join(temp, "env"),
      GITHUB_PATH: path.join(temp, "path"),
      RUNNER_TEMP: temp,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expr(String(v))])),
    };
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd: opts.workspace, env, encoding: "utf8", maxBuffer: 64 << 20 });
    const stepOutputs = Object.fromEntries(
      readFileSync(outputFile, "utf8")
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    if (step.id) outputs[step.id] = stepOutputs;
    runs.push({ step, code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, outputs: stepOutputs });
    if (r.status !== 0) break;
  }
  const actionOutputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, expr(v.value)]));
  return { steps: runs, summary: readFileSync(summaryFile, "utf8"), outputs: actionOutputs };
}
