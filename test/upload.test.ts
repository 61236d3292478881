import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Element } from "ltx";
import { loadSuite, run } from "../src/index.ts";
import { runCli } from "./support/cli.ts";
import { brokeNothing } from "./support/results.ts";
import { prosody } from "./support/prosody.ts";
import { FaultProxy, type Fault, type FaultAction } from "./support/fault-proxy.ts";
import { HttpsFaultProxy } from "./support/https-proxy.ts";
import { UPLOAD_FAULTS, UPLOAD_VARIATIONS } from "./support/xep/services.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * The upload family (XEP-0363): each local server runs an upload service on upload.DOMAIN with HTTPS slots.
 * Both servers with their profiles; each fault of the service's stanzas (the fault proxy in front of Prosody's
 * c2s) or of its HTTP side (an HTTPS proxy the slots are pointed at) is caught by the cases citing its rule.
 */
const FAMILY = "scenarios/upload";

const verdicts = (d: string) => Object.fromEntries((JSON.parse(readFileSync(path.join(d, "results.json"), "utf8")).cases as { id: string; verdict: string }[]).map((c) => [c.id, c.verdict]));

// What each server's profile documents (profiles/*.yaml): both take a PUT of another Content-Type, ejabberd sends no CORS
// header and turns the spaces of a file's name into underscores.
const DOCUMENTED: Record<string, string[]> = { prosody: ["upload-put-wrong-type"], ejabberd: ["upload-put-wrong-type", "upload-cors", "upload-slot-file-name"] };
// Neither server sets a quota: the quota case takes its "no quota" outcome, which judges nothing (a skip saying so).
const NOT_APPLICABLE = ["upload-quota-retry"];
const expected = (server: string, id: string, failed: string) => (NOT_APPLICABLE.includes(id) ? "skip" : DOCUMENTED[server].includes(id) ? failed : "pass");

for (const server of ["prosody", "ejabberd"])
  test(`local:${server}: the upload family exits 0 with the profile, over the server's own upload service`, async () => {
    const d = tempDir("xc-upload-");
    const r = await runCli(["run", FAMILY, "--target", `local:${server}`, "--reporter", "console,json", "--out", d]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const v = verdicts(d);
    assert.ok(Object.keys(v).length >= 21);
    assert.deepEqual(
      Object.entries(v).filter(([id, x]) => x !== expected(server, id, "xfail")),
      [],
    );
  });

/** Every slot URL on the HTTPS proxy instead of the server's port (remembered as the proxy's upstream). */
function redirected(action: FaultAction, el: Element, to: number, seen: (port: number) => void): FaultAction {
  const all = action === "pass" ? [el] : action;
  if (typeof all === "string") return all;
  return all.map((x) => {
    if (typeof x === "string") return x;
    const s = x.toString();
    const m = /https:\/\/127\.0\.0\.1:(\d+)\//.exec(s);
    if (!m || Number(m[1]) === to) return x;
    seen(Number(m[1]));
    return s.replaceAll(`https://127.0.0.1:${m[1]}/`, `https://127.0.0.1:${to}/`);
  });
}

test("each fault of an upload service's stanzas or of its HTTP side is caught by the cases citing its rule, and the variations change no verdict (Prosody)", async () => {
  const p = await prosody();
  const certs = path.join(path.dirname(p.logFile!), "certs");
  const ca = readFileSync(p.caFile!, "utf8");
  const upstream = { host: "127.0.0.1", port: 0, ca };
  const https = new HttpsFaultProxy(upstream, { cert: readFileSync(path.join(certs, `${p.domain}.crt`), "utf8"), key: readFileSync(path.join(certs, `${p.domain}.key`), "utf8") });
  const httpsPort = await https.listen();
  const c2s = new FaultProxy({ host: p.host, port: p.port });
  const c2sPort = await c2s.listen();
  let stanza: Fault | undefined;
  c2s.fault = (el, ctx) => redirected(stanza?.(el, ctx) ?? "pass", el, httpsPort, (port) => (upstream.port = port));
  try {
    const suite = loadSuite([FAMILY]).scenarios;
    // The server's own upload service, as a local target knows it (so that a domain listing none is judged, not skipped).
    const at = { server: `127.0.0.1:${c2sPort}`, domain: p.domain, uploadService: p.upload, install: false, profile: { mode: "none" as const }, tls: { tls: "auto" as const, caFile: p.caFile! } };
    const byId = async () => Object.fromEntries((await run(suite, at)).cases.map((c) => [c.id, c.verdict]));
    const cleanCases = Object.fromEntries((await run(suite, at)).cases.map((c) => [c.id, c]));
    const clean = Object.fromEntries(Object.entries(cleanCases).map(([id, c]) => [id, c.verdict]));
    assert.deepEqual(
      Object.entries(clean).filter(([id, x]) => x !== expected("prosody", id, "warn")),
      [],
      "through both proxies, no fault set",
    );
    for (const f of UPLOAD_FAULTS) {
      stanza = f.stanza;
      https.fault = f.http;
      const got = await byId();
      for (const [id, verdict] of Object.entries(f.cases)) assert.equal(got[id], verdict, `${f.id}: ${id}`);
    }
    // A variation may make a rule not apply (another refusal condition, no limit to advertise): the case then judges
    // nothing, a skip saying so.
    const asClean = Object.fromEntries(Object.entries(cleanCases).map(([id, c]) => [id, brokeNothing(c)]));
    for (const v of UPLOAD_VARIATIONS) {
      stanza = v.stanza;
      https.fault = v.http;
      const got = (await run(suite, at)).cases;
      assert.deepEqual(
        Object.fromEntries(got.map((c) => [c.id, v.skips?.includes(c.id) ? c.verdict : brokeNothing(c)])),
        { ...asClean, ...Object.fromEntries((v.skips ?? []).map((id) => [id, "skip"])) },
        v.id,
      );
    }
  } finally {
    stanza = undefined;
    https.fault = undefined;
    await c2s.close();
    await https.close();
    await p.stop();
  }
});
