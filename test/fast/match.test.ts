import { test } from "node:test";
import assert from "node:assert/strict";
import Parser from "@xmpp/xml/lib/Parser.js";
import path from "node:path";
import type { Element } from "ltx";
import { matchStanza, matchValue, parsePattern, unknownPatternAttr } from "../../src/match/pattern.ts";
import { fill } from "../../src/match/template.ts";
import { loadSuite } from "../../src/scenario/load.ts";
import { ROOT } from "../support/cli.ts";

/** Stanzas as the client library delivers them: children of a jabber:client stream. */
function received(xml: string): Element {
  const parser = new Parser();
  let el: Element | undefined;
  parser.on("element", (e: Element) => (el = e));
  parser.write(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>${xml}`);
  return el!;
}

const push = received(`<iq type='set' id='p1' to='j@d/b'><query xmlns='jabber:iq:roster' ver='7'><item jid='n@d' name='Nurse' subscription='none'><group>Servants</group></item></query></iq>`);

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
  // and a miss says so: a caller that reads the problems (a stream's features) must not take it for a match
  const three = matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster'><item><group/><group/><group/></item></query></iq>`), two);
  assert.equal(three.ok, false);
  assert.match(three.problems.join(" "), /expected 3 different child elements \(<group\/>, <group\/>, <group\/>\), got 2 that match them/);
});

test("xc:text='raw' compares the element's own text untrimmed", () => {
  const challenge = (text: string) => received(`<challenge xmlns='urn:xmpp:sasl:2'>${text}</challenge>`);
  const raw = parsePattern(`<challenge xmlns='urn:xmpp:sasl:2' xc:text='raw'>{re:[A-Za-z0-9+/]+=*}</challenge>`);
  const trimmed = parsePattern(`<challenge xmlns='urn:xmpp:sasl:2'>{re:[A-Za-z0-9+/]+=*}</challenge>`);
  assert.equal(matchStanza(raw, challenge("cj0xMg==")).ok, true);
  assert.equal(matchStanza(raw, challenge("\n  cj0xMg==\n")).ok, false);
  assert.equal(matchStanza(trimmed, challenge("\n  cj0xMg==\n")).ok, true, "without it the text is trimmed");
  assert.equal(matchStanza(raw, challenge("cj0x\nMg==")).ok, false);
});

test("xc:children='exact' forbids extra children, xc:absent forbids a matching child", () => {
  const two = received(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='r@d'/><item jid='s@d'/></query></iq>`);
  assert.equal(matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster'><item jid='r@d'/></query></iq>`), two).ok, true);
  const exact = matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster' xc:children='exact'><item jid='r@d'/></query></iq>`), two);
  assert.equal(exact.ok, false);
  assert.match(exact.problems.join(), /exactly 1 child element\(s\), got 2/);
  assert.equal(matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster'><item jid='s@d' xc:absent=''/></query></iq>`), two).ok, false);
  assert.equal(matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster'><item jid='t@d' xc:absent=''/></query></iq>`), two).ok, true);
  // A forbidden element with children is forbidden for holding them: the failure says what it held.
  const holding = matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster' xc:absent=''><item jid='s@d'/></query></iq>`), two);
  assert.equal(holding.ok, false);
  assert.match(holding.problems.join(), /expected no <query xmlns='jabber:iq:roster'\/> holding <item jid='s@d'\/>, got <query/);
});

test("xc:most='N' lets at most N children match (XEP-0359 §3: at most one <stanza-id/> by one address)", () => {
  const sid = (ids: string) => received(`<message><body>x</body>${ids}</message>`);
  const once = parsePattern(`<message><stanza-id xmlns='urn:xmpp:sid:0' by='a@d' xc:most='1'/></message>`);
  assert.equal(matchStanza(once, sid("")).ok, true, "none is at most one");
  assert.equal(matchStanza(once, sid(`<stanza-id xmlns='urn:xmpp:sid:0' by='a@d' id='1'/><stanza-id xmlns='urn:xmpp:sid:0' by='b@d' id='2'/>`)).ok, true);
  const twice = matchStanza(once, sid(`<stanza-id xmlns='urn:xmpp:sid:0' by='a@d' id='1'/><stanza-id xmlns='urn:xmpp:sid:0' by='a@d' id='2'/>`));
  assert.equal(twice.ok, false);
  assert.match(twice.problems.join(), /at most 1 <stanza-id\b.*got 2/);
});

