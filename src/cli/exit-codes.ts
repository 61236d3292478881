import type { RunResult } from "../results/schema.ts";
import { caseFailsRun } from "../results/verdicts.ts";

/** The exit codes CI systems script against. */
export const EXIT = {
  /** Every case passed (or was skipped, or failed as the profile expected). */
  ok: 0,
  /** A case failed, errored, or passed against the profile's expectation (or warned, with --strict). */
  failed: 1,
  /** Bad command line or a broken scenario file. */
  usage: 2,
  /** The harness could not reach the target at all, the server went away mid-run, or it refused to give accounts (at the start or mid-run). */
  unreachable: 3,
  /** Interrupted (Ctrl-C / SIGTERM, or the reader of the output went away), after cleaning up. */
  interrupted: 130,
} as const;

/** A finished run's exit code: what its cases mean is decided in src/results/verdicts.ts. */
export function exitCodeOf(run: RunResult, strict: boolean): number {
  if (run.targetError || run.accounts.refused || run.stopped?.why === "server-gone") return EXIT.unreachable;
  if (run.interrupted) return EXIT.interrupted;
  return run.cases.some((c) => caseFailsRun(c, strict)) ? EXIT.failed : EXIT.ok;
}
