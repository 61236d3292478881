import type net from "node:net";
import { randomUUID, X509Certificate } from "node:crypto";
import type tls from "node:tls";
import { escapeXML as esc } from "ltx";
import { NS } from "../xmpp/wire/ns.ts";
import { domainOf, STANZAS, streamHeader, type RemoteLink, type S2sHost } from "./s2s.ts";
import { XmlStream } from "./xml-stream.ts";

/**
 * Whether the certificate the other end presented as TLS client was signed by `caPem`, is valid now and names
 * `domain` (RFC 6120 §13.7.2.1 as far as a run CA's certificates go: the SAN DNS entry). A TLSSocket made
 * from a connected socket does not check client certificates itself.
 */
function certifies(socket: tls.TLSSocket, domain: string, caPem: string): boolean {
  const peer = socket.getPeerX509Certificate();
  const ca = new X509Certificate(caPem);
  const now = Date.now();
  return Boolean(peer && peer.checkIssued(ca) && peer.verify(ca.publicKey) && Date.parse(peer.validFrom) <= now && now <= Date.parse(peer.validTo) && peer.checkHost(domain));
}

/**
 * A stream in (the target originating, or verifying a key we sent): header and features, STARTTLS when we
 * have TLS, then SASL EXTERNAL (offered when the target's certificate checks out for its domain) or
 * dialback; stanzas from an authenticated domain are delivered.
 */
export function acceptStream(host: S2sHost, socket: net.Socket): void {
  const authenticated = new Map<string, RemoteLink["auth"]>();
  let from = "";
  const stream: XmlStream = new XmlStream(socket, (dir, xml) => host.transcript.add(`${host.domain} <- ${from || stream.header?.attrs.from || "?"}`, dir, xml, true));
  host.track(stream);
  const certificateOk = () => Boolean(from && stream.secure && host.opts.tls && host.external && certifies(stream.secure, from, host.opts.tls.ca));
  stream.onHeader = (head) => {
    from = head.attrs.from ?? from;
    const tlsOffer = host.secureContext && !stream.secure ? `<starttls xmlns='${NS.tls}'><required/></starttls>` : "";
    const external = !tlsOffer && certificateOk() && !authenticated.has(from) ? `<mechanisms xmlns='${NS.sasl}'><mechanism>EXTERNAL</mechanism></mechanisms>` : "";
    const dialback = tlsOffer ? "" : `<dialback xmlns='${NS.dialbackFeature}'><errors/></dialback>`;
    stream.write(`${streamHeader(host.domain, from || undefined, randomUUID())}<stream:features>${tlsOffer}${external}${dialback}</stream:features>`);
  };
  stream.onElement = (el) => {
    if (el.is("starttls", NS.tls) && host.secureContext && !stream.secure) {
      stream.write(`<proceed xmlns='${NS.tls}'/>`);
      stream.upgrade({ ...host.secureContext, requestCert: true, rejectUnauthorized: false }, true, host.opts.timeoutMs).catch(() => stream.close());
    } else if (el.is("auth", NS.sasl) && el.attrs.mechanism === "EXTERNAL") {
      const authzid = Buffer.from(el.text().replace(/^=$/, ""), "base64").toString("utf8");
      if (!certificateOk() || (authzid && authzid !== from)) return stream.write(`<failure xmlns='${NS.sasl}'><not-authorized/></failure>`);
      authenticated.set(from, "certificate");
      stream.write(`<success xmlns='${NS.sasl}'/>`);
      stream.restart();
    } else if (el.is("result", NS.dialback)) {
      // Receiving server: the key is taken on trust (no <db:verify/> back to the target's authoritative server).
      authenticated.set(el.attrs.from, "dialback");
      stream.write(`<db:result from='${esc(host.domain)}' to='${esc(el.attrs.from)}' type='valid'/>`);
    } else if (el.is("verify", NS.dialback)) {
      // Authoritative server: was this our key, for that receiving server and stream?
      const valid = host.keys.verify(el.text(), el.attrs.from, host.domain, el.attrs.id);
      stream.write(`<db:verify from='${esc(host.domain)}' to='${esc(el.attrs.from)}' id='${esc(el.attrs.id)}' type='${valid ? "valid" : "invalid"}'/>`);
    } else if (STANZAS.has(el.name)) {
      const auth = authenticated.get(domainOf(el.attrs.from));
      if (!auth) return host.transcript.add(`${host.domain} <- ${from}`, "note", `dropped: a stanza from a domain this stream has not authenticated: ${el.toString()}`, true);
      host.noteLink({ direction: "in", domain: domainOf(el.attrs.from), encrypted: Boolean(stream.secure), auth });
      host.deliver(el);
    }
  };
}
