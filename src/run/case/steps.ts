import type { Element } from "ltx";
import { matchStanza, type Captures } from "../../match/pattern.ts";
import { fill } from "../../match/template.ts";
import type { Answer, ExpectKind, ExpectStep, PlannedStep, Step } from "../../scenario/types.ts";
import type { ReadByServer, Received } from "../../xmpp/connections/inbox.ts";
import type { Refusal } from "../../results/schema.ts";
import { RawConnection } from "../../xmpp/connections/raw-connection.ts";
import { NS } from "../../xmpp/wire/ns.ts";
import { NOT_AN_ANSWER } from "../../xmpp/wire/stream-error.ts";
import { closest, consume, findNow, firstMissing, sinceAction, unexpected, waitFor, type Found } from "../expect.ts";
import type { Participant } from "../participant.ts";
import type { CaseScope } from "./scope.ts";
import { HarnessError } from "./errors.ts";
import { absenceWaits, keep, oneLine, StreamEnded, timeoutOf, type Handler, type Holds, type Miss } from "./step-kit.ts";
import { MID_CASE_ATTEMPTS, pauseBefore, RETRY_BACKOFF_MS } from "../../util/retry.ts";
import { actOn, ending, streamHandlers, streamHolds } from "./stream-steps.ts";
import { httpHandlers, httpHolds } from "./http-steps.ts";
import { boshHandlers } from "./bosh-steps.ts";

export type { Miss } from "./step-kit.ts";

/**
 * What a step's "receives" matches on its actor: a session's stanzas, or every first-level element a raw
 * connection received (stanzas and the SASL, TLS and bind answers; features and stream errors have their own steps).
 */
function receivable(scope: CaseScope, label: string): Received[] {
  if (!scope.isRaw(label)) return scope.participant(label).inbox.items;
  return scope.raw(label).elements.filter((r) => !r.el.is("features", NS.stream) && !r.el.is("error", NS.stream));
}

/**
 * Whether `r` answers the action taken at `since` on a raw connection: after the action, and after the connection's
 * own last send (an element that arrived in the same tenth of a millisecond as the action but before it, features or
 * the challenge being answered, is no answer to it), and not taken by a step yet.
 */
const answers = (c: RawConnection, since: number) => (r: Received) => r.at >= since && c.arrivedSinceSend(r) && !r.consumed;

/**
 * Waits for what a step expects, decided by a barrier over the case's parties or by the timeout (see waitFor).
 * The observer's ping goes first, alone: most expected stanzas have arrived by its answer (the server handled
 * what came before it), and then the markers of the whole barrier are never sent; only a stanza still missing
 * after the ping costs the full barrier, which alone decides that it is not coming. A raw connection not bound
 * yet cannot take part in a barrier; its exchanges are requests with one answer each (SASL, STARTTLS, bind), so
 * the server's answer to the step's action decides: a "receives" its answer does not match fails then, not at
 * the timeout.
 */
async function decide<T>(scope: CaseScope, observer: Participant, probe: () => T | undefined, step: Step): Promise<{ found?: T; decidedBy?: "barrier" | "timeout" }> {
  if (observer instanceof RawConnection && !observer.jid) {
    const isAnswer = answers(observer, scope.lastActionAt);
    const answered = () => observer.elements.some(isAnswer);
    await observer.waitUntil(() => probe() ?? (answered() ? true : undefined), timeoutOf(scope, step), undefined, scope.readByServer);
    const found = probe();
    return found !== undefined ? { found } : answered() ? {} : { decidedBy: "timeout" };
  }
  const timeoutMs = timeoutOf(scope, step);
  const barrier = async (signal: AbortSignal) => {
    await observer.ping(timeoutMs);
    if (!signal.aborted) await scope.barrier([observer], signal);
  };
  return waitFor(observer, probe, timeoutMs, scope.waitOf(step) === "barrier" && observer.isOpen ? barrier : undefined, scope.readByServer);
}

/**
 * The server's error answer to a request the step expected to succeed: the IQ answering the pattern's id (any
 * IQ answer, for a pattern without one) that arrived after the step's action, when it is an error.
 */
