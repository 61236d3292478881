import { gunzipSync } from "node:zlib";
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { complianceRows, compareSections } from "../src/report/compliance.ts";
import { renderHtml } from "../src/report/html.ts";
import { junitReporter, renderJunit } from "../src/report/junit.ts";
import { markdownReporter } from "../src/report/markdown.ts";
import { buildMatrix, renderMatrixHtml, renderMatrixMarkdown } from "../src/report/matrix.ts";
import { prettyXml } from "../src/report/xml-pretty.ts";
import { rerunCommand } from "../src/results/commands.ts";
import { mergeRuns } from "../src/results/merge.ts";
import { makeCase, makeRun } from "./support/results.ts";
import { JUNIT_XSD, validateXml } from "./support/xmllint.ts";
import { tempDir } from "./support/temp-dir.ts";

/** The reporters and the matrix and merge logic on results records built in memory. */
const tmp = () => tempDir("xc-render-");

const failing = makeCase({
  id: "roster-add-push",
  requirements: ["ROSTER-ADD-01", "ROSTER-ADD-02"],
  verdict: "fail",
  reason: "juliet/balcony did not receive <iq type='result'/> | within 300 ms",
  failures: [
    { step: "juliet/balcony receives", pos: { file: "f.yaml", line: 9, col: 3 }, level: "MUST", requirements: ["ROSTER-ADD-02"], message: "no push", expected: ["<iq type='set'/>"], closest: [] },
  ],
  transcript: [
    { at: 1.5, session: "juliet/balcony", dir: "out", xml: "<iq type='set' id='a'><query xmlns='jabber:iq:roster'><item jid='n@d'/></query></iq>" },
    { at: 2, session: "juliet/balcony", dir: "in", xml: "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>", harness: true },
  ],
});

test("the compliance table has a row per cited requirement, in section order, with the worst verdict of its cases", () => {
  const run = makeRun([
    failing,
    makeCase({ id: "roster-get-empty", rfc: "2.1.4", requirements: ["ROSTER-GET-02", "ROSTER-ADD-01"], verdict: "warn" }),
    makeCase({ id: "own", rfc: "2.10", requirements: ["NOT-IN-CATALOG-01"] }),
  ]);
  const rows = complianceRows(run);
  assert.deepEqual(
    rows.map((r) => [r.id, r.section, r.status]),
    [
      ["ROSTER-GET-02", "2.1.4", "warn"],
      ["ROSTER-ADD-01", "2.3.2", "fail"],
      ["ROSTER-ADD-02", "2.3.2", "fail"],
      ["NOT-IN-CATALOG-01", "2.10", "pass"],
    ],
  );
  assert.equal(rows[0].url, "https://www.rfc-editor.org/rfc/rfc6121#section-2.1.4");
  assert.equal(rows[3].text, undefined);
  assert.deepEqual(["A.2.1", "2.10", "2.9", "2", "10.1"].sort(compareSections), ["2", "2.9", "2.10", "10.1", "A.2.1"]);
});

test("the HTML report escapes what servers and scenarios wrote, links sections to the RFC, shows deviations and notes", () => {
  const known = makeCase({
    id: "known",
    verdict: "xfail",
    reason: "as the profile expects",
    deviation: { source: "profiles/p.yaml:3", reason: "no bad-request", link: "https://issues.example/1", verdict: "fail" },
  });
  const run = makeRun([makeCase({ id: "evil", reason: `<script>alert("x")</script>`, verdict: "error", title: "a & b" }), known], { notes: ["certificate <not> verified"] });
  const html = renderHtml(run);
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  assert.match(html, /a &amp; b/);
  assert.match(html, /<a href="https:\/\/www\.rfc-editor\.org\/rfc\/rfc6121#section-2\.3\.2">RFC 6121 §2\.3\.2<\/a>/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  // A documented deviation needs no attention: its body is packed in the page and shown when the case is opened.
  assert.match(html, /<details class="case" id="case-known"[^>]* data-body>/);
  const packed = /<script type="application\/gzip\+json" id="case-bodies">([^<]*)<\/script>/.exec(html)![1];
  const bodies = JSON.parse(gunzipSync(Buffer.from(packed, "base64")).toString()) as Record<string, string>;
  assert.match(bodies.known, /profiles\/p\.yaml:3<\/span>\): no bad-request <a href="https:\/\/issues\.example\/1">.*Without the profile: <span class="badge v-fail">FAIL<\/span>/);
  assert.equal(bodies.evil, undefined, "an error's body is in the page itself");
  assert.match(html, /<b>Note:<\/b> certificate &lt;not&gt; verified/);
});

