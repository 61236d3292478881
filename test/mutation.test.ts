import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { loadSuite } from "../src/scenario/load.ts";
import { FAULTS } from "./support/faults.ts";
import { cites, mutate, specOf } from "./support/mutation.ts";
import { prosody } from "./support/prosody.ts";
import { ROOT } from "./support/cli.ts";

/** A fast subset of the mutation run (bench/mutation.ts runs them all): CI notices when a change makes the suite blind. */
const SUBSET = ["roster.push.only-to-sender", "roster.update.groups-merged", "roster.delete.push-not-remove", "roster-set.wrong-condition", "roster-set.push-despite-error"];

let server: Awaited<ReturnType<typeof prosody>>;
before(async () => {
  server = await prosody();
});
after(async () => {
  await server.stop();
});

test("requirement patterns: exact IDs, matrix cells and prefixes", () => {
  assert.equal(cites("ROSTER-PUSH-01", "ROSTER-PUSH-01"), true);
  assert.equal(cites("ROSTER-PUSH-01", "ROSTER-PUSH-010"), false);
  assert.equal(cites("DELIVERY-MSG-BARE-2NN", "DELIVERY-MSG-BARE-2NN/headline"), true);
  assert.equal(cites("DELIVERY-MSG-*", "DELIVERY-MSG-BARE-2NN/chat"), true);
  assert.equal(cites("SUB-REQ-*", "SUB-REQ"), false);
});

test("every fault in the fast subset is killed by the suite on Prosody", async () => {
  const all = loadSuite([path.join(ROOT, "scenarios/roster")]).scenarios;
  const faults = FAULTS.filter((f) => SUBSET.includes(f.id));
  assert.equal(faults.length, SUBSET.length);
  const { mutants } = await mutate({ upstream: server, suite: all, faults, timeoutMs: 800, concurrency: 4 });
  assert.deepEqual(Object.fromEntries(mutants.map((m) => [m.fault.id, m.status])), Object.fromEntries(SUBSET.map((id) => [id, "killed"])));
  assert.deepEqual(server.accounts(), []);
});

/** RFC 6120 faults the stream cases must notice: a stream header, a restart, a stream error, through the stream-level steps. */
const CORE_SUBSET = ["stream.restart.same-id", "stream.header.echoes-client-id", "stream-error.wrong-condition", "stream.features.after-bind"];

test("every RFC 6120 fault in the fast subset is killed by the stream cases on Prosody, and each is scored under RFC 6120", async () => {
  const suite = loadSuite([path.join(ROOT, "scenarios/core/stream-header.yaml"), path.join(ROOT, "scenarios/core/xml.yaml")]).scenarios;
  const faults = FAULTS.filter((f) => CORE_SUBSET.includes(f.id));
  assert.equal(faults.length, CORE_SUBSET.length);
  assert.deepEqual([...new Set(faults.map(specOf))], ["rfc6120"]);
  const { mutants } = await mutate({ upstream: server, suite, faults, timeoutMs: 800, concurrency: 4 });
  assert.deepEqual(Object.fromEntries(mutants.map((m) => [m.fault.id, m.status])), Object.fromEntries(CORE_SUBSET.map((id) => [id, "killed"])));
  assert.deepEqual(server.accounts(), []);
});

test("the fault catalog is large, unique and tied to requirement IDs", () => {
  assert.ok(FAULTS.length >= 40, `${FAULTS.length} faults`);
  assert.equal(new Set(FAULTS.map((f) => f.id)).size, FAULTS.length);
  for (const f of FAULTS) assert.ok(f.requirements.length > 0 && f.requirements.every((r) => /^[A-Z]+(-[A-Z0-9]+)*(-\*)?$/.test(r)), f.id);
  for (const f of FAULTS) assert.ok(Boolean(f.fault) !== Boolean(f.stream), `${f.id}: a stanza fault or a stream fault`);
  assert.ok(FAULTS.filter((f) => specOf(f) === "rfc6120").length >= 30, "RFC 6120 faults");
});
