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
 * Rules about which role or affiliation a room gives (XEP-0045 §5.1, §5.1.3 and §5.2), not whether it shows one: a
 * presence without the muc#user <x/> (MUC-JOIN-04's failure, judged by the entry cases), or whose <item/> has no
 * 'role' (MUC-ROLE-01's) or no 'affiliation' (MUC-AFFIL-04's), shows nothing of the value, so it must not be charged
 * to them. A check that takes such a presence and judges one of these by `also:` does exactly that; the shape that
 * holds asks `<item role='{any}'/>` (or `affiliation='{any}'`) of its pattern and takes a presence that shows none
 * apart. Sixtieth audit (2026-11-28): MUC-ROLE-09 (the role a new affiliation brings) is one of them, and single
 * `receives` steps (and `receives` inside a cross-session `one of`) are read as well as `receives one of`
 * alternatives.
 */
const VALUE_RULES = ["MUC-ROLE-04", "MUC-ROLE-05", "MUC-ROLE-06", "MUC-ROLE-09", "MUC-AFFIL-02", "MUC-AFFIL-03"];

/** Whether `pattern` (a presence) asks for the attribute `rule` judges the value of on its muc#user <item/>. */
const shows = (pattern: string, rule: string) => pattern.includes(MUC_USER) && (rule.startsWith("MUC-ROLE-") ? /<item\b[^>]*\srole=/ : /<item\b[^>]*\saffiliation=/).test(pattern);
const onePresence = (patterns: string[]) => patterns.length === 1 && /^<presence\b/.test(patterns[0]);
const charges = (pattern: string, rule: string) => VALUE_RULES.includes(rule) && !shows(pattern, rule);

function chargedWithoutRole(cases: Scenario[]): string[] {
  return cases.flatMap((sc) =>
    sc.steps.flatMap((st, i) => {
      const name = sc.id.split("/")[0];
      if (st.kind === "receive-one-of")
        return st.alternatives.filter((a) => onePresence(a.patterns) && Object.keys(a.also ?? {}).some((rule) => charges(a.patterns[0], rule))).map((a) => `${name} ${a.name}`);
      if (st.kind === "one-of")
        return st.alternatives.flatMap((a) =>
          (a.also ?? [])
            .filter(({ step, requirement }) => {
              const inner = a.steps[step];
              return inner.kind === "receive" && onePresence(inner.patterns) && charges(inner.patterns[0], requirement);
            })
            .map(({ step }) => `${name} ${a.name}#${step}`),
        );
      if (st.kind !== "receive" || st.mode !== "one" || !onePresence(st.patterns)) return [];
      // A single `receives`: its `also:` entries are the "also" steps right after it (of no alternative).
      const alsos: string[] = [];
      for (let j = i + 1; j < sc.steps.length; j++) {
        const next = sc.steps[j];
        if (next.kind !== "also" || next.alternative !== undefined) break;
        alsos.push(...(next.requirements ?? []));
      }
      return alsos.some((rule) => charges(st.patterns[0], rule)) ? [`${name} step ${i}`] : [];
    }),
  );
}

test("a role rule checked by also: on an alternative that takes a presence showing no role is found", () => {
  const head = caseHead(`  bob:\n    resources:\n      b1: {}\n`, { spec: "xep-0045", section: "5.1.2", requirement: "MUC-JOIN-05, MUC-ROLE-06" });
  const step = (other: string) =>
    `${head}steps:\n  - bob/b1 receives one of:\n      other:\n        receives: "${other}"\n        requirements: [MUC-JOIN-05]\n        also:\n          MUC-ROLE-06: "<presence><x xmlns='${MUC_USER}'><item role='participant'/></x></presence>"\n      left: { receives: "<presence type='unavailable'/>", requirements: [] }\n    requirements: [MUC-JOIN-05]\n`;
  assert.deepEqual(chargedWithoutRole(loadScenarioFile(file(step("<presence type='{absent}'/>")))), ["t other"]);
  assert.deepEqual(chargedWithoutRole(loadScenarioFile(file(step(`<presence type='{absent}'><x xmlns='${MUC_USER}'><item role='{any}'/></x></presence>`)))), []);
});

test("a role rule checked by also: on a single receives whose <item/> asks no role is found", () => {
  const head = caseHead(`  bob:\n    resources:\n      b1: {}\n`, { spec: "xep-0045", section: "5.2.2", requirement: "MUC-AFFIL-06, MUC-ROLE-09" });
  const step = (item: string) =>
    `${head}steps:\n  - bob/b1 receives: "<presence><x xmlns='${MUC_USER}'>${item}</x></presence>"\n    requirements: [MUC-AFFIL-06]\n    also:\n      MUC-ROLE-09: "<presence><x xmlns='${MUC_USER}'><item role='moderator'/></x></presence>"\n`;
  assert.deepEqual(chargedWithoutRole(loadScenarioFile(file(step("<item affiliation='admin'/>")))), ["t step 0"]);
  assert.deepEqual(chargedWithoutRole(loadScenarioFile(file(step("<item affiliation='admin' role='{any}'/>")))), []);
});

test("the shipped suite charges no role or affiliation rule on a presence that shows none", () => {
  assert.deepEqual([...new Set(chargedWithoutRole(loadSuite([path.join(ROOT, "scenarios")]).scenarios))], []);
});
