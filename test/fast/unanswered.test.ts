import { test } from "node:test";
import assert from "node:assert/strict";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { failureOf, fold, type StepRecord } from "../../src/run/judge.ts";
import { tempFiles } from "../support/temp-files.ts";
import { caseHead } from "../support/scenario-head.ts";

// A request never answered breaks RFC 6120 §8.2.3 (STANZA-IQ-01), not the rule its answer would have shown: a
// 'receives' of the answer says so with `unanswered:`, and only that rule fails when no IQ with the id came at all.
const file = tempFiles("unanswered");
const head = caseHead("  juliet:\n    resources:\n      balcony: {}\n", { rfc: "2.1.3", requirement: "ROSTER-GET-01" }).replace(
  "requirements: [ROSTER-GET-01]",
  "requirements: [ROSTER-GET-01, STANZA-IQ-01]",
);
const sc = loadScenarioFile(
  file(`${head}steps:
  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony receives: <iq type='result' id='g'/>
    requirements: [ROSTER-GET-01]
    unanswered: STANZA-IQ-01
`),
)[0]!;
const request = sc.steps[0]!;
const answer = sc.steps[1]!;
const miss = (unanswered: boolean) => ({ message: "nothing came", expected: [], closest: [], ...(unanswered && { unanswered: true }) });
const ran = (failure?: ReturnType<typeof failureOf>): StepRecord[] => [{ step: request, outcome: "ok" }, failure ? { step: answer, outcome: "failed", failure } : { step: answer, outcome: "ok" }];
const verdicts = (records: StepRecord[]) => Object.fromEntries((fold(sc, records).requirementResults ?? []).map((r) => [r.id, r.verdict]));

test("no answer at all fails the unanswered rule alone; another answer fails the step's; any answer passes the unanswered rule", () => {
  assert.equal(answer.plan.unanswered?.id, "STANZA-IQ-01");
  const silent = failureOf(answer, miss(true));
  assert.deepEqual([silent.requirements, silent.level], [["STANZA-IQ-01"], "MUST"]);
  assert.deepEqual(verdicts(ran(silent)), { "ROSTER-GET-01": "not-reached", "STANZA-IQ-01": "fail" });
  const otherwise = failureOf(answer, miss(false));
  assert.deepEqual(otherwise.requirements, ["ROSTER-GET-01"]);
  assert.deepEqual(verdicts(ran(otherwise)), { "ROSTER-GET-01": "fail", "STANZA-IQ-01": "pass" });
  assert.deepEqual(verdicts(ran()), { "ROSTER-GET-01": "pass", "STANZA-IQ-01": "pass" });
});

test("'unanswered' is refused on a step that is not a 'receives' of an IQ answer with an id", () => {
  assert.throws(
    () =>
      loadScenarioFile(
        file(
          `${head}steps:\n  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>\n  - juliet/balcony receives: <message/>\n    unanswered: STANZA-IQ-01\n`,
          "message.yaml",
        ),
      ),
    /'unanswered' belongs to a 'one of', or to a 'receives' \(or 'receives one of'\) step whose \(first\) pattern is an IQ answer with an id/,
  );
});

// Without `unanswered:`, the answer to a request the session sent the server is attributed the same way, to RFC 6120
// §8.2.3, which a case that does not cite it records only when it fails (a silence, not a claim the case judges).
const plain = caseHead("  juliet:\n    resources:\n      balcony: {}\n      window: {}\n");
const implied = (steps: string) => loadScenarioFile(file(`${plain}steps:\n${steps}`, "implied.yaml"))[0]!;