function refusalOf(items: Received[], pattern: Element, since: number): Refusal | undefined {
  if (pattern.name !== "iq" || pattern.attrs.type !== "result") return undefined;
  const id = pattern.attrs.id as string | undefined;
  const answer = items.find((r) => r.at >= since && r.el.name === "iq" && (r.el.attrs.type === "result" || r.el.attrs.type === "error") && (id === undefined || r.el.attrs.id === id));
  if (answer?.el.attrs.type !== "error") return undefined;
  const condition =
    answer.el
      .getChild("error")
      ?.getChildElements()
      .find((c) => c.attrs.xmlns === NS.stanzas)?.name ?? "";
  return { condition, stanza: answer.el.toString() };
}

/** `since: LABEL`: the arrival order of the last stanza the step so labelled matched (what a later look starts after). */
function arrivedAfter(scope: CaseScope, step: { text: string; since?: string }): number {
  const picked = scope.pickedBy.get(step.since!);
  if (!picked) throw new HarnessError(`${step.text}: the step labelled '${step.since}' matched nothing`);
  return Math.max(...picked.map((r) => r.seq));
}

/**
 * No IQ answer (a result or an error) with the pattern's id came on the session at all: the request went unanswered.
 * The whole session is looked at, not only what came after the step's action: another action may stand between the
 * request and the step.
 */
function unansweredBy(items: Received[], answers: Answer[]): boolean {
  const answered = (el: Element, a: Answer) =>
    el.name === a.name && (a.xmlns === undefined || el.getNS() === a.xmlns) && (a.id === undefined || ((el.attrs.type === "result" || el.attrs.type === "error") && el.attrs.id === a.id));
  return !items.some((r) => answers.some((a) => answered(r.el, a)));
}

/** The stream error the server ended a session with, as its answer: not one that ends any stream (the server going away, limiting connections). */
function endedBy(scope: CaseScope, label: string) {
  const s = scope.participant(label);
  return s.endedBy && !NOT_AN_ANSWER.has(s.endedBy.condition) ? s.endedBy : undefined;
}

/** Whether `label` received none of `answers`, on a stream the server did not end (ending it is an answer). */
const silent = (scope: CaseScope, label: string, answers: Answer[]) => !endedBy(scope, label) && unansweredBy(receivable(scope, label), answers);

/** Why nothing was received, for people: a dead session is the network's problem, never a verdict; a raw connection the server ended says so. */
function missed(scope: CaseScope, step: PlannedStep, label: string, pattern: Element, what: string, decidedBy: Miss["decidedBy"]): Miss {
  const raw = scope.isRaw(label) ? scope.raw(label) : undefined;
  const s = scope.participant(label);
  const refusal = refusalOf(receivable(scope, label), pattern, scope.lastActionAt);
  const near = closest(receivable(scope, label), pattern, scope.lastActionAt);
  const answer = near.find((n) => !n.early);
  // A session that ended after the server answered the step's request otherwise (a removed account's stream) is a
  // verdict on that answer; one that ended before it is the network's problem.
  const answered = pattern.name === "iq" && pattern.attrs.id !== undefined && answer !== undefined;
  // A stream the server ended with a stream error is its answer too, unless the condition ends any stream (the
  // server going away, limiting connections): that one is not the case's to judge.
  const ended = endedBy(scope, label);
  if (!raw && !answered && !ended && s.closedReason && s.closedReason !== "closed by the harness")
    throw new HarnessError(`${label}: ${s.closedReason} while waiting for ${oneLine(pattern.toString(), 80)}`);
  // The end of the stream decided it, not a barrier or the time.
  const by = ended ? undefined : decidedBy;
  const how = ended ? "" : by === "barrier" ? " (a barrier proved it is not coming)" : by === "timeout" ? ` within ${timeoutOf(scope, step)} ms` : " (the server answered the step's action otherwise)";
  const others = receivable(scope, label).some((r) => r.at >= scope.lastActionAt);
  const instead = ended
    ? `; the server ended the stream instead (${ended.said})`
    : !answer
      ? others
        ? `; nothing of its kind arrived on ${raw ? "that connection" : "that session"} after the step's action (other stanzas did: see the transcript)`
        : `; nothing arrived on ${raw ? "that connection" : "that session"} after the step's action`
      : answer.problems[0]
        ? `; the closest ${raw ? "element" : "stanza"} differs: ${answer.problems[0]}`
        : "";
  return {
    message: `${label} ${what} ${oneLine(pattern.toString(), 80)}${how}${instead}${raw ? ending(raw) : ""}`,
    expected: [pattern.toString()],
    closest: near,
    ...(by && { decidedBy: by }),
    at: scope.transcript.now(),
    ...(refusal && { refusal }),
    // A stream the server ended is its answer (judged on the step's rules), not a silence.
    ...(step.plan.unanswered && pattern.name === "iq" && typeof pattern.attrs.id === "string" && silent(scope, label, [{ name: "iq", id: pattern.attrs.id }]) && { unanswered: true }),
  };
}

