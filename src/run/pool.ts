import { randomBytes } from "node:crypto";
import { getMaxListeners, setMaxListeners } from "node:events";
import type { RunProfiles } from "../profiles/apply.ts";
import type { RunEvent } from "../results/events.ts";
import type { CaseResult } from "../results/schema.ts";
import type { RemoteServer } from "../remote/remote-server.ts";
import type { Scenario, Wait } from "../scenario/types.ts";
import { runCase, type Side } from "./case/index.ts";
import { setupPaceOf, type Concurrency } from "./concurrency.ts";
import { judge } from "./judge.ts";
import { stoppedBy } from "./stop.ts";
import type { Health } from "./liveness.ts";
import { describeStop } from "../results/stopped.ts";
import type { ComponentEndpoint } from "../xmpp/wire/endpoint.ts";

export interface PoolOptions extends Side {
  /** The second server of a pair target; cases with accounts on domain b are skipped without it. */
  peer?: Side;
  /** The harness's scripted remote server; cases with accounts on domain remote are skipped without it. */
  remote?: RemoteServer;
  /** The target's multi-user chat service, for the cases' rooms. */
  muc?: string;
  /** XEP-0114: the component name the target accepts, its port and secret, for the cases' component connections. */
  component?: ComponentEndpoint;
  /** XEP-0363: the target's upload service, and the CA its HTTPS slots are checked against (beside the system's). */
  upload?: string;
  httpsCa?: string;
  /** A local target the harness started (its name, local:prosody): what a skip suggests instead fits it. */
  local?: string;
  /** The target was named by its WebSocket or BOSH URL alone: cases with raw connections (TCP streams) are skipped. */
  webSocketOnly?: boolean;
  /** How many cases at once: fixed, or a controller told of each case's end. */
  concurrency: Concurrency;
  timeoutMs: number;
  quietMs: number;
  wait: Wait;
  signal: AbortSignal;
  /** Whether the servers answer (the run's liveness watch). */
  health?: Health;
  /** The servers' known deviations: turns their verdicts into xfail / xpass. */
  profiles?: RunProfiles;
  /** case-begin and step-end as they happen; case-end too unless `holdCaseEnd` (repeats fold first). */
  emit: (e: RunEvent) => void;
  holdCaseEnd?: boolean;
  /** Which run of the plan this is, with --repeat. */
  repeat?: number;
}

/**
 * What a server under load may do to a case that would pass alone: refuse a request it expected to succeed (an
 * error where a result was expected, or a refusal its `refused:` step skips on), send what the case waits for
 * only after the timeout, or act on what the case told it only after the case went on, so that a stanza the case
 * says must no longer come still does. ejabberd's PEP (23.01, 24.12) aborts a transaction that collides with
 * another account's node creation or removal and answers item-not-found; its mod_push disables a push node in a
 * process of its own, which under load may still be running when the next message comes. Such a case, when it ran
 * beside others, runs again alone.
 */
const mayBeLoad = (sc: Scenario, r: CaseResult, wait: Wait) => {
  // A case that says its waits are the timeout's (what no barrier orders) is late; in a run decided by barriers, a miss
  // the timeout decided is one whose barrier the server did not answer in time. (In a --wait timeout run every miss is.)
  const ownTimeout = !sc.variant && (sc.wait === "timeout" || sc.steps.some((st) => st.wait === "timeout"));
  const late = ownTimeout || wait === "barrier";
  if (r.precondition) return true;
  // A failure the profile documents (xfail) is the server's way, not load: a second run would show it again.
  return !["pass", "skip", "xfail"].includes(r.verdict) && r.failures.some((f) => f.refusal || f.unwanted || (late && f.decidedBy === "timeout"));
};

/**
 * Why a case that needs a second domain is skipped, in words that fit the target: a local server can be started
 * again as a pair or with the harness's scripted remote server; a running server cannot be federated with
 * either from here (each needs DNS names and s2s ports the harness controls).
 */
function needsFederation(local: string | undefined, what: "pair" | "remote"): string {
  const needs =
    what === "pair" ? "needs a second server federating with this one (accounts on domain b)" : "needs the harness's scripted remote server federating with this one (a user on domain remote)";
  if (!local) return `${needs}: a running server cannot be federated from here; the harness's local pairs run it (--target local:prosody+ejabberd)`;
  const base = local.replace(/\+.*$/, "");
  return `${needs}: run it with --target ${what === "pair" ? `${base}+prosody` : `${base}+remote`}`;
}

/** A case with a user of the harness's scripted remote server. */
export const hasRemoteAccount = (sc: Scenario) => sc.accounts.some((a) => a.domain === "remote");

/**
 * Runs the cases on a bounded pool: a case starts whenever fewer than the concurrency's limit run, and the
 * concurrency hears of each case that ran when it ends. Cases share nothing (fresh accounts each), so any
 * order and any concurrency give the same verdicts; results come back in plan order. A server may still refuse
 * or delay under load: a case that ran beside others and shows it (mayBeLoad) runs again alone, after the
 * others, and that run's verdict stands (`besideOthers` keeps the first). A case whose accounts the provisioner cannot
 * give (a file of existing accounts with too few) is skipped with the reason.
 */
