import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadSuite, run } from "../src/index.ts";
import { runCli } from "./support/cli.ts";
import { brokeNothing } from "./support/results.ts";
import { prosody } from "./support/prosody.ts";
import { TlsFaultProxy } from "./support/tls-proxy.ts";
import { issueCertificate, makeRunCa } from "../src/targets/cert.ts";
import { TLS_FAULTS, WEBSOCKET_FAULTS, WEBSOCKET_VARIATIONS } from "./support/xep/connections.ts";
import { WebSocketFaultProxy } from "./support/websocket-proxy.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * The connections family: TLS (RFC 7590, XEP-0368), whose cases make their own handshakes over whatever TLS the
 * run uses, and WebSocket (RFC 7395), whose raw connections go over the target's WebSocket endpoint. Both
 * servers with their profiles; each fault made by the WebSocket and TLS proxies (and a real Prosody allowing
 * NULL suites) caught; the WebSocket variations change nothing.
 */
const FAMILY = "scenarios/tls";

const out = () => tempDir("xc-conn-");
const cases = (d: string) => JSON.parse(readFileSync(path.join(d, "results.json"), "utf8")).cases as { id: string; verdict: string; reason?: string }[];
// A case whose outcomes credit nothing on this server (no ALPN offered, no DHE suite chosen) judged nothing: it counts as a pass here.
const verdicts = (d: string) => Object.fromEntries(cases(d).map((c) => [c.id, brokeNothing(c)]));

