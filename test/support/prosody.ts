import { readdirSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { startProsody } from "../../src/targets/prosody.ts";
import type { LocalTargetOptions, Target } from "../../src/targets/types.ts";

/** A throwaway Prosody for a test file, started by the project's own target code. */
export async function prosody(opts: Partial<LocalTargetOptions> = {}): Promise<Target & { accounts(): string[] }> {
  const target = await startProsody({ install: true, log: (l) => process.stderr.write(`${l}\n`), ...opts });
  const dir = path.join(path.dirname(target.logFile!), "data", target.domain, "accounts");
  return Object.assign(target, {
    /** Accounts that exist on the server right now (Prosody keeps one file per account). */
    accounts: () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".dat")) : []),
  });
}

/** Throwaway Prosody servers whose owner is gone (their wrapper was orphaned): what a leak looks like. */
export function orphanedProsodies(): string[] {
  const ps = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" })
    .split("\n")
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => Boolean(m));
  const parent = new Map(ps.map((m) => [m[1], m[2]]));
  return ps
    .filter((m) => /prosody -F --config \S*xmpp-conform-prosody-/.test(m[3]) && !m[3].startsWith("sh "))
    .filter((m) => m[2] === "1" || parent.get(m[2]) === "1" || !parent.has(parent.get(m[2]) ?? ""))
    .map((m) => m[3]);
}
