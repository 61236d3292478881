import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import https from "node:https";
import net from "node:net";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import type { Step } from "../../src/scenario/types.ts";
import type { CaseScope } from "../../src/run/case/scope.ts";
import { httpHolds } from "../../src/run/case/http-steps.ts";
import { HttpFailure, httpGetFollowing, httpRequest, type HttpAnswer } from "../../src/xmpp/protocol/upload.ts";
import { locatedError } from "../support/located.ts";
import { julietAtBalcony } from "../support/scenario-head.ts";
import { tempFiles } from "../support/temp-files.ts";
import { tempDir } from "../support/temp-dir.ts";
import { issueCertificate, makeRunCa } from "../../src/targets/cert.ts";

/**
 * Seventy-third audit (round 73): a request that got no HTTP answer records how far it went (connect, tls, http), and
 * `receives http: { failed: … }` matches that stage, so that a `one of` tells a host that provided no TLS from one that
 * closed the connection after the handshake (XEP-0363 §7 names no way to reject an upload).
 */
const file = tempFiles("http-failed");

const listen = (s: net.Server) => new Promise<number>((resolve) => s.listen(0, "127.0.0.1", () => resolve((s.address() as net.AddressInfo).port)));
const failedAt = (p: Promise<HttpAnswer>) =>
  p.then(
    (a) => `HTTP ${a.status}`,
    (e: unknown) => (e instanceof HttpFailure ? e.stage : `not an HttpFailure: ${String(e)}`),
  );

test("a request that got no HTTP answer fails at the stage it reached: connect, tls or http", async () => {
  const dir = tempDir("xc-http-failed-");
  const ca = await makeRunCa(dir);
  const files = await issueCertificate(ca, dir, "localhost");
  const TLS = { cert: readFileSync(files.cert, "utf8"), key: readFileSync(files.key, "utf8") };
  // Closes every connection at once (no TLS handshake); a TLS host that closes after reading the request; one that answers.
  const tcp = net.createServer((s) => s.destroy());
  const dropping = https.createServer(TLS, (req) => void req.socket.destroy());
  const answering = https.createServer(TLS, (req, res) => {
    if (req.url === "/hop") res.writeHead(302, { location: `https://127.0.0.1:${droppingPort}/file`, connection: "close" }).end();
    else res.writeHead(404, { connection: "close" }).end();
  });
  const [tcpPort, droppingPort, answeringPort] = [await listen(tcp), await listen(dropping), await listen(answering)];
  // A port that was listened on and is no more: nothing there takes a connection.
  const spare = net.createServer();
  const closed = await listen(spare);
  await new Promise((resolve) => spare.close(resolve));
  const opts = { ca: readFileSync(ca.cert, "utf8"), timeoutMs: 3000 };
  try {
    assert.equal(await failedAt(httpRequest("PUT", `https://127.0.0.1:${tcpPort}/x`, { ...opts, body: Buffer.from("hello") })), "tls");
    assert.equal(await failedAt(httpRequest("PUT", `https://127.0.0.1:${droppingPort}/x`, { ...opts, body: Buffer.from("hello") })), "http");
    assert.equal(await failedAt(httpRequest("GET", `https://127.0.0.1:${answeringPort}/x`, opts)), "HTTP 404");
    // A certificate the client does not trust: the handshake never completed.
    assert.equal(await failedAt(httpRequest("GET", `https://127.0.0.1:${answeringPort}/x`, { timeoutMs: 3000 })), "tls");
    // A redirect the GET follows to a host that closes the connection: the stage of that hop.
    assert.equal(await failedAt(httpGetFollowing(`https://127.0.0.1:${answeringPort}/hop`, { ...opts, follow: 5 })), "http");
    assert.equal(await failedAt(httpRequest("GET", `https://127.0.0.1:${closed}/x`, opts)), "connect");
    assert.equal(await failedAt(httpRequest("GET", `ftp://127.0.0.1:${closed}/x`, opts)), "connect");
  } finally {
    for (const s of [tcp, dropping, answering]) {
      if ("closeAllConnections" in s) s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  }
});

const STEPS = `steps:
  - juliet/balcony puts: { url: "https://127.0.0.1/x", body: hello }
  - one of:
      answered:
        - juliet/balcony receives http: { status: "{re:[1-5][0-9][0-9]}" }
      hung-up:
        - juliet/balcony receives http: { failed: http }
          requirements: []
      no-tls:
        - juliet/balcony receives http: { failed: "{re:connect|tls}" }
          requirements: []
`;

test("'receives http: { failed }' matches a request that failed at that stage, and never an answer", () => {
  const [sc] = loadScenarioFile(file(`${julietAtBalcony()}${STEPS}`));
  const oneOf = sc.steps.find((s) => s.kind === "one-of") as Step & { kind: "one-of" };
  const step = (name: string) => oneOf.alternatives.find((a) => a.name === name)!.steps[0] as Step & { kind: "receive-http" };
  assert.deepEqual(step("hung-up").expect, { failed: "http" });
  assert.match(step("hung-up").text, /no answer, failed at http/);
  const holds = (latest: HttpAnswer | HttpFailure, name: string) => {
    const scope = { httpAnswers: new Map([["juliet/balcony", latest]]), bindings: {} } as unknown as CaseScope;
    return httpHolds(scope, step(name), {}, []) !== undefined;
  };
  const outcomes = (latest: HttpAnswer | HttpFailure) => ["answered", "hung-up", "no-tls"].filter((n) => holds(latest, n));
  assert.deepEqual(outcomes({ status: 404, headers: {}, body: Buffer.alloc(0) }), ["answered"]);
  assert.deepEqual(outcomes(new HttpFailure("http", "socket hang up")), ["hung-up"]);
  assert.deepEqual(outcomes(new HttpFailure("tls", "self-signed certificate")), ["no-tls"]);
  assert.deepEqual(outcomes(new HttpFailure("connect", "connect ECONNREFUSED")), ["no-tls"]);
});

test("'failed' stands alone and names a stage", () => {
  const bad = (expect: string) => locatedError(file(`${julietAtBalcony()}${STEPS.replace("{ failed: http }", expect)}`), loadScenarioFile)[2];
  assert.match(bad("{ failed: http, status: '404' }"), /or, alone, failed: the stage/);
  assert.match(bad("{ failed: handshake }"), /failed \(connect, tls, http\)/);
});
