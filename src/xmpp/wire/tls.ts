import net from "node:net";
import tls from "node:tls";
import type { Endpoint } from "./endpoint.ts";
import { domainMismatch } from "./cert-identity.ts";
import { withTimeout } from "../../util/time.ts";

/** A TCP connection with Nagle off: with Nagle and delayed ACK, loopback hops cost 40 ms. */
export async function tcpConnect(endpoint: Endpoint, timeoutMs: number): Promise<net.Socket> {
  const socket = net.connect({ host: endpoint.host, port: endpoint.port });
  socket.setNoDelay(true);
  try {
    await withTimeout(new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject)), timeoutMs, `cannot connect to ${endpoint.host}:${endpoint.port}`);
  } catch (err) {
    socket.destroy();
    throw err;
  }
  // Once a TLS socket wraps this one, a reset can still be emitted here, where nobody listens: Node would
  // crash on it. Whoever reads the connection (a raw stream, the TLS socket) sees the failure as a close.
  socket.on("error", () => {});
  return socket;
}

/**
 * The options for the TLS handshake on `socket`: the certificate must name the XMPP domain (RFC 6120 §13.7.2),
 * signed by the system's CAs or by --ca; --insecure turns the check off.
 */
export function tlsOptions(endpoint: Endpoint, socket: net.Socket): tls.ConnectionOptions {
  const s = endpoint.security;
  return { socket, servername: endpoint.domain, ...(s?.ca && { ca: s.ca }), rejectUnauthorized: !s?.insecure };
}

/** Runs the TLS handshake on a connected socket (directly, or after <proceed/>). */
export async function secure(socket: net.Socket, endpoint: Endpoint, timeoutMs: number): Promise<tls.TLSSocket> {
  const tlsSocket = tls.connect(tlsOptions(endpoint, socket));
  try {
    await withTimeout(new Promise<void>((resolve, reject) => tlsSocket.once("secureConnect", resolve).once("error", reject)), timeoutMs, `no TLS handshake with ${endpoint.host}:${endpoint.port}`);
  } catch (err) {
    tlsSocket.destroy();
    throw new Error(describeTlsError(err as Error, endpoint));
  }
  return tlsSocket;
}

const UNTRUSTED = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
]);

/** Errors of the TLS layer (certificate checks, handshake), as Node reports them. */
export const isTlsError = (err: { code?: string }) => Boolean(err.code && (UNTRUSTED.has(err.code) || /CERT|TLS|SSL/.test(err.code)));

/** A certificate problem, said so that the user knows which option to reach for. */
export function describeTlsError(err: Error & { code?: string }, endpoint: Endpoint): string {
  const what = `${err.message}${err.code ? ` (${err.code})` : ""}`;
  const cert = `the certificate ${endpoint.host}:${endpoint.port} presented for ${endpoint.domain}`;
  const hint = endpoint.security?.ca ? "the CA given with --ca did not sign it" : "pass --ca FILE with the certificate of the CA that signed it, or --insecure to skip the check";
  if (err.code && UNTRUSTED.has(err.code)) return `TLS: ${cert} is not trusted: ${what}; ${hint}`;
  if (err.code === "ERR_TLS_CERT_ALTNAME_INVALID") return `TLS: ${cert} does not name that domain: ${what}`;
  if (err.code === "CERT_HAS_EXPIRED") return `TLS: ${cert} has expired: ${what}`;
  // A plaintext XMPP port answers a ClientHello with a stream header or nothing TLS can read.
  if (err.code === "ERR_SSL_WRONG_VERSION_NUMBER" || /wrong version number|packet length too long|unknown protocol/i.test(err.message))
    return `TLS: ${endpoint.host}:${endpoint.port} does not speak TLS from the first byte (a plaintext XMPP port?): --tls direct is for direct-TLS ports (XEP-0368, often 5223); use --tls starttls or --tls auto on this one`;
  return `TLS with ${endpoint.host}:${endpoint.port} failed: ${what}`;
}

