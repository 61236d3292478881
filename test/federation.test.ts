import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import xml from "@xmpp/xml";
import type { RunResult } from "../src/results/schema.ts";
import { openTarget } from "../src/targets/index.ts";
import { ensureDebianPackages } from "../src/targets/install.ts";
import type { S2sLink } from "../src/targets/s2s-log.ts";
import type { S2sMode } from "../src/targets/types.ts";
import { Session } from "../src/xmpp/connections/session.ts";
import { Transcript } from "../src/xmpp/connections/transcript.ts";
import { runCli } from "./support/cli.ts";
import { linksWhen } from "./support/s2s-links.ts";
import { tempDir } from "./support/temp-dir.ts";

/** Pair targets: two local servers federating over Server Dialback on loopback, with no DNS. */
const out = () => tempDir("xc-federation-");
const results = (d: string) => JSON.parse(readFileSync(path.join(d, "results.json"), "utf8")) as RunResult;
const log = (l: string) => process.stderr.write(`${l}\n`);

/**
 * Server processes of throwaway instances (Prosody's own, ejabberd's Erlang VM) started by the run that
 * carried `tag` in its environment (servers inherit it, through ejabberdctl's su too): other test runs on the
 * same machine start servers of their own at any time, so "no server left" can only be asked of ours.
 */
function serversOf(tag: string): string[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        if (!readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`XC_TEST_RUN=${tag}`)) return [];
        const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
        return /xmpp-conform-(prosody|ejabberd)-/.test(args) && !args.startsWith("sh ") ? [args] : [];
      } catch {
        return []; // gone meanwhile
      }
    });
}

/**
 * The DNS queries the harness and the servers it starts send (their whole process tree, followed by strace from the
 * start: not the machine's, so nothing else running beside the test counts): every connect or send to port 53.
 */
function dnsQueriesIn(trace: string): string[] {
  return readFileSync(trace, "utf8")
    .split("\n")
    .filter((l) => /sin6?_port=htons\(53\)/.test(l));
}

const pairs: [string, S2sMode][] = [
  ["local:prosody+prosody", "dialback"],
  ["local:prosody+prosody", "tls"],
  ["local:prosody+ejabberd", "tls"],
];
for (const [target, s2s] of pairs) {
  const tls = s2s === "tls";
  test(`${target} --s2s ${s2s}: the pair starts, a first federated message arrives each way, and the servers' logs show how each accepted the other${tls ? " (by certificate, over TLS)" : " (dialback, plaintext)"}`, async () => {
    const t0 = performance.now();
    const pair = await openTarget({ target, s2s }, { install: true, log });
    try {
      const up = performance.now() - t0;
      assert.equal(pair.domain, "a.test");
      assert.equal(pair.peer?.domain, "b.test");
      assert.equal(pair.s2s, s2s);
      // With s2s TLS the clients get STARTTLS too, with a certificate from the same run CA.
      assert.equal(pair.tls, tls ? "starttls" : undefined);
      const security = tls ? { security: { tls: "starttls" as const, ca: readFileSync(pair.caFile!, "utf8") } } : {};
      await Promise.all([pair.accountCommands!.register("alice", "pw-alice"), pair.peer!.accountCommands!.register("bob", "pw-bob")]);
      const transcript = new Transcript();
      const alice = new Session("alice", { host: pair.host, port: pair.port, domain: pair.domain, ...security }, { username: "alice", password: "pw-alice" }, "a1", transcript);
      const bob = new Session("bob", { host: pair.peer!.host, port: pair.peer!.port, domain: pair.peer!.domain, ...security }, { username: "bob", password: "pw-bob" }, "b1", transcript);
      try {
        await Promise.all([alice.start(5000), bob.start(5000)]);
        // Available, so that a message to the bare JID is delivered rather than stored offline.
        for (const who of [alice, bob]) {
          await who.send(xml("presence", {}));
          assert.ok(await who.waitUntil(() => who.inbox.items.find((r) => r.el.is("presence")), 5000), `${who.label}'s presence echo`);
        }
        const trace = () => transcript.entries.map((e) => `${e.session} ${e.dir} ${e.xml}`).join("\n");
        const sendAndWait = async (from: Session, to: Session, toJid: string, body: string) => {
          const sent = performance.now();
          await from.send(xml("message", { to: toJid, type: "chat" }, xml("body", {}, body)));
          const got = await to.waitUntil(() => to.inbox.items.find((r) => r.el.is("message")), 10_000);
          assert.ok(got, `no message reached ${to.label}\n${trace()}`);
          assert.equal(got.el.getChildText("body"), body);
          return { got, ms: performance.now() - sent };
        };
        const ab = await sendAndWait(alice, bob, "bob@b.test", "first across");
        assert.equal(ab.got.el.attrs.from, "alice@a.test/a1");
        const ba = await sendAndWait(bob, alice, "alice@a.test", "and back");
        assert.equal(ba.got.el.attrs.from, "bob@b.test/b1");
        log(
          `${target} --s2s ${s2s}: pair up in ${up.toFixed(0)} ms; first federated message a->b (s2s set-up included) ${ab.ms.toFixed(0)} ms, b->a ${ba.ms.toFixed(0)} ms; start to both delivered ${(performance.now() - t0).toFixed(0)} ms`,
        );
        const expected = { encrypted: tls, auth: tls ? "certificate" : "dialback" };
        const both = (ls: S2sLink[]) => ["a.test", "b.test"].every((from) => ls.some((l) => l.from === from));
        const links = await linksWhen(pair, both, 10_000);
        for (const [from, to] of [
          ["a.test", "b.test"],
          ["b.test", "a.test"],
        ]) {
          const link = links.find((l) => l.from === from && l.to === to);
          assert.deepEqual(link && { encrypted: link.encrypted, auth: link.auth }, expected, `${from} -> ${to} in ${JSON.stringify(links)}`);
        }
      } finally {
        await Promise.all([alice.close(), bob.close()]);
      }
    } finally {
      await pair.stop();
    }
  });
}

