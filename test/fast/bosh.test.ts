import { test } from "node:test";
import assert from "node:assert/strict";
import type { BoshExchange } from "../../src/xmpp/connections/bosh-client.ts";
import { ANSWER_PROBLEMS, bodyOf, boshRequest } from "../../src/xmpp/protocol/bosh-answer.ts";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import type { AnswerCheck } from "../../src/scenario/types.ts";
import { locatedError } from "../support/located.ts";
import { tempFiles } from "../support/temp-files.ts";
import { caseHead } from "../support/scenario-head.ts";

/** XEP-0124 BOSH connections: what the loader accepts, and each check of 'receives answers' on answers made up here. */
const file = tempFiles("bosh");
const problem = (text: string) => locatedError(file(text), loadScenarioFile);
const HEAD = caseHead("  alice:\n    resources:\n      a1: {}\nconnections:\n  h: { bosh: true }\n", { spec: "xep-0124", section: "7.2", requirement: "BOSH-CREATE-03" });

test("a BOSH connection posts and receives bodies; it takes no other step, and no other actor takes its steps", () => {
  const [sc] = loadScenarioFile(file(`${HEAD}steps:\n  - h posts: <body rid='1' to='\${domain}'/>\n  - h receives body: <body sid='{any}'/>\n`));
  assert.deepEqual(
    sc.steps.map((s) => [s.kind, s.plan.role]),
    [
      ["bosh-post", "act"],
      ["bosh-receive", "proof"],
    ],
  );
  assert.deepEqual(
    sc.needs.map((n) => n.name),
    ["bosh"],
  );
  assert.match(problem(`${HEAD}steps:\n  - h sends: <message/>\n  - h receives body: <body/>\n`)[2], /'h' is a BOSH connection \(XEP-0124\): it posts bodies/);
  assert.match(problem(`${HEAD}steps:\n  - alice posts: <body rid='1'/>\n  - h receives body: <body/>\n`)[2], /only a BOSH connection posts bodies/);
  assert.match(
    problem(HEAD.replace("{ bosh: true }", "{ bosh: true, plaintext: true }") + `steps:\n  - h receives body: <body/>\n`)[2],
    /a BOSH connection posts what its steps write, over HTTP; 'plaintext' does not apply/,
  );
  assert.match(problem(`${HEAD}steps:\n  - h posts: <body rid='1'/>\n  - h receives body one of: { a: <body/> }\n`)[2], /expected at least two alternatives/);
  assert.match(problem(`${HEAD}steps:\n  - h posts: <body rid='1'/>\n  - h receives answers: [chunky]\n`)[2], /expected the checks every answer so far must pass \(http, ok, /);
});

test("an outcome of 'receives body one of' credits its own requirements, else the step's", () => {
  const [sc] = loadScenarioFile(
    file(`${HEAD.replace("[BOSH-CREATE-03]", "[BOSH-RID-04]").replace('"7.2"', '"14.3"')}steps:
  - h posts: <body rid='1'/>
  - h receives body one of:
      buffered: { of: "1", body: "<body/>", requirements: [] }
      gone: { of: "1", body: "<body type='terminate'/>" }
`),
  );
  assert.deepEqual(
    sc.steps[1].plan.alternatives?.map((a) => [a.name, a.proves.map((p) => p.id)]),
    [
      ["buffered", []],
      ["gone", ["BOSH-RID-04"]],
    ],
  );
});

test("'failed: true' stands alone: a request that got no HTTP answer has nothing else to match", () => {
  const [sc] = loadScenarioFile(file(`${HEAD}steps:\n  - h posts: <body rid='1'/>\n  - h receives body: { of: "1", failed: true }\n`));
  const step = sc.steps[1];
  assert.ok(step.kind === "bosh-receive");
  assert.deepEqual(step.expect, { of: "1", failed: true });
  assert.match(problem(`${HEAD}steps:\n  - h posts: <body rid='1'/>\n  - h receives body: { of: "1", failed: true, status: "200" }\n`)[2], /failed: true/);
  assert.match(problem(`${HEAD}steps:\n  - h posts: <body rid='1'/>\n  - h receives body one of:\n      a: { of: "1", failed: true, body: "<body/>" }\n      b: <body/>\n`)[2], /failed: true/);
});

test("a request as written is made BOSH's: the wrapper's namespace and 'jabber:client' for stanzas that name none", () => {
  assert.equal(
    boshRequest("<body rid='1'><message to='a@b'/><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></body>"),
    '<body rid="1" xmlns="http://jabber.org/protocol/httpbind"><message to="a@b" xmlns="jabber:client"/><auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl"/></body>',
  );
  assert.equal(boshRequest("<body rid='1'"), "<body rid='1'", "what does not parse goes as written");
  // An answer's payloads read as XEP-0206 §2 says: unqualified stanzas are 'jabber:client', prefixes carried down.
  const body = bodyOf({
    status: 200,
    headers: {},
    text: "<body xmlns='http://jabber.org/protocol/httpbind' xmlns:stream='http://etherx.jabber.org/streams'><message/><stream:features/></body>",
    seq: 1,
    at: 0,
  });
  assert.ok(typeof body !== "string");
  assert.deepEqual(
    body.children.map((c) => typeof c !== "string" && [c.getName(), c.getNS()]),
    [
      ["message", "jabber:client"],
      ["features", "http://etherx.jabber.org/streams"],
    ],
  );
});

/** Answers made up for one check: one that holds, one that breaks it. */
const HB = "xmlns='http://jabber.org/protocol/httpbind'";
/** An exchange whose request went at `rid` (ms) and whose answer came as the `seq`th, at `seq` (ms). */
const exchange = (rid: string, text: string, seq: number, headers: Record<string, string> = {}, status = 200): BoshExchange => ({
  rid,
  body: "",
  postedAt: Number(rid),
  taken: false,
  answer: { status, headers, text, seq, at: seq },
});
const problemsOf = (check: AnswerCheck, all: BoshExchange[]) => all.flatMap((e) => (e.answer && !("failed" in e.answer) ? [ANSWER_PROBLEMS[check](e as never, all)] : [])).filter(Boolean);
const CASES: Record<AnswerCheck, { holds: BoshExchange[]; breaks: BoshExchange[]; says: RegExp }> = {
  http: {
    holds: [exchange("1", `<body ${HB}/>`, 1)],
    breaks: [exchange("1", `<body ${HB}/>`, 1), { rid: "2", body: "", postedAt: 2, taken: false, answer: { failed: "Parse Error" } }],
    says: /rid 2 got no HTTP answer: Parse Error/,
  },
  ok: { holds: [exchange("1", `<body ${HB}/>`, 1)], breaks: [exchange("1", `<body ${HB}/>`, 1, {}, 500)], says: /HTTP 500, not 200 OK/ },
  "well-formed": { holds: [exchange("1", `<body ${HB} a='1'/>`, 1)], breaks: [exchange("1", `<body ${HB} a='1' a='2'/>`, 1)], says: /not well-formed XML 1\.0: .*duplicate attribute/ },
  "no-character-data": {
    holds: [exchange("1", `<body ${HB}><message xmlns='jabber:client'><body>text</body></message></body>`, 1)],
    breaks: [exchange("1", `<body ${HB}>text</body>`, 1)],
    says: /character data/,
  },
  "no-markup-declarations": { holds: [exchange("1", `<body ${HB}/>`, 1)], breaks: [exchange("1", `<body ${HB}><!-- note --></body>`, 1)], says: /a comment in the answer/ },
  "not-chunked": { holds: [exchange("1", `<body ${HB}/>`, 1)], breaks: [exchange("1", `<body ${HB}/>`, 1, { "transfer-encoding": "chunked" })], says: /Transfer-Encoding: chunked/ },
  "session-attributes-once": {
    holds: [exchange("1", `<body ${HB} sid='s' wait='10'/>`, 1), exchange("2", `<body ${HB}/>`, 2)],
    breaks: [exchange("1", `<body ${HB} sid='s' wait='10'/>`, 1), exchange("2", `<body ${HB} sid='s'/>`, 2)],
    says: /'sid' on an answer after the session creation response/,
  },
  "in-rid-order": {
    holds: [exchange("1", `<body ${HB}/>`, 1), exchange("2", `<body ${HB}/>`, 2)],
    breaks: [exchange("1", `<body ${HB}/>`, 2), exchange("2", `<body ${HB}/>`, 1)],
    says: /answered after rid 2, a later request/,
  },
  // Request N goes at N ms: the answer to 2 at 2.5 ms comes before 3 went, the one at 4 ms after.
  "ack-throughout": {
    holds: [exchange("1", `<body ${HB} ack='1'/>`, 1.5), exchange("2", `<body ${HB}/>`, 2.5), exchange("3", `<body ${HB} ack='2'/>`, 4)],
    breaks: [exchange("1", `<body ${HB} ack='1'/>`, 1.5), exchange("2", `<body ${HB}/>`, 4), exchange("3", `<body ${HB} ack='2'/>`, 5)],
    says: /no 'ack', though rid 3 had been posted before this answer came/,
  },
  "stream-namespace-on-body": {
    holds: [exchange("1", `<body ${HB} xmlns:stream='http://etherx.jabber.org/streams'><stream:features/></body>`, 1)],
    breaks: [exchange("1", `<body ${HB}><stream:features xmlns:stream='http://etherx.jabber.org/streams'/></body>`, 1)],
    says: /<stream:features\/> in a <body\/> that does not declare xmlns:stream/,
  },
  "xmpp-payloads": {
    holds: [exchange("1", `<body ${HB}><iq xmlns='jabber:client'/><message xmlns='jabber:client'/><stream:error xmlns:stream='http://etherx.jabber.org/streams'/></body>`, 1)],
    breaks: [exchange("1", `<body ${HB} xmlns:stream='http://etherx.jabber.org/streams'><stream:features/><iq xmlns='jabber:client'/></body>`, 1)],
    says: /payloads that are none of XEP-0206 §2's forms: <stream:features\/>, <iq\/>/,
  },
  "stream-error-last": {
    holds: [exchange("1", `<body ${HB}><iq xmlns='jabber:client'/><stream:error xmlns:stream='http://etherx.jabber.org/streams'/></body>`, 1)],
    breaks: [exchange("1", `<body ${HB}><stream:error xmlns:stream='http://etherx.jabber.org/streams'/><iq xmlns='jabber:client'/></body>`, 1)],
    says: /<stream:error\/> followed by <iq\/>/,
  },
};

test("'ack' on a later answer asks for it on the session creation response too", () => {
  const all = [exchange("1", `<body ${HB}/>`, 1.5), exchange("2", `<body ${HB} ack='2'/>`, 3)];
  assert.match(problemsOf("ack-throughout", all).join(), /'ack' on the answer to rid 2 but not on the session creation response/);
});

test("'ok' asks both halves of XEP-0124 §8, the status and a <body/> of BOSH's namespace; 'well-formed' judges only an answer that starts as a <body/>", () => {
  const html = [exchange("1", "<html><p>hello</p></html>", 1)];
  assert.match(problemsOf("ok", html).join(), /<html\/> of no namespace, not a <body\/> of http:\/\/jabber\.org\/protocol\/httpbind/);
  assert.deepEqual(problemsOf("well-formed", html), [], "a document that is no <body/> fails one rule, 'ok'");
  assert.match(problemsOf("ok", [exchange("1", "", 1)]).join(), /an empty entity, no <body\/> element/);
  const broken = [exchange("1", `<?xml version='1.0'?><body ${HB} a='1' a='2'/>`, 1)];
  assert.deepEqual(problemsOf("ok", broken), [], "a <body/> that is not XML is §6's ('well-formed'), not §8's");
  assert.match(problemsOf("well-formed", broken).join(), /duplicate attribute/);
});

test("each check of 'receives answers' holds of proper answers and names what breaks it", () => {
  for (const [check, { holds, breaks, says }] of Object.entries(CASES) as [AnswerCheck, (typeof CASES)[AnswerCheck]][]) {
    assert.deepEqual(problemsOf(check, holds), [], check);
    const found = problemsOf(check, breaks);
    assert.ok(
      found.some((p) => says.test(p!)),
      `${check}: ${found.join("; ")}`,
    );
  }
});
