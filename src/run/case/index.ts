import type { EventOf } from "../../results/events.ts";
import { allTextsOf, CHECK_KINDS, checksOf } from "../../scenario/kinds.ts";
import { capturesIn, placeholdersIn } from "../../scenario/template.ts";
import { parse, type Element } from "ltx";
import type { Scenario, Step } from "../../scenario/types.ts";
import { NS } from "../../xmpp/ns.ts";
import { Transcript } from "../../xmpp/transcript.ts";
import { retry, type Retrying } from "./retry.ts";
import { CaseScope, type CaseContext } from "./scope.ts";
import { HarnessError, Refused } from "./harness-error.ts";
import { setUp } from "./setup.ts";
import { runStep, type Miss } from "./steps.ts";
import { failureOf, type Outcome, type StepRecord } from "../judge.ts";
import { stoppedBy } from "../stop.ts";
import { describeStop } from "../../results/stopped.ts";

export type { Side } from "./scope.ts";

/** A set-up step that failed: the case is an error with the reason, not a verdict on the server. */
class SetupFailed extends Error {}

/**
 * A step with `refused` whose request the server answered with an error (the stanza after the action that
 * came closest, of type 'error', with the expected id if the step names one): the deployment's allowed refusal.
 */
function refusedBy(step: Step, miss: Miss): Refused | undefined {
  if (!step.refused) return undefined;
  const answer = miss.closest.find((c) => !c.early);
  if (!answer) return undefined;
  const el = parse(answer.xml.replace(/ {3}\(already matched by an earlier step\)$/, "")) as Element;
  const id = (parse(miss.expected[0]) as Element).attrs.id;
  if (el.attrs.type !== "error" || (id !== undefined && el.attrs.id !== id)) return undefined;
  const condition = el.getChild("error")?.children.find((c): c is Element => typeof c !== "string" && c.attrs.xmlns === NS.stanzas)?.name ?? "no condition";
  return new Refused(`the server refused ${step.actor}'s request (${condition}), which ${step.refused}`);
}


/**
 * Runs one scenario as one test case on fresh accounts, and always cleans up after itself. Set-up that
 * fails (a connection the server dropped, a refused login, a leading step that only brings the case to its
 * rule) is retried on fresh accounts; only a persistent failure is the case's error, as is a set-up step
 * that fails later in the case: neither is a verdict on the server. After a MUST failure the later steps are not reached (they
 * would be checked against a server state the case no longer knows); after a weaker failure the steps
 * run on, but not those that need what the failed step should have captured, nor a "receives nothing"
 * on a session whose expected stanza never came, nor a check after an action that was not reached.
 */
