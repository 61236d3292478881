import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { run } from "../src/run/run.ts";
import { loadProfile } from "../src/profiles/load.ts";
import { findRequirement } from "../src/catalog/index.ts";
import { loadSuite } from "../src/scenario/load.ts";
import type { CaseResult } from "../src/results/schema.ts";
import type { Fault, StreamFault } from "./support/fault-proxy.ts";
import { FaultProxy } from "./support/fault-proxy.ts";
import { FAULTS } from "./support/faults.ts";
import { VARIATIONS } from "./support/variations.ts";
import { prosody } from "./support/prosody.ts";
import { ROOT } from "./support/cli.ts";

// Every verdict earned by a check that can fail: for each way a case once credited or graded more (or less) than
// its checks showed, the server bug (a fault) or the allowed behaviour (a variation) that tells the two apart,
// made by the fault proxy in front of a real Prosody. Each assertion fails under the code or the cases before.

const suite = loadSuite([path.join(ROOT, "scenarios")]).scenarios;
let server: Awaited<ReturnType<typeof prosody>>;
let proxy: FaultProxy;
let port = 0;

before(async () => {
  server = await prosody();
  proxy = new FaultProxy({ host: server.host, port: server.port });
  port = await proxy.listen();
});
after(async () => {
  await proxy.close();
  await server.stop();
});

const fault = (id: string) => {
  const f = FAULTS.find((x) => x.id === id) ?? VARIATIONS.find((x) => x.id === id);
  assert.ok(f, `no fault or variation ${id}`);
  return f as { fault?: Fault; stream?: StreamFault };
};

/** The cases (by id, or every cell of a scenario id) through the proxy with `id` on (raw verdicts unless a profile is given). */
async function through(id: string | undefined, ids: string[], profile?: string): Promise<Map<string, CaseResult>> {
  const plan = suite.filter((sc) => ids.some((x) => sc.id === x || sc.id.startsWith(`${x}/`)));
  assert.ok(plan.length > 0, `no case ${ids.join(", ")}`);
  return throughPlan(id, plan, profile);
}

/** The scenarios of `plan` through the proxy with `id` on. */
async function throughPlan(id: string | undefined, plan: typeof suite, profile?: string): Promise<Map<string, CaseResult>> {
  const f = id ? fault(id) : {};
  proxy.fault = f.fault;
  proxy.streamFault = f.stream;
  try {
    const r = await run(plan, {
      server: `127.0.0.1:${port}`,
      domain: server.domain,
      install: false,
      concurrency: 4,
      ...(profile && { profile: { mode: "file", profile: loadProfile(path.join(ROOT, profile)) } }),
    });
    return new Map(r.cases.map((c) => [c.id, c]));
  } finally {
    proxy.fault = undefined;
    proxy.streamFault = undefined;
  }
}

const requirement = (c: CaseResult | undefined, id: string) => c?.requirementResults?.find((q) => q.id === id)?.verdict;
const verdicts = (cases: Map<string, CaseResult>) => Object.fromEntries([...cases].map(([id, c]) => [id, c.verdict]));

test("a refusal credits nothing of what a result would have shown (archive metadata, a page by index)", async () => {
  const meta = (await through("mam.metadata-refused", ["mam-ext-metadata"])).get("mam-ext-metadata")!;
  assert.equal(meta.verdict, "warn", meta.reason);
  for (const id of ["MAM-META-02", "MAM-META-03"]) assert.equal(requirement(meta, id), "not-reached", id);
  const index = await through("rsm.index-not-implemented", ["rsm-index"]);
  assert.equal(requirement(index.get("rsm-index/inside"), "RSM-INDEX-05"), "pass");
  assert.equal(requirement(index.get("rsm-index/inside"), "RSM-INDEX-04"), "not-reached");
  assert.equal(requirement(index.get("rsm-index/past-end"), "RSM-INDEX-06"), "not-reached");
});

test("an outcome credits what it cites: an error of the server's last activity is allowed and proves only that it answered", async () => {
  const last = (await through("entity-last-server-refused", ["last-server"])).get("last-server")!;
  assert.equal(last.verdict, "pass", last.reason);
  assert.deepEqual([requirement(last, "LAST-RESP-01"), requirement(last, "LAST-RESP-02"), requirement(last, "LAST-SERVER-01")], ["pass", "not-reached", "not-reached"]);
  const time = (await through(undefined, ["time-server-answered"])).get("time-server-answered")!;
  // The first outcome (the domain lists the time service) credits nothing: the query's answer is then time-server's
  // to judge, not the unsupported rule's; the second lists the feature.
  assert.deepEqual([time.choices.map((c) => c.alternative), requirement(time, "TIME-DISCO-01"), requirement(time, "TIME-ERR-01")], [["listed", "supported"], "pass", "not-reached"]);
});

