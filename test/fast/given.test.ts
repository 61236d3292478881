import { test } from "node:test";
import assert from "node:assert/strict";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { tempFiles } from "../support/temp-files.ts";
import { caseHead } from "../support/scenario-head.ts";

// `given:` is the case's precondition on the stanza a proving step received: a check of that stanza that proves
// nothing and, where it misses, skips the case naming it (a set-up step), while the step itself keeps its proof.
const file = tempFiles("given");
const head = caseHead("  bob:\n    resources:\n      b1: {}\n", { spec: "xep-0045", section: "7.2.2", requirement: "MUC-JOIN-05" });
const steps = (step: string) => `${head}rooms:\n  lobby:\n    owner: bob\nsteps:\n  - bob sends: <presence to='\${lobby/Bob}'><x xmlns='http://jabber.org/protocol/muc'/></presence>\n${step}`;

test("a 'given' becomes a set-up check of the step's own stanza, after the step that proves the entry", () => {
  const [sc] = loadScenarioFile(
    file(steps("  - bob receives: <presence from='${lobby/Bob}' type='{absent}'/>\n    given: <presence><x xmlns='http://jabber.org/protocol/muc#user'><item role='participant'/></x></presence>\n")),
  );
  const [, entry, given] = sc!.steps;
  assert.deepEqual(
    entry!.plan.proves.map((p) => p.id),
    ["MUC-JOIN-05"],
  );
  assert.equal(given!.kind, "also");
  assert.deepEqual([given!.plan.role, given!.plan.proves, given!.plan.of?.step], ["setup", [], 1]);
  assert.match(given!.text, /the case's precondition/);
});

test("'given' is refused beside 'setup: true' and on a step that is not a single 'receives'", () => {
  assert.throws(() => loadScenarioFile(file(steps("  - bob receives: <presence from='${lobby/Bob}'/>\n    setup: true\n    given: <presence/>\n"), "setup.yaml")), /'given' is the precondition/);
  assert.throws(() => loadScenarioFile(file(steps("  - bob receives nothing: <presence type='error'/>\n    given: <presence/>\n"), "nothing.yaml")), /'given' checks the stanza of a 'receives' step/);
});
