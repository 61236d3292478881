import { randomBytes } from "node:crypto";
import type { AccountLedger } from "../accounts/ledger.ts";
import { applyProfile } from "../profiles/apply.ts";
import type { Profile } from "../profiles/types.ts";
import type { CaseResult } from "../results/types.ts";
import type { Scenario } from "../scenario/types.ts";
import type { Endpoint } from "../xmpp/session.ts";
import { runCase, type Side } from "./case.ts";

export interface RunOptions {
  endpoint: Endpoint;
  ledger: AccountLedger;
  /** The second server of a pair target; cases with accounts on domain b are skipped without it. */
  peer?: Side;
  concurrency: number;
  timeoutMs: number;
  quietMs: number;
  signal: AbortSignal;
  /** The server's known deviations: turns their verdicts into xfail / xpass. */
  profile?: Profile;
  onCaseStart?: (sc: Scenario) => void;
  onCaseEnd?: (result: CaseResult) => void;
}

/** A case that never ran, with the reason (interrupted run, unreachable target). */
export function notRun(sc: Scenario, verdict: "skip" | "error", reason: string): CaseResult {
  return { id: sc.id, title: sc.title, pos: sc.pos, rfc: sc.rfc, level: sc.level, requirements: sc.requirements, tags: sc.tags, verdict, reason, failures: [], choices: [], durationMs: 0, transcript: [] };
}

/**
 * Runs the cases on a bounded pool. Cases share nothing (fresh accounts each), so any order and any
 * concurrency give the same verdicts; results come back in plan order. A case whose accounts the
 * provisioner cannot give (a file of existing accounts with too few) is skipped with the reason.
 */
export async function runPlan(plan: Scenario[], opts: RunOptions): Promise<CaseResult[]> {
  const runId = randomBytes(3).toString("hex");
  const results: CaseResult[] = new Array(plan.length);
  let next = 0;
  const worker = async () => {
    while (next < plan.length) {
      const i = next++;
      const sc = plan[i];
      if (opts.signal.aborted) {
        results[i] = notRun(sc, "skip", "interrupted before it started");
      } else if (opts.ledger.refused) {
        // The server stopped giving accounts (throttled mid-run): one reason for every case left, no more asking.
        results[i] = notRun(sc, "error", opts.ledger.refused.message);
      } else if (!opts.peer && sc.accounts.some((a) => a.domain === "b")) {
        results[i] = notRun(sc, "skip", "needs two domains (accounts on domain b): run it against a pair target such as local:prosody+prosody");
      } else {
        const admitted = await opts.ledger.admit(sc.accounts.length);
        if (typeof admitted === "string") {
          results[i] = notRun(sc, "skip", admitted);
        } else {
          opts.onCaseStart?.(sc);
          try {
            results[i] = applyProfile(await runCase(sc, { ...opts, uid: `${runId}-${i}` }), opts.profile);
          } finally {
            admitted();
          }
        }
      }
      opts.onCaseEnd?.(results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, plan.length)) }, worker));
  return results;
}
