import { isDeepStrictEqual } from "node:util";
import type { RunResult } from "./schema.ts";

/**
 * Joins the results of shards of one run (the same server, harness and options, different cases) into one
 * record. Host and port may differ (each shard may start its own local server); anything that could change
 * verdicts may not, and a case may appear in one shard only.
 */
/** The shards of k/n a set of results lacks (none for results that are no shards); throws on shards of different n. */
export function missingShards(shards: { file: string; run: RunResult }[]): number[] {
  const parts = shards.flatMap((s) => (s.run.shard ? [{ file: s.file, ...s.run.shard }] : []));
  if (parts.length === 0) return [];
  const n = parts[0].n;
  const other = parts.find((p) => p.n !== n);
  if (other) throw new Error(`${other.file} is shard ${other.k}/${other.n}, ${parts[0].file} shard ${parts[0].k}/${n}: not shards of one split`);
  return Array.from({ length: n }, (_, i) => i + 1).filter((k) => !parts.some((p) => p.k === k));
}

export function mergeRuns(shards: { file: string; run: RunResult }[], missing: number[] = []): RunResult {
  if (shards.length === 0) throw new Error("nothing to merge");
  const [first, ...rest] = shards;
  const identity = (r: RunResult) => ({ tool: r.tool, target: r.target.name, domain: r.target.domain, software: r.target.software, options: r.options });
  for (const s of rest) {
    const [a, b] = [identity(first.run), identity(s.run)];
    const differs = (Object.keys(a) as (keyof typeof a)[]).filter((k) => !isDeepStrictEqual(a[k], b[k]));
    if (differs.length > 0) throw new Error(`${s.file} is not a shard of the same run as ${first.file}: ${differs.join(", ")} differ`);
  }
  const owner = new Map<string, string>();
  for (const s of shards) {
    for (const c of s.run.cases) {
      const other = owner.get(c.id);
      if (other) throw new Error(`case ${c.id} is in both ${other} and ${s.file}`);
      owner.set(c.id, s.file);
    }
  }
  const start = Math.min(...shards.map((s) => Date.parse(s.run.startedAt)));
  const end = Math.max(...shards.map((s) => Date.parse(s.run.startedAt) + s.run.durationMs));
  const targetErrors = [...new Set(shards.flatMap((s) => (s.run.targetError ? [s.run.targetError] : [])))];
  const notes = [...new Set(shards.flatMap((s) => s.run.notes ?? []))];
  const left = shards.flatMap((s) => s.run.accounts.left ?? []);
  const refused = [...new Set(shards.flatMap((s) => (s.run.accounts.refused ? [s.run.accounts.refused] : [])))];
  // --concurrency auto settles in each shard on its own: the shards' median, and the range over all of them.
  const settled = shards.flatMap((s) => (s.run.concurrency ? [s.run.concurrency] : []));
  const concurrency = settled.length > 0 && {
    settled: settled.map((c) => c.settled).sort((a, b) => a - b)[(settled.length - 1) >> 1],
    lowest: Math.min(...settled.map((c) => c.lowest)),
    highest: Math.max(...settled.map((c) => c.highest)),
  };
  const { shard: _, ...info } = first.run;
  return {
    ...info,
    startedAt: new Date(start).toISOString(),
    durationMs: end - start,
    cases: shards.flatMap((s) => s.run.cases),
    accounts: {
      created: shards.reduce((n, s) => n + s.run.accounts.created, 0),
      notRemoved: shards.reduce((n, s) => n + s.run.accounts.notRemoved, 0),
      ...(left.length > 0 && { left }),
      ...(refused.length > 0 && { refused: refused.join("; ") }),
    },
    ...(concurrency && { concurrency }),
    ...((notes.length > 0 || missing.length > 0) && {
      notes: [
        ...notes,
        ...(missing.length > 0
          ? [`shard${missing.length === 1 ? "" : "s"} ${missing.map((k) => `${k}/${first.run.shard!.n}`).join(", ")} missing: this is part of the run (merge --allow-partial)`]
          : []),
      ],
    }),
    ...(targetErrors.length > 0 && { targetError: targetErrors.join("; ") }),
    interrupted: shards.some((s) => s.run.interrupted),
  };
}
