import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { loadScenarioFile, loadSuite } from "../../src/scenario/load.ts";
import type { Scenario, Step } from "../../src/scenario/types.ts";
import { ROOT } from "../support/cli.ts";
import { caseHead } from "../support/scenario-head.ts";
import { tempFiles } from "../support/temp-files.ts";

const file = tempFiles("strangers");

/** The patterns a step requires to arrive (not those of `receives nothing`, which judges an absence). */
function expected(st: Step): string[] {
  switch (st.kind) {
    case "receive":
      return st.patterns;
    case "receive-one-of":
      return st.alternatives.flatMap((a) => a.patterns);
    case "also":
      return [st.pattern];
    case "one-of":
      return st.alternatives.flatMap((a) => a.steps.flatMap(expected));
    default:
      return [];
  }
}

/**
 * The cases that judge a message one account sends another with whom it shares no subscription. RFC 6121 §8.1: its
 * delivery rules "will be applied subject to enforcement of relevant privacy and security policies" and "The
 * conformance language (MUST, SHOULD, etc.) in the following sections is not meant to override any such local
 * service policies": a deployment that drops messages from strangers follows the RFC, so such a case fails a
 * conforming server. A case gives the two accounts a subscription (`subscriptions:`) unless strangers are its point.
 */
function strangerMessages(cases: Scenario[]): { case: string; from: string; to: string }[] {
  const accountOf = (actor: string) => actor.split("/")[0];
  return cases.flatMap((sc) => {
    const names = new Set(sc.accounts.map((a) => a.name));
    const linked = (a: string, b: string) =>
      sc.subscriptions.some((s) => ((s.user === a && s.contact === b) || (s.user === b && s.contact === a)) && !s.state.startsWith("none") && s.state !== "pre-approved");
    return sc.steps.flatMap((st, k) => {
      if (st.kind !== "send" || !/^<message\b/.test(st.xml) || /\btype='(groupchat|error)'/.test(st.xml)) return [];
      const to = /\bto='\$\{([^}/|]+)[^}]*\}'/.exec(st.xml)?.[1];
      const from = accountOf(st.actor);
      if (!to || !names.has(to) || !names.has(from) || to === from || linked(from, to)) return [];
      // Judged: a later proving step of the recipient's requires a message to arrive.
      const judged = sc.steps.slice(k + 1).some((x) => x.plan.role === "proof" && "actor" in x && accountOf(x.actor) === to && expected(x).some((p) => /^<message\b/.test(p)));
      return judged ? [{ case: sc.id, from, to }] : [];
    });
  });
}

/**
 * Cases where the strangers are the point, or not yet changed, with why. The list only shrinks: a new case that
 * judges a message between strangers, or an entry that no longer does, fails the test.
 */
const STRANGERS_ON_PURPOSE: Record<string, string> = {};

test("a case judging a message between two accounts that share no subscription is found", () => {
  const two = caseHead(`  juliet:\n    resources:\n      balcony: {}\n  romeo:\n    resources:\n      r1: {}\n`);
  const steps = `steps:\n  - romeo sends: <message to='\${juliet}' type='chat'><body>hi</body></message>\n  - juliet/balcony receives: <message type='chat'><body>hi</body></message>\n`;
  assert.deepEqual(strangerMessages(loadScenarioFile(file(`${two}${steps}`))), [{ case: "t", from: "romeo", to: "juliet" }]);
  const subscribed = `${two}subscriptions:\n  - { user: juliet, contact: romeo, state: from }\n${steps}`;
  assert.deepEqual(strangerMessages(loadScenarioFile(file(subscribed))), [], "a subscription either way makes them contacts");
  const pending = `${two}subscriptions:\n  - { user: juliet, contact: romeo, state: none+pending-in }\n${steps}`;
  assert.equal(strangerMessages(loadScenarioFile(file(pending))).length, 1, "a pending request is no subscription");
  const absent = `${two}steps:\n  - romeo sends: <message to='\${juliet}' type='chat'><body>hi</body></message>\n  - juliet/balcony receives nothing: <message/>\n`;
  assert.deepEqual(strangerMessages(loadScenarioFile(file(absent))), [], "a message the recipient must not get judges no delivery");
});

test("the shipped suite judges messages between strangers only where they are the point", () => {
  const found = [...new Set(strangerMessages(loadSuite([path.join(ROOT, "scenarios")]).scenarios).map((s) => s.case.split("/")[0]))].sort();
  const listed = Object.keys(STRANGERS_ON_PURPOSE);
  assert.deepEqual(
    found.filter((id) => !listed.includes(id)),
    [],
    "new cases judging a message between strangers: give the accounts a subscription (RFC 6121 §8.1), or list the case with why",
  );
  assert.deepEqual(
    listed.filter((id) => !found.includes(id)),
    [],
    "no longer judging strangers' messages: remove them from STRANGERS_ON_PURPOSE",
  );
});
