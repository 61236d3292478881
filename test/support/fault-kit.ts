import xml from "@xmpp/xml";
import { Element, parse } from "ltx";
import type { Fault, FaultAction, FaultContext, StreamFault } from "./fault-proxy.ts";

/**
 * Realistic server bugs, each made by the fault proxy from a server that does not have it, and each tied to
 * the requirement IDs whose cases must notice it. `ID-*` names every ID with that prefix.
 */
export interface FaultDef {
  id: string;
  area:
    | "roster"
    | "roster-set-errors"
    | "versioning"
    | "subscription"
    | "pre-approval"
    | "presence"
    | "probe"
    | "directed"
    | "unavailable"
    | "delivery"
    | "core-stream"
    | "core-stream-errors"
    | "core-sasl"
    | "core-bind"
    | "core-stanza"
    | "core-addressing"
    | "carbons"
    | "mam"
    | "blocking"
    | "vcard"
    | "private"
    | "register"
    | "entity"
    | "disco"
    | "pep"
    | "bookmarks"
    | "avatar"
    | "muc"
    | "extdisco"
    | "mobile"
    | "login";
  requirements: string[];
  /** The bug, as a server developer would describe it. */
  description: string;
  /** A bug in the stanzas a bound connection gets, or (stream) in the stream itself (RFC 6120). */
  fault?: Fault;
  stream?: StreamFault;
}

export const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
export const isError = (el: Element) => el.attrs.type === "error";
export const copyOf = (el: Element) => parse(el.toString()) as Element;
/** The id and addresses of the server's `answer`, for the IQ a fault sends in its place (ltx leaves out an absent one). */
const inPlaceOf = (answer: Element) => ({ id: answer.attrs.id, from: answer.attrs.from, to: answer.attrs.to });
/** An IQ error with `condition` where the server sent `answer`: its id and addresses kept. */
export function iqErrorFor(answer: Element, condition: string, type = "cancel"): Element {
  const error = new Element("iq", { type: "error", ...inPlaceOf(answer) });
  error.c("error", { type }).c(condition, { xmlns: STANZAS });
  return error;
}
/** An IQ result holding `children` where the server sent `answer`: its id and addresses kept. */
export function iqResultFor(answer: Element, ...children: Element[]): Element {
  const result = new Element("iq", { type: "result", ...inPlaceOf(answer) });
  for (const child of children) result.cnode(child);
  return result;
}
/** A copy of the stanza changed by `edit`: faults never mutate what the proxy parsed. */
export function changed(el: Element, edit: (copy: Element) => void): Element[] {
  const copy = copyOf(el);
  edit(copy);
  return [copy];
}

export const when =
  (test: (el: Element) => boolean, then: (el: Element) => FaultAction): Fault =>
  (el) =>
    test(el) ? then(el) : "pass";

/**
 * An IQ one user's full JID sends another user (not a harness IQ), picked by `also`, stamped with the sender's bare
 * JID instead of its full JID: RFC 6120 §8.1.2.1's 'from' (STANZA-FROM-01) broken for routed queries and answers.
 */
export const routedIqFromBare = (also: (el: Element) => boolean) =>
  when(
    (el) => {
      const from = String(el.attrs.from ?? "");
      return el.name === "iq" && !String(el.attrs.id ?? "").startsWith("xc") && from.includes("@") && from.includes("/") && from.split("/")[0] !== String(el.attrs.to ?? "").split("/")[0] && also(el);
    },
    (el) => changed(el, (c) => (c.attrs.from = String(el.attrs.from).split("/")[0])),
  );

/** A disco#info result without the feature `v`. */
export const withoutFeature = (v: string) =>
  when(
    (el) => el.attrs.type === "result" && Boolean(el.getChild("query", "http://jabber.org/protocol/disco#info")?.getChildByAttr("var", v)),
    (el) =>
      changed(el, (c) => {
        const q = c.getChild("query", "http://jabber.org/protocol/disco#info")!;
        q.children = q.children.filter((x) => typeof x === "string" || x.attrs.var !== v);
      }),
  );

/**
 * A bug in how the server answers some IQ requests: the answer (result or error, matched by the connection and
 * the request's id) to a request `request` picks out gets `act`. For answers that do not say what they answer
 * (an error without the request's payload, an empty result).
 */
