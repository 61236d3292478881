import type { Element } from "ltx";
import { findRequirement } from "../catalog/index.ts";
import { parseToken, takesOnlyResponses } from "../match/pattern.ts";
import { positivesOf } from "./kinds.ts";
import { rootElement } from "./root-element.ts";
import { ADDRESS_ATTRS, LEVELS, type AddressAttr, type Level, type PlannedStep, type Step } from "./types.ts";

/**
 * Guards against assertions no rule makes (RFC 6120 §8.1 for addressing, the catalog for levels):
 * - a pattern of a stanza the server sends asserts 'to', 'from' or 'id' where RFC 6120 does not require it
 *   (see addressingIssue), unless the step says why with `asserts: [...]`;
 * - a step's level is above the levels of the requirements it checks (the strongest keyword of each).
 * Only what must arrive is guarded: a 'receives nothing' pattern that says more forbids less.
 */

/** What the guard knows of the case around a step: its level, and what was sent before. */
export interface GuardContext {
  level: Level;
  /** Stanzas sent by earlier steps, as written (placeholders unfilled), with the session that sent them. */
  sent: { actor: string; xml: string }[];
  /** The case's rooms by name (`${lobby}`, `${lobby/Nick}`): an error a room returns is the room's own. */
  rooms?: string[];
}

const SUBSCRIPTION = new Set(["subscribe", "subscribed", "unsubscribe", "unsubscribed"]);
const rank = (l: Level) => LEVELS.length - LEVELS.indexOf(l);

const account = (label: string) => label.split("/")[0];
/**
 * "${juliet}" → juliet; "${juliet/balcony}" and "${juliet}/balcony" → juliet/balcony (the second, a room's occupant
 * by the nickname asked for, whatever JID the room gave: run/case/entries.ts); anything else → undefined.
 */
const placeholder = (v: string) => /^\$\{([a-z][a-z0-9]*(?:\/[A-Za-z0-9_-]+)?)\}$/.exec(v.replace(/^\$\{([a-z][a-z0-9]*)\}(\/[A-Za-z0-9_-]+)$/, "${$1$2}"))?.[1];

/** The patterns a step requires to arrive, with the session that receives them and what it asserts on purpose. */
function positives(step: Step, outer: AddressAttr[] = []): { actor: string; xml: string; asserts: AddressAttr[] }[] {
  const asserts = [...outer, ...(step.asserts ?? [])];
  // 'one of' holds steps of several sessions: each alternative's step is guarded as its own, with the outer asserts.
  if (step.kind === "one-of") return step.alternatives.flatMap((a) => a.steps.flatMap((st) => positives(st, asserts)));
  return positivesOf(step).map((xml) => ({ actor: step.actor, xml, asserts }));
}

/**
 * Why RFC 6120 does not require `attr` to be what the pattern says on this stanza, or undefined when it does:
 * - id: an IQ always has one (§8.1.3: "for <iq/> stanzas, it is REQUIRED"), a response or error carries
 *   the id of the receiving session's own request (§8.1.3, §8.2.3), and a stanza the server routes keeps the
 *   id its sender gave it (§8.1.3: the sender tracks the intended recipient's response by it), so an id
 *   another session of the case sent; any other id is the sender's choice;
 * - from: a stanza routed from another client carries its full JID, or its bare JID for subscription-related
 *   presence (§8.1.2.1 rule 1); an IQ result comes from the address the request was sent to; one the server
 *   answers itself carries the domain (rule 3); one it generates on behalf of the account has no 'from' or
 *   the account's bare JID (rule 2), so only {optional:bare JID};
 * - to: the server does not modify the 'to' of a stanza it routes (§8.1.1.1), so a 'to' some earlier stanza
 *   of the case was sent with; on a stanza the server generates it MAY include one, so never required;
 * - an error a room of the case returns (its 'from' the room or an occupant JID): the entity that returns an error
 *   "SHOULD simply swap the 'from' and 'to' addresses" (§8.3.1), so a check above SHOULD takes any address of the room.
 */
