import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { crossDomain, withCrossDomain } from "../src/plan/cross-domain.ts";
import { select } from "../src/plan/filter.ts";
import type { RunResult } from "../src/results/schema.ts";
import { caseFailsRun } from "../src/results/verdicts.ts";
import { covers } from "../src/scenario/ids.ts";
import { loadSuite } from "../src/scenario/load.ts";
import { ROOT, runCli } from "./support/cli.ts";
import { tempDir } from "./support/temp-dir.ts";

/** Cross-domain variants (docs/scenario-language.md, Two servers): made by the plan from the single-server cases, run on a pair. */
const suite = loadSuite([path.join(ROOT, "scenarios")]).scenarios;
const byId = (id: string) => suite.find((s) => s.id === id)!;
const why = (id: string) => {
  const x = crossDomain(byId(id));
  return "why" in x ? x.why : undefined;
};

test("a variant moves every account but the first to domain b, and exists only where a stanza would cross", () => {
  const x = crossDomain(byId("appa-subscribe-n"));
  assert.ok("variant" in x);
  assert.equal(x.variant.id, "appa-subscribe-n@cross");
  assert.deepEqual(
    x.variant.accounts.map((a) => [a.name, a.domain]),
    [
      ["alice", "a"],
      ["bob", "b"],
    ],
  );
  assert.deepEqual(x.variant.variant, { name: "cross", of: "appa-subscribe-n", moved: ["bob"] });
  // The rules' reasons, one case each: the user alone, roster items that only name the contact, two domains already.
  assert.match(why("roster-get-empty")!, /^one account/);
  assert.match(why("roster-add-push")!, /^no stanza would cross/);
  assert.match(why("federation-message-both-ways")!, /two servers already/);
  // A "receives nothing" from the other side counts: no presence may cross when no subscription was made.
  assert.equal(why("roster-set-subscription-both-ignored"), undefined);
  // The whole suite: 249 of the RFC 6121 cases and 5 of the RFC 6120 ones (JID comparison, per-sender order, a
  // routed error condition).
  const all = withCrossDomain(suite);
  const variants = (spec: string) => all.filter((s) => s.variant && byId(s.variant.of).spec === spec).length;
  assert.equal(variants("rfc6121"), 249);
  assert.equal(variants("rfc6120"), 5);
  // A room is on the MUC service of the user's server: occupants on b enter, talk and are kicked across (XEP-0045).
  assert.equal(why("muc-pm-deliver/chat"), undefined);
  assert.equal(variants("xep-0045"), 359);
  // Each variant right after its case: reports put them side by side.
  all.forEach((s, i) => s.variant && assert.equal(all[i - 1].id, s.variant.of));
});

test("names: a case or scenario id selects its variants too, ID@cross only the variants; profiles keep them apart", () => {
  const all = withCrossDomain(suite);
  const pick = (name: string) => select(all, { files: [], ids: [name], tags: [] }).plan.map((s) => s.id);
  assert.deepEqual(pick("appa-subscribe-n"), ["appa-subscribe-n", "appa-subscribe-n@cross"]);
  assert.deepEqual(pick("appa-subscribe-n@cross"), ["appa-subscribe-n@cross"]);
  assert.deepEqual(pick("presence-priority-echo@cross").sort(), ["presence-priority-echo/-5@cross", "presence-priority-echo/0@cross", "presence-priority-echo/7@cross"]);
  assert.equal(covers("presence-priority-echo/7@cross", "presence-priority-echo/7"), false);
  assert.equal(covers("presence-priority", "presence-priority-echo/7@cross"), false);
});

