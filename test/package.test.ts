import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./support/cli.ts";
import { prosody } from "./support/prosody.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * The reproducible install CI pins: the packed tarball (what the registry would serve) installed into an
 * empty folder with npm, then the installed command, not this checkout, against a local Prosody.
 */
const dir = tempDir("xc-package-");
const app = path.join(dir, "app");
let server: Awaited<ReturnType<typeof prosody>>;
let tarball: string;

const npm = (args: string[], cwd: string) => execFileSync("npm", [...args, "--no-audit", "--no-fund"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const installed = (args: string[]) => spawnSync(path.join(app, "node_modules/.bin/xmpp-conform"), args, { cwd: app, encoding: "utf8" });

before(async () => {
  server = await prosody();
  const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", dir], ROOT)) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(dir, packed[0].filename);
  execFileSync("mkdir", ["-p", app]);
  npm(["init", "-y"], app);
  npm(["install", tarball], app);
});
after(async () => {
  await server.stop();
});

test("the tarball holds the scenarios, profiles, catalog and schemas, and no tests", () => {
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
  for (const f of [
    "package/bin/xmpp-conform.js",
    "package/spec/rfc6121-requirements.md",
    "package/spec/texts/rfc6121.txt",
    "package/scenarios/roster/add-push.yaml",
    "package/profiles/prosody-0.12.yaml",
    "package/docs/scenario.schema.json",
    "package/docs/results.schema.json",
    "package/README.md",
  ]) {
    assert.ok(files.includes(f), f);
  }
  assert.equal(
    files.some((f) => f.startsWith("package/test/") || f.startsWith("package/bench/")),
    false,
  );
});

test("installed from the tarball: --help, list, and one case against a local Prosody", () => {
  const pkg = JSON.parse(readFileSync(path.join(app, "node_modules/xmpp-conform/package.json"), "utf8"));
  assert.equal(pkg.version, JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
  const help = installed(["--help"]);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /xmpp-conform run \[cases\.\.\]/);
  const list = installed(["list"]);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /^roster-add-push +RFC 6121 §2\.3\.2/m);
  const out = path.join(dir, "reports");
  const one = installed(["run", "roster-add-push", "--server", `127.0.0.1:${server.port}`, "--domain", "localhost", "--reporter", "console,junit,json", "--out", out]);
  assert.equal(one.status, 0, one.stdout + one.stderr);
  assert.match(one.stdout, /1 passed, 0 new failures/);
  assert.ok(existsSync(path.join(out, "junit.xml")));
  // The shipped scenarios ran, from the installed package.
  const results = JSON.parse(readFileSync(path.join(out, "results.json"), "utf8"));
  assert.match(results.cases[0].pos.file, /node_modules\/xmpp-conform\/scenarios\/roster\/add-push\.yaml$/);
});
