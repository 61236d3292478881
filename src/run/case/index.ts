import type { EventOf } from "../../results/events.ts";
import type { Precondition } from "../../results/schema.ts";
import type { PlannedStep, Scenario } from "../../scenario/types.ts";
import { Transcript } from "../../xmpp/connections/transcript.ts";
import { pauseBefore, RETRY_BACKOFF_MS } from "../../util/retry.ts";
import { retry, type Retrying } from "./retry.ts";
import { CaseScope, type CaseContext } from "./scope.ts";
import { HarnessError, PreconditionFailed } from "./errors.ts";
import { setUp } from "./setup.ts";
import { runStep, type Miss } from "./steps.ts";
import { oneLine } from "./step-kit.ts";
import { failureOf, type Outcome, type StepRecord } from "../judge.ts";
import { stoppedBy } from "../stop.ts";
import { describeStop } from "../../results/stopped.ts";

export type { Side } from "./scope.ts";

/**
 * A set-up step that missed, as the server's answer: what it refused (or a request its text lets it refuse,
 * with the step's `refused`), or what did not come. The signature leaves out what differs between attempts.
 */
function preconditionOf(step: PlannedStep, index: number, miss: Miss): PreconditionFailed {
  const { refusal } = miss;
  const answer = refusal ? `answered ${refusal.stanza}` : miss.closest.find((c) => !c.early) ? `answered otherwise: ${miss.message}` : miss.message;
  const allowed = step.refused && refusal ? step.refused : undefined;
  const precondition: Precondition = { step: step.text, answer, ...(allowed && { allowed }) };
  const message = allowed
    ? `the server refused ${step.actor}'s request (${refusal!.condition || "no defined condition"}), which ${allowed}`
    : refusal
      ? `the server refused the precondition '${step.text}': ${refusal.stanza}`
      : `the server did not give the precondition '${step.text}': ${miss.message}`;
  const how = refusal ? `refused ${refusal.condition}` : `${miss.decidedBy ?? "answered"} ${miss.closest.some((c) => !c.early) ? "otherwise" : "nothing"}`;
  return new PreconditionFailed(precondition, `${index} ${how}`, message);
}

/** How many times a case is tried when set-up keeps failing: the retry schedule's length. */
const ATTEMPTS = RETRY_BACKOFF_MS.length;

/**
 * Runs one scenario as one test case on fresh accounts, and always cleans up after itself. Set-up that fails
 * on the way (a connection the server dropped, a refused login) is retried on fresh accounts; only a
 * persistent failure is the case's error. A precondition the server does not give (a set-up step or
 * fixture that fails on the server's answer) is tried once more on fresh accounts: the same answer twice is
 * the server's, and the case is skipped naming it (or keeps the verdict its steps had by then); a request
 * the text lets a deployment refuse (`refused`) needs no second try. After a MUST failure the later steps are
 * not reached (they would be checked against a server state the case no longer knows); after a weaker
 * failure the steps run on, but not those their plans say depend on what did not happen.
 */