test("xc:children='some' asks for a child element or text; with xc:absent no element of that name may have one", () => {
  const info = (feature: string) => received(`<iq type='result'><query xmlns='http://jabber.org/protocol/disco#info'><feature var='a'/>${feature}</query></iq>`);
  const none = parsePattern(`<iq><query xmlns='http://jabber.org/protocol/disco#info'><feature xc:children='some' xc:absent=''/></query></iq>`);
  assert.equal(matchStanza(none, info(`<feature var='b'/>`)).ok, true);
  assert.equal(matchStanza(none, info(`<feature var='b'><x xmlns='urn:example'/></feature>`)).ok, false);
  assert.equal(matchStanza(none, info(`<feature var='b'>text</feature>`)).ok, false);
  assert.equal(matchStanza(none, info(`<feature var='b'> </feature>`)).ok, true, "whitespace is no child");
  assert.equal(matchStanza(parsePattern(`<iq><query xmlns='http://jabber.org/protocol/disco#info' xc:children='some'/></iq>`), info("")).ok, true);
});

test("value tokens: any, absent, optional, re, min, capture", () => {
  const ok = (p: string) => matchStanza(parsePattern(p), push).ok;
  assert.equal(ok(`<iq id='{any}'/>`), true);
  assert.equal(ok(`<iq from='{any}'/>`), false);
  assert.equal(ok(`<iq from='{absent}'/>`), true);
  assert.equal(ok(`<iq id='{absent}'/>`), false);
  assert.equal(ok(`<iq from='{optional:j@d}'/>`), true);
  assert.equal(ok(`<iq type='{optional:get}'/>`), false);
  assert.equal(ok(`<iq id='{re:p[0-9]+}'/>`), true);
  assert.equal(ok(`<iq id='{re:p}'/>`), false, "a regular expression must match the whole value");
  assert.equal(matchValue("{min:2048}", "2048", {}), undefined);
  assert.equal(matchValue("{min:2048}", "4096", {}), undefined);
  assert.match(matchValue("{min:2048}", "1024", {}) ?? "", /at least 2048, got '1024'/);
  assert.match(matchValue("{min:2048}", "large", {}) ?? "", /whole number/);
  assert.match(matchValue("{min:2048}", undefined, {}) ?? "", /got absent/);
  const r = matchStanza(parsePattern(`<iq><query xmlns='jabber:iq:roster' ver='{capture:ver}'><item><group>{capture:g}</group></item></query></iq>`), push);
  assert.deepEqual(r.captures, { ver: "7", g: "Servants" });
});

test("a placeholder inside {re:…} is a literal of the regular expression: a generated resource with '+' matches itself only", () => {
  const bindings = { juliet: "juliet@local.host", "juliet/c1": "juliet@local.host/conform~Kp0+rD" };
  const only = parsePattern(fill(`<success><authorization-identifier>{re:(?:\${juliet}|\${juliet/c1})}</authorization-identifier></success>`, bindings));
  const aid = (v: string) => received(`<success><authorization-identifier>${v}</authorization-identifier></success>`);
  assert.equal(matchStanza(only, aid("juliet@local.host/conform~Kp0+rD")).ok, true);
  assert.equal(matchStanza(only, aid("juliet@local.host/conform~Kp00rD")).ok, false, "'+' is not a quantifier");
  assert.equal(matchStanza(only, aid("juliet@localXhost")).ok, false, "'.' is not any character");
  assert.equal(fill("{re:${d}/.*}", { d: "a.example" }, false), "{re:a\\.example/.*}", "a value that is not XML is one value");
  assert.match(fill("${u|sha1}", { u: "r1-7" }), /^[A-Za-z0-9+/]{27}=$/, "a 'ver' of XEP-0115's form: base64 of a SHA-1 digest");
  assert.equal(fill("${put|origin}/x", { put: "https://127.0.0.1:5281/upload/abc/f.txt?v=1" }), "https://127.0.0.1:5281/x", "a URL's server, outside every path it names");
  assert.equal(fill("<a x='${juliet/c1}'/>", bindings), "<a x='juliet@local.host/conform~Kp0+rD'/>", "outside {re:…} a value is as it is");
});