export function answering(request: (el: Element, ctx: FaultContext) => boolean, act: (answer: Element, ctx: FaultContext) => FaultAction): StreamFault {
  const asked = new Set<string>();
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${String(id)}`;
  return {
    fromClient: (el, ctx) => void (el.name === "iq" && request(el, ctx) && asked.add(key(ctx, el.attrs.id))),
    element: (el, ctx) => {
      const answer = el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error");
      return answer && asked.delete(key(ctx, el.attrs.id)) ? act(el, ctx) : "pass";
    },
  };
}

/**
 * A publish-subscribe service that answers a publish to a missing node `node` with a result but never creates it:
 * every later owner's <delete/> of the node is answered <item-not-found/>, every items request too (or, with `reads:
 * "empty"`, XEP-0060 §6.5.9.12's empty <items/>, §6.5.9.11's item-not-found being a SHOULD: such a read shows no node
 * made), and no notification of it goes out (PEP's and private PEP storage's auto-create, XEP-0163 §3, XEP-0223 §3).
 */
export function nodeNeverCreated(node: string, reads: "item-not-found" | "empty" = "item-not-found"): StreamFault {
  const PUBSUB = "http://jabber.org/protocol/pubsub";
  const asksOf = (name: string, ns: string) => (el: Element) => (el.attrs.type === "get" || el.attrs.type === "set") && el.getChild("pubsub", ns)?.getChild(name)?.attrs.node === node;
  const notFound = (answer: Element) => [iqErrorFor(answer, "item-not-found")];
  const empty = (a: Element) => [xml("iq", { type: "result", id: a.attrs.id, to: a.attrs.to, from: a.attrs.from }, xml("pubsub", { xmlns: PUBSUB }, xml("items", { node })))];
  return both(both(answering(asksOf("items", PUBSUB), reads === "empty" ? empty : notFound), answering(asksOf("delete", `${PUBSUB}#owner`), notFound)), {
    element: (el) => (el.name === "message" && el.getChild("event", `${PUBSUB}#event`)?.getChild("items")?.attrs.node === node ? "drop" : "pass"),
  });
}

/**
 * A server without a feature that never answers its requests (RFC 6120 §8.2.3's breach, not the feature's rules):
 * the answers to the requests `request` picks are dropped, and no disco#info result lists any of `features`.
 */
export function unansweredUnlisted(request: (el: Element, ctx: FaultContext) => boolean, features: string[]): StreamFault {
  const INFO = "http://jabber.org/protocol/disco#info";
  const silent = answering(request, () => "drop");
  return {
    fromClient: silent.fromClient,
    element: (el, ctx) => {
      const action = silent.element!(el, ctx);
      if (action !== "pass") return action;
      const q = el.name === "iq" && el.attrs.type === "result" ? el.getChild("query", INFO) : undefined;
      if (!q || !features.some((f) => q.getChildByAttr("var", f))) return "pass";
      return changed(el, (c) => {
        const cq = c.getChild("query", INFO)!;
        cq.children = cq.children.filter((f) => typeof f === "string" || !features.includes(String(f.attrs.var)));
      });
    },
  };
}

/**
 * A session of the harness's own, not of the case's steps: the ones that set a case up and tear its rooms down
 * (src/run/case/setup.ts and scope.ts name their resources set-up-… and teardown-…).
 */
export const harnessSession = (jid: unknown) => /\/(set-up|teardown)-/.test(String(jid ?? ""));

/** Two bugs of one server: each sees what the clients send; the first that acts on a server's element decides it. */
export function both(a: StreamFault, b: StreamFault): StreamFault {
  return {
    fromClient: (el, ctx) => {
      a.fromClient?.(el, ctx);
      b.fromClient?.(el, ctx);
    },
    element: (el, ctx) => {
      const first = a.element?.(el, ctx) ?? "pass";
      return first === "pass" ? (b.element?.(el, ctx) ?? "pass") : first;
    },
  };
}

/**
 * A stream fault that keeps some connections open: a connection whose server element `marks` picks (a stream
 * error, say) gets no closing stream tag, and its TCP connection stays open after the server closed its own.
 * `drop` takes the marking element away too; `fromClient` sees what clients send, as `marks` may need.
 */
export function keptOpen(marks: (el: Element, ctx: FaultContext) => boolean, opts: { drop?: boolean; fromClient?: StreamFault["fromClient"] } = {}): StreamFault {
  const kept = new Set<number>();
  return {
    ...(opts.fromClient && { fromClient: opts.fromClient }),
    element: (el, ctx) => {
      if (!marks(el, ctx)) return "pass";
      kept.add(ctx.conn.id);
      return opts.drop ? "drop" : "pass";
    },
    close: (ctx) => (kept.has(ctx.conn.id) ? "" : "</stream:stream>"),
    holdOpen: (ctx) => kept.has(ctx.conn.id),
  };
}
