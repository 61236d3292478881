import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { loadScenarioFile, loadSuite } from "../../src/scenario/load.ts";
import { unnamedChecks } from "../../src/scenario/unnamed-checks.ts";
import { ROOT } from "../support/cli.ts";
import { caseHead } from "../support/scenario-head.ts";
import { tempFiles } from "../support/temp-files.ts";

const file = tempFiles("unnamed");

/**
 * Cases of the shipped suite with a check that names no requirements though the case cites several (so the check
 * proves them all). Each is to be judged against its rows and named; the list only shrinks: a new case with one, or
 * a case here that no longer has one, fails the test.
 */
const NOT_YET_NAMED: string[] = [];

test("a check in a case citing several requirements names what it proves (validate warns otherwise)", () => {
  const two = caseHead(`  juliet:\n    resources:\n      balcony: {}\n      chamber: {}\n`).replace("[ROSTER-GET-01]", "[ROSTER-GET-01, ROSTER-GET-02]");
  const unnamed = loadScenarioFile(file(`${two}steps:\n  - juliet/balcony receives nothing\n`));
  assert.deepEqual(
    unnamedChecks(unnamed).map((u) => [u.case, u.step, u.pos.line]),
    [["t", 0, 12]],
  );
  const oneOf = `${two}steps:\n  - one of:\n      a:\n        - juliet/balcony receives nothing:\n          requirements: [ROSTER-GET-01]\n      b:\n        - juliet/chamber receives nothing:\n          requirements: [ROSTER-GET-02]\n`;
  assert.equal(unnamedChecks(loadScenarioFile(file(oneOf))).length, 1, "a 'one of' too: when no alternative holds it fails what it cites");
  assert.deepEqual(unnamedChecks(loadScenarioFile(file(oneOf + "    requirements: [ROSTER-GET-01, ROSTER-GET-02]\n"))), []);
  assert.deepEqual(
    unnamedChecks(loadScenarioFile(file(caseHead("  juliet:\n    resources:\n      balcony: {}\n") + "steps:\n  - juliet/balcony receives nothing\n"))),
    [],
    "one requirement: nothing to name",
  );
});

test("the shipped suite: only the recorded cases still have a check that names nothing in a case citing several", () => {
  const found = [...new Set(unnamedChecks(loadSuite([path.join(ROOT, "scenarios")]).scenarios).map((u) => u.case.split("/")[0]))].sort();
  assert.deepEqual(
    found.filter((id) => !NOT_YET_NAMED.includes(id)),
    [],
    "new cases with a check that names no requirements",
  );
  assert.deepEqual(
    NOT_YET_NAMED.filter((id) => !found.includes(id)),
    [],
    "named since: remove them from NOT_YET_NAMED",
  );
});
