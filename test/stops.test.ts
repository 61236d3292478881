import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { descendants, processesNaming, ROOT, runCli } from "./support/cli.ts";
import { prosody } from "./support/prosody.ts";
import { ejabberd } from "./support/ejabberd.ts";
import type { Target } from "../src/targets/types.ts";
import { tempDir } from "./support/temp-dir.ts";

// How a run ends when it cannot go on: the server killed under it, its output's reader gone, a second Ctrl-C.
// Each ends the command by itself, writes what it can, and says what it left and how to remove it.

const out = () => tempDir("xc-stop-");
/** A journal folder of the test's own, so that what a run leaves is this test's to count. */
const state = () => ({ XDG_STATE_HOME: tempDir("xc-state-") });
const results = (dir: string) => JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8"));
const pidOf = (t: Target) => Number(readFileSync(t.pidFile!, "utf8").trim());

for (const [name, start] of [
  ["Prosody", prosody],
  ["ejabberd", ejabberd],
] as const) {
  test(`${name} killed mid-run: the run ends by itself within 30 s with exit 3, the rest not run, reports written, the leftovers named`, async () => {
    const server = await start();
    const dir = out();
    const env = state();
    let killedAt = 0;
    try {
      const r = await runCli(["run", "--server", `127.0.0.1:${server.port}`, "--domain", server.domain, "--reporter", "console,json,junit,markdown,compliance", "--out", dir], {
        env,
        onStdout: (text) => {
          if (killedAt === 0 && text.includes("[20/")) {
            killedAt = Date.now();
            process.kill(pidOf(server), "SIGKILL");
          }
        },
      });
      const endedAfter = Date.now() - killedAt;
      assert.ok(killedAt > 0, "the run got to its 20th case");
      assert.equal(r.code, 3, r.stdout.slice(-2000) + r.stderr);
      assert.ok(endedAfter < 30_000, `ended ${endedAfter} ms after the kill`);
      const run = results(dir);
      assert.equal(run.stopped.why, "server-gone");
      assert.match(run.stopped.detail, /stopped answering/);
      const notRun = run.cases.filter((c: { verdict: string }) => c.verdict === "not-run");
      assert.ok(notRun.length > 500, `${notRun.length} not run`);
      assert.ok(notRun.every((c: { reason: string }) => /^the server went away at \d\d:\d\d:\d\d/.test(c.reason)));
      // One line for the cases never started, not one per case; the leftovers with the command that removes them.
      assert.match(r.stdout, /· \d+ cases not run: the server went away at/);
      assert.ok(r.stdout.split("\n").filter((l) => /not run: the server went away/.test(l)).length < 5);
      if (run.accounts.notRemoved > 0) assert.match(r.stdout, new RegExp(`xmpp-conform cleanup --server 127\\.0\\.0\\.1:${server.port} --domain ${server.domain}`));
      assert.match(readFileSync(path.join(dir, "summary.md"), "utf8"), /The run stopped early\*\* \(the server went away at/);
      assert.match(readFileSync(path.join(dir, "compliance.md"), "utf8"), /No verdict: the run stopped before every case had run/);
      assert.match(readFileSync(path.join(dir, "junit.xml"), "utf8"), /<testsuites [^>]*errors="\d+"/);
    } finally {
      await server.stop();
    }
  });
}

test("a local server killed mid-run: exit 3, its folder removed, no process left", async () => {
  const dir = out();
  let killed = false;
  let folder = "";
  const r = await runCli(["run", "--target", "local:prosody", "--reporter", "console,json", "--out", dir], {
    onStdout: (text, child) => {
      if (killed || !text.includes("[20/")) return;
      // This run's own server: the Prosody below the harness's process.
      const server = descendants(child.pid!).find((p) => !p.cmdline.startsWith("sh ") && /prosody -F --config (\S+)\/prosody\.cfg\.lua/.test(p.cmdline));
      if (!server) return;
      killed = true;
      folder = /--config (\S+)\/prosody\.cfg\.lua/.exec(server.cmdline)![1];
      process.kill(server.pid, "SIGKILL");
    },
  });
  assert.ok(killed);
  assert.equal(existsSync(folder), false);
  assert.deepEqual(processesNaming(folder), []);
  assert.equal(r.code, 3, r.stdout.slice(-2000) + r.stderr);
  assert.equal(results(dir).stopped.why, "server-gone");
  // A local server's accounts go with it: nothing is left, nothing to clean up.
  assert.equal(results(dir).accounts.notRemoved, 0);
});

test("output piped into head: list ends at once; run ends like Ctrl-C, its accounts removed and its reports written", async () => {
  const server = await prosody();
  try {
    const pipe = (cmd: string) =>
      new Promise<{ out: string; ms: number }>((resolve) => {
        const started = Date.now();
        const child = spawn("sh", ["-c", cmd], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
        let text = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (text += d));
        child.on("exit", () => resolve({ out: text, ms: Date.now() - started }));
      });
    const list = await pipe("node bin/xmpp-conform.js list 2>&1 | head -1");
    assert.equal(list.out.split("\n").filter(Boolean).length, 1);
    assert.doesNotMatch(list.out, /EPIPE|warning/);
    const dir = out();
    const run = await pipe(`node bin/xmpp-conform.js run --server 127.0.0.1:${server.port} --domain localhost --out ${dir} 2>&1 | head -5`);
    assert.equal(run.out.split("\n").filter(Boolean).length, 5);
    // Ends rather than hangs: a deadline, not a speed figure (4 s on an idle machine, 20 s with the CPU shared five ways).
    assert.ok(run.ms < 60_000, `${run.ms} ms`);
    const r = results(dir);
    assert.equal(r.stopped.why, "output-closed");
    assert.equal(r.accounts.notRemoved, 0);
    assert.deepEqual(server.accounts(), []);
  } finally {
    await server.stop();
  }
});

test("a second Ctrl-C quits at once and says what it left: the printed cleanup removes it; a local server's folder goes", async () => {
  const server = await prosody();
  const env = state();
  try {
    // The first Ctrl-C once the run is under way, the second once it is finishing its cleanup.
    const twice = (args: string[]) => {
      let first = false;
      let second = false;
      return runCli(args, {
        env,
        onStdout: (text, child) => {
          if (!first && text.includes("[3/")) (child.kill("SIGINT"), (first = true));
        },
        onStderr: (text, child) => {
          if (!second && text.includes("interrupted: finishing cleanup")) (child.kill("SIGINT"), (second = true));
        },
      });
    };
    const r = await twice(["run", "--server", `127.0.0.1:${server.port}`, "--domain", "localhost", "--out", out()]);
    assert.equal(r.code, 130, r.stderr);
    const said = /quitting at once: (?:(\d+) test accounts? left on [^\n]*\n\s+(xmpp-conform cleanup [^\n]+)|nothing is left behind)/.exec(r.stderr);
    assert.ok(said, r.stderr);
    if (said[1]) {
      assert.equal(server.accounts().length > 0, true);
      const cleanup = await runCli(said[2].split(" ").slice(1), { env });
      assert.equal(cleanup.code, 0, cleanup.stdout + cleanup.stderr);
    }
    assert.deepEqual(server.accounts(), []);
    const local = await twice(["run", "--target", "local:prosody", "--out", out()]);
    assert.equal(local.code, 130);
    const gone = /quitting at once: the local server's processes killed and (\S+) removed/.exec(local.stderr);
    assert.ok(gone, local.stderr);
    assert.equal(existsSync(gone[1]), false);
    assert.deepEqual(processesNaming(gone[1]), []);
  } finally {
    await server.stop();
  }
});