const scenarioRuns: [string, S2sMode | undefined][] = [
  ["local:prosody+prosody", undefined],
  ["local:prosody+ejabberd", undefined],
  ["local:prosody+prosody", "tls"],
  ["local:prosody+ejabberd", "tls"],
];
for (const [target, s2s] of scenarioRuns) {
  const tls = s2s === "tls";
  test(`--target ${target}${s2s ? ` --s2s ${s2s}` : ""}: the federation scenarios pass, the report names both sides and what they negotiated, no DNS query is sent and no server is left`, async () => {
    const tag = randomUUID();
    const d = out();
    let r: Awaited<ReturnType<typeof runCli>> | undefined;
    const trace = path.join(d, "network.trace");
    let traced = true;
    try {
      ensureDebianPackages("strace", ["strace"], true, log);
    } catch (err) {
      // Without strace (no root, no package mirror) the run still counts; the DNS check is reported as not done.
      log(`DNS check not done: ${(err as Error).message}`);
      traced = false;
    }
    const under = traced ? ["strace", "-f", "-qq", "--seccomp-bpf", "-e", "trace=connect,sendto,sendmsg,sendmmsg", "-o", trace] : [];
    r = await runCli(["run", "scenarios/federation", "--target", target, ...(s2s ? ["--s2s", s2s] : []), "--reporter", "console,junit,json", "--out", d], { env: { XC_TEST_RUN: tag }, under });
    const dns = traced ? dnsQueriesIn(trace) : undefined;
    assert.equal(r!.code, 0, r!.stdout + r!.stderr);
    const res = results(d);
    const notPassed = res.cases.filter((c) => c.verdict !== "pass");
    assert.deepEqual(
      notPassed.map((c) => `${c.id}: ${c.verdict} ${c.reason}`),
      [],
    );
    assert.ok(res.cases.length >= 8);
    const [first, second] = target.slice("local:".length).split("+");
    assert.equal(res.target.domain, "a.test");
    assert.equal(res.target.peer?.domain, "b.test");
    assert.match(res.target.peer?.software?.name ?? "", new RegExp(second, "i"));
    assert.match(res.target.software?.name ?? "", new RegExp(first, "i"));
    assert.match(r!.stdout.split("\n")[0], new RegExp(`domain a\\.test.*; domain b: local:${second} .*domain b\\.test`));
    const junit = readFileSync(path.join(d, "junit.xml"), "utf8");
    assert.match(junit, /<property name="peer-domain" value="b\.test"\/>/);
    assert.match(junit, new RegExp(`<property name="peer-server" value="${second}`, "i"));
    // What the servers negotiated is in the record, the console and JUnit; Prosody logs at once (a.test accepting b.test is
    // certain to be there), ejabberd in batches.
    const mode = s2s ?? "dialback";
    assert.equal(res.target.s2s?.mode, mode);
    const links = res.target.s2s?.links ?? [];
    assert.ok(
      links.some((l) => l.from === "b.test" && l.to === "a.test"),
      JSON.stringify(links),
    );
    for (const l of links) assert.deepEqual({ encrypted: l.encrypted, auth: l.auth }, tls ? { encrypted: true, auth: "certificate" } : { encrypted: false, auth: "dialback" }, JSON.stringify(l));
    assert.match(r!.stdout.split("\n")[0], new RegExp(`; s2s ${mode}; `));
    assert.match(r!.stdout, new RegExp(`^s2s ${mode} \\(.*b\\.test -> a\\.test ${tls ? "over TLS, by certificate" : "plaintext, by dialback"}`, "m"));
    assert.match(junit, new RegExp(`<property name="s2s" value="${mode}"/>`));
    assert.match(junit, new RegExp(`<property name="s2s-link" value="b\\.test -(>|&gt;) a\\.test ${tls ? "over TLS, by certificate" : "plaintext, by dialback"}"/>`));
    // s2s TLS brings STARTTLS to the clients, with the run CA's certificates, checked.
    assert.deepEqual(
      res.target.transport && { tls: res.target.transport.tls, verified: res.target.transport.certificateVerified },
      s2s === "tls" ? { tls: "starttls", verified: true } : { tls: "none", verified: undefined },
    );
    assert.equal(res.accounts.notRemoved, 0);
    assert.ok(res.accounts.created > 0);
    if (dns) assert.deepEqual(dns, [], "DNS queries of the harness or its servers during a federated run");
    assert.deepEqual(serversOf(tag), []);
  });
}

test("a case with an account on domain b is skipped on a single server, with the reason", async () => {
  const d = out();
  const r = await runCli(["run", "scenarios/federation/message.yaml", "--target", "local:prosody", "--reporter", "json", "--out", d]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const [c] = results(d).cases;
  assert.equal(c.verdict, "skip");
  assert.match(c.reason!, /^needs a second server federating with this one \(accounts on domain b\): run it with --target local:prosody\+prosody$/);
  assert.equal(results(d).target.peer, undefined);
});

test("an unknown server in a pair is a usage error; so is --s2s without a pair", async () => {
  const r = await runCli(["run", "--target", "local:prosody+nosuch"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown --target 'local:prosody\+nosuch'/);
  const single = await runCli(["run", "--target", "local:prosody", "--s2s", "tls"]);
  assert.equal(single.code, 2);
  assert.match(single.stderr, /--s2s is for a federating pair \(like local:prosody\+ejabberd\) or local:NAME\+remote, not for local:prosody/);
});
