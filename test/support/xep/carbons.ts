import { Element } from "ltx";
import { STANZAS, changed, copyOf, when, type FaultDef } from "../fault-kit.ts";
import { bare, type FaultContext, type ProxiedConnection } from "../fault-proxy.ts";
import type { Variation } from "../variations.ts";

const CARBONS = "urn:xmpp:carbons:2";
const FORWARD = "urn:xmpp:forward:0";

/** A copy's wrapper element (<received/> or <sent/>), when the stanza is a carbon copy. */
const wrapper = (el: Element) => (el.name === "message" ? (el.getChild("received", CARBONS) ?? el.getChild("sent", CARBONS)) : undefined);
const isCopy = (el: Element) => wrapper(el) !== undefined;
const forwardedOf = (el: Element) => wrapper(el)?.getChild("forwarded", FORWARD)?.getChild("message");
const isBarrier = (el: Element) => Boolean(el.getChild("barrier", "urn:xmpp-conform:barrier"));
/** A message another account's client sent, as routed to this connection (not a copy, not an error, not the harness's). */
const routedMessage = (el: Element, conn: ProxiedConnection) =>
  el.name === "message" && el.attrs.type !== "error" && !isCopy(el) && !isBarrier(el) && String(el.attrs.from ?? "").includes("/") && bare(el.attrs.from) !== bare(conn.jid);
const sameAccount = (conn: ProxiedConnection, peers: FaultContext["peers"]) => peers().filter((p) => p.jid && p !== conn && bare(p.jid) === bare(conn.jid));

/** A copy as §7 and §8 shape it: from the bare JID, to the resource, the original inside <forwarded/>. */
function carbon(kind: "received" | "sent", to: string, original: Element): Element {
  const inner = copyOf(original);
  inner.attrs.xmlns = "jabber:client";
  const copy = new Element("message", { from: bare(to), to, ...(original.attrs.type && { type: original.attrs.type }) });
  copy.c(kind, { xmlns: CARBONS }).c("forwarded", { xmlns: FORWARD }).cnode(inner);
  return copy;
}

