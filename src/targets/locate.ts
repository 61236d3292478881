import { Resolver } from "node:dns/promises";

/** How long an SRV lookup may take, retries included. */
const LOOKUP_MS = 5000;

/** A host name that can be an XMPP domain: letters, digits, hyphens and dots (no port). */
export const isDomainName = (s: string) => /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i.test(s);

/**
 * Where a domain's client connections go (RFC 6120 §3.2.1): the `_xmpp-client._tcp` SRV record with the lowest
 * priority (the highest weight among equals), else the domain itself on port 5222 (§3.2.2). The lookup has a
 * deadline; XMPP_CONFORM_DNS=HOST:PORT asks that DNS server instead of the system's.
 */
export async function locateDomain(domain: string): Promise<{ host: string; port: number; how: string }> {
  const resolver = new Resolver({ timeout: LOOKUP_MS / 2, tries: 2 });
  if (process.env.XMPP_CONFORM_DNS) resolver.setServers([process.env.XMPP_CONFORM_DNS]);
  const name = `_xmpp-client._tcp.${domain.replace(/\.$/, "")}`;
  let records: Awaited<ReturnType<Resolver["resolveSrv"]>> = [];
  let why = "";
  try {
    records = await resolver.resolveSrv(name);
  } catch (e) {
    why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
  // RFC 6120 §3.2.1: a target of "." means the service is decidedly not available at this domain.
  const usable = records.filter((r) => r.name !== "" && r.name !== ".").sort((a, b) => a.priority - b.priority || b.weight - a.weight);
  if (usable.length > 0) return { host: usable[0].name, port: usable[0].port, how: `SRV ${name} -> ${usable[0].name}:${usable[0].port}` };
  if (records.length > 0) throw new Error(`${name} says the service is not offered at ${domain} (its SRV target is ".")`);
  return { host: domain, port: 5222, how: `no SRV record ${name} (${why || "none"}): ${domain}:5222` };
}
