import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { guardIssue, type GuardContext } from "../../src/scenario/guard.ts";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import type { PlannedStep, Step } from "../../src/scenario/types.ts";
import { planSteps } from "../../src/scenario/compile.ts";
import { locatedError } from "../support/located.ts";
import { tempDir } from "../support/temp-dir.ts";

const base = { pos: { file: "f", line: 1, col: 1 }, text: "" };
const receive = (actor: string, xml: string, extra: Partial<Step> = {}): Step => ({ ...base, actor, kind: "receive", mode: "one", patterns: [xml], ...extra }) as Step;
const ctx = (sent: [string, string][] = [], level: GuardContext["level"] = "MUST", requirements = ["ROSTER-GET-01"]): GuardContext & { requirements: string[] } => ({
  level,
  requirements,
  sent: sent.map(([actor, xml]) => ({ actor, xml })),
});
/** The step planned as the loader plans it, in a case of the context's level and requirements. */
const flags = (step: Step, c = ctx()) => guardIssue(planSteps(c, [step])[0] as PlannedStep, c);

test("'to' on a stanza the server generates is flagged; a 'to' the sender wrote is the server's to keep", () => {
  const get: [string, string] = ["juliet/balcony", "<iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>"];
  assert.match(
    flags(receive("juliet/balcony", "<iq type='result' id='g' to='${juliet/balcony}'/>"), ctx([get]))!,
    /expects to='\$\{juliet\/balcony\}'.*may leave 'to' out of a stanza it generates \(RFC 6120 §8\.1\.1\.1\)/,
  );
  assert.equal(flags(receive("juliet/balcony", "<iq type='result' id='g'/>"), ctx([get])), undefined);
  const sent: [string, string] = ["romeo/orchard", "<message to='${juliet}' type='chat'><body>hi</body></message>"];
  assert.equal(flags(receive("juliet/balcony", "<message to='${juliet}' from='${romeo/orchard}'/>"), ctx([sent])), undefined);
  assert.match(flags(receive("juliet/balcony", "<presence to='${juliet}'/>"))!, /no stanza of the case was sent to/);
  assert.match(flags(receive("juliet/balcony", "<iq to='{absent}'/>"))!, /no rule requires 'to' to be absent/);
});

test("'id': any IQ has one, a response carries the id of the session's own request, other ids are not the server's to keep", () => {
  const get: [string, string] = ["juliet/balcony", "<iq type='get' id='g1'><query xmlns='jabber:iq:roster'/></iq>"];
  assert.equal(flags(receive("juliet/balcony", "<iq type='result' id='g1'/>"), ctx([get])), undefined);
  assert.match(flags(receive("juliet/chamber", "<iq type='result' id='g1'/>"), ctx([get]))!, /'g1' is not the id of a request juliet\/chamber sent/);
  assert.equal(flags(receive("juliet/balcony", "<iq type='set' id='{capture:p}'/>")), undefined);
  assert.match(flags(receive("juliet/balcony", "<iq type='set' id='push1'/>"))!, /chooses the 'id' of a iq of type 'set'/);
  assert.match(flags(receive("bob/b1", "<message id='m1'><body>x</body></message>"))!, /chooses the 'id' of a message/);
  assert.match(flags(receive("bob/b1", "<message id='{any}'/>"))!, /only an IQ must carry an 'id'/);
});

test("'from': routed full JIDs, subscription presence from a bare JID, IQ results from the address asked, {optional:own bare JID} on what the server sends for the account", () => {
  assert.equal(flags(receive("bob/b1", "<message from='${alice/a1}'/>")), undefined);
  assert.equal(flags(receive("bob/b1", "<presence type='subscribe' from='${alice}'/>")), undefined);
  assert.equal(flags(receive("juliet/balcony", "<iq type='set' from='{optional:${juliet}}'/>")), undefined);
  assert.match(flags(receive("juliet/balcony", "<iq type='set' from='${juliet}'/>"))!, /write from='\{optional:\$\{juliet\}\}'/);
  assert.match(flags(receive("juliet/balcony", "<iq type='result' from='{absent}'/>"))!, /no rule requires 'from' to be absent/);
  const get: [string, string] = ["alice/a1", "<iq type='get' id='v' to='nobody@${domain}'/>"];
  assert.equal(flags(receive("alice/a1", "<iq type='result' from='nobody@${domain}'/>"), ctx([get])), undefined);
  assert.match(flags(receive("alice/a1", "<iq type='error' from='nobody@${domain}'/>"), ctx([get]))!, /does not make the server stamp 'from' as 'nobody@\$\{domain\}' on a iq of type 'error'/);
  assert.equal(flags(receive("alice/a1", "<iq type='result' id='d' from='${domain}'/>"), ctx([["alice/a1", "<iq type='get' id='d' to='${domain}'/>"]])), undefined);
});