/**
 * What "receives nothing" looks at: the stanzas no step matched; on a raw connection, with a pattern, every
 * first-level element no step matched (so a scenario can say that no further <stream:features/> came).
 */
function nothingPool(scope: CaseScope, step: Step & { kind: "receive-nothing" }): Received[] {
  return step.pattern && scope.isRaw(step.actor) ? scope.raw(step.actor).elements : scope.participant(step.actor).inbox.items;
}

/** How long one ask of a 'polls' step waits for its answer before asking again (a server may lose a request sent while it changes state). */
const POLL_ANSWER_MS = 1000;

const handlers: { [K in Step["kind"]]: Handler<K> } = {
  ...streamHandlers,
  ...httpHandlers,
  ...boshHandlers,
  async send(step, scope) {
    if (step.enters && !scope.isRaw(step.actor) && !scope.remotes.has(step.actor))
      scope.entries.expect(step.enters, scope.bindings[step.enters.slice(0, step.enters.indexOf("/"))], scope.participant(step.actor).inbox);
    if (scope.isRaw(step.actor)) {
      actOn(scope, step).c.send(fill(step.xml, { ...scope.bindings, ...scope.counters() }));
      return undefined;
    }
    await scope.sender(step.actor).send(scope.parse(step.xml));
    return undefined;
  },

  async receive(step, scope) {
    const s = scope.participant(step.actor);
    // `since: action`: the answer to the step's preceding action, not what arrived before it.
    const raw = scope.isRaw(step.actor) ? scope.raw(step.actor) : undefined;
    const since = scope.lastActionAt;
    // `since: LABEL`: only what arrived after the last stanza the labelled 'receives' matched (by arrival order).
    const after = step.since && step.since !== "action" ? arrivedAfter(scope, step) : -1;
    const items = () =>
      step.since === "action" ? sinceAction(receivable(scope, step.actor), since, raw && ((seq) => raw.arrivedBeforeAction(seq))) : receivable(scope, step.actor).filter((r) => r.seq > after);
    // Parsed on every look: a room's answer may bind an occupant placeholder meanwhile (entries.ts). A raw
    // connection's counters are the step's start's: the barrier's own pings count too.
    const counters = scope.counters();
    const parsed = () => step.patterns.map((p) => scope.parse(p, scope.bindings, counters));
    const { found, decidedBy } = await decide(scope, s, () => findNow(items(), parsed(), step.mode, scope.bindings, step.earliest), step);
    const patterns = parsed();
    if (found) {
      consume(found);
      keep(scope, found.captures);
      scope.lastReceived = step.mode === "one" ? found.picked[0] : undefined;
      if (step.label) scope.pickedBy.set(step.label, found.picked);
      return undefined;
    }
    // Every stanza there, in another order: a miss of the order alone (what its `order` requirement proves).
    if (step.mode === "in-order" && findNow(items(), patterns, "all-of", scope.bindings)) {
      const got = findNow(items(), patterns, "all-of", scope.bindings)!.picked;
      return {
        message: `${step.actor} received all ${patterns.length} stanzas, but not in the order the step asserts: ${got.map((r) => oneLine(r.el.toString(), 60)).join(", then ")} (by arrival: ${[...got]
          .sort((a, b) => a.seq - b.seq)
          .map((r) => r.el.name)
          .join(", ")})`,
        expected: patterns.map((p) => p.toString()),
        closest: [...got].sort((a, b) => a.seq - b.seq).map((r) => ({ xml: r.el.toString(), problems: [], at: r.at })),
        ...(decidedBy && { decidedBy }),
        at: scope.transcript.now(),
        outOfOrder: true,
      };
    }
    const what = step.mode === "one" ? "did not receive" : step.mode === "in-order" ? "did not receive, in order," : "did not receive all of";
    return missed(scope, step, step.actor, firstMissing(items(), patterns, step.mode, scope.bindings), what, decidedBy);
  },

  /** The stanza the 'receives' step before it matched, checked against one more pattern, for one requirement. */
  async also(step, scope) {
    const got = step.inner === undefined ? scope.lastReceived : scope.lastOutcome[step.inner];
    if (!got) throw new HarnessError(`${step.text}: no stanza from the 'receives' step before it`);
    const pattern = scope.parse(step.pattern);
    const m = matchStanza(pattern, got.el, scope.bindings);
    if (m.ok) return void keep(scope, m.captures);
    return {
      message: `the stanza ${step.actor} received does not match ${oneLine(pattern.toString(), 80)}: ${m.problems[0] ?? "it differs"}`,
      expected: [pattern.toString()],
      closest: [{ xml: got.el.toString(), problems: m.problems, at: got.at }],
      at: scope.transcript.now(),
    };
  },

  async "receive-one-of"(step, scope) {
    const s = scope.participant(step.actor);
    // Parsed on every look (as for 'receives'), with the counters of the step's start.
    const counters = scope.counters();
    const parsed = () => step.alternatives.map((a) => ({ name: a.name, patterns: a.patterns.map((p) => scope.parse(p, scope.bindings, counters)) }));
    // Before binding, the server's answer to the step's action decides (see decide): an alternative holds only from
    // that answer on, not on an element that came after another answer (a SASL2 challenge after a <message/>).
    const unbound = s instanceof RawConnection && !s.jid ? s : undefined;
    const since = scope.lastActionAt;
    // Before binding, <stream:features/> are an answer too (and an alternative may name them): features sent instead
    // of the answer (before a SASL2 challenge, which XEP-0388 §2.4 forbids) must not let a later element pass for
    // the first. Not a stream's own features: those right after its response header (RFC 6120 §4.3.2) or after a
    // SASL <success/> (XEP-0388 §2.6.1, no restart), which answer no step. Stream errors have their own steps.
    const own = (c: RawConnection, r: Received) =>
      r.el.is("features", NS.stream) && (c.headers.some((h) => h.seq === r.seq - 1) || c.elements.some((e) => e.seq === r.seq - 1 && e.el.name === "success"));
    const candidates = () => (unbound ? unbound.elements.filter((r) => !r.el.is("error", NS.stream) && !own(unbound, r)) : receivable(scope, step.actor));
    const probe = () => {
      const first = unbound && candidates().find(answers(unbound, since));
      for (const alt of parsed()) {
        const found = findNow(candidates(), alt.patterns, "in-order", scope.bindings);
        if (found && (!unbound || found.picked[0] === first)) return { found, name: alt.name };
      }
      return undefined;
    };
    const { found: hit, decidedBy } = await decide(scope, s, probe, step);
    if (hit) {
      consume(hit.found);
      keep(scope, hit.found.captures);
      scope.choices.push({ step: step.text, alternative: hit.name });
      // What an alternative's `also` checks: its one stanza.
      scope.lastReceived = hit.found.picked.length === 1 ? hit.found.picked[0] : undefined;
      return undefined;
    }
    const alternatives = parsed();
    const miss = missed(scope, step, step.actor, alternatives[0].patterns[0], `received none of the alternatives (${step.alternatives.map((a) => a.name).join(", ")}); the first:`, decidedBy);
    return { ...miss, expected: alternatives.flatMap((a) => a.patterns.map((p) => `${a.name}: ${p.toString()}`)) };
  },

  /**
   * `until`: asks, and asks again while the answer does not match (or no answer came within the wait one ask is
   * given), backing off between asks, until the step's timeout: the answer that matches holds the step. `while`:
   * asks again and again until the step's timeout, and every answer must match: the first that does not fails the
   * step, as does no answer at all (a state the server may reach late, which must never be reached). What the
   * server answered is consumed as it comes: those answers are the step's, not the later steps'.
   */
  async poll(step, scope) {
    const s = scope.participant(step.actor);
    const holding = step.while !== undefined;
    const pattern = scope.parse(step.until ?? step.while!);
    const deadline = performance.now() + timeoutOf(scope, step);
    scope.lastActionAt = scope.transcript.now();
    let last: Received | undefined;
    let asks = 0;
    let answers = 0;
    while (!scope.ctx.signal.aborted) {
      const ask = scope.parse(step.ask);
      const id = ask.attrs.id as string;
      asks++;
      await scope.sender(step.actor).send(ask);
      const answer = await s.waitUntil(
        () => s.inbox.items.find((r) => !r.consumed && r.el.is("iq") && r.el.attrs.id === id && (r.el.attrs.type === "result" || r.el.attrs.type === "error")),
        Math.max(0, Math.min(deadline - performance.now(), POLL_ANSWER_MS)),
      );
      if (answer) {
        answer.consumed = true;
        last = answer;
        answers++;
        const m = matchStanza(pattern, answer.el, scope.bindings);
        if (m.ok && !holding) return void keep(scope, m.captures);
        if (!m.ok && holding) break;
      }
      if (performance.now() >= deadline) {
        if (holding && answers > 0) return undefined;
        break;
      }
      await pauseBefore(Math.min(asks + 1, RETRY_BACKOFF_MS.length), scope.ctx.signal);
    }
    const problems = last ? matchStanza(pattern, last.el, scope.bindings).problems : [];
    const said = holding
      ? last
        ? `answer ${answers} of ${asks} asks differs from ${oneLine(pattern.toString(), 80)}: ${problems[0] ?? "it differs"}`
        : `asked ${asks} times within ${timeoutOf(scope, step)} ms and no answer came`
      : `asked ${asks} times within ${timeoutOf(scope, step)} ms and no answer matched ${oneLine(pattern.toString(), 80)}${last ? `; the last answer differs: ${problems[0] ?? "it differs"}` : "; no answer came"}`;
    return {
      message: `${step.actor} ${said}`,
      expected: [pattern.toString()],
      closest: last ? [{ xml: last.el.toString(), problems, at: last.at }] : [],
      // A 'while' answer that differs came: nothing was waited out.
      ...(!(holding && last) && { decidedBy: "timeout" as const }),
      // No ask was answered at all: the request's rule, where the plan names one (RFC 6120 §8.2.3).
      ...(step.plan.unanswered && answers === 0 && { unanswered: true }),
      at: scope.transcript.now(),
    };
  },

  async "receive-nothing"(step, scope) {
    const s = scope.participant(step.actor);
    await scope.barrier([s]);
    const pattern = step.pattern ? scope.parse(step.pattern) : undefined;
    const from = step.since ? arrivedAfter(scope, step) : -1;
    const seen = () =>
      unexpected(
        nothingPool(scope, step).filter((r) => r.seq > from),
        pattern,
      );
    if (absenceWaits(scope, step) && seen().length === 0) await s.waitUntil(() => (seen().length > 0 ? true : undefined), timeoutOf(scope, step), undefined, scope.readByServer);
    const extra = seen();
    if (extra.length === 0) return undefined;
    // Reported once, not again by a later absence; a later 'receives' may still match it: a stanza that came when it
    // must not (late, say) still came, and its delivery is no failure.
    extra.forEach((r) => (r.reported = true));
    return {
      message: `${step.actor} received ${extra.length === 1 ? "a stanza" : `${extra.length} stanzas`} it must not${pattern ? ` (matching ${oneLine(pattern.toString())})` : ""}: ${extra[0].el.toString()}`,
      expected: pattern ? [`nothing matching ${pattern.toString()}`] : ["nothing"],
      closest: extra.map((r) => ({ xml: r.el.toString(), problems: [], at: r.at })),
      unwanted: true,
      decidedBy: "barrier",
      at: scope.transcript.now(),
    };
  },

  async connect(step, scope) {
    if (scope.isRaw(step.actor)) {
      if (scope.raws.get(step.actor) && !scope.raws.get(step.actor)!.tcpClosed) throw new HarnessError(`${step.actor} is already connected`);
      await scope.openRaw(step.actor);
      return undefined;
    }
    if (scope.sessions.get(step.actor)?.isOpen) throw new HarnessError(`${step.actor} is already connected`);
    const session = await scope.connect(step.actor, scope.resource(step.actor), scope.sessions, MID_CASE_ATTEMPTS);
    // The server answers a ping after it has handled the initial presence before it: a stanza a later step sends
    // then finds the resource available, as at set-up, where a barrier follows the presence.
    if (scope.resource(step.actor).presence) await session.ping(timeoutOf(scope, step));
    return undefined;
  },

  async disconnect(step, scope) {
    if (scope.isRaw(step.actor)) {
      const c = scope.raw(step.actor);
      scope.endExpected.add(c);
      await c.close(timeoutOf(scope, step));
      return undefined;
    }
    await scope.session(step.actor).close();
    return undefined;
  },

  async drop(step, scope) {
    scope.dropped = true;
    if (scope.isRaw(step.actor)) {
      scope.endExpected.add(scope.raw(step.actor));
      scope.raw(step.actor).drop();
      return undefined;
    }
    scope.session(step.actor).drop();
    return undefined;
  },

  /**
   * Outcomes across parties: after one barrier over every session involved, the first alternative whose
   * expectations all hold; with raw connections involved, the first to hold within the timeout.
   */
  async "one-of"(step, scope) {
    const actors = [...new Set(step.alternatives.flatMap((a) => a.steps.map((st) => st.actor)))];
    const involved = actors.map((a) => scope.participant(a));
    const raws = actors.filter((a) => scope.isRaw(a)).map((a) => scope.raw(a));
    const t = timeoutOf(scope, step);
    // Raw connections take no part in this barrier, neither observing nor sending markers: an outcome may be the
    // server ending one, and a ping or marker racing that close gets the connection reset, losing the stream
    // error the server sent. What they receive is waited for instead, up to the timeout.
    const bound = (ps: Participant[]) => ps.filter((p) => !raws.includes(p as RawConnection));
    await scope.barrier(bound(involved), undefined, bound(scope.participants));
    const why: string[] = [];
    // An alternative holds by an absence only once the wait has passed, not at the barrier: with `wait: timeout`
    // written, where it is only absences (what it says does not come may come later: a publish the server sends in
    // its own time), and wherever the absence is a raw connection's, which the barrier does not cover.
    const absencesOnly = (alt: (typeof step.alternatives)[number]) => alt.steps.every((st) => st.kind === "receive-nothing");
    const rawAbsence = (alt: (typeof step.alternatives)[number]) => alt.steps.some((st) => st.kind === "receive-nothing" && scope.isRaw(st.actor));
    const waits = (alt: (typeof step.alternatives)[number]) => (absenceWaits(scope, step) && absencesOnly(alt)) || rawAbsence(alt);
    let waited = false;
    const pick = () => {
      why.length = 0;
      for (const alt of step.alternatives) {
        if (!waited && waits(alt)) {
          why.push(`${alt.name}: the wait has not passed`);
          continue;
        }
        const failed = holds(scope, alt.steps);
        if (!failed.ok) {
          why.push(`${alt.name}: not "${failed.step.text}"`);
          continue;
        }
        return { alt: alt.name, found: failed };
      }
      return undefined;
    };
    // Decided by the barrier; with wait: timeout (or raw connections), alternatives may still come true until the timeout.
    const patient = scope.waitOf(step) === "timeout" || raws.length > 0;
    let chosen = pick() ?? (patient ? await waitAcross(involved, pick, t, scope.readByServer) : undefined);
    if (!chosen && !waited) {
      waited = true;
      chosen = pick();
    }
    if (chosen) {
      for (const r of chosen.found.picked) r.consumed = true;
      for (const actor of step.plan.alternatives?.find((a) => a.name === chosen.alt)?.ends ?? []) scope.endExpected.add(scope.raw(actor));
      keep(scope, chosen.found.captures);
      scope.choices.push({ step: step.text, alternative: chosen.alt });
      scope.lastOutcome = chosen.found.bySteps;
      return undefined;
    }
    // A raw connection the server ended before the case's action on it: no outcome of that action can show.
    const early = raws.find((c) => c.streamError && c.arrivedBeforeAction(c.streamError.seq));
    if (early)
      throw new HarnessError(
        `${early.label}: the server ended the stream with <${early.streamError!.condition || "(no defined condition)"}/> before the case's latest action on it was sent, so it answers nothing the case did`,
      );
    // An answer the outcomes await that never came: that silence is what failed (RFC 6120 §8.2.3).
    const unanswered = (step.plan.unanswered?.awaits ?? []).filter((a) => silent(scope, a.actor, a.answers));
    const awaited = (a: Answer) => (a.id !== undefined ? `an answer to '${a.id}'` : `<${a.name}${a.xmlns ? ` xmlns='${a.xmlns}'` : ""}/>`);
    return {
      message: `none of the allowed outcomes happened (${why.join("; ")})${unanswered.map((a) => `; ${a.actor} received no ${a.answers.map(awaited).join(" or ")}`).join("")}`,
      expected: step.alternatives.map((a) => `${a.name}: ${a.steps.map((st) => st.text).join(", then ")}`),
      // A raw connection's features and stream error count here: an alternative may be about them.
      closest: actors
        .flatMap((a) => (scope.isRaw(a) ? scope.raw(a).elements : receivable(scope, a)).filter((r) => !r.consumed).map((r) => ({ xml: `${a}: ${r.el.toString()}`, problems: [], at: r.at })))
        .slice(0, 5),
      decidedBy: patient ? "timeout" : "barrier",
      at: scope.transcript.now(),
      ...(unanswered.length > 0 && { unanswered: true }),
    };
  },
};

