import { test } from "node:test";
import assert from "node:assert/strict";
import { Element } from "ltx";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { findNow } from "../../src/run/expect.ts";
import type { Received } from "../../src/xmpp/connections/inbox.ts";
import { locatedError } from "../support/located.ts";
import { tempFiles } from "../support/temp-files.ts";
import { julietAtBalcony } from "../support/scenario-head.ts";

// 'receives in order' takes a subsequence; with `earliest: true` each pattern is taken by its first stanza, for a rule
// such as XEP-0045 §7.2.2's "This self-presence MUST NOT be sent to the new occupant until the room has sent the
// presence of all other occupants", which a self-presence sent both too early and again in order breaks.
const file = tempFiles("in-order");
const presence = (from: string, seq: number): Received => ({ el: new Element("presence", { from }), at: seq, seq, consumed: false });
const patterns = ["room/alice", "room/carol"].map((from) => new Element("presence", { from }));

test("with 'earliest', a stanza that also came too early breaks the order; without it, its later copy is taken", () => {
  const early = [presence("room/carol", 0), presence("room/alice", 1), presence("room/carol", 2)];
  assert.deepEqual(
    findNow(early, patterns, "in-order", {})?.picked.map((r) => r.seq),
    [1, 2],
  );
  assert.equal(findNow(early, patterns, "in-order", {}, true), undefined);
  // In order, and a second copy after: both ways take the first of each.
  const late = [presence("room/alice", 0), presence("room/carol", 1), presence("room/carol", 2)];
  assert.deepEqual(
    findNow(late, patterns, "in-order", {}, true)?.picked.map((r) => r.seq),
    [0, 1],
  );
  // A stanza an earlier step took is not there to be first.
  const taken = [{ ...presence("room/carol", 0), consumed: true }, presence("room/alice", 1), presence("room/carol", 2)];
  assert.deepEqual(
    findNow(taken, patterns, "in-order", {}, true)?.picked.map((r) => r.seq),
    [1, 2],
  );
});

test("'earliest' is read on 'receives in order' and refused elsewhere", () => {
  const head = `${julietAtBalcony()}steps:\n`;
  const [sc] = loadScenarioFile(file(`${head}  - juliet/balcony receives in order: [<presence/>, <message/>]\n    earliest: true\n`));
  const step = sc.steps[0];
  assert.ok(step.kind === "receive" && step.earliest === true);
  assert.match(locatedError(file(`${head}  - juliet/balcony receives: <presence/>\n    earliest: true\n`), loadScenarioFile)[2], /'earliest' belongs to a 'receives in order' step/);
});
