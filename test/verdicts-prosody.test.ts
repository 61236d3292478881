import { describe, test } from "node:test";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import assert from "node:assert/strict";
import { run } from "../src/index.ts";
import { FaultProxy } from "./support/fault-proxy.ts";
import { orphanedProsodies, prosody } from "./support/prosody.ts";
import { suite, verdicts, wholeSuiteTests } from "./support/whole-suite.ts";

// Side by side: the runs mostly wait on the servers, and each needs only its own server and the reference run.
describe("Prosody's whole suite", { concurrency: true }, () => {
  /** Prosody's whole suite the ways test/support/whole-suite.ts compares, group chat included, beside ejabberd's file: the README's first command, and set-up chaos. */
  const { target, reference, direct } = wholeSuiteTests("Prosody", "local:prosody", () => prosody({ websocket: true }), { rooms: true });

  test("the README's first command: --target local:prosody passes the suite with its profile, judges the compliance suites with degrees, ends with where the reports are, and leaves no process behind", async () => {
    const { cli: r, dir } = await reference();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // The console's last lines: the totals as documented deviations, the suites, where the reports are.
    const tail = r.stdout.trimEnd().split("\n").slice(-8).join("\n");
    assert.match(r.stdout, /^\d+ passed, 0 new failures, .*\d+ documented deviations/m);
    assert.match(tail, /^ {2}IM \(with core\): (conformant|\d+ deviations? at MUST \((all )?documented by the profile\)): \d+ of \d+ MUST requirements held/m);
    assert.match(tail, new RegExp(`^reports in ${dir}/: report\\.html, summary\\.md, compliance\\.md, junit\\.xml, results\\.json, results\\.jsonl; open ${dir}/report\\.html in a browser`, "m"));
    // compliance.md: features with degrees, never a blanket "not met".
    const compliance = readFileSync(path.join(dir, "compliance.md"), "utf8");
    assert.doesNotMatch(compliance, /not met/);
    assert.match(
      compliance,
      /^\| {2}\| Outbound Message Synchronization \| \[XEP-0280\]\([^)]*\) \| (conformant|\d+ deviations? at MUST \((all )?documented by the profile\)): \d+ of \d+ MUST requirements held \|/m,
    );
    assert.match(compliance, /^\| A\/V Calling \| STUN\/TURN server discovery \| .* \| conformant: \d+ of \d+ MUST requirements held \|/m);
    // report.html: small, and it opens on what to fix first.
    const html = readFileSync(path.join(dir, "report.html"), "utf8");
    assert.ok(html.length <= 2_000_000, `report.html is ${html.length} bytes`);
    assert.ok(html.indexOf('id="cases"') < html.indexOf('id="suites"') && html.indexOf('id="suites"') < html.indexOf('data-packed="requirements-table"'));
    const results = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8"));
    assert.equal(results.target.software.name, "Prosody");
    assert.match(results.profile.file, /profiles\/prosody-[\d.]+\.yaml$/);
    const unexpected = results.cases.filter((c: { verdict: string }) => !["pass", "warn", "skip", "xfail"].includes(c.verdict));
    assert.deepEqual(
      unexpected.map((c: { id: string; reason?: string }) => `${c.id}: ${c.reason}`),
      [],
    );
    for (const c of results.cases.filter((x: { verdict: string }) => x.verdict === "xfail")) assert.match(c.deviation.source, /^profiles\/prosody-[\d.]+\.yaml:\d+$/, c.id);
    assert.deepEqual(orphanedProsodies(), []);
    assert.equal(existsSync(path.join(dir, "junit.xml")), true);
  });

  test("Prosody behind a proxy that kills one connection in five during set-up: the same verdicts, no error, no account left", async () => {
    const pros = target();
    const proxy = new FaultProxy({ host: pros.host, port: pros.port });
    const port = await proxy.listen();
    proxy.setChaos({ rate: 0.2, seed: 6121 });
    try {
      // RFC 6121's cases: raw connections (RFC 6120) are never bound while their steps run, so chaos there would
      // be a verdict, not set-up. Every other one: about 175 cases, with about a fifth of their connections killed,
      // show the retries as well as all 350 did, at half the CPU.
      const chaotic = await run(
        suite.filter((sc) => sc.spec === "rfc6121" && sc.connections.length === 0).filter((_, i) => i % 2 === 0),
        { server: `127.0.0.1:${port}`, domain: pros.domain, install: false, concurrency: 6 },
      );
      const killed = proxy.stats.killed / proxy.stats.connections;
      assert.ok(killed >= 0.1, `${proxy.stats.killed} of ${proxy.stats.connections} connections killed`);
      assert.ok(proxy.stats.streamErrors > 0 && proxy.stats.resets > 0, JSON.stringify(proxy.stats));
      const errors = chaotic.cases.filter((c) => c.verdict === "error").map((c) => `${c.id}: ${c.reason}`);
      assert.deepEqual(errors, []);
      const expected = await direct();
      assert.deepEqual(verdicts(chaotic), Object.fromEntries(chaotic.cases.map((c) => [c.id, expected[c.id]])));
      assert.ok(
        chaotic.cases.some((c) => c.setupRetries?.length),
        "retries are counted in the results",
      );
      assert.deepEqual(chaotic.accounts.left ?? [], []);
      assert.equal(chaotic.accounts.notRemoved, 0);
      // This run's accounts only: the server's other runs (the WebSocket sample, the variations) run beside it. Each
      // account is xc-<run>-<case>-<name>, its file name escaped.
      const tags = new Set(chaotic.cases.flatMap((c) => (c.transcript ?? []).flatMap((e) => [...e.xml.matchAll(/xc-([0-9a-f]{6})-\d+-/g)].map((m) => m[1]))));
      assert.ok(tags.size > 0, "the run's accounts are named in its transcripts");
      assert.deepEqual(
        pros.accounts().filter((a) => [...tags].some((tag) => a.includes(`xc%2d${tag}%2d`) || a.includes(`xc-${tag}-`))),
        [],
      );
    } finally {
      await proxy.close();
    }
  });
});
