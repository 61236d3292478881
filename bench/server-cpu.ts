import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc's CPU times (USER_HZ): 100 on Linux. */
const TICK_MS = 10;

/** The CPU time a process has used so far, user and system, in ms (Linux /proc; 10 ms resolution). */
export function cpuMsOf(pidFile: string): number {
  const pid = readFileSync(pidFile, "utf8").trim();
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  const after = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(after[11]) + Number(after[12])) * TICK_MS;
}

/** Measures the server CPU `work` costs. */
export async function serverCpu<T>(pidFile: string, work: () => Promise<T>): Promise<{ result: T; cpuMs: number; wallMs: number }> {
  const c0 = cpuMsOf(pidFile);
  const t0 = performance.now();
  const result = await work();
  return { result, cpuMs: cpuMsOf(pidFile) - c0, wallMs: performance.now() - t0 };
}