test("CLI: --cross-domain needs a pair target; list --cross-domain shows the variants and why a case has none; ID@cross without it is a usage error", async () => {
  const single = await runCli(["run", "--target", "local:prosody", "--cross-domain"]);
  assert.equal(single.code, 2);
  assert.match(single.stderr, /--cross-domain needs a pair target \(two servers, like --target local:prosody\+ejabberd\), not local:prosody/);
  const listed = await runCli(["list", "--cross-domain", "scenarios/roster/get-empty.yaml", "scenarios/subscription/appendix-a-subscribe.yaml"]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^roster-get-empty .*\(no @cross variant: one account/m);
  assert.match(listed.stdout, /^appa-subscribe-n@cross +RFC 6121 §A\.2\.1/m);
  assert.match(listed.stdout, /^19 cases, 9 of them cross-domain variants$/m);
  const plain = await runCli(["list", "appa-subscribe-n@cross"]);
  assert.equal(plain.code, 2);
  assert.match(plain.stderr, /'appa-subscribe-n@cross' names a cross-domain variant: add --cross-domain/);
});

test("--target local:prosody+ejabberd --cross-domain: the subscription and presence families and their variants pass with the profiles (exit 0), side by side in the reports", async () => {
  const out = tempDir("xc-cross-");
  const r = await runCli([
    "run",
    "scenarios/subscription",
    "scenarios/presence",
    "--target",
    "local:prosody+ejabberd",
    "--cross-domain",
    "--reporter",
    "console,json,junit,markdown,html",
    "--out",
    out,
  ]);
  const res = JSON.parse(readFileSync(path.join(out, "results.json"), "utf8")) as RunResult;
  const failing = res.cases.filter((c) => caseFailsRun(c, false)).map((c) => `${c.id}: ${c.verdict} ${c.reason}`);
  assert.deepEqual(failing, []);
  assert.equal(r.code, 0, r.stderr);
  const variants = res.cases.filter((c) => c.variant);
  assert.equal(variants.length, 128);
  assert.ok(
    variants.every((c) => c.verdict !== "skip" && c.verdict !== "error"),
    "every variant ran",
  );
  // Deviations across servers are the profiles' too, each naming the server and side it is about.
  const across = variants.filter((c) => c.deviation);
  assert.ok(
    across.some((c) => /ejabberd-23\.01\.yaml/.test(c.deviation!.source)),
    "ejabberd's side-b entries apply to the variants",
  );
  assert.ok(
    across.some((c) => /prosody-0\.12\.yaml/.test(c.deviation!.source)),
    "Prosody's side-a entries too",
  );
  assert.match(res.peerProfile?.file ?? "", /ejabberd-23\.01\.yaml$/);
  // Side by side: the variant after its case in the record, a table in summary.md and report.html, a property in JUnit.
  res.cases.forEach((c, i) => c.variant && assert.equal(res.cases[i - 1].id, c.variant.of));
  const md = readFileSync(path.join(out, "summary.md"), "utf8");
  assert.match(md, /#### Single server and across servers\n\n128 cases ran on a\.test alone and again with every account but the first on b\.test/);
  assert.match(md, /\| `cancel-unavailable-first` \| xfail \| \*\*pass\*\* \|/, "a Prosody deviation that is the contact's server's, absent when ejabberd is the contact's");
  const html = readFileSync(path.join(out, "report.html"), "utf8");
  assert.match(html, /<h2>Single server and across servers/);
  assert.match(readFileSync(path.join(out, "junit.xml"), "utf8"), /<property name="variant" value="cross-domain: bob on domain b \(the case appa-subscribe-n across two servers\)"\/>/);
});

/**
 * What an occupant does in a room, one scenario a kind: entering (its own presence, the others', the broadcast),
 * talking, private messages (and to no occupant), kicks (by whom, of whom), moderation refused. The rest of the
 * family's 356 variants cost minutes across two servers (each waits out its timeout) and cross no other way.
 */
const FEDERATED_MUC = [
  "muc-enter-self-presence",
  "muc-enter-existing-occupants",
  "muc-enter-broadcast",
  "muc-msg-reflect",
  "muc-msg-non-occupant",
  "muc-pm-deliver",
  "muc-pm-no-occupant",
  "muc-mod-kick",
  "muc-mod-kick-higher",
  "muc-mod-auth",
];

test("federated group chat: occupants on the other server enter a room, talk, exchange private messages and are kicked, with the single-server verdicts (both pair orders)", async () => {
  for (const target of ["local:prosody+ejabberd", "local:ejabberd+prosody"]) {
    const out = tempDir("xc-cross-muc-");
    await runCli(["run", ...FEDERATED_MUC, "--target", target, "--cross-domain", "--profile", "none", "--reporter", "json", "--out", out]);
    const res = JSON.parse(readFileSync(path.join(out, "results.json"), "utf8")) as RunResult;
    const verdict = new Map(res.cases.map((c) => [c.id, c.verdict]));
    const variants = res.cases.filter((c) => c.variant);
    assert.ok(variants.length >= 20, `${target}: ${variants.length} variants`);
    // The room is on a's service and the occupants on b: the verdicts are the single server's.
    assert.deepEqual(
      variants.filter((c) => c.verdict !== verdict.get(c.variant!.of)).map((c) => `${c.id}: ${c.verdict}, alone ${verdict.get(c.variant!.of)} (${c.reason})`),
      [],
      target,
    );
    assert.ok(
      ["muc-mod-kick/owner@cross", "muc-pm-deliver/chat@cross", "muc-msg-reflect/other@cross"].every((id) => verdict.get(id) === "pass"),
      target,
    );
  }
});
