import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";

const run = promisify(execFile);

/** A certificate and its private key, as PEM files. */
export interface CertificateFiles {
  cert: string;
  key: string;
}

/** The CA made for one run: every local server's certificate is signed by it, and every party trusts it. */
export interface RunCa extends CertificateFiles {
  dir: string;
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30"];

/** A CA (EC P-256, CA:TRUE, may sign certificates only) in `dir`: ca.crt and ca.key. */
export async function makeRunCa(dir: string): Promise<RunCa> {
  const cert = path.join(dir, "ca.crt");
  const key = path.join(dir, "ca.key");
  await run("openssl", [
    "req",
    "-x509",
    ...EC,
    "-subj",
    "/CN=xmpp-conform run CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
    "-keyout",
    key,
    "-out",
    cert,
  ]);
  return { dir, cert, key };
}

/**
 * A certificate for `domain` signed by `ca`, in `dir`: DOMAIN.crt and DOMAIN.key. SAN DNS:domain is the
 * identity both c2s (RFC 6120 §13.7.2) and s2s peers check, DNS:*.domain that of its services (conference.domain); IP:127.0.0.1 is what a wss:// client checks
 * (an HTTPS URL names the loopback address). Servers present it as TLS clients too (an originating server
 * offering SASL EXTERNAL), hence clientAuth beside serverAuth. An RSA one (`rsa`: DOMAIN-rsa.crt, for static RSA key
 * transport, which needs keyEncipherment) is for tests of what a client can be offered.
 */
export async function issueCertificate(ca: RunCa, dir: string, domain: string, type: "ec" | "rsa" = "ec"): Promise<CertificateFiles> {
  const name = type === "rsa" ? `${domain}-rsa` : domain;
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  await run("openssl", [
    "req",
    "-x509",
    "-CA",
    ca.cert,
    "-CAkey",
    ca.key,
    ...(type === "rsa" ? ["-newkey", "rsa:2048", "-nodes", "-days", "30"] : EC),
    "-subj",
    `/CN=${domain}`,
    "-addext",
    `subjectAltName=DNS:${domain},DNS:*.${domain},IP:127.0.0.1`,
    "-addext",
    "basicConstraints=critical,CA:FALSE",
    "-addext",
    `keyUsage=critical,digitalSignature${type === "rsa" ? ",keyEncipherment" : ""}`,
    "-addext",
    "extendedKeyUsage=serverAuth,clientAuth",
    "-keyout",
    key,
    "-out",
    cert,
  ]);
  return { cert, key };
}