test("an also: check is worth its rule's own level, a derived rule at most SHOULD even on a MUST step", async () => {
  // The SHOULD cells where the server makes the copy: its 'from' is then a MUST.
  const copied = [...(await through(undefined, ["carbons-sent"])).values()].filter((c) => c.level === "SHOULD" && c.verdict === "pass").map((c) => c.id);
  assert.ok(copied.length > 0);
  const sent = await through("carbons.sent-from-sender", copied);
  for (const id of copied) assert.equal(sent.get(id)!.verdict, "fail", `${id}: a copy's 'from' is a MUST wherever the copy itself is a SHOULD`);
  const blocked = await through("blocking.outbound.no-blocked-condition", ["blocking-match-domain"]);
  assert.deepEqual(Object.values(verdicts(blocked)), ["fail", "fail", "fail"]);
  // Wherever a derived rule is checked, its failure is worth a warning at most, shared step or not.
  const proofs = suite.flatMap((sc) => sc.steps.flatMap((st) => [...st.plan.proves, ...(st.plan.alternatives ?? []).flatMap((a) => a.proves)].map((p) => ({ case: sc.id, ...p }))));
  assert.deepEqual(
    proofs.filter((p) => findRequirement(p.id)?.derived && p.level === "MUST").map((p) => `${p.case}: ${p.id}`),
    [],
  );
  for (const id of ["MAM-LAST-01", "RSM-LAST-01", "RSM-MAX-01"])
    assert.ok(
      proofs.some((p) => p.id === id && p.level === "SHOULD"),
      `${id} is checked, at SHOULD`,
    );
  const reversed = (await through("mam.results-reversed", ["rsm-backward"])).get("rsm-backward")!;
  assert.equal(requirement(reversed, "MAM-LAST-01"), "warn", reversed.reason);
});

test("set-up waits for no behaviour a case judges: a server that breaks it gets a verdict, not an error", async () => {
  const echo = await through("presence.no-self-echo", [
    "presence-initial-receives-contacts",
    "presence-initial-probe-keeps-id",
    "presence-initial-contact-offline",
    "presence-before-initial",
    "presence-unavailable-then-available",
    "presence-last-resource-offline",
  ]);
  for (const c of echo.values()) assert.ok(["fail", "warn"].includes(c.verdict), `${c.id}: ${c.verdict} ${c.reason}`);
  const pushes = await through("blocking.push.block-missing", ["blocking-unblock-push", "blocking-unblock-all-push", "blocking-block-push"]);
  assert.deepEqual(verdicts(pushes), { "blocking-block-push": "fail", "blocking-unblock-push": "pass", "blocking-unblock-all-push": "pass" });
  const sender = (await through("blocking.push.unblock-not-to-sender", ["blocking-unblock-push"])).get("blocking-unblock-push")!;
  assert.equal(sender.verdict, "fail", sender.reason);
  const ver = (await through("versioning.no-ver-in-pushes", ["roster-ver-last-push-is-a-cache-key"])).get("roster-ver-last-push-is-a-cache-key")!;
  assert.deepEqual([ver.verdict, requirement(ver, "ROSTER-VER-08")], ["fail", "fail"]);
});

test("checks lost in rewrites are back: the approval before its push, a withdrawn request left pending, presence to the server", async () => {
  const order = (await through("subscription.push-before-approval", ["preapprove-then-subscribe"])).get("preapprove-then-subscribe")!;
  assert.deepEqual([order.verdict, requirement(order, "SUB-APPROVE-05"), requirement(order, "SUB-APPROVE-06")], ["fail", "fail", "pass"]);
  const ask = await through("subscription.unsubscribe-keeps-ask", ["appa-unsubscribe-npo", "appa-unsubscribe-npoi", "appa-unsubscribe-fpo"]);
  assert.deepEqual(Object.values(verdicts(ask)), ["fail", "fail", "fail"]);
  const bogus = await through("presence.unknown-type-broadcast", ["presence-unknown-type/bogus/broadcast", "presence-unknown-type/bogus/directed"]);
  assert.equal(bogus.get("presence-unknown-type/bogus/broadcast")!.verdict, "warn");
});

