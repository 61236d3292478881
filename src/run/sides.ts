import { provisioners, type Provisioner } from "../accounts/index.ts";
import type { AccountJournal } from "../accounts/journal.ts";
import { AccountLedger } from "../accounts/ledger.ts";
import { preflight } from "../accounts/preflight.ts";
import type { ExistingAccounts } from "../accounts/types.ts";
import type { Target } from "../targets/types.ts";
import { reach, type TlsRequest } from "../xmpp/connections/reach.ts";
import type { Credentials } from "../xmpp/connections/session.ts";
import type { Side } from "./case/index.ts";

export interface AccountsChoice {
  /** A key of `provisioners`: ibr, cli, admin, file. */
  mode: string;
  admin?: Credentials & { jid: string };
  existing?: ExistingAccounts;
}

/** One server, ready for cases: its c2s reached the way the user asked (TLS settled), and accounts to be had there. */
export interface OpenSide extends Side {
  provisioner: Provisioner;
  /** Removes the accounts that are left and ends what the provisioner started. */
  close(): Promise<void>;
}

/**
 * Reaches a server's c2s (over WebSocket or BOSH when the server has a URL for it) and gets its provisioner ready, and proves accounts can be had there (the
 * preflight: a server that refuses registration, or speaks no SASL mechanism the harness does, is one
 * message with what to use instead, not an error per case). A failure says which part failed, in words
 * that name the option to change. The caller owns the side from then on: close() on every exit path.
 */
export async function openSide(server: Omit<Target, "stop" | "name">, accounts: AccountsChoice, tls: TlsRequest, timeoutMs: number, journal?: AccountJournal): Promise<OpenSide> {
  // A local TLS server made its own certificate: trust it unless the user said otherwise.
  const request = server.tls ? { ...tls, tls: server.tls, caFile: tls.caFile ?? server.caFile } : tls;
  const endpoint = await reach(
    { host: server.host, port: server.port, domain: server.domain, ...(server.websocket && { websocket: server.websocket }), ...(server.bosh && { bosh: server.bosh }) },
    request,
    timeoutMs,
  );
  // The provisioner sees the side as its target: its own account commands (cli), its own c2s (ibr, admin).
  const provisioner = provisioners[accounts.mode]({
    endpoint,
    timeoutMs,
    target: { name: server.domain, ...server, stop: async () => {} },
    admin: accounts.admin ?? server.admin,
    existing: accounts.existing,
  });
  const problem = (err: { message: string }) => new Error(`accounts on ${server.domain} (--accounts ${accounts.mode}): ${err.message}`);
  await provisioner.open?.().catch((err: Error) => {
    throw problem(err);
  });
  const ledger = new AccountLedger(provisioner, { journal });
  const close = async () => {
    await ledger.removeAll();
    await provisioner.close?.().catch(() => {});
  };
  const refused = await preflight(ledger, accounts.mode, { endpoint, timeoutMs });
  if (refused) {
    await close();
    throw problem(refused);
  }
  return { endpoint, ledger, provisioner, close };
}
