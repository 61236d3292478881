import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { RunResult } from "../src/results/schema.ts";
import { releaseCovers } from "../src/targets/debian-release.ts";
import { checkTargetSpec, isPairTarget } from "../src/targets/index.ts";
import { ROOT, runCli } from "./support/cli.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * The releases people run, configured as their packages ship them: Prosody 13 and ejabberd 24.12 from Debian's
 * backports, unpacked beside the system's 0.12 and 23.01, started with the package's own configuration (STARTTLS
 * required, registration closed, rate limits, the modules the package enables) and provisioned by the admin
 * account the harness makes there.
 */
const installed = (pkg: string) => execFileSync("dpkg-query", ["-W", "-f=${Version}", pkg], { encoding: "utf8" });
const results = (d: string) => JSON.parse(readFileSync(path.join(d, "results.json"), "utf8")) as RunResult;

const releases = [
  { target: "local:prosody@13", pkg: "prosody", name: "Prosody", version: /^13\./, profile: "profiles/prosody-13.yaml" },
  { target: "local:ejabberd@24.12", pkg: "ejabberd", name: "ejabberd", version: /^24\.12/, profile: "profiles/ejabberd-24.12.yaml" },
];

test("local:NAME@RELEASE names a release, alone, in a pair or with the remote server; --server-config shipped is for one local server", () => {
  for (const target of ["local:prosody@13", "local:ejabberd@24.12", "local:prosody@13+ejabberd", "local:ejabberd@24.12+prosody@13", "local:prosody@13+remote"])
    assert.equal(checkTargetSpec({ target }), undefined, target);
  assert.ok(isPairTarget("local:prosody@13+ejabberd@24.12"));
  assert.ok(!isPairTarget("local:prosody@13+remote"));
  for (const target of ["local:prosody@", "local:prosody@x", "local:nosuch@13", "local:remote+prosody"]) assert.match(checkTargetSpec({ target }) ?? "", /unknown --target/, target);
  assert.match(checkTargetSpec({ target: "local:prosody+ejabberd", serverConfig: "shipped" }) ?? "", /federation .* needs the harness's configuration/);
  assert.match(checkTargetSpec({ server: "127.0.0.1:5222", domain: "localhost", serverConfig: "shipped" }) ?? "", /--server-config is for a local server/);
  // A release covers Debian's versions of it, not a longer number.
  assert.ok(releaseCovers("13", "13.0.1-1~bpo12+1"));
  assert.ok(releaseCovers("24.12", "24.12-3~bpo12+1"));
  assert.ok(!releaseCovers("13", "130.1"));
  assert.ok(!releaseCovers("0.12", "0.13.0"));
});

test("--server-config shipped keeps the package's TLS: another --tls is a usage error", async () => {
  const cli = await runCli(["run", "--target", "local:prosody@13", "--server-config", "shipped", "--tls", "direct"]);
  assert.equal(cli.code, 2);
  assert.match(cli.stderr, /--server-config shipped keeps the package's TLS/);
});

test("--no-install with a release that is not in the cache: an error naming the command that fetches it, nothing fetched", async () => {
  const cache = tempDir("xc-cache-");
  const d = tempDir("xc-release-");
  const cli = await runCli(["run", "roster-get-empty", "--target", "local:prosody@13", "--no-install", "--reporter", "json", "--out", d], { env: { XMPP_CONFORM_CACHE: cache } });
  assert.equal(cli.code, 3, cli.stdout + cli.stderr);
  assert.match(results(d).targetError ?? "", new RegExp(`prosody 13 is not in ${cache}; unpack it there with: xmpp-conform install local:prosody@13`));
  assert.deepEqual(readdirSync(cache), []);
});

const shippedRuns: Record<string, string> = {};

for (const r of releases) {
  test(`${r.target} as shipped: the roster and subscription families exit 0 with ${r.profile}, no error, no account left, the system's ${r.pkg} untouched`, async () => {
    const before = installed(r.pkg);
    const d = tempDir("xc-release-");
    const cli = await runCli(["run", "scenarios/roster", "scenarios/subscription", "--target", r.target, "--server-config", "shipped", "--reporter", "console,json", "--out", d]);
    assert.equal(cli.code, 0, cli.stdout.slice(-3000) + cli.stderr);
    const run = results(d);
    assert.equal(run.target.config, "shipped");
    assert.equal(run.target.software?.name, r.name);
    assert.match(run.target.software?.version ?? "", r.version);
    assert.equal(path.relative(ROOT, run.profile?.file ?? ""), r.profile);
    assert.equal(run.options.accounts, "admin", "registration is closed as shipped: the harness's admin makes the accounts");
    assert.equal(run.target.transport?.tls, "starttls");
    assert.deepEqual(
      run.cases.filter((c) => ["fail", "error", "xpass"].includes(c.verdict)).map((c) => `${c.id}: ${c.verdict} ${c.reason}`),
      [],
    );
    assert.ok(run.cases.filter((c) => c.verdict === "pass").length > run.cases.length / 2, "most cases pass");
    assert.ok(run.accounts.created > 0);
    assert.equal(run.accounts.notRemoved, 0);
    assert.equal(installed(r.pkg), before, `the system's ${r.pkg} stays the release it was`);
    shippedRuns[r.pkg] = path.join(d, "results.json");
  });
}

test("profile check: the older release's profile against the new release names the entry that went stale", async (t) => {
  if (!shippedRuns.ejabberd) return t.skip("needs the ejabberd 24.12 run above");
  const cli = await runCli(["profile", "check", shippedRuns.ejabberd, "--profile", "profiles/ejabberd-23.01.yaml"]);
  assert.equal(cli.code, 1, cli.stdout + cli.stderr);
  // 23.01 kept a subscription request from a user who has no resources only until the contact's next login; 24.12 stores it.
  assert.match(cli.stdout, /request-offline-stored/);
});