test("stanza ids: one requirement a check, and a timestamp is information", async () => {
  const by = (await through("sid.by-full-jid", ["sid-archived-message"])).get("sid-archived-message")!;
  assert.deepEqual([requirement(by, "MAM-SID-01"), requirement(by, "MAM-SID-03"), requirement(by, "SID-BR-07"), requirement(by, "SID-BR-05")], ["pass", "fail", "fail", "pass"]);
  const time = (await through("sid.timestamp", ["sid-archived-message"])).get("sid-archived-message")!;
  assert.deepEqual([time.verdict, requirement(time, "SID-SEC-01")], ["fail", "fail"]);
});

test("a read-only vCard store: the vCard family gives no error, the sets it refuses are named", async () => {
  const cases = await through("vcard.read-only", ["vcard-own-set-get", "vcard-own-set", "vcard-own-replace", "vcard-own-bare-jid", "vcard-other-get", "vcard-set-other-refused"]);
  assert.deepEqual(
    [...cases.values()].filter((c) => c.verdict === "error").map((c) => `${c.id}: ${c.reason}`),
    [],
  );
  const skipped = cases.get("vcard-own-set-get")!;
  assert.equal(skipped.verdict, "skip");
  assert.match(skipped.reason!, /^the server refused [\w/]+'s request \(not-allowed\), which XEP-0054 §3\.2 lets/);
  assert.equal(skipped.precondition?.allowed !== undefined, true);
  assert.equal(cases.get("vcard-own-set")!.verdict, "skip");
});

test("a set-up step the server refuses the same way twice is a skip naming the refused precondition, tried twice, never six times", async () => {
  const cases = await through("blocking.list.empty-is-error", ["blocking-disco", "blocking-block-push", "blocking-unblock-push"]);
  // blocking-disco takes a block list answered as a precondition (does the server speak the protocol?), judged
  // elsewhere; its text lets a server without the protocol refuse it (refused:), so one refusal is enough.
  const disco = cases.get("blocking-disco")!;
  assert.equal(disco.verdict, "skip", `${disco.id}: ${disco.reason}`);
  assert.match(disco.reason!, /^the server refused juliet\/balcony's request \(item-not-found\), which the protocol is optional/);
  assert.deepEqual(disco.setupRetries ?? [], [], "a refusal the text allows needs no second try");
  // The same case without its refused: a refusal no text allows is tried once more on fresh accounts.
  const plain = suite.find((sc) => sc.id === "blocking-disco")!;
  const unexplained = { ...plain, id: "blocking-disco-unexplained", steps: plain.steps.map(({ refused: _, ...step }) => step) };
  const retried = (await throughPlan("blocking.list.empty-is-error", [unexplained])).get("blocking-disco-unexplained")!;
  assert.equal(retried.verdict, "skip", `${retried.id}: ${retried.reason}`);
  assert.match(retried.reason!, /^the server refused the precondition 'juliet\/balcony receives <iq type='result' id='bl1'.*': <iq [^>]*type="error"/);
  assert.equal(retried.setupRetries?.length, 1, "one more attempt, on fresh accounts");
  // The push cases need the fresh account's empty list, so they prove it (BLOCK-LIST-02) and fail on it: no skip.
  for (const id of ["blocking-block-push", "blocking-unblock-push"]) {
    const c = cases.get(id)!;
    assert.equal(c.verdict, "fail", `${id}: ${c.reason}`);
    assert.ok(
      c.failures.some((f) => f.requirements.includes("BLOCK-LIST-02")),
      id,
    );
  }
});

test("a profile entry documents what it cites and no more: a MUST broken beside a documented SHOULD is a failure", async () => {
  const other = (await through("vcard.set-other.accepted", ["vcard-set-other-refused"], "profiles/prosody-0.12.yaml")).get("vcard-set-other-refused")!;
  assert.equal(other.verdict, "fail", other.reason);
  assert.match(other.reason!, /fails beyond its known deviation \(profiles\/prosody-0\.12\.yaml:\d+ documents .*\): VCARD-SET-OTHER-01 at MUST/);
  const documented = (await through(undefined, ["vcard-set-other-refused"], "profiles/prosody-0.12.yaml")).get("vcard-set-other-refused")!;
  assert.equal(documented.verdict, "xfail", "the documented deviation alone is still known");
});
