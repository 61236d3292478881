import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { loadSuite } from "../../src/scenario/load.ts";
import type { PlannedStep, Proof } from "../../src/scenario/types.ts";
import { FAULTS } from "../support/faults.ts";
import { cites } from "../support/mutation.ts";
import { ROOT } from "../support/cli.ts";

/** Every MUST a step can credit: its own checks', each alternative's and its order's. */
const mustsOf = (step: PlannedStep): Proof[] =>
  [...step.plan.proves, ...(step.plan.alternatives ?? []).flatMap((a) => a.proves), ...(step.plan.order ? [step.plan.order] : [])].filter((p) => p.level === "MUST");

/**
 * A MUST is credited only by a check that could have failed: each step that proves one has a fault in the fault
 * proxy that breaks one of the rules it proves (its positive control; bench/mutation.ts shows each is caught).
 */
test("every step that proves a MUST has a positive control: a fault of the fault proxy that breaks what it proves", () => {
  const suite = loadSuite([path.join(ROOT, "scenarios")]);
  assert.deepEqual(suite.errors, []);
  const controlled = (id: string) => FAULTS.some((f) => f.requirements.some((p) => cites(p, id)));
  const blind = suite.scenarios.flatMap((sc) =>
    sc.steps.flatMap((step) => {
      const musts = mustsOf(step);
      return musts.length > 0 && !musts.some((p) => controlled(p.id)) ? [`${sc.id}: ${step.text} [${musts.map((p) => p.id).join(", ")}]`] : [];
    }),
  );
  assert.ok(suite.scenarios.length > 700);
  assert.deepEqual(blind, [], `${blind.length} steps prove a MUST no fault breaks`);
});
