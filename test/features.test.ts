import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { loadSuite, run, type RunResult } from "../src/index.ts";
import { FEATURES, type Feature } from "../src/scenario/types.ts";
import { ROOT } from "./support/cli.ts";
import { prosody } from "./support/prosody.ts";
import { tempFiles } from "./support/temp-files.ts";

/**
 * A server that does not implement an optional XEP is not failed: a case that needs a disco#info feature, or
 * a feature found by a probe (XEP-0049 has no discovery feature), is skipped with the reason on a Prosody
 * without the module, and runs on one with it; a request the text lets a deployment refuse (a step's
 * `refused`) skips the case when refused, and is never retried as set-up.
 */
let full: Awaited<ReturnType<typeof prosody>>;
let bare: Awaited<ReturnType<typeof prosody>>;
before(async () => {
  [full, bare] = await Promise.all([prosody(), prosody({ extraConfig: ['modules_disabled = { "s2s"; "s2s_auth_certs"; "carbons"; "private"; "mam" }', "external_services = {}"] })]);
});
after(async () => {
  await Promise.all([full?.stop(), bare?.stop()]);
});

const cases = (r: RunResult) => Object.fromEntries(r.cases.map((c) => [c.id, { verdict: c.verdict, reason: c.reason ?? "" }]));
const on = (t: { host: string; port: number; domain: string }, files: string[], needing = false) =>
  run(
    loadSuite(files).scenarios.filter((sc) => !needing || sc.needs.length > 0),
    { server: `${t.host}:${t.port}`, domain: t.domain, install: false, concurrency: 4 },
  );

test("cases needing carbons (server disco), the archive (account disco) or private storage (a probe) skip without the module and run with it", async () => {
  const files = ["carbons/enable.yaml", "archive/query.yaml", "private/store.yaml"].map((f) => path.join(ROOT, "scenarios", f));
  const [withModules, without] = [cases(await on(full, files, true)), cases(await on(bare, files, true))];
  const ids = Object.keys(without);
  assert.ok(ids.length > 10);
  for (const id of ids) assert.equal(without[id].verdict, "skip", `${id}: ${without[id].reason}`);
  assert.ok(ids.some((id) => /urn:xmpp:carbons:2 in the disco#info of the server/.test(without[id].reason)));
  assert.ok(ids.some((id) => /urn:xmpp:mam:2 in the disco#info of the user's bare JID/.test(without[id].reason)));
  assert.ok(ids.some((id) => /private \(the server did not answer <query xmlns='jabber:iq:private'>/.test(without[id].reason)));
  assert.ok(ids.filter((id) => withModules[id].verdict !== "skip").length > 10);
  assert.deepEqual(full.accounts(), []);
  assert.deepEqual(bare.accounts(), []);
});

test("cases needing a listed external service or a restricted one (a probe of the server's list) skip where the list has none, and run where it has", async () => {
  const files = ["extdisco/services.yaml", "extdisco/credentials.yaml"].map((f) => path.join(ROOT, "scenarios", f));
  const probed = (r: RunResult) => Object.fromEntries(Object.entries(cases(r)).filter(([id]) => ["extdisco-services-type-filter", "extdisco-credentials-restricted"].includes(id)));
  const [withServices, without] = [probed(await on(full, files, true)), probed(await on(bare, files, true))];
  assert.equal(Object.keys(without).length, 2);
  for (const [id, c] of Object.entries(withServices)) assert.equal(c.verdict, "pass", `${id}: ${c.reason}`);
  assert.match(without["extdisco-services-type-filter"].reason, /extdisco-services \(the server did not answer <services xmlns='urn:xmpp:extdisco:2'\/> sent to the server with a result matching/);
  assert.match(without["extdisco-credentials-restricted"].reason, /extdisco-restricted \(the server did not answer/);
  for (const c of Object.values(without)) assert.equal(c.verdict, "skip");
});

test("a refused request the text allows skips the case with the condition and the reason; without 'refused' it is judged", async () => {
  const file = tempFiles("refused");
  const scenario = (id: string, extra: string) => `id: ${id}
title: a request the server answers with an error
rfc: "8.5.2.1.3"
level: MUST
requirements: [DELIVERY-IQ-BARE]
accounts:
  alice:
    resources:
      a1: {}
steps:
  - alice/a1 sends: <iq type='get' id='q1' to='\${alice}'><query xmlns='urn:xmpp-conform:unknown'/></iq>
  - alice/a1 receives: <iq type='result' id='q1'/>
${extra}`;
  const suite = [
    file(scenario("judged", "")),
    file(scenario("refused-check", "    refused: a deployment may refuse it\n")),
    file(
      scenario(
        "refused-setup",
        "    setup: true\n    refused: a deployment may refuse it\n  - alice/a1 sends: <message to='${alice}'><body>x</body></message>\n  - alice/a1 receives: <message/>\n    requirements: [DELIVERY-IQ-BARE]\n",
      ),
    ),
  ];
  const r = await on(full, suite);
  const got = cases(r);
  assert.equal(got.judged.verdict, "fail");
  for (const id of ["refused-check", "refused-setup"]) {
    assert.equal(got[id].verdict, "skip");
    assert.equal(got[id].reason, "the server refused alice/a1's request (service-unavailable), which a deployment may refuse it");
  }
  assert.deepEqual(r.cases.find((c) => c.id === "refused-setup")!.setupRetries ?? [], []);
});

test("every XEP-0030 feature or probe a case can be skipped for is needed by some case, and the disco matrix checks that each family's feature works where advertised", () => {
  const all = loadSuite([path.join(ROOT, "scenarios")]).scenarios;
  const needed = new Set(all.flatMap((sc) => sc.needs.map((n) => n.name)));
  const asked = Object.entries(FEATURES)
    .filter(([, f]) => !("ns" in f))
    .map(([name]) => name);
  assert.deepEqual(
    asked.filter((f) => !needed.has(f as Feature)),
    [],
    "a feature no case needs",
  );
  // disco-feature-works: one cell a feature, a minimal request of that namespace answered with a result.
  const works = all.filter((sc) => sc.id.startsWith("disco-feature-works/")).flatMap((sc) => sc.needs.map((n) => n.name));
  assert.ok(works.length >= 10, `${works.length} cells`);
  for (const f of works) assert.ok(asked.includes(f), `${f} is not a disco feature of FEATURES`);
  for (const base of ["carbons", "mam", "blocking", "vcard-temp", "iq-register", "ping", "version", "last", "time", "pep", "extdisco"])
    assert.ok(works.includes(base as Feature), `no cell for ${base}`);
});
