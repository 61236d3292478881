import type { Element } from "ltx";
import type { Captures } from "../../match/pattern.ts";
import type { StepFailure } from "../../results/schema.ts";
import type { ExpectStep, Step } from "../../scenario/types.ts";
import type { Received } from "../../xmpp/inbox.ts";
import type { Participant } from "../participant.ts";
import { closest, consume, findNow, firstMissing, unexpected, waitFor, type Found } from "../expect.ts";
import { HarnessError, type CaseScope } from "./scope.ts";

/** What a step found wrong: a StepFailure without what the case adds (the step, its level and requirements). */
export type Miss = Omit<StepFailure, "step" | "pos" | "level" | "requirements">;

type Handler<K extends Step["kind"]> = (step: Step & { kind: K }, scope: CaseScope) => Promise<Miss | undefined>;

const oneLine = (s: string, max = 140) => {
  const line = s.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
};

/** Waits for what a step expects, decided by a barrier over the case's sessions or by the timeout (see waitFor). */
function decide<T>(scope: CaseScope, observer: Participant, probe: () => T | undefined, step: Step) {
  const barrier = scope.waitOf(step) === "barrier" ? (signal: AbortSignal) => scope.barrier([observer], signal) : undefined;
  return waitFor(observer, probe, step.timeoutMs ?? scope.ctx.timeoutMs, barrier);
}

/** Why nothing was received, for people: a dead session is the network's problem, never a verdict. */
function missed(scope: CaseScope, step: Step, s: Participant, pattern: Element, what: string, decidedBy: Miss["decidedBy"]): Miss {
  if (s.closedReason && s.closedReason !== "closed by the harness") throw new HarnessError(`${s.label}: ${s.closedReason} while waiting for ${oneLine(pattern.toString(), 80)}`);
  const near = closest(s.inbox.items, pattern, scope.lastActionAt);
  const answer = near.find((n) => !n.early);
  const how = decidedBy === "barrier" ? "(a barrier proved it is not coming)" : `within ${step.timeoutMs ?? scope.ctx.timeoutMs} ms`;
  const instead = !answer ? "; nothing arrived on that session after the step's action" : answer.problems[0] ? `; the closest stanza differs: ${answer.problems[0]}` : "";
  return { message: `${s.label} ${what} ${oneLine(pattern.toString(), 80)} ${how}${instead}`, expected: [pattern.toString()], closest: near, decidedBy, at: scope.transcript.now() };
}

/** Remembers what the actor captured, for later steps. */
const keep = (scope: CaseScope, caps: Captures) => void Object.assign(scope.bindings, caps);

/** Stream-level steps (RFC 6120) are parsed, not run yet: a case using them is an error, never a verdict. */
const notYet = async (step: Step): Promise<Miss | undefined> => {
  throw new HarnessError(`${step.text}: stream-level steps are not run by this version of the harness`);
};

