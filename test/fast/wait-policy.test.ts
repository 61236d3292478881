import { test } from "node:test";
import assert from "node:assert/strict";
import { waitOf } from "../../src/run/case/wait-policy.ts";
import type { Scenario } from "../../src/scenario/types.ts";

/** Only the fields the policy reads. */
const scenario = (over: Partial<Scenario>): Scenario => ({ accounts: [{ name: "alice", domain: "a" }], rooms: [], ...over }) as unknown as Scenario;
const run = { run: "barrier" as const, dropped: false };

test("a step's wait: the step's, the scenario's, else the run's; the timeout's where no barrier orders what comes", () => {
  assert.equal(waitOf({}, scenario({}), run), "barrier");
  assert.equal(waitOf({ wait: "timeout" }, scenario({}), run), "timeout");
  assert.equal(waitOf({}, scenario({ wait: "timeout" }), run), "timeout");
  assert.equal(waitOf({}, scenario({}), { ...run, dropped: true }), "timeout");
  assert.equal(waitOf({}, scenario({ accounts: [{ name: "bob", domain: "b" }] as Scenario["accounts"] }), run), "timeout");
  // A room the case's own join creates: ejabberd may answer a ping to it with item-not-found meanwhile.
  assert.equal(waitOf({}, scenario({ rooms: [{ name: "spare", owner: "alice", byCase: true }] as unknown as Scenario["rooms"] }), run), "timeout");
  assert.equal(waitOf({}, scenario({ rooms: [{ name: "lobby", owner: "alice" }] as unknown as Scenario["rooms"] }), run), "barrier");
});
