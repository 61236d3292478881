import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const made: string[] = [];
const removeAll = () => {
  if (process.env.XC_KEEP_TEMP) return;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
};
// Each test file runs in a process of its own: its folders go when it ends, whatever its tests did.
process.on("exit", removeAll);
// A stopped test run (Ctrl-C, or SIGTERM from a CI that gives up) ends the process without 'exit': remove the
// folders, then end as the signal would have, unless another handler owns the shutdown.
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    removeAll();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });

/** A new temporary folder, removed when the test file's process ends (XC_KEEP_TEMP=1 keeps them to look at). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
