import type { Element } from "ltx";
import { matchStanza, sameKind, type Captures } from "../match/pattern.ts";
import type { StepFailure } from "../results/schema.ts";
import type { ReadByServer, Received } from "../xmpp/connections/inbox.ts";
import type { Participant } from "./participant.ts";

/** What an expectation found: the stanzas it consumed and the values they captured. */
export interface Found {
  picked: Received[];
  captures: Captures;
}

export type Mode = "one" | "in-order" | "all-of";

const open = (r: Received, taken: Received[]) => !r.consumed && !taken.includes(r);

function matchOk(p: Element, r: Received, caps: Captures): Captures | undefined {
  const m = matchStanza(p, r.el, caps);
  return m.ok ? m.captures : undefined;
}

/**
 * Patterns matched by later and later stanzas (a subsequence: other stanzas may come between). `earliest`: each by
 * the first stanza that matches it, which must come after the previous one's.
 */
function inOrder(inbox: Received[], patterns: Element[], caps: Captures, earliest: boolean): Found | undefined {
  const picked: Received[] = [];
  let captures = caps;
  let after = -1;
  for (const p of patterns) {
    let next: Captures | undefined;
    const hit = inbox.find((r) => (earliest || r.seq > after) && open(r, picked) && (next = matchOk(p, r, captures)));
    if (!hit || hit.seq <= after) return undefined;
    picked.push(hit);
    captures = next!;
    after = hit.seq;
  }
  return { picked, captures };
}

/** Patterns matched by distinct stanzas in any order (backtracking: patterns may overlap). */
function allOf(inbox: Received[], patterns: Element[], caps: Captures, picked: Received[] = []): Found | undefined {
  if (picked.length === patterns.length) return { picked, captures: caps };
  const p = patterns[picked.length];
  for (const r of inbox) {
    if (!open(r, picked)) continue;
    const next = matchOk(p, r, caps);
    if (!next) continue;
    const rest = allOf(inbox, patterns, next, [...picked, r]);
    if (rest) return rest;
  }
  return undefined;
}

/** What a receive step would match right now, without waiting and without consuming. */
export function findNow(inbox: Received[], patterns: Element[], mode: Mode, caps: Captures, earliest = false): Found | undefined {
  return mode === "all-of" ? allOf(inbox, patterns, caps) : inOrder(inbox, patterns, caps, earliest);
}

/**
 * A 'receives' with `since: action`: only the stanzas that arrived after the step's preceding action, by the
 * transcript's clock and, where the connection knows it, by arrival order (`beforeAction`, a raw connection's:
 * an element that arrived in the same tenth of a millisecond as the action but before it is no answer to it).
 */
export function sinceAction(inbox: Received[], actionAt: number, beforeAction?: (seq: number) => boolean): Received[] {
  return inbox.filter((r) => r.at >= actionAt && !beforeAction?.(r.seq));
}

export function consume(found: Found): void {
  for (const r of found.picked) r.consumed = true;
}

/** The first pattern a greedy pass cannot place: the one to explain in a failure. */
export function firstMissing(inbox: Received[], patterns: Element[], mode: Mode, caps: Captures): Element {
  const picked: Received[] = [];
  let after = -1;
  let captures = caps;
  for (const p of patterns) {
    let next: Captures | undefined;
    const hit = inbox.find((r) => (mode === "all-of" || r.seq > after) && open(r, picked) && (next = matchOk(p, r, captures)));
    if (!hit) return p;
    picked.push(hit);
    after = hit.seq;
    captures = next!;
  }
  return patterns[patterns.length - 1];
}

/**
 * The stanzas to show when `pattern` was not matched: those that arrived after the step's action first
 * (closest to the pattern first), then earlier ones, marked as earlier: an earlier stanza cannot be the
 * server's answer to the action, and must not read as one.
 */
export function closest(inbox: Received[], pattern: Element, actionAt: number, limit = 3): StepFailure["closest"] {
  // A stanza of another kind, or another id than the pattern's, is no candidate answer (the transcript shows it).
  const scored = inbox.filter((r) => sameKind(pattern, r.el)).map((r) => ({ r, m: matchStanza(pattern, r.el), early: r.at < actionAt }));
  scored.sort((a, b) => Number(a.early) - Number(b.early) || b.m.closeness - a.m.closeness || Number(a.r.consumed) - Number(b.r.consumed) || a.r.seq - b.r.seq);
  return scored.slice(0, limit).map(({ r, m, early }) => ({
    xml: r.el.toString() + (r.consumed ? "   (already matched by an earlier step)" : ""),
    problems: m.problems,
    at: r.at,
    ...(early && { early: true }),
  }));
}

/** After a barrier: the stanzas no step matched nor an absence reported that match (or all of them, without a pattern). */
export function unexpected(inbox: Received[], pattern: Element | undefined): Received[] {
  return inbox.filter((r) => !r.consumed && !r.reported && (!pattern || matchStanza(pattern, r.el).ok));
}

/**
 * Waits until `probe` finds what is expected on `observer`. With a `barrier` (the default way), the barrier
 * runs alongside the wait, and once it completes with nothing found the stanza is not coming; without one,
 * only the timeout ends the wait. A barrier that cannot complete (a session died) proves nothing, and the
 * wait goes on to the timeout. The timeout counts from the server's latest progress in reading what is `behind`
 * (see Inbox.waitFor).
 */
export async function waitFor<T>(
  observer: Participant,
  probe: () => T | undefined,
  timeoutMs: number,
  barrier?: (signal: AbortSignal) => Promise<void>,
  behind?: ReadByServer,
): Promise<{ found?: T; decidedBy: "barrier" | "timeout" }> {
  const now = probe();
  if (now !== undefined) return { found: now, decidedBy: "barrier" };
  if (!barrier) return { found: await observer.waitUntil(probe, timeoutMs, undefined, behind), decidedBy: "timeout" };
  const enough = new AbortController();
  let proven = false;
  const proof = barrier(enough.signal).then(() => {
    proven = true;
  });
  proof.catch(() => {});
  const found = await observer.waitUntil(probe, timeoutMs, proof, behind);
  enough.abort();
  return { found, decidedBy: proven ? "barrier" : "timeout" };
}
