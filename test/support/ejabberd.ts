import { startEjabberd } from "../../src/targets/ejabberd.ts";
import type { LocalTargetOptions, Target } from "../../src/targets/types.ts";

/** A throwaway ejabberd for a test file, started by the project's own target code. */
export function ejabberd(opts: Partial<LocalTargetOptions> = {}): Promise<Target> {
  return startEjabberd({ install: true, log: (l) => process.stderr.write(`${l}\n`), ...opts });
}
