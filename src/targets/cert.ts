import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";

const run = promisify(execFile);

/**
 * A self-signed certificate for `domain` (EC P-256, SAN DNS:domain) in `dir`: DOMAIN.crt and DOMAIN.key.
 * OpenSSL 3 marks it CA:TRUE, so the certificate itself is what a client trusts with --ca.
 */
export async function selfSignedCertificate(dir: string, domain: string): Promise<{ cert: string; key: string }> {
  const cert = path.join(dir, `${domain}.crt`);
  const key = path.join(dir, `${domain}.key`);
  await run("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30",
    "-subj", `/CN=${domain}`, "-addext", `subjectAltName=DNS:${domain}`, "-keyout", key, "-out", cert,
  ]);
  return { cert, key };
}
