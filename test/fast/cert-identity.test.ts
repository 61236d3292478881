import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { PeerCertificate } from "node:tls";
import { domainMismatch } from "../../src/xmpp/wire/cert-identity.ts";
import { tempDir } from "../support/temp-dir.ts";

/** A self-signed certificate with these subjectAltName entries (openssl's syntax), as a TLS peer shows it. */
function certWith(subject: string, alt?: string): PeerCertificate {
  const dir = tempDir("xc-cert-");
  try {
    const out = path.join(dir, "c.pem");
    const ext = alt ? ["-addext", `subjectAltName=${alt}`] : [];
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", subject, ...ext, "-keyout", path.join(dir, "k.pem"), "-out", out],
      { stdio: "ignore" },
    );
    const x = new X509Certificate(readFileSync(out));
    const cn = /CN=([^\n]+)/.exec(x.subject)?.[1];
    return { subject: { ...(cn && { CN: cn }) }, ...(x.subjectAltName && { subjectaltname: x.subjectAltName }) } as PeerCertificate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a certificate names the XMPP domain by XmppAddr, by the client service's SRV-ID, by DNS-ID or (without one) CN, as RFC 6120 §13.7.1.2 allows", () => {
  assert.equal(domainMismatch("localhost", certWith("/O=x", "otherName:1.3.6.1.5.5.7.8.5;UTF8:localhost")), undefined);
  assert.equal(domainMismatch("example.org", certWith("/O=x", "otherName:1.3.6.1.5.5.7.8.7;IA5:_xmpp-client.example.org")), undefined);
  assert.equal(domainMismatch("example.org", certWith("/O=x", "otherName:1.3.6.1.5.5.7.8.7;IA5:_xmpps-client.example.org")), undefined);
  assert.equal(domainMismatch("example.org", certWith("/O=x", "DNS:*.org,DNS:example.org")), undefined);
  assert.equal(domainMismatch("example.org", certWith("/CN=example.org")), undefined);
  // Another domain, another service, or another kind of name is not the domain.
  assert.match(domainMismatch("example.org", certWith("/O=x", "otherName:1.3.6.1.5.5.7.8.5;UTF8:example.com")) ?? "", /does not contain a DNS name|not in the cert/);
  assert.ok(domainMismatch("example.org", certWith("/O=x", "otherName:1.3.6.1.5.5.7.8.7;IA5:_xmpp-server.example.org")));
  assert.ok(domainMismatch("example.org", certWith("/CN=example.org", "DNS:example.com")));
});
