import { randomBytes } from "node:crypto";
import { Session, type Credentials, type LoginFailure } from "../xmpp/connections/session.ts";
import { Transcript } from "../xmpp/connections/transcript.ts";
import type { ProvisionerContext } from "./types.ts";

/**
 * Logs in as an account for a job of the harness's own, outside any case, and always ends the session:
 * `drop` cuts it (for an account the job removes: the server ends that stream itself).
 */
export async function asAccount<T>(ctx: Pick<ProvisionerContext, "endpoint" | "timeoutMs">, creds: Credentials, job: (s: Session) => Promise<T>, end: "close" | "drop" = "close"): Promise<T> {
  const session = new Session("harness", ctx.endpoint, creds, `xc-${randomBytes(3).toString("hex")}`, new Transcript());
  await session.start(ctx.timeoutMs);
  try {
    return await job(session);
  } finally {
    if (end === "drop") session.drop();
    else await session.close();
  }
}

/**
 * Whether an account is gone, by the one test any server gives: logging in with its password is refused
 * with not-authorized (RFC 6120 §6.5.10). A login that works means it is still there; any other failure
 * (the server unreachable, a stream error) proves nothing and is thrown.
 */
export async function cannotLogIn(ctx: Pick<ProvisionerContext, "endpoint" | "timeoutMs">, creds: Credentials): Promise<boolean> {
  try {
    await asAccount(ctx, creds, async () => {});
    return false;
  } catch (err) {
    if ((err as LoginFailure).sasl === "not-authorized") return true;
    throw err;
  }
}
