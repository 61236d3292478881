import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { loadScenarioFile, loadSuite } from "../../src/scenario/load.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import { ROOT } from "../support/cli.ts";
import { caseHead } from "../support/scenario-head.ts";
import { tempFiles } from "../support/temp-files.ts";

const file = tempFiles("entry-available");

/**
 * XEP-0045 §7.2.2's entry (MUC-JOIN-05) is the available presence from the occupant JID: a presence error or an
 * unavailable presence from it, even one that carries the muc#user <item/>, is no entry. So a pattern that credits
 * MUC-JOIN-05 on a presence asks for no 'type' (`type='{absent}'`); one that names no type would take those too
 * (the entry sweep, 2026-11-28: 73 such patterns).
 */
const asksNoType = (pattern: string) => /^\s*<presence\b/.test(pattern) && !/^\s*<presence\b[^>]*\stype=/.test(pattern);
/**
 * §7.2.2 sends the entry "to the full JIDs of all the occupants (including the new occupant)": a pattern that credits
 * MUC-JOIN-05 names the receiving session's full JID in 'to' (round 65: a self-presence sent to the bare JID reached
 * a single resource all the same, and 447 entry steps credited it).
 */
const asksNoTo = (pattern: string) => /^\s*<presence\b/.test(pattern) && !/^\s*<presence\b[^>]*\sto=/.test(pattern);
const credits = (proves: { id: string }[]) => proves.some((p) => p.id === "MUC-JOIN-05");

function entriesWith(cases: Scenario[], wrong: (pattern: string) => boolean): string[] {
  return cases.flatMap((sc) =>
    sc.steps.flatMap((st) => {
      const name = sc.id.split("/")[0];
      const { plan } = st;
      if (st.kind === "receive") return credits(plan.proves) && st.patterns.some(wrong) ? [`${name} line ${st.pos.line}`] : [];
      if (st.kind === "receive-one-of") return st.alternatives.filter((a, j) => credits(plan.alternatives![j].proves) && a.patterns.some(wrong)).map((a) => `${name} ${a.name}`);
      if (st.kind === "one-of")
        return st.alternatives.filter((a, j) => credits(plan.alternatives![j].proves) && a.steps.some((x) => x.kind === "receive" && x.patterns.some(wrong))).map((a) => `${name} ${a.name}`);
      return [];
    }),
  );
}

test("an entry credited on a presence pattern that asks no type is found; one that asks type='{absent}' is not", () => {
  const head = caseHead(`  bob:\n    resources:\n      b1: {}\n`, { spec: "xep-0045", section: "7.2.2", requirement: "MUC-JOIN-05" });
  const step = (attrs: string) => `${head}steps:\n  - bob/b1 receives one of:\n      entered: "<presence${attrs}/>"\n      refused: { receives: "<presence type='error'/>", requirements: [] }\n`;
  assert.deepEqual(entriesWith(loadScenarioFile(file(step(""))), asksNoType), ["t entered"]);
  assert.deepEqual(entriesWith(loadScenarioFile(file(step(" type='{absent}'"))), asksNoType), []);
});

test("the shipped suite credits no entry on a presence of any type", () => {
  assert.deepEqual([...new Set(entriesWith(loadSuite([path.join(ROOT, "scenarios")]).scenarios, asksNoType))], []);
});

test("an entry credited on a presence pattern that names no 'to' is found; one that names the full JID is not", () => {
  const head = caseHead(`  bob:\n    resources:\n      b1: {}\n`, { spec: "xep-0045", section: "7.2.2", requirement: "MUC-JOIN-05" });
  const step = (attrs: string) => `${head}steps:\n  - bob/b1 receives: <presence type='{absent}'${attrs}/>\n    asserts: [to]\n`;
  assert.deepEqual(entriesWith(loadScenarioFile(file(step(""))), asksNoTo), ["t line 12"]);
  assert.deepEqual(entriesWith(loadScenarioFile(file(step(" to='${bob/b1}'"))), asksNoTo), []);
});

test("the shipped suite credits no entry on a presence to any address", () => {
  assert.deepEqual([...new Set(entriesWith(loadSuite([path.join(ROOT, "scenarios")]).scenarios, asksNoTo))], []);
});

/**
 * The entry itself (MUC-JOIN-05) is what the entry cases judge, so a case that needs an occupant in the room proves
 * it rather than waiting for it as set-up (the entry-proof sweep, 2026-11-29: 278 set-up waits in 152 cases): a room that sends no
 * self-presence fails MUC-JOIN-05 in every case that needs one, never skips them. Left as set-up: a room's creation
 * by a case whose deployment may refuse it (`refused:`), and the waits for the first presence from any occupant JID
 * (`{re:...}` without status 110), which do not say whose.
 */
const ownEntry = /^<presence from='\$\{(\w+)\/[^'{}]*(\$\{m\.\w+\})?\}'( to='[^']*')?( type='\{absent\}')?(\/>|><x xmlns='http:\/\/jabber\.org\/protocol\/muc#user'>.*<\/x><\/presence>)$/;
/**
 * Round 68 (the auditor's class note of muc-owner-auth and muc-pres-change): an entry awaited in other words. A
 * presence (with at most a muc#user `<x/>`) from the nickname asked for (`${lobby}/Bob`), from a captured occupant JID
 * (`{capture:occ}`), from any other than one (`{not:${occ}}` or `{re:(?!...)...}`), or from any occupant JID with
 * status 110 (a self-presence, whoever's it is), in a case with rooms.
 */
