import { readdirSync, existsSync } from "node:fs";
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