/** What a TLS handshake offers the server (RFC 7590 and XEP-0368 cases): versions, OpenSSL cipher list, groups, ALPN. */
export interface TlsOffer {
  versions?: [tls.SecureVersion, tls.SecureVersion];
  ciphers?: string;
  /** The key exchange groups (curves), in the client's order of preference. */
  groups?: string;
  alpn?: string[];
}

/**
 * What a handshake gave, as text a step's patterns match: the version, the cipher (OpenSSL's name), the ALPN
 * protocol, the server certificate's key, the ephemeral key exchange, and whether the certificate is trusted
 * and names the domain ("yes", or why not). `refused`: the server ended the handshake (an alert, a reset), and
 * why; `stalled`: it neither completed nor ended it in time, which is no refusal.
 */
export type TlsOutcome = Partial<Record<"version" | "cipher" | "alpn" | "key-type" | "key-bits" | "ephemeral-type" | "ephemeral-bits" | "trusted" | "names-domain" | "refused" | "stalled", string>>;

/**
 * A handshake with what `offer` says, that never throws on the server's answer: a certificate the harness
 * would not trust is recorded, not refused (a case judges it), and a failed handshake is the outcome's
 * `refused`. Resolves with the TLS socket when the handshake completed.
 */
export async function probeTls(socket: net.Socket, endpoint: Endpoint, offer: TlsOffer, timeoutMs: number): Promise<{ secure?: tls.TLSSocket; outcome: TlsOutcome }> {
  const [minVersion, maxVersion] = offer.versions ?? [];
  let secureSocket: tls.TLSSocket;
  try {
    secureSocket = tls.connect({
      ...tlsOptions(endpoint, socket),
      rejectUnauthorized: false,
      ...(minVersion && { minVersion }),
      ...(maxVersion && { maxVersion }),
      ...(offer.ciphers && { ciphers: offer.ciphers }),
      ...(offer.groups && { ecdhCurve: offer.groups }),
      ...(offer.alpn && { ALPNProtocols: offer.alpn }),
    });
  } catch (err) {
    // The local TLS library cannot make this offer (no cipher it knows matches): the harness's, not the server's.
    throw new Error(`the harness cannot offer ${JSON.stringify(offer)}: ${(err as Error).message}`);
  }
  let failed: Error | undefined;
  try {
    await withTimeout(new Promise<void>((resolve, reject) => secureSocket.once("secureConnect", resolve).once("error", (e: Error) => reject((failed = e)))), timeoutMs, "no TLS handshake");
  } catch (err) {
    secureSocket.destroy();
    socket.destroy();
    // Only an error of the handshake itself is the server's refusal; the timer's is a handshake left hanging.
    return { outcome: failed ? { refused: failed.message } : { stalled: (err as Error).message } };
  }
  const cert = secureSocket.getPeerCertificate();
  const ephemeral = secureSocket.getEphemeralKeyInfo();
  const mismatch = cert && domainMismatch(endpoint.domain, cert);
  const outcome: TlsOutcome = {
    version: secureSocket.getProtocol() ?? undefined,
    cipher: secureSocket.getCipher().name,
    ...(secureSocket.alpnProtocol && { alpn: secureSocket.alpnProtocol }),
    // RSA has a modulus, EC a curve; another key (Ed25519) has neither and no key-type (nor a 'bits').
    ...(cert?.modulus ? { "key-type": "RSA" } : cert?.asn1Curve || cert?.nistCurve ? { "key-type": "EC" } : {}),
    ...(cert?.bits !== undefined && { "key-bits": String(cert.bits) }),
    ...(ephemeral && "type" in ephemeral && ephemeral.type && { "ephemeral-type": ephemeral.type, "ephemeral-bits": String(ephemeral.size) }),
    trusted: secureSocket.authorized ? "yes" : String(secureSocket.authorizationError),
    "names-domain": mismatch || "yes",
  };
  return { secure: secureSocket, outcome };
}
