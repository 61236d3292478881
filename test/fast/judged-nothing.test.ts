import { test } from "node:test";
import assert from "node:assert/strict";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { fold, type StepRecord } from "../../src/run/judge.ts";
import { tempFiles } from "../support/temp-files.ts";
import { caseHead, julietAtBalcony } from "../support/scenario-head.ts";

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

// A MAY the server did not take up credits nothing: a case judging only that rule judged nothing.
const [may] = loadScenarioFile(
  file(
    `${caseHead("  juliet:\n    resources:\n      balcony: {}\n", { rfc: "3.1.3", requirement: "SUB-REQ-11" }).replace("level: MUST", "level: MAY")}steps:
  - juliet/balcony sends: <iq type='get' id='g'><query xmlns='jabber:iq:roster'/></iq>
  - juliet/balcony receives: <iq type='result' id='g'/>
    requirements: [SUB-REQ-11]
`,
    "may.yaml",
  ),
);

test("a MAY the server did not do is recorded, credits nothing, and a case judging nothing else is a skip saying so", () => {
  const unmet = fold(may, [
    { step: may.steps[0], outcome: "ok" },
    {
      step: may.steps[1],
      outcome: "failed",
      failure: { step: may.steps[1].text, pos: may.steps[1].pos, level: "MAY", requirements: ["SUB-REQ-11"], message: "nothing came", expected: [], closest: [] },
    },
  ]);
  assert.equal(unmet.verdict, "skip");
  assert.equal(unmet.reason, "judged nothing: the server did not do what SUB-REQ-11 (MAY) allows, and none of SUB-REQ-11 was judged otherwise");
  assert.deepEqual(unmet.requirementResults, [{ id: "SUB-REQ-11", verdict: "not-reached" }]);
  assert.equal(unmet.failures.length, 1, "the unmet MAY is recorded");
  const done = fold(may, [
    { step: may.steps[0], outcome: "ok" },
    { step: may.steps[1], outcome: "ok" },
  ]);
  assert.deepEqual([done.verdict, done.requirementResults], ["pass", [{ id: "SUB-REQ-11", verdict: "pass" }]]);
});
