import { MID_CASE_ATTEMPTS, pauseBefore } from "../util/retry.ts";
import type { Credentials, Session } from "../xmpp/connections/session.ts";
import type { Provisioner } from "./types.ts";

export type Removal = { removed: true } | { removed: false; gone: true } | { removed: false; gone: false; why: string };

/**
 * Removes an account, retrying a failed removal. After a failure the provisioner checks, where its way
 * allows, whether the account is gone anyway (the answer may have been lost with a killed stream, or the
 * account never existed): then it is not left behind. A removal the server acknowledged is trusted, as
 * XEP-0077 and XEP-0133 define it. Never throws. Once `giveUp` is aborted (the server is gone, cleanup took
 * too long) it makes no further attempt: its reason is why the account stays.
 */
export async function removeAccount(provisioner: Provisioner, creds: Credentials, via?: Session, giveUp?: AbortSignal): Promise<Removal> {
  let why = "";
  const givenUp = () => ({ removed: false, gone: false, why: String(giveUp!.reason) }) as const;
  if (giveUp?.aborted) return givenUp();
  // Through a session of the account that is still open, where the way allows: no login needed. Else as usual.
  if (via?.isOpen && provisioner.removeWith) {
    try {
      await provisioner.removeWith(creds, via);
      return { removed: true };
    } catch (err) {
      why = (err as Error).message;
    }
  }
  // A removal cannot start over on other accounts, as set-up does: it gets a mid-case login's attempts.
  for (let attempt = 1; attempt <= MID_CASE_ATTEMPTS; attempt++) {
    await pauseBefore(attempt, giveUp);
    if (giveUp?.aborted) return givenUp();
    try {
      await provisioner.remove(creds);
      return { removed: true };
    } catch (err) {
      why = (err as Error).message;
    }
    if (!provisioner.gone) continue;
    try {
      if (await provisioner.gone(creds)) return { removed: false, gone: true };
    } catch (err) {
      why = `${why}; and whether it is gone cannot be checked: ${(err as Error).message}`;
    }
  }
  return { removed: false, gone: false, why };
}
