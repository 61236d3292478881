import { pauseBefore, RETRY_BACKOFF_MS } from "../util/retry.ts";
import type { Credentials, Session } from "../xmpp/session.ts";
import type { Provisioner } from "./types.ts";

export type Removal = { removed: true } | { removed: false; gone: true } | { removed: false; gone: false; why: string };

/**
 * Removes an account, retrying a failed removal. After a failure the provisioner checks, where its way
 * allows, whether the account is gone anyway (the answer may have been lost with a killed stream, or the
 * account never existed): then it is not left behind. A removal the server acknowledged is trusted, as
 * XEP-0077 and XEP-0133 define it. Never throws.
 */
export async function removeAccount(provisioner: Provisioner, creds: Credentials, via?: Session): Promise<Removal> {
  let why = "";
  // Through a session of the account that is still open, where the way allows: no login needed. Else as usual.
  if (via?.isOpen && provisioner.removeWith) {
    try {
      await provisioner.removeWith(creds, via);
      return { removed: true };
    } catch (err) {
      why = (err as Error).message;
    }
  }
  for (let attempt = 1; attempt <= RETRY_BACKOFF_MS.length; attempt++) {
    await pauseBefore(attempt);
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
