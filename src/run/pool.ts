import { randomBytes } from "node:crypto";
import type { RunProfiles } from "../profiles/apply.ts";
import type { RunEvent } from "../results/events.ts";
import type { CaseResult } from "../results/schema.ts";
import type { RemoteServer } from "../remote/remote-server.ts";
import type { Scenario, Wait } from "../scenario/types.ts";
import { runCase, type Side } from "./case/index.ts";
import { judge } from "./judge.ts";

export interface PoolOptions extends Side {
  /** The second server of a pair target; cases with accounts on domain b are skipped without it. */
  peer?: Side;
  /** The harness's scripted remote server; cases with accounts on domain remote are skipped without it. */
  remote?: RemoteServer;
  /** The target was named by its WebSocket URL alone: cases with raw connections (TCP streams) are skipped. */
  webSocketOnly?: boolean;
  concurrency: number;
  timeoutMs: number;
  quietMs: number;
  wait: Wait;
  signal: AbortSignal;
  /** The servers' known deviations: turns their verdicts into xfail / xpass. */
  profiles?: RunProfiles;
  /** case-begin and step-end as they happen; case-end too unless `holdCaseEnd` (repeats fold first). */
  emit: (e: RunEvent) => void;
  holdCaseEnd?: boolean;
  /** Which run of the plan this is, with --repeat. */
  repeat?: number;
}

/** A case with a user of the harness's scripted remote server. */
export const hasRemoteAccount = (sc: Scenario) => sc.accounts.some((a) => a.domain === "remote");

/**
 * Runs the cases on a bounded pool. Cases share nothing (fresh accounts each), so any order and any
 * concurrency give the same verdicts; results come back in plan order. A case whose accounts the
 * provisioner cannot give (a file of existing accounts with too few) is skipped with the reason.
 */
export async function runPool(plan: Scenario[], opts: PoolOptions): Promise<CaseResult[]> {
  const runId = randomBytes(3).toString("hex");
  const results: CaseResult[] = new Array(plan.length);
  let next = 0;
  const one = async (sc: Scenario, i: number): Promise<CaseResult> => {
    if (opts.signal.aborted) return judge(sc, { notRun: "skip", reason: "interrupted before it started" }, opts.profiles);
    // The server stopped giving accounts (throttled mid-run): one reason for every case left, no more asking.
    const refused = opts.ledger.refused ?? opts.peer?.ledger.refused;
    if (refused) return judge(sc, { notRun: "error", reason: refused.message }, opts.profiles);
    if (!opts.peer && sc.accounts.some((a) => a.domain === "b")) return judge(sc, { notRun: "skip", reason: "needs two domains (accounts on domain b): run it against a pair target such as local:prosody+prosody" }, opts.profiles);
    if (!opts.remote && hasRemoteAccount(sc)) return judge(sc, { notRun: "skip", reason: "needs the harness's scripted remote server (accounts on domain remote): run it against a federating target such as local:prosody+remote" }, opts.profiles);
    // Raw connections speak RFC 6120's TCP binding (stream headers, whitespace, restarts); RFC 7395 frames streams otherwise.
    if (opts.webSocketOnly && sc.connections.length > 0) return judge(sc, { notRun: "skip", reason: "its raw connections speak RFC 6120's TCP binding and the server was named by its WebSocket URL alone: run it over TCP (--server HOST:PORT)" }, opts.profiles);
    const admitted = await opts.ledger.admit(sc.accounts.filter((a) => a.domain !== "remote").length);
    if (typeof admitted === "string") return judge(sc, { notRun: "skip", reason: admitted }, opts.profiles);
    opts.emit({ type: "case-begin", id: sc.id, title: sc.title, pos: sc.pos, ...(opts.repeat !== undefined && { repeat: opts.repeat }) });
    try {
      const outcome = await runCase(sc, { ...opts, uid: `${runId}-${i}` }, (e) => opts.emit({ type: "step-end", caseId: sc.id, ...e }));
      return judge(sc, outcome, opts.profiles);
    } finally {
      admitted();
    }
  };
  const worker = async () => {
    while (next < plan.length) {
      const i = next++;
      results[i] = await one(plan[i], i);
      if (!opts.holdCaseEnd) opts.emit({ type: "case-end", case: results[i] });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, plan.length)) }, worker));
  return results;
}
