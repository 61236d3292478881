import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { loadSuite, run, select, SUITE } from "../src/index.ts";
import { loadScenarioFile } from "../src/scenario/load.ts";
import type { Target } from "../src/targets/types.ts";
import { locatedError } from "./support/located.ts";
import { prosody } from "./support/prosody.ts";
import { tempFiles } from "./support/temp-files.ts";

/** Each requirement is judged by the steps that prove it: `also:` parts, set-up steps, actions, steps never run. */
const file = tempFiles("proves");
let server: Target & { accounts(): string[] };
before(async () => {
  server = await prosody();
});
after(async () => {
  await server.stop();
});
const at = () => ({ server: `127.0.0.1:${server.port}`, domain: "localhost", install: false, timeoutMs: 1500 });

const IQ_CASE = `id: unknown-ns
title: an IQ in an unknown namespace
spec: rfc6120
rfc: "8.4"
level: MUST
requirements: [STANZA-EXT-02, ERR-RULE-03, ERR-RULE-04]
accounts:
  juliet:
    resources:
      balcony: {}
steps:
  - juliet/balcony sends: <iq type='get' id='x1' to='\${domain}'><query xmlns='urn:xc:unknown'/></iq>
  - juliet/balcony receives: <iq type='error' id='x1'><error/></iq>
    requirements: [ERR-RULE-03, ERR-RULE-04]
    also:
      ERR-SYN-01: <iq><error type='{re:auth|cancel|continue|modify|wait}'/></iq>
      STANZA-EXT-02: CONDITION
`;

/** What each step of a case proves, with the level a failure is worth, as its plan says. */
const proofs = (sc: { steps: { plan: { proves: { id: string; level: string }[] } }[] }) => sc.steps.map((s) => s.plan.proves.map((p) => `${p.id} ${p.level}`));

