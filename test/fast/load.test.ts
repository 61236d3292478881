import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { loadScenarioFile, loadSuite } from "../../src/scenario/load.ts";
import { ROOT } from "../support/cli.ts";
import { locatedError } from "../support/located.ts";
import { tempFiles } from "../support/temp-files.ts";

import { caseHead } from "../support/scenario-head.ts";
import { tempDir } from "../support/temp-dir.ts";

const file = tempFiles("load");

const HEAD = caseHead(`  juliet:
    resources:
      balcony: { roster: true }
      chamber: {}
  nurse: {}
`);

/** The located error a broken file gives: [line, col, detail]. */
const problem = (text: string) => locatedError(file(text), loadScenarioFile);

test("a valid scenario loads into steps with actors, patterns and positions", () => {
  const [sc] = loadScenarioFile(
    file(
      `${HEAD}steps:
  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony receives: <iq type='result' id='g'><query xmlns='jabber:iq:roster' ver='{capture:v}'/></iq>
    timeout: 500
    requirements: [ROSTER-VER-03]
    level: SHOULD
  - juliet/chamber receives nothing
  - nurse receives nothing
`.replace("  nurse: {}", "  nurse:\n    resources: { phone: { presence: 5 } }"),
    ),
  );
  assert.equal(sc.id, "t");
  assert.deepEqual(
    sc.steps.map((s) => [s.kind, s.actor]),
    [
      ["send", "juliet/balcony"],
      ["receive", "juliet/balcony"],
      ["receive-nothing", "juliet/chamber"],
      ["receive-nothing", "nurse/phone"],
    ],
  );
  assert.equal(sc.steps[1].timeoutMs, 500);
  assert.equal(sc.steps[1].level, "SHOULD");
  assert.deepEqual(sc.steps[1].pos.line, 15);
  assert.deepEqual(sc.accounts[1].resources[0].presence, { priority: 5 });
  assert.deepEqual(
    sc.accounts[0].resources.map((r) => [r.roster, r.online, r.acks]),
    [
      [true, true, true],
      [false, true, true],
    ],
  );
});

