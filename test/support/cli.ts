import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildSync } from "esbuild";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI's sources bundled into one file, built once a test process: the same code bin/xmpp-conform.js runs
 * through tsx, without the 1-2 s of CPU tsx's loader takes at every start (the tests start the CLI a few hundred
 * times). It lies inside the package (node_modules/.cache), where its dependencies resolve as the sources' do, and
 * src/suite-files.ts, the one module that locates the package's files from its own place, is told where it is.
 */
let bundle: string | undefined;
function bundled(): string {
  if (bundle) return bundle;
  const [out] = buildSync({
    entryPoints: [path.join(ROOT, "src/cli/main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    write: false,
    define: { "import.meta.url": JSON.stringify(pathToFileURL(path.join(ROOT, "src/suite-files.ts")).href) },
    logLevel: "error",
  }).outputFiles;
  const dir = path.join(ROOT, "node_modules/.cache/xmpp-conform/cli");
  bundle = path.join(dir, `${createHash("sha256").update(out.contents).digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(bundle)) {
    mkdirSync(dir, { recursive: true });
    // Test files build side by side: each writes its own copy and renames it into place.
    writeFileSync(`${bundle}.${process.pid}`, out.contents);
    renameSync(`${bundle}.${process.pid}`, bundle);
    // Bundles of older sources, but those a test process started within the hour may still run.
    for (const f of readdirSync(dir).map((n) => path.join(dir, n))) if (f !== bundle && statSync(f).mtimeMs < Date.now() - 3_600_000) rmSync(f, { force: true });
  }
  return bundle;
}

/** Runs the CLI as a user would (bundled, above); `onStdout` and `onStderr` see output as it comes (to interrupt mid-run); `env` adds variables. */
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
    const command = [...(opts.under ?? []), process.execPath, bundled(), ...args];
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
    // 'exit' may come before the last of the pipes is read (a loaded machine): wait for both to end, but not for a
    // process the CLI left holding them (a server it started, killed by the test), at most 2 s.
    const ended = (s: NodeJS.ReadableStream) => new Promise<void>((done) => ((s as { readableEnded?: boolean }).readableEnded ? done() : s.once("end", () => done())));
    child.on("exit", (code, signal) => {
      const late = setTimeout(() => resolve({ code, signal, stdout, stderr }), 2000);
      void Promise.all([ended(child.stdout), ended(child.stderr)]).then(() => {
        clearTimeout(late);
        resolve({ code, signal, stdout, stderr });
      });
    });
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
