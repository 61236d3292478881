import { isRefusal } from "../../accounts/refusal.ts";
import { pauseBefore, RETRY_BACKOFF_MS } from "../../util/retry.ts";
import type { Transcript } from "../../xmpp/connections/transcript.ts";
import { PreconditionFailed } from "./errors.ts";
import type { Health } from "../liveness.ts";

export interface Retrying {
  signal: AbortSignal;
  /** Whether the servers answer: asked before each new attempt, so that no attempt is made against a server that is gone. */
  health?: Health;
  transcript: Transcript;
  /** Why each failed attempt failed, for the results. */
  reasons: string[];
}

/**
 * Runs set-up work (accounts, logins, fixtures, a `connects` step) and retries it when it fails: a failure
 * before the case's steps is no verdict on the case. The pauses between attempts (pauseBefore) let a server
 * that just killed a stream catch up; a persistent failure is thrown after the last attempt with how many
 * there were. `attempts` is the schedule's length unless the work cannot start over on fresh accounts.
 */
export async function retry<T>(what: string, r: Retrying, attempt: () => Promise<T>, attempts: number = RETRY_BACKOFF_MS.length): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      const why = (err as Error).message;
      // An interrupt, or a server that refuses to give accounts at all: asking again changes nothing. A
      // precondition the server did not give is the case's to try again (runCase), on fresh accounts.
      if (r.signal.aborted || isRefusal(err) || err instanceof PreconditionFailed) throw err;
      if (n >= attempts) throw new Error(`${why} (${what}: ${n} attempts)`);
      r.reasons.push(`${what}: ${why}`);
      r.transcript.add("harness", "note", `${what} failed, retrying: ${why}`, true);
      await pauseBefore(n + 1, r.signal);
      await r.health?.answering(r.signal);
      if (r.signal.aborted) throw err;
    }
  }
}