/** XEP-0280: server bugs the cases must catch. */
export const FAULTS: FaultDef[] = [
  {
    id: "carbons.received-from-domain",
    area: "carbons",
    requirements: ["CARBONS-RECV-FROM"],
    description: "received copies come from the server's domain instead of the user's bare JID",
    fault: when(
      (el) => Boolean(el.getChild("received", CARBONS)),
      (el) => changed(el, (c) => (c.attrs.from = String(bare(el.attrs.to)).split("@")[1])),
    ),
  },
  {
    id: "carbons.received-to-bare",
    area: "carbons",
    requirements: ["CARBONS-RECV-TO"],
    description: "received copies are addressed to the user's bare JID, not the resource that gets them",
    fault: when(
      (el) => Boolean(el.getChild("received", CARBONS)),
      (el) => changed(el, (c) => (c.attrs.to = bare(el.attrs.to))),
    ),
  },
  {
    id: "carbons.received-unwrapped",
    area: "carbons",
    requirements: ["CARBONS-RECV-WRAP"],
    description: "received copies carry <forwarded/> directly, without the <received/> element",
    fault: when(
      (el) => Boolean(el.getChild("received", CARBONS)),
      (el) =>
        changed(el, (c) => {
          const received = c.getChild("received", CARBONS)!;
          c.remove(received);
          c.cnode(received.getChild("forwarded", FORWARD)!);
        }),
    ),
  },
  {
    id: "carbons.sent-from-sender",
    area: "carbons",
    requirements: ["CARBONS-SENT-FROM"],
    description: "sent copies come from the sending resource's full JID instead of the user's bare JID",
    fault: when(
      (el) => Boolean(el.getChild("sent", CARBONS)),
      (el) => changed(el, (c) => (c.attrs.from = `${bare(el.attrs.to)}/elsewhere`)),
    ),
  },
  {
    id: "carbons.sent-as-received",
    area: "carbons",
    requirements: ["CARBONS-SENT-WRAP"],
    description: "sent copies are wrapped in <received/> instead of <sent/>",
    fault: when(
      (el) => Boolean(el.getChild("sent", CARBONS)),
      (el) => changed(el, (c) => (c.getChild("sent", CARBONS)!.name = "received")),
    ),
  },
  {
    id: "carbons.forwarded-namespace-lost",
    area: "carbons",
    requirements: ["CARBONS-FWD-NS"],
    description: "the forwarded message loses its jabber:client namespace and inherits urn:xmpp:forward:0",
    fault: when(isCopy, (el) => changed(el, (c) => (forwardedOf(c)!.attrs.xmlns = FORWARD))),
  },
  {
    id: "carbons.copy-to-addressee",
    area: "carbons",
    requirements: ["CARBONS-RECV-ADDRESSEE"],
    description: "the resource a message was addressed to gets a received copy besides the original",
    fault: (el, { conn }) => (routedMessage(el, conn) && el.attrs.to === conn.jid ? [el, carbon("received", conn.jid!, el)] : "pass"),
  },
  {
    id: "carbons.copies-to-every-resource",
    area: "carbons",
    requirements: ["CARBONS-REQ-01"],
    description: "copies also go to the user's resources that never enabled Carbons",
    fault: (el, { conn, peers }) => {
      if (!isCopy(el)) return "pass";
      for (const p of sameAccount(conn, peers)) p.deliver(changed(el, (c) => (c.attrs.to = p.jid!))[0]);
      return "pass";
    },
  },
  {
    id: "carbons.private-copied",
    area: "carbons",
    requirements: ["CARBONS-PRIV-SENT", "CARBONS-PRIV-RECV"],
    description: "messages marked <private/> with the <no-copy/> hint are copied like any other, to the recipient's and the sender's other resources",
    fault: (el, { conn, peers }) => {
      // Prosody removes <private/> from what it delivers (XEP-0280 §9's note: earlier versions asked for that), so the hint marks it too.
      if (!routedMessage(el, conn) || !(el.getChild("private", CARBONS) || el.getChild("no-copy", "urn:xmpp:hints"))) return "pass";
      for (const p of sameAccount(conn, peers)) p.deliver(carbon("received", p.jid!, el));
      for (const p of peers()) if (p.jid && p.jid !== el.attrs.from && bare(p.jid) === bare(el.attrs.from)) p.deliver(carbon("sent", p.jid, el));
      return "pass";
    },
  },
  {
    id: "carbons.copy-bounce-to-sender",
    area: "carbons",
    requirements: ["CARBONS-ERR-01"],
    description: "an error a copy's receiver bounces is forwarded to the original message's sender",
    fault: (el, { peers }) => {
      const original = el.getChild("received", CARBONS) ? forwardedOf(el) : undefined;
      const sender = original && peers().find((p) => p.jid === original.attrs.from);
      if (!sender) return "pass";
      const bounce = new Element("message", { type: "error", from: original.attrs.to, to: sender.jid! });
      bounce.c("error", { type: "cancel" }).c("service-unavailable", { xmlns: STANZAS });
      sender.deliver(bounce);
      return "pass";
    },
  },
];

/** A copy changed by `edit` (a variation never mutates what the proxy parsed). */
const onCopies = (edit: (copy: Element) => void): Variation["fault"] => when(isCopy, (el) => changed(el, edit));

/** XEP-0280: what a correct server may do differently; no verdict may change. */
export const VARIATIONS: Variation[] = [
  {
    id: "carbons-delay-stamp",
    description: "copies carry an XEP-0203 <delay/> in <forwarded/> (XEP-0297 §3.2: the forwarding entity SHOULD add one; XEP-0280 neither asks for it nor forbids it)",
    fault: onCopies((c) =>
      wrapper(c)!
        .getChild("forwarded", FORWARD)!
        .c("delay", { xmlns: "urn:xmpp:delay", from: String(bare(c.attrs.to)).split("@")[1], stamp: new Date().toISOString() }),
    ),
  },
  {
    id: "carbons-prefixed",
    description: "<received/>, <sent/> and <forwarded/> are written with namespace prefixes (XML Namespaces: an element is its namespace and local name)",
    fault: onCopies((c) => {
      const w = wrapper(c)!;
      const forwarded = w.getChild("forwarded", FORWARD)!;
      w.name = `c:${w.name}`;
      delete w.attrs.xmlns;
      w.attrs["xmlns:c"] = CARBONS;
      forwarded.name = "f:forwarded";
      delete forwarded.attrs.xmlns;
      forwarded.attrs["xmlns:f"] = FORWARD;
    }),
  },
  {
    id: "carbons-own-ids",
    description:
      "copies carry an id of the server's making, and the wrapper of a normal message states type='normal' (RFC 6120 §8.1.3: the id of a stanza the server generates is its own; RFC 6121 §5.2.2: normal is the default type)",
    fault: onCopies((c) => {
      c.attrs.id = `carbon-${Math.random().toString(36).slice(2)}`;
      c.attrs.type ??= "normal";
    }),
  },
];
