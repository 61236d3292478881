import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { findRequirement } from "../../src/catalog/index.ts";
import { loadSuite } from "../../src/scenario/load.ts";
import { ROOT } from "../support/cli.ts";

/**
 * A XEP case may judge a row of RFC 6120 or RFC 6121 it depends on (a delivery before an archive query, rather
 * than waiting for it as set-up). A check with no requirements of its own credits all of the case's, so such a
 * row would be credited (and failed) by checks that show nothing of it: every step that proves a borrowed row
 * names it, and no check credits it by default.
 */
test("a XEP case's borrowed RFC rows are credited only by the steps that name them", () => {
  const suite = loadSuite([path.join(ROOT, "scenarios")]).scenarios;
  const borrowing = suite.filter((sc) => sc.spec.startsWith("xep-") && sc.requirements.some((id) => findRequirement(id)?.spec.startsWith("rfc")));
  assert.ok(borrowing.length >= 20, `${borrowing.length} cases borrow an RFC row`);
  const byDefault = borrowing.flatMap((sc) =>
    sc.steps.filter((st) => st.plan.role === "proof" && st.plan.checks && st.kind !== "also" && st.requirements === undefined).map((st) => `${sc.id}: ${st.text.slice(0, 80)}`),
  );
  assert.deepEqual(byDefault, []);
});