function addressingIssue(attr: AddressAttr, el: Element, actor: string, ctx: GuardContext, strict: boolean): string | undefined {
  const { sent, rooms = [] } = ctx;
  const raw = el.attrs[attr] as string | undefined;
  if (raw === undefined) return undefined;
  const token = parseToken(raw);
  const type = el.attrs.type as string | undefined;
  const own = account(actor);
  const sentAttr = (a: string, by?: (who: string) => boolean) =>
    sent
      .filter((s) => !by || by(s.actor))
      .map((s) => rootElement(s.xml)?.attrs[a] as string | undefined)
      .filter((v) => v !== undefined);
  const response = type !== undefined && takesOnlyResponses(type);
  const what = type && parseToken(type).kind === "literal" ? `${el.name} of type '${type}'` : el.name;
  switch (token.kind) {
    case "absent":
      return `no rule requires '${attr}' to be absent`;
    case "any":
    case "capture":
    case "re":
      if (attr === "id") return el.name === "iq" ? undefined : `only an IQ must carry an 'id' (RFC 6120 §8.1.3)`;
      if (attr === "from") return el.name === "iq" ? `an IQ the server sends on behalf of the account may have no 'from' (RFC 6120 §8.1.2.1)` : undefined;
      return `the server may leave 'to' out of a stanza it generates (RFC 6120 §8.1.1.1)`;
    case "literal":
    case "optional": {
      const v = token.value;
      if (attr === "id") {
        if (response && sentAttr("id", (who) => who === actor).includes(v)) return undefined;
        if (!response && sentAttr("id", (who) => who !== actor).includes(v)) return undefined;
        return response ? `'${v}' is not the id of a request ${actor} sent` : `the server or the sender chooses the 'id' of a ${what} (RFC 6120 §8.1.3)`;
      }
      if (attr === "to") {
        return sentAttr("to", (who) => who !== actor).includes(v)
          ? undefined
          : `no stanza of the case was sent to '${v}', and the server may leave 'to' out of a stanza it generates (RFC 6120 §8.1.1.1)`;
      }
      const jid = placeholder(v);
      if (type === "error" && strict && jid && rooms.includes(jid.split("/")[0])) {
        const room = jid.split("/")[0];
        return `the room returns this error itself, and RFC 6120 §8.3.1 says only that it SHOULD swap the addresses: accept the room or any of its occupant JIDs (from='{re:\${${room}}(/.*)?}'), or check the 'from' at SHOULD`;
      }
      if (token.kind === "optional" && jid === own) return undefined;
      if (type === "result" && sentAttr("to", (who) => who === actor).includes(v)) return undefined;
      if (jid?.includes("/")) return undefined;
      if (jid === "domain" && response) return undefined;
      if (jid && el.name === "presence" && SUBSCRIPTION.has(type ?? "")) return undefined;
      if (jid === own) return `a stanza the server sends on behalf of the account has no 'from' or the account's bare JID (RFC 6120 §8.1.2.1): write from='{optional:${v}}'`;
      return `RFC 6120 §8.1.2.1 does not make the server stamp 'from' as '${v}' on a ${what}`;
    }
  }
}

/** The first problem of one planned step, or undefined. */
export function guardIssue(step: PlannedStep, ctx: GuardContext): string | undefined {
  // Above SHOULD, a check may not ask more than a MUST: a SHOULD's detail (an error's address swap) is its own check.
  const strict = rank(step.level ?? ctx.level) > rank("SHOULD");
  for (const { actor, xml, asserts } of positives(step)) {
    const el = rootElement(xml);
    if (!el) continue;
    for (const attr of ADDRESS_ATTRS) {
      if (asserts.includes(attr)) continue;
      const why = addressingIssue(attr, el, actor, ctx, strict);
      if (why) {
        return `${actor} expects ${attr}='${el.attrs[attr]}' on a <${el.name}/>, but ${why}; remove it, loosen it ({any}, {optional:...}), or say why with 'asserts: [${attr}]' (the step's rule or the case's precondition needs it)`;
      }
    }
  }
  // A level is that of what the step proves (a set-up step, or an action that names no requirement, proves nothing;
  // an `also` is at its rule's own level).
  if (step.kind === "also") return undefined;
  const level = step.level ?? ctx.level;
  // A mixed cell ("SHOULD (reply) / MUST (bare 'from')") allows its strongest keyword.
  const cited = step.plan.proves.map((p) => findRequirement(p.id)).filter((r) => r?.maxLevel);
  if (cited.length > 0 && cited.every((r) => rank(r!.maxLevel!) < rank(level))) {
    return `level ${level} is above what its requirements say (${cited.map((r) => `${r!.id} ${r!.maxLevel}`).join(", ")}): lower the step's level or cite the rule that makes it a ${level}`;
  }
  return undefined;
}
