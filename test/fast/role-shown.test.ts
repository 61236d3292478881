import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { loadScenarioFile, loadSuite } from "../../src/scenario/load.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import { ROOT } from "../support/cli.ts";
import { caseHead } from "../support/scenario-head.ts";
import { tempFiles } from "../support/temp-files.ts";

const file = tempFiles("role-shown");
const MUC_USER = "http://jabber.org/protocol/muc#user";

/**
 * Rules about which role or affiliation a room gives (XEP-0045 §5.1 and §5.2), not whether it shows one: a presence
 * without the muc#user <x/> (MUC-JOIN-04's failure, judged by the entry cases) shows nothing of either, so it must not
 * be charged to them. An alternative that takes any presence and checks one of these by `also:` does exactly that;
 * the shape that holds asks `<item role='{any}'/>` of the alternative and takes a presence that shows no role apart.
 */
const VALUE_RULES = ["MUC-ROLE-04", "MUC-ROLE-05", "MUC-ROLE-06", "MUC-AFFIL-02", "MUC-AFFIL-03"];

function chargedWithoutRole(cases: Scenario[]): string[] {
  return cases.flatMap((sc) =>
    sc.steps.flatMap((st) =>
      st.kind !== "receive-one-of"
        ? []
        : st.alternatives
            .filter((a) => a.patterns.length === 1 && /^<presence\b/.test(a.patterns[0]) && !a.patterns[0].includes(MUC_USER))
            .filter((a) => Object.keys(a.also ?? {}).some((rule) => VALUE_RULES.includes(rule)))
            .map((a) => `${sc.id.split("/")[0]} ${a.name}`),
    ),
  );
}

test("a role rule checked by also: on an alternative that takes a presence showing no role is found", () => {
  const head = caseHead(`  bob:\n    resources:\n      b1: {}\n`, { spec: "xep-0045", section: "5.1.2", requirement: "MUC-JOIN-05, MUC-ROLE-06" });
  const step = (other: string) =>
    `${head}steps:\n  - bob/b1 receives one of:\n      other:\n        receives: "${other}"\n        requirements: [MUC-JOIN-05]\n        also:\n          MUC-ROLE-06: "<presence><x xmlns='${MUC_USER}'><item role='participant'/></x></presence>"\n      left: { receives: "<presence type='unavailable'/>", requirements: [] }\n    requirements: [MUC-JOIN-05]\n`;
  assert.deepEqual(chargedWithoutRole(loadScenarioFile(file(step("<presence type='{absent}'/>")))), ["t other"]);
  assert.deepEqual(chargedWithoutRole(loadScenarioFile(file(step(`<presence type='{absent}'><x xmlns='${MUC_USER}'><item role='{any}'/></x></presence>`)))), []);
});

test("the shipped suite charges no role or affiliation rule on a presence that shows none", () => {
  assert.deepEqual([...new Set(chargedWithoutRole(loadSuite([path.join(ROOT, "scenarios")]).scenarios))], []);
});
