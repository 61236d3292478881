import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import dnsPacket from "dns-packet";
import { prosody } from "./support/prosody.ts";
import { runCli } from "./support/cli.ts";
import { tempDir } from "./support/temp-dir.ts";

/** Testing your own server, as a developer would against a Prosody started by hand: preflight, --server by domain, typos and misconfigurations. */
let server: Awaited<ReturnType<typeof prosody>>;
const dir = tempDir("xc-own-");
const at = () => ["--server", `127.0.0.1:${server.port}`, "--domain", server.domain];

before(async () => {
  server = await prosody();
});
after(async () => {
  await server.stop();
});

test("preflight says what the server is and offers, which families run, what skips and what a fuller run needs, and runs no case", async () => {
  const r = await runCli(["preflight", ...at()]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^software: Prosody [\d.]+ on \S+ \(XEP-0092\)$/m);
  assert.match(r.stdout, /^profile: profile profiles\/prosody-[\d.]+\.yaml \(chosen by --profile auto for Prosody [\d.]+\)$/m);
  assert.match(r.stdout, /^accounts: --accounts ibr works/m);
  assert.match(r.stdout, /^ {2}✓ Message Carbons$/m);
  // Plaintext: the STARTTLS cases skip, and the line says what runs them.
  assert.match(r.stdout, /^ {2}- XMPP core and instant messaging: without starttls \(<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'\/>\): \d+ cases skip/m);
  assert.match(r.stdout, /^TLS: none offered: the STARTTLS cases skip; a server with TLS \(--tls starttls --ca FILE/m);
  assert.match(r.stdout, /^federation: \d+ cases need a second server \(domain b\) and \d+ the harness's scripted remote server: they skip against a running server/m);
  assert.deepEqual(server.accounts(), []);
});

test("--server DOMAIN finds the server by its _xmpp-client._tcp SRV record (RFC 6120 §3.2.1), and says so", async () => {
  // A DNS server on loopback that knows one record: the domain's client service, at the hand-started Prosody.
  const dns = createSocket("udp4");
  const queries: string[] = [];
  dns.on("message", (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    const name = q.questions?.[0]?.name ?? "";
    queries.push(name);
    const answers = name === `_xmpp-client._tcp.${server.domain}` ? [{ type: "SRV" as const, name, ttl: 60, data: { priority: 0, weight: 5, port: server.port, target: "127.0.0.1" } }] : [];
    dns.send(dnsPacket.encode({ id: q.id, type: "response", flags: dnsPacket.RECURSION_DESIRED, questions: q.questions, answers }), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => dns.bind(0, "127.0.0.1", resolve));
  try {
    const out = path.join(dir, "srv");
    const r = await runCli(["run", "roster-get-empty", "--server", server.domain, "--reporter", "json", "--out", out], { env: { XMPP_CONFORM_DNS: `127.0.0.1:${dns.address().port}` } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(queries, [`_xmpp-client._tcp.${server.domain}`]);
    const results = JSON.parse(readFileSync(path.join(out, "results.json"), "utf8"));
    assert.equal(results.target.domain, server.domain);
    assert.deepEqual(results.notes, [`--server ${server.domain}: SRV _xmpp-client._tcp.${server.domain} -> 127.0.0.1:${server.port}`]);
    assert.equal(results.cases[0].verdict, "pass");
  } finally {
    dns.close();
  }
});

test("typos get a 'did you mean' and exit 2, before anything connects", async () => {
  const option = await runCli(["run", "--sever", `127.0.0.1:${server.port}`]);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /^xmpp-conform: unknown option --sever: did you mean --server\?$/m);
  assert.doesNotMatch(option.stderr, /--concurrency/, "not the whole help");
  const command = await runCli(["rn"]);
  assert.match(command.stderr, /unknown command 'rn': did you mean run\?/);
  const value = await runCli(["run", ...at(), "--wait", "barier"]);
  assert.match(value.stderr, /--wait barier: not one of barrier, timeout; did you mean barrier\?/);
  const profile = await runCli(["run", ...at(), "--profile", "nnone"]);
  assert.match(profile.stderr, /--profile nnone: no such file; did you mean none\? \(--profile takes none, auto, or a profile file/);
  const id = await runCli(["run", ...at(), "roster-ad-push"]);
  assert.match(id.stderr, /'roster-ad-push' is no file or folder, case id, scenario id or requirement ID; did you mean 'roster-add-push'\?/);
  const target = await runCli(["run", "--target", "local:prosdy"]);
  assert.match(target.stderr, /unknown --target 'local:prosdy'; did you mean 'local:prosody'\?/);
  for (const r of [command, value, profile, id, target]) assert.equal(r.code, 2);
  assert.deepEqual(server.accounts(), []);
});

test("a wrong domain, TLS on a plaintext port and a refused login read as what they are (exit 3)", async () => {
  const domain = await runCli(["run", "roster-get-empty", "--server", `127.0.0.1:${server.port}`, "--domain", "wrong.example", "--reporter", "json", "--out", path.join(dir, "d")]);
  assert.equal(domain.code, 3);
  const why = (d: string) => JSON.parse(readFileSync(path.join(dir, d, "results.json"), "utf8")).targetError as string;
  assert.match(why("d"), /the server does not serve the domain 'wrong\.example' \(stream error host-unknown \("[^"]+"\)\): check --domain/);
  const tls = await runCli(["run", "roster-get-empty", ...at(), "--tls", "direct", "--reporter", "json", "--out", path.join(dir, "t")]);
  assert.equal(tls.code, 3);
  assert.match(why("t"), /does not speak TLS from the first byte \(a plaintext XMPP port\?\): --tls direct is for direct-TLS ports/);
  assert.doesNotMatch(why("t"), /SSL routines/);
  const accounts = path.join(dir, "accounts.yaml");
  writeFileSync(accounts, `accounts:\n  - jid: nobody@${server.domain}\n    password: wrong\n`);
  const login = await runCli(["run", "roster-get-empty", ...at(), "--accounts-file", accounts, "--reporter", "json", "--out", path.join(dir, "l")]);
  assert.equal(login.code, 3);
  assert.match(why("l"), /cannot log in as nobody@localhost at 127\.0\.0\.1:\d+: the server refused the credentials \(a wrong password, or no such account\) \(SASL not-authorized\)/);
});
