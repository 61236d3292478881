import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { batched } from "../src/accounts/batch.ts";
import { provisioners } from "../src/accounts/index.ts";
import type { Target } from "../src/targets/types.ts";
import { runCli } from "./support/cli.ts";
import { ejabberd } from "./support/ejabberd.ts";
import { prosody } from "./support/prosody.ts";
import { tempDir } from "./support/temp-dir.ts";

const ADMIN = { username: "admin", password: "admin-secret", jid: "admin@localhost" };
/** The admin sessions a provisioner opens (SESSIONS in src/accounts/admin.ts): the most logins a run may cost the admin. */
const MAX_ADMIN_LOGINS = 8;

let pros: Awaited<ReturnType<typeof prosody>>;
let ejab: Target;
before(async () => {
  [pros, ejab] = await Promise.all([prosody({ admins: [ADMIN.jid] }), ejabberd({ admins: [ADMIN.jid] })]);
  await Promise.all([pros, ejab].map((t) => t.accountCommands!.register(ADMIN.username, ADMIN.password)));
});
after(async () => {
  await Promise.all([pros.stop(), ejab.stop()]);
});

const endpointOf = (t: Target) => ({ host: t.host, port: t.port, domain: t.domain });
/** Prosody logs each login at info level: the admin's, counted. */
const adminLogins = () =>
  readFileSync(pros.logFile!, "utf8")
    .split("\n")
    .filter((l) => l.includes(`Authenticated as ${ADMIN.jid}`)).length;
const usersOf = async (t: Target) => (await t.accountCommands!.list()).filter((u) => u !== ADMIN.username).sort();

test("calls made in one turn go out as one batch of at most max; a failed batch again item by item, each caller getting its own answer", async () => {
  const sent: string[][] = [];
  const send = batched<string>(async (items) => {
    sent.push(items);
    if (items.includes("bad")) throw new Error(`refused ${items.join(",")}`);
  }, 3);
  assert.deepEqual(await Promise.all(["a", "b", "c", "d"].map(send)), [undefined, undefined, undefined, undefined]);
  assert.deepEqual(sent, [["a", "b", "c"], ["d"]]);
  sent.length = 0;
  const outcomes = await Promise.allSettled(["e", "bad", "f"].map(send));
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ["fulfilled", "rejected", "fulfilled"],
  );
  assert.equal((outcomes[1] as PromiseRejectedResult).reason.message, "refused bad");
  assert.deepEqual(sent, [["e", "bad", "f"], ["e"], ["bad"], ["f"]]);
});

test("forty accounts made and removed at once cost the admin one login per admin session, and none is left", async () => {
  const before = adminLogins();
  const admin = provisioners.admin({ endpoint: endpointOf(pros), timeoutMs: 5000, admin: ADMIN });
  await admin.open!();
  try {
    const made = await Promise.all(Array.from({ length: 40 }, (_, i) => admin.create(`xc-many-${i}`, `pw-${i}`)));
    assert.equal((await usersOf(pros)).length, 40);
    await Promise.all(made.map((c) => admin.remove(c)));
    assert.deepEqual(await usersOf(pros), []);
  } finally {
    await admin.close!();
  }
  const logins = adminLogins() - before;
  assert.ok(logins >= 1 && logins <= MAX_ADMIN_LOGINS, `${logins} admin logins for 40 accounts`);
});

test("a run with --accounts admin logs the admin in once per admin session, whatever its number of accounts, and leaves no account and no journal", async () => {
  const before = adminLogins();
  const out = tempDir("xc-admin-run-");
  const state = tempDir("xc-admin-state-");
  const r = await runCli(
    ["run", "--tag", "roster-set-errors", "--server", `127.0.0.1:${pros.port}`, "--domain", pros.domain, "--accounts", "admin", "--admin", ADMIN.jid, "--reporter", "json", "--out", out],
    {
      env: { XMPP_CONFORM_PASSWORD: ADMIN.password, XDG_STATE_HOME: state },
    },
  );
  const result = JSON.parse(readFileSync(path.join(out, "results.json"), "utf8")) as { cases: { verdict: string }[]; accounts: { created: number; notRemoved: number } };
  assert.ok(result.cases.length >= 10 && result.cases.every((c) => c.verdict !== "error"), r.stdout + r.stderr);
  assert.ok(result.accounts.created > 2 * MAX_ADMIN_LOGINS, `${result.accounts.created} accounts`);
  assert.equal(result.accounts.notRemoved, 0);
  const logins = adminLogins() - before;
  assert.ok(logins >= 1 && logins <= MAX_ADMIN_LOGINS, `${logins} admin logins for ${result.accounts.created} accounts`);
  assert.deepEqual(await usersOf(pros), []);
  const journals = path.join(state, "xmpp-conform", "accounts");
  assert.deepEqual(existsSync(journals) ? readdirSync(journals) : [], [], "the run's journal is deleted once every account is removed");
});

for (const server of ["Prosody", "ejabberd"]) {
  test(`accounts removed at once with one that does not exist are all removed on ${server}`, async () => {
    const t = server === "Prosody" ? pros : ejab;
    const admin = provisioners.admin({ endpoint: endpointOf(t), timeoutMs: 5000, admin: ADMIN });
    await admin.open!();
    try {
      const made = [await admin.create("xc-batch-a", "pw-a"), await admin.create("xc-batch-b", "pw-b")];
      const outcomes = await Promise.allSettled([made[0], { username: "xc-batch-never-made", password: "x" }, made[1]].map((c) => admin.remove(c)));
      assert.deepEqual([outcomes[0].status, outcomes[2].status], ["fulfilled", "fulfilled"]);
      // ejabberd refuses a whole delete-user for one JID it does not have; Prosody completes it and names that JID in a note.
      if (server === "ejabberd") assert.match((outcomes[1] as PromiseRejectedResult).reason.message, /^delete-user as admin@localhost: .*item-not-found/);
      assert.deepEqual(await usersOf(t), []);
    } finally {
      await admin.close!();
    }
  });
}
