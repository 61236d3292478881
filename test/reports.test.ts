import { test, before } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { complianceRows } from "../src/report/compliance.ts";
import { resultsJsonSchema } from "../src/results/schema.ts";
import type { RunResult } from "../src/results/schema.ts";
import { launchChromium } from "./support/browser.ts";
import { ROOT, runCli, type CliResult } from "./support/cli.ts";
import { JUNIT_XSD, validateXml } from "./support/xmllint.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * The README's main command (default reporters) against a throwaway local Prosody, once, on the roster
 * scenarios (the whole suite takes half a minute) and one extra case that must fail; every report is then
 * checked the way its readers use it.
 */
const dir = tempDir("xc-reports-");
const out = path.join(dir, "reports");
let cli: CliResult;
let results: RunResult;

before(async () => {
  const wrong = readFileSync(path.join(ROOT, "scenarios/roster/add-push.yaml"), "utf8")
    .replace("id: roster-add-push", "id: wrong-group")
    .replace("<item jid='${nurse}'/></query></iq>", "<item jid='${nurse}' name='Nursz'/></query></iq>");
  writeFileSync(path.join(dir, "wrong.yaml"), wrong);
  cli = await runCli(["run", path.join(ROOT, "scenarios/roster"), path.join(dir, "wrong.yaml"), "--target", "local:prosody", "--timeout", "1000", "--out", out]);
  results = JSON.parse(readFileSync(path.join(out, "results.json"), "utf8"));
});

const wrongGroup = () => results.cases.find((c) => c.id === "wrong-group")!;

test("the README's command leaves junit.xml, results.json, report.html and summary.md", () => {
  assert.equal(cli.code, 1, cli.stderr);
  for (const f of ["junit.xml", "results.json", "report.html", "summary.md"]) assert.ok(existsSync(path.join(out, f)), f);
  assert.equal(wrongGroup().verdict, "fail");
});

test("results.json validates against docs/results.schema.json, which is generated from the types", () => {
  const schema = JSON.parse(readFileSync(path.join(ROOT, "docs/results.schema.json"), "utf8"));
  assert.deepEqual(schema, resultsJsonSchema(), "docs/results.schema.json is stale: npm run schema");
  const validate = new Ajv2020({ allErrors: true }).compile(schema);
  assert.equal(validate(results), true, JSON.stringify(validate.errors, null, 2));
  const broken = structuredClone(results) as unknown as { cases: Record<string, unknown>[] };
  broken.cases[0].verdict = "passed";
  assert.equal(validate(broken), false);
});

test("junit.xml is valid against the JUnit schema CI test tabs read", () => {
  const real = validateXml(path.join(out, "junit.xml"), JUNIT_XSD);
  assert.ok(real.ok, real.output);
  // Every failure message quotes its rule, with its section and level.
  const junit = readFileSync(path.join(out, "junit.xml"), "utf8");
  assert.match(junit, /<failure message="juliet\/balcony did not receive[^"]* \| rule: RFC 6121 §2\.\d[.\d]* MUST: &quot;[^"]*\bMUST\b[^"]*&quot;" type="fail"\/>/);
  for (const m of junit.matchAll(/<failure message="([^"]*)"/g)) assert.match(m[1], / \| rule: (RFC|XEP)[- ]\d+ §[\dA-Z.]+ (MUST|SHOULD|MAY)/, m[1]);
  // The check can fail: a testcase without a name, properties after the outcome, a time that is not a number.
  const invalid = path.join(dir, "invalid.xml");
  for (const bad of [`<testcase classname="c"/>`, `<testcase name="c"><failure/><properties><property name="a" value="b"/></properties></testcase>`, `<testcase name="c" time="soon"/>`]) {
    writeFileSync(invalid, `<testsuites><testsuite name="s" tests="1">${bad}</testsuite></testsuites>`);
    assert.equal(validateXml(invalid, JUNIT_XSD).ok, false, bad);
  }
});

