import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { once } from "node:events";

/**
 * A server process tied to ours by a pipe: the shell wrapper below kills the server as soon as the pipe
 * closes, which happens when we call stop() and also when our process dies in any way (even SIGKILL).
 * The server gets its own process group, so a Ctrl-C in the terminal reaches only us, and we can still
 * remove accounts before we stop it.
 */
const TETHER = `
exec 3<&0
"$@" </dev/null >>"$TETHER_LOG" 2>&1 &
child=$!
( read -r _ <&3
  if [ -n "$TETHER_PIDFILE" ]; then
    # The server is a grandchild in its own session (su), so killing $child would orphan it: wait for its PID
    # file, kill the server, and let $child exit by itself (reaping everything) before our wait below returns.
    while [ ! -s "$TETHER_PIDFILE" ] && kill -0 "$child" 2>/dev/null; do sleep 0.02; done
    [ -s "$TETHER_PIDFILE" ] && kill -KILL "$(cat "$TETHER_PIDFILE")" 2>/dev/null && exit
  fi
  kill -KILL "$child" 2>/dev/null ) &
watcher=$!
wait "$child"; rc=$?
kill "$watcher" 2>/dev/null
exit $rc
`;

/** The PID a server wrote to its PID file, if it did. */
function pidIn(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface TetheredProcess {
  /** Resolves with the exit code once the server (and its wrapper) is gone. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
  /** Kills the server at once, synchronously (a second Ctrl-C: no time to wait for anything). */
  kill(): void;
}

export interface TetherOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr of the server go here (appended). */
  logFile: string;
  /** For servers that fork away from the command we start (ejabberdctl): the real server's PID file. */
  pidFile?: string;
}

export function startTethered(command: string, args: string[], opts: TetherOptions): TetheredProcess {
  const child = spawn("sh", ["-c", TETHER, "tether", command, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, TETHER_LOG: opts.logFile, TETHER_PIDFILE: opts.pidFile ?? "" },
    stdio: ["pipe", "ignore", "ignore"],
    detached: true,
  });
  child.stdin!.on("error", () => {}); // the wrapper may be gone already when we close the pipe
  const exited = once(child, "exit").then(([code]) => code as number | null);
  // The pipe alone keeps nothing alive: if our process ends, the server ends with it.
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  let stopping: Promise<void> | undefined;
  const signal = (pid: number) => {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  return {
    exited,
    kill() {
      // The server forked away from the wrapper (ejabberdctl): by its PID file; then the wrapper's whole group.
      const forked = opts.pidFile ? pidIn(opts.pidFile) : undefined;
      if (forked) signal(forked);
      if (child.pid) signal(-child.pid);
    },
    stop() {
      stopping ??= (async () => {
        child.ref(); // keep the loop alive until the server is really gone
        if (child.exitCode === null && child.signalCode === null) child.stdin!.end();
        await exited;
      })();
      return stopping;
    },
  };
}