export async function runCase(sc: Scenario, ctx: CaseContext, onStep?: (e: Omit<EventOf<"step-end">, "type" | "caseId">) => void): Promise<Outcome> {
  const started = performance.now();
  const transcript = new Transcript();
  const retrying: Retrying = { signal: ctx.signal, ...(ctx.health && { health: ctx.health }), transcript, reasons: [] };
  let records: StepRecord[] = [];
  let scope: CaseScope | undefined;
  let error: string | undefined;
  let skipped: string | undefined;
  let unmet: string[] | undefined;
  let refused: PreconditionFailed | undefined;
  const interrupt = () => scope?.dropAll();
  ctx.signal.addEventListener("abort", interrupt);
  const record = (r: StepRecord) => {
    records.push(r);
    onStep?.({ step: r.step.text, pos: r.step.pos, outcome: r.outcome, ...(r.failure && { failure: r.failure }), at: transcript.now() });
  };
  const prelude = sc.steps.filter((st) => st.plan.prelude);
  try {
    let previous: PreconditionFailed | undefined;
    for (let attempt = 1; ; attempt++) {
      records = [];
      try {
        // Set-up and the prelude (the steps that only bring the case to its rule: open a stream, log in, bind),
        // retried together on fresh accounts when the server or the network fails them.
        let tries = 0;
        // The alternative each prelude `one of` took: a later `after: label/alternative` asks for it. A prelude
        // step `after` one that took another alternative (or was itself passed over) is not reached.
        const chosen = new Map<PlannedStep, string | undefined>();
        const passed = new Set<PlannedStep>();
        const missing = await retry("set-up", retrying, async () => {
          await scope?.close();
          chosen.clear();
          passed.clear();
          tries++;
          scope = new CaseScope(sc, ctx, transcript, attempt === 1 && tries === 1 ? ctx.uid : `${ctx.uid}-r${attempt}-${tries}`, retrying);
          const missing = await setUp(scope);
          if (missing.length > 0) return missing;
          for (const [i, step] of prelude.entries()) {
            // Not run where a step it is after was itself passed over, or its 'one of' took another alternative.
            const notAfter = (step.plan.after ?? []).some(({ step: at, alternatives }) => {
              const earlier = sc.steps[at];
              const taken = chosen.get(earlier);
              return passed.has(earlier) || (alternatives !== undefined && (taken === undefined || !alternatives.includes(taken)));
            });
            if (notAfter) {
              passed.add(step);
              continue;
            }
            const miss = await runStep(step, scope);
            if (miss) throw preconditionOf(step, i, miss);
            if (step.plan.alternatives) chosen.set(step, scope.choices.at(-1)?.alternative);
          }
          return [];
        });
        if (missing.length > 0) {
          const texts = missing.map((m) => m.text).join(", ");
          // How the run reaches the server is the run's choice: another run judges the case (compliance says so).
          skipped = missing.every((m) => m.transport) ? `not judged over this connection: needs ${texts}` : `the server does not advertise ${texts}`;
          unmet = missing.map((m) => m.feature);
          break;
        }
        for (const step of prelude) record(passed.has(step) ? { step, outcome: "not-reached" } : { step, outcome: "ok", ...(chosen.has(step) && { choice: chosen.get(step) }) });
        await runBody(sc, scope!, records, record);
        break;
      } catch (err) {
        if (!(err instanceof PreconditionFailed) || ctx.signal.aborted) throw err;
        // The same answer twice, or one the text allows at once: the server's. The case ends where it is.
        if (err.precondition.allowed || previous?.signature === err.signature) {
          refused = err;
          break;
        }
        if (attempt >= ATTEMPTS) throw new Error(`${err.message} (set-up failed ${attempt} times, differently each time)`);
        previous = err;
        retrying.reasons.push(`set-up: ${err.message}`);
        transcript.add("harness", "note", `${err.message}; trying the case once more on fresh accounts`, true);
        await pauseBefore(2, ctx.signal);
        await ctx.health?.answering(ctx.signal);
      }
    }
  } catch (err) {
    error = (err as Error).message;
  } finally {
    ctx.signal.removeEventListener("abort", interrupt);
    await scope?.close();
  }
  // The steps not run are not reached: they say nothing about the server.
  for (const step of sc.steps.slice(records.length)) records.push({ step, outcome: "not-reached" });
  const durationMs = Math.round(performance.now() - started);
  const setupRetries = retrying.reasons;
  // Stopped while it ran: an interrupt leaves it not run, unless it had already failed a MUST; a server that went
  // away ended its connections, which is an error.
  if (ctx.signal.aborted) {
    const stopped = stoppedBy(ctx.signal);
    const why = `${describeStop(stopped)}, while the case ran`;
    if (stopped.why !== "server-gone" && !records.some((r) => r.failure?.level === "MUST")) return { notRun: "not-run", reason: why, durationMs, transcript: transcript.entries };
    return { ran: { records, error: why, choices: scope?.choices ?? [], setupRetries, durationMs, transcript: transcript.entries } };
  }
  if (skipped) return { skipped, ...(unmet && { unmet }), setupRetries, durationMs, transcript: transcript.entries };
  // A precondition refused before anything failed is a skip that names it; after a failure, the verdict stands.
  const precondition = refused?.precondition;
  if (refused && !records.some((r) => r.failure)) return { skipped: refused.message, precondition: refused.precondition, setupRetries, durationMs, transcript: transcript.entries };
  return { ran: { records, ...(error && { error }), ...(precondition && { precondition }), choices: scope?.choices ?? [], setupRetries, durationMs, transcript: transcript.entries } };
}

