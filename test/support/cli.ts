import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/xmpp-conform.js as a user would; `onStdout` and `onStderr` see output as it comes (to interrupt mid-run); `env` adds variables. */
export function runCli(
  args: string[],
  opts: {
    onStdout?: (text: string, child: ReturnType<typeof spawn>) => void;
    onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
    env?: NodeJS.ProcessEnv;
    /** A command the CLI runs under (strace and its options, say). */
    under?: string[];
    /** The child as soon as it runs (to kill it on a condition of the test's own). */
    onSpawn?: (child: ReturnType<typeof spawn>) => void;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const command = [...(opts.under ?? []), process.execPath, path.join(ROOT, "bin/xmpp-conform.js"), ...args];
    const child = spawn(command[0], command.slice(1), { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...opts.env } });
    opts.onSpawn?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      opts.onStdout?.(stdout, child);
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      opts.onStderr?.(stderr, child);
    });
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The processes below `pid` (children, grandchildren, ...), from /proc: a local server a run started, say. */
export function descendants(pid: number): { pid: number; cmdline: string }[] {
  const all = processes();
  const below = (p: number): { pid: number; cmdline: string }[] => all.filter((x) => x.ppid === p).flatMap((x) => [{ pid: x.pid, cmdline: x.cmdline }, ...below(x.pid)]);
  return below(pid);
}

/** Processes whose command line names `text` (a local server's folder): what must not outlive its run. */
export const processesNaming = (text: string) => processes().filter((p) => p.cmdline.includes(text));

function processes(): { pid: number; ppid: number; cmdline: string }[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .flatMap((p) => {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, "utf8");
        return [{ pid: Number(p), ppid: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]), cmdline: readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ") }];
      } catch {
        return [];
      }
    });
}