test("stanzas are indented for reading; what is not one element stays as it was", () => {
  assert.equal(
    prettyXml(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='a&amp;b'><group>G &lt;1&gt;</group></item></query></iq>`),
    `<iq type="set">\n  <query xmlns="jabber:iq:roster">\n    <item jid="a&amp;b">\n      <group>G &lt;1&gt;</group>\n    </item>\n  </query>\n</iq>`,
  );
  assert.equal(prettyXml("set-up done"), "set-up done");
  assert.equal(prettyXml("<stream:stream to='d'>"), "<stream:stream to='d'>");
});

test("summary.md is written and, under GitHub Actions, appended to the step summary", () => {
  const dir = tmp();
  const summary = path.join(dir, "step-summary.md");
  writeFileSync(summary, "earlier step\n");
  process.env.GITHUB_STEP_SUMMARY = summary;
  try {
    const piped = makeCase({ ...failing, id: "piped", failures: [{ ...failing.failures[0], message: "did not receive <iq type='result'/> | within 300 ms" }] });
    markdownReporter({ outDir: dir, stream: process.stdout, color: false, strict: false }).onEnd?.(makeRun([failing, piped, makeCase({ id: "ok" })]));
  } finally {
    delete process.env.GITHUB_STEP_SUMMARY;
  }
  const md = readFileSync(path.join(dir, "summary.md"), "utf8");
  assert.equal(readFileSync(summary, "utf8"), `earlier step\n${md}`);
  // What to fix first: the requirement with the rule's own words and its section, each case in one line (the pipe
  // and the tags made harmless), and the command that reruns them.
  assert.match(
    md,
    /^- \*\*MUST\*\* `ROSTER-ADD-02` \(\[RFC 6121 §2\.3\.2\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc6121#section-2\.3\.2\)\): "The server MUST also send a roster push containing the new roster item to all of the user's interested resources, including the resource that generated the roster set\."$/m,
  );
  // The text's own words, never the catalog's paraphrase.
  assert.doesNotMatch(md, /A successful add also pushes/);
  assert.match(md, /^ {2}- `roster-add-push` \(fail\): no push$/m);
  assert.match(md, /^ {2}- `piped` \(fail\): did not receive &lt;iq type='result'\/&gt; \\\| within 300 ms$/m);
  assert.match(md, /^ {2}- rerun: `npx xmpp-conform run --target local:prosody roster-add-push piped`$/m);
  assert.match(md, /^\| \[§2\.3\.2\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc6121#section-2\.3\.2\) \| 3 \| 1 \| 2 \| fail \|$/m);
});

test("junit.xml stays valid against the JUnit schema with every verdict, control characters and ']]>' in stanzas", () => {
  const verdicts = ["pass", "fail", "warn", "error", "skip", "xfail", "xpass"] as const;
  const cases = verdicts.map((verdict) =>
    makeCase({ id: `c-${verdict}`, verdict, reason: `why \u0001 ${verdict}`, transcript: [{ at: 1, session: "a/b", dir: "in", xml: "<message><body>]]>\u0007</body></message>" }] }),
  );
  const file = path.join(tmp(), "junit.xml");
  writeFileSync(file, renderJunit(makeRun([...cases, failing]), { strict: false }));
  const r = validateXml(file, JUNIT_XSD);
  assert.ok(r.ok, r.output);
  const xml = readFileSync(file, "utf8");
  assert.match(xml, /<testsuites tests="8" failures="3" errors="1" skipped="3"/);
  assert.match(xml, /<property name="verdict" value="xfail"\/>\s*<\/properties>\s*<skipped\/>/);
  assert.match(xml, /<property name="requirements" value="ROSTER-ADD-01,ROSTER-ADD-02"\/>/);
  assert.match(xml, /requirements: ROSTER-ADD-01, ROSTER-ADD-02 {2}verdict: fail/);
});

test("junit.xml shows a warning as skipped with a warning property and its reason first in the output, and under --strict as a failure", () => {
  const warned = makeCase({
    id: "roster-get-ver",
    level: "SHOULD",
    verdict: "warn",
    reason: "juliet/balcony did not receive <iq ver=''/>",
    failures: [
      {
        step: "juliet/balcony receives",
        pos: { file: "f.yaml", line: 7, col: 3 },
        level: "SHOULD",
        requirements: ["ROSTER-VER-03"],
        message: "no ver",
        expected: ["<iq/>"],
        closest: [{ xml: "<iq type='result'/>", problems: ["iq: attribute ver missing"] }],
      },
    ],
  });
  const run = makeRun([warned, makeCase({ id: "ok" })], { options: { strict: false } });
  const dir = tmp();
  for (const strict of [false, true]) {
    const file = path.join(dir, `junit-${strict}.xml`);
    writeFileSync(file, renderJunit(run, { strict }));
    const r = validateXml(file, JUNIT_XSD);
    assert.ok(r.ok, r.output);
  }
  const lenient = readFileSync(path.join(dir, "junit-false.xml"), "utf8");
  assert.match(lenient, /<testsuites tests="2" failures="0" errors="0" skipped="1"/);
  // Skipped (neither a pass nor a failure of the tab), the warning as a property and first in the output.
  assert.match(lenient, /<property name="warning" value="SHOULD broken: juliet\/balcony did not receive &lt;iq ver=''\/>"\/>/);
  assert.match(lenient, /<skipped\/>/);
  assert.match(lenient, /<system-out><!\[CDATA\[WARNING, SHOULD broken: juliet\/balcony did not receive <iq ver=''\/>\n[^\]]*iq: attribute ver missing/);
  const strict = readFileSync(path.join(dir, "junit-true.xml"), "utf8");
  assert.match(strict, /<testsuites tests="2" failures="1" errors="0" skipped="0"/);
  assert.match(strict, /<failure message="SHOULD broken \(--strict\): juliet[^"]*" type="warn"\/>/);
  // The reporter takes --strict from the run's options.
  const out = tmp();
  junitReporter({ outDir: out, stream: process.stdout, color: false, strict: false }).onEnd?.(makeRun([warned], { options: { strict: true } }));
  assert.match(readFileSync(path.join(out, "junit.xml"), "utf8"), /<failure message="[^"]*" type="warn"/);
});

test("the matrix puts servers side by side and marks the rows where they disagree", () => {
  const prosody = makeRun([makeCase({ id: "a" }), makeCase({ id: "b", requirements: ["ROSTER-ADD-02"] }), makeCase({ id: "c", verdict: "skip" })]);
  const ejabberd = makeRun([makeCase({ id: "a" }), makeCase({ id: "b", requirements: ["ROSTER-ADD-02"], verdict: "fail" })], {
    target: { name: "local:ejabberd", host: "127.0.0.1", port: 5222, domain: "localhost", software: { name: "ejabberd", version: "23.01" } },
  });
  const m = buildMatrix(
    [
      { file: "p/results.json", run: prosody },
      { file: "e/results.json", run: ejabberd },
    ],
    "case",
  );
  assert.deepEqual(
    m.columns.map((c) => c.label),
    ["Prosody 0.12.3", "ejabberd 23.01"],
  );
  assert.deepEqual(
    m.rows.map((r) => [r.key, r.cells.map((c) => c?.verdict), r.differ]),
    [
      ["b", ["pass", "fail"], true],
      ["a", ["pass", "pass"], false],
      ["c", ["skip", undefined], false],
    ],
  );
  const html = renderMatrixHtml(m);
  assert.equal(html.match(/<td class="differ"/g)?.length, 2);
  assert.match(html, /<b>1<\/b> of 3 cases differ/);
  const md = renderMatrixMarkdown(m);
  assert.match(md, /^\| ≠ \| `b` \| \[§2\.3\.2\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc6121#section-2\.3\.2\) \| MUST \| \*\*pass\*\* \| \*\*fail\*\* \|$/m);
  assert.match(md, /^\| {2}\| `c` \| .* \| skip \| – \|$/m);

  const byReq = buildMatrix(
    [
      { file: "p/results.json", run: prosody },
      { file: "e/results.json", run: ejabberd },
    ],
    "requirement",
  );
  // A requirement's cell is the worst of what its cases showed of it: a skipped case shows nothing, so
  // Prosody's ROSTER-ADD-01 is what its passing case showed.
  assert.deepEqual(
    byReq.rows.map((r) => [r.key, r.cells.map((c) => c?.verdict), r.differ]),
    [
      ["ROSTER-ADD-02", ["pass", "fail"], true],
      ["ROSTER-ADD-01", ["pass", "pass"], false],
    ],
  );
  // Two runs of the same server get the file in their label.
  assert.deepEqual(
    buildMatrix(
      [
        { file: "x/results.json", run: prosody },
        { file: "y/results.json", run: prosody },
      ],
      "case",
    ).columns.map((c) => c.label),
    ["Prosody 0.12.3 (x/results.json)", "Prosody 0.12.3 (y/results.json)"],
  );
});

test("merge joins shards of one run and refuses results that are not shards of it", () => {
  const one = makeRun([makeCase({ id: "a" }), makeCase({ id: "b", verdict: "fail" })], { startedAt: "2026-01-01T10:00:00.000Z", durationMs: 2000 });
  const two = makeRun([makeCase({ id: "c" })], {
    startedAt: "2026-01-01T10:00:01.000Z",
    durationMs: 3000,
    target: { ...one.target, port: 6000 },
    accounts: { created: 2, notRemoved: 1 },
    notes: ["no profile"],
  });
  const merged = mergeRuns([
    { file: "1.json", run: one },
    { file: "2.json", run: two },
  ]);
  assert.deepEqual(
    merged.cases.map((c) => c.id),
    ["a", "b", "c"],
  );
  assert.equal(merged.durationMs, 4000);
  assert.deepEqual(merged.accounts, { created: 6, notRemoved: 1 });
  assert.deepEqual(merged.notes, ["no profile"]);
  assert.throws(
    () =>
      mergeRuns([
        { file: "1.json", run: one },
        { file: "1b.json", run: one },
      ]),
    /case a is in both 1\.json and 1b\.json/,
  );
  const other = makeRun([makeCase({ id: "z" })], { options: { timeoutMs: 500 } });
  assert.throws(
    () =>
      mergeRuns([
        { file: "1.json", run: one },
        { file: "3.json", run: other },
      ]),
    /not a shard of the same run as 1\.json: options differ/,
  );
});

test("reports group by specification: totals per RFC side by side in summary.md and report.html, sections per RFC", () => {
  const run = makeRun([
    makeCase({ id: "roster-add", spec: "rfc6121", rfc: "2.3.2", requirements: ["ROSTER-ADD-01"] }),
    makeCase({ id: "roster-bad", spec: "rfc6121", rfc: "2.3.3", verdict: "fail", reason: "no push" }),
    makeCase({ id: "stream-header", spec: "rfc6120", rfc: "4.7", requirements: ["STREAM-ID-01"] }),
    makeCase({ id: "sasl-condition", spec: "rfc6120", rfc: "6.5.10", level: "SHOULD", requirements: ["SASL-ERR-05"], verdict: "warn", reason: "other condition" }),
  ]);
  const dir = tempDir("xc-spec-");
  markdownReporter({ outDir: dir, stream: process.stdout, color: false, strict: false }).onEnd!(run);
  const md = readFileSync(path.join(dir, "summary.md"), "utf8");
  assert.match(md, /\| Specification \| Cases \| pass \| fail \| warn \|/);
  assert.match(md, /\| RFC 6120 \| 2 \| 1 \|  \| 1 \|/);
  assert.match(md, /\| RFC 6121 \| 2 \| 1 \| 1 \|  \|/);
  assert.ok(md.indexOf("#### By RFC 6120 section") < md.indexOf("#### By RFC 6121 section"), "the section tables follow the specifications' order");
  const html = renderHtml(run);
  const table = /<table id="by-spec"[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
  assert.match(table, /RFC 6120<\/b><\/td><td class="num">2<\/td>/);
  assert.match(table, /RFC 6121<\/b><\/td><td class="num">2<\/td>/);
  // One specification only: no table of one row.
  assert.doesNotMatch(renderHtml(makeRun([makeCase({ id: "only" })])), /id="by-spec"/);
});

test("junit.xml has a testsuite per specification, each valid and with the run's properties", () => {
  const run = makeRun([
    makeCase({ id: "roster-add", spec: "rfc6121" }),
    makeCase({ id: "stream-header", spec: "rfc6120", rfc: "4.7", requirements: ["STREAM-ID-01"], verdict: "fail", reason: "no id" }),
  ]);
  const xml = renderJunit(run, { strict: false });
  const file = path.join(tmp(), "junit.xml");
  writeFileSync(file, xml);
  const valid = validateXml(file, JUNIT_XSD);
  assert.ok(valid.ok, valid.output);
  const suites = [...xml.matchAll(/<testsuite name="([^"]*)"[^>]*tests="(\d+)"/g)].map((m) => [m[1].split(":")[0], m[2]]);
  assert.deepEqual(suites, [
    ["XMPP conformance (RFC 6120)", "1"],
    ["XMPP conformance (RFC 6121)", "1"],
  ]);
  assert.equal([...xml.matchAll(/<property name="target" value="local:prosody"\/>/g)].length, 2);
  assert.match(xml, /<testsuites tests="2" failures="1"/);
});

test("the rerun command starts a local target as the run did: its transport and TLS; a running server is reached as it was", () => {
  const bosh = makeRun([failing], {
    target: { name: "local:prosody@13", host: "127.0.0.1", port: 5222, domain: "localhost", transport: { bosh: "http://127.0.0.1:5280/http-bind", tls: "none" } },
    options: { timeoutMs: 3000, tls: "starttls" },
  });
  assert.equal(rerunCommand(bosh, ["roster-add-push"]), "npx xmpp-conform run --target local:prosody@13 --bosh --tls starttls roster-add-push");
  const ws = makeRun([failing], {
    target: { name: "127.0.0.1:5280", host: "127.0.0.1", port: 5280, domain: "localhost", transport: { websocket: "ws://127.0.0.1:5280/xmpp-websocket", tls: "none" } },
  });
  assert.equal(rerunCommand(ws, ["roster-add-push"]), "npx xmpp-conform run --websocket ws://127.0.0.1:5280/xmpp-websocket --domain localhost roster-add-push");
});
