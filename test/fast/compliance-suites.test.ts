import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { catalogOf } from "../../src/catalog/index.ts";
import { complianceOf, describeStatus, renderComplianceMarkdown } from "../../src/report/compliance-suites.ts";
import { renderHtml } from "../../src/report/html.ts";
import { reporters } from "../../src/report/index.ts";
import { makeCase, makeRun } from "../support/results.ts";
import { tempFiles } from "../support/temp-files.ts";
import { tempDir } from "../support/temp-dir.ts";

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

const mustOf = (ids: string[]) => ids.filter((id) => catalogOf("rfc6120").requirements.find((r) => r.id === id)?.level === "MUST");
const broken = (verdict: "fail" | "xfail", id = "bind-fails") =>
  makeCase({
    id,
    spec: "rfc6120",
    rfc: "7",
    requirements: ["BIND-GEN-01"],
    verdict,
    failures: [{ step: "c1 binds", pos: { file: "x", line: 1, col: 1 }, level: "MUST", requirements: ["BIND-GEN-01"], message: "no jid", expected: [], closest: [] }],
    requirementResults: [{ id: "BIND-GEN-01", verdict }],
  });

test("a feature is conformant with the figure behind it, or has its deviations at MUST, each documented by the profile or not", () => {
  const clean = complianceOf(makeRun([passing(core)]));
  const f = feature(clean, "core", "server", "Core features");
  assert.deepEqual([f.status, f.must, f.deviations], ["conformant", { checked: mustOf(core).length, held: mustOf(core).length }, []]);
  assert.equal(describeStatus(f), `conformant: ${mustOf(core).length} of ${mustOf(core).length} MUST requirements held`);
  // The suite names the features it has not judged yet.
  const suite = clean.suites.find((s) => s.suite === "core" && s.level === "server")!;
  assert.equal(suite.status, "not covered");
  assert.match(describeStatus(suite), /^not covered by this suite yet: TLS, Feature discovery, Server Extensibility; the rest \d+ of \d+ MUST requirements held$/);

  // A documented deviation (xfail) is one, never a blanket "not met"; a new failure of the same rule makes it undocumented.
  const documented = complianceOf(makeRun([passing(core), broken("xfail")], { profile: { file: "p.yaml", server: "Prosody", version: "0.12" } }));
  const d = feature(documented, "core", "server", "Core features");
  assert.deepEqual([d.status, d.deviations], ["deviations", [{ id: "BIND-GEN-01", documented: true }]]);
  assert.match(describeStatus(d), /^1 deviation at MUST \(documented by the profile\): \d+ of \d+ MUST requirements held$/);
  const fresh = feature(complianceOf(makeRun([passing(core), broken("xfail"), broken("fail", "bind-fails-too")])), "core", "server", "Core features");
  assert.deepEqual(fresh.deviations, [{ id: "BIND-GEN-01", documented: false }]);
  assert.match(describeStatus(fresh), /^1 deviation at MUST \(none documented by a profile\)/);
  // Every suite needs the core suite: its deviations count in each.
  assert.deepEqual(
    documented.suites.filter((s) => s.level === "server").map((s) => [s.suite, s.status, s.deviations.length]),
    [
      ["core", "deviations", 1],
      ["web", "deviations", 1],
      ["im", "deviations", 1],
      ["mobile", "deviations", 1],
      ["av", "deviations", 1],
    ],
  );
  // A SHOULD broken is no deviation of the feature.
  const warned = makeCase({
    ...broken("fail"),
    id: "warned",
    verdict: "warn",
    failures: [{ ...broken("fail").failures[0], level: "SHOULD" }],
    requirementResults: [{ id: "BIND-GEN-01", verdict: "warn" }],
  });
  assert.equal(feature(complianceOf(makeRun([passing(core), warned])), "core", "server", "Core features").status, "conformant");
});

test("a run of some of the suite's cases gives no feature or suite a verdict: partial, k of n cases ran", () => {
  const one = makeRun([passing(core)], { suite: { rfc6120: 110, rfc6121: 356 } });
  const report = complianceOf(one);
  const f = feature(report, "core", "server", "Core features");
  assert.deepEqual([f.status, f.cases], ["partial", { ran: 1, of: 110 }]);
  assert.equal(describeStatus(f), "partial: 1 of 110 cases ran, no verdict");
  assert.equal(feature(report, "im", "server", "Core features").status, "partial", "none of RFC 6121's 356 cases ran");
  assert.deepEqual([...new Set(report.suites.map((s) => s.status))].sort(), ["partial"]);
  assert.match(renderComplianceMarkdown(report), /No verdict: this run ran only some of the suite's cases/);
  assert.doesNotMatch(renderComplianceMarkdown(report), /\| (conformant|\d+ deviations? at MUST)/);
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
      ["Core features", "conformant"],
      ["Pings", "not implemented"],
    ],
  );
  const md = renderComplianceMarkdown(complianceOf(makeRun([passing(core)])));
  assert.match(md, /^#### Server$/m);
  assert.match(md, /^\| Core \| \*\*not covered by this suite yet: TLS, Feature discovery, Server Extensibility; the rest \d+ of \d+ MUST requirements held\*\* \|$/m);
  assert.match(md, /^\| Core \| Core features \| \[RFC 6120\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc6120\) \| conformant: \d+ of \d+ MUST requirements held \|/m);
  assert.match(renderHtml(makeRun([passing(core)])), /<h2 id="suites">Compliance suites \(XMPP Compliance Suites 2023, XEP-0479/);
  // The reporter writes both files.
  const out = tempDir("xc-suites-");
  await reporters.compliance({ outDir: out, stream: process.stdout, color: false, strict: false }).onEnd!(makeRun([passing(core)]));
  assert.equal(JSON.parse(readFileSync(path.join(out, "compliance.json"), "utf8")).suites.length, 10);
  assert.match(readFileSync(path.join(out, "compliance.md"), "utf8"), /XEP-0479/);
});

test("a feature whose cases need another way of reaching the server (TLS, WebSocket) is not judged, with why; its suite is judged on the rest and names it", () => {
  const tlsCase = (id: string, requirements: string[], ran: boolean) =>
    makeCase({
      id,
      spec: "rfc7590",
      rfc: "1",
      requirements,
      ...(ran
        ? { requirementResults: requirements.map((r) => ({ id: r, verdict: "pass" as const })) }
        : { verdict: "skip" as const, reason: "not judged over this connection: needs tls (the run reaches the server without TLS: --tls starttls or --tls direct)", unmet: ["tls"] }),
    });
  const plain = complianceOf(makeRun([passing(core), tlsCase("tls-clients-authenticated", ["TLSBCP-AUTH-01"], true), tlsCase("tls-version-1-2", ["TLSBCP-VER-05"], false)]));
  const f = feature(plain, "core", "server", "TLS");
  assert.equal(f.status, "not judged");
  assert.equal(describeStatus(f), "not judged over this connection: needs tls (the run reaches the server without TLS: --tls starttls or --tls direct)");
  const suite = plain.suites.find((s) => s.suite === "core" && s.level === "server")!;
  assert.notEqual(suite.status, "not judged");
  assert.match(describeStatus(suite), /; not judged over this connection: TLS$/);
  // Over TLS both run, and the feature has its verdict.
  const overTls = complianceOf(makeRun([tlsCase("tls-clients-authenticated", ["TLSBCP-AUTH-01"], true), tlsCase("tls-version-1-2", ["TLSBCP-VER-05"], true)]));
  assert.equal(feature(overTls, "core", "server", "TLS").status, "conformant");
});