test("the answer to the session's own request to the server implies STANZA-IQ-01, recorded only when no answer came", () => {
  const c = implied(`  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>\n  - juliet/balcony receives: <iq type='result' id='g'/>\n`);
  const [ask, got] = c.steps;
  assert.deepEqual(got!.plan.unanswered, { id: "STANZA-IQ-01", level: "MUST", implied: true });
  const results = (records: StepRecord[]) => Object.fromEntries((fold(c, records).requirementResults ?? []).map((r) => [r.id, r.verdict]));
  const silent = failureOf(got!, miss(true));
  assert.deepEqual(silent.requirements, ["STANZA-IQ-01"]);
  assert.deepEqual(
    results([
      { step: ask!, outcome: "ok" },
      { step: got!, outcome: "failed", failure: silent },
    ]),
    { "ROSTER-GET-01": "not-reached", "STANZA-IQ-01": "fail" },
  );
  assert.deepEqual(
    results([
      { step: ask!, outcome: "ok" },
      { step: got!, outcome: "ok" },
    ]),
    { "ROSTER-GET-01": "pass" },
  );
  assert.deepEqual(failureOf(got!, miss(false)).requirements, ["ROSTER-GET-01"]);
});

test("no implied STANZA-IQ-01 for a request to a full JID or an IQ the server sends", () => {
  const none = (steps: string) => implied(steps).steps.map((st) => st.plan.unanswered);
  const get = (extra = "") => `<iq type='get' id='g'${extra}><query xmlns='jabber:iq:roster'/></iq>`;
  // A full JID's answer comes from a client the server only routes to.
  assert.deepEqual(none(`  - juliet/balcony sends: ${get(" to='${juliet/window}'")}\n  - juliet/balcony receives: <iq type='result' id='g'/>\n`), [undefined, undefined]);
  assert.deepEqual(none(`  - juliet/balcony sends: ${get()}\n  - juliet/balcony receives: <iq type='set' id='g'/>\n    asserts: [id]\n`), [undefined, undefined]);
  // The case's own component answers a request to its name (XEP-0114): the server only routes that answer.
  const comp = loadScenarioFile(
    file(
      `${plain}connections:\n  comp: { component: true }\nsteps:\n  - comp opens stream\n  - comp handshakes\n  - juliet/balcony sends: ${get(" to='${component}'")}\n  - juliet/balcony receives: <iq type='result' id='g'/>\n`,
      "component.yaml",
    ),
  )[0]!;
  assert.equal(comp.steps[3]!.plan.unanswered, undefined);
});

test("a set-up wait for the answer to the session's own request implies STANZA-IQ-01: a silence fails it, any other miss stays a precondition", () => {
  const get = (id: string) => `<iq type='get' id='${id}'><query xmlns='jabber:iq:roster'/></iq>`;
  const c = implied(
    `  - juliet/balcony sends: ${get("g")}\n  - juliet/balcony receives: <iq type='{re:result|error}' id='g'/>\n    setup: true\n  - juliet/balcony sends: ${get("h")}\n  - juliet/balcony receives: <iq type='result' id='h'/>\n`,
  );
  const [ask, wait] = c.steps;
  // A token that takes no get or set ({re:result|error}) awaits an answer as much as 'result' does.
  assert.deepEqual(wait!.plan.unanswered, { id: "STANZA-IQ-01", level: "MUST", implied: true });
  assert.equal(wait!.plan.role, "setup");
  assert.deepEqual(wait!.plan.proves, []);
  assert.deepEqual(failureOf(wait!, miss(true)).requirements, ["STANZA-IQ-01"]);
  const results = (records: StepRecord[]) => Object.fromEntries((fold(c, records).requirementResults ?? []).map((r) => [r.id, r.verdict]));
  assert.deepEqual(
    results([
      { step: ask!, outcome: "ok" },
      { step: wait!, outcome: "failed", failure: failureOf(wait!, miss(true)) },
    ]),
    { "ROSTER-GET-01": "not-reached", "STANZA-IQ-01": "fail" },
  );
  // Held: the set-up credits nothing, and records no STANZA-IQ-01 of its own.
  assert.deepEqual(
    Object.keys(
      results([
        { step: ask!, outcome: "ok" },
        { step: wait!, outcome: "ok" },
      ]),
    ),
    ["ROSTER-GET-01"],
  );
});

