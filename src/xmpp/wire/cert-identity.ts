import tls, { type PeerCertificate } from "node:tls";

/**
 * Whether a server's certificate names the XMPP domain, as RFC 6120 §13.7.1.2 lets it: an XmppAddr (id-on-xmppAddr)
 * that is the domain, an SRV-ID for the client service (RFC 6125 §6.5.1: "_xmpp-client", or XEP-0368's
 * "_xmpps-client", then the domain), or a DNS-ID (and, with none, the CN-ID) as Node checks them. Undefined when it
 * does; else why not. Node writes those otherNames into `subjectaltname` as "othername:XmppAddr:…" and
 * "othername:SRVName:…".
 */
export function domainMismatch(domain: string, cert: PeerCertificate): string | undefined {
  const wanted = domain.toLowerCase();
  const names = (cert.subjectaltname ?? "").split(/,\s*/).map((n) => n.replace(/^othername:/, ""));
  const valueOf = (n: string, kind: string) =>
    n.startsWith(`${kind}:`)
      ? n
          .slice(kind.length + 1)
          .replace(/^"(.*)"$/, "$1")
          .toLowerCase()
      : undefined;
  if (names.some((n) => valueOf(n, "XmppAddr") === wanted)) return undefined;
  if (names.some((n) => [`_xmpp-client.${wanted}`, `_xmpps-client.${wanted}`].includes(valueOf(n, "SRVName") ?? ""))) return undefined;
  return tls.checkServerIdentity(domain, cert)?.message;
}
