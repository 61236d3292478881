import { createHash } from "node:crypto";
import type { Scenario } from "../scenario/types.ts";

/** "2/5" -> { index: 2, count: 5 }, or undefined when the text is not k/n with 1 <= k <= n. */
export function parseShard(text: string): { index: number; count: number } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) return undefined;
  const [index, count] = [Number(m[1]), Number(m[2])];
  return index >= 1 && count >= 1 && index <= count ? { index, count } : undefined;
}

/**
 * Shard k of n: a case belongs to the shard its id hashes to. Hashing (not position) keeps every case in
 * its shard when cases are added elsewhere, so CI jobs keep comparable histories; every case is in exactly
 * one shard.
 */
export function shardOf(id: string, count: number): number {
  return (createHash("sha1").update(id).digest().readUInt32BE(0) % count) + 1;
}

export function selectShard(plan: Scenario[], shard: { index: number; count: number }): Scenario[] {
  return plan.filter((sc) => shardOf(sc.id, shard.count) === shard.index);
}