test("a 'binds' awaits its own answer: a silence fails STANZA-IQ-01, a stream the server ended stays a precondition", () => {
  const raw = caseHead("  juliet:\n    resources:\n      c1: { raw: true }\n");
  const c = loadScenarioFile(
    file(
      `${raw}steps:\n  - juliet/c1 opens stream\n  - juliet/c1 authenticates\n  - juliet/c1 opens stream\n  - juliet/c1 binds\n  - juliet/c1 receives: <iq type='result'/>\n    setup: true\n  - juliet/c1 sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>\n  - juliet/c1 receives: <iq type='result' id='g'/>\n`,
      "binds.yaml",
    ),
  )[0]!;
  const bind = c.steps[3]!;
  assert.deepEqual(bind.plan.unanswered, { id: "STANZA-IQ-01", level: "MUST", implied: true });
  // Set-up, out of the prelude: the runner judges its silence rather than retrying the case and skipping it.
  assert.deepEqual([bind.plan.role, bind.plan.prelude, bind.plan.proves], ["setup", false, []]);
  assert.deepEqual(failureOf(bind, miss(true)).requirements, ["STANZA-IQ-01"]);
  assert.deepEqual(failureOf(bind, miss(false)).requirements, []);
});

test("a 'polls' whose ask goes to the server implies STANZA-IQ-01 for its own id; one to a full JID does not", () => {
  const poll = (to = "") =>
    implied(`  - juliet/balcony polls:\n      ask: <iq type='get' id='p'${to}><query xmlns='jabber:iq:roster'/></iq>\n      until: <iq type='result' id='p'/>\n    asserts: [id]\n`).steps[0]!.plan;
  assert.deepEqual(poll().unanswered, { id: "STANZA-IQ-01", level: "MUST", implied: true });
  assert.equal(poll(" to='${juliet/window}'").unanswered, undefined);
});

test("'unanswered' names a requirement of a catalog", () => {
  assert.throws(
    () =>
      loadScenarioFile(
        file(
          `${head}steps:\n  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>\n  - juliet/balcony receives: <iq type='result' id='g'/>\n    unanswered: NOPE-01\n`,
          "unknown.yaml",
        ),
      ),
    /steps\[1\]\.unanswered: NOPE-01 is not a requirement of any catalog/,
  );
});

test("a 'one of' awaits the answers its outcomes expect to the sessions' own requests (a 'sends raw' one too), but those an outcome lets stay silent", () => {
  const c = loadScenarioFile(
    file(
      `${caseHead("  juliet:\n    resources:\n      balcony: {}\n      c1: { raw: true }\n")}steps:
  - juliet/c1 opens stream
  - juliet/c1 authenticates
  - juliet/c1 opens stream
  - juliet/c1 binds
  - juliet/balcony sends: <iq type='get' id='a'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony sends: <iq type='get' id='b'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/c1 sends raw: "<presence/><iq type='get' id='c' to='\${domain}'><ping xmlns='urn:xmpp:ping'/></iq>"
  - one of:
      answered:
        - juliet/balcony receives: <iq type='result' id='a'/>
        - juliet/balcony receives: <iq type='result' id='b'/>
        - juliet/c1 receives: <iq id='c'/>
          asserts: [id]
      quiet:
        - juliet/balcony receives nothing: <iq id='b'/>
        - juliet/balcony receives: <iq type='error' id='a'/>
`,
      "one-of.yaml",
    ),
  )[0]!;
  const oneOf = c.steps.at(-1)!;
  assert.deepEqual(oneOf.plan.unanswered, {
    id: "STANZA-IQ-01",
    level: "MUST",
    implied: true,
    awaits: [
      { actor: "juliet/balcony", answers: [{ name: "iq", id: "a" }] },
      { actor: "juliet/c1", answers: [{ name: "iq", id: "c" }] },
    ],
  });
  // No outcome, and an awaited answer never came: the silence fails alone, what the outcomes prove is not reached.
  const silent = failureOf(oneOf, miss(true));
  assert.deepEqual([silent.requirements, silent.level], [["STANZA-IQ-01"], "MUST"]);
  assert.deepEqual(failureOf(oneOf, miss(false)).requirements, ["ROSTER-GET-01"]);
});

