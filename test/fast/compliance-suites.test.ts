import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { catalogOf } from "../../src/catalog/index.ts";
import { complianceOf, renderComplianceMarkdown } from "../../src/report/compliance-suites.ts";
import { renderHtml } from "../../src/report/html.ts";
import { reporters } from "../../src/report/index.ts";
import { makeCase, makeRun } from "../support/results.ts";
import { tempFiles } from "../support/temp-files.ts";

/** The XEP-0479 compliance suites as data, judged from a run's requirement verdicts. */
const core = catalogOf("rfc6120").requirements.map((r) => r.id);
const passing = (ids: string[]) => makeCase({ id: "all-core", spec: "rfc6120", rfc: "4", requirements: ids, requirementResults: ids.map((id) => ({ id, verdict: "pass" })) });
const feature = (report: ReturnType<typeof complianceOf>, suite: string, level: "server" | "advancedServer", name: string) =>
  report.suites.find((s) => s.suite === suite && s.level === level)!.features.find((f) => f.feature === name)!;

test("the suites are XEP-0479's server columns: every suite, both levels, each feature with its providers", () => {
  const report = complianceOf(makeRun([]));
  assert.equal(report.source.specification, "xep-0479");
  assert.deepEqual([...new Set(report.suites.map((s) => s.suite))], ["core", "web", "im", "mobile", "av"]);
  assert.deepEqual(
    report.suites
      .filter((s) => s.level === "server")
      .find((s) => s.suite === "core")!
      .features.map((f) => f.feature),
    ["Core features", "TLS", "Feature discovery", "Server Extensibility"],
  );
  assert.ok(feature(report, "core", "advancedServer", "Direct TLS"), "required of an Advanced Server only");
  assert.deepEqual(
    feature(report, "im", "server", "Core features").providers.map((p) => [p.name, p.url]),
    [["RFC 6121", "https://www.rfc-editor.org/rfc/rfc6121"]],
  );
  // Features of specifications no scenario checks yet are not covered, whatever the run did.
  assert.equal(feature(report, "im", "server", "Outbound Message Synchronization").status, "not covered");
  assert.equal(feature(report, "core", "server", "Core features").status, "not covered", "nothing of RFC 6120 was checked");
});

test("a feature is met when every checked requirement of its providers held at MUST, not met with the ones that failed", () => {
  const met = complianceOf(makeRun([passing(core)]));
  const f = feature(met, "core", "server", "Core features");
  assert.deepEqual([f.status, f.checked, f.failing], ["met", core.length, []]);
  // The suite itself is not covered while other required features are.
  assert.equal(met.suites.find((s) => s.suite === "core" && s.level === "server")!.status, "not covered");
  const broken = makeCase({
    id: "bind-fails",
    spec: "rfc6120",
    rfc: "7",
    requirements: ["BIND-GEN-01"],
    verdict: "xfail",
    failures: [{ step: "c1 binds", pos: { file: "x", line: 1, col: 1 }, level: "MUST", requirements: ["BIND-GEN-01"], message: "no jid", expected: [], closest: [] }],
    requirementResults: [{ id: "BIND-GEN-01", verdict: "xfail" }],
  });
  const notMet = complianceOf(makeRun([passing(core), broken]));
  assert.deepEqual([feature(notMet, "core", "server", "Core features").status, feature(notMet, "core", "server", "Core features").failing], ["not met", ["BIND-GEN-01"]]);
  // Every suite needs the core suite: not met with it.
  assert.deepEqual(
    notMet.suites.filter((s) => s.level === "server").map((s) => [s.suite, s.status]),
    [
      ["core", "not met"],
      ["web", "not met"],
      ["im", "not met"],
      ["mobile", "not met"],
      ["av", "not met"],
    ],
  );
  // A SHOULD broken is no failure of the feature.
  const warned = makeCase({ ...broken, id: "warned", verdict: "warn", failures: [{ ...broken.failures[0], level: "SHOULD" }], requirementResults: [{ id: "BIND-GEN-01", verdict: "warn" }] });
  assert.equal(feature(complianceOf(makeRun([passing(core), warned])), "core", "server", "Core features").status, "met");
});

test("a feature the server does not advertise is said so; the reports show every suite", async () => {
  const data = tempFiles("suites")(`specification: xep-0479
title: Test Suites
version: "1"
rule: all of them
suites:
  - id: core
    name: Core
    requires: []
    features:
      - feature: Core features
        server: required
        advancedServer: required
        providers: [rfc6120]
        notes: []
      - feature: Pings
        server: required
        advancedServer: required
        providers: [rfc6120]
        notes: []
        advertised: ["urn:xmpp:ping"]
`);
  const run = makeRun([passing(core)], { target: { name: "x", host: "h", port: 1, domain: "d", server: { discoFeatures: ["jabber:iq:version"], streamFeatures: { beforeAuth: [], afterAuth: [] } } } });
  const report = complianceOf(run, data);
  assert.deepEqual(
    report.suites.filter((s) => s.level === "server").flatMap((s) => s.features.map((f) => [f.feature, f.status])),
    [
      ["Core features", "met"],
      ["Pings", "not advertised"],
    ],
  );
  const md = renderComplianceMarkdown(complianceOf(makeRun([passing(core)])));
  assert.match(md, /^#### Server$/m);
  assert.match(md, /^\| Core \| \*\*not covered\*\* \| Core features \| \[RFC 6120\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc6120\) \| met \(\d+ requirements checked\) \|/m);
  assert.match(renderHtml(makeRun([passing(core)])), /<h2>Compliance suites \(XMPP Compliance Suites 2023, XEP-0479/);
  // The reporter writes both files.
  const out = mkdtempSync(path.join(tmpdir(), "xc-suites-"));
  await reporters.compliance({ outDir: out, stream: process.stdout, color: false, strict: false }).onEnd!(makeRun([passing(core)]));
  assert.equal(JSON.parse(readFileSync(path.join(out, "compliance.json"), "utf8")).suites.length, 10);
  assert.match(readFileSync(path.join(out, "compliance.md"), "utf8"), /XEP-0479/);
});