/**
 * The steps after the prelude, as their plans say: a step is not reached after a MUST failure, when it uses a
 * capture a failed or unreached step did not make (and no step that held made), when it answers an action that was not reached, when it is an `also`
 * of a 'receives' that did not match or comes `after` a step that did not hold, or when it looks at a session whose expected stanza never came. A
 * set-up step that misses is a precondition the server did not give (PreconditionFailed); an action that
 * proves nothing and fails is the harness's or the network's (an error).
 */
async function runBody(sc: Scenario, scope: CaseScope, records: StepRecord[], record: (r: StepRecord) => void): Promise<void> {
  const lost = new Set<string>();
  // Which 'receives one of' step's `also` made a capture: the same capture in an alternative not taken is not lost.
  const madeOf = new Map<string, number>();
  const unsettled = new Set<string>();
  // After a MUST failure nothing later is judged, but the other `also` checks of the stanza that failed one:
  // they look at what already arrived.
  let stopped: { besides?: number } | undefined;
  for (const [i, step] of sc.steps.entries()) {
    if (step.plan.prelude) continue;
    const { plan } = step;
    // An `also` of a stanza that did not come (or came as another alternative than its own) has nothing to check;
    // a step `after` one that did not hold (or took another alternative) judges a rule whose condition never arose.
    const held = (ref: { step: number; alternatives?: readonly string[] }) => {
      const { outcome, choice } = records[ref.step] ?? {};
      return outcome === "ok" && (ref.alternatives === undefined || (choice !== undefined && ref.alternatives.includes(choice)));
    };
    const orphan =
      (plan.of !== undefined && !held({ step: plan.of.step, ...(plan.of.alternative !== undefined && { alternatives: [plan.of.alternative] }) })) || (plan.after ?? []).some((a) => !held(a));
    const halted = stopped !== undefined && !(plan.of !== undefined && stopped.besides === plan.of.step);
    if (halted || orphan || plan.uses.some((c) => lost.has(c)) || plan.settledOn.some((s) => unsettled.has(s)) || (plan.answers !== undefined && records[plan.answers]?.outcome === "not-reached")) {
      record({ step, outcome: "not-reached" });
      // What it would have captured is missing as much as a failed step's, unless the `also` of the alternative
      // taken made it.
      for (const c of plan.captures) if (plan.of === undefined || madeOf.get(c) !== plan.of.step) lost.add(c);
      continue;
    }
    if (scope.ctx.signal.aborted) throw new HarnessError("interrupted");
    const miss = await runStep(step, scope);
    if (!miss) {
      record({ step, outcome: "ok", ...(plan.alternatives && { choice: scope.choices.at(-1)?.alternative }) });
      // Made after all: the `also` of the alternative taken captures what the other alternative's would have.
      for (const c of plan.captures) {
        lost.delete(c);
        if (plan.of !== undefined) madeOf.set(c, plan.of.step);
        else madeOf.delete(c);
      }
      continue;
    }
    // A set-up step's request that went unanswered at all is RFC 6120 §8.2.3's failure (its plan says so), not a precondition.
    const silent = Boolean(miss.unanswered && plan.unanswered);
    if ((plan.role === "setup" && !silent) || (step.refused && miss.refusal)) {
      record({ step, outcome: "failed" });
      throw preconditionOf(step, i, miss);
    }
    if (plan.role === "act") {
      record({ step, outcome: "failed" });
      throw new HarnessError(`'${oneLine(step.text, 100)}' could not be carried out: ${miss.message}`);
    }
    const failure = failureOf(step, miss);
    record({ step, outcome: "failed", failure });
    for (const c of plan.captures) lost.add(c);
    for (const s of plan.unsettles) unsettled.add(s);
    if (failure.level === "MUST") stopped ??= { ...(plan.of && { besides: plan.of.step }) };
  }
}
