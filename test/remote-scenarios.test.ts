import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import Parser from "@xmpp/xml/lib/Parser.js";
import type { Element } from "ltx";
import { matchStanza, parsePattern } from "../src/match/pattern.ts";
import type { RunResult } from "../src/results/schema.ts";
import { loadScenarioFile } from "../src/scenario/load.ts";
import { runCli } from "./support/cli.ts";
import { locatedError } from "./support/located.ts";
import { tempFiles } from "./support/temp-files.ts";
import { tempDir } from "./support/temp-dir.ts";

/** Scenarios with a user of the harness's scripted remote server (domain remote): the language, the runner, the verdicts. */
const file = tempFiles("remote-scenarios");
const HEAD = `id: t
title: T
rfc: "3.1.6"
level: MUST
requirements: [SUB-APPROVE-08]
accounts:
  alice:
    resources:
      a1: { roster: true, presence: true }
  bob:
    domain: remote
    resources:
      r1: {}
`;
const problem = (text: string) => locatedError(file(text), loadScenarioFile);

test("the language: a remote user sends and receives as its bare JID or a named full JID; nothing logs in for it", () => {
  const [sc] = loadScenarioFile(
    file(`${HEAD}steps:
  - bob sends: <presence to='\${alice}' type='subscribed' from='\${bob/r1}'/>
  - bob/r1 receives nothing: <presence type='error'/>
  - alice/a1 sends: <message to='x@\${domain.remote}'/>
`),
  );
  assert.deepEqual(
    sc.steps.map((s) => s.actor),
    ["bob", "bob/r1", "alice/a1"],
  );
  assert.equal(sc.accounts.find((a) => a.name === "bob")?.domain, "remote");
  assert.deepEqual(problem(HEAD.replace("      r1: {}", "      r1: { presence: true }") + "steps:\n  - bob sends: <presence/>\n"), [
    13,
    13,
    "accounts.bob.resources.r1: bob is a user of the harness's remote server, where nothing logs in: 'presence' does not apply (a resource only names a full JID, ${bob/r1})",
  ]);
  assert.match(problem(`${HEAD}steps:\n  - bob/r1 connects\n`)[2], /steps\[0\]: 'bob\/r1 connects': bob is a user of the harness's remote server: its steps only send and receive/);
  assert.match(problem(`${HEAD}roster:\n  bob:\n    - { jid: "\${alice}" }\nsteps:\n  - bob sends: <presence/>\n`)[2], /roster: bob is a user of the harness's remote server, which keeps no roster/);
});

test("the matcher: a stanza from a server-to-server stream (jabber:server) matches a pattern written as for clients", () => {
  const parser = new Parser();
  const got: Element[] = [];
  parser.on("element", (el: Element) => got.push(el));
  parser.write(`<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'><presence from='a@a.test' to='b@remote.test' type='probe'/>`);
  assert.equal(got[0].getNS(), "jabber:server");
  assert.ok(matchStanza(parsePattern(`<presence type='probe' from='a@a.test'/>`), got[0]).ok);
  assert.equal(matchStanza(parsePattern(`<presence xmlns='jabber:client' type='probe'/>`), got[0]).ok, false, "a namespace written out is matched as written");
});

const results = (d: string) => JSON.parse(readFileSync(path.join(d, "results.json"), "utf8")) as RunResult;

for (const server of ["prosody", "ejabberd"] as const) {
  test(`--target local:${server}+remote: the scripted-peer scenarios run against the harness's remote server and exit 0 with the profile; what crosses is recorded`, async () => {
    const d = tempDir("xc-remote-run-");
    const r = await runCli(["run", "scenarios/remote", "--target", `local:${server}+remote`, "--reporter", "console,json,junit", "--out", d]);
    const res = results(d);
    // A server without pre-approval (ejabberd) skips the case that needs it.
    const skipped = server === "ejabberd" ? ["remote-probe-keeps-preapproval: skip the server does not advertise pre-approval (urn:xmpp:features:pre-approval)"] : [];
    assert.deepEqual(
      res.cases.filter((c) => !["pass", "xfail"].includes(c.verdict)).map((c) => `${c.id}: ${c.verdict} ${c.reason}`),
      skipped,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(res.cases.length, 22);
    // Both servers send the probe from the user's full JID: the profile documents it, with the stanza.
    const probe = res.cases.find((c) => c.id === "remote-probe-bare-jids")!;
    assert.equal(probe.verdict, "xfail");
    assert.match(probe.failures[0].closest[0].xml, /^<presence [^>]*from="xc-[^"]*-alice@a\.test\/a1"[^>]*type="probe"|type="probe"[^>]*from="xc-[^"]*-alice@a\.test\/a1"/);
    // What the target sent to the remote user is in the case's transcript under the remote JID.
    assert.ok(probe.transcript?.some((e) => /-bob@remote\.test$/.test(e.session) && e.dir === "in" && /type="probe"/.test(e.xml)));
    // The recorded alternative says whether the unanswered request was sent again.
    assert.match(res.cases.find((c) => c.id === "remote-subscribe-resent")!.choices[0]?.alternative ?? "", /^(resent-with-id|resent|not-resent)$/);
    assert.equal(res.target.remote?.domain, "remote.test");
    assert.deepEqual(res.target.remote?.links?.map((l) => l.direction).sort(), ["in", "out"]);
    assert.match(r.stdout, /^the harness's remote server remote\.test \(/m);
    assert.match(readFileSync(path.join(d, "junit.xml"), "utf8"), /<property name="remote-domain" value="remote\.test"\/>/);
    assert.equal(res.accounts.notRemoved, 0);
  });
}

test("on a target without the remote server, such cases are skipped with the reason", async () => {
  const d = tempDir("xc-remote-skip-");
  const r = await runCli(["run", "scenarios/remote/probe.yaml", "--target", "local:prosody", "--reporter", "json", "--out", d]);
  assert.equal(r.code, 0, r.stderr);
  const [c] = results(d).cases;
  assert.equal(c.verdict, "skip");
  assert.match(c.reason!, /needs the harness's scripted remote server .* local:prosody\+remote/);
});