const handlers: { [K in Step["kind"]]: Handler<K> } = {
  "open-stream": notYet,
  "receive-stream-header": notYet,
  "receive-features": notYet,
  "start-tls": notYet,
  "abort-sasl": notYet,
  "close-stream": notYet,
  "receive-stream-close": notYet,
  authenticate: notYet,
  bind: notYet,
  "send-raw": notYet,
  "receive-stream-error": notYet,
  async send(step, scope) {
    await scope.sender(step.actor).send(scope.parse(step.xml));
    return undefined;
  },

  async receive(step, scope) {
    const s = scope.participant(step.actor);
    const patterns = step.patterns.map((p) => scope.parse(p));
    const { found, decidedBy } = await decide(scope, s, () => findNow(s.inbox.items, patterns, step.mode, scope.bindings), step);
    if (found) return void (consume(found), keep(scope, found.captures));
    const what = step.mode === "one" ? "did not receive" : step.mode === "in-order" ? "did not receive, in order," : "did not receive all of";
    return missed(scope, step, s, firstMissing(s.inbox.items, patterns, step.mode, scope.bindings), what, decidedBy);
  },

  async "receive-one-of"(step, scope) {
    const s = scope.participant(step.actor);
    const alternatives = step.alternatives.map((a) => ({ name: a.name, patterns: a.patterns.map((p) => scope.parse(p)) }));
    const probe = () => {
      for (const alt of alternatives) {
        const found = findNow(s.inbox.items, alt.patterns, "in-order", scope.bindings);
        if (found) return { found, name: alt.name };
      }
      return undefined;
    };
    const { found: hit, decidedBy } = await decide(scope, s, probe, step);
    if (hit) {
      consume(hit.found);
      keep(scope, hit.found.captures);
      scope.choices.push({ step: step.text, alternative: hit.name });
      return undefined;
    }
    const miss = missed(scope, step, s, alternatives[0].patterns[0], `received none of the alternatives (${step.alternatives.map((a) => a.name).join(", ")}); the first:`, decidedBy);
    return { ...miss, expected: alternatives.flatMap((a) => a.patterns.map((p) => `${a.name}: ${p.toString()}`)) };
  },

  async "receive-nothing"(step, scope) {
    const s = scope.participant(step.actor);
    await scope.barrier([s]);
    const pattern = step.pattern ? scope.parse(step.pattern) : undefined;
    const extra = unexpected(s.inbox.items, pattern);
    if (extra.length === 0) return undefined;
    extra.forEach((r) => (r.consumed = true)); // reported once, not again by a later step
    return {
      message: `${step.actor} received ${extra.length === 1 ? "a stanza" : `${extra.length} stanzas`} it must not${pattern ? ` (matching ${oneLine(pattern.toString())})` : ""}: ${extra[0].el.toString()}`,
      expected: pattern ? [`nothing matching ${pattern.toString()}`] : ["nothing"],
      closest: extra.map((r) => ({ xml: r.el.toString(), problems: [], at: r.at })),
      decidedBy: "barrier",
      at: scope.transcript.now(),
    };
  },

  async connect(step, scope) {
    if (scope.sessions.get(step.actor)?.isOpen) throw new HarnessError(`${step.actor} is already connected`);
    await scope.connect(step.actor, scope.resource(step.actor));
    return undefined;
  },

  async disconnect(step, scope) {
    await scope.session(step.actor).close();
    return undefined;
  },

  async drop(step, scope) {
    scope.session(step.actor).drop();
    return undefined;
  },

  /** Outcomes across sessions: after one barrier over every session involved, the first alternative whose expectations all hold. */
  async "one-of"(step, scope) {
    const involved = [...new Set(step.alternatives.flatMap((a) => a.steps.map((st) => scope.participant(st.actor))))];
    await scope.barrier(involved);
    const why: string[] = [];
    const pick = () => {
      why.length = 0;
      for (const alt of step.alternatives) {
        const failed = holds(scope, alt.steps);
        if (!failed.ok) {
          why.push(`${alt.name}: not "${failed.step.text}"`);
          continue;
        }
        return { alt: alt.name, found: failed };
      }
      return undefined;
    };
    // Decided by the barrier; with wait: timeout, alternatives may still come true until the timeout.
    const chosen = pick() ?? (scope.waitOf(step) === "timeout" ? await waitAcross(involved, pick, step.timeoutMs ?? scope.ctx.timeoutMs) : undefined);
    if (chosen) {
      for (const r of chosen.found.picked) r.consumed = true;
      keep(scope, chosen.found.captures);
      scope.choices.push({ step: step.text, alternative: chosen.alt });
      return undefined;
    }
    return {
      message: `none of the allowed outcomes happened (${why.join("; ")})`,
      expected: step.alternatives.map((a) => `${a.name}: ${a.steps.map((st) => st.text).join(", then ")}`),
      closest: involved.flatMap((s) => s.inbox.items.filter((r) => !r.consumed).map((r) => ({ xml: `${s.label}: ${r.el.toString()}`, problems: [], at: r.at }))).slice(0, 5),
      decidedBy: scope.waitOf(step),
      at: scope.transcript.now(),
    };
  },
};

/** Whether every expectation of one alternative holds right now (without consuming), with what it would take. */
function holds(scope: CaseScope, steps: ExpectStep[]): (Found & { ok: true }) | { ok: false; step: ExpectStep } {
  const picked: Received[] = [];
  let caps: Captures = { ...scope.bindings };
  for (const st of steps) {
    const s = scope.participant(st.actor);
    const inbox = s.inbox.items.filter((r) => !picked.includes(r));
    if (st.kind === "receive-nothing") {
      if (unexpected(inbox, st.pattern ? scope.parse(st.pattern, caps) : undefined).length > 0) return { ok: false, step: st };
      continue;
    }
    const found = findNow(inbox, st.patterns.map((p) => scope.parse(p, caps)), st.mode, caps);
    if (!found) return { ok: false, step: st };
    picked.push(...found.picked);
    caps = found.captures;
  }
  return { ok: true, picked, captures: caps };
}

/** Re-evaluates `pick` on every arrival at any of the sessions until it chooses or time runs out. */
async function waitAcross<T>(sessions: Participant[], pick: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  await Promise.race(sessions.map((s) => s.waitUntil(pick, timeoutMs, stopped)));
  stop();
  return pick();
}

/** Runs one step; an action step moves the point after which stanzas count as the answer. */
export async function runStep(step: Step, scope: CaseScope): Promise<Miss | undefined> {
  const expectation = step.kind === "receive" || step.kind === "receive-one-of" || step.kind === "receive-nothing" || step.kind === "one-of";
  if (!expectation) scope.lastActionAt = scope.transcript.now();
  return (handlers[step.kind] as Handler<Step["kind"]>)(step, scope);
}
