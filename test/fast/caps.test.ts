import { test } from "node:test";
import assert from "node:assert/strict";
import { parse, type Element } from "ltx";
import { capsString, capsVer, clientCaps } from "../../src/xmpp/protocol/caps.ts";
import { matchStanza, parsePattern } from "../../src/match/pattern.ts";

/** XEP-0115 §5.2 and §5.3: the two worked examples, with the verification strings the text gives. */
const SIMPLE = `<query xmlns='http://jabber.org/protocol/disco#info'>
  <identity category='client' name='Exodus 0.9.1' type='pc'/>
  <feature var='http://jabber.org/protocol/muc'/>
  <feature var='http://jabber.org/protocol/disco#info'/>
  <feature var='http://jabber.org/protocol/disco#items'/>
  <feature var='http://jabber.org/protocol/caps'/>
</query>`;
const COMPLEX = `<query xmlns='http://jabber.org/protocol/disco#info' node='http://psi-im.org#q07IKJEyjvHSyhy//CH0CxmKi8w='>
  <identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>
  <identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>
  <feature var='http://jabber.org/protocol/caps'/>
  <feature var='http://jabber.org/protocol/disco#info'/>
  <feature var='http://jabber.org/protocol/disco#items'/>
  <feature var='http://jabber.org/protocol/muc'/>
  <x xmlns='jabber:x:data' type='result'>
    <field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>
    <field var='software_version'><value>0.11</value></field>
    <field var='ip_version' type='text-multi'><value>ipv6</value><value>ipv4</value></field>
    <field var='os'><value>Mac</value></field>
    <field var='os_version'><value>10.5.1</value></field>
    <field var='software'><value>Psi</value></field>
  </x>
</query>`;
const el = (s: string) => parse(s) as Element;

test("XEP-0115 §5.2: the simple example hashes to the text's verification string", () => {
  assert.equal(capsVer(el(SIMPLE), "sha-1"), "QgayPKawpkPSDYmwT/WM94uAlu0=");
});

test("XEP-0115 §5.3: identities by language, forms by FORM_TYPE, fields by var and values sorted", () => {
  assert.equal(
    capsString(el(COMPLEX)),
    "client/pc/el/Ψ 0.11<client/pc/en/Psi 0.11<http://jabber.org/protocol/caps<http://jabber.org/protocol/disco#info<http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<urn:xmpp:dataforms:softwareinfo<ip_version<ipv4<ipv6<os<Mac<os_version<10.5.1<software<Psi<software_version<0.11<",
  );
  assert.equal(capsVer(el(COMPLEX), "sha-1"), "q07IKJEyjvHSyhy//CH0CxmKi8w=");
  assert.equal(capsVer(el(COMPLEX), "no-such-hash"), undefined);
});

test("a resource's caps: its disco#info hashes to the ver of its <c/>, and echoes the node asked", () => {
  const caps = clientCaps(["urn:xmpp:avatar:metadata+notify"]);
  assert.equal(capsVer(caps.info(), "sha-1"), caps.ver);
  assert.equal(caps.element().attrs.ver, caps.ver);
  assert.equal(caps.info("n#v").attrs.node, "n#v");
  assert.ok(caps.info().getChildByAttr("var", "urn:xmpp:avatar:metadata+notify"));
  assert.notEqual(clientCaps([]).ver, caps.ver);
});

test("pattern xc:caps: the received query must hash to the given ver", () => {
  const ok = matchStanza(parsePattern(`<iq><query xmlns='http://jabber.org/protocol/disco#info' xc:caps='sha-1 QgayPKawpkPSDYmwT/WM94uAlu0='/></iq>`), el(`<iq xmlns='jabber:client'>${SIMPLE}</iq>`));
  assert.ok(ok.ok, ok.problems.join("; "));
  const bad = matchStanza(parsePattern(`<iq><query xmlns='http://jabber.org/protocol/disco#info' xc:caps='sha-1 q07IKJEyjvHSyhy//CH0CxmKi8w='/></iq>`), el(`<iq xmlns='jabber:client'>${SIMPLE}</iq>`));
  assert.equal(bad.ok, false);
  assert.match(bad.problems.join("; "), /to hash \(sha-1, XEP-0115 §5\.1\) to 'q07IKJEyjvHSyhy\/\/CH0CxmKi8w=', got 'QgayPKawpkPSDYmwT\/WM94uAlu0='/);
});

test("XEP-0115 §5.1: features are sorted before '<' is appended (a namespace before its own '#' features, as ejabberd's caps need)", () => {
  const q = el(
    `<query xmlns='http://jabber.org/protocol/disco#info'><identity category='server' type='im'/><identity category='pubsub' type='pep'/><feature var='p#publish'/><feature var='p'/></query>`,
  );
  assert.equal(capsString(q), "pubsub/pep//<server/im//<p<p#publish<");
});