test("'unanswered:' on a 'one of' awaits, by session, whatever its outcomes expect there first: a session that received none of it is the silence", () => {
  const c = loadScenarioFile(
    file(
      `${caseHead("  juliet:\n    resources:\n      c1: { raw: true }\n  romeo:\n    resources:\n      c2: { raw: true }\n", { spec: "xep-0198", section: "3", requirement: "SM-RESUME-03" })}steps:
  - juliet/c1 opens stream
  - juliet/c1 authenticates
  - juliet/c1 opens stream
  - juliet/c1 binds
  - romeo/c2 opens stream
  - romeo/c2 authenticates
  - romeo/c2 opens stream
  - romeo/c2 binds
  - juliet/c1 sends: <enable xmlns='urn:xmpp:sm:3' resume='true'/>
  - romeo/c2 sends: <enable xmlns='urn:xmpp:sm:3' resume='1'/>
  - one of:
      both:
        - juliet/c1 receives: <enabled xmlns='urn:xmpp:sm:3' resume='true'/>
        - romeo/c2 receives: <enabled xmlns='urn:xmpp:sm:3' resume='true'/>
      refused:
        - juliet/c1 receives: <failed xmlns='urn:xmpp:sm:3'/>
        - romeo/c2 receives: <failed xmlns='urn:xmpp:sm:3'/>
    requirements: [SM-RESUME-03]
    level: SHOULD
    unanswered: SM-ENABLE-01
`,
      "one-of-unanswered.yaml",
    ),
  )[0]!;
  const oneOf = c.steps.at(-1)!;
  const sm = (name: string) => ({ name, xmlns: "urn:xmpp:sm:3" });
  assert.deepEqual(oneOf.plan.unanswered, {
    id: "SM-ENABLE-01",
    level: "MUST",
    awaits: [
      { actor: "juliet/c1", answers: [sm("enabled"), sm("failed")] },
      { actor: "romeo/c2", answers: [sm("enabled"), sm("failed")] },
    ],
  });
  assert.deepEqual([failureOf(oneOf, miss(true)).requirements, failureOf(oneOf, miss(true)).level], [["SM-ENABLE-01"], "MUST"]);
  assert.deepEqual([failureOf(oneOf, miss(false)).requirements, failureOf(oneOf, miss(false)).level], [["SM-RESUME-03"], "SHOULD"]);
});

test("a check awaiting the answer to a request answers the action that sent it, not a later one its `after:` may skip", () => {
  const [skipped] = loadScenarioFile(
    file(`${head}steps:
  - juliet/balcony sends: <iq type='set' id='s'><query xmlns='jabber:iq:roster'><item jid='nurse@example.net'/></query></iq>
  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony receives one of:
      full: <iq type='result' id='g'><query xmlns='jabber:iq:roster' xc:children='some'/></iq>
      empty: <iq type='result' id='g'/>
    requirements: [ROSTER-GET-01]
    label: listed
  - juliet/balcony sends: <iq type='get' id='g2'><query xmlns='jabber:iq:roster'/></iq>
    after: listed/empty
  - juliet/balcony receives: <iq type='result' id='s'/>
    requirements: [STANZA-IQ-01]
`),
  );
  const steps = skipped!.steps;
  // The answer to 's' is due whether or not 'g2' went: it answers the first send, not the skipped one.
  assert.equal(steps[4]!.plan.answers, 0);
  assert.equal(steps[2]!.plan.answers, 1);
});