export async function runCase(sc: Scenario, ctx: CaseContext, onStep?: (e: Omit<EventOf<"step-end">, "type" | "caseId">) => void): Promise<Outcome> {
  const started = performance.now();
  const transcript = new Transcript();
  const retrying: Retrying = { signal: ctx.signal, ...(ctx.health && { health: ctx.health }), transcript, reasons: [] };
  const records: StepRecord[] = [];
  let scope: CaseScope | undefined;
  let error: string | undefined;
  let skipped: string | undefined;
  const interrupt = () => scope?.dropAll();
  ctx.signal.addEventListener("abort", interrupt);
  const record = (r: StepRecord) => {
    records.push(r);
    onStep?.({ step: r.step.text, pos: r.step.pos, outcome: r.outcome, ...(r.failure && { failure: r.failure }), at: transcript.now() });
  };
  try {
    let attempt = 0;
    // The steps before the first that proves a requirement only bring the case to its rule (open a stream,
    // log in, bind): they are set-up, retried with the rest of it on fresh accounts when the server or the
    // network fails them.
    const leading = sc.steps.findIndex((st) => checksOf(sc, st).length > 0);
    const prelude = sc.steps.slice(0, leading < 0 ? sc.steps.length : leading);
    const missing = await retry("set-up", retrying, async () => {
      await scope?.close();
      attempt++;
      scope = new CaseScope(sc, ctx, transcript, attempt === 1 ? ctx.uid : `${ctx.uid}-r${attempt}`, retrying);
      const missing = await setUp(scope);
      if (missing.length > 0) return missing;
      for (const step of prelude) {
        const miss = await runStep(step, scope);
        if (miss) throw refusedBy(step, miss) ?? new SetupFailed(`set-up step '${step.text}' failed: ${miss.message}`);
      }
      return [];
    });
    if (missing.length > 0) {
      skipped = `the server does not advertise ${missing.join(", ")}`;
    } else {
      for (const step of prelude) record({ step, outcome: "ok" });
      const lost = new Set<string>(); // captures a failed step did not make
      const unsettled = new Set<string>(); // sessions whose expected stanza never came
      let stopped = false;
      let received = false; // whether the 'receives' an 'also' step checks matched
      let skippedAction = false; // whether the latest action was not reached
      for (const step of sc.steps.slice(prelude.length)) {
        const actors = step.actor.split(", ");
        const needsLost = allTextsOf(step).some((x) => placeholdersIn(x).some((p) => lost.has(p)));
        const nothingAfterMiss = (step.kind === "receive-nothing" || step.kind === "one-of") && actors.some((a) => unsettled.has(a));
        const orphan = step.kind === "also" && !received;
        // A check after an action that did not run has nothing to judge (no answer to a request never sent).
        const actionSkipped = CHECK_KINDS.has(step.kind) && skippedAction;
        if (step.kind !== "also") received = false;
        if (stopped || needsLost || nothingAfterMiss || orphan || actionSkipped) {
          record({ step, outcome: "not-reached" });
          if (!CHECK_KINDS.has(step.kind)) skippedAction = true;
          continue;
        }
        if (!CHECK_KINDS.has(step.kind)) skippedAction = false;
        if (ctx.signal.aborted) throw new HarnessError("interrupted");
        const miss = await runStep(step, scope!);
        if (!miss) {
          record({ step, outcome: "ok", ...(step.kind === "one-of" && { choice: scope!.choices.at(-1)?.alternative }) });
          if (step.kind === "receive") received = true;
          continue;
        }
        const refused = refusedBy(step, miss);
        if (refused) throw refused;
        if (checksOf(sc, step).length === 0) {
          // A set-up step (or an action that names no requirement) proves nothing: its failure is no verdict.
          record({ step, outcome: "failed" });
          throw new SetupFailed(`set-up step '${step.text}' failed: ${miss.message}`);
        }
        const failure = failureOf(sc, step, miss);
        record({ step, outcome: "failed", failure });
        for (const x of allTextsOf(step)) for (const c of capturesIn(x)) lost.add(c);
        if (step.kind === "receive" || step.kind === "receive-one-of") unsettled.add(step.actor);
        if (failure.level === "MUST") stopped = true;
      }
    }
  } catch (err) {
    if (err instanceof Refused && !ctx.signal.aborted) skipped = err.message;
    else error = ctx.signal.aborted ? "interrupted" : (err as Error).message;
    // The steps not run are not reached: they say nothing about the server.
    for (const step of sc.steps.slice(records.length)) records.push({ step, outcome: "not-reached" });
  } finally {
    ctx.signal.removeEventListener("abort", interrupt);
    await scope?.close();
  }
  const durationMs = Math.round(performance.now() - started);
  // Stopped while it ran: an interrupt leaves it not run, unless it had already failed a MUST; a server that went
  // away ended its connections, which is an error.
  if (ctx.signal.aborted) {
    const stopped = stoppedBy(ctx.signal);
    const why = `${describeStop(stopped)}, while the case ran`;
    if (stopped.why !== "server-gone" && !records.some((r) => r.failure?.level === "MUST")) return { notRun: "not-run", reason: why, durationMs, transcript: transcript.entries };
    error = why;
    skipped = undefined;
  }
  if (skipped) return { skipped, setupRetries: retrying.reasons, durationMs, transcript: transcript.entries };
  return { ran: { records, ...(error && { error }), choices: scope?.choices ?? [], setupRetries: retrying.reasons, durationMs, transcript: transcript.entries } };
}