// Each server over one TLS mode (their TLS code is the same for both): Prosody over STARTTLS, where the direct TLS
// cases and the WebSocket family skip saying why, ejabberd over direct TLS, where every case runs.
for (const [server, tls] of [
  ["prosody", "starttls"],
  ["ejabberd", "direct"],
] as const)
  test(`local:${server} --tls ${tls}: the TLS family exits 0, its direct TLS cases ${tls === "direct" ? "run" : "and the WebSocket family skip, saying why"}`, async () => {
    const d = out();
    const r = await runCli(["run", FAMILY, ...(tls === "starttls" ? ["scenarios/websocket"] : []), "--target", `local:${server}`, "--tls", tls, "--reporter", "console,json", "--out", d]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const v = verdicts(d);
    const direct = Object.keys(v).filter((id) => id.startsWith("dtls-"));
    const ws = Object.keys(v).filter((id) => id.startsWith("ws-"));
    assert.ok(direct.length >= 4 && Object.keys(v).length - ws.length >= 14);
    for (const id of direct) assert.equal(v[id], tls === "direct" ? "pass" : "skip", id);
    for (const id of ws) assert.equal(v[id], "skip", id);
    if (tls === "starttls") {
      assert.ok(ws.length >= 6);
      assert.match(r.stdout, /dtls-alpn .*not judged over this connection: needs direct-tls \(the run reaches the server over STARTTLS: --tls direct\)/);
      assert.match(r.stdout, /ws-open-answered .*no WebSocket endpoint: --websocket URL, or --target local:SERVER --websocket/);
    }
    assert.ok(
      Object.entries(v).every(([id, x]) => x === "pass" || (x === "skip" && /^(dtls|ws)-/.test(id))),
      JSON.stringify(v),
    );
  });

test("a Prosody that allows cipher suites without encryption fails the NULL case, naming the cipher it chose; --insecure makes the certificate case warn", async () => {
  const p = await prosody({ tls: "starttls", extraConfig: [`ssl = { ciphers = "eNULL:HIGH:@SECLEVEL=0" }`] });
  try {
    const suite = loadSuite([FAMILY]).scenarios.filter((sc) => ["tls-cipher-null-refused", "tls-certificate-valid", "tls-version-1-2"].includes(sc.id));
    const at = { server: `${p.host}:${p.port}`, domain: p.domain, install: false, profile: { mode: "none" as const } };
    const r = await run(suite, { ...at, tls: { tls: "starttls", caFile: p.caFile } });
    const byId = new Map(r.cases.map((c) => [c.id, c]));
    assert.equal(byId.get("tls-cipher-null-refused")?.verdict, "fail");
    assert.match(byId.get("tls-cipher-null-refused")!.failures[0].message, /the handshake completed \(TLS version=TLSv1\.2, cipher=[\w-]*NULL[\w-]*,.*expected it refused/);
    assert.equal(byId.get("tls-certificate-valid")?.verdict, "pass");
    assert.equal(byId.get("tls-version-1-2")?.verdict, "pass");
    const insecure = await run(suite, { ...at, tls: { tls: "starttls", insecure: true } });
    const cert = insecure.cases.find((c) => c.id === "tls-certificate-valid")!;
    assert.equal(cert.verdict, "warn");
    assert.match(cert.failures[0].message, /trusted: expected 'yes', got '[A-Z_]+'/);
  } finally {
    await p.stop();
  }
});

for (const server of ["prosody", "ejabberd"])
  test(`local:${server} --websocket: the WebSocket family (RFC 7395) exits 0 with the profile, its raw connections over WebSocket`, async () => {
    const d = out();
    const r = await runCli(["run", "scenarios/websocket", "--target", `local:${server}`, "--websocket", "--reporter", "console,json", "--out", d]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const v = verdicts(d);
    assert.ok(Object.keys(v).length >= 6);
    // ejabberd ignores an <open/> of another namespace (documented in its profile); the rest pass on both.
    assert.deepEqual(
      Object.entries(v).filter(([, x]) => x !== "pass"),
      server === "ejabberd" ? [["ws-open-wrong-namespace", "xfail"]] : [],
    );
  });

test("every WebSocket fault (test/support/xep/connections.ts) makes the cases citing its rules fail on those rules, through a proxy in front of a real Prosody that passes them", async () => {
  const p = await prosody({ websocket: true });
  const proxy = new WebSocketFaultProxy(p.websocket!);
  const url = await proxy.listen();
  try {
    const suite = loadSuite(["scenarios/websocket"]).scenarios;
    const direct = await run(suite, { websocket: url, domain: p.domain, install: false, profile: { mode: "none" } });
    assert.ok(
      direct.cases.every((c) => c.verdict === "pass"),
      "the proxy alone changes nothing",
    );
    const missed: string[] = [];
    for (const f of WEBSOCKET_FAULTS) {
      proxy.fault = f.fault;
      const r = await run(
        suite.filter((sc) => f.cases.includes(sc.id)),
        { websocket: url, domain: p.domain, install: false, profile: { mode: "none" } },
      );
      for (const c of r.cases) {
        const failed = c.failures.flatMap((x) => x.requirements ?? []);
        if (c.verdict !== "fail" || !failed.some((id) => f.requirements.includes(id))) missed.push(`${f.id} ${c.id}: ${c.verdict} ${failed.join(",")} ${c.reason ?? ""}`);
      }
    }
    assert.deepEqual(missed, []);
  } finally {
    proxy.fault = undefined;
    await proxy.close();
    await p.stop();
  }
});

test("every legitimate WebSocket variation at once (test/support/xep/connections.ts) changes no verdict of the WebSocket family on a real Prosody", async () => {
  const p = await prosody({ websocket: true });
  const proxy = new WebSocketFaultProxy(p.websocket!);
  const url = await proxy.listen();
  const changed = new Map<string, number>();
  proxy.scope = () => true;
  proxy.fault = (m) => {
    const text = WEBSOCKET_VARIATIONS.reduce((t, v) => {
      const next = v.rewrite(t);
      if (next !== t) changed.set(v.id, (changed.get(v.id) ?? 0) + 1);
      return next;
    }, m.text);
    return [{ text, binary: m.binary }];
  };
  try {
    const suite = loadSuite(["scenarios/websocket"]).scenarios;
    const r = await run(suite, { websocket: url, domain: p.domain, install: false, profile: { mode: "none" } });
    assert.deepEqual(
      r.cases.filter((c) => c.verdict !== "pass").map((c) => `${c.id}: ${c.verdict} ${c.failures[0]?.message ?? c.reason ?? ""}`),
      [],
    );
    // Each variation was applied (else this test would prove nothing of it).
    assert.deepEqual(
      WEBSOCKET_VARIATIONS.filter((v) => !changed.get(v.id)).map((v) => v.id),
      [],
    );
  } finally {
    await proxy.close();
    await p.stop();
  }
});

test("every direct TLS fault (test/support/xep/connections.ts) makes the cases citing its rules fail on those rules, through a TLS proxy in front of a real Prosody that passes them", async () => {
  const dir = tempDir("xc-tls-proxy-");
  const ca = await makeRunCa(dir);
  const p = await prosody({ tls: "direct", ca });
  const proxy = new TlsFaultProxy({ host: p.host, port: p.port }, await issueCertificate(ca, dir, p.domain));
  const port = await proxy.listen();
  try {
    const suite = loadSuite([FAMILY]).scenarios.filter((sc) => TLS_FAULTS.some((f) => f.cases.includes(sc.id)));
    const at = { server: `127.0.0.1:${port}`, domain: p.domain, install: false, profile: { mode: "none" as const }, tls: { tls: "direct" as const, caFile: ca.cert } };
    const direct = await run(suite, at);
    assert.deepEqual(
      direct.cases.filter((c) => c.verdict !== "pass").map((c) => c.id),
      [],
      "the proxy alone changes nothing",
    );
    const missed: string[] = [];
    const certificate = { ec: await issueCertificate(ca, dir, p.domain), rsa: await issueCertificate(ca, dir, p.domain, "rsa") };
    for (const f of TLS_FAULTS) {
      // A fault of the handshake itself needs a proxy of its own; the others change the shared one's behaviour.
      const own = f.handshake && new TlsFaultProxy({ host: p.host, port: p.port }, f.handshake.rsa ? certificate.rsa : certificate.ec, f.handshake);
      proxy.fault = f;
      try {
        const r = await run(
          suite.filter((sc) => f.cases.includes(sc.id)),
          { ...at, ...(own && { server: `127.0.0.1:${await own.listen()}` }) },
        );
        assert.equal(r.cases.length, f.cases.length);
        // Caught: the case fails, or warns for a SHOULD rule, on one of the fault's requirements.
        for (const c of r.cases) {
          const failed = c.failures.flatMap((x) => x.requirements ?? []);
          if (!["fail", "warn"].includes(c.verdict) || !failed.some((id) => f.requirements.includes(id))) missed.push(`${f.id} ${c.id}: ${c.verdict} ${failed.join(",")} ${c.reason ?? ""}`);
        }
      } finally {
        await own?.close();
      }
    }
    assert.deepEqual(missed, []);
  } finally {
    await proxy.close();
    await p.stop();
  }
});
