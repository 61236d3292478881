import { test } from "node:test";
import assert from "node:assert/strict";
import Parser from "@xmpp/xml/lib/Parser.js";
import type { Element } from "ltx";
import { matchStanza, matchValue, parsePattern } from "../src/match/pattern.ts";

/** Stanzas as the client library delivers them: children of a jabber:client stream. */
function received(xml: string): Element {
  const parser = new Parser();
  let el: Element | undefined;
  parser.on("element", (e: Element) => (el = e));
  parser.write(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>${xml}`);
  return el!;
}

const push = received(
  `<iq type='set' id='p1' to='j@d/b'><query xmlns='jabber:iq:roster' ver='7'><item jid='n@d' name='Nurse' subscription='none'><group>Servants</group></item></query></iq>`,
);

test("listed attributes must match, unlisted ones are ignored", () => {
  assert.equal(matchStanza(parsePattern(`<iq type='set'/>`), push).ok, true);
  const r = matchStanza(parsePattern(`<iq type='result'/>`), push);
  assert.equal(r.ok, false);
  assert.match(r.problems[0], /iq@type: expected 'result', got 'set'/);
});

test("names and inherited namespaces must match", () => {
  assert.equal(matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster'/></iq>`), push).ok, true);
  assert.equal(matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:private'/></iq>`), push).ok, false);
  assert.equal(matchStanza(parsePattern(`<message/>`), push).ok, false);
  // the stanza inherits jabber:client from the stream; a pattern in another namespace must not match
  assert.equal(matchStanza(parsePattern(`<iq xmlns='jabber:server'/>`), push).ok, false);
});

test("children are a subset in any order; text is compared trimmed", () => {
  const two = received(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='r@d'><group>A</group><group>B</group></item></query></iq>`);
  assert.equal(matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster'><item><group> B </group><group>A</group></item></query></iq>`), two).ok, true);
  assert.equal(matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster'><item><group>C</group></item></query></iq>`), two).ok, false);
  // one pattern child cannot be matched twice by the same actual child
  assert.equal(matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster'><item><group>A</group><group>A</group></item></query></iq>`), two).ok, false);
});

test("xc:children='exact' forbids extra children, xc:absent forbids a matching child", () => {
  const two = received(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='r@d'/><item jid='s@d'/></query></iq>`);
  assert.equal(matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster'><item jid='r@d'/></query></iq>`), two).ok, true);
  const exact = matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster' xc:children='exact'><item jid='r@d'/></query></iq>`), two);
  assert.equal(exact.ok, false);
  assert.match(exact.problems.join(), /exactly 1 child element\(s\), got 2/);
  assert.equal(matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster'><item jid='s@d' xc:absent=''/></query></iq>`), two).ok, false);
  assert.equal(matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster'><item jid='t@d' xc:absent=''/></query></iq>`), two).ok, true);
});

test("value tokens: any, absent, optional, re, capture", () => {
  const ok = (p: string) => matchStanza(parsePattern(p), push).ok;
  assert.equal(ok(`<iq id='{any}'/>`), true);
  assert.equal(ok(`<iq from='{any}'/>`), false);
  assert.equal(ok(`<iq from='{absent}'/>`), true);
  assert.equal(ok(`<iq id='{absent}'/>`), false);
  assert.equal(ok(`<iq from='{optional:j@d}'/>`), true);
  assert.equal(ok(`<iq type='{optional:get}'/>`), false);
  assert.equal(ok(`<iq id='{re:p[0-9]+}'/>`), true);
  assert.equal(ok(`<iq id='{re:p}'/>`), false, "a regular expression must match the whole value");
  const r = matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster' ver='{capture:ver}'><item><group>{capture:g}</group></item></query></iq>`), push);
  assert.deepEqual(r.captures, { ver: "7", g: "Servants" });
});

test("closeness ranks the nearly matching stanza above an unrelated one", () => {
  const pattern = parsePattern(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='n@d' subscription='remove'/></query></iq>`);
  const near = matchStanza(pattern, push);
  const far = matchStanza(pattern, received(`<presence from='x@d'/>`));
  assert.equal(near.ok, false);
  assert.ok(near.closeness > far.closeness, `${near.closeness} > ${far.closeness}`);
  assert.deepEqual(near.problems, ["iq/query/item@subscription: expected 'remove', got 'none'"]);
});

test("{not:V}: present and different; values outside elements (a stream header's) match the same tokens", () => {
  const stanza = parsePattern(`<iq type='result' id='abc.*'/>`);
  assert.equal(matchStanza(parsePattern(`<iq id='{not:xyz}'/>`), stanza).ok, true);
  assert.equal(matchStanza(parsePattern(`<iq id='{not:abc.*}'/>`), stanza).ok, false, "a captured ID with regular-expression characters compares literally");
  assert.match(matchStanza(parsePattern(`<iq to='{not:x}'/>`), stanza).problems[0], /expected a value other than 'x', got absent/);
  const caps = {};
  assert.equal(matchValue("{capture:sid}", "s1", caps), undefined);
  assert.deepEqual(caps, { sid: "s1" });
  assert.match(matchValue("{not:s1}", "s1", caps)!, /other than 's1'/);
});
