import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";

/** How long a run waits for another process's install (apt, a release download) before giving up. */
const WAIT_S = 900;

/**
 * Runs `work` while holding a machine-wide lock on `file`, so that two runs (or two test files) that both find a
 * server missing do not run apt side by side: one installs, the other waits and then finds it installed. The lock
 * is held by flock(1) in a child that lives as long as its stdin is open, so it is released when `work` ends or
 * when this process dies, whatever kills it.
 */
export async function withInstallLock<T>(file: string, work: () => T): Promise<T> {
  mkdirSync(path.dirname(file), { recursive: true });
  const holder = spawn("flock", ["-w", String(WAIT_S), file, "sh", "-c", "echo locked; exec cat >/dev/null"], { stdio: ["pipe", "pipe", "ignore"] });
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once("data", () => resolve());
      holder.once("error", (e) => reject(new Error(`cannot take the install lock ${file}: ${e.message}`)));
      holder.once("exit", () => reject(new Error(`another process held the install lock ${file} for over ${WAIT_S} s`)));
    });
    return work();
  } finally {
    holder.stdin.end();
  }
}
