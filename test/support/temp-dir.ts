import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const made: string[] = [];
// Each test file runs in a process of its own: its folders go when it ends, whatever its tests did.
process.on("exit", () => {
  if (process.env.XC_KEEP_TEMP) return;
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new temporary folder, removed when the test file's process ends (XC_KEEP_TEMP=1 keeps them to look at). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
