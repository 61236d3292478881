import { randomBytes } from "node:crypto";
import { Session, type Credentials } from "../xmpp/session.ts";
import { Transcript } from "../xmpp/transcript.ts";
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
