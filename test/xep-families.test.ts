import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { RunResult } from "../src/results/schema.ts";
import { ROOT, runCli } from "./support/cli.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * The messaging XEPs, the entity queries and the discovery and PEP families on the current releases (Prosody 13, ejabberd 24.12) with the harness's configuration, which
 * loads the modules: each family exits 0 with its release's profile, its features are advertised (no case of a
 * family the server implements is skipped for a missing feature), no error, no account left. (The whole suite,
 * these families included, runs on Prosody 0.12 and ejabberd 23.01 in run.test.ts, ejabberd.test.ts and
 * verdicts-*.test.ts.)
 */
const FAMILIES = ["carbons", "archive", "blocking", "vcard", "private", "register", "entity", "disco", "caps", "pep", "pep-storage", "bookmarks", "avatar", "extdisco"].map((f) => `scenarios/${f}`);
const results = (d: string) => JSON.parse(readFileSync(path.join(d, "results.json"), "utf8")) as RunResult;

// The two releases side by side, each a server of its own: their runs mostly wait on the servers.
describe("the XEP families on the current releases", { concurrency: true }, () => {
  for (const r of [
    { target: "local:prosody@13", profile: "profiles/prosody-13.yaml" },
    { target: "local:ejabberd@24.12", profile: "profiles/ejabberd-24.12.yaml" },
  ]) {
    test(`${r.target}: the XEP families exit 0 with ${r.profile}, every feature they need advertised`, async () => {
      const d = tempDir("xc-xep-");
      const cli = await runCli(["run", ...FAMILIES, "--target", r.target, "--reporter", "console,json,compliance", "--out", d]);
      assert.equal(cli.code, 0, cli.stdout.slice(-3000) + cli.stderr);
      const run = results(d);
      assert.equal(path.relative(ROOT, run.profile?.file ?? ""), r.profile);
      assert.deepEqual(
        run.cases.filter((c) => ["fail", "error", "xpass"].includes(c.verdict)).map((c) => `${c.id}: ${c.verdict} ${c.reason}`),
        [],
      );
      const specs = new Set(run.cases.map((c) => c.spec));
      assert.deepEqual([...specs].sort(), [
        "xep-0012",
        "xep-0030",
        "xep-0048",
        "xep-0049",
        "xep-0054",
        "xep-0059",
        "xep-0060",
        "xep-0077",
        "xep-0084",
        "xep-0092",
        "xep-0115",
        "xep-0153",
        "xep-0163",
        "xep-0191",
        "xep-0199",
        "xep-0202",
        "xep-0215",
        "xep-0223",
        "xep-0280",
        "xep-0313",
        "xep-0359",
        "xep-0398",
        "xep-0402",
      ]);
      // Every feature the harness's configuration loads is advertised (bookmarks#compat is ejabberd 24.12's too; its
      // configuration leaves out mod_avatar, so avatar conversion is Prosody's only).
      const loaded = `carbons|mam|blocking|vcard-temp|private|register|iq-register|ping|version|last|last-user|time|server-caps|pep|pep-publish-options|bookmarks-compat|bookmarks-compat-pep|extdisco|extdisco-services|extdisco-restricted${r.target.includes("prosody") ? "|avatar-conversion" : ""}`;
      const unadvertised = run.cases.filter((c) => c.verdict === "skip" && new RegExp(`does not advertise (${loaded}) `).test(c.reason ?? ""));
      assert.deepEqual(
        unadvertised.map((c) => `${c.id}: ${c.reason}`),
        [],
      );
      assert.ok(run.cases.filter((c) => c.verdict === "pass").length > run.cases.length / 2, "most cases pass");
      assert.equal(run.accounts.notRemoved, 0);
      // The compliance table judges the messaging features from these cases.
      const compliance = readFileSync(path.join(d, "compliance.md"), "utf8");
      assert.match(compliance, /\| Outbound Message Synchronization \| \[XEP-0280\]\([^)]*\) \| (conformant|\d+ deviations? at MUST|partial: \d+ of \d+ cases ran)/);
      assert.match(compliance, /\| History Storage \/ Retrieval \| \[XEP-0313\]\([^)]*\) \| (conformant|\d+ deviations? at MUST|partial: \d+ of \d+ cases ran)/);
      assert.match(compliance, /\| Event publishing \| \[XEP-0163\]\([^)]*\) \| (conformant|\d+ deviations? at MUST|partial: \d+ of \d+ cases ran)/);
      assert.match(compliance, /\| Feature broadcasts \| \[XEP-0115\]\([^)]*\) \| (conformant|\d+ deviations? at MUST|partial: \d+ of \d+ cases ran)/);
    });
  }
});