test("asserts: names what the step's rule or the case's precondition needs; 'receives nothing' patterns are never guarded", () => {
  assert.equal(flags(receive("bob/b1", "<presence id='p1' from='${alice/a1}'/>", { asserts: ["id"] })), undefined);
  assert.match(flags(receive("bob/b1", "<presence id='p1' to='${bob}'/>", { asserts: ["id"] }))!, /expects to=/);
  assert.equal(flags({ ...base, actor: "bob/b1", kind: "receive-nothing", pattern: "<presence id='p1' to='${bob}'/>" } as Step), undefined);
  const oneOf = {
    ...base,
    actor: "bob/b1",
    kind: "one-of",
    alternatives: [
      { name: "a", steps: [receive("bob/b1", "<presence id='p1'/>", { asserts: ["id"] })] },
      { name: "b", steps: [receive("bob/b1", "<message id='m'/>")] },
    ],
  } as Step;
  assert.match(flags(oneOf)!, /expects id='m'/);
});

test("a step's level may not be above the levels of the requirements it checks", () => {
  const nothing = (extra: Partial<Step> = {}) => ({ ...base, actor: "juliet/balcony", kind: "receive-nothing", ...extra }) as Step;
  assert.match(flags(nothing({ requirements: ["ROSTER-VER-09"] }))!, /level MUST is above what its requirements say \(ROSTER-VER-09 SHOULD\)/);
  assert.equal(flags(nothing({ requirements: ["ROSTER-VER-09"], level: "SHOULD" })), undefined);
  assert.equal(flags(nothing({ requirements: ["ROSTER-VER-09", "ROSTER-VER-08"] })), undefined, "one MUST requirement is enough");
  assert.equal(flags(nothing(), ctx([], "MUST", ["ROSTER-PUSH-04"])), undefined, "a derived MUST is still a MUST here: gradeFor lowers it at run time");
  assert.match(flags(nothing(), ctx([], "MUST", ["ROSTER-DEL-07"]))!, /ROSTER-DEL-07 MAY/);
  assert.equal(flags({ ...base, actor: "juliet/balcony", kind: "send", xml: "<iq/>" } as Step, ctx([], "MUST", ["ROSTER-DEL-07"])), undefined);
});

test("validate fails on a guarded step, at the step, and accepts it with asserts", () => {
  const dir = tempDir("xc-guard-");
  const doc = (extra: string) => `id: g
title: G
rfc: "2.1.4"
level: MUST
requirements: [ROSTER-GET-02]
accounts:
  juliet:
    resources:
      balcony: {}
steps:
  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony receives: <iq type='result' id='g' to='\${juliet/balcony}'/>
${extra}`;
  const f = path.join(dir, "g.yaml");
  writeFileSync(f, doc(""));
  const [line, col, detail] = locatedError(f, loadScenarioFile);
  assert.deepEqual([line, col], [12, 30]);
  assert.match(detail, /^steps\[1\]: juliet\/balcony expects to='\$\{juliet\/balcony\}' on a <iq\/>, but .*'asserts: \[to\]'/);
  writeFileSync(f, doc("    asserts: [to]\n"));
  assert.equal(loadScenarioFile(f).length, 1);
  writeFileSync(f, doc("    asserts: [type]\n"));
  assert.match(locatedError(f, loadScenarioFile)[2], /only requirements, level, timeout, wait, asserts, setup, refused, also, given, order, earliest, unanswered, since, label, after and when/);
});

test("an error a room of the case returns: above SHOULD, any address of the room, since the address swap is a SHOULD (RFC 6120 §8.3.1)", () => {
  const inRoom = { ...ctx(), rooms: ["lobby"] };
  assert.match(
    flags(receive("bob/b1", "<presence type='error' from='${lobby/Bob}'/>"), inRoom)!,
    /the room returns this error itself.*SHOULD swap the addresses: .*from='\{re:\$\{lobby\}\(\/\.\*\)\?\}'/,
  );
  assert.match(flags(receive("bob/b1", "<presence type='error' from='${lobby}/Bob'/>"), inRoom)!, /the room returns this error itself/);
  assert.equal(flags(receive("bob/b1", "<presence type='error' from='{re:${lobby}(/.*)?}'/>"), inRoom), undefined);
  assert.equal(flags(receive("bob/b1", "<presence type='error' from='${lobby/Bob}'/>", { level: "SHOULD" }), inRoom), undefined);
  assert.equal(flags(receive("bob/b1", "<presence type='error' from='${lobby/Bob}'/>", { asserts: ["from"] }), inRoom), undefined);
  // An occupant's own presence is the room's routing, and an error routed from another client keeps its full JID (§8.1.2.1).
  assert.equal(flags(receive("bob/b1", "<presence from='${lobby/Bob}'/>"), inRoom), undefined);
  assert.equal(flags(receive("juliet/balcony", "<message type='error' from='${romeo/orchard}'/>"), inRoom), undefined);
});
