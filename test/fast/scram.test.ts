import { test } from "node:test";
import assert from "node:assert/strict";
import { scramMechanism } from "../../src/xmpp/protocol/scram.ts";
import { redact } from "../../src/xmpp/connections/transcript.ts";

/** The example exchanges of RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3 (SCRAM-SHA-256). */
const EXAMPLES = [
  {
    name: "SCRAM-SHA-1",
    nonce: "fyko+d2lbbFgONRv9qkxdawL",
    first: "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
    server: "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
    final: "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
  },
  {
    name: "SCRAM-SHA-256",
    nonce: "rOprNGfwEbeRWgbNEkqO",
    first: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
    server: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
    final: "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
  },
] as const;

for (const ex of EXAMPLES) {
  test(`${ex.name} computes the RFC's example proof`, async () => {
    const Mechanism = scramMechanism(ex.name);
    const mech = new Mechanism(ex.nonce);
    const creds = { username: "user", password: "pencil" };
    assert.equal(await mech.response(creds), ex.first);
    mech.challenge(ex.server);
    assert.equal(await mech.response(creds), ex.final);
  });
}

test("SCRAM refuses a server nonce that does not extend the client's", async () => {
  const mech = new (scramMechanism("SCRAM-SHA-1"))("abc");
  await mech.response({ username: "u", password: "p" });
  mech.challenge("r=xyz123,s=QSXCR+Q6sek8bf92,i=4096");
  await assert.rejects(mech.response({ username: "u", password: "p" }), /malformed server-first-message/);
});

test("transcripts never show passwords: SASL payloads, SASL2's and FAST tokens, registration and admin forms", () => {
  assert.equal(redact("<auth mechanism='PLAIN'>AGp1bGlldABzZWNyZXQ=</auth>"), "<auth mechanism='PLAIN'>[redacted]</auth>");
  assert.equal(redact("<authenticate><initial-response>AGp1bGlldAA=</initial-response></authenticate>"), "<authenticate><initial-response>[redacted]</initial-response></authenticate>");
  assert.equal(
    redact("<success><additional-data>dj1h</additional-data><token xmlns='urn:xmpp:fast:0' expiry='2026-12-01T00:00:00Z' token='s3cret'/></success>"),
    "<success><additional-data>[redacted]</additional-data><token xmlns='urn:xmpp:fast:0' expiry='2026-12-01T00:00:00Z' token='[redacted]'/></success>",
  );
  assert.equal(redact("<query><username>j</username><password>s3cret</password></query>"), "<query><username>j</username><password>[redacted]</password></query>");
  assert.equal(
    redact('<x type="submit"><field var="accountjid"><value>a@b</value></field><field var="password"><value>s3cret</value></field><field var="password-verify"><value>s3cret</value></field></x>'),
    '<x type="submit"><field var="accountjid"><value>a@b</value></field><field var="password"><value>[redacted]</value></field><field var="password-verify"><value>[redacted]</value></field></x>',
  );
});
