import type { Precondition } from "../../results/schema.ts";

/** A step that cannot be carried out: the harness's or the network's fault, not the server's. */
export class HarnessError extends Error {}

/**
 * The server did not give what the case needs: a set-up step or fixture failed on the server's answer (an
 * error, or a stanza a barrier proved is not coming). `signature` says which and how, without what differs
 * between attempts (names, ids): the same signature on a second attempt is the server's deterministic answer.
 * With `allowed` (a step's `refused`), the text lets a deployment refuse it: no second attempt is needed.
 */
export class PreconditionFailed extends Error {
  constructor(
    readonly precondition: Precondition,
    readonly signature: string,
    message: string,
  ) {
    super(message);
  }
}
