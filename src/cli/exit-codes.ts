/** The exit codes CI systems script against. */
export const EXIT = {
  /** Every case passed (or was skipped, or failed as the profile expected). */
  ok: 0,
  /** A case failed, errored, or passed against the profile's expectation. */
  failed: 1,
  /** Bad command line or a broken scenario file. */
  usage: 2,
  /** The harness could not reach the target at all. */
  unreachable: 3,
  /** Interrupted (Ctrl-C / SIGTERM), after cleaning up. */
  interrupted: 130,
} as const;
