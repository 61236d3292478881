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
const credits = (proves: { id: string }[]) => proves.some((p) => p.id === "MUC-JOIN-05");

function entriesOfAnyType(cases: Scenario[]): string[] {
  return cases.flatMap((sc) =>
    sc.steps.flatMap((st) => {
      const name = sc.id.split("/")[0];
      const { plan } = st;
      if (st.kind === "receive") return credits(plan.proves) && st.patterns.some(asksNoType) ? [`${name} line ${st.pos.line}`] : [];
      if (st.kind === "receive-one-of") return st.alternatives.filter((a, j) => credits(plan.alternatives![j].proves) && a.patterns.some(asksNoType)).map((a) => `${name} ${a.name}`);
      if (st.kind === "one-of")
        return st.alternatives.filter((a, j) => credits(plan.alternatives![j].proves) && a.steps.some((x) => x.kind === "receive" && x.patterns.some(asksNoType))).map((a) => `${name} ${a.name}`);
      return [];
    }),
  );
}

test("an entry credited on a presence pattern that asks no type is found; one that asks type='{absent}' is not", () => {
  const head = caseHead(`  bob:\n    resources:\n      b1: {}\n`, { spec: "xep-0045", section: "7.2.2", requirement: "MUC-JOIN-05" });
  const step = (attrs: string) => `${head}steps:\n  - bob/b1 receives one of:\n      entered: "<presence${attrs}/>"\n      refused: { receives: "<presence type='error'/>", requirements: [] }\n`;
  assert.deepEqual(entriesOfAnyType(loadScenarioFile(file(step("")))), ["t entered"]);
  assert.deepEqual(entriesOfAnyType(loadScenarioFile(file(step(" type='{absent}'")))), []);
});

test("the shipped suite credits no entry on a presence of any type", () => {
  assert.deepEqual([...new Set(entriesOfAnyType(loadSuite([path.join(ROOT, "scenarios")]).scenarios))], []);
});