test("closeness ranks the message with the asserted body and a forbidden child above one with another body", () => {
  const pattern = parsePattern(`<message><body>spoofed</body><x xmlns='http://jabber.org/protocol/muc#user' xc:absent=''/></message>`);
  const forbiddenChild = matchStanza(pattern, received(`<message><body>spoofed</body><x xmlns='http://jabber.org/protocol/muc#user'/></message>`));
  const otherBody = matchStanza(pattern, received(`<message><body>plain</body></message>`));
  assert.equal(forbiddenChild.ok, false);
  assert.ok(forbiddenChild.closeness > otherBody.closeness, `${forbiddenChild.closeness} > ${otherBody.closeness}`);
});

test("closeness ranks the nearly matching stanza above an unrelated one", () => {
  const pattern = parsePattern(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='n@d' subscription='remove'/></query></iq>`);
  const near = matchStanza(pattern, push);
  const far = matchStanza(pattern, received(`<presence from='x@d'/>`));
  assert.equal(near.ok, false);
  assert.ok(near.closeness > far.closeness, `${near.closeness} > ${far.closeness}`);
  assert.deepEqual(near.problems, ["iq/query/item@subscription: expected 'remove', got 'none'"]);
});

test("an element is its namespace and local name, whatever prefix the server chose", () => {
  const prefixed = received(`<iq type='result' id='r1'><r:query xmlns:r='jabber:iq:roster' ver='3'><r:item jid='n@d' subscription='none'/></r:query></iq>`);
  const pattern = parsePattern(`<iq type='result'><query xmlns='jabber:iq:roster' ver='{capture:v}' xc:children='exact'><item jid='n@d'/></query></iq>`);
  const r = matchStanza(pattern, prefixed);
  assert.equal(r.ok, true, r.problems.join("; "));
  assert.deepEqual(r.captures, { v: "3" });
  // a prefix declared on the stanza, and a prefixed pattern against a default namespace
  assert.equal(matchStanza(pattern, received(`<iq xmlns:x='jabber:iq:roster' type='result'><x:query ver='3'><x:item jid='n@d'/></x:query></iq>`)).ok, true);
  assert.equal(matchStanza(parsePattern(`<iq><q:query xmlns:q='jabber:iq:roster'><q:item jid='n@d'/></q:query></iq>`), push).ok, true);
  // the same local name in another namespace is another element, prefix or not
  assert.equal(matchStanza(pattern, received(`<iq type='result'><r:query xmlns:r='jabber:iq:private'><r:item jid='n@d'/></r:query></iq>`)).ok, false);
  assert.match(matchStanza(pattern, received(`<iq type='result'><query xmlns='jabber:iq:roster' xmlns:p='urn:other'><p:item jid='n@d'/></query></iq>`)).problems.join(), /item/);
  // stanza-level: a prefixed extension child of a message
  const msg = received(`<message from='a@d/r' xmlns:d='urn:xmpp:delay'><body>hi</body><d:delay stamp='2020-01-01T00:00:00Z'/></message>`);
  assert.equal(matchStanza(parsePattern(`<message><body>hi</body><delay xmlns='urn:xmpp:delay'/></message>`), msg).ok, true);
});

test("attributes are compared by namespace and name: order, quoting, empty-element form and whitespace never matter", () => {
  const pattern = parsePattern(`<iq type='result' id='a'><query xmlns='jabber:iq:roster' xc:children='exact'><item jid='n@d'/></query></iq>`);
  for (const form of [
    `<iq id="a" type="result"><query xmlns="jabber:iq:roster"><item jid="n@d"></item></query></iq>`,
    `<iq type='result'\n    id='a'>\n  <query xmlns='jabber:iq:roster'>\n    <item jid='n@d'/>\n  </query>\n</iq>`,
  ])
    assert.equal(matchStanza(pattern, received(form)).ok, true, form);
  // namespaced attributes: the prefix is the sender's choice, the namespace is not
  const ext = parsePattern(`<message><x xmlns='urn:x' xmlns:b='urn:attr' b:flag='1'/></message>`);
  assert.equal(matchStanza(ext, received(`<message><x xmlns='urn:x' xmlns:a='urn:attr' a:flag='1'/></message>`)).ok, true);
  assert.equal(matchStanza(ext, received(`<message><x xmlns='urn:x' flag='1'/></message>`)).ok, false);
  const lang = received(`<presence><status xml:lang='cs'>ahoj</status></presence>`);
  assert.equal(matchStanza(parsePattern(`<presence><status xml:lang='cs'>ahoj</status></presence>`), lang).ok, true);
  assert.equal(matchStanza(parsePattern(`<presence><status xml:lang='en'>ahoj</status></presence>`), lang).ok, false);
});

test("whitespace between stanzas is not part of either", () => {
  const parser = new Parser();
  const got: Element[] = [];
  parser.on("element", (e: Element) => got.push(e));
  parser.write(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>\n  <presence from='a@d/r'/>\n\n\t<message from='a@d/r'><body>x</body></message>  `);
  assert.deepEqual(
    got.map((e) => e.name),
    ["presence", "message"],
  );
  assert.equal(matchStanza(parsePattern(`<message from='a@d/r' xc:children='exact'><body>x</body></message>`), got[1]).ok, true);
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

test("xc:children='only:…': no child of the element's own namespace but the names listed; other namespaces are extensions", () => {
  const pattern = parsePattern(`<iq><query xmlns='jabber:iq:register' xc:children='only:instructions username password'/></iq>`);
  const form = (inner: string) => parsePattern(`<iq type='result'><query xmlns='jabber:iq:register'>${inner}</query></iq>`);
  assert.equal(matchStanza(pattern, form(`<username/><password/>`)).ok, true);
  assert.equal(matchStanza(pattern, form(`<username/><x xmlns='jabber:x:data' type='form'/>`)).ok, true);
  const r = matchStanza(pattern, form(`<username/><favourite-colour/>`));
  assert.equal(r.ok, false);
  assert.match(r.problems[0], /expected no child of its own namespace but instructions, username, password, got <favourite-colour\/>/);
});

test("{media:TYPE}: an HTTP media type as HTTP compares it, names and a charset in any case, parameters in any order", () => {
  const caps = {};
  for (const same of ["text/xml; charset=utf-8", "Text/XML;charset=UTF-8", 'text/xml ; charset="utf-8"']) assert.equal(matchValue("{media:text/xml; charset=utf-8}", same, caps), undefined, same);
  for (const other of ["text/plain; charset=utf-8", "text/xml", "text/xml; charset=iso-8859-1", "not a type"])
    assert.match(matchValue("{media:text/xml; charset=utf-8}", other, caps) ?? "", /expected the media type text\/xml; charset=utf-8/, other);
  assert.match(matchValue("{media:text/xml}", undefined, caps) ?? "", /got absent/);
});

test("xc:capture keeps an element whole and xc:same asks for the same one: order of attributes and prefixes aside, not of children", () => {
  const first = received(`<message id='1'><x xmlns='urn:x' b='2' a='1'><i>one</i><i>two</i></x></message>`);
  const r = matchStanza(parsePattern(`<message><x xmlns='urn:x' xc:capture='x'/></message>`), first);
  assert.equal(r.ok, true);
  const same = (xml: string) => matchStanza(parsePattern(`<message><x xmlns='urn:x' xc:same='${r.captures.x.replace(/'/g, "&apos;").replace(/</g, "&lt;")}'/></message>`), received(xml));
  assert.equal(same(`<message id='2'><p:x xmlns:p='urn:x' a='1' b='2'> <p:i>one</p:i> <p:i>two</p:i></p:x></message>`).ok, true);
  const reordered = same(`<message><x xmlns='urn:x' a='1' b='2'><i>two</i><i>one</i></x></message>`);
  assert.equal(reordered.ok, false);
  assert.match(reordered.problems[0], /message\/x: expected the same element as before/);
  assert.equal(same(`<message><x xmlns='urn:x' a='1' b='3'><i>one</i><i>two</i></x></message>`).ok, false);
  const other = (xml: string) => matchStanza(parsePattern(`<message><x xmlns='urn:x' xc:other='${r.captures.x.replace(/'/g, "&apos;").replace(/</g, "&lt;")}'/></message>`), received(xml)).ok;
  assert.equal(other(`<message><x xmlns='urn:x' a='1' b='2'><i>two</i><i>one</i></x></message>`), true);
  assert.equal(other(`<message><x xmlns='urn:x' b='2' a='1'><i>one</i><i>two</i></x></message>`), false);
});

test("xc:order='ignore' compares children as a set, xc:compare='NAMES' only the children so named", () => {
  const esc = (v: string) => v.replace(/'/g, "&apos;").replace(/</g, "&lt;");
  const keep = (attrs: string, xml: string) => matchStanza(parsePattern(`<features><a xmlns='urn:a' xc:capture='a' ${attrs}/></features>`), received(xml)).captures.a;
  const test = (op: string, attrs: string, captured: string, xml: string) =>
    matchStanza(parsePattern(`<features><a xmlns='urn:a' xc:${op}='${esc(captured)}' ${attrs}/></features>`), received(xml)).ok;
  const one = `<features><a xmlns='urn:a'><m>X</m><m>Y</m><inline/></a></features>`;
  const set = keep("xc:order='ignore'", one);
  assert.equal(test("same", "xc:order='ignore'", set, `<features><a xmlns='urn:a'><inline/><m>Y</m><m>X</m></a></features>`), true);
  assert.equal(test("same", "xc:order='ignore'", set, `<features><a xmlns='urn:a'><m>Y</m><inline/></a></features>`), false, "one mechanism fewer");
  const mechanisms = keep("xc:compare='m'", one);
  assert.equal(test("other", "xc:compare='m'", mechanisms, `<features><a xmlns='urn:a'><m>Y</m><m>X</m><inline/></a></features>`), true, "reordered");
  assert.equal(test("other", "xc:compare='m'", mechanisms, `<features><a xmlns='urn:a'><m>X</m><m>Y</m><inline><b/></inline></a></features>`), false, "only another child differs");

  // XEP-0030 §6.3: the same identity is its category and type; a name, a language or a second language's copy is not.
  const ids = `<features><a xmlns='urn:a'><identity category='server' type='im' name='One'/><feature var='f'/></a></features>`;
  const chosen = keep("xc:compare='identity[category,type]' xc:order='ignore'", ids);
  const same = (xml: string) => test("same", "xc:compare='identity[category,type]' xc:order='ignore'", chosen, xml);
  assert.equal(
    same(`<features><a xmlns='urn:a'><identity type='im' category='server' name='Eins' xml:lang='de'/><identity category='server' type='im' name='One'/></a></features>`),
    true,
    "named and repeated otherwise",
  );
  assert.equal(same(`<features><a xmlns='urn:a'><identity category='server' type='pep'/></a></features>`), false, "another type");
  assert.equal(same(`<features><a xmlns='urn:a'><identity category='server' type='im'/><identity category='pubsub' type='pep'/></a></features>`), false, "one identity more");
  assert.equal(unknownPatternAttr(parsePattern(`<a xmlns='urn:a' xc:compare='identity[category type]'/>`)), "compare='identity[category type]'");

  // xc:compare='a/m': of each <a/>, only its <m/> children (SASL2's mechanisms as a set, whatever its <inline/> holds).
  const outer = (attrs: string, xml: string) => matchStanza(parsePattern(`<features xc:capture='f' ${attrs}/>`), received(xml)).captures.f;
  const nested = "xc:compare='a/m' xc:order='ignore'";
  const mset = outer(nested, one);
  const sameSet = (xml: string) => matchStanza(parsePattern(`<features xc:same='${esc(mset)}' ${nested}/>`), received(xml)).ok;
  assert.equal(sameSet(`<features><a xmlns='urn:a'><m>Y</m><m>X</m><inline><b/></inline></a><other/></features>`), true, "inline and other children aside");
  assert.equal(sameSet(`<features><a xmlns='urn:a'><m>Y</m><inline/></a></features>`), false, "one mechanism fewer");
  assert.equal(unknownPatternAttr(parsePattern(`<a xmlns='urn:a' xc:compare='a/m/n'/>`)), "compare='a/m/n'");
});

test("{after:DATETIME}: a XEP-0082 DateTime later than that one", () => {
  const caps = {};
  assert.equal(matchValue("{after:2026-11-25T02:34:16Z}", "2026-11-25T02:34:17Z", caps), undefined);
  assert.equal(matchValue("{after:2026-11-25T02:34:16Z}", "2026-11-25T02:34:16.5Z", caps), undefined);
  for (const v of ["2026-11-25T02:34:16Z", "2026-11-25T02:34:15Z", "tomorrow"]) assert.match(matchValue("{after:2026-11-25T02:34:16Z}", v, caps) ?? "", /expected a date and time later than/, v);
});

test("{re:…} counts characters, not UTF-16 code units: a character outside the BMP is one (XEP-0421 §4.1's 128 characters)", () => {
  const astral = "\u{1F623}";
  const id = (n: number) => received(`<presence><occupant-id xmlns='urn:xmpp:occupant-id:0' id='${astral.repeat(n)}'/></presence>`);
  const atMost128 = parsePattern(`<presence><occupant-id xmlns='urn:xmpp:occupant-id:0' id='{re:[\\s\\S]{1,128}}'/></presence>`);
  assert.equal(matchStanza(atMost128, id(100)).ok, true, "100 characters, 200 code units");
  assert.equal(matchStanza(atMost128, id(128)).ok, true);
  assert.equal(matchStanza(atMost128, id(129)).ok, false);
  assert.equal(matchValue("{re:.}", astral, {}), undefined, "'.' is one character");
  assert.notEqual(matchValue("{re:[^a]{2}}", astral, {}), undefined, "a surrogate pair is not two characters");
  assert.equal(matchValue("{re:.{3}}", "a\u00e9b", {}), undefined, "within the BMP a character is a code unit, as before");
});

test("every {re:…} of the shipped scenarios is a regular expression over characters, its placeholders filled", () => {
  // Any value, with the characters a placeholder in {re:…} must escape ('.', '+', '/'): the JIDs the harness binds.
  const value = "u.ser+1@do.main/re.s+1";
  const bindings = new Proxy({} as Record<string, string>, { get: () => value });
  const sources: string[] = [];
  const tokens = (el: Element) => {
    for (const v of Object.values(el.attrs)) if (String(v).startsWith("{re:")) sources.push(String(v));
    for (const c of el.children) {
      if (typeof c === "string") {
        if (c.trim().startsWith("{re:")) sources.push(c.trim());
      } else tokens(c);
    }
  };
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      if (!v.includes("{re:")) return;
      let el: Element | undefined;
      try {
        el = parsePattern(fill(v, bindings));
      } catch {
        sources.push(fill(v, bindings, false)); // a value outside XML (a stream header's, an HTTP header's)
      }
      if (el) tokens(el);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  for (const sc of loadSuite([path.join(ROOT, "scenarios")]).scenarios) visit(sc.steps);
  assert.ok(sources.length > 300, `${sources.length} {re:…} values found`);
  for (const s of sources) {
    // It compiles ('u' refuses what the legacy syntax let pass, such as a lone '{' or an escaped ':'), and it is checked.
    assert.doesNotThrow(() => matchValue(s, value, {}), `${s} is a regular expression in 'u' mode`);
  }
});

test("{now:SECONDS}: a XEP-0082 DateTime within that many seconds of the check's clock, either way", () => {
  const caps = {};
  const at = (ms: number) => new Date(Date.now() + ms).toISOString();
  for (const v of [at(0), at(-50_000), at(50_000)]) assert.equal(matchValue("{now:60}", v, caps), undefined, v);
  for (const v of [at(-70_000), at(70_000), "2001-01-01T00:00:00Z", "now", undefined]) assert.match(matchValue("{now:60}", v, caps) ?? "", /within 60 s of now/, String(v));
  assert.equal(matchValue("{now:soon}", "{now:soon}", caps), undefined, "not a number of seconds: a literal");
});

test("{epoch-now:SECONDS}: digits that read as the check's clock since 1970 in s, ms, µs or ns", () => {
  const caps = {};
  const ms = BigInt(Date.now());
  for (const v of [ms / 1000n, ms, ms * 1000n, ms * 1_000_000n, ms - 86_400_000n]) assert.equal(matchValue("{epoch-now:31622400}", String(v), caps), undefined, String(v));
  // A year and more away, a counter, another form: not the time now.
  for (const v of [ms - 40_000_000_000n, (ms + 40_000_000_000n) * 1000n, 42n, "a1b2"]) assert.match(matchValue("{epoch-now:31622400}", String(v), caps) ?? "", /read as the time now/, String(v));
  assert.match(matchValue("{epoch-now:60}", String(ms - 120_000n), caps) ?? "", /within 60 s/);
});

test("{uint} and {uint:N}: an xs:unsignedInt in any lexical form, compared by value (fifty-eighth audit)", () => {
  for (const v of ["5", "05", "+5", "+0005", " 5 ", "\t5\n"]) assert.equal(matchValue("{uint:5}", v, {}), undefined, JSON.stringify(v));
  for (const v of ["0", "+0", "-0", "000"]) assert.equal(matchValue("{uint:0}", v, {}), undefined, v);
  assert.equal(matchValue("{uint:+05}", "5", {}), undefined, "the expected value is read as a lexical form too");
  for (const v of ["6", "-5", "5.0", "0x5", "five", "", "4294967296"]) assert.match(matchValue("{uint:5}", v, {}) ?? "", /whose value is 5/, JSON.stringify(v));
  assert.match(matchValue("{uint:5}", undefined, {}) ?? "", /got absent/);
  assert.match(matchValue("{uint:x}", "5", {}) ?? "", /which is none/);
  for (const v of ["0", "+7", " 4294967295 "]) assert.equal(matchValue("{uint}", v, {}), undefined, v);
  for (const v of ["-1", "a", "4294967296"]) assert.match(matchValue("{uint}", v, {}) ?? "", /expected an xs:unsignedInt, got/, v);
  assert.equal(matchValue("{uintx}", "{uintx}", {}), undefined, "not a token: a literal");
  const a = received(`<a xmlns='urn:xmpp:sm:3' h='+07'/>`);
  assert.equal(matchStanza(parsePattern(`<a xmlns='urn:xmpp:sm:3' h='{uint:7}'/>`), a).ok, true);
  assert.equal(matchStanza(parsePattern(`<a xmlns='urn:xmpp:sm:3' h='{uint:8}'/>`), a).ok, false);
});

test("{uint-min:N}: an xs:unsignedInt in any lexical form whose value is at least N's (seventy-first audit)", () => {
  for (const v of ["2", "+02", " 3 ", "10", "4294967295"]) assert.equal(matchValue("{uint-min:2}", v, {}), undefined, JSON.stringify(v));
  for (const v of ["1", "+01", "0", "-3", "two", "4294967296"]) assert.match(matchValue("{uint-min:2}", v, {}) ?? "", /whose value is at least 2/, JSON.stringify(v));
  assert.equal(matchValue("{optional:{uint-min:2}}", undefined, {}), undefined);
  assert.match(matchValue("{uint-min:x}", "5", {}) ?? "", /at least 'x', which is none/);
});

test("{int}, {int:N} and {optional:{TOKEN}}: an xs:int compared by value, absent allowed (fifty-ninth audit)", () => {
  for (const v of ["1", "01", "+1", " 1 ", "+0001"]) assert.equal(matchValue("{int:1}", v, {}), undefined, JSON.stringify(v));
  for (const v of ["0", "-0", "+0", "00"]) assert.equal(matchValue("{int:0}", v, {}), undefined, v);
  assert.equal(matchValue("{int:-3}", "-03", {}), undefined);
  for (const v of ["2", "-1", "1.0", "one", "", "2147483648"]) assert.match(matchValue("{int:1}", v, {}) ?? "", /xs:int whose value is 1/, JSON.stringify(v));
  for (const v of ["-2147483648", "2147483647", "+3"]) assert.equal(matchValue("{int}", v, {}), undefined, v);
  assert.match(matchValue("{int}", "x", {}) ?? "", /expected an xs:int, got/);
  assert.equal(matchValue("{intx}", "{intx}", {}), undefined, "not a token: a literal");
  assert.equal(matchValue("{optional:{int:1}}", undefined, {}), undefined);
  assert.equal(matchValue("{optional:{int:1}}", "01", {}), undefined);
  assert.match(matchValue("{optional:{int:1}}", "2", {}) ?? "", /whose value is 1.*\(or absent\)/);
  assert.equal(matchValue("{optional:{x}}", "{x}", {}), undefined, "a literal in braces stays a literal");
  assert.match(matchValue("{optional:1}", "01", {}) ?? "", /expected '1' or absent/, "a plain value is still compared literally");
  const first = received(`<set xmlns='http://jabber.org/protocol/rsm'><first index='+1'>x</first><count> 3 </count></set>`);
  assert.equal(matchStanza(parsePattern(`<set xmlns='http://jabber.org/protocol/rsm'><first index='{optional:{int:1}}'/><count>{int}</count></set>`), first).ok, true);
});
