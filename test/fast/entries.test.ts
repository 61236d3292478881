import { test } from "node:test";
import assert from "node:assert/strict";
import { parse, type Element } from "ltx";
import { Entries } from "../../src/run/case/entries.ts";
import { fill } from "../../src/match/template.ts";
import type { Received } from "../../src/xmpp/connections/inbox.ts";

const ROOM = "lobby-1@conference.localhost";
const arrivals = () => {
  const items: Received[] = [];
  return { items, add: (xml: string) => items.push({ el: parse(xml) as Element, at: 0, seq: items.length, consumed: false }) };
};
const self = (nick: string, codes = ["110"]) =>
  `<presence from='${ROOM}/${nick}'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant'/>${codes.map((c) => `<status code='${c}'/>`).join("")}</x></presence>`;

test("an occupant placeholder is the JID the room gave: rebound only by the entrant's own self-presence naming another nickname", () => {
  const bindings: Record<string, string> = {};
  const entries = new Entries();
  const bob = arrivals();
  bob.add(self("earlier")); // before the entry: not its answer
  entries.expect("lobby/Bob", ROOM, bob);
  entries.settle(bindings);
  assert.equal(bindings["lobby/Bob"], undefined);
  bob.add(`<presence from='${ROOM}/carol'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant'/></x></presence>`); // another occupant
  entries.settle(bindings);
  assert.equal(bindings["lobby/Bob"], undefined);
  bob.add(self("bob", ["110", "210"]));
  entries.settle(bindings);
  assert.equal(bindings["lobby/Bob"], `${ROOM}/bob`);
});

test("a nickname kept, an entry refused and another's attempt at a taken nickname bind nothing", () => {
  const bindings: Record<string, string> = {};
  const entries = new Entries();
  const alice = arrivals();
  const bob = arrivals();
  entries.expect("lobby/Alice", ROOM, alice);
  alice.add(self("Alice"));
  entries.expect("lobby/Carol", ROOM, bob);
  bob.add(`<presence type='error' from='${ROOM}/Carol'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`);
  entries.settle(bindings);
  bob.add(self("bobby"));
  entries.expect("lobby/Alice", ROOM, bob); // alice's nickname, asked for by bob
  bob.add(self("alice2"));
  entries.settle(bindings);
  assert.deepEqual(bindings, {});
});

test("${room/Nick|nick} is the nickname the room gave that occupant: the one asked for until a self-presence names another", () => {
  const bindings: Record<string, string> = { lobby: ROOM, "lobby/*": "occupants" };
  const revoke = "<item nick='${lobby/Bob|nick}' role='visitor'/>";
  assert.equal(fill(revoke, bindings), "<item nick='Bob' role='visitor'/>", "not rebound: the nickname asked for");
  const entries = new Entries();
  const bob = arrivals();
  entries.expect("lobby/Bob", ROOM, bob);
  bob.add(self("b&amp;b/1", ["110", "210"])); // the resourcepart b&b/1
  entries.settle(bindings);
  assert.equal(fill(revoke, bindings), "<item nick='b&amp;b/1' role='visitor'/>", "the whole resourcepart (a '/' in it too), escaped for XML");
  assert.equal(fill("{re:${lobby/Bob|nick}}", bindings), "{re:b&amp;b\\/1}", "inside {re:…} a literal");
  assert.equal(fill("${lobby|nick}", bindings), "", "a bare JID has no resourcepart");
});

test("a rewritten nickname's self-presence with 210 but without 110 still rebinds the placeholder (XEP-0045 §7.2.2's 210 goes to the new occupant alone)", () => {
  const bindings: Record<string, string> = {};
  const entries = new Entries();
  const bob = arrivals();
  entries.expect("lobby/Bob", ROOM, bob);
  bob.add(`<presence from='${ROOM}/carol'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant'/></x></presence>`);
  entries.settle(bindings);
  assert.equal(bindings["lobby/Bob"], undefined, "another occupant's presence, no status: not the entry");
  bob.add(self("Bob~1", ["210"]));
  entries.settle(bindings);
  assert.equal(bindings["lobby/Bob"], `${ROOM}/Bob~1`);
});
