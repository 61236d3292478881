import { provisioners, type Provisioner } from "../accounts/index.ts";
import { AccountLedger } from "../accounts/ledger.ts";
import type { Credentials } from "../xmpp/session.ts";
import type { PeerInfo } from "../results/types.ts";
import type { Side } from "../run/case.ts";
import type { PeerSide } from "../targets/types.ts";
import { reach, type TlsRequest } from "../xmpp/reach.ts";

/** Domain b of a pair target, ready for cases: its c2s reached, and accounts made there by the run's --accounts way. */
export interface OpenPeer extends Side {
  provisioner: Provisioner;
  info: PeerInfo;
}

export async function openPeer(
  peer: PeerSide,
  opts: { accounts: string; tls: TlsRequest; timeout: number; admin?: Credentials & { jid: string } },
): Promise<OpenPeer> {
  const endpoint = await reach({ host: peer.host, port: peer.port, domain: peer.domain }, opts.tls, opts.timeout);
  // The provisioner sees the peer as its target: its own account commands (cli), its own c2s (ibr, admin).
  const provisioner = provisioners[opts.accounts]({ endpoint, timeoutMs: opts.timeout, target: { ...peer, stop: async () => {} }, admin: opts.admin });
  await provisioner.open?.().catch((err: Error) => {
    throw new Error(`accounts on ${peer.domain} (--accounts ${opts.accounts}): ${err.message}`);
  });
  const info: PeerInfo = { name: peer.name, host: peer.host, port: peer.port, domain: peer.domain, ...(peer.software && { software: peer.software }) };
  return { endpoint, ledger: new AccountLedger(provisioner), provisioner, info };
}
