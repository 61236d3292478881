import { test } from "node:test";
import assert from "node:assert/strict";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { fold, type StepRecord } from "../../src/run/judge.ts";
import { tempFiles } from "../support/temp-files.ts";
import { julietAtBalcony } from "../support/scenario-head.ts";

// A case whose every outcome credits nothing judged none of its rules: a skip naming the outcomes, not a pass.
const file = tempFiles("judged-nothing");
const [sc] = loadScenarioFile(
  file(`${julietAtBalcony()}steps:
  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony receives one of:
      listed: <iq type='result' id='g'/>
      refused: { receives: "<iq type='error' id='g'/>", requirements: [] }
`),
);
const took = (choice: string): StepRecord[] => [
  { step: sc.steps[0], outcome: "ok" },
  { step: sc.steps[1], outcome: "ok", choice },
];

test("a case that held but judged none of its requirements is a skip that names the outcomes the server took", () => {
  const nothing = fold(sc, took("refused"));
  assert.equal(nothing.verdict, "skip");
  assert.equal(nothing.reason, "judged nothing: the server's answers took refused, which credit none of ROSTER-GET-01");
  assert.deepEqual(nothing.requirementResults, [{ id: "ROSTER-GET-01", verdict: "not-reached" }]);
  const judged = fold(sc, took("listed"));
  assert.deepEqual([judged.verdict, judged.requirementResults], ["pass", [{ id: "ROSTER-GET-01", verdict: "pass" }]]);
});