test("summary.md has the totals, each failure with a one-line reason, and a table per section", () => {
  const md = readFileSync(path.join(out, "summary.md"), "utf8");
  assert.match(md, /^### XMPP conformance: local:prosody \(Prosody /);
  assert.match(md, new RegExp(`\\*\\*\\d+ passed, \\d+ (failed|new failures?)[^*]*\\*\\* of ${results.cases.length} cases`));
  // What to fix first: the rule's words, each case with what came instead (not cut before it), a rerun command.
  assert.match(md, /^- \*\*MUST\*\* `ROSTER-[A-Z]+-\d+` \(\[RFC 6121 §[\d.]+\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc6121#section-[\d.]+\)\): ".*\bMUST\b.*"$/m);
  assert.match(md, /^ {2}- `wrong-group` \(fail\): got &lt;iq [^\n]*: iq\/query\/item@name: expected 'Nursz', got 'Nurse'$/m);
  assert.match(md, /^ {2}- rerun: `npx xmpp-conform run --target local:prosody [^`]*wrong-group[^`]*`$/m);
  assert.match(md, /^\| \[§2\.3\.2\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc6121#section-2\.3\.2\) \| \d+ \|/m);
});

test("report.html in headless Chromium: compliance table, verdict badges, filters, readable transcripts, no network", async () => {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const requests: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith("file:")) requests.push(r.url());
  });
  try {
    await page.goto(`file://${path.join(out, "report.html")}`);
    // It opens on what to fix first; the first case shown needs attention.
    assert.equal(
      await page
        .locator("h2")
        .first()
        .textContent()
        .then((t) => t?.startsWith("What to fix first")),
      true,
    );
    assert.equal(await page.locator("#cases details.case").first().getAttribute("data-verdict"), "fail");
    // The counts are filters kept in the URL.
    await page.click("a.tile.t-fail");
    assert.match(page.url(), /#verdict=fail$/);
    // The filter follows the hash on 'hashchange', which the page dispatches after the click returns.
    await page.waitForFunction(() => document.querySelector("a.tile.t-fail")?.classList.contains("on"), null, { timeout: 5000 });
    assert.equal(await page.locator("#cases [data-row]:visible").count(), results.cases.filter((c) => c.verdict === "fail").length);
    await page.click('a.tile[href="#"]');
    await page.selectOption('select[data-filter="verdict"]', "");
    // The requirement table is packed in the page and expanded when opened.
    await page.click('details[data-packed="requirements-table"] > summary');
    await page.locator("#compliance tbody tr").first().waitFor();
    assert.equal(await page.locator("#compliance tbody tr").count(), complianceRows(results).length);
    assert.equal(await page.locator("#compliance tbody tr", { hasText: "ROSTER-ADD-02" }).locator("td:nth-child(4) .badge").textContent(), "FAIL");
    const wrong = page.locator("#case-wrong-group");
    assert.equal(await wrong.locator("summary .badge").textContent(), "FAIL");
    assert.equal(await wrong.locator("summary a").getAttribute("href"), "https://www.rfc-editor.org/rfc/rfc6121#section-2.3.2");

    await page.selectOption('select[data-filter="section"]', "2.3");
    const under23 = complianceRows(results).filter((r) => r.section === "2.3" || r.section.startsWith("2.3.")).length;
    assert.ok(under23 > 0);
    assert.equal(await page.locator("#compliance [data-row]:visible").count(), under23);
    await page.selectOption('select[data-filter="section"]', "");

    await page.selectOption('select[data-filter="verdict"]', "fail");
    const failing = results.cases.filter((c) => c.verdict === "fail").length;
    assert.equal(await page.locator("#cases [data-row]:visible").count(), failing);
    assert.equal(await page.locator('[data-count-of="cases"]').textContent(), String(failing));
    await page.fill('input[data-filter="text"]', "wrong-group");
    assert.equal(await page.locator("#cases [data-row]:visible").count(), 1);

    assert.match(await wrong.locator(".failure pre.xml").first().innerText(), /^<iq [^\n]*>\n {2}<query /);
    await wrong.locator("details.transcript > summary").click();
    await wrong.locator("table.transcript").waitFor({ state: "attached" });
    const harnessRow = wrong.locator("tr.harness").first();
    assert.equal(await harnessRow.isVisible(), false);
    await page.check("#show-harness");
    assert.equal(await harnessRow.isVisible(), true);
    // A case that needs no attention keeps its body packed until it is opened.
    const passing = results.cases.find((c) => c.verdict === "pass")!;
    await page.fill('input[data-filter="text"]', "");
    await page.selectOption('select[data-filter="verdict"]', "pass");
    const quiet = page.locator(`[id="case-${passing.id}"]`);
    assert.equal(await quiet.locator(".case-body").count(), 0);
    await quiet.locator("summary").click();
    await quiet.locator(".case-body .meta").waitFor();
    assert.match(await quiet.locator(".case-body .meta").innerText(), new RegExp(passing.requirements[0]));
    assert.deepEqual(requests, []);
  } catch (err) {
    const shot = path.join(dir, "report-failure.png");
    await page.screenshot({ path: shot });
    process.stderr.write(`screenshot of the failing page: ${shot}\n`);
    throw err;
  } finally {
    await browser.close();
  }
});
