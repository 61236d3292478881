import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hostname } from "node:os";
import xml from "@xmpp/xml";
import { cleanup } from "../src/accounts/cleanup.ts";
import { existingAccounts } from "../src/accounts/file.ts";
import { inBandRegistration } from "../src/accounts/ibr.ts";
import { readJournals, runJournal } from "../src/accounts/journal.ts";
import { AccountLedger } from "../src/accounts/ledger.ts";
import { openRawStream } from "../src/xmpp/connections/raw-stream.ts";
import { Session } from "../src/xmpp/connections/session.ts";
import { Transcript } from "../src/xmpp/connections/transcript.ts";
import { runCli } from "./support/cli.ts";
import { prosody } from "./support/prosody.ts";
import { tempDir } from "./support/temp-dir.ts";

let pros: Awaited<ReturnType<typeof prosody>>;
before(async () => {
  pros = await prosody();
});
after(async () => {
  await pros.stop();
});

const tmp = (prefix: string) => tempDir(prefix);
const at = () => ["--server", `127.0.0.1:${pros.port}`, "--domain", pros.domain];
/** Prosody's file name for an account (every non-alphanumeric byte escaped as %xx). */
const file = (username: string) => `${username.replace(/-/g, "%2d")}.dat`;
const harnessAccounts = () => pros.accounts().filter((f) => f.startsWith("xc%2d"));

test("a removal that fails is retried, one lost with its answer is found gone, one that keeps failing is named and stays in the journal until cleanup", async () => {
  const dir = tmp("xc-journal-");
  const endpoint = { host: pros.host, port: pros.port, domain: pros.domain };
  const ibr = inBandRegistration({ endpoint, timeoutMs: 3000 });
  const journal = runJournal({ server: `127.0.0.1:${pros.port}`, domain: pros.domain }, dir);
  let calls = 0;
  const ledger = new AccountLedger(
    {
      ...ibr,
      async remove(creds) {
        calls++;
        if (creds.username.endsWith("-once") && calls === 1) throw new Error("the stream was killed");
        if (creds.username.endsWith("-lost")) {
          await ibr.remove(creds);
          throw new Error("no answer to the removal");
        }
        if (creds.username.endsWith("-stuck")) throw new Error("refused by the test");
        return ibr.remove(creds);
      },
    },
    { journal },
  );
  const [once, lost, stuck] = [await ledger.create("xc-t-once"), await ledger.create("xc-t-lost"), await ledger.create("xc-t-stuck")];
  assert.deepEqual(harnessAccounts().sort(), ["xc-t-lost", "xc-t-once", "xc-t-stuck"].map(file));
  assert.equal(statSync(journal.file).mode & 0o777, 0o600, "the journal holds passwords");
  assert.deepEqual(
    readJournals(pros.domain, dir)[0]
      .journal.entries.map((e) => e.jid)
      .sort(),
    ["xc-t-lost@localhost", "xc-t-once@localhost", "xc-t-stuck@localhost"],
  );

  calls = 0;
  await ledger.remove([once]);
  assert.equal(calls, 2, "failed once, then removed");
  await ledger.remove([lost]);
  await ledger.remove([stuck]);
  await ledger.removeAll();
  assert.deepEqual(harnessAccounts(), [file("xc-t-stuck")]);
  assert.deepEqual(
    ledger.left.map((l) => l.jid),
    ["xc-t-stuck@localhost"],
  );
  assert.match(ledger.left[0].reason, /refused by the test/);
  assert.equal(ledger.notRemoved, 1);
  const [kept] = readJournals(pros.domain, dir);
  assert.deepEqual(kept.journal.entries, [{ jid: "xc-t-stuck@localhost", way: "ibr", password: stuck.password }], "only what is left, with what cleanup needs");
  assert.equal(kept.live, true, "this process made it");

  // Once the run is over (here: the journal's process is this one, so cleanup is given the journal of a dead one).
  const dead = readFileSync(journal.file, "utf8").replace(`"pid":${process.pid}`, '"pid":999999999');
  const deadDir = tmp("xc-journal-dead-");
  writeFileSync(path.join(deadDir, path.basename(journal.file)), dead, { mode: 0o600 });
  const report = await cleanup(ibr, { server: `127.0.0.1:${pros.port}`, dir: deadDir });
  assert.deepEqual(report, { removed: ["xc-t-stuck@localhost"], absent: 0, remain: [], notes: [], rooms: [] });
  assert.deepEqual(harnessAccounts(), []);
  assert.deepEqual(readdirSync(deadDir), [], "a journal with nothing left is deleted");
});

