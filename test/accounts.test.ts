import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import xml from "@xmpp/xml";
import { loadAccountsFile } from "../src/accounts/file.ts";
import { AccountLedger } from "../src/accounts/ledger.ts";
import type { Provisioner } from "../src/accounts/types.ts";
import type { Target } from "../src/targets/types.ts";
import { FileError } from "../src/util/yaml-file.ts";
import { Session } from "../src/xmpp/connections/session.ts";
import { Transcript } from "../src/xmpp/connections/transcript.ts";
import { runCli } from "./support/cli.ts";
import { ejabberd } from "./support/ejabberd.ts";
import { prosody } from "./support/prosody.ts";
import { tempDir } from "./support/temp-dir.ts";

const dir = tempDir("xc-accounts-");
const out = () => mkdtempSync(path.join(dir, "out-"));
const results = (d: string) =>
  JSON.parse(readFileSync(path.join(d, "results.json"), "utf8")) as {
    cases: { id: string; verdict: string; reason?: string }[];
    accounts: { created: number; notRemoved: number };
    notes?: string[];
    targetError?: string;
  };
const verdicts = (d: string) => Object.fromEntries(results(d).cases.map((c) => [c.id, c.verdict]));
/** Cases with 1, 2 and 3 accounts that pass on both servers. */
const CASES = ["roster-get-empty", "roster-add-push", "roster-set-two-items"];

let pros: Awaited<ReturnType<typeof prosody>>;
let ejab: Target;
before(async () => {
  [pros, ejab] = await Promise.all([prosody({ admins: ["admin@localhost"] }), ejabberd({ admins: ["admin@localhost"] })]);
});
after(async () => {
  await Promise.all([pros.stop(), ejab.stop()]);
});

const at = (t: Target) => ["--server", `127.0.0.1:${t.port}`, "--domain", t.domain];

async function rosterOf(t: Target, username: string, password: string): Promise<string[]> {
  const s = new Session("check", { host: t.host, port: t.port, domain: t.domain }, { username, password }, "check", new Transcript());
  await s.start(3000);
  try {
    const reply = await s.request(xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })), 3000);
    return reply
      .getChild("query")!
      .getChildren("item")
      .map((i) => String(i.attrs.jid));
  } finally {
    await s.close();
  }
}

test("the ledger admits a case only with all its accounts at once, first come first served, and refuses more than there are", async () => {
  let limit = 3;
  const fixed: Provisioner = {
    name: "fixed",
    domain: "localhost",
    create: async () => ({ username: "u", password: "p" }),
    remove: async () => {},
    limit: () => ({ accounts: limit, why: "the file has 3" }),
  };
  const ledger = new AccountLedger(fixed);
  assert.equal(await ledger.admit(4), "needs 4 accounts at once; the file has 3");
  const first = await ledger.admit(2);
  assert.equal(typeof first, "function");
  const order: string[] = [];
  const big = ledger.admit(3).then((r) => (order.push("big"), r));
  const small = ledger.admit(1).then((r) => (order.push("small"), r));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, [], "1 account is free, but the case needing 3 came first");
  (first as () => void)();
  const bigRelease = await big;
  assert.deepEqual(order, ["big"]);
  limit = 2; // an account could not be cleaned and left the pool
  (bigRelease as () => void)();
  assert.equal(typeof (await small), "function");
  assert.equal(await ledger.admit(3), "needs 3 accounts at once; the file has 3");
});

