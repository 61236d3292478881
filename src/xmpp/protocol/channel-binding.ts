import { createHash } from "node:crypto";
import type { TLSSocket } from "node:tls";

/** The channel-binding types the harness can compute from Node's TLS socket (XEP-0440 §3 names them). */
export const CHANNEL_BINDINGS = ["tls-exporter", "tls-server-end-point"] as const;
export type ChannelBindingType = (typeof CHANNEL_BINDINGS)[number];

/** Signature algorithm OIDs whose hash is not SHA-256 (RFC 5929 §4.1: MD5 and SHA-1 become SHA-256, others stay). */
const HASH_OF_SIGNATURE: Record<string, string> = {
  "1.2.840.113549.1.1.12": "sha384", // sha384WithRSAEncryption
  "1.2.840.113549.1.1.13": "sha512", // sha512WithRSAEncryption
  "1.2.840.10045.4.3.3": "sha384", // ecdsa-with-SHA384
  "1.2.840.10045.4.3.4": "sha512", // ecdsa-with-SHA512
};

/**
 * The channel-binding data of a TLS connection: tls-exporter (RFC 9266: 32 bytes of the exporter with the label
 * "EXPORTER-Channel-Binding" and an empty context) or tls-server-end-point (RFC 5929 §4.1: the hash of the
 * server's certificate, with the hash of its signature algorithm, SHA-256 for MD5, SHA-1 and SHA-256).
 */
export function channelBindingData(socket: TLSSocket, type: ChannelBindingType): Buffer {
  if (type === "tls-exporter") return socket.exportKeyingMaterial(32, "EXPORTER-Channel-Binding", Buffer.alloc(0));
  const der = socket.getPeerCertificate().raw;
  return createHash(HASH_OF_SIGNATURE[signatureAlgorithm(der)] ?? "sha256")
    .update(der)
    .digest();
}

/**
 * The OID of a DER certificate's signatureAlgorithm (Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm,
 * signatureValue }): Node 20's X509Certificate does not expose it, and this is all the harness needs of ASN.1.
 */
function signatureAlgorithm(der: Buffer): string {
  const header = (at: number) => {
    const first = der[at + 1];
    if (first < 0x80) return { body: at + 2, end: at + 2 + first };
    const n = first & 0x7f;
    const len = der.subarray(at + 2, at + 2 + n).reduce((acc, b) => acc * 256 + b, 0);
    return { body: at + 2 + n, end: at + 2 + n + len };
  };
  const certificate = header(0);
  const tbs = header(certificate.body);
  const algorithm = header(tbs.end);
  const oid = header(algorithm.body);
  const bytes = der.subarray(oid.body, oid.end);
  const arcs = [Math.floor(bytes[0] / 40), bytes[0] % 40];
  let value = 0;
  for (const b of bytes.subarray(1)) {
    value = value * 128 + (b & 0x7f);
    if (b < 0x80) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join(".");
}
