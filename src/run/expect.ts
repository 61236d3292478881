import type { Element } from "ltx";
import { matchStanza, type Captures } from "../match/pattern.ts";
import type { Received, Session } from "../xmpp/session.ts";

/** What an expectation found: the stanzas it consumed and the values they captured. */
export interface Found {
  picked: Received[];
  captures: Captures;
}

export interface Miss {
  /** The pattern that could not be matched. */
  pattern: Element;
  closest: { xml: string; problems: string[] }[];
}

const open = (s: Session, r: Received, taken: Received[]) => !r.consumed && !taken.includes(r);

/** Patterns matched by later and later stanzas (a subsequence: other stanzas may come between). */
function inOrder(s: Session, patterns: Element[], caps: Captures): Found | undefined {
  const picked: Received[] = [];
  let captures = caps;
  let after = -1;
  for (const p of patterns) {
    let next: Captures | undefined;
    const hit = s.inbox.find((r) => r.seq > after && open(s, r, picked) && (next = matchOk(p, r, captures)));
    if (!hit) return undefined;
    picked.push(hit);
    captures = next!;
    after = hit.seq;
  }
  return { picked, captures };
}

/** Patterns matched by distinct stanzas in any order (backtracking: patterns may overlap). */
function allOf(s: Session, patterns: Element[], caps: Captures, picked: Received[] = []): Found | undefined {
  if (picked.length === patterns.length) return { picked, captures: caps };
  const p = patterns[picked.length];
  for (const r of s.inbox) {
    if (!open(s, r, picked)) continue;
    const next = matchOk(p, r, caps);
    if (!next) continue;
    const rest = allOf(s, patterns, next, [...picked, r]);
    if (rest) return rest;
  }
  return undefined;
}

function matchOk(p: Element, r: Received, caps: Captures): Captures | undefined {
  const m = matchStanza(p, r.el, caps);
  return m.ok ? m.captures : undefined;
}

function consume(found: Found): void {
  for (const r of found.picked) r.consumed = true;
}

/** The stanzas that arrived on the session, closest to the pattern first (not yet consumed ones first on ties). */
export function closest(s: Session, pattern: Element, limit = 3): Miss["closest"] {
  return s.inbox
    .map((r) => ({ r, m: matchStanza(pattern, r.el) }))
    .sort((a, b) => b.m.closeness - a.m.closeness || Number(a.r.consumed) - Number(b.r.consumed) || a.r.seq - b.r.seq)
    .slice(0, limit)
    .map(({ r, m }) => ({ xml: r.el.toString() + (r.consumed ? "   (already matched by an earlier step)" : ""), problems: m.problems }));
}

/** The first pattern a greedy in-order pass cannot place: the one to explain in a failure. */
function firstMissing(s: Session, patterns: Element[], caps: Captures, ordered: boolean): Element {
  const picked: Received[] = [];
  let after = -1;
  let captures = caps;
  for (const p of patterns) {
    let next: Captures | undefined;
    const hit = s.inbox.find((r) => (!ordered || r.seq > after) && open(s, r, picked) && (next = matchOk(p, r, captures)));
    if (!hit) return p;
    picked.push(hit);
    after = hit.seq;
    captures = next!;
  }
  return patterns[patterns.length - 1];
}

/** What a receive step would match right now, without waiting and without consuming. */
export function findNow(s: Session, patterns: Element[], mode: "one" | "in-order" | "all-of", caps: Captures): Found | undefined {
  return mode === "all-of" ? allOf(s, patterns, caps) : inOrder(s, patterns, caps);
}

export type ReceiveResult = { ok: true; captures: Captures; alternative?: string } | { ok: false; miss: Miss };

export async function receive(s: Session, patterns: Element[], mode: "one" | "in-order" | "all-of", caps: Captures, timeoutMs: number): Promise<ReceiveResult> {
  const found = await s.waitUntil(() => findNow(s, patterns, mode, caps), timeoutMs);
  if (found) {
    consume(found);
    return { ok: true, captures: found.captures };
  }
  const pattern = firstMissing(s, patterns, caps, mode !== "all-of");
  return { ok: false, miss: { pattern, closest: closest(s, pattern) } };
}

export async function receiveOneOf(s: Session, alternatives: { name: string; patterns: Element[] }[], caps: Captures, timeoutMs: number): Promise<ReceiveResult> {
  const probe = () => {
    for (const alt of alternatives) {
      const found = inOrder(s, alt.patterns, caps);
      if (found) return { found, name: alt.name };
    }
    return undefined;
  };
  const hit = await s.waitUntil(probe, timeoutMs);
  if (hit) {
    consume(hit.found);
    return { ok: true, captures: hit.found.captures, alternative: hit.name };
  }
  const pattern = alternatives[0].patterns[0];
  return { ok: false, miss: { pattern, closest: closest(s, pattern) } };
}

/** After a barrier: the not yet consumed stanzas that match (or all of them, without a pattern). */
export function unexpected(s: Session, pattern: Element | undefined): Received[] {
  return s.inbox.filter((r) => !r.consumed && (!pattern || matchStanza(pattern, r.el).ok));
}