const otherEntry =
  /^<presence from='(\$\{\w+\}\/[^'{}]+|\{capture:\w+\}|\{not:\$\{\w+\}\}|\{re:[^']*\})'( to='[^']*')?( type='\{absent\}')?(\/>|><x xmlns='http:\/\/jabber\.org\/protocol\/muc#user'(\/>|>.*<\/x>)<\/presence>)$/s;
/** Whether `pattern` awaits an entry to one of the case's rooms. */
function awaitsEntry(sc: Scenario, pattern: string): boolean {
  const p = pattern.trim();
  if (sc.rooms.some((r) => r.name === ownEntry.exec(p)?.[1])) return true;
  const from = otherEntry.exec(p)?.[1];
  if (from === undefined || sc.rooms.length === 0) return false;
  if (from.startsWith("${")) return sc.rooms.some((r) => from.startsWith(`\${${r.name}}/`));
  // Round 79 (occid-history): `{re:(?!...)...}` leaves an occupant out, so it awaits a particular occupant's entry.
  return !from.startsWith("{re:") || /<status code='110'\/>/.test(p) || from.startsWith("{re:(?!");
}
function entriesAwaitedAsSetup(cases: Scenario[]): string[] {
  return cases.flatMap((sc) =>
    sc.steps.flatMap((st) => {
      const awaits = (x: (typeof sc.steps)[number]) => x.kind === "receive" && x.patterns.some((p) => awaitsEntry(sc, p));
      // A set-up 'one of' (or 'receives one of') whose every outcome awaits an entry waits for it as much as a single step does.
      const inOneOf = st.kind === "one-of" && st.alternatives.every((a) => a.steps.some((x) => awaits(x as (typeof sc.steps)[number])));
      const inReceiveOneOf = st.kind === "receive-one-of" && st.alternatives.every((a) => a.patterns.some((p) => awaitsEntry(sc, p)));
      return st.plan.role === "setup" && !st.refused && (awaits(st) || inOneOf || inReceiveOneOf) ? [`${sc.id.split("/")[0]} line ${st.pos.line}`] : [];
    }),
  );
}

test("an entry awaited as set-up is found; one that proves MUC-JOIN-05 is not", () => {
  const head = caseHead(`  bob:\n    resources:\n      b1: {}\n`, { spec: "xep-0045", section: "7.2.2", requirement: "MUC-JOIN-05" });
  const steps = (tail: string) =>
    `${head}rooms:\n  lobby:\n    owner: bob\nsteps:\n  - bob sends: <presence to='\${lobby/Bob}'><x xmlns='http://jabber.org/protocol/muc'/></presence>\n  - bob receives: <presence from='\${lobby/Bob}' type='{absent}'/>\n${tail}`;
  assert.deepEqual(entriesAwaitedAsSetup(loadScenarioFile(file(steps("    setup: true\n  - bob receives: <presence from='\${lobby/Bob}'/>\n")))), ["t line 16"]);
  assert.deepEqual(entriesAwaitedAsSetup(loadScenarioFile(file(steps("")))), []);
});

test("an entry awaited as set-up in other words (a captured occupant JID, another than one, one of outcomes) is found", () => {
  const head = caseHead(`  bob:\n    resources:\n      b1: {}\n  carol:\n    resources:\n      c1: {}\n`, { spec: "xep-0045", section: "7.2.2", requirement: "MUC-JOIN-05" });
  const steps = (tail: string) =>
    `${head}rooms:\n  lobby:\n    owner: bob\nsteps:\n  - bob sends: <presence to='\${lobby/Bob}'><x xmlns='http://jabber.org/protocol/muc'/></presence>\n  - bob receives: <presence from='\${lobby/Bob}' type='{absent}'/>\n${tail}`;
  const capture = "  - carol receives: <presence from='{capture:occ}'><x xmlns='http://jabber.org/protocol/muc#user'/></presence>\n    setup: true\n";
  assert.deepEqual(entriesAwaitedAsSetup(loadScenarioFile(file(steps(capture)))), ["t line 20"]);
  const oneOf =
    "  - carol receives one of:\n      visitor: \"<presence from='${lobby/Carol}'><x xmlns='http://jabber.org/protocol/muc#user'><item role='visitor'/></x></presence>\"\n      as-asked: <presence from='${lobby}/Carol' type='{absent}'/>\n    setup: true\n";
  assert.deepEqual(entriesAwaitedAsSetup(loadScenarioFile(file(steps(oneOf)))), ["t line 20"]);
  const anyOccupant = "  - carol receives: <presence from='{re:${lobby}/.+}'/>\n    setup: true\n";
  assert.deepEqual(entriesAwaitedAsSetup(loadScenarioFile(file(steps(anyOccupant)))), []);
  const anotherThanBob = "  - carol receives: <presence from='{re:(?!${lobby}/Bob$)${lobby}/.+}'/>\n    setup: true\n";
  assert.deepEqual(entriesAwaitedAsSetup(loadScenarioFile(file(steps(anotherThanBob)))), ["t line 20"]);
});

test("the shipped suite awaits no occupant's own entry as set-up", () => {
  assert.deepEqual([...new Set(entriesAwaitedAsSetup(loadSuite([path.join(ROOT, "scenarios")]).scenarios))], []);
});