test("an accounts file with a problem says where", () => {
  const problem = (text: string, domain = "localhost") => {
    const f = path.join(dir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(f, text);
    try {
      loadAccountsFile(f, domain);
    } catch (err) {
      assert.ok(err instanceof FileError, String(err));
      return `${err.pos.line}:${err.pos.col} ${err.detail}`;
    }
    assert.fail("expected a FileError");
  };
  assert.equal(problem("accounts:\n  - jid: a@localhost\n    password: x\n  - jid: b@example.org\n    password: y\n"), "4:10 b@example.org is not on the domain under test (localhost)");
  assert.equal(
    problem("accounts:\n  - jid: a@localhost\n    password_env: XC_SURELY_UNSET_VARIABLE\n"),
    "2:5 the password of a@localhost is not set: put it in the environment variable XC_SURELY_UNSET_VARIABLE or name a file",
  );
  assert.equal(problem("accounts:\n  - jid: a@localhost\n"), "2:5 accounts.0: expected exactly one of password, password_env, password_file");
  assert.equal(problem("accounts:\n  - jid: a@localhost\n    password: x\n  - jid: a@localhost\n    password: x\n"), "4:10 a@localhost is listed twice");
});

test("existing accounts from a file: an unusable one stops the run unless allowed; cases needing more are skipped with the reason, a non-fresh account is left alone, rosters are emptied after each case", async () => {
  const cmds = pros.accountCommands!;
  await Promise.all([cmds.register("t1", "pw-one"), cmds.register("t2", "pw-two"), cmds.register("t3", "pw-three")]);
  // t3 is somebody's account with a contact: never used, never touched.
  const s = new Session("t3", { host: pros.host, port: pros.port, domain: pros.domain }, { username: "t3", password: "pw-three" }, "setup", new Transcript());
  await s.start(3000);
  await s.request(xml("iq", { type: "set" }, xml("query", { xmlns: "jabber:iq:roster" }, xml("item", { jid: "friend@example.org" }))), 3000);
  await s.close();
  writeFileSync(path.join(dir, "t2.pw"), "pw-two\n");
  const file = path.join(dir, "accounts.yaml");
  writeFileSync(
    file,
    `accounts:
  - jid: t1@localhost
    password_env: XC_T1_PASSWORD
  - jid: t2@localhost
    password_file: ${path.join(dir, "t2.pw")}
  - jid: t3@localhost
    password: pw-three
`,
  );
  // An account of the file that cannot be used stops the run (exit 3), naming it: its cases must not quietly skip.
  const stopped = out();
  const refused = await runCli(["run", ...CASES, ...at(pros), "--accounts-file", file, "--reporter", "json", "--out", stopped], { env: { XC_T1_PASSWORD: "pw-one" } });
  assert.equal(refused.code, 3, refused.stdout + refused.stderr);
  assert.match(
    results(stopped).targetError!,
    /1 of 3 accounts of .*accounts\.yaml cannot be used: t3@localhost: its roster is not empty \(1 item\), so it is not fresh\. Fix them, or run with the others \(--allow-unusable-accounts\)/,
  );
  const d = out();
  const r = await runCli(["run", ...CASES, ...at(pros), "--accounts-file", file, "--allow-unusable-accounts", "--reporter", "console,json", "--out", d], { env: { XC_T1_PASSWORD: "pw-one" } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(verdicts(d), { "roster-get-empty": "pass", "roster-add-push": "pass", "roster-set-two-items": "skip" });
  const skipped = results(d).cases.find((c) => c.id === "roster-set-two-items")!;
  assert.match(skipped.reason!, /^needs 3 accounts at once; .*accounts\.yaml has 2 usable accounts \(t3@localhost: its roster is not empty \(1 item\), so it is not fresh\)$/);
  assert.doesNotMatch(r.stdout + r.stderr, /pw-one|pw-two|pw-three/, "passwords are never echoed");
  assert.deepEqual(results(d).accounts, { created: 5, notRemoved: 0 }, "the preflight's, the identification's and each case's accounts, all cleaned");
  assert.deepEqual(await rosterOf(pros, "t1", "pw-one"), []);
  assert.deepEqual(await rosterOf(pros, "t2", "pw-two"), []);
  assert.deepEqual(await rosterOf(pros, "t3", "pw-three"), ["friend@example.org"]);
  assert.deepEqual(pros.accounts().sort(), ["t1.dat", "t2.dat", "t3.dat"]);
});

for (const server of ["Prosody", "ejabberd"]) {
  test(`XEP-0133 admin commands make and remove the accounts on ${server}`, async () => {
    const t = server === "Prosody" ? pros : ejab;
    await t.accountCommands!.register("admin", "admin-secret");
    const before = await t.accountCommands!.list();
    const d = out();
    const r = await runCli(["run", ...CASES, ...at(t), "--accounts", "admin", "--admin", "admin@localhost", "--reporter", "json", "--out", d], { env: { XMPP_CONFORM_PASSWORD: "admin-secret" } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(verdicts(d), Object.fromEntries(CASES.map((c) => [c, "pass"])));
    assert.deepEqual(results(d).accounts, { created: 9, notRemoved: 0 }, "two for the preflight, one for the identification, six for the cases");
    assert.deepEqual(await t.accountCommands!.list(), before);
    const denied = await runCli(["run", "roster-get-empty", ...at(t), "--accounts", "admin", "--admin", "admin@localhost", "--reporter", "console", "--out", out()], {
      env: { XMPP_CONFORM_PASSWORD: "wrong" },
    });
    assert.equal(denied.code, 3, denied.stdout + denied.stderr);
    assert.match(denied.stdout, /accounts on localhost \(--accounts admin\): cannot log in as admin@localhost .*not-authorized/);
  });

  test(`cleanup --accounts admin finds the harness's accounts on ${server}'s user list where it offers one`, async () => {
    const t = server === "Prosody" ? pros : ejab;
    await t.accountCommands!.register("admin", "admin-secret").catch(() => {}); // made by the test above when it ran
    await t.accountCommands!.register("xc-lost-juliet", "unknown"); // a run's account whose journal is gone
    await t.accountCommands!.register("xcavalier", "theirs"); // somebody's account: not the harness's prefix
    const r = await runCli(["cleanup", ...at(t), "--accounts", "admin", "--admin", "admin@localhost"], { env: { XMPP_CONFORM_PASSWORD: "admin-secret", XDG_STATE_HOME: out() } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    if (server === "ejabberd") {
      assert.match(r.stdout, /^removed 1 account left by earlier runs; 0 remain$/m);
      assert.deepEqual((await t.accountCommands!.list()).filter((u) => u !== "admin").sort(), ["xcavalier"]);
    } else {
      assert.match(r.stdout, /note: the server offers no list of registered users \(XEP-0133 get-registered-users-list\).*only the accounts in the journals were looked for/);
      assert.match(r.stdout, /^removed 0 accounts left by earlier runs; 0 remain$/m);
      await t.accountCommands!.remove("xc-lost-juliet");
    }
    await t.accountCommands!.remove("xcavalier");
  });

  test(`the server's own command line makes and removes the accounts of local:${server.toLowerCase()}`, async () => {
    const d = out();
    const r = await runCli(["run", ...CASES, "--target", `local:${server.toLowerCase()}`, "--accounts", "cli", "--reporter", "json", "--out", d]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(verdicts(d), Object.fromEntries(CASES.map((c) => [c, "pass"])));
    assert.deepEqual(results(d).accounts, { created: 8, notRemoved: 0 }, "one for the preflight, one for the identification, six for the cases");
  });
}

/** Cases that make an account of their own or change one, then fail: what they registered or changed must go all the same. */
const CHANGING = `id: xc-registers-then-fails
title: registers carol, then fails
spec: rfc6120
rfc: "8.1.2.1"
level: MUST
requirements: [STANZA-FROM-01]
accounts:
  carol:
    registered: by-case
    resources:
      c2: { raw: true }
connections:
  c1: {}
steps:
  - c1 opens stream
  - c1 sends: <iq type='set' id='r1'><query xmlns='jabber:iq:register'><username>\${carol|local}</username><password>\${carol|password}</password></query></iq>
  - c1 receives: <iq type='result' id='r1'/>
    setup: true
  - carol/c2 opens stream
  - carol/c2 authenticates
  - carol/c2 opens stream
  - carol/c2 binds
  - carol/c2 receives: <iq type='result' id='{any}'/>
    setup: true
  - carol/c2 sends: <iq type='get' id='g1'><query xmlns='jabber:iq:register'/></iq>
  - carol/c2 receives: <iq type='result' id='g1'><query xmlns='urn:xmpp-conform:never'/></iq>
---
id: xc-changes-password-then-fails
title: changes alice's password, loses the session, then fails
spec: rfc6120
rfc: "8.1.2.1"
level: MUST
requirements: [STANZA-FROM-01]
accounts:
  alice:
    disposable: true
    resources:
      a1: {}
      a2: {}
steps:
  - alice/a1 sends: <iq type='set' id='p1'><query xmlns='jabber:iq:register'><username>\${alice|local}</username><password>\${alice|newpassword}</password></query></iq>
  - alice/a1 receives: <iq type='result' id='p1'/>
    setup: true
  - alice/a1 drops
  - alice/a2 drops
  - alice/a2 connects
  - alice/a2 receives: <message><body>never</body></message>
`;

test("a case that registers an account or changes one's password and then fails leaves no account behind; existing accounts are never given to it", async () => {
  const file = path.join(dir, "changing.yaml");
  writeFileSync(file, CHANGING);
  const d = out();
  const r = await runCli(["run", file, ...at(pros), "--profile", "none", "--reporter", "json", "--out", d]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const cases = Object.fromEntries(results(d).cases.map((c) => [c.id, c]));
  assert.equal(cases["xc-registers-then-fails"].verdict, "fail", cases["xc-registers-then-fails"].reason);
  // The new password is not the harness's: its own login of a2 is refused, an error of the case, not of the server.
  assert.equal(cases["xc-changes-password-then-fails"].verdict, "error");
  assert.match(cases["xc-changes-password-then-fails"].reason!, /not-authorized/);
  assert.equal(results(d).accounts.notRemoved, 0);
  assert.deepEqual(
    pros.accounts().filter((f) => f.startsWith("xc%2d")),
    [],
    "carol, registered by the case, and alice, with her new password, are removed",
  );
  await pros.accountCommands!.register("t1", "pw-one").catch(() => {}); // made by the file test when it ran
  const accounts = path.join(dir, "changing-accounts.yaml");
  writeFileSync(accounts, "accounts:\n  - jid: t1@localhost\n    password: pw-one\n");
  const e = out();
  const f = await runCli(["run", file, ...at(pros), "--accounts-file", accounts, "--reporter", "json", "--out", e]);
  assert.equal(f.code, 0, f.stdout + f.stderr);
  for (const c of results(e).cases) {
    assert.equal(c.verdict, "skip");
    assert.match(c.reason!, /existing accounts \(--accounts file\) cannot be/);
  }
});

test("account options that cannot work are usage errors before anything starts", async () => {
  const usage = async (args: string[], message: RegExp) => {
    const r = await runCli(["run", "roster-get-empty", ...args]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, message);
  };
  await usage([...at(pros), "--accounts", "cli"], /--accounts cli uses the server's own command line: it needs --target local:/);
  await usage([...at(pros), "--accounts", "admin"], /--accounts admin needs --server, --domain and --admin JID/);
  await usage([...at(pros), "--accounts", "admin", "--admin", "admin@elsewhere.org"], /--admin admin@elsewhere.org is not on --domain localhost/);
  await usage([...at(pros), "--accounts", "admin", "--admin", "admin@localhost", "--password-env", "XC_SURELY_UNSET_VARIABLE"], /the password of admin@localhost is not set/);
  await usage(["--target", "local:prosody", "--accounts-file", path.join(dir, "nope.yaml")], /--accounts file needs --server/);
  await usage([...at(pros), "--accounts-file", path.join(dir, "nope.yaml")], /nope\.yaml:1:1: cannot read the file: ENOENT/);
});