export async function runPool(plan: Scenario[], opts: PoolOptions): Promise<CaseResult[]> {
  const runId = randomBytes(3).toString("hex");
  const results: CaseResult[] = new Array(plan.length);
  // The target accepts one connection for its component name (XEP-0114): cases with one take turns.
  let componentTurn: Promise<unknown> = Promise.resolve();
  const turn = (sc: Scenario): Promise<() => void> => {
    if (!sc.connections.some((c) => c.component)) return Promise.resolve(() => {});
    let release = () => {};
    const mine = new Promise<void>((resolve) => (release = resolve));
    const ready = componentTurn.then(() => release);
    componentTurn = componentTurn.then(() => mine);
    return ready;
  };
  const one = async (sc: Scenario, i: number, uid = `${runId}-${i}`): Promise<CaseResult> => {
    if (opts.signal.aborted) return judge(sc, { notRun: "not-run", reason: describeStop(stoppedBy(opts.signal)) }, opts.profiles);
    // The server stopped giving accounts (throttled mid-run): one reason for every case left, no more asking.
    const refused = opts.ledger.refused ?? opts.peer?.ledger.refused;
    if (refused) return judge(sc, { notRun: "error", reason: refused.message }, opts.profiles);
    if (!opts.peer && sc.accounts.some((a) => a.domain === "b")) return judge(sc, { notRun: "skip", reason: needsFederation(opts.local, "pair") }, opts.profiles);
    if (!opts.remote && hasRemoteAccount(sc)) return judge(sc, { notRun: "skip", reason: needsFederation(opts.local, "remote") }, opts.profiles);
    // Raw connections speak RFC 6120's TCP binding (stream headers, whitespace, restarts); RFC 7395 and XEP-0206 frame
    // streams otherwise. A BOSH connection posts to the URL.
    if (opts.webSocketOnly && sc.connections.some((c) => !c.webSocket && !c.bosh))
      return judge(
        sc,
        { notRun: "skip", reason: "its raw connections speak RFC 6120's TCP binding and the server was named by its WebSocket or BOSH URL alone: run it over TCP (--server HOST:PORT)" },
        opts.profiles,
      );
    // Existing accounts are the user's: a case may neither cancel them, change their passwords nor leave one of its own.
    if (opts.ledger.capacity < Infinity && sc.accounts.some((a) => a.registered === "by-case" || a.disposable))
      return judge(sc, { notRun: "skip", reason: "registers, cancels or changes the password of an account of its own, which existing accounts (--accounts file) cannot be" }, opts.profiles);
    const admitted = await opts.ledger.admit(sc.accounts.filter((a) => a.domain !== "remote").length);
    if (typeof admitted === "string") return judge(sc, { notRun: "skip", reason: admitted }, opts.profiles);
    const done = await turn(sc);
    opts.emit({ type: "case-begin", id: sc.id, title: sc.title, pos: sc.pos, ...(opts.repeat !== undefined && { repeat: opts.repeat }) });
    try {
      const outcome = await runCase(sc, { ...opts, uid }, (e) => opts.emit({ type: "step-end", caseId: sc.id, ...e }));
      return judge(sc, outcome, opts.profiles);
    } finally {
      done();
      admitted();
    }
  };
  const { concurrency } = opts;
  // Each running case listens on the run's signal (to drop its connections on an interrupt), a retry's pause too.
  setMaxListeners(Math.max(getMaxListeners(opts.signal), 2 * concurrency.max + 2), opts.signal);
  let next = 0;
  let running = 0;
  const again: number[] = [];
  // The cases running now, and those that at some time ran beside another.
  const now = new Set<number>();
  const overlapped = new Set<number>();
  const ended = (result: CaseResult) => {
    if (!opts.holdCaseEnd) opts.emit({ type: "case-end", case: result });
  };
  await new Promise<void>((done, fail) => {
    const fill = () => {
      while (running < Math.max(1, concurrency.limit) && next < plan.length) start(next++);
      if (running === 0 && next >= plan.length) done();
    };
    const start = (i: number) => {
      running++;
      if (now.size > 0) for (const j of [...now, i]) overlapped.add(j);
      now.add(i);
      const startedAt = performance.now();
      one(plan[i], i)
        .then((result) => {
          now.delete(i);
          results[i] = result;
          if (overlapped.has(i) && mayBeLoad(plan[i], result, opts.wait)) {
            again.push(i);
            opts.emit({ type: "case-again", id: result.id, reason: "ran beside other cases and had a request refused, or a stanza late or unwanted: runs again alone, after them" });
          } else ended(result);
          // A case with no transcript never reached the server (not run, skipped before set-up): it says nothing of it.
          if (result.transcript?.length) {
            const trouble = Boolean(result.setupRetries?.length || opts.ledger.refused || opts.peer?.ledger.refused);
            concurrency.completed({ startedAt, endedAt: performance.now(), paceMs: setupPaceOf(result), trouble });
          }
          running--;
          fill();
        })
        .catch(fail);
    };
    fill();
  });
  for (const i of again) {
    const first = results[i];
    const alone = opts.signal.aborted ? first : await one(plan[i], i, `${runId}-${i}-alone`);
    // The lone run stands; what the case gave beside the others is kept when it differs.
    results[i] = alone.verdict === first.verdict ? alone : { ...alone, besideOthers: { verdict: first.verdict, ...(first.reason && { reason: first.reason }) } };
    ended(results[i]);
  }
  return results;
}