test("also: each entry becomes a check of its own requirement, at that requirement's own level (not capped by the step's)", () => {
  const [sc] = loadScenarioFile(file(IQ_CASE.replace("CONDITION", "<iq><error><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>")));
  assert.deepEqual(
    sc.steps.map((s) => [s.kind, s.requirements]),
    [
      ["send", undefined],
      ["receive", ["ERR-RULE-03", "ERR-RULE-04"]],
      ["also", ["ERR-SYN-01"]],
      ["also", ["STANZA-EXT-02"]],
    ],
  );
  assert.match(sc.steps[2].text, /juliet\/balcony's stanza also matches <iq><error type=.* \(ERR-SYN-01\)/);
  // What each step proves: an action nothing, a check its own requirements.
  assert.deepEqual(proofs(sc), [[], ["ERR-RULE-03 MUST", "ERR-RULE-04 MUST"], ["ERR-SYN-01 MUST"], ["STANZA-EXT-02 MUST"]]);
  assert.deepEqual(
    sc.steps.map((s) => s.plan.role),
    ["act", "proof", "proof", "proof"],
  );
  // A SHOULD step's also entries keep their rules' MUST: once the stanza came, its form is what the rule says.
  const [weak] = loadScenarioFile(
    file(IQ_CASE.replace("CONDITION", "<iq/>").replace("    requirements: [ERR-RULE-03, ERR-RULE-04]", "    requirements: [ERR-RULE-03, ERR-RULE-04]\n    level: SHOULD")),
  );
  assert.deepEqual(proofs(weak), [[], ["ERR-RULE-03 SHOULD", "ERR-RULE-04 SHOULD"], ["ERR-SYN-01 MUST"], ["STANZA-EXT-02 MUST"]]);
});

test("the loader refuses 'also' off a single 'receives', and a case requirement no step proves", () => {
  const notReceive = IQ_CASE.replace("CONDITION", "<iq/>").replace("  - juliet/balcony receives: <iq type='error' id='x1'><error/></iq>", "  - juliet/balcony receives nothing: <iq type='result'/>");
  assert.match(locatedError(file(notReceive), loadScenarioFile)[2], /'also' checks the stanza of a 'receives' step with one pattern/);
  // An also: key is traced like any cited requirement.
  assert.match(locatedError(file(IQ_CASE.replace("STANZA-EXT-02: CONDITION", "NOPE-09: <iq/>")), loadScenarioFile)[2], /steps\[1\]\.also: NOPE-09 is not a requirement of any catalog/);
  // The case cites a rule that only an action (which proves what it names) and a set-up step touch.
  const unproved = `id: unproved
title: a rule nothing checks
spec: rfc6120
rfc: "7.6.1"
level: MUST
requirements: [BIND-GEN-01, STANZA-IQ-02]
accounts:
  juliet:
    resources:
      c1: { raw: true }
steps:
  - juliet/c1 opens stream
  - juliet/c1 receives features: <features/>
    setup: true
  - juliet/c1 authenticates
  - juliet/c1 opens stream
  - juliet/c1 binds
  - juliet/c1 receives: <iq type='result' id='{any}'/>
    requirements: [STANZA-IQ-02]
`;
  const [line, , detail] = locatedError(file(unproved), loadScenarioFile);
  assert.equal(line, 6);
  assert.match(detail, /requirements: no step checks BIND-GEN-01: name it in the requirements of the step that proves it/);
  // Naming it on the action makes the action prove it.
  const [sc] = loadScenarioFile(file(unproved.replace("  - juliet/c1 binds\n", "  - juliet/c1 binds:\n    requirements: [BIND-GEN-01]\n")));
  assert.deepEqual(
    sc.steps.map((s) => s.plan.proves.map((p) => p.id)),
    [[], [], [], [], ["BIND-GEN-01"], ["STANZA-IQ-02"]],
  );
  assert.deepEqual(
    sc.steps.map((s) => s.plan.prelude),
    [true, true, true, true, false, false],
    "the prelude: every step before the first proof",
  );
});

test("against Prosody: a wrong part fails only its own requirement; the others the same stanza proves pass", async () => {
  // Prosody answers with service-unavailable: ask for another condition, so that only STANZA-EXT-02's part is wrong.
  const plan = loadScenarioFile(file(IQ_CASE.replace("CONDITION", "<iq><error><feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>")));
  const [c] = (await run(plan, at())).cases;
  assert.equal(c.verdict, "fail");
  assert.match(c.reason!, /the stanza juliet\/balcony received does not match <iq><error><feature-not-implemented/);
  assert.deepEqual(
    c.failures.map((f) => f.requirements),
    [["STANZA-EXT-02"]],
  );
  const verdicts = Object.fromEntries((c.requirementResults ?? []).map((r) => [r.id, r.verdict]));
  assert.deepEqual(verdicts, { "ERR-RULE-03": "pass", "ERR-RULE-04": "pass", "ERR-SYN-01": "pass", "STANZA-EXT-02": "fail" });
});

test("against Prosody: a passing set-up step proves nothing, a failing one (the same way twice) skips the case naming it, and a check of an action never run is not reached", async () => {
  const plan = loadScenarioFile(
    file(`id: setup-passes
title: the features before the action prove none of the case's rules
spec: rfc6120
rfc: "11.1"
level: MUST
requirements: [XML-RESTRICT-02]
connections:
  c1: {}
steps:
  - c1 opens stream
  - c1 receives features: <features/>
    setup: true
  - c1 sends raw: "<!-- a comment -->"
  - c1 receives stream error: host-gone
---
id: setup-fails
title: features the server never offers
spec: rfc6120
rfc: "11.1"
level: MUST
requirements: [XML-RESTRICT-02]
connections:
  c1: {}
steps:
  - c1 opens stream
  - c1 receives features: <features><xc-never xmlns='urn:xc:never'/></features>
    setup: true
  - c1 sends raw: "<!-- a comment -->"
  - c1 receives stream error: restricted-xml
---
id: action-skipped
title: a request never sent has no answer to judge
rfc: "2.6.3"
level: SHOULD
requirements: [ROSTER-VER-11]
accounts:
  juliet:
    resources:
      balcony: {}
steps:
  - juliet/balcony sends: <iq type='get' id='v1'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony receives: <iq type='result' id='v1'><query xmlns='jabber:iq:roster' xc-never='{capture:v}'/></iq>
    level: SHOULD
  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster' ver='\${v}'/></iq>
  - juliet/balcony receives: <iq type='result' id='g'/>
---
id: capture-unreached
title: an also that was never checked made no capture either
rfc: "2.6.3"
level: SHOULD
requirements: [ROSTER-VER-11]
accounts:
  juliet:
    resources:
      balcony: {}
steps:
  - juliet/balcony sends: <iq type='get' id='v1'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony receives: <iq type='result' id='v1'><query xmlns='jabber:iq:roster' xc-never='1'/></iq>
    also:
      ROSTER-VER-11: <iq><query xmlns='jabber:iq:roster' ver='{capture:v}'/></iq>
  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster' ver='\${v}'/></iq>
  - juliet/balcony receives: <iq type='result' id='g'/>
---
id: capture-other-alternative
title: a capture made by the also of the alternative taken is there, though the other alternative's also was not reached
rfc: "2.1.3"
level: MUST
requirements: [ROSTER-GET-01, ROSTER-GET-02]
accounts:
  juliet:
    resources:
      balcony: {}
steps:
  - juliet/balcony sends: <iq type='get' id='v1'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony receives one of:
      never:
        receives: <iq type='result' id='v1'><query xmlns='jabber:iq:roster' xc-never='1'/></iq>
        requirements: []
        also:
          ROSTER-GET-01: <iq type='{capture:t}'/>
      result:
        receives: <iq type='result' id='v1'/>
        requirements: []
        also:
          ROSTER-GET-01: <iq type='{capture:t}'/>
    requirements: [ROSTER-GET-01]
  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony receives: <iq type='\${t}' id='g'/>
    requirements: [ROSTER-GET-02]
    asserts: [id]
---
id: capture-other-alternative-after
title: the same, with the alternative not taken after the one taken
rfc: "2.1.3"
level: MUST
requirements: [ROSTER-GET-01, ROSTER-GET-02]
accounts:
  juliet:
    resources:
      balcony: {}
steps:
  - juliet/balcony sends: <iq type='get' id='v1'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony receives one of:
      result:
        receives: <iq type='result' id='v1'/>
        requirements: []
        also:
          ROSTER-GET-01: <iq type='{capture:t}'/>
      never:
        receives: <iq type='result' id='v1'><query xmlns='jabber:iq:roster' xc-never='1'/></iq>
        requirements: []
        also:
          ROSTER-GET-01: <iq type='{capture:t}'/>
    requirements: [ROSTER-GET-01]
  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony receives: <iq type='\${t}' id='g'/>
    requirements: [ROSTER-GET-02]
    asserts: [id]
`),
  );
  const byId = Object.fromEntries((await run(plan, at())).cases.map((c) => [c.id, c]));
  // The check fails; the set-up step before it that held does not make XML-RESTRICT-02 pass.
  assert.equal(byId["setup-passes"].verdict, "fail");
  assert.deepEqual(
    byId["setup-passes"].requirementResults?.map((r) => [r.id, r.verdict]),
    [["XML-RESTRICT-02", "fail"]],
  );
  // A set-up step that fails is retried with the rest of set-up; the same answer again is the server's, so the
  // case is skipped naming the precondition: no verdict.
  assert.equal(byId["setup-fails"].verdict, "skip");
  assert.match(byId["setup-fails"].reason!, /^the server did not give the precondition 'c1 receives features .*': c1's stream features differ/);
  assert.ok((byId["setup-fails"].setupRetries ?? []).length > 0, "retried as set-up");
  assert.equal(byId["setup-fails"].requirementResults, undefined, "a skipped case judges no requirement");
  // The capture is never made, so the second request is never sent and its answer is not judged.
  const skipped = byId["action-skipped"];
  assert.equal(skipped.verdict, "warn");
  assert.deepEqual(
    skipped.failures.map((f) => f.requirements),
    [["ROSTER-VER-11"]],
  );
  assert.deepEqual(
    skipped.requirementResults?.map((r) => [r.id, r.verdict]),
    [["ROSTER-VER-11", "warn"]],
  );
  // Its `also` is not reached when the stanza did not match, so it captured nothing: what uses the capture is
  // not reached either (it was an error, an unknown placeholder).
  const unreached = byId["capture-unreached"];
  assert.equal(unreached.verdict, "warn", unreached.reason);
  assert.deepEqual(
    unreached.requirementResults?.map((r) => [r.id, r.verdict]),
    [["ROSTER-VER-11", "warn"]],
  );
  // The alternative not taken lists the capture too, and its `also` is not reached: the one taken made it, so
  // what uses it is judged (the twenty-sixth audit's mam-query-results, whose MAM-FIN-01 uses the result's id).
  for (const other of [byId["capture-other-alternative"], byId["capture-other-alternative-after"]]) {
    assert.equal(other.verdict, "pass", other.reason);
    assert.deepEqual(
      other.choices?.map((c) => c.alternative),
      ["result"],
    );
    assert.deepEqual(
      other.requirementResults?.map((r) => [r.id, r.verdict]),
      [
        ["ROSTER-GET-01", "pass"],
        ["ROSTER-GET-02", "pass"],
      ],
    );
  }
  assert.deepEqual(server.accounts(), []);
});

test("against Prosody: what an alternative of 'one of' cites holds only when that alternative happened", async () => {
  const plan = loadScenarioFile(
    file(`id: either
title: an error or a result, each with its own rule
spec: rfc6120
rfc: "8.2.3"
level: MUST
requirements: [STANZA-IQ-02, ERR-RULE-03, STANZA-EXT-02]
accounts:
  juliet:
    resources:
      balcony: {}
steps:
  - juliet/balcony sends: <iq type='get' id='x1' to='\${domain}'><query xmlns='urn:xc:unknown'/></iq>
  - one of:
      error:
        - juliet/balcony receives: <iq type='error' id='x1'/>
          requirements: [ERR-RULE-03]
      result:
        - juliet/balcony receives: <iq type='result' id='x1'/>
          requirements: [STANZA-EXT-02]
    requirements: [STANZA-IQ-02, ERR-RULE-03, STANZA-EXT-02]
`),
  );
  const [c] = (await run(plan, at())).cases;
  assert.equal(c.verdict, "pass");
  assert.deepEqual(
    c.choices.map((x) => x.alternative),
    ["error"],
  );
  // The 'one of' proves what no alternative cites; the alternative that happened proves its own; the other did not apply.
  assert.deepEqual(Object.fromEntries((c.requirementResults ?? []).map((r) => [r.id, r.verdict])), { "STANZA-IQ-02": "pass", "ERR-RULE-03": "pass", "STANZA-EXT-02": "not-reached" });
});

test("after: a step judged only when the labelled step held, or its 'one of' took that alternative; not reached otherwise", async () => {
  const AFTER = `id: after
title: a rule that applies only once something happened
spec: rfc6120
rfc: "8.2.3"
level: SHOULD
requirements: [STANZA-IQ-02, ERR-RULE-03, STANZA-EXT-02]
accounts:
  juliet:
    resources:
      balcony: {}
steps:
  - juliet/balcony sends: <iq type='get' id='x1' to='\${domain}'><query xmlns='urn:xc:unknown'/></iq>
  - juliet/balcony receives: <iq type='result' id='x1'/>
    requirements: [STANZA-IQ-02]
    label: answered
  - juliet/balcony sends: <iq type='get' id='x2' to='\${domain}'><query xmlns='urn:xc:unknown'/></iq>
    after: answered
  - juliet/balcony receives: <iq type='error' id='x2'/>
    requirements: [ERR-RULE-03]
  - juliet/balcony sends: <iq type='get' id='x3' to='\${domain}'><query xmlns='urn:xc:unknown'/></iq>
  - receives one of:
`;
  const body = `${AFTER.replace("  - receives one of:\n", "")}  - juliet/balcony receives one of:
      error: <iq type='error' id='x3'/>
      result: <iq type='result' id='x3'/>
    requirements: [STANZA-IQ-02]
    label: third
  - juliet/balcony sends: <iq type='get' id='x4' to='\${domain}'><query xmlns='urn:xc:unknown'/></iq>
    after: third/result
  - juliet/balcony receives: <iq type='error' id='x4'/>
    requirements: [STANZA-EXT-02]
`;
  const [sc] = loadScenarioFile(file(body));
  assert.deepEqual(
    sc.steps.map((s) => s.plan.after),
    [undefined, undefined, [{ step: 1 }], undefined, undefined, undefined, [{ step: 5, alternatives: ["result"] }], undefined],
  );
  // Against a server that answers with an error: the labelled result did not hold (a SHOULD: the case goes on), so
  // what comes after it is not reached; the alternative that happened is 'error', so the step after 'result' is not either.
  const [c] = (await run([sc], at())).cases;
  assert.deepEqual(Object.fromEntries((c.requirementResults ?? []).map((r) => [r.id, r.verdict])), { "STANZA-IQ-02": "warn", "ERR-RULE-03": "not-reached", "STANZA-EXT-02": "not-reached" });
  // Naming several alternatives, the step is judged after any of them: 'error' happened, so STANZA-EXT-02 is judged.
  const [either] = (await run(loadScenarioFile(file(body.replace("after: third/result", "after: third/result|error"))), at())).cases;
  assert.equal(Object.fromEntries((either.requirementResults ?? []).map((r) => [r.id, r.verdict]))["STANZA-EXT-02"], "pass");
  // A list asks each entry: after 'answered' (a warning, not held) and 'third' as well, the step is not reached.
  const [both] = (await run(loadScenarioFile(file(body.replace("after: third/result", "after: [third/result|error, answered]"))), at())).cases;
  assert.equal(Object.fromEntries((both.requirementResults ?? []).map((r) => [r.id, r.verdict]))["STANZA-EXT-02"], "not-reached");
  // Without 'after' the same steps are judged (and pass): 'after' is what kept them out.
  const [plain] = (await run(loadScenarioFile(file(body.replace(/\n {4}after: [\w/]+/g, ""))), at())).cases;
  assert.deepEqual(Object.fromEntries((plain.requirementResults ?? []).map((r) => [r.id, r.verdict])), { "STANZA-IQ-02": "warn", "ERR-RULE-03": "pass", "STANZA-EXT-02": "pass" });
  // In the prelude too (set-up before the first proof): a step after an alternative that did not happen is not run,
  // so the result it would wait for in vain does not end the case as a refused precondition.
  const prelude = `${AFTER.split("steps:\n")[0]}steps:
  - juliet/balcony sends: <iq type='get' id='p1' to='\${domain}'><query xmlns='urn:xc:unknown'/></iq>
  - juliet/balcony receives one of:
      error: <iq type='error' id='p1'/>
      result: <iq type='result' id='p1'/>
    setup: true
    label: pre
  - juliet/balcony sends: <iq type='get' id='p2' to='\${domain}'><query xmlns='urn:xc:unknown'/></iq>
    after: pre/result
  - juliet/balcony receives: <iq type='result' id='p2'/>
    setup: true
    after: pre/result
  - juliet/balcony sends: <iq type='get' id='x2' to='\${domain}'><query xmlns='urn:xc:unknown'/></iq>
  - juliet/balcony receives: <iq type='error' id='x2'/>
    requirements: [ERR-RULE-03, STANZA-IQ-02, STANZA-EXT-02]
`;
  const [pre] = (await run(loadScenarioFile(file(prelude)), at())).cases;
  assert.equal(pre.verdict, "pass", pre.reason);
  // Without 'after' the set-up waits for the result that never comes: the precondition is refused, and the case skipped.
  const [waited] = (await run(loadScenarioFile(file(prelude.replace(/\n {4}after: [\w/]+/g, ""))), at())).cases;
  assert.equal(waited.verdict, "skip");
  // The loader names a label that is not there, an alternative a 'one of' does not have, and a label used twice.
  assert.match(locatedError(file(body.replace("after: answered", "after: answerd")), loadScenarioFile)[2], /steps\[2\]\.after: no earlier step is labelled 'answerd' \(labels: answered\)/);
  assert.match(locatedError(file(body.replace("after: third/result", "after: third/resulte")), loadScenarioFile)[2], /has no alternative 'resulte' \(alternatives: error, result\)/);
  assert.match(locatedError(file(body.replace("after: third/result", "after: third/error|resulte")), loadScenarioFile)[2], /has no alternative 'resulte' \(alternatives: error, result\)/);
  assert.match(locatedError(file(body.replace("label: third", "label: answered")), loadScenarioFile)[2], /'answered' names an earlier step already/);
});

test("against Prosody, the shipped cases the audit named: each requirement judged by its own checks", async () => {
  const suite = loadSuite([SUITE]).scenarios;
  const { plan } = select(suite, { files: [], ids: ["xml-restricted/comment", "error-condition-types", "iq-unknown-namespace/to-domain"], tags: [] });
  const byId = Object.fromEntries((await run(plan, at())).cases.map((c) => [c.id, c]));
  const shown = (id: string) => byId[id].requirementResults?.map((r) => [r.id, r.verdict]);
  // The features before the comment are set-up: only the rule the comment breaks, and its named condition, are judged.
  assert.deepEqual(shown("xml-restricted/comment"), [
    ["XML-RESTRICT-01", "pass"],
    ["SERR-RESTRICTED-01", "warn"],
  ]);
  // Each error condition's cell judges its own condition, not the other cells'.
  for (const cell of ["forbidden", "feature-not-implemented", "not-allowed", "not-acceptable", "item-not-found"]) {
    assert.deepEqual(
      shown(`error-condition-types/${cell}`)?.map(([id]) => id),
      [`ERR-COND-${cell.toUpperCase()}`],
      cell,
    );
  }
  // The id, the <error/> and its type are judged apart from the condition (also:).
  assert.deepEqual(
    shown("iq-unknown-namespace/to-domain")
      ?.map(([id]) => id)
      .sort(),
    ["ERR-RULE-03", "ERR-RULE-04", "ERR-SYN-01", "STANZA-EXT-02", "STANZA-IQ-06"],
  );
});

test("against Prosody: a resource with answers: false leaves an IQ request to its steps, so the requester gets the steps' answer only", async () => {
  const text = (answers: string) => `id: answered-once
title: a query answered by the step alone
spec: rfc6120
rfc: "8.2.3"
level: MUST
requirements: [STANZA-IQ-02]
accounts:
  alice:
    resources:
      a1: {}
  bob:
    resources:
      b1: { presence: 1${answers} }
steps:
  - alice sends: <iq type='get' id='t1' to='\${bob/b1}'><query xmlns='jabber:iq:version'/></iq>
  - bob/b1 receives: <iq type='get' id='{capture:q}'/>
  - bob/b1 sends: <iq type='result' id='\${q}' to='\${alice/a1}'/>
  - alice receives: <iq type='result' id='t1'/>
  - alice receives nothing: <iq type='error' id='t1'/>
`;
  const verdict = async (answers: string) => (await run(loadScenarioFile(file(text(answers))), at())).cases[0].verdict;
  assert.equal(await verdict(", answers: false"), "pass");
  assert.equal(await verdict(""), "fail", "without it the session answers service-unavailable before the step");
});

test("against Prosody: a stanza a 'receives nothing' reported (at SHOULD) is not reported again by another, and a later 'receives' still matches it", async () => {
  const [sc] = loadScenarioFile(
    file(`id: reported-once
title: a message that came when it should not have still came
spec: rfc6121
rfc: "8.5.3.1"
level: MUST
requirements: [DELIVERY-MSG-FULLMATCH-1NN/chat, ROUTE-ORDER-01]
accounts:
  alice:
    resources:
      a1: {}
  bob:
    resources:
      b1: { presence: 1 }
steps:
  - alice sends: <message to='\${bob/b1}' type='chat' id='m1'><body>early</body></message>
  - bob/b1 receives nothing: <message id='m1'/>
    requirements: [ROUTE-ORDER-01]
    level: SHOULD
  - bob/b1 receives nothing: <message/>
    requirements: [ROUTE-ORDER-01]
    level: SHOULD
  - bob/b1 receives: <message id='m1'><body>early</body></message>
    requirements: [DELIVERY-MSG-FULLMATCH-1NN/chat]
`),
  );
  const [c] = (await run([sc], at())).cases;
  assert.equal(c.verdict, "warn", JSON.stringify(c.failures));
  assert.deepEqual(
    c.failures.map((f) => f.step),
    ["bob/b1 receives nothing matching <message id='m1'/>"],
    "the second absence does not report it again",
  );
  assert.equal(c.requirementResults?.find((r) => r.id === "DELIVERY-MSG-FULLMATCH-1NN/chat")?.verdict, "pass");
});
