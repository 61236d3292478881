import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { loadSuite, run, select, SUITE } from "../src/index.ts";
import { loadScenarioFile } from "../src/scenario/load.ts";
import type { Target } from "../src/targets/types.ts";
import { ejabberd } from "./support/ejabberd.ts";
import { prosody } from "./support/prosody.ts";
import { tempFiles } from "./support/temp-files.ts";

/** Stream-level steps carried out by the runner on raw connections, against real servers. */
const servers: Record<string, Target> = {};
let prosodyServer: Awaited<ReturnType<typeof prosody>>;
const suite = loadSuite([SUITE]).scenarios;
const at = (name: string) => ({ server: `127.0.0.1:${servers[name].port}`, domain: "localhost", install: false, timeoutMs: 1500 });

before(async () => {
  const [p, e] = await Promise.all([prosody(), ejabberd()]);
  Object.assign(servers, { prosody: p, ejabberd: e });
  prosodyServer = p;
});
after(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
});

/** Cases that exercise every stream-level step kind: headers, features, SASL, bind, raw bytes, stream errors, closes, barriers. */
const SAMPLE = [
  "stream-restart-new-id",
  "stream-header-id-ignored",
  "stream-features-after-bind",
  "bind-conflict",
  "xml-not-well-formed",
  "stanza-partial",
  "sasl-abort",
  "stream-close",
  "stream-version-unsupported",
];

for (const name of ["prosody", "ejabberd"]) {
  test(`${name}: stream cases pass with their choices and per-requirement verdicts recorded, and leave no account behind`, async () => {
    const { plan } = select(suite, { files: [], ids: SAMPLE, tags: [] });
    assert.equal(plan.length, SAMPLE.length);
    const results = await run(plan, at(name));
    assert.deepEqual(results.cases.map((c) => [c.id, c.verdict, c.reason]).sort(), SAMPLE.map((id) => [id, "pass", undefined]).sort(), "every sampled case passes");
    const conflict = results.cases.find((c) => c.id === "bind-conflict")!;
    assert.deepEqual(
      conflict.choices.map((c) => c.step),
      ["one of: replace | refuse | override"],
      "the conflict policy the server chose is recorded",
    );
    const restart = results.cases.find((c) => c.id === "stream-restart-new-id")!;
    assert.deepEqual(
      restart.requirementResults?.find((r) => r.id === "STREAM-RESTART-01"),
      { id: "STREAM-RESTART-01", verdict: "pass" },
    );
    assert.ok(results.cases.every((c) => c.spec === "rfc6120"));
    assert.equal(results.accounts.notRemoved, 0);
  });
}

const file = tempFiles("stream");
const scenario = (yaml: string) => loadScenarioFile(file(yaml));

test("a stream case that cannot hold fails with what differed (the condition, the header attribute); a step on a stream a step said would end is an error, one the server ended unasked fails", async () => {
  const plan = scenario(`
id: wrong-condition
title: expects another condition
spec: rfc6120
rfc: "11.3"
level: MUST
requirements: [XML-WF-01]
connections:
  c1: {}
steps:
  - c1 opens stream
  - c1 sends raw: "<message><body>x</message>"
  - c1 receives stream error: bad-format
---
id: wrong-header
title: expects another version
spec: rfc6120
rfc: "4.7.5"
level: MUST
requirements: [STREAM-VER-01]
connections:
  c1: {}
steps:
  - c1 opens stream
  - c1 receives stream header: { version: "2.0", id: "{capture:sid}" }
---
id: ended-unasked
title: a step after a stream error no step expected
spec: rfc6120
rfc: "7"
level: MUST
requirements: [BIND-GEN-01]
accounts:
  juliet:
    resources:
      c1: { raw: true }
steps:
  - juliet/c1 opens stream
  - juliet/c1 sends raw: "<broken"
  - juliet/c1 sends raw: "></still-broken>"
  - juliet/c1 receives stream error: bad-format
    requirements: [XML-WF-01]
    level: MAY
  - juliet/c1 authenticates:
    requirements: [BIND-GEN-01]
---
id: ended-by-server
title: a proving step on a stream the server ended and no step expected to end
spec: rfc6120
rfc: "7"
level: MUST
requirements: [BIND-GEN-01]
accounts:
  juliet:
    resources:
      c1: { raw: true }
steps:
  - juliet/c1 opens stream
  - juliet/c1 sends raw: "<broken"
  - juliet/c1 sends raw: "></still-broken>"
  - juliet/c1 authenticates:
    requirements: [BIND-GEN-01]
`);
  const results = await run(plan, at("prosody"));
  const byId = Object.fromEntries(results.cases.map((c) => [c.id, c]));
  assert.equal(byId["wrong-condition"].verdict, "fail");
  assert.match(byId["wrong-condition"].reason!, /expected <bad-format\/>, got <not-well-formed\/>/);
  assert.equal(byId["wrong-header"].verdict, "fail");
  assert.match(byId["wrong-header"].reason!, /version: expected '2\.0', got '1\.0'/);
  // A step on a stream the server already ended cannot be carried out: an error naming the server's stream error,
  // and the requirement that step was to prove is not reached (the MAY expectation before it, unmet, was only
  // recorded: it credits nothing either).
  assert.equal(byId["ended-unasked"].verdict, "error", byId["ended-unasked"].reason);
  assert.match(byId["ended-unasked"].reason!, /juliet\/c1 cannot carry out 'juliet\/c1 authenticates'.*stream error <not-well-formed\/>/);
  assert.deepEqual(
    byId["ended-unasked"].requirementResults?.map((r) => [r.id, r.verdict]),
    [
      ["XML-WF-01", "not-reached"],
      ["BIND-GEN-01", "not-reached"],
    ],
  );
  // Where no step said the stream would end, the server's end is its own answer to the step that needed the stream:
  // that step fails with the stream error as its reason, whether the error came before its action or after.
  assert.equal(byId["ended-by-server"].verdict, "fail", byId["ended-by-server"].reason);
  assert.match(byId["ended-by-server"].reason!, /stream error <not-well-formed\/>/);
  // The raw connection's traffic is in the transcript under its label, stream headers as open tags.
  assert.ok(byId["wrong-header"].transcript!.some((e) => e.session === "c1" && e.dir === "in" && /^<stream:stream [^>]*>$/.test(e.xml)));
  assert.deepEqual(prosodyServer.accounts(), []);
});
