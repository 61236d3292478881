import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { catalog, findRequirement, gradeFor, rfcUrl } from "../src/catalog/index.ts";
import { coverageOf } from "../src/catalog/coverage.ts";
import { loadSuite } from "../src/scenario/load.ts";
import { ROOT, runCli } from "./support/cli.ts";

const rows = catalog.requirements.filter((r) => !r.cellOf);

test("the generated catalog has the counts the catalog's own summary (§1) states", () => {
  assert.equal(rows.length, 341);
  // §1's counts hold for the source (the generator checks them before applying the overrides); after them,
  // PRES-DIR-09 is a SHOULD.
  const levels = ["MUST", "SHOULD", "MAY", null].map((l) => rows.filter((r) => r.level === l).length);
  assert.deepEqual(levels, [248, 68, 21, 4]);
  assert.deepEqual(catalog.overrides.filter((o) => o.changed.level && !findRequirement(o.id)?.cellOf).map((o) => [o.id, o.changed.level]), [["PRES-DIR-09", ["MUST", "SHOULD"]]]);
  const observable = ["yes", "partly", "no", "n-a"].map((o) => rows.filter((r) => r.observable === o).length);
  assert.deepEqual(observable, [284, 31, 10, 16]);
  assert.deepEqual(
    catalog.areas.map((a) => [a.name, rows.filter((r) => r.area === a.name).length]),
    [["ROSTER", 70], ["SUB", 67], ["APPA", 72], ["PRES", 40], ["PROBE", 16], ["MSG", 5], ["DELIVERY", 49], ["SEC/GEN", 6], ["CONF", 16]],
  );
  assert.match(catalog.source.sha256, /^[0-9a-f]{64}$/);
});

test("derived rows are marked (42 in the source, §1), less the reviewed overrides, which carry their RFC text", () => {
  const overridden = catalog.overrides.filter((o) => o.changed.derived && !findRequirement(o.id)?.cellOf).map((o) => o.id);
  assert.deepEqual(overridden, ["ROSTER-GET-07", "SUB-REQ-16", "SUB-GEN-02"]);
  assert.equal(rows.filter((r) => r.derived).length, 42 - overridden.length);
  assert.equal(findRequirement("ROSTER-PUSH-04")?.derived, true);
  assert.equal(findRequirement("ROSTER-PUSH-01")?.derived, false);
  assert.equal(findRequirement("SUB-REQ-16")?.derived, false);
  for (const o of catalog.overrides) assert.match(o.rfcText, /^RFC 6121 §[\d.]+.*: "/, o.id);
  // cells follow their row, unless an override names the cell
  assert.deepEqual(catalog.requirements.filter((r) => r.cellOf === "DELIVERY-MSG-BARE-CONNONLY").map((c) => [c.id.split("/")[1], c.derived, c.level]), [
    ["normal", true, "SHOULD"], ["chat", true, "SHOULD"], ["groupchat", false, "MUST"], ["headline", true, "SHOULD"], ["error", false, "MUST"],
  ]);
  // a mixed Level cell allows its strongest keyword, never the translation's
  assert.deepEqual(["PROBE-05", "SUB-UNSUB-08", "DELIVERY-IQ-FULLMATCH-UNSHARED"].map((id) => [findRequirement(id)!.level, findRequirement(id)!.maxLevel]), [["SHOULD", "MUST"], ["MAY", "MAY"], ["SHOULD", "MUST"]]);
});

test("a step that checks only derived requirements is worth at most SHOULD", () => {
  assert.equal(gradeFor("MUST", ["ROSTER-PUSH-04"]), "SHOULD");
  assert.equal(gradeFor("MUST", ["ROSTER-PUSH-04", "ROSTER-DEL-05"]), "SHOULD");
  assert.equal(gradeFor("MUST", ["ROSTER-PUSH-04", "ROSTER-PUSH-03"]), "MUST", "one stated rule keeps the step's level");
  assert.equal(gradeFor("MUST", ["DELIVERY-MSG-BARE-CONNONLY/chat"]), "SHOULD");
  assert.equal(gradeFor("MUST", ["SUB-REQ-16"]), "MUST", "overridden: the RFC states it");
  assert.equal(gradeFor("SHOULD", ["ROSTER-PUSH-04"]), "SHOULD");
  assert.equal(gradeFor("MAY", ["ROSTER-DEL-07"]), "MAY");
  assert.equal(gradeFor("MUST", []), "MUST");
});

test("message delivery rows have a cell per message type, with the level the row gives that type", () => {
  const cells = catalog.requirements.filter((r) => r.cellOf === "DELIVERY-MSG-BARE-0RES");
  assert.deepEqual(cells.map((c) => [c.id, c.level]), [
    ["DELIVERY-MSG-BARE-0RES/normal", "SHOULD"],
    ["DELIVERY-MSG-BARE-0RES/chat", "SHOULD"],
    ["DELIVERY-MSG-BARE-0RES/groupchat", "MUST"],
    ["DELIVERY-MSG-BARE-0RES/headline", "MUST"],
    ["DELIVERY-MSG-BARE-0RES/error", "MUST"],
  ]);
  assert.equal(catalog.requirements.filter((r) => r.cellOf).length, 80);
  assert.equal(findRequirement("DELIVERY-MSG-BARE-2NN/headline")?.text, "headline message (2NN, to bare): A");
  assert.deepEqual(findRequirement("ROSTER-SET-ERR-11") && [findRequirement("ROSTER-SET-ERR-11")!.rfc, findRequirement("ROSTER-SET-ERR-11")!.section], ["6120", "8.3.3.8"]);
  assert.equal(rfcUrl("A.2.1"), "https://www.rfc-editor.org/rfc/rfc6121#appendix-A.2.1");
});

test("coverage: the suite's citations, what is left, and a share per area", () => {
  const suite = loadSuite([path.join(ROOT, "scenarios")]).scenarios;
  const cov = coverageOf(suite, catalog);
  assert.ok(cov.cited.find((c) => c.id === "ROSTER-ADD-01")?.cases.includes("roster-add-push"));
  assert.ok(!cov.uncovered.some((r) => r.id === "ROSTER-ADD-01"));
  assert.ok(cov.uncovered.every((r) => r.observable === "yes" || r.observable === "partly"));
  // Rows that have cells are counted through their cells.
  assert.ok(!cov.uncovered.some((r) => r.id === "DELIVERY-MSG-BARE-0RES"));
  const roster = cov.areas.find((a) => a.area === "ROSTER")!;
  assert.equal(roster.observable, 68);
  assert.equal(roster.covered, roster.observable - cov.uncovered.filter((r) => r.area === "ROSTER").length);
  assert.equal(roster.percent, Math.round((roster.covered / 68) * 1000) / 10);
  assert.equal(cov.total.observable, cov.areas.reduce((n, a) => n + a.observable, 0));
});

test("xmpp-conform coverage prints the table and the percentage per area", async () => {
  const r = await runCli(["coverage"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ {2}ROSTER-ADD-01 +§2\.3\.2 +MUST +.*roster-add-push/m);
  assert.match(r.stdout, /^Client-observable requirements no case cites yet \(\d+\):\n {2}ROSTER \(\d+\): ROSTER-/m);
  assert.match(r.stdout, /^ {2}ROSTER +\d+ +68 +\d+\.\d%$/m);
  assert.match(r.stdout, /^ {2}total +\d+ +\d+ +\d+\.\d%$/m);
  const json = JSON.parse((await runCli(["coverage", "--json"])).stdout);
  assert.equal(json.areas.length, catalog.areas.length);
});