test("invalid YAML names line and column", () => {
  const [line, col, detail] = problem(`${HEAD}steps:\n  - juliet/balcony connects\ntitle: again\n`);
  assert.deepEqual([line, col], [14, 1]);
  assert.match(detail, /invalid YAML: Map keys must be unique/);
  assert.match(problem(`${HEAD}steps:\n  - juliet/balcony sends: "<iq/>\n`)[2], /invalid YAML: Missing closing "quote/);
});

test("an unknown key points at the key and lists the known ones", () => {
  const [line, col, detail] = problem(HEAD.replace("balcony: { roster: true }", "balcony: { roster: true, presense: 1 }") + "steps: [juliet/balcony receives nothing]\n");
  assert.deepEqual([line, col], [9, 32]);
  assert.match(detail, /unknown key 'presense'.*expected one of: roster, presence, online/);
});

test("a wrong value says what was expected", () => {
  const [line, , detail] = problem(HEAD.replace("level: MUST", "level: MUSTN'T") + "steps: [juliet/balcony receives nothing]\n");
  assert.equal(line, 4);
  assert.match(detail, /level: .*expected one of "MUST"\|"SHOULD"\|"MAY"/i);
  assert.match(problem(HEAD.replace("steps", "x") + "steps: []\n")[2], /steps/);
});

test("step problems: unknown verb, unknown actor, ambiguous account, missing value", () => {
  assert.match(problem(`${HEAD}steps:\n  - juliet/balcony shouts: <iq/>\n`)[2], /steps\[0\]: expected a step like/);
  assert.deepEqual(problem(`${HEAD}steps:\n  - juliet/balcony shouts: <iq/>\n`).slice(0, 2), [13, 5]);
  assert.match(problem(`${HEAD}steps:\n  - romeo/x sends: <iq/>\n`)[2], /no resource 'romeo\/x'/);
  assert.match(problem(`${HEAD}steps:\n  - juliet sends: <iq/>\n`)[2], /account 'juliet' has 2 resources: name one/);
  assert.match(problem(`${HEAD}steps:\n  - juliet/balcony sends\n`)[2], /'sends' needs a value/);
  // A list where a step goes, and a flow mapping with a key and no value inside it: an error at the step, not a crash.
  assert.deepEqual(problem(`${HEAD}steps:\n  - [{ juliet/balcony receives nothing }]\n`).slice(0, 2), [13, 5]);
  assert.match(problem(`${HEAD}steps:\n  - [{ juliet/balcony receives nothing }]\n`)[2], /a step is a string .* or a mapping/);
  assert.match(
    problem(`${HEAD}steps:\n  - juliet/balcony sends: <iq/>\n    timeout: soon\n`)[2],
    /only requirements, level, timeout, wait, asserts, setup, refused, also, given, order, earliest, unanswered, since, label, after and when/,
  );
});

test("placeholders must name accounts, resources or earlier captures", () => {
  const [line, , detail] = problem(`${HEAD}steps:\n  - juliet/balcony sends: <iq to='\${romeo}'/>\n`);
  assert.equal(line, 13);
  assert.match(detail, /unknown placeholder \$\{romeo\}; known here: domain, uid, juliet, nurse/);
  assert.match(problem(`${HEAD}steps:\n  - juliet/balcony sends: <iq id='\${v}'/>\n  - juliet/balcony receives: <iq id='{capture:v}'/>\n`)[2], /unknown placeholder \$\{v\}/);
  loadScenarioFile(file(`${HEAD}steps:\n  - juliet/balcony receives: <iq id='{capture:v}'/>\n  - juliet/balcony sends: <iq id='\${v}' to='\${juliet/chamber}'/>\n`));
});

test("XML that is not well-formed is a scenario error at its step", () => {
  const [line, , detail] = problem(`${HEAD}steps:\n  - juliet/balcony receives nothing\n  - juliet/balcony sends: |\n      <iq type='get'>\n        <query>\n      </iq>\n`);
  assert.equal(line, 14);
  assert.match(detail, /steps\[1\]: expected well-formed XML/);
});

test("a misspelt pattern attribute (xc:absnet) is a scenario error naming the known ones, not a check that checks nothing", () => {
  const [line, , detail] = problem(
    `${HEAD}steps:\n  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>\n  - juliet/balcony receives: <iq id='g'><query xmlns='jabber:iq:roster'><item xc:absnet=''/></query></iq>\n`,
  );
  assert.equal(line, 14);
  assert.match(detail, /steps\[1\]: expected a pattern attribute xc:absent, xc:most, .*got xc:absnet; did you mean xc:absent\?/);
  const [, , most] = problem(
    `${HEAD}steps:\n  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>\n  - juliet/balcony receives: <iq id='g'><query xmlns='jabber:iq:roster'><item xc:most='one'/></query></iq>\n`,
  );
  assert.match(most, /steps\[1\]: expected xc:most='N' with N a whole number, got xc:most='one'/);
});

test("the suite collects one error per broken file and duplicate ids, and loads the rest", () => {
  const d = tempDir("xc-suite-");
  writeFileSync(path.join(d, "a.yaml"), `${HEAD}steps: [juliet/balcony receives nothing]\n`);
  writeFileSync(path.join(d, "b.yaml"), `${HEAD}steps: [juliet/balcony receives nothing]\n`);
  writeFileSync(path.join(d, "c.yaml"), "id: [\n");
  writeFileSync(path.join(d, "empty.yaml"), "");
  const suite = loadSuite([d]);
  assert.equal(suite.scenarios.length, 1);
  assert.deepEqual(suite.errors.map((e) => path.basename(e.pos.file)).sort(), ["b.yaml", "c.yaml", "empty.yaml"]);
  assert.match(suite.errors.find((e) => e.pos.file.endsWith("b.yaml"))!.detail, /duplicate scenario id 't'/);
});

test("the shipped suite is valid and every case cites requirements", () => {
  const suite = loadSuite([path.join(ROOT, "scenarios")]);
  assert.deepEqual(
    suite.errors.map((e) => e.message),
    [],
  );
  assert.ok(suite.scenarios.length >= 7);
  for (const s of suite.scenarios) assert.ok(s.requirements.length > 0, s.id);
});

test("a matrix expands into one case per cell; when: keeps the steps of matching cells", () => {
  const cases = loadScenarioFile(
    file(`${HEAD.replace("id: t", "id: m").replace("title: T", "title: T \${m.type}")}matrix:
  type: [chat, headline]
  to: [bare, full]
steps:
  - juliet/balcony sends: <message type='\${m.type}' to='\${nurse}'/>
  - juliet/balcony receives nothing:
    when: { type: headline, to: [bare] }
  - juliet/chamber receives nothing
`),
  );
  assert.deepEqual(
    cases.map((c) => c.id),
    ["m/chat/bare", "m/chat/full", "m/headline/bare", "m/headline/full"],
  );
  assert.equal(cases[2].title, "T headline");
  assert.deepEqual(cases[2].cell, { type: "headline", to: "bare" });
  assert.deepEqual(
    cases.map((c) => c.steps.length),
    [2, 2, 3, 2],
  );
  assert.match((cases[3].steps[0] as { xml: string }).xml, /type='headline'/);
  const listed = loadScenarioFile(
    file(`${HEAD.replace("id: t", "id: \${m.name}-x")}matrix:
  - { name: a, type: chat }
  - { name: b, type: normal }
steps: [juliet/balcony receives nothing]
`),
  );
  assert.deepEqual(
    listed.map((c) => c.id),
    ["a-x", "b-x"],
  );
  assert.match(problem(`${HEAD}matrix: { type: [chat] }\nsteps:\n  - juliet/balcony connects:\n    when: { tpye: chat }\n`)[2], /'when' names 'tpye', which is not a matrix variable/);
  assert.match(problem(`${HEAD}steps:\n  - juliet/balcony connects:\n    when: { type: chat }\n`)[2], /'when' needs a matrix/);
});

test("one of: named alternatives of expectation steps across sessions", () => {
  const [sc] = loadScenarioFile(
    file(`${HEAD}steps:
  - one of:
      first:
        - juliet/balcony receives: <message/>
        - juliet/chamber receives nothing: <message/>
      both:
        - juliet/balcony receives: <message/>
        - juliet/chamber receives: <message/>
    level: SHOULD
`),
  );
  const step = sc.steps[0];
  assert.equal(step.kind, "one-of");
  assert.equal(step.level, "SHOULD");
  assert.deepEqual(step.kind === "one-of" && step.alternatives.map((a) => [a.name, a.steps.map((s) => s.kind)]), [
    ["first", ["receive", "receive-nothing"]],
    ["both", ["receive", "receive"]],
  ]);
  assert.match(problem(`${HEAD}steps:\n  - one of:\n      a: [juliet/balcony sends: <x/>]\n      b: [juliet/balcony connects]\n`)[2], /only 'receives…' steps/);
});

test("fixtures: roster items and subscription states name declared accounts", () => {
  const [sc] = loadScenarioFile(
    file(`${HEAD}roster:
  juliet: [{ jid: nurse, name: Nurse, groups: [Servants] }, { jid: "x@\${domain}" }]
subscriptions:
  - { user: juliet, contact: nurse, state: to+pending-in }
steps: [juliet/balcony receives nothing]
`),
  );
  assert.deepEqual(sc.roster, [
    { owner: "juliet", jid: "nurse", name: "Nurse", groups: ["Servants"] },
    { owner: "juliet", jid: "x@${domain}", groups: [] },
  ]);
  assert.deepEqual(sc.subscriptions, [{ user: "juliet", contact: "nurse", state: "to+pending-in" }]);
  assert.match(problem(`${HEAD}subscriptions:\n  - { user: juliet, contact: romeo, state: to }\nsteps: [juliet/balcony receives nothing]\n`)[2], /no account 'romeo'/);
  assert.match(problem(`${HEAD}subscriptions:\n  - { user: juliet, contact: nurse, state: tO }\nsteps: [juliet/balcony receives nothing]\n`)[2], /subscriptions\.0\.state/);
  assert.match(problem(`${HEAD}subscriptions:\n  - { user: juliet, contact: nurse, state: pre-approved }\nsteps: [juliet/balcony receives nothing]\n`)[2], /needs 'needs: \[pre-approval\]'/);
});

test("one of: a capture serves the later steps of its own alternative, and later steps when every alternative makes it", () => {
  const [sc] = loadScenarioFile(
    file(`${HEAD}steps:
  - one of:
      a:
        - juliet/balcony receives: <iq id='{capture:x}'/>
        - juliet/chamber receives: <iq id='\${x}'/>
          asserts: [id]
      b:
        - juliet/balcony receives: <iq type='{capture:x}'/>
  - juliet/balcony sends: <iq id='\${x}'/>
`),
  );
  assert.equal(sc.steps.length, 2);
  assert.match(
    problem(`${HEAD}steps:\n  - one of:\n      a: [juliet/balcony receives: "<iq id='{capture:x}'/>"]\n      b: [juliet/balcony receives nothing]\n  - juliet/balcony sends: <iq id='\${x}'/>\n`)[2],
    /unknown placeholder \$\{x\}/,
  );
});

test("a matrix cell whose value would put a placeholder, a blank or its own '/' in the case id is refused, naming the cell to list", () => {
  const [line, , detail] = problem(`${HEAD}matrix:\n  to: ["\${juliet}", "\${juliet/balcony}"]\nsteps: [juliet/balcony receives nothing]\n`);
  assert.equal(line, 13);
  assert.match(detail, /matrix: the value '\$\{juliet\}' would name a case t\/\$\{juliet\}, .*list the cells with a name \(\[\{ name: short-name, to: "\.\.\." \}/);
  assert.match(problem(`${HEAD}matrix: { to: [a, "b c"] }\nsteps: [juliet/balcony receives nothing]\n`)[2], /the value 'b c'/);
  assert.match(problem(`${HEAD}matrix: { to: [a, "b/c"] }\nsteps: [juliet/balcony receives nothing]\n`)[2], /the value 'b\/c'/);
  // A listed cell's name is the author's: it may use '/' to read as two parts.
  const named = loadScenarioFile(file(`${HEAD}matrix:\n  - { name: in/chat, to: "\${juliet}" }\nsteps: [juliet/balcony receives nothing]\n`));
  assert.deepEqual(
    named.map((c) => c.id),
    ["t/in/chat"],
  );
});

test("a matrix value that stands alone keeps its number type", () => {
  const cases = loadScenarioFile(file(`${HEAD.replace("chamber: {}", 'chamber: { presence: "\${m.p}" }')}matrix: { p: [-1, 5] }\nsteps: [juliet/balcony receives nothing]\n`));
  assert.deepEqual(
    cases.map((c) => c.accounts[0].resources[1].presence),
    [{ priority: -1 }, { priority: 5 }],
  );
});

test("accounts on domain b: the domain is loaded, ${domain.b} is known only then, and other domains are refused", () => {
  const two = `${HEAD}  romeo: { domain: b, resources: { r1: {} } }\nsteps:\n  - romeo sends: <message to='x@\${domain.b}'/>\n  - juliet/balcony receives nothing\n`;
  const [sc] = loadScenarioFile(file(two));
  assert.deepEqual(
    sc.accounts.map((a) => [a.name, a.domain]),
    [
      ["juliet", "a"],
      ["nurse", "a"],
      ["romeo", "b"],
    ],
  );
  assert.match(problem(`${HEAD}steps:\n  - juliet/balcony sends: <message to='x@\${domain.b}'/>\n`)[2], /unknown placeholder \$\{domain\.b\}/);
  assert.match(problem(`${HEAD}  romeo: { domain: c }\nsteps:\n  - juliet/balcony sends: <iq/>\n`)[2], /accounts\.romeo\.domain/);
});

const RAW_HEAD = caseHead("  juliet:\n    resources:\n      balcony: {}\n      c1: { raw: true }\nconnections:\n  c2: {}\n  c3: { online: false }\n", { rfc: "4.7.3", requirement: "STREAM-ID-01" });

test("raw connections: declared under an account or at the top level, with stream-level steps read as sentences", () => {
  const [sc] = loadScenarioFile(
    file(`${RAW_HEAD}steps:
  - c2 opens stream: { to: "\${domain}", from: ~, lang: en, stream-ns: "urn:wrong", attrs: { "xmlns:db": "jabber:server:dialback" } }
  - c2 receives stream header: { from: "\${domain}", id: "{capture:first}", version: "1.0", to: "{absent}", prefix: stream }
  - c2 receives stream error: { condition: [invalid-namespace, bad-format], text: "{any}", element: "<handled-count-too-high xmlns='urn:xmpp:sm:3'/>" }
  - c3 connects
  - c3 opens stream: { raw: "<stream:stream to='\${domain}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" }
  - c3 sends raw: "<message><body>\${first}</message>"
  - c3 receives stream error: not-well-formed
  - juliet/c1 opens stream
  - juliet/c1 receives features: <features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></features>
  - juliet/c1 authenticates: { mechanism: SCRAM-SHA-1, password: wrong, expect: failure }
  - juliet/c1 receives: <failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>
  - juliet/c1 authenticates: { mechanism: PLAIN, until: challenge }
  - juliet/c1 aborts sasl
  - juliet/c1 authenticates
  - juliet/c1 opens stream
  - juliet/c1 binds: balcony
  - juliet/c1 receives: <iq type='result'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>{capture:jid}</jid></bind></iq>
  - juliet/c1 sends: <message to='\${juliet/balcony}' from='\${juliet/c1}'><body>hi</body></message>
  - juliet/c1 sends raw: { before: "<message to='\${juliet}'><body>", repeat: "x", times: 300000, after: "</body></message>" }
  - juliet/c1 receives nothing
  - juliet/c1 closes stream
  - juliet/c1 receives stream close
`),
  );
  assert.deepEqual(sc.connections, [
    { label: "juliet/c1", name: "c1", account: "juliet", online: true },
    { label: "c2", name: "c2", online: true },
    { label: "c3", name: "c3", online: false },
  ]);
  assert.deepEqual(
    sc.accounts[0].resources.map((r) => r.name),
    ["balcony"],
    "a raw connection is not a session",
  );
  const kinds = sc.steps.map((s) => s.kind);
  assert.deepEqual(kinds.slice(0, 3), ["open-stream", "receive-stream-header", "receive-stream-error"]);
  assert.deepEqual(sc.steps[0], {
    ...sc.steps[0],
    actor: "c2",
    header: { to: "${domain}", from: null, lang: "en", attrs: { "xmlns:db": "jabber:server:dialback" }, streamNs: "urn:wrong" },
  });
  assert.deepEqual(sc.steps[2], { ...sc.steps[2], conditions: ["invalid-namespace", "bad-format"], errorText: "{any}", errorElement: "<handled-count-too-high xmlns='urn:xmpp:sm:3'/>" });
  assert.deepEqual(sc.steps[6], { ...sc.steps[6], conditions: ["not-well-formed"] });
  assert.ok(!("errorText" in sc.steps[6]));
  assert.deepEqual(sc.steps[9], { ...sc.steps[9], kind: "authenticate", sasl: { mechanism: "SCRAM-SHA-1", password: "wrong", expect: "failure" } });
  assert.doesNotMatch(sc.steps[9].text, /wrong/, "a password is not shown in the step's text");
  assert.deepEqual(sc.steps[15], { ...sc.steps[15], kind: "bind", resource: "balcony" });
  assert.deepEqual(sc.steps[18], { ...sc.steps[18], kind: "send-raw", bytes: { before: "<message to='${juliet}'><body>", repeat: "x", times: 300000, after: "</body></message>" } });
  assert.deepEqual(kinds.slice(-2), ["close-stream", "receive-stream-close"]);
});

test("raw connections: what the loader refuses, where", () => {
  const steps = (...lines: string[]) => `${RAW_HEAD}steps:\n${lines.map((l) => `  - ${l}\n`).join("")}`;
  assert.match(problem(steps("juliet/balcony opens stream"))[2], /steps\[0\]: .*stream-level steps are for raw connections \('juliet\/balcony' is a session/);
  assert.match(problem(steps("c2 authenticates"))[2], /'c2' has no account, so no credentials/);
  assert.match(problem(steps("juliet/c1 opens stream", "juliet/c1 receives nothing"))[2], /steps\[1\]: .*a raw connection joins only once bound: add a 'juliet\/c1 binds' step/);
  assert.match(problem(steps("juliet/c1 sends: <message to='${juliet/c1}'/>"))[2], /unknown placeholder \$\{juliet\/c1\}/);
  assert.match(problem(steps("c2 receives stream error: Not_Well"))[2], /expected a stream error condition/);
  assert.match(problem(steps(`c2 receives stream error: { condition: undefined-condition, element: "<handled-count-too-high" }`))[2], /not well-formed|XML/i);
  assert.match(problem(steps("c2 receives features: <stream:features/>"))[2], /root to be <features>/);
  assert.match(problem(steps("c2 starts tls: now"))[2], /steps\[0\]: expected no value/);
  assert.match(problem(steps("c2 authenticates: { mechanism: DIGEST-MD5 }"))[2], /expected SASL choices/);
  assert.match(problem(steps("c2 opens stream: { tooo: x }"))[2], /expected stream header attributes/);
  // A channel-binding type needs a -PLUS mechanism, "y" one without; with none named the run takes the strongest that fits.
  assert.match(problem(steps("c2 authenticates: { profile: sasl2, mechanism: SCRAM-SHA-1, channel-binding: tls-exporter }"))[2], /channel-binding is a -PLUS mechanism's type/);
  assert.match(problem(steps("c2 authenticates: { profile: sasl2, mechanism: SCRAM-SHA-256-PLUS, channel-binding: y }"))[2], /or y with SCRAM without -PLUS/);
  loadScenarioFile(file(steps("juliet/c1 authenticates: { profile: sasl2, channel-binding: tls-exporter, expect: failure }", "juliet/c1 receives: <success xmlns='urn:xmpp:sasl:2'/>")));
  assert.match(
    problem(RAW_HEAD.replace("c1: { raw: true }", "c1: { raw: true, roster: true }") + "steps:\n  - c2 opens stream\n")[2],
    /a raw connection does only what its steps say; 'roster' does not apply/,
  );
  assert.match(problem(RAW_HEAD.replace("  c3: { online: false }", "  juliet: {}") + "steps:\n  - c2 opens stream\n")[2], /connections\.juliet: 'juliet' is also an account/);
  assert.match(problem(steps("juliet opens stream"))[2], /account 'juliet' has 2 resources: name one/);
  // Raw bytes are not XML to check; their placeholders are.
  loadScenarioFile(file(steps("c2 sends raw: <unclosed", "c2 receives stream close")));
  assert.match(problem(steps("c2 sends raw: '<x>${nobody}'"))[2], /unknown placeholder \$\{nobody\}/);
});

test("every cited requirement ID is in the catalog: the case's, a step's, one inside 'one of', a matrix cell's", () => {
  const [line, col, detail] = problem(HEAD.replace("[ROSTER-GET-01]", "[ROSTER-GET-01, NOPE-01]") + "steps: [juliet/balcony receives nothing]\n");
  assert.deepEqual([line, col], [5, 31]);
  assert.match(detail, /^requirements\.1: NOPE-01 is not a requirement of any catalog/);
  const step = problem(`${HEAD}steps:\n  - juliet/balcony receives nothing:\n    requirements: [ROSTER-GET-99]\n`);
  assert.deepEqual(step.slice(0, 2), [14, 20]);
  assert.match(step[2], /steps\.0\.requirements\.0: ROSTER-GET-99 is not/);
  const nested = problem(
    `${HEAD}steps:\n  - one of:\n      a:\n        - juliet/balcony receives nothing:\n          requirements: [ROSTER-GET-01, X-01]\n      b: [juliet/chamber receives nothing]\n`,
  );
  assert.deepEqual(nested.slice(0, 2), [16, 41]);
  assert.match(nested[2], /steps\.0\.one of\.a\.0\.requirements\.1: X-01 is not/);
  const delivery = HEAD.replace('rfc: "2.1.3"', 'rfc: "8.5.2.1.1"').replace("[ROSTER-GET-01]", '["DELIVERY-MSG-BARE-2NN/${m.type}"]');
  assert.deepEqual(
    loadScenarioFile(file(`${delivery}matrix: { type: [chat, headline] }\nsteps: [juliet/balcony receives nothing]\n`)).map((c) => c.requirements),
    [["DELIVERY-MSG-BARE-2NN/chat"], ["DELIVERY-MSG-BARE-2NN/headline"]],
  );
  assert.match(problem(`${delivery}matrix: { type: [chat, shout] }\nsteps: [juliet/balcony receives nothing]\n`)[2], /DELIVERY-MSG-BARE-2NN\/shout is not a requirement .*\(matrix cell type=shout\)/);
});

test("the case's section is where one of its requirements is stated, or above it", () => {
  const load = (rfc: string, ids = "[ROSTER-GET-01]") =>
    file(HEAD.replace('rfc: "2.1.3"', `rfc: "${rfc}"`).replace("[ROSTER-GET-01]", ids) + `steps:\n  - juliet/balcony receives nothing:\n    requirements: ${ids}\n    level: MAY\n`);
  for (const ok of ["2.1.3", "2.1.4", "2.1", "2"]) loadScenarioFile(load(ok));
  const [line, col, detail] = locatedError(load("2.1.5"), loadScenarioFile);
  assert.deepEqual([line, col], [3, 6]);
  assert.match(detail, /^rfc: §2\.1\.5 is not the section of a requirement the case cites, nor above one \(ROSTER-GET-01 §[\d./]+\)/);
  assert.match(locatedError(load("2.1.3.1"), loadScenarioFile)[2], /rfc: §2\.1\.3\.1 is not/, "a section below the requirement's is not where it is stated");
  // one matching requirement is enough; delivery-table cells count with the section of the rule they sum up
  loadScenarioFile(load("4.3.2", "[PROBE-03, PROBE-09]"));
  loadScenarioFile(load("8.5.3.2.1", "[DELIVERY-MSG-FULLNOMATCH-2NN/chat]"));
  loadScenarioFile(load("8.5.4", "[DELIVERY-MSG-FULLNOMATCH-2NN/chat]"));
  // a case citing only RFC 6120 rules has no RFC 6121 section to agree with
  loadScenarioFile(load("2.1.2.3", "[ROSTER-SET-ERR-11]"));
});

test("stream-level outcomes in 'one of', any defined stream error, placeholder filters, and cases of connections only", () => {
  const steps = (...lines: string[]) => `${RAW_HEAD}steps:\n${lines.map((l) => `  - ${l}\n`).join("")}`;
  const [sc] = loadScenarioFile(
    file(`${RAW_HEAD}steps:
  - "c2 opens stream": { version: "2.0" }
  - one of:
      lower:
        - c2 receives stream header: { version: "1.0", id: "{capture:sid}" }
        - c2 receives features: <features/>
      refused:
        - c2 receives stream error: unsupported-version
  - c2 receives stream error: any
  - juliet/balcony sends: <message to='\${juliet|local|upper}@\${domain|upper}'/>
`),
  );
  const oneOf = sc.steps[1];
  assert.equal(oneOf.kind, "one-of");
  assert.deepEqual(oneOf.kind === "one-of" && oneOf.alternatives.map((a) => a.steps.map((s) => s.kind)), [["receive-stream-header", "receive-features"], ["receive-stream-error"]]);
  const any = sc.steps[2];
  assert.ok(any.kind === "receive-stream-error" && any.conditions.includes("not-well-formed") && any.conditions.includes("host-unknown") && any.conditions.length === 25);
  assert.equal(any.text, "c2 receives stream error (any defined condition)");
  assert.match(problem(steps("c2 receives stream error: not-a-condition"))[2], /'not-a-condition' is not a stream error condition of RFC 6120 §4\.9\.3/);
  assert.match(problem(steps("juliet/balcony sends: <message to='${juliet|lower}'/>"))[2], /unknown placeholder filter '\|lower'/);
  assert.match(problem(steps("one of: { a: ['c2 opens stream'], b: ['c2 receives stream close'] }"))[2], /only 'receives…' steps/);
  // A case of raw connections without accounts needs no 'accounts:'.
  const [bare] = loadScenarioFile(
    file(`id: t\ntitle: T\nspec: rfc6120\nrfc: "4.2"\nlevel: MUST\nrequirements: [STREAM-OPEN-01]\nconnections:\n  c1: {}\nsteps:\n  - c1 opens stream:\n    requirements: [STREAM-OPEN-01]\n`),
  );
  assert.deepEqual([bare.accounts, bare.connections.map((c) => c.label), bare.spec], [[], ["c1"], "rfc6120"]);
});

test("a disco#info or probed feature, or a stream feature offered after authentication, needs a logged-in session to be asked over: a case of raw connections only is refused at needs", () => {
  const raw = `id: t
title: T
spec: xep-0280
section: "3"
level: SHOULD
requirements: [CARBONS-DISCO-01]
needs: [carbons]
connections:
  c1: {}
steps:
  - c1 opens stream
  - c1 receives features: <features/>
`;
  const [line, col, detail] = problem(raw);
  assert.deepEqual([line, col], [7, 8]);
  assert.match(detail, /needs: carbons is asked of the server over a logged-in session/);
  assert.doesNotThrow(() => loadScenarioFile(file(raw.replace("needs: [carbons]", "needs: [starttls]"))));
  // A stream feature offered only after authentication (XEP-0115's server caps) is asked of a logged-in session too.
  assert.match(problem(raw.replace("needs: [carbons]", "needs: [server-caps]"))[2], /needs: server-caps is asked of the server over a logged-in session/);
});

test("caps: a resource's advertised features ride on its presence; without presence, or on a raw connection, they are refused", () => {
  const [sc] = loadScenarioFile(file(HEAD.replace("chamber: {}", "chamber: { presence: true, caps: ['urn:xmpp:avatar:metadata+notify'] }") + "steps: [juliet/balcony receives nothing]\n"));
  assert.deepEqual(sc.accounts[0].resources.find((r) => r.name === "chamber")?.caps, ["urn:xmpp:avatar:metadata+notify"]);
  assert.equal(sc.accounts[0].resources.find((r) => r.name === "balcony")?.caps, undefined);
  const [line, col, detail] = problem(HEAD.replace("chamber: {}", "chamber: { caps: ['urn:xmpp:avatar:metadata+notify'] }") + "steps: [juliet/balcony receives nothing]\n");
  assert.deepEqual([line, col], [10, 18]);
  assert.match(detail, /caps ride on the resource's presence; give it 'presence'/);
  assert.match(problem(HEAD.replace("chamber: {}", "chamber: { raw: true, caps: [x] }") + "steps: [juliet/balcony receives nothing]\n")[2], /'caps' does not apply/);
});

test("'also' inside a 'one of' alternative checks that step's stanza once the alternative is the outcome; on a set-up 'one of' it is refused", () => {
  const raw = `${HEAD}steps:
  - one of:
      a:
        - juliet/balcony receives nothing: <message/>
        - juliet/chamber receives: <iq type='result'/>
          requirements: [ROSTER-GET-01]
          also:
            ROSTER-GET-02: <iq type='result'/>
      b:
        - juliet/balcony receives nothing
    requirements: [ROSTER-GET-01]
`;
  const [sc] = loadScenarioFile(file(raw));
  const [, also] = sc.steps;
  assert.equal(also.kind, "also");
  assert.deepEqual(
    { actor: also.actor, alternative: also.kind === "also" && also.alternative, inner: also.kind === "also" && also.inner, of: also.plan.of, proves: also.plan.proves.map((p) => p.id) },
    { actor: "juliet/chamber", alternative: "a", inner: 1, of: { step: 0, alternative: "a" }, proves: ["ROSTER-GET-02"] },
  );
  assert.match(problem(raw.replace("\n    requirements: [ROSTER-GET-01]\n", "\n    setup: true\n"))[2], /a set-up step checks nothing, so its alternatives have no 'also'/);
  // A row of mixed levels is judged at the level of the alternative's own step, not the 'one of''s.
  const mixed = (inner: string) =>
    loadScenarioFile(file(raw.replace("ROSTER-GET-02: <iq", "PROBE-02: <iq").replace("          requirements: [ROSTER-GET-01]\n", `          requirements: [ROSTER-GET-01]\n${inner}`)))[0].steps[1]
      .plan.proves[0].level;
  assert.deepEqual([mixed(""), mixed("          level: SHOULD\n")], ["MUST", "SHOULD"]);
});

test("in a 'one of', an alternative with a step saying requirements: [] credits none of the 'one of''s own", () => {
  const [sc] = loadScenarioFile(
    file(`${HEAD}steps:
  - one of:
      answered:
        - juliet/balcony receives: <iq type='result'/>
      silent:
        - juliet/balcony receives nothing: <iq type='result'/>
          requirements: []
    requirements: [ROSTER-GET-01]
`),
  );
  const alternatives = sc.steps[0].plan.alternatives!.map((a) => [a.name, a.proves.map((p) => p.id)]);
  assert.deepEqual(alternatives, [
    ["answered", ["ROSTER-GET-01"]],
    ["silent", []],
  ]);
  // Anywhere else it is refused, saying where it belongs.
  assert.match(problem(`${HEAD}steps:\n  - juliet/balcony receives: <iq type='result'/>\n    requirements: []\n`)[2], /'requirements: \[\]' belongs to a step of a 'one of' alternative/);
});

test("polls: an IQ get with an id asked again until its answer matches; the answer's id is its own request's; anything else is refused where it is written", () => {
  const [sc] = loadScenarioFile(
    file(`${HEAD}steps:
  - juliet/balcony polls:
      ask: <iq type='get' id='q1'><query xmlns='jabber:iq:roster'/></iq>
      until: <iq type='result' id='q1'/>
`),
  );
  const [poll] = sc.steps;
  assert.equal(poll.kind, "poll");
  assert.deepEqual([poll.plan.role, poll.plan.proves.map((p) => p.id)], ["proof", ["ROSTER-GET-01"]]);
  // A set changes something each time it is asked; without an id no answer can be told apart.
  const set = problem(`${HEAD}steps:\n  - juliet/balcony polls:\n      ask: <iq type='set' id='q1'><query xmlns='jabber:iq:roster'/></iq>\n      until: <iq type='result'/>\n`);
  assert.deepEqual(set.slice(0, 2), [14, 7]);
  assert.match(set[2], /'polls' asks with an <iq type='get'> that has an id/);
  assert.match(problem(`${HEAD}steps:\n  - juliet/balcony polls:\n      ask: <iq type='get'><query xmlns='jabber:iq:roster'/></iq>\n      until: <iq type='result'/>\n`)[2], /that has an id/);
  assert.match(problem(`${HEAD}steps:\n  - juliet/balcony polls: <iq type='get' id='q1'/>\n`)[2], /ask: <iq type='get' id='…'\/>, until/);
});

test("polls while: every answer until the timeout must match; 'until' and 'while' are one or the other", () => {
  const [sc] = loadScenarioFile(
    file(`${HEAD}steps:
  - juliet/balcony polls:
      ask: <iq type='get' id='q1'><query xmlns='jabber:iq:roster'/></iq>
      while: <iq type='result' id='q1'/>
`),
  );
  const [poll] = sc.steps;
  assert.ok(poll.kind === "poll" && poll.while === "<iq type='result' id='q1'/>" && poll.until === undefined);
  assert.match(poll.text, /polls .* while <iq type='result' id='q1'\/>/);
  const both = problem(`${HEAD}steps:\n  - juliet/balcony polls:\n      ask: <iq type='get' id='q1'/>\n      until: <iq type='result'/>\n      while: <iq type='result'/>\n`);
  assert.match(both[2], /until: <a pattern of its answer\/> } or \{ ask, while/);
});

test("a check in a case citing more than one requirement names what it proves; one naming none is refused where it is written", () => {
  const two = HEAD.replace("[ROSTER-GET-01]", "[ROSTER-GET-01, ROSTER-GET-02]");
  const [line, col, detail] = problem(`${two}steps:\n  - juliet/balcony receives nothing\n`);
  assert.deepEqual([line, col], [13, 5]);
  assert.match(detail, /^steps\[0\]: this check names no requirements, so it would prove all 2 of the case's \(ROSTER-GET-01, ROSTER-GET-02\)/);
  const oneOf = `${two}steps:\n  - one of:\n      a:\n        - juliet/balcony receives nothing:\n          requirements: [ROSTER-GET-01]\n      b:\n        - juliet/chamber receives nothing:\n          requirements: [ROSTER-GET-02]\n`;
  assert.match(problem(oneOf)[2], /^steps\[0\]: this check names no requirements/, "a 'one of' too: when none of its alternatives holds, it fails what it cites");
  // Named, both load; a case citing one requirement needs no name.
  loadScenarioFile(file(`${two}steps:\n  - juliet/balcony receives nothing:\n    requirements: [ROSTER-GET-01, ROSTER-GET-02]\n`));
  loadScenarioFile(file(oneOf.replace("  - one of:\n", "  - one of:\n") + "    requirements: [ROSTER-GET-01, ROSTER-GET-02]\n"));
  loadScenarioFile(file(`${HEAD}steps:\n  - juliet/balcony receives nothing\n`));
});

test("a room's grant that the case judges on the list its steps ask for is not read back at set-up; the others are", () => {
  const head = caseHead(`  alice:\n    resources:\n      a1: {}\n  dave:\n    resources:\n      d1: {}\n  eve: {}\n`, { spec: "xep-0045", section: "9.2", requirement: "MUC-ADMIN-BANLIST-01" });
  const [sc] = loadScenarioFile(
    file(
      `${head}rooms:\n  lobby:\n    owner: alice\n    affiliations: { dave: admin, eve: outcast }\nsteps:\n  - dave sends: <iq type='get' id='l1' to='\${lobby}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='outcast'/></query></iq>\n  - dave receives: <iq type='result' id='l1'><query xmlns='http://jabber.org/protocol/muc#admin'><item jid='\${eve}'/></query></iq>\n`,
    ),
  );
  // dave's admin grant is the case's precondition (read back); eve's ban is what the case judges.
  assert.deepEqual(sc!.rooms[0]!.grantsJudged, ["eve"]);
  // The list may be written with double quotes, and in an alternative of a 'one of'.
  const [inOneOf] = loadScenarioFile(
    file(
      `${head}rooms:\n  lobby:\n    owner: alice\n    affiliations: { dave: admin, eve: outcast }\nsteps:\n  - dave sends: <iq type='get' id='l1' to='\${lobby}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='outcast'/></query></iq>\n  - one of:\n      listed:\n        - dave receives: <iq type='result' id='l1'><query xmlns="http://jabber.org/protocol/muc#admin"><item jid="\${eve}"/></query></iq>\n      refused:\n        - dave receives: <iq type='error' id='l1'/>\n`,
    ),
  );
  assert.deepEqual(inOneOf!.rooms[0]!.grantsJudged, ["eve"]);
  // A list that must not name eve judges her grant lifted: set-up must have shown it made.
  const [lifted] = loadScenarioFile(
    file(
      `${head}rooms:\n  lobby:\n    owner: alice\n    affiliations: { dave: admin, eve: outcast }\nsteps:\n  - dave sends: <iq type='get' id='l1' to='\${lobby}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='outcast'/></query></iq>\n  - dave receives: <iq type='result' id='l1'><query xmlns='http://jabber.org/protocol/muc#admin'><item jid='\${eve}' xc:absent=''/></query></iq>\n`,
    ),
  );
  assert.deepEqual(lifted!.rooms[0]!.grantsJudged, []);
  // A list naming eve after a step asked to change her affiliation judges that request: set-up must have shown the grant.
  const [changed] = loadScenarioFile(
    file(
      `${head}rooms:\n  lobby:\n    owner: alice\n    affiliations: { dave: admin, eve: outcast }\nsteps:\n  - dave sends: <iq type='set' id='s1' to='\${lobby}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='none' jid='\${eve}'/></query></iq>\n  - dave receives: <iq type='error' id='s1'/>\n  - dave sends: <iq type='get' id='l1' to='\${lobby}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='outcast'/></query></iq>\n  - dave receives: <iq type='result' id='l1'><query xmlns='http://jabber.org/protocol/muc#admin'><item jid='\${eve}'/></query></iq>\n`,
    ),
  );
  assert.deepEqual(changed!.rooms[0]!.grantsJudged, []);
});