/**
 * Whether an expectation inside 'one of' holds right now, without waiting or consuming: one entry per kind that
 * may stand there (the compiler refuses a kind left out), given the stanzas earlier expectations of the same
 * alternative took and the captures so far; what it would take, or undefined.
 */
const holdsNow: { [K in ExpectKind]: Holds<K> } = {
  ...streamHolds,
  "receive-http": httpHolds,
  "receive-nothing": (scope, st, caps, taken) => {
    const inbox = nothingPool(scope, st).filter((r) => !taken.includes(r));
    return unexpected(inbox, st.pattern ? scope.parse(st.pattern, caps) : undefined).length > 0 ? undefined : { picked: [], captures: caps };
  },
  receive: (scope, st, caps, taken) =>
    findNow(
      receivable(scope, st.actor).filter((r) => !taken.includes(r)),
      st.patterns.map((p) => scope.parse(p, caps)),
      st.mode,
      caps,
      st.earliest,
    ),
};

/** Whether every expectation of one alternative holds right now (without consuming), with what it would take. */
function holds(scope: CaseScope, steps: ExpectStep[]): (Found & { ok: true; bySteps: (Received | undefined)[] }) | { ok: false; step: ExpectStep } {
  const picked: Received[] = [];
  // The one stanza each single-pattern 'receives' took: what its `also:` checks.
  const bySteps: (Received | undefined)[] = [];
  scope.entries.settle(scope.bindings);
  let caps: Captures = { ...scope.bindings };
  for (const st of steps) {
    const found = (holdsNow[st.kind] as Holds<ExpectKind>)(scope, st, caps, picked);
    if (!found) return { ok: false, step: st };
    picked.push(...found.picked);
    bySteps.push(found.picked.length === 1 ? found.picked[0] : undefined);
    caps = found.captures;
  }
  return { ok: true, picked, captures: caps, bySteps };
}

/** Re-evaluates `pick` on every arrival at any of the parties until it chooses or time runs out (counted as for waitFor). */
async function waitAcross<T>(parties: Participant[], pick: () => T | undefined, timeoutMs: number, behind: ReadByServer): Promise<T | undefined> {
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  // A party whose connection ended gets nothing more: its wait would end the race at once.
  const live = parties.filter((s) => !s.closedReason);
  if (live.length > 0) await Promise.race(live.map((s) => s.waitUntil(pick, timeoutMs, stopped, behind)));
  stop();
  return pick();
}

/** Runs one step; an action step moves the point after which stanzas count as the answer. */
export async function runStep(step: PlannedStep, scope: CaseScope): Promise<Miss | undefined> {
  // Checks only look at what arrived: they do not move the point after which arrivals count as an answer.
  if (!step.plan.checks) {
    scope.lastActionAt = scope.transcript.now();
    if (scope.isRaw(step.actor)) scope.raws.get(step.actor)?.markAction();
  }
  try {
    return await (handlers[step.kind] as Handler<Step["kind"]>)(step, scope);
  } catch (err) {
    if (err instanceof StreamEnded) return err.miss;
    throw err;
  }
}