test("--accounts file: cleanup empties the roster of an existing account a dead run was using", async () => {
  const dir = tmp("xc-journal-");
  const endpoint = { host: pros.host, port: pros.port, domain: pros.domain };
  await pros.accountCommands!.register("tfile", "pw-file");
  const s = new Session("tfile", endpoint, { username: "tfile", password: "pw-file" }, "setup", new Transcript());
  await s.start(3000);
  await s.request(xml("iq", { type: "set" }, xml("query", { xmlns: "jabber:iq:roster" }, xml("item", { jid: "xc-contact@localhost" }))), 3000);
  await s.close();
  const header = { journal: 1, run: "dead", pid: 999999999, host: hostname(), server: `127.0.0.1:${pros.port}`, domain: pros.domain, started: new Date().toISOString() };
  writeFileSync(path.join(dir, "localhost-dead.jsonl"), `${JSON.stringify(header)}\n${JSON.stringify({ add: { jid: "tfile@localhost", way: "file" } })}\n`, { mode: 0o600 });
  const existing = { file: "accounts.yaml", accounts: [{ jid: "tfile@localhost", username: "tfile", password: "pw-file" }] };
  assert.deepEqual(
    await cleanup(existingAccounts({ endpoint, timeoutMs: 3000, existing }), { server: "127.0.0.1:1", dir, existing }),
    { removed: [], absent: 0, remain: [], notes: [], rooms: [] },
    "another server's journal",
  );
  const report = await cleanup(existingAccounts({ endpoint, timeoutMs: 3000, existing }), { server: `127.0.0.1:${pros.port}`, dir, existing });
  assert.deepEqual(report, { removed: ["tfile@localhost"], absent: 0, remain: [], notes: [], rooms: [] });
  const check = new Session("tfile", endpoint, { username: "tfile", password: "pw-file" }, "check", new Transcript());
  await check.start(3000);
  const roster = await check.request(xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })), 3000);
  await check.close();
  assert.equal(roster.getChild("query")!.getChildren("item").length, 0);
  assert.deepEqual(readdirSync(dir), []);
  await pros.accountCommands!.remove("tfile");
});

test("after a kill -9 mid-run, cleanup removes every account the run left and says how many; a second cleanup says 0", async () => {
  const env = { XDG_STATE_HOME: tmp("xc-state-") };
  const journals = path.join(env.XDG_STATE_HOME, "xmpp-conform", "accounts");
  let killed = false;
  const r = await runCli(["run", path.join("scenarios", "roster"), ...at(), "--concurrency", "4", "--reporter", "console", "--out", tmp("xc-out-")], {
    env,
    // Some cases have finished and others hold accounts on the server: the moment a crash leaves the most behind.
    onStdout: (text, child) => {
      if (!killed && text.includes("[2/") && harnessAccounts().length > 0) {
        killed = true;
        child.kill("SIGKILL");
      }
    },
  });
  assert.equal(r.signal, "SIGKILL", r.stdout + r.stderr);
  // A round trip through Prosody's (single) event loop: a registration the harness sent just before dying is in by now.
  (await openRawStream({ host: pros.host, port: pros.port, domain: pros.domain }, 3000)).close();
  const left = harnessAccounts().length;
  assert.ok(left > 0);
  const [journal] = readdirSync(journals);
  assert.equal(statSync(path.join(journals, journal)).mode & 0o777, 0o600);

  const first = await runCli(["cleanup", ...at()], { env });
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, new RegExp(`^removed ${left} accounts? left by earlier runs( \\(\\d+ recorded accounts? w(as|ere) not on the server\\))?; 0 remain$`, "m"));
  assert.deepEqual(harnessAccounts(), []);
  assert.deepEqual(readdirSync(journals), []);
  const second = await runCli(["cleanup", ...at()], { env });
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.match(second.stdout, /^removed 0 accounts left by earlier runs; 0 remain$/m);
});

test("cleanup options that cannot work are usage errors", async () => {
  const usage = async (args: string[], message: RegExp) => {
    const r = await runCli(["cleanup", ...args]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, message);
  };
  await usage(["--target", "local:prosody"], /cleanup makes no sense with --target local:\.\.\.: a throwaway server is stopped and deleted with its run/);
  await usage([...at(), "--accounts", "cli"], /--accounts cli makes accounts only on a --target local:\.\.\. server/);
  await usage([], /say which server to clean up: --server HOST:PORT --domain DOMAIN/);
  const unreachable = await runCli(["cleanup", "--server", "127.0.0.1:1", "--domain", "localhost"]);
  assert.equal(unreachable.code, 3);
  assert.match(unreachable.stderr, /ECONNREFUSED/);
});

test("an account whose password a case changed (disposable) is removed by cleanup with the second password the journal keeps", async () => {
  const dir = tmp("xc-journal-spare-");
  const endpoint = { host: pros.host, port: pros.port, domain: pros.domain };
  const ibr = inBandRegistration({ endpoint, timeoutMs: 3000 });
  const journal = runJournal({ server: `127.0.0.1:${pros.port}`, domain: pros.domain }, dir);
  const ledger = new AccountLedger(ibr, { journal });
  const spare = "second-password-of-the-case";
  const creds = await ledger.create("xc-t-changed", { spare });
  // What register-password-change does, then the harness dies before its removal.
  const session = new Session("changer", endpoint, creds, "c", new Transcript());
  await session.start(3000);
  const answer = await session.request(xml("iq", { type: "set" }, xml("query", { xmlns: "jabber:iq:register" }, xml("username", {}, creds.username), xml("password", {}, spare))), 3000);
  assert.equal(answer.attrs.type, "result");
  await session.close();
  assert.deepEqual(readJournals(pros.domain, dir)[0].journal.entries, [{ jid: "xc-t-changed@localhost", way: "ibr", password: creds.password, spare }]);
  const deadDir = tmp("xc-journal-spare-dead-");
  writeFileSync(path.join(deadDir, path.basename(journal.file)), readFileSync(journal.file, "utf8").replace(`"pid":${process.pid}`, '"pid":999999999'), { mode: 0o600 });
  const report = await cleanup(ibr, { server: `127.0.0.1:${pros.port}`, dir: deadDir });
  assert.deepEqual(report, { removed: ["xc-t-changed@localhost"], absent: 0, remain: [], notes: [], rooms: [] });
  assert.deepEqual(harnessAccounts(), []);
  journal.close();
});
