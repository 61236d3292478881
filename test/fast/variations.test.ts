import { test } from "node:test";
import assert from "node:assert/strict";
import Parser from "@xmpp/xml/lib/Parser.js";
import type { Element } from "ltx";
import { matchStanza, parsePattern } from "../../src/match/pattern.ts";
import type { Fault, FaultContext, ProxiedConnection } from "../support/fault-proxy.ts";
import { combine, VARIATIONS } from "../support/variations.ts";

/**
 * The legitimate variations themselves (test/fault-proxy.test.ts runs the whole suite through them on a real
 * Prosody): each changes what it says, only on stanzas the server makes, and a pattern written from the RFC
 * still matches what it produces.
 */
function stanza(xml: string): Element {
  const parser = new Parser();
  let el: Element | undefined;
  parser.on("element", (e: Element) => (el = e));
  parser.write(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>${xml}`);
  return el!;
}

const conn = (over: Partial<ProxiedConnection> = {}): ProxiedConnection => ({
  id: 1,
  jid: "j@localhost/b",
  available: true,
  priority: 0,
  interested: true,
  versioning: false,
  serverHeaders: 1,
  deliver: () => {},
  ...over,
});
const ctx = (c = conn()): FaultContext => ({ conn: c, peers: () => [] });
const byId = (id: string) => VARIATIONS.find((v) => v.id === id)!.fault;
/** What a variation makes of a stanza, read back as the client would parse it. */
function varied(fault: Fault, xml: string, c = ctx()): Element {
  const out = fault(stanza(xml), c);
  if (out === "pass") return stanza(xml);
  assert.ok(Array.isArray(out) && out.length === 1, `expected one stanza, got ${String(out)}`);
  return stanza(typeof out[0] === "string" ? out[0] : out[0].toString());
}

test("each variation changes what it says, and only in a way a pattern written from the RFC still matches", () => {
  const result = `<iq type='result' id='g1' to='j@localhost/b' from='j@localhost'><query xmlns='jabber:iq:roster' ver='5'><item jid='r@localhost' name='R'><group>G</group></item></query></iq>`;
  const pattern = parsePattern(
    `<iq type='result' id='g1'><query xmlns='jabber:iq:roster' xc:children='exact'><item jid='r@localhost' name='R' xc:children='exact'><group>G</group></item></query></iq>`,
  );
  assert.equal(varied(byId("no-to-on-generated"), result).attrs.to, undefined);
  assert.equal(varied(byId("account-from-either-way"), result).attrs.from, undefined);
  assert.equal(varied(byId("account-from-either-way"), `<iq type='set' id='p'><query xmlns='jabber:iq:roster'><item jid='r@localhost'/></query></iq>`).attrs.from, "j@localhost");
  assert.equal(varied(byId("ver-only-when-versioning"), result).getChild("query", "jabber:iq:roster")!.attrs.ver, undefined);
  assert.equal(varied(byId("ver-only-when-versioning"), result, ctx(conn({ versioning: true }))).getChild("query", "jabber:iq:roster")!.attrs.ver, "5");
  const prefixed = varied(byId("prefixed-namespaces"), result);
  assert.equal(prefixed.getChildElements()[0].name, "r:query");
  assert.equal(varied(byId("other-ids-on-generated"), `<iq type='set' id='push1'><query xmlns='jabber:iq:roster'><item jid='r@localhost'/></query></iq>`).attrs.id, "variation-push-1");
  const written = byId("serialisation")(stanza(result), ctx());
  assert.ok(Array.isArray(written) && typeof written[0] === "string" && /^\n {2}<iq from='j@localhost' to=.*<\/group><\/item><\/query><\/iq>\n$/.test(written[0]), String(written));
  const all = combine(VARIATIONS.map((v) => v.fault));
  const through = varied(all, result);
  assert.deepEqual([through.attrs.to, through.attrs.from, through.getChildElements()[0].name], [undefined, undefined, "r:query"]);
  for (const el of [prefixed, through, varied(byId("serialisation"), result)]) assert.equal(matchStanza(pattern, el).ok, true, el.toString());
  // the MAY acknowledgement of a subscription request goes to the requester's available resources
  const delivered: string[] = [];
  const requester = conn({ id: 2, jid: "r@localhost/o", deliver: (el) => delivered.push(el.toString()) });
  const request = stanza(`<presence type='subscribe' from='r@localhost' to='j@localhost'/>`);
  assert.deepEqual(byId("subscribe-ack")(request, { conn: conn(), peers: () => [requester] }), [request]);
  assert.deepEqual(delivered, [`<presence from="j@localhost" to="r@localhost" type="unavailable"/>`]);
  // a stored message may come without a delay stamp
  const stored = varied(byId("stored-without-delay"), `<message from='r@localhost/o' to='j@localhost'><body>x</body><delay xmlns='urn:xmpp:delay' stamp='2026-01-01T00:00:00Z'/></message>`);
  assert.deepEqual([stored.getChild("delay", "urn:xmpp:delay"), stored.getChildText("body")], [undefined, "x"]);
  // a routed stanza keeps its 'to' and 'from'
  const routed = `<iq type='result' id='v1' to='j@localhost/b' from='r@localhost/o'/>`;
  assert.deepEqual(varied(all, routed).attrs, { type: "result", id: "v1", to: "j@localhost/b", from: "r@localhost/o" });
});
