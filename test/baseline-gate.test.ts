import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Element } from "ltx";
import { readResults } from "../src/results/read.ts";
import { FaultProxy } from "./support/fault-proxy.ts";
import { prosody } from "./support/prosody.ts";
import { ROOT, runCli } from "./support/cli.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * The CI gate as a maintainer runs it: a baseline accepted from a run, then a regression made in front of the
 * same real server (the fault proxy). The gate speaks only of what changed, and nothing stays green by accident.
 */
const CASES = ["roster-add-push", "roster-get-empty", "roster-set-two-items", "presence-probe-full-jid", "carbons-enable/none", "carbons-received/chat"];
const dir = tempDir("xc-baseline-");
let server: Awaited<ReturnType<typeof prosody>>;
let proxy: FaultProxy;
let port: number;
const baseline = path.join(dir, "conformance", "baseline.json");

const run = (out: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  runCli(["run", ...CASES, "--server", `127.0.0.1:${port}`, "--domain", "localhost", "--timeout", "1000", "--out", path.join(dir, out), ...extra], { env });

before(async () => {
  server = await prosody();
  proxy = new FaultProxy({ host: server.host, port: server.port });
  port = await proxy.listen();
  // The baseline: this server as it is (presence-probe-full-jid fails on Prosody 0.12, a known failure).
  const first = await run("first", ["--profile", "none", "--reporter", "json"]);
  assert.equal(first.code, 1, first.stdout + first.stderr);
  const accepted = await runCli(["baseline", "accept", path.join(dir, "first/results.json"), "-o", baseline]);
  assert.equal(accepted.code, 0, accepted.stderr);
});
after(async () => {
  await proxy.close();
  await server.stop();
});

const isRosterPush = (el: Element) => el.name === "iq" && el.attrs.type === "set" && Boolean(el.getChild("query", "jabber:iq:roster"));

test("baseline mode on a regression: only the regressions are annotated and are JUnit's failures, the summary leads with them, exit 1", async () => {
  // A regression: roster pushes reach only the resource that made the change.
  proxy.fault = (el, { conn }) => (isRosterPush(el) && conn.jid?.endsWith("/chamber") ? "drop" : "pass");
  try {
    const r = await run("regressed", ["--profile", "none", "--baseline", baseline, "--reporter", "jsonl,console,junit,json,markdown,github"], { GITHUB_ACTIONS: "true" });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const results = readResults(path.join(dir, "regressed/results.json"));
    const worse = results.cases.filter((c) => c.baseline?.change === "worse").map((c) => c.id);
    assert.deepEqual(worse, ["roster-add-push"]);
    // The known failure is still a failure, and still there: it is not news.
    assert.equal(results.cases.find((c) => c.id === "presence-probe-full-jid")?.verdict, "fail");
    // Annotations: the regression only.
    const annotations = r.stdout.split("\n").filter((l) => l.startsWith("::error") || l.startsWith("::warning"));
    assert.ok(annotations.length > 0 && annotations.every((l) => l.includes("roster-add-push")), annotations.join("\n"));
    // JUnit: its failures are the regressions; the known failure is skipped, with the baseline's verdict.
    const junit = readFileSync(path.join(dir, "regressed/junit.xml"), "utf8");
    assert.equal(junit.match(/<failure /g)?.length, 1);
    assert.match(junit, /<testcase classname="rfc6121\.section-2\.3\.2" name="roster-add-push: [^"]*"[^>]*>[\s\S]*?<failure /);
    assert.match(junit, /<property name="known" value="fail in the baseline: [^"]*"\/>/);
    // The summary starts with the changes; the console's end leads with them too.
    const summary = readFileSync(path.join(dir, "regressed/summary.md"), "utf8");
    assert.match(summary, /^### XMPP conformance: changes since the baseline\n\n\*\*1 worse, 0 lost, 0 better, 0 changed, 0 new, 0 gone, 5 unchanged\*\*/);
    assert.match(r.stdout, /^compared with the baseline .*:\n {2}1 worse, 0 lost/m);
    assert.match(r.stdout, /^what to fix first \(\d+ entr(y|ies), MUST first\):\nMUST {3}ROSTER-[A-Z]+-\d+ .*roster-add-push/m);
    assert.doesNotMatch(r.stdout.slice(r.stdout.indexOf("what to fix first")), /presence-probe-full-jid/);
  } finally {
    proxy.fault = undefined;
  }
});

test("coverage lost is a change the gate fails on unless it is allowed: a server that stops advertising Carbons", async () => {
  // The server's disco#info loses urn:xmpp:carbons:2: its cases skip.
  proxy.fault = (el) => {
    const query = el.name === "iq" && el.attrs.type === "result" ? el.getChild("query", "http://jabber.org/protocol/disco#info") : undefined;
    if (!query) return "pass";
    query.children = query.children.filter((c) => typeof c === "string" || c.attrs.var !== "urn:xmpp:carbons:2");
    return [el];
  };
  try {
    const lost = await run("lost", ["--profile", "none", "--baseline", baseline, "--reporter", "json,console,junit"]);
    assert.equal(lost.code, 1, lost.stdout);
    assert.match(lost.stdout, /^Lost \(observed in the baseline, not now\):\n {2}carbons-/m);
    assert.match(readFileSync(path.join(dir, "lost/junit.xml"), "utf8"), /<failure message="lost: pass in the baseline, skip now: [^"]*" type="lost"\/>/);
    const allowed = await run("allowed", ["--profile", "none", "--baseline", baseline, "--allow-lost", "--reporter", "json"]);
    assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
  } finally {
    proxy.fault = undefined;
  }
});

test("nothing stays green by accident: an empty selection exits 2; one run's reports replace the last run's", async () => {
  const empty = await runCli(["run", "--server", `127.0.0.1:${port}`, "--domain", "localhost", "--grep", "^no-such-case$"]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /the selection matches no case \(--grep \^no-such-case\$\)/);
  // A later run with other reporters leaves no file of the earlier one beside its own.
  const again = await run("first", ["--profile", "none", "--reporter", "junit"]);
  assert.equal(again.code, 1);
  assert.deepEqual(readdirSync(path.join(dir, "first")).sort(), ["junit.xml"]);
});

test("every CI recipe gates on the baseline and is green on an unchanged server (its command, narrowed to the baseline's cases)", async () => {
  const recipes = readdirSync(path.join(ROOT, "docs/ci")).map((f) => ({ f, text: readFileSync(path.join(ROOT, "docs/ci", f), "utf8") }));
  assert.ok(recipes.length >= 4);
  for (const { f, text } of recipes) {
    const line = /npx --yes xmpp-conform@\S+ (run [^\n']*)/.exec(text)?.[1];
    assert.ok(line, `${f}: runs xmpp-conform`);
    assert.match(line, /--baseline conformance\/baseline\.json/, `${f}: gates on the repository's baseline`);
    assert.doesNotMatch(text, /RFC 6121 conformance|rfc6121/i, `${f}: names the whole suite`);
    const words = line
      .replace(/"?\$XMPP_SERVER"?|"?127\.0\.0\.1:\$XMPP_PORT"?|127\.0\.0\.1:5222|server:5222/, `127.0.0.1:${port}`)
      .replace(/"?\$XMPP_DOMAIN"?/, "localhost")
      .replace("conformance/baseline.json", baseline)
      .replace(/--out reports/, `--out ${path.join(dir, `recipe-${f}`)}`)
      .split(/\s+/)
      .filter(Boolean);
    const r = await runCli([...words, "--timeout", "1000", ...CASES]);
    assert.equal(r.code, 0, `${f}: ${words.join(" ")}\n${r.stdout}${r.stderr}`);
  }
});
