import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fanOut, reporters, run } from "../src/index.ts";
import { rowProblems } from "../src/catalog/check-rows.ts";
import { coverageBySpec } from "../src/report/coverage.ts";
import { catalogOf, catalogs, findRequirement } from "../src/catalog/index.ts";
import { diffRuns } from "../src/results/diff.ts";
import { complianceRows } from "../src/report/compliance.ts";
import { renderDiffMarkdown } from "../src/report/diff.ts";
import { buildMatrix, renderMatrixMarkdown } from "../src/report/matrix.ts";
import { loadScenarioFile } from "../src/scenario/load.ts";
import { scenarioProse, yamlProseProblems } from "../src/specification/prose.ts";
import { registerSpec, sectionUrl, specName } from "../src/specification/registry.ts";
import type { Target } from "../src/targets/types.ts";
import { ROOT } from "./support/cli.ts";
import { prosody } from "./support/prosody.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * Adding a specification is its text, its catalog, its scenarios and one registry entry: a small one made of
 * fixtures (test/fixtures/spec/) reaches loading, traceability, the quote check, coverage and every report,
 * with its own name and links, and no source change.
 */
const FIXTURES = path.join(ROOT, "test/fixtures/spec");
registerSpec({
  id: "xep-9999",
  name: "XEP-9999",
  title: "Server Pings for Tests",
  kind: "xep",
  version: "0.1 (2026-11-22)",
  text: path.join(FIXTURES, "xep-9999.txt"),
  catalog: path.join(FIXTURES, "xep-9999-requirements.md"),
  url: (section) => `https://example.org/xep-9999.html${section ? `#sect-${section}` : ""}`,
});

let server: Target;
before(async () => {
  server = await prosody();
});
after(async () => {
  await server.stop();
});

test("a registered specification has a catalog, quotes checked against its text, and scenarios that name it", () => {
  const catalog = catalogOf("xep-9999");
  assert.deepEqual(
    catalog.requirements.map((r) => [r.id, r.spec, r.statedIn, r.section, r.level]),
    [
      ["TPING-01", "xep-9999", "xep-9999", "2", "MUST"],
      ["TPING-02", "xep-9999", "xep-9999", "2.1", "SHOULD"],
    ],
  );
  assert.ok([...catalogs().keys()].includes("xep-9999"));
  assert.equal(findRequirement("TPING-02")?.quote, '"A server SHOULD answer a ping in an unknown namespace with a <feature-not-implemented/> error."');
  assert.deepEqual(rowProblems(readFileSync(path.join(FIXTURES, "xep-9999-requirements.md"), "utf8")), []);
  // A misquote in the fixture catalog is caught like one in the RFC catalogs.
  assert.match(
    rowProblems(readFileSync(path.join(FIXTURES, "xep-9999-requirements.md"), "utf8").replace("within one second", "x").replace("answer a ping addressed", "reply to a ping addressed"))[0].message,
    /not in XEP-9999 §2/,
  );
  const file = path.join(FIXTURES, "xep-9999.yaml");
  assert.deepEqual(
    loadScenarioFile(file).map((s) => [s.id, s.spec]),
    [
      ["tping-domain", "xep-9999"],
      ["tping-unknown", "xep-9999"],
    ],
  );
  assert.deepEqual(yamlProseProblems(file, scenarioProse), []);
  assert.equal(specName("xep-9999"), "XEP-9999");
  assert.equal(sectionUrl("xep-9999", "2.1"), "https://example.org/xep-9999.html#sect-2.1");
});

test("its cases run and show in every report under its own name, with links to its sections", async () => {
  const plan = loadScenarioFile(path.join(FIXTURES, "xep-9999.yaml"));
  const out = tempDir("xc-registry-");
  const opts = { outDir: out, stream: process.stdout, color: false, strict: false };
  const results = await run(
    plan,
    { server: `127.0.0.1:${server.port}`, domain: "localhost", install: false, timeoutMs: 1500 },
    {
      onEvent: fanOut(
        ["junit", "json", "html", "markdown"].map((name) => ({ name, reporter: reporters[name](opts) })),
        console.error,
      ),
    },
  );
  // Prosody answers the unknown namespace with service-unavailable: the SHOULD warns.
  assert.deepEqual(
    results.cases.map((c) => [c.id, c.spec, c.verdict]),
    [
      ["tping-domain", "xep-9999", "pass"],
      ["tping-unknown", "xep-9999", "warn"],
    ],
  );
  const junit = readFileSync(path.join(out, "junit.xml"), "utf8");
  assert.match(junit, /<testcase classname="xep-9999\.section-2" name="tping-domain/);
  assert.match(junit, /<property name="rfc" value="XEP-9999 §2\.1"\/>/);
  const html = readFileSync(path.join(out, "report.html"), "utf8");
  assert.match(html, /href="https:\/\/example\.org\/xep-9999\.html#sect-2\.1"/);
  assert.match(html, /XEP-9999 §2\.1<\/a>/);
  const summary = readFileSync(path.join(out, "summary.md"), "utf8");
  assert.match(summary, /XEP-9999/);
  assert.match(summary, /\(https:\/\/example\.org\/xep-9999\.html#sect-2\.1\)/);
  // The compliance table, the matrix and the baseline diff take the same names and links.
  assert.deepEqual(
    complianceRows(results).map((r) => [r.id, r.statedIn, r.url, r.status]),
    [
      ["TPING-01", "xep-9999", "https://example.org/xep-9999.html#sect-2", "pass"],
      ["TPING-02", "xep-9999", "https://example.org/xep-9999.html#sect-2.1", "warn"],
    ],
  );
  const matrix = renderMatrixMarkdown(
    buildMatrix(
      [
        { file: "a.json", run: results },
        { file: "b.json", run: results },
      ],
      "case",
    ),
  );
  assert.match(matrix, /https:\/\/example\.org\/xep-9999\.html#sect-2\.1/);
  const worse = { ...results, cases: results.cases.map((c) => ({ ...c, verdict: "fail" as const, reason: "broken" })) };
  const base = { label: "baseline", cases: new Map(results.cases.map((c) => [c.id, c.verdict])) };
  assert.match(renderDiffMarkdown(diffRuns(base, worse), "baseline", worse), /\[XEP-9999 §2\]\(https:\/\/example\.org\/xep-9999\.html#sect-2\)/);
  // Coverage counts its rows apart from the RFCs'.
  const cov = coverageBySpec(plan, catalogs()).specs.find((c) => c.spec === "xep-9999")!;
  assert.deepEqual([cov.cited.length, cov.total.observable], [2, 2]);
});
