import { test } from "node:test";
import assert from "node:assert/strict";
import { parseShard, selectShard, shardOf } from "../../src/plan/shard.ts";
import { foldRepeats } from "../../src/run/judge.ts";
import type { CaseResult } from "../../src/results/schema.ts";
import type { Scenario } from "../../src/scenario/types.ts";

const cases = Array.from({ length: 200 }, (_, i) => ({ id: `case-${i}` }) as Scenario);

test("--shard k/n: parsed strictly", () => {
  assert.deepEqual(parseShard("2/5"), { index: 2, count: 5 });
  for (const bad of ["0/3", "4/3", "1/0", "a/b", "1-3", "1/3/4"]) assert.equal(parseShard(bad), undefined, bad);
});

test("shards cover every case exactly once, deterministically, and roughly evenly", () => {
  const shards = [1, 2, 3, 4].map((k) => selectShard(cases, { index: k, count: 4 }).map((c) => c.id));
  assert.deepEqual(shards.flat().sort(), cases.map((c) => c.id).sort());
  for (const s of shards) assert.ok(s.length > 30 && s.length < 70, `${s.length}`);
  assert.deepEqual(
    selectShard(cases, { index: 3, count: 4 }).map((c) => c.id),
    shards[2],
  );
  // a case stays in its shard when others are added
  assert.equal(shardOf("case-7", 4), shardOf("case-7", 4));
  assert.ok(selectShard([...cases, { id: "new" } as Scenario], { index: shardOf("case-7", 4), count: 4 }).some((c) => c.id === "case-7"));
});

test("repeats: a verdict that changes between runs is reported as flaky", () => {
  const r = (id: string, verdict: CaseResult["verdict"]) => ({ id, verdict }) as CaseResult;
  const folded = foldRepeats([
    [r("a", "pass"), r("b", "pass")],
    [r("a", "pass"), r("b", "fail")],
    [r("a", "pass"), r("b", "pass")],
  ]);
  assert.equal(folded[0].flaky, undefined);
  assert.deepEqual(folded[1].flaky, ["pass", "fail", "pass"]);
});
