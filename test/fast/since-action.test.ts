import { test } from "node:test";
import assert from "node:assert/strict";
import { Element } from "ltx";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { findNow, sinceAction } from "../../src/run/expect.ts";
import type { Received } from "../../src/xmpp/connections/inbox.ts";
import { locatedError } from "../support/located.ts";
import { tempFiles } from "../support/temp-files.ts";
import { julietAtBalcony } from "../support/scenario-head.ts";

// `since: action` on a 'receives' (docs/scenario-language.md): the answer to the step's preceding action is what
// arrived after it. XEP-0198 §4 lets a server send an <a/> unasked at any time, so the <a/> answering an <r/> is
// the first one that came after the <r/> was sent, not the first one not yet matched.
const file = tempFiles("since");
const HEAD = `${julietAtBalcony("{ roster: true }")}steps:
`;
const SM = "urn:xmpp:sm:3";
const a = (h: string, at: number, seq: number): Received => ({ el: new Element("a", { xmlns: SM, h }), at, seq, consumed: false });

test("since: action is read on a 'receives', and refused on other steps and inside 'one of'", () => {
  const [sc] = loadScenarioFile(
    file(`${HEAD}  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>\n  - juliet/balcony receives: <iq type='result' id='g'/>\n    since: action\n`),
  );
  assert.equal(sc.steps[1].since, "action");
  assert.equal(sc.steps[0].since, undefined);
  assert.match(locatedError(file(`${HEAD}  - juliet/balcony sends: <iq type='get' id='g'/>\n    since: action\n`), loadScenarioFile)[2], /'since' belongs to a 'receives' step/);
  assert.match(locatedError(file(`${HEAD}  - juliet/balcony receives nothing:\n    since: action\n`), loadScenarioFile)[2], /'since' belongs to a 'receives' step/);
  assert.match(
    locatedError(
      file(`${HEAD}  - one of:\n      x:\n        - juliet/balcony receives: <iq type='result'/>\n          since: action\n      y:\n        - juliet/balcony receives nothing\n`),
      loadScenarioFile,
    )[2],
    /alternative 'x', step 0: 'since' belongs to a 'receives' step outside 'one of'/,
  );
  assert.match(locatedError(file(`${HEAD}  - juliet/balcony receives: <iq/>\n    since: later\n`), loadScenarioFile)[2], /since/);
});

// `since: LABEL` on a 'receives nothing': only what arrived after the stanzas the labelled 'receives' matched
// (XEP-0352 §5.1: what an <active/> flushes comes before the answer to the client's next request).
test("since: LABEL is read on a 'receives nothing' or a 'receives' after a labelled 'receives' of the same actor, with after: LABEL", () => {
  const ok = `${HEAD}  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony receives: <iq type='result' id='g'/>
    label: pong
`;
  const [sc] = loadScenarioFile(
    file(`${ok}  - juliet/balcony receives nothing: <presence/>
    since: pong
    after: pong
`),
  );
  assert.equal(sc.steps[2].since, "pong");
  assert.match(
    locatedError(
      file(`${ok}  - juliet/balcony receives nothing: <presence/>
    since: pong
`),
      loadScenarioFile,
    )[2],
    /needs 'after: pong'/,
  );
  assert.match(
    locatedError(
      file(`${ok}  - juliet/balcony receives nothing: <presence/>
    since: ping
    after: pong
`),
      loadScenarioFile,
    )[2],
    /no earlier 'receives' step of juliet\/balcony is labelled 'ping'/,
  );
  // A 'receives' takes it too (what a server sent twice for an earlier event is not taken for a later one); a 'receives one of' does not.
  const [later] = loadScenarioFile(
    file(`${ok}  - juliet/balcony receives: <presence/>
    since: pong
    after: pong
`),
  );
  assert.equal(later.steps[2].since, "pong");
  assert.match(
    locatedError(
      file(`${ok}  - juliet/balcony receives one of:
      a: <presence/>
      b: <message/>
    since: pong
    after: pong
`),
      loadScenarioFile,
    )[2],
    /'since: LABEL' belongs to a 'receives' or 'receives nothing' step/,
  );
});

test("an <a/> that came before the <r/> was sent is no answer to it: the first one after the action is", () => {
  const pattern = [new Element("a", { xmlns: SM })];
  // An unasked <a/> (h 1) before the action at 8, the answer (h 3) after it.
  const inbox = [a("1", 5, 0), a("3", 10, 1)];
  assert.equal(findNow(inbox, pattern, "one", {})?.picked[0].el.attrs.h, "1", "without it, the first not yet matched");
  assert.equal(findNow(sinceAction(inbox, 8), pattern, "one", {})?.picked[0].el.attrs.h, "3");
  // Nothing came after the <r/>: nothing is taken, however right the earlier count was.
  assert.equal(findNow(sinceAction([a("3", 5, 0)], 8), pattern, "one", {}), undefined);
  // The same tenth of a millisecond as the action, but earlier in the connection's arrival order: not an answer.
  const before = (seq: number) => seq < 1;
  assert.deepEqual(
    sinceAction([a("1", 8, 0), a("3", 8, 1)], 8, before).map((r) => r.el.attrs.h),
    ["3"],
  );
});
