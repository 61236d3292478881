import { randomBytes } from "node:crypto";
import { pauseBefore, RETRY_BACKOFF_MS } from "../util/retry.ts";
import { saslMechanisms } from "../xmpp/wire/endpoint.ts";
import { openRawStream } from "../xmpp/connections/raw-stream.ts";
import type { Credentials, Endpoint } from "../xmpp/connections/session.ts";
import type { AccountLedger } from "./ledger.ts";
import { asAccount } from "./login.ts";
import { AccountsRefused, isRefusal, loginRefusal, saslRefusal, type Refusal } from "./refusal.ts";
import { NS } from "../xmpp/wire/ns.ts";

/** Ways that ask the server for each new account: a limit on how often shows at the second one. */
const REGISTERING = new Set(["ibr", "admin"]);
const DOING = "the harness made a probe account and logged in with it";

/**
 * Before any case runs: checks the server offers a SASL mechanism the harness speaks (before making an
 * account nobody could log in to, nor so remove), gets an account the way the run will, logs in with it
 * as a case would, and removes it. A server that refuses what the harness needs (registration off or
 * throttled, add-user forbidden, only unknown SASL mechanisms, a connection limit, no usable account)
 * gives a Refusal with one message saying what to use instead; the run then stops before its first case.
 * Ways that register accounts make two in a row, so a minimum interval between registrations (Prosody's
 * min_seconds_between_registrations, ejabberd's registration_timeout) shows here and not mid-run.
 * Any other failure, and a reset, is retried (the server may just be loaded) and thrown when it persists.
 */
export async function preflight(ledger: AccountLedger, way: string, ctx: { endpoint: Endpoint; timeoutMs: number }): Promise<Refusal | undefined> {
  const admitted = await ledger.admit(1);
  if (typeof admitted === "string") return { kind: "no-accounts", answer: admitted, message: `no account can be had: ${admitted}` };
  const probes = REGISTERING.has(way) ? 2 : 1;
  const tag = randomBytes(3).toString("hex");
  const made: Credentials[] = [];
  let n = 0; // a name is never asked for twice: a failed attempt may have made its account after all
  let last: Error | undefined;
  try {
    for (let attempt = 1; attempt <= RETRY_BACKOFF_MS.length; attempt++) {
      await pauseBefore(attempt);
      try {
        await checkMechanisms(ctx);
        while (made.length < probes) made.push(await ledger.create(`xc-${tag}-probe${++n}`));
        await asAccount(ctx, made[0], async () => {});
        return undefined;
      } catch (err) {
        if (isRefusal(err)) return err.refusal;
        last = err as Error;
        const refusal = loginRefusal(last, DOING);
        if (refusal && refusal.kind !== "connection-limit") return refusal;
      }
    }
    const refusal = loginRefusal(last!, DOING);
    if (refusal) return refusal;
    throw last!;
  } finally {
    await ledger.remove(made);
    admitted();
  }
}

async function checkMechanisms(ctx: { endpoint: Endpoint; timeoutMs: number }): Promise<void> {
  const stream = await openRawStream(ctx.endpoint, ctx.timeoutMs);
  stream.close();
  const offered = (stream.features.getChild("mechanisms", NS.sasl)?.getChildren("mechanism") ?? []).map((m) => m.text());
  if (!offered.some((m) => saslMechanisms(ctx.endpoint).includes(m))) throw new AccountsRefused(saslRefusal(offered.join(", ") || "none"));
}
