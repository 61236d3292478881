import { Element } from "ltx";
import { STANZAS, answering, both, changed, copyOf, unansweredUnlisted, when, type FaultDef } from "../fault-kit.ts";
import { bare, type FaultAction, type FaultContext, type ProxiedConnection, type StreamFault } from "../fault-proxy.ts";
import type { Variation } from "../variations.ts";

const CARBONS = "urn:xmpp:carbons:2";
const FORWARD = "urn:xmpp:forward:0";

/** A copy's wrapper element (<received/> or <sent/>), when the stanza is a carbon copy. */
const wrapper = (el: Element) => (el.name === "message" ? (el.getChild("received", CARBONS) ?? el.getChild("sent", CARBONS)) : undefined);
const isCopy = (el: Element) => wrapper(el) !== undefined;
const forwardedOf = (el: Element) => wrapper(el)?.getChild("forwarded", FORWARD)?.getChild("message");
const isBarrier = (el: Element) => Boolean(el.getChild("barrier", "urn:xmpp-conform:barrier"));
/** A message another account's client sent, as routed to this connection (not a copy, not an error, not the harness's unless `markers`). */
const routedMessage = (el: Element, conn: ProxiedConnection, markers = false) =>
  el.name === "message" && el.attrs.type !== "error" && !isCopy(el) && (markers || !isBarrier(el)) && String(el.attrs.from ?? "").includes("/") && bare(el.attrs.from) !== bare(conn.jid);
const sameAccount = (conn: ProxiedConnection, peers: FaultContext["peers"]) => peers().filter((p) => p.jid && p !== conn && bare(p.jid) === bare(conn.jid));

/** A message of type normal (stated or by default, RFC 6121 §5.2.2). */
const isNormal = (el: Element) => el.attrs.type === undefined || el.attrs.type === "normal";
/** The IM payloads of XEP-0280 §6.1: a delivery receipt, a chat state, a displayed marker. */
const IM_PAYLOADS = ["urn:xmpp:receipts", "http://jabber.org/protocol/chatstates", "urn:xmpp:chat-markers:0"];
const hasPayload = (el: Element) => el.getChildElements().some((c) => IM_PAYLOADS.includes(String(c.attrs.xmlns)));
const isInvite = (el: Element) => Boolean(el.getChild("x", "jabber:x:conference"));
const isMucPm = (el: Element) => el.attrs.type === "chat" && Boolean(el.getChild("x", "http://jabber.org/protocol/muc#user"));
/** Copies (received or sent) whose forwarded message `kind` picks are not made: the server's eligibility rules leave that kind out. */
const notCopied =
  (kind: (original: Element) => boolean): FaultDef["fault"] =>
  (el) => {
    const original = forwardedOf(el);
    return original && kind(original) ? "drop" : "pass";
  };
const isEnable = (el: Element) => el.name === "iq" && el.attrs.type === "set" && Boolean(el.getChild("enable", CARBONS));
const isDisable = (el: Element) => el.name === "iq" && el.attrs.type === "set" && Boolean(el.getChild("disable", CARBONS));
const refused = (answer: Element, condition: string) => {
  const error = new Element("iq", { type: "error", id: answer.attrs.id, ...(answer.attrs.to && { to: answer.attrs.to }) });
  error.c("error", { type: "cancel" }).c(condition, { xmlns: STANZAS });
  return error;
};

/**
 * Carbons that cannot be switched as often as the client asks (§10.1): `decide` picks, from the requests the
 * connection had honoured so far, whether a new one is honoured, refused (<not-allowed/>) or answered with a
 * result and ignored. A request refused or ignored leaves the state as it was: the proxy drops the copies
 * Prosody sends to a connection the modelled server keeps disabled, and makes the received copies of chat and
 * normal messages Prosody no longer sends to one it keeps enabled.
 */
type Switch = "enable" | "disable";
function switchLimited(decide: (request: Switch, honoured: Switch[]) => "honour" | "refuse" | "ignore"): FaultDef["stream"] {
  const honoured = new Map<number, Switch[]>();
  const asked = new Map<string, Switch>();
  /** The state the modelled server keeps (true: enabled) where it differs from Prosody's. */
  const kept = new Map<number, boolean>();
  return {
    fromClient: (el, { conn }) => {
      if (isEnable(el) || isDisable(el)) asked.set(`${conn.id} ${el.attrs.id}`, isEnable(el) ? "enable" : "disable");
    },
    element: (el, ctx) => {
      const { conn } = ctx;
      const key = `${conn.id} ${el.attrs.id}`;
      const request = el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") ? asked.get(key) : undefined;
      if (request) {
        asked.delete(key);
        if (el.attrs.type === "error") return "pass";
        const past = honoured.get(conn.id) ?? [];
        const decision = decide(request, past);
        if (decision === "honour") {
          honoured.set(conn.id, [...past, request]);
          kept.delete(conn.id);
          return "pass";
        }
        if (!kept.has(conn.id)) kept.set(conn.id, request === "disable");
        return decision === "refuse" ? [refused(el, "not-allowed")] : "pass";
      }
      if (kept.get(conn.id) === false && isCopy(el)) return "drop";
      if (conn.jid && routedMessage(el, conn) && (el.attrs.type === "chat" || (isNormal(el) && el.getChild("body"))))
        for (const p of sameAccount(conn, ctx.peers)) if (kept.get(p.id) === true) p.deliver(carbon("received", p.jid!, el));
      return "pass";
    },
  };
}

/** The server applies `which` after the other switch in the session, but never sends its IQ result. */
function switchUnanswered(which: Switch): FaultDef["stream"] {
  const seen = new Map<number, Switch[]>();
  const unanswered = new Set<string>();
  return {
    fromClient: (el, { conn }) => {
      if (!isEnable(el) && !isDisable(el)) return;
      const request: Switch = isEnable(el) ? "enable" : "disable";
      const past = seen.get(conn.id) ?? [];
      if (request === which && past.includes(which === "disable" ? "enable" : "disable")) unanswered.add(`${conn.id} ${el.attrs.id}`);
      seen.set(conn.id, [...past, request]);
    },
    element: (el, { conn }) => (el.name === "iq" && el.attrs.type === "result" && unanswered.delete(`${conn.id} ${el.attrs.id}`) ? "drop" : "pass"),
  };
}

/**
 * A message routed to `conn` copied where the server should not: a received copy to the recipient's other
 * resources, a sent copy to the sender's (each Carbons-enabled in the cases that look). The original passes.
 */
function copiedAround(el: Element, conn: ProxiedConnection, peers: FaultContext["peers"]): FaultAction {
  for (const p of sameAccount(conn, peers)) p.deliver(carbon("received", p.jid!, el));
  for (const p of peers()) if (p.jid && p.jid !== el.attrs.from && bare(p.jid) === bare(el.attrs.from)) p.deliver(carbon("sent", p.jid, el));
  return "pass";
}

/**
 * <private/> honoured only beside the <no-copy/> hint: a message its client sent with <private/> alone is copied
 * when it reaches its addressee. Prosody strips <private/> from what it delivers, so the message is known by the
 * sender's full JID and the id it had when the client sent it.
 */
function privateWithoutHintCopied(): FaultDef["stream"] {
  const marked = new Set<string>();
  return {
    fromClient: (el, { conn }) => {
      if (el.name === "message" && el.getChild("private", CARBONS) && !el.getChild("no-copy", "urn:xmpp:hints")) marked.add(`${conn.jid} ${el.attrs.id}`);
    },
    element: (el, { conn, peers }) => (conn.jid && routedMessage(el, conn) && marked.delete(`${el.attrs.from} ${el.attrs.id}`) ? copiedAround(el, conn, peers) : "pass"),
  };
}

/**
 * <enable/> taken for the account it is addressed to: a client's <enable/> sent to another account's bare JID is
 * answered with a result and turns Carbons on for every resource of that account. From then on a chat (or
 * normal, with a body) message routed to one of its resources is copied, <received/>, to its other resources,
 * and one a resource of it sends, <sent/>, to its other resources.
 */
function enableForAddressee(): FaultDef["stream"] {
  const asked = new Map<string, string>();
  const enabled = new Set<string>();
  const eligible = (el: Element) => el.attrs.type === "chat" || (isNormal(el) && Boolean(el.getChild("body")));
  return {
    fromClient: (el, { conn }) => {
      if (isEnable(el) && el.attrs.to && !String(el.attrs.to).includes("/") && bare(el.attrs.to) !== bare(conn.jid)) asked.set(`${conn.id} ${el.attrs.id}`, bare(el.attrs.to)!);
    },
    element: (el, { conn, peers }) => {
      const key = `${conn.id} ${el.attrs.id}`;
      const target = el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") ? asked.get(key) : undefined;
      if (target) {
        asked.delete(key);
        enabled.add(target);
        return [new Element("iq", { type: "result", id: el.attrs.id, from: target, ...(el.attrs.to && { to: el.attrs.to }) })];
      }
      if (!conn.jid || !routedMessage(el, conn) || !eligible(el)) return "pass";
      if (enabled.has(bare(conn.jid)!)) for (const p of sameAccount(conn, peers)) p.deliver(carbon("received", p.jid!, el));
      if (enabled.has(bare(el.attrs.from)!)) for (const p of peers()) if (p.jid && p.jid !== el.attrs.from && bare(p.jid) === bare(el.attrs.from)) p.deliver(carbon("sent", p.jid, el));
      return "pass";
    },
  };
}

/**
 * A second <enable/> while Carbons are on is taken for an error (§10.1): it is refused with <not-allowed/>, and
 * Carbons stay on as they were (copies keep coming, as from Prosody). A <disable/> honoured in between ends it.
 */
function enableAgainRefused(): FaultDef["stream"] {
  const asked = new Map<string, Switch>();
  const enabled = new Set<string>();
  return {
    fromClient: (el, { conn }) => {
      if (isEnable(el) || isDisable(el)) asked.set(`${conn.jid} ${el.attrs.id}`, isEnable(el) ? "enable" : "disable");
    },
    element: (el, { conn }) => {
      const key = `${conn.jid} ${el.attrs.id}`;
      const request = el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") ? asked.get(key) : undefined;
      if (!request) return "pass";
      asked.delete(key);
      if (el.attrs.type === "error") return "pass";
      if (request === "disable") enabled.delete(String(conn.jid));
      else if (enabled.has(String(conn.jid))) return [refused(el, "not-allowed")];
      else enabled.add(String(conn.jid));
      return "pass";
    },
  };
}

/**
 * A request from a client of another server taken for one it may grant: an <enable/> or <disable/> a client sends
 * to a bare JID of another domain is answered with a result (from that bare JID) instead of the error the server
 * sent, and changes nothing there. It acts on the requesting client's own connection, so it shows where the
 * proxy stands before the second server of a pair (its clients are the "client that is not hosted on this server").
 */
function remoteRequestAccepted(): FaultDef["stream"] {
  const asked = new Map<string, string>();
  const domainOf = (jid: string) => jid.replace(/^[^@/]*@/, "").split("/")[0];
  return {
    fromClient: (el, { conn }) => {
      const to = String(el.attrs.to ?? "");
      if ((isEnable(el) || isDisable(el)) && conn.jid && to && !to.includes("/") && to.includes("@") && domainOf(to) !== domainOf(conn.jid)) asked.set(`${conn.jid} ${el.attrs.id}`, to);
    },
    element: (el, { conn }) => {
      const key = `${conn.jid} ${el.attrs.id}`;
      const target = el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") ? asked.get(key) : undefined;
      if (!target) return "pass";
      asked.delete(key);
      return [new Element("iq", { type: "result", id: el.attrs.id, from: target, ...(el.attrs.to && { to: el.attrs.to }) })];
    },
  };
}

/**
 * Twentieth audit: copies that carry an id of the server's making (allowed: the variation carbons-own-ids), and a
 * bounce of a copy told by that id (XEP-0280 §10.3 steers a server to something other than the bounce's
 * <received/> or <sent/>: "The server MUST NOT rely on the <sent/> or <received/> elements in the bounce") but
 * then forwarded to the original message's sender, which §10.3's first MUST NOT forbids. The error the sender
 * gets is from the address the bounce was sent to, with the original message's id.
 */
function copyBounceById(unlessWrapped = false, otherNs = false): FaultDef["stream"] {
  let n = 0;
  const copies = new Map<string, { sender: string; id?: string }>();
  return {
    element: (el, { conn }) => {
      const original = forwardedOf(el);
      if (!conn.jid || !original?.attrs.from) return "pass";
      const id = `carbon-${++n}`;
      copies.set(id, { sender: String(original.attrs.from), id: original.attrs.id });
      return changed(el, (c) => {
        c.attrs.id = id;
        if (otherNs) wrapper(c)!.attrs.xmlns = "urn:xmpp:carbons:1";
      });
    },
    fromClient: (el, { conn, peers }) => {
      const copy = el.name === "message" && el.attrs.type === "error" ? copies.get(String(el.attrs.id)) : undefined;
      // unlessWrapped: a bounce holding the original XML (a <received/> or <sent/>) is taken for a carbon's and dropped.
      if (unlessWrapped && (el.getChild("received", CARBONS) || el.getChild("sent", CARBONS))) return;
      const sender = copy && [conn, ...peers()].find((p) => p.jid === copy.sender);
      if (!copy || !sender) return;
      const bounce = new Element("message", { type: "error", ...(copy.id && { id: copy.id }), from: String(el.attrs.to ?? bare(conn.jid)), to: sender.jid! });
      bounce.c("error", { type: "cancel" }).c("service-unavailable", { xmlns: STANZAS });
      sender.deliver(bounce);
    },
  };
}

/**
 * Twenty-fourth audit: a server that tells MUC traffic by tracking its clients' presence in rooms (XEP-0280 §6.1
 * allows it) and takes every message exchanged with an occupant JID of a room the user entered for one the room
 * replicates, in both directions: it applies the rule for private messages from an occupant ("SHOULD NOT be
 * carbon-copied") to those the user sends to one too. A client's entry (presence with <x
 * xmlns='http://jabber.org/protocol/muc'/> to an occupant JID) marks the room for its account; sent copies of a
 * message to an occupant JID of a marked room are not made. A chat message to a user's own full JID, with the MUC
 * <x/> or without, is copied as before.
 */
function mucPmToOccupantNotCopied(): FaultDef["stream"] {
  const entered = new Map<string, Set<string>>();
  return {
    fromClient: (el, { conn }) => {
      const to = String(el.attrs.to ?? "");
      if (el.name !== "presence" || el.attrs.type || !conn.jid || !to.includes("/") || !el.getChild("x", "http://jabber.org/protocol/muc")) return;
      const rooms = entered.get(bare(conn.jid)!) ?? new Set<string>();
      entered.set(bare(conn.jid)!, rooms.add(bare(to)!));
    },
    element: (el, { conn }) => {
      const original = el.getChild("sent", CARBONS) ? forwardedOf(el) : undefined;
      const to = String(original?.attrs.to ?? "");
      return conn.jid && to.includes("/") && entered.get(bare(conn.jid)!)?.has(bare(to)!) ? "drop" : "pass";
    },
  };
}

/**
 * Copies of one kind go to every Carbons-enabled resource but the earliest-enabled one the message did not come from
 * (a sent copy) or was not addressed to (a received copy), where three or more of the account's resources enabled it.
 */
function copyNotToFirst(kind: "received" | "sent"): FaultDef["stream"] {
  return byEnableOrder((el, jid, order) => {
    const original = el.getChild(kind, CARBONS) ? forwardedOf(el) : undefined;
    if (!original) return "pass";
    const own = kind === "sent" ? original.attrs.from : original.attrs.to;
    return order.length >= 3 && order.find((x) => x !== own) === jid ? "drop" : "pass";
  });
}

/**
 * What the server sends a bound resource, decided by `decide` with the order in which its account's resources got
 * their Carbons <enable/> answered (the latest last).
 */
function byEnableOrder(decide: (el: Element, jid: string, order: string[]) => FaultAction): StreamFault {
  const asked = new Set<string>();
  const enabled = new Map<string, string[]>();
  return {
    fromClient: (el, { conn }) => void (isEnable(el) && asked.add(`${conn.id} ${el.attrs.id}`)),
    element: (el, { conn }) => {
      if (el.name === "iq" && el.attrs.type === "result" && asked.delete(`${conn.id} ${el.attrs.id}`) && conn.jid) {
        const account = bare(conn.jid);
        enabled.set(account, [...(enabled.get(account) ?? []).filter((jid) => jid !== conn.jid), conn.jid]);
        return "pass";
      }
      return conn.jid ? decide(el, conn.jid, enabled.get(bare(conn.jid)) ?? []) : "pass";
    },
  };
}

/** A copy as §7 and §8 shape it: from the bare JID, to the resource, the original inside <forwarded/>. */
function carbon(kind: "received" | "sent", to: string, original: Element): Element {
  const inner = copyOf(original);
  inner.attrs.xmlns = "jabber:client";
  const copy = new Element("message", { from: bare(to), to, ...(original.attrs.type && { type: original.attrs.type }) });
  copy.c(kind, { xmlns: CARBONS }).c("forwarded", { xmlns: FORWARD }).cnode(inner);
  return copy;
}

/** A copy (of `carbon`'s making) with its wrapper in urn:xmpp:carbons:1 instead of urn:xmpp:carbons:2. */
const inOtherNs = (copy: Element) => changed(copy, (c) => (wrapper(c)!.attrs.xmlns = "urn:xmpp:carbons:1"))[0];

/** An XEP-0297 <forwarded/> copy of `original` to `to`, from the user's bare JID, with no Carbons wrapper. */
function forwardedCopy(to: string, original: Element): Element {
  const inner = copyOf(original);
  inner.attrs.xmlns = "jabber:client";
  const copy = new Element("message", { from: bare(to), to, ...(original.attrs.type && { type: original.attrs.type }) });
  copy.c("forwarded", { xmlns: FORWARD }).cnode(inner);
  return copy;
}

/** XEP-0280: server bugs the cases must catch. */
/** A copy whose wrapper (<sent/> or <received/>) holds the message itself, with no XEP-0297 <forwarded/> around it. */
const unforwarded = (wrapper: "sent" | "received") =>
  when(
    (el) => Boolean(el.getChild(wrapper, CARBONS)?.getChild("forwarded", FORWARD)),
    (el) =>
      changed(el, (c) => {
        const w = c.getChild(wrapper, CARBONS)!;
        w.children = w.getChild("forwarded", FORWARD)!.getChildren("message");
      }),
  );

/** Each connection's answers to its <disable/> requests after the first that got a result: what `act` makes of them. */
function laterDisables(act: (answer: Element) => FaultAction): StreamFault {
  const done = new Map<number, number>();
  return answering(
    (el) => el.attrs.type === "set" && Boolean(el.getChild("disable", CARBONS)),
    (answer, { conn }) => {
      if (answer.attrs.type !== "result") return "pass";
      const n = done.get(conn.id) ?? 0;
      done.set(conn.id, n + 1);
      return n >= 1 ? act(answer) : "pass";
    },
  );
}

export const FAULTS: FaultDef[] = [
  // Sixty-ninth audit (round 69): carbons-disable-twice took the second disable's answer as `type='{not:error}'`,
  // so an error credited nothing of CARBONS-MULTI-05 (its also: could not fail) and a silence, which that type does
  // not name as an answer, warned CARBONS-MULTI-04 instead of failing RFC 6120 §8.2.3. Both cells, Prosody 13:
  // refused: warn (MULTI-04; MULTI-05 not reached) -> warn (MULTI-04 and MULTI-05); unanswered: warn (MULTI-04) ->
  // fail (STANZA-IQ-01).
  {
    id: "carbons.second-disable-refused",
    area: "carbons",
    requirements: ["CARBONS-MULTI-04", "CARBONS-MULTI-05"],
    description: "a <disable/> after one that got its result is refused with <not-allowed/>",
    stream: laterDisables((answer) => [
      new Element("iq", { type: "error", id: answer.attrs.id, ...(answer.attrs.to && { to: answer.attrs.to }) }).c("error", { type: "cancel" }).c("not-allowed", { xmlns: STANZAS }).root(),
    ]),
  },
  {
    id: "carbons.second-disable-unanswered",
    area: "carbons",
    requirements: ["STANZA-IQ-01"],
    description: "a <disable/> after one that got its result is never answered",
    stream: laterDisables(() => "drop"),
  },
  // Seventy-fourth audit (round 74, report G3, the auditor's g3.msg-from-bare): the delivery steps of the Carbons cases
  // (carbons-sent, carbons-error-reply, carbons-received, carbons-not-copied, carbons-private-no-copy and the
  // enable/disable cases) asked the 'from' the server stamps (RFC 6120 §8.1.2.1, STANZA-FROM-01, judged by the core
  // cases) of the delivery row at MUST, so this server failed them with every Carbons row unjudged. ejabberd 24.12,
  // carbons-sent/chatstate-rules: old fail (DELIVERY-MSG-FULLMATCH-1NN/normal; the Carbons rows not reached) -> new
  // pass (every row judged).
  {
    id: "carbons.routed-message-from-bare",
    area: "carbons",
    requirements: ["STANZA-FROM-01"],
    description:
      "a message one user's resource sends another user is delivered stamped with the sender's bare JID instead of its full JID (carbon copies, errors and messages from rooms as they were)",
    fault: (el, { conn, peers }) =>
      conn.jid && routedMessage(el, conn) && peers().some((p) => p.jid && bare(p.jid) === bare(el.attrs.from)) ? changed(el, (c) => (c.attrs.from = bare(el.attrs.from))) : "pass",
  },
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
    // Eighty-first audit (round 81), class note of carbons-sent-sender-not-enabled: carbons-received took a copy only
    // in a <received/> or <sent/> of urn:xmpp:carbons:2, a bare <forwarded/> or none, so this copy (§7: "a <received/>
    // element qualified by the namespace "urn:xmpp:carbons:2"") took 'not-copied' at r3 and no outcome at r2, warning
    // the cell's eligibility rule with CARBONS-RECV-WRAP unjudged; the outcome other-ns takes it (carbons-received/chat
    // on Prosody 13: ELIG-CHAT warn -> pass, RECV-WRAP not-reached -> fail).
    id: "carbons.received-other-ns",
    area: "carbons",
    requirements: ["CARBONS-RECV-WRAP"],
    description: "received copies have their <received/> in urn:xmpp:carbons:1 instead of urn:xmpp:carbons:2 (its <forwarded/> kept)",
    fault: when(
      (el) => el.name === "message" && Boolean(el.getChild("received", CARBONS)),
      (el) => changed(el, (c) => (c.getChild("received", CARBONS)!.attrs.xmlns = "urn:xmpp:carbons:1")),
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
    // Eighty-first audit (round 81): carbons-sent-sender-not-enabled took a copy only in a <sent/> or <received/> of
    // urn:xmpp:carbons:2, a bare <forwarded/> or the plain message, so this copy (§8: "a <sent/> element qualified by
    // the namespace "urn:xmpp:carbons:2"") matched no control outcome and warned CARBONS-ELIG-CHAT, leaving
    // CARBONS-SENT-WRAP unjudged; the outcome other-ns takes it (Prosody 13: ELIG-CHAT warn -> pass, SENT-WRAP
    // not-reached -> fail).
    id: "carbons.sent-other-ns",
    area: "carbons",
    requirements: ["CARBONS-SENT-WRAP"],
    description: "sent copies have their <sent/> in urn:xmpp:carbons:1 instead of urn:xmpp:carbons:2 (its <forwarded/> kept)",
    fault: when(
      (el) => el.name === "message" && Boolean(el.getChild("sent", CARBONS)),
      (el) => changed(el, (c) => (c.getChild("sent", CARBONS)!.attrs.xmlns = "urn:xmpp:carbons:1")),
    ),
  },
  {
    // Eighty-first audit (round 81): as carbons.sent-other-ns, where the control's copies are right: only the copies of
    // a message from a resource that never asked to enable Carbons get the other namespace; carbons-sent-sender-not-enabled
    // warned CARBONS-SENT-02 (the Note, which this server keeps) with CARBONS-SENT-WRAP unjudged (Prosody 13: SENT-02
    // warn -> pass, SENT-WRAP not-reached -> fail).
    id: "carbons.sent-other-ns-not-enabled",
    area: "carbons",
    requirements: ["CARBONS-SENT-WRAP"],
    description:
      "sent copies of a message from a resource that never asked to enable Carbons have their <sent/> in urn:xmpp:carbons:1 instead of urn:xmpp:carbons:2; copies of the other resources' messages are left as they are",
    stream: (() => {
      const enabled = new Set<string>();
      const fromNotEnabled = new Set<string>();
      return {
        fromClient: (el, { conn }) => {
          if (!conn.jid) return;
          if (isEnable(el)) enabled.add(conn.jid);
          else if (el.name === "message" && el.attrs.id && !enabled.has(conn.jid)) fromNotEnabled.add(`${bare(conn.jid)} ${el.attrs.id}`);
        },
        element: (el, { conn }) => {
          const original = el.name === "message" && el.getChild("sent", CARBONS) ? forwardedOf(el) : undefined;
          if (!conn.jid || !original || !fromNotEnabled.has(`${bare(conn.jid)} ${original.attrs.id}`)) return "pass";
          return changed(el, (c) => (c.getChild("sent", CARBONS)!.attrs.xmlns = "urn:xmpp:carbons:1"));
        },
      } satisfies StreamFault;
    })(),
  },
  {
    id: "carbons.forwarded-namespace-lost",
    area: "carbons",
    requirements: ["CARBONS-FWD-NS"],
    description: "the forwarded message loses its jabber:client namespace and inherits urn:xmpp:forward:0",
    fault: when(isCopy, (el) => changed(el, (c) => (forwardedOf(c)!.attrs.xmlns = FORWARD))),
  },
  {
    // Thirtieth audit: the wrapper's rules (CARBONS-SENT-WRAP, CARBONS-RECV-WRAP) took any child of <forwarded/>, so
    // this copy passed them and failed only CARBONS-FWD-NS, a rule about a message that is not there; they now want
    // the message inside <forwarded/> (carbons-sent/chat on Prosody 13: SENT-WRAP pass -> fail; carbons-received,
    // carbons-copy-format and carbons-sent-sender-not-enabled alike).
    id: "carbons.copy-without-message",
    area: "carbons",
    requirements: ["CARBONS-SENT-WRAP", "CARBONS-RECV-WRAP"],
    description: "copies carry <sent/> or <received/> with a <forwarded/> that holds a <delay/> and no message",
    fault: when(
      (el) => forwardedOf(el) !== undefined,
      (el) =>
        changed(el, (c) => {
          const forwarded = wrapper(c)!.getChild("forwarded", FORWARD)!;
          forwarded.children = [new Element("delay", { xmlns: "urn:xmpp:delay", stamp: new Date().toISOString() })];
        }),
    ),
  },
  {
    // Thirty-seventh audit: carbons-sent-sender-not-enabled took any <sent/> as its `copy` alternative and judged
    // CARBONS-FWD-NS on it, so this copy, whose message keeps jabber:client with no XEP-0297 forwarded stanza around it,
    // failed that rule too; a <sent/> with no <forwarded/> is now its own alternative judging the wrapper's rule alone
    // (Prosody 13: SENT-WRAP fail before and after, FWD-NS fail -> not-reached).
    id: "carbons.sent-without-forwarded",
    area: "carbons",
    requirements: ["CARBONS-SENT-WRAP"],
    description: "sent copies carry the message directly in <sent/>, with no <forwarded/> around it",
    fault: unforwarded("sent"),
  },
  {
    // Thirty-seventh audit: carbons-received and carbons-copy-format (received) took any <received/> as their `copy`
    // alternative and judged CARBONS-FWD-NS (and, in carbons-received, CARBONS-FWD-CHILDREN) on it, so this copy, whose
    // message keeps jabber:client with no XEP-0297 forwarded stanza around it, failed those rules too; a <received/> with
    // no <forwarded/> is now its own alternative judging the wrapper's, 'from', 'to' and 'type' rules alone.
    id: "carbons.received-without-forwarded",
    area: "carbons",
    requirements: ["CARBONS-RECV-WRAP"],
    description: "received copies carry the message directly in <received/>, with no <forwarded/> around it",
    fault: unforwarded("received"),
  },
  {
    // Fifty-third audit (2026-11-28): carbons-copy-format (and carbons-received, carbons-sent): the wrapper's rules
    // (CARBONS-RECV-WRAP, CARBONS-SENT-WRAP) took any jabber:client <message/> inside <forwarded/>, so a copy holding
    // a message other than the original (here: readdressed to the copy's own recipient) passed them; they now want
    // the original's 'to'.
    id: "carbons.copy-original-readdressed",
    area: "carbons",
    requirements: ["CARBONS-RECV-WRAP", "CARBONS-SENT-WRAP"],
    description: "the forwarded message inside every copy is readdressed to the copy's own 'to' (the Carbons-enabled resource)",
    fault: when(
      (el) => forwardedOf(el) !== undefined && el.attrs.to !== undefined,
      (el) => changed(el, (c) => (forwardedOf(c)!.attrs.to = String(el.attrs.to))),
    ),
  },
  {
    // Thirtieth audit: carbons-sent now judges r3's copy (CARBONS-SENT-01) only where r2 got one; this is the server
    // that breaks SENT-01 while it treats the message as eligible (r2's copy comes), and the case must still warn it
    // (carbons-sent/chat on Prosody 13: SENT-01 warn before and after).
    id: "carbons.sent-copy-not-to-each",
    area: "carbons",
    requirements: ["CARBONS-SENT-01"],
    description: "sent copies go to every Carbons-enabled resource but the one that enabled Carbons last, where three or more of the account's resources enabled it",
    stream: (() => {
      const asked = new Set<string>();
      const enabled = new Map<string, number[]>();
      return {
        fromClient: (el, { conn }) => void (isEnable(el) && asked.add(`${conn.id} ${el.attrs.id}`)),
        element: (el, { conn }) => {
          if (el.name === "iq" && el.attrs.type === "result" && asked.delete(`${conn.id} ${el.attrs.id}`) && conn.jid) {
            const account = bare(conn.jid);
            enabled.set(account, [...(enabled.get(account) ?? []).filter((id) => id !== conn.id), conn.id]);
            return "pass";
          }
          if (!conn.jid || !el.getChild("sent", CARBONS)) return "pass";
          const order = enabled.get(bare(conn.jid)) ?? [];
          return order.length >= 3 && order[order.length - 1] === conn.id ? "drop" : "pass";
        },
      };
    })(),
  },
  {
    id: "carbons.copy-to-addressee",
    area: "carbons",
    requirements: ["CARBONS-RECV-ADDRESSEE"],
    description: "the resource a message was addressed to gets a received copy besides the original",
    fault: (el, { conn }) => (routedMessage(el, conn) && el.attrs.to === conn.jid ? [el, carbon("received", conn.jid!, el)] : "pass"),
  },
  {
    // Eighty-first audit (round 81): carbons-received's no-copy checks (CARBONS-RECV-ADDRESSEE) and carbons-received-bare's
    // (CARBONS-RECV-02) looked only for urn:xmpp:carbons:2 wrappers and a bare <forwarded/>, so this copy passed them
    // (carbons-received/chat on Prosody 13: RECV-ADDRESSEE pass -> fail; carbons-received-bare/chat: RECV-02 pass -> warn).
    id: "carbons.copy-to-addressee-other-ns",
    area: "carbons",
    requirements: ["CARBONS-RECV-ADDRESSEE", "CARBONS-RECV-02"],
    description: "each resource that gets a message from another account also gets a <received/> copy of it in urn:xmpp:carbons:1, besides the original",
    fault: (el, { conn }) => (routedMessage(el, conn) ? [el, inOtherNs(carbon("received", conn.jid!, el))] : "pass"),
  },
  {
    id: "carbons.copy-to-sender",
    area: "carbons",
    requirements: ["CARBONS-SENT-SENDER"],
    description: "the sending resource gets a sent copy of its own message besides the other Carbons-enabled resources",
    fault: (el, { conn, peers }) => {
      if (conn.jid && routedMessage(el, conn)) for (const p of peers()) if (p.jid && p.jid === el.attrs.from) p.deliver(carbon("sent", p.jid, el));
      return "pass";
    },
  },
  {
    // Eighty-first audit (round 81): carbons-sent's no-copy check at the sender (CARBONS-SENT-SENDER) looked only for
    // urn:xmpp:carbons:2 wrappers and a bare <forwarded/>, so this copy passed it (carbons-sent/chat on Prosody 13:
    // SENT-SENDER pass -> warn, a SHOULD NOT).
    id: "carbons.copy-to-sender-other-ns",
    area: "carbons",
    requirements: ["CARBONS-SENT-SENDER"],
    description: "the sending resource gets a <sent/> copy of its own message in urn:xmpp:carbons:1, besides the copies to the other Carbons-enabled resources",
    fault: (el, { conn, peers }) => {
      if (conn.jid && routedMessage(el, conn)) for (const p of peers()) if (p.jid && p.jid === el.attrs.from) p.deliver(inOtherNs(carbon("sent", p.jid, el)));
      return "pass";
    },
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
    // Eighty-first audit (round 81): the no-copy checks at a resource that never enabled Carbons (CARBONS-REQ-01 in
    // carbons-sent, carbons-received and carbons-received-bare) looked only for urn:xmpp:carbons:2 wrappers and a bare
    // <forwarded/>, so these copies passed them (carbons-sent/chat and carbons-received/chat on Prosody 13: REQ-01
    // pass -> fail).
    id: "carbons.copies-to-every-resource-other-ns",
    area: "carbons",
    requirements: ["CARBONS-REQ-01"],
    description: "each copy also goes, its wrapper in urn:xmpp:carbons:1, to the user's resources that never asked to enable Carbons",
    stream: (() => {
      const enabled = new Set<string>();
      return {
        fromClient: (el, { conn }) => void (conn.jid && isEnable(el) && enabled.add(conn.jid)),
        element: (el, { conn, peers }) => {
          if (!isCopy(el)) return "pass";
          for (const p of sameAccount(conn, peers)) if (!enabled.has(p.jid!)) p.deliver(inOtherNs(changed(el, (c) => (c.attrs.to = p.jid!))[0]));
          return "pass";
        },
      } satisfies StreamFault;
    })(),
  },
  {
    // Thirty-eighth audit: carbons-received-bare credited CARBONS-REQ-01 (no copy to r3, which never enabled Carbons)
    // where the server made no copy at all; this server delivers a chat message to the bare JID to every resource
    // (RFC 6121 §8.5.2.1.1 allows it), so no copy is due there, and sends every copy it does make to the resources
    // that never enabled Carbons too. The case now judges the rule only where a copy was made
    // (carbons-received-bare/chat on Prosody 13: REQ-01 pass -> not-reached; carbons-received fails it).
    id: "carbons.bare-to-all-copies-to-every-resource",
    area: "carbons",
    requirements: ["CARBONS-REQ-01"],
    description: "a chat message to the user's bare JID goes to every resource, uncopied; copies of other messages also go to the resources that never enabled Carbons",
    fault: (el, { conn, peers }) => {
      const original = el.getChild("received", CARBONS) ? forwardedOf(el) : undefined;
      if (original && !String(original.attrs.to ?? "").includes("/")) return "drop";
      if (conn.jid && routedMessage(el, conn) && el.attrs.type === "chat" && !String(el.attrs.to ?? "").includes("/")) {
        for (const p of sameAccount(conn, peers)) p.deliver(copyOf(el));
        return "pass";
      }
      if (isCopy(el)) for (const p of sameAccount(conn, peers)) p.deliver(changed(el, (c) => (c.attrs.to = p.jid!))[0]);
      return "pass";
    },
  },
  {
    // Sixty-eighth audit (round 68): carbons-received-bare charged a copy missing at one Carbons-enabled resource to
    // the cell's eligibility rule even where the server made a copy (it treated the message as eligible); this server
    // sends the <received/> copy of a bare-JID message to the resource that got the original instead of the one that
    // did not. The missing copy is now CARBONS-RECV-01's, the copy credits the rule, the extra copy warns RECV-02
    // (carbons-received-bare on Prosody 13: chat warn on CARBONS-ELIG-CHAT -> warn on RECV-01 and RECV-02, ELIG-CHAT
    // pass; chat-rules fail on CARBONS-RULES-CHAT -> warn on RECV-01 and RECV-02).
    id: "carbons.bare-copy-to-original-holder",
    area: "carbons",
    requirements: ["CARBONS-RECV-01"],
    description: "the received copy of a chat message to the user's bare JID goes to the other Carbons-enabled resources (the one that got the original) instead of the one that did not get it",
    stream: (() => {
      const asked = new Set<string>();
      const enabled = new Set<number>();
      return {
        fromClient: (el, { conn }) => void (isEnable(el) && asked.add(`${conn.id} ${el.attrs.id}`)),
        element: (el, { conn, peers }) => {
          if (el.name === "iq" && el.attrs.type === "result" && asked.delete(`${conn.id} ${el.attrs.id}`)) {
            enabled.add(conn.id);
            return "pass";
          }
          const original = el.getChild("received", CARBONS) ? forwardedOf(el) : undefined;
          if (!original || String(original.attrs.to ?? "").includes("/")) return "pass";
          for (const p of sameAccount(conn, peers)) if (enabled.has(p.id)) p.deliver(changed(el, (c) => (c.attrs.to = p.jid!))[0]);
          return "drop";
        },
      };
    })(),
  },
  {
    // Sixty-eighth audit (round 68): carbons-received-bare looked at a resource that got the original only for a
    // second <received/> copy, so this one passed CARBONS-RECV-02 (carbons-received-bare/chat on Prosody 13: pass ->
    // warn on RECV-02).
    id: "carbons.bare-sent-copy-besides-original",
    area: "carbons",
    requirements: ["CARBONS-RECV-02"],
    description: "a resource that gets the original of a chat message to the user's bare JID also gets a copy of it wrapped in <sent/>",
    fault: (el, { conn }) => (routedMessage(el, conn) && el.attrs.type === "chat" && !String(el.attrs.to ?? "").includes("/") ? [el, carbon("sent", conn.jid!, el)] : "pass"),
  },
  {
    // Sixty-eighth audit (round 68): carbons-received-bare looked for a second copy only in <received/>, so a resource
    // that got a <received/> copy and a bare <forwarded/> one passed CARBONS-RECV-02 (carbons-received-bare/chat on
    // Prosody 13: pass -> warn on RECV-02).
    id: "carbons.bare-copy-twice-unwrapped",
    area: "carbons",
    requirements: ["CARBONS-RECV-02"],
    description: "the received copy of a chat message to the user's bare JID comes twice, once more as a bare <forwarded/>",
    fault: (el, { conn }) => {
      const original = el.getChild("received", CARBONS) ? forwardedOf(el) : undefined;
      return original && conn.jid && !String(original.attrs.to ?? "").includes("/") ? [el, forwardedCopy(conn.jid, original)] : "pass";
    },
  },
  {
    // Thirty-eighth audit: the mirror of carbons.sent-copy-not-to-each. carbons-sent credited the cell's eligibility
    // rule only by r2's copy, so this server, which treats the message as eligible (r3 gets its copy), failed that
    // rule at MUST in the -rules cells; the missing copy is now CARBONS-SENT-01's (carbons-sent/chat-rules on
    // Prosody 13: fail on CARBONS-RULES-CHAT -> warn on CARBONS-SENT-01).
    id: "carbons.sent-copy-not-to-first",
    area: "carbons",
    requirements: ["CARBONS-SENT-01"],
    description: "sent copies go to every Carbons-enabled resource but the earliest-enabled one other than the sender, where three or more of the account's resources enabled it",
    stream: copyNotToFirst("sent"),
  },
  {
    // Thirty-eighth audit: carbons-sent looked at the sender only for a <sent/> copy, so this one passed
    // CARBONS-SENT-SENDER; it now looks for a <received/> one too (carbons-sent/chat on Prosody 13: pass -> warn).
    id: "carbons.received-copy-to-sender",
    area: "carbons",
    requirements: ["CARBONS-SENT-SENDER"],
    description: "the sending resource gets a copy of its own message wrapped in <received/>, besides the <sent/> copies to the other Carbons-enabled resources",
    fault: (el, { conn, peers }) => {
      if (conn.jid && routedMessage(el, conn)) for (const p of peers()) if (p.jid && p.jid === el.attrs.from) p.deliver(carbon("received", p.jid, el));
      return "pass";
    },
  },
  {
    // Thirty-eighth audit: carbons-sent judged CARBONS-FWD-NS and CARBONS-FWD-CHILDREN on any <received/> copy, so this
    // one, whose message keeps jabber:client with no XEP-0297 forwarded stanza around it, failed FWD-NS and warned
    // FWD-CHILDREN; a copy in the wrong wrapper now has the <sent/> path's split (carbons-sent/chat on Prosody 13:
    // SENT-WRAP fail before and after, FWD-NS fail -> not-reached, FWD-CHILDREN warn -> not-reached).
    id: "carbons.sent-as-received-unforwarded",
    area: "carbons",
    requirements: ["CARBONS-SENT-WRAP"],
    description: "sent copies are wrapped in <received/> instead of <sent/>, and carry the message directly in it, with no <forwarded/> around it",
    fault: when(
      (el) => Boolean(el.getChild("sent", CARBONS)?.getChild("forwarded", FORWARD)),
      (el) =>
        changed(el, (c) => {
          const w = c.getChild("sent", CARBONS)!;
          w.name = "received";
          w.children = w.getChild("forwarded", FORWARD)!.getChildren("message");
        }),
    ),
  },
  {
    // Thirty-eighth audit: carbons-received has carbons-sent's shape, and this is the mirror of the fault above for it:
    // the cell's eligibility rule was credited only by r2's copy, so this server, which treats the message as eligible
    // (r3 gets its copy), failed that rule at MUST in the -rules cells; the missing copy is now CARBONS-RECV-01's
    // (carbons-received/chat-rules on Prosody 13: fail on CARBONS-RULES-CHAT -> warn on CARBONS-RECV-01).
    id: "carbons.received-copy-not-to-first",
    area: "carbons",
    requirements: ["CARBONS-RECV-01"],
    description: "received copies go to every Carbons-enabled resource but the earliest-enabled one the message was not addressed to, where three or more of the account's resources enabled it",
    stream: copyNotToFirst("received"),
  },
  {
    // Thirty-eighth audit: carbons-received looked at the addressee only for a <received/> copy, so this one passed
    // CARBONS-RECV-ADDRESSEE; it now looks for a <sent/> one too (carbons-received/chat on Prosody 13: pass -> fail).
    id: "carbons.sent-copy-to-addressee",
    area: "carbons",
    requirements: ["CARBONS-RECV-ADDRESSEE"],
    description: "the resource a message was addressed to gets a copy of it wrapped in <sent/> besides the original",
    fault: (el, { conn }) => (routedMessage(el, conn) && el.attrs.to === conn.jid ? [el, carbon("sent", conn.jid!, el)] : "pass"),
  },
  {
    // Thirty-eighth audit: carbons-received judged CARBONS-FWD-NS and CARBONS-FWD-CHILDREN on any <sent/> copy, so this
    // one, whose message keeps jabber:client with no XEP-0297 forwarded stanza around it, failed FWD-NS and warned
    // FWD-CHILDREN; a copy in the wrong wrapper now has the <received/> path's split (carbons-received/chat on
    // Prosody 13: RECV-WRAP fail before and after, FWD-NS fail -> not-reached, FWD-CHILDREN warn -> not-reached).
    id: "carbons.received-as-sent-unforwarded",
    area: "carbons",
    requirements: ["CARBONS-RECV-WRAP"],
    description: "received copies are wrapped in <sent/> instead of <received/>, and carry the message directly in it, with no <forwarded/> around it",
    fault: when(
      (el) => Boolean(el.getChild("received", CARBONS)?.getChild("forwarded", FORWARD)),
      (el) =>
        changed(el, (c) => {
          const w = c.getChild("received", CARBONS)!;
          w.name = "sent";
          w.children = w.getChild("forwarded", FORWARD)!.getChildren("message");
        }),
    ),
  },
  {
    id: "carbons.enable-for-addressee",
    area: "carbons",
    requirements: ["CARBONS-REQ-01"],
    description: "a client's <enable/> sent to another user's bare JID is answered with a result and turns on Carbons for that user's resources",
    stream: enableForAddressee(),
  },
  {
    // Thirty-fifth audit (2026-11-27, carbons-disable-other-user): the <disable/> counterpart of the one above, the
    // positive control of that case's copy after another user's request (CARBONS-DISABLE-02).
    id: "carbons.disable-for-addressee",
    area: "carbons",
    requirements: ["CARBONS-DISABLE-02"],
    description: "a client's <disable/> sent to another user's bare JID is answered as the server answers it and turns off that user's Carbons (no more copies to its resources)",
    stream: (() => {
      const off = new Set<string>();
      return {
        fromClient: (el: Element, { conn }: FaultContext) => {
          if (isDisable(el) && el.attrs.to && !String(el.attrs.to).includes("/") && bare(el.attrs.to) !== bare(conn.jid)) off.add(bare(el.attrs.to)!);
        },
        element: (el: Element, { conn }: FaultContext): FaultAction => (conn.jid && off.has(bare(conn.jid)!) && isCopy(el) ? "drop" : "pass"),
      };
    })(),
  },
  {
    id: "carbons.private-copied",
    area: "carbons",
    requirements: ["CARBONS-PRIV-SENT", "CARBONS-PRIV-RECV"],
    description: "messages marked <private/> with the <no-copy/> hint are copied like any other, to the recipient's and the sender's other resources",
    // Prosody removes <private/> from what it delivers (XEP-0280 §9's note: earlier versions asked for that), so the hint marks it too.
    fault: (el, { conn, peers }) => (routedMessage(el, conn) && (el.getChild("private", CARBONS) || el.getChild("no-copy", "urn:xmpp:hints")) ? copiedAround(el, conn, peers) : "pass"),
  },
  {
    // Sixty-first audit (2026-11-28): carbons-private-no-copy looked only for <received/> and <sent/> wrappers, so
    // copies of a private message forwarded unwrapped passed both MUST NOTs: old file pass -> new file fail
    // (CARBONS-PRIV-SENT, CARBONS-PRIV-RECV), Prosody 13.
    id: "carbons.private-copied-unwrapped",
    area: "carbons",
    requirements: ["CARBONS-PRIV-SENT", "CARBONS-PRIV-RECV"],
    description: "messages marked <private/> with the <no-copy/> hint are copied to the recipient's and the sender's other resources, as a bare <forwarded/> with no Carbons wrapper",
    fault: (el, { conn, peers }) => {
      if (!(routedMessage(el, conn) && (el.getChild("private", CARBONS) || el.getChild("no-copy", "urn:xmpp:hints")))) return "pass";
      for (const p of sameAccount(conn, peers)) p.deliver(forwardedCopy(p.jid!, el));
      for (const p of peers()) if (p.jid && p.jid !== el.attrs.from && bare(p.jid) === bare(el.attrs.from)) p.deliver(forwardedCopy(p.jid, el));
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
  // Twentieth audit: carbons-copy-bounce bounced the copy without its 'id', so a server that tells its copies'
  // bounces by an id of its own never saw one and the case passed; the bounce now carries the copy's 'id' (RFC 6120
  // §8.3.1) where it has one, and both cells (received: juliet gets the error; sent: romeo/r1) fail.
  {
    id: "carbons.copy-bounce-by-id",
    area: "carbons",
    requirements: ["CARBONS-ERR-01"],
    description: "copies carry an id of the server's making, and an error a copy's receiver sends back with that id is forwarded to the original message's sender",
    stream: copyBounceById(),
  },
  // Forty-fifth audit: carbons-copy-bounce's bounces all carried the original XML, so a server that tells a
  // carbon's bounce by its <received/> or <sent/> (what §10.3 "The server MUST NOT rely on the <sent/> or
  // <received/> elements in the bounce" forbids) and forwards any other was never seen to; r2 now also bounces the
  // copy with its 'id' and only an <error/>, and both cells fail.
  {
    id: "carbons.copy-bounce-unless-wrapped",
    area: "carbons",
    requirements: ["CARBONS-ERR-01"],
    description:
      "copies carry an id of the server's making; an error with that id is dropped when it holds a <received/> or <sent/> (the original XML) and otherwise forwarded to the original message's sender",
    stream: copyBounceById(true),
  },
  // Eighty-first audit (round 81): carbons-copy-bounce took a copy only in a <received/> or <sent/> of
  // urn:xmpp:carbons:2, so this one (its wrapper in urn:xmpp:carbons:1) warned CARBONS-ELIG-CHAT and left
  // CARBONS-ERR-01 unjudged; the outcomes other-ns-with-id and other-ns-no-id take it (both cells on Prosody 13:
  // warn -> fail on ERR-01).
  {
    id: "carbons.copy-bounce-by-id-other-ns",
    area: "carbons",
    requirements: ["CARBONS-ERR-01"],
    description: "copies carry an id of the server's making and their wrapper in urn:xmpp:carbons:1; an error a copy's receiver sends back with that id is forwarded to the original message's sender",
    stream: copyBounceById(false, true),
  },
  {
    id: "carbons.remote-request-accepted",
    area: "carbons",
    requirements: ["CARBONS-ENABLE-02", "CARBONS-DISABLE-02"],
    description: "an <enable/> or <disable/> from a client of another server, sent to a local user's bare JID, is answered with a result (and enables or disables nothing)",
    stream: remoteRequestAccepted(),
  },
  {
    id: "carbons.disable-breaks-routing",
    area: "carbons",
    requirements: ["DELIVERY-MSG-FULLMATCH-*"],
    description: "once a resource has disabled Carbons, chat messages between its account and others are no longer delivered",
    stream: (() => {
      const disabled = new Set<string>();
      return {
        fromClient: (el: Element, ctx: FaultContext) => void (isDisable(el) && ctx.conn.jid && disabled.add(bare(ctx.conn.jid))),
        element: (el: Element, ctx: FaultContext): FaultAction =>
          routedMessage(el, ctx.conn) && el.attrs.type === "chat" && (disabled.has(bare(ctx.conn.jid)) || disabled.has(bare(el.attrs.from))) ? "drop" : "pass",
      };
    })(),
  },
  // §6.1's eligibility rules, REQUIRED where urn:xmpp:carbons:rules:0 is advertised (§6.2): each fault leaves one kind out.
  {
    id: "carbons.chat-not-copied",
    area: "carbons",
    requirements: ["CARBONS-ELIG-CHAT", "CARBONS-RULES-CHAT"],
    description: "messages of type chat are not copied (only MUC private messages, by their own rule, still are)",
    fault: notCopied((m) => m.attrs.type === "chat" && !isMucPm(m)),
  },
  {
    id: "carbons.normal-not-copied",
    area: "carbons",
    requirements: ["CARBONS-ELIG-NORMAL", "CARBONS-RULES-NORMAL"],
    description: "messages of type normal with a <body/> are not copied: the server copies chat messages only",
    fault: notCopied((m) => isNormal(m) && Boolean(m.getChild("body"))),
  },
  {
    id: "carbons.payload-not-copied",
    area: "carbons",
    requirements: ["CARBONS-ELIG-PAYLOAD", "CARBONS-RULES-PAYLOAD"],
    description: "a message without a body that carries a receipt, a chat state or a displayed marker is not copied",
    fault: notCopied((m) => isNormal(m) && !m.getChild("body") && hasPayload(m)),
  },
  {
    id: "carbons.invite-not-copied",
    area: "carbons",
    requirements: ["CARBONS-MUC-INVITE", "CARBONS-RULES-INVITE"],
    description: "a message carrying a direct MUC invitation (jabber:x:conference) is not copied",
    fault: notCopied(isInvite),
  },
  {
    id: "carbons.error-not-copied",
    area: "carbons",
    requirements: ["CARBONS-ELIG-ERROR", "CARBONS-RULES-ERROR"],
    description: "an error reply to an eligible message is not copied",
    fault: notCopied((m) => m.attrs.type === "error"),
  },
  // Seventy-third audit (round 73): carbons-error-reply's r2 check asked for the error's copy in the cell's wrapper
  // with the forwarded message in jabber:client, so a server that copies the error reply (§6.1's rule held) in the
  // wrong wrapper or namespace failed CARBONS-RULES-ERROR; any Carbons copy of the error now shows the cell's rule,
  // and its form is judged by CARBONS-RECV-WRAP and CARBONS-FWD-NS (carbons-error-reply/received-rules on Prosody
  // 13: fail on CARBONS-RULES-ERROR -> fail on CARBONS-RECV-WRAP, resp. CARBONS-FWD-NS, CARBONS-RULES-ERROR pass).
  {
    id: "carbons.error-copied-as-sent",
    area: "carbons",
    requirements: ["CARBONS-RECV-WRAP"],
    description: "an error reply routed to a resource is copied to the account's other resources, wrapped in <sent/> instead of <received/>",
    fault: (el, { conn, peers }) => {
      if (el.name !== "message" || el.attrs.type !== "error" || isCopy(el) || isBarrier(el) || !String(el.attrs.from ?? "").includes("/") || bare(el.attrs.from) === bare(conn.jid)) return "pass";
      for (const p of sameAccount(conn, peers)) p.deliver(carbon("sent", p.jid!, el));
      return "pass";
    },
  },
  {
    id: "carbons.error-copied-server-ns",
    area: "carbons",
    requirements: ["CARBONS-FWD-NS"],
    description: "an error reply routed to a resource is copied to the account's other resources in <received/>, the forwarded message in jabber:server",
    fault: (el, { conn, peers }) => {
      if (el.name !== "message" || el.attrs.type !== "error" || isCopy(el) || isBarrier(el) || !String(el.attrs.from ?? "").includes("/") || bare(el.attrs.from) === bare(conn.jid)) return "pass";
      for (const p of sameAccount(conn, peers)) {
        const copy = carbon("received", p.jid!, el);
        forwardedOf(copy)!.attrs.xmlns = "jabber:server";
        p.deliver(copy);
      }
      return "pass";
    },
  },
  // Eighty-first audit (round 81): carbons-error-reply took a copy of the error only in a <received/> or <sent/> of
  // urn:xmpp:carbons:2 or a bare <forwarded/>, so this one matched no outcome and charged the cell's rule, leaving
  // CARBONS-RECV-WRAP unjudged; the outcome other-ns takes it (carbons-error-reply/received-rules on Prosody 13: fail
  // on CARBONS-RULES-ERROR -> RULES-ERROR pass, fail on CARBONS-RECV-WRAP).
  {
    id: "carbons.error-copied-other-ns",
    area: "carbons",
    requirements: ["CARBONS-RECV-WRAP"],
    description: "an error reply routed to a resource is copied to the account's other resources in a <received/> of urn:xmpp:carbons:1 instead of urn:xmpp:carbons:2",
    fault: (el, { conn, peers }) => {
      if (el.name !== "message" || el.attrs.type !== "error" || isCopy(el) || isBarrier(el) || !String(el.attrs.from ?? "").includes("/") || bare(el.attrs.from) === bare(conn.jid)) return "pass";
      for (const p of sameAccount(conn, peers)) p.deliver(inOtherNs(carbon("received", p.jid!, el)));
      return "pass";
    },
  },
  {
    id: "carbons.muc-pm-not-copied",
    area: "carbons",
    requirements: ["CARBONS-MUC-PM-OUT", "CARBONS-RULES-PM-OUT"],
    description: "a chat message with the MUC user <x/> the user sends to a full JID (a MUC private message) is taken for MUC traffic and not copied",
    fault: (el) => (el.getChild("sent", CARBONS) && forwardedOf(el) && isMucPm(forwardedOf(el)!) ? "drop" : "pass"),
  },
  // Twenty-fourth audit: carbons-sent's pm cells sent the "private message" to juliet's own full JID, so a server
  // that tracks its users' rooms and copies no outgoing private message to an occupant copied that one as a chat
  // message and passed; the cells now send it to juliet's occupant JID in a room both entered, and warn (pm) or
  // fail (pm-rules, CARBONS-RULES-PM-OUT at MUST).
  {
    id: "carbons.muc-pm-to-occupant-not-copied",
    area: "carbons",
    requirements: ["CARBONS-MUC-PM-OUT", "CARBONS-RULES-PM-OUT"],
    description: "a private message the user sends to an occupant JID of a room it entered is taken for MUC traffic the room replicates and not copied (a chat message to a user's full JID still is)",
    stream: mucPmToOccupantNotCopied(),
  },
  {
    id: "carbons.groupchat-copied",
    area: "carbons",
    requirements: ["CARBONS-MUC-GROUPCHAT", "CARBONS-RULES-GROUPCHAT"],
    description: "messages of type groupchat are copied like chat messages, to the recipient's and the sender's other resources",
    fault: (el, { conn, peers }) => (routedMessage(el, conn) && el.attrs.type === "groupchat" ? copiedAround(el, conn, peers) : "pass"),
  },
  {
    // Sixty-fourth audit (2026-11-29): §6.2's "this exact set of rules" makes §6.1's eligibility a MUST both ways where
    // urn:xmpp:carbons:rules:0 is advertised; carbons-not-copied's new -rules cells for a headline and a bodyless
    // normal message fail where this is copied (CARBONS-RULES-NOTIM), the others warn (CARBONS-ELIG-01).
    id: "carbons.not-im-copied",
    area: "carbons",
    requirements: ["CARBONS-ELIG-01", "CARBONS-RULES-NOTIM"],
    description: "a headline, and a message of type normal with neither body nor IM payload, are copied like chat messages, to the recipient's and the sender's other resources",
    // The harness's barrier markers are such messages too: a server that copies them breaks this rule alone, and
    // the harness takes the copies aside (seventy-third audit, round 73: a copy of a marker at a Carbons-enabled
    // resource failed carbons-not-copied/private-rules/sent's CARBONS-RULES-PRIVATE on ejabberd 24.12).
    fault: (el, { conn, peers }) => {
      if (!routedMessage(el, conn, true)) return "pass";
      const type = String(el.attrs.type ?? "normal");
      const im = ["urn:xmpp:receipts", "http://jabber.org/protocol/chatstates", "urn:xmpp:chat-markers:0"];
      const notIm = type === "headline" || (type === "normal" && !el.getChild("body") && !el.children.some((c) => typeof c !== "string" && im.includes(String(c.attrs.xmlns))));
      return notIm ? copiedAround(el, conn, peers) : "pass";
    },
  },
  {
    id: "carbons.private-needs-hint",
    area: "carbons",
    requirements: ["CARBONS-ELIG-PRIVATE", "CARBONS-RULES-PRIVATE"],
    description: "a message with <private/> but without the <no-copy/> hint is copied like any other (the server honours <private/> only with the hint)",
    stream: privateWithoutHintCopied(),
  },
  // §10.1: enabling and disabling several times in one session.
  {
    id: "carbons.enable-again-refused",
    area: "carbons",
    requirements: ["CARBONS-MULTI-02", "CARBONS-MULTI-03"],
    description: "a second <enable/> while Carbons are already on is refused with not-allowed (Carbons stay on)",
    stream: enableAgainRefused(),
  },
  {
    // Thirty-third audit: carbons-disable and carbons-disable-twice/enabled judged a refused <disable/> (XEP-0280 §5: "If
    // the server cannot disable Carbons for this client, it sends an IQ-error") as a missing result; they now skip
    // naming the refusal, and carbons-disable judges no copy only after a disable that held: warn -> skip (Prosody 13).
    // carbons-enable-disable-again still fails CARBONS-MULTI-01 here (§10.1's MUST).
    id: "carbons.disable-refused",
    area: "carbons",
    requirements: ["CARBONS-MULTI-01"],
    description: "once a client enabled Carbons, its <disable/> is refused with not-allowed and the copies keep coming",
    stream: switchLimited((request, honoured) => (request === "disable" && honoured.includes("enable") ? "refuse" : "honour")),
  },
  {
    // Thirty-second audit: carbons-enable-disable-again's "no copy after the disable" now looks for <received/> and
    // <sent/> copies only (not any message, which a server's own notice may be); this is the server that step
    // is for, so it still warns there (on Prosody 13: warn -> warn, CARBONS-DISABLE-04).
    id: "carbons.disable-ignored",
    area: "carbons",
    // Fifty-eighth audit (2026-11-28): carbons-enable-disable-again charges the copies after its disable to
    // CARBONS-MULTI-01 (XEP-0280 §10.1: "MUST allow the client to enable and disable the protocol multiple times").
    requirements: ["CARBONS-DISABLE-04", "CARBONS-MULTI-01"],
    description: "a <disable/> after an <enable/> is answered with a result, but the copies keep coming",
    stream: switchLimited((request, honoured) => (request === "disable" && honoured.includes("enable") ? "ignore" : "honour")),
  },
  {
    id: "carbons.reenable-refused",
    area: "carbons",
    requirements: ["CARBONS-MULTI-01"],
    description: "an <enable/> after a <disable/> in the same session is refused with not-allowed",
    stream: switchLimited((request, honoured) => (request === "enable" && honoured.includes("disable") ? "refuse" : "honour")),
  },
  {
    id: "carbons.reenable-ignored",
    area: "carbons",
    requirements: ["CARBONS-MULTI-01"],
    description: "an <enable/> after a <disable/> in the same session is answered with a result, but no copies come any more",
    stream: switchLimited((request, honoured) => (request === "enable" && honoured.includes("disable") ? "ignore" : "honour")),
  },
  {
    // Thirty-second audit: carbons-enable-disable-again took the copy after the second enable as any message at
    // r2 (`receives: <message/>`), so a server that ignores the re-enable (carbons.reenable-ignored) but sends r2
    // a headline notice after that result passed CARBONS-MULTI-01; the step now takes only a <received/> copy
    // that came after m3 was sent (on Prosody 13: pass -> fail, CARBONS-MULTI-01).
    id: "carbons.reenable-ignored-noticed",
    area: "carbons",
    requirements: ["CARBONS-MULTI-01"],
    description:
      "an <enable/> after a <disable/> in the same session is answered with a result, but no copies come any more; the server also sends that resource a headline notice of its own after that result",
    stream: both(
      switchLimited((request, honoured) => (request === "enable" && honoured.includes("disable") ? "ignore" : "honour"))!,
      noticeAfter((request, disabled) => request === "enable" && disabled),
    ),
  },
  // Forty-first audit: carbons-received counted a bare XEP-0297 <forwarded/> as a copy at r2 and r3 but looked at
  // the addressee (r1) and the resource without Carbons (r4) only for the <received/> and <sent/> wrappers, so
  // such a forwarded copy there passed CARBONS-RECV-ADDRESSEE and CARBONS-REQ-01.
  {
    id: "carbons.unwrapped-to-addressee",
    area: "carbons",
    requirements: ["CARBONS-RECV-ADDRESSEE"],
    description:
      "besides the original message, its addressee gets a forwarded copy of it (an XEP-0297 <forwarded/> from the user's bare JID, with no Carbons wrapper); the Carbons-enabled resources get their copies as they should",
    fault: (el, { conn }) => (routedMessage(el, conn) && !el.getChild("forwarded", FORWARD) && el.attrs.to === conn.jid ? [el, forwardedCopy(conn.jid!, el)] : "pass"),
  },
  {
    id: "carbons.unwrapped-to-non-enabled",
    area: "carbons",
    requirements: ["CARBONS-REQ-01"],
    description: "a message to one of the user's resources is also sent, as an XEP-0297 <forwarded/> copy with no Carbons wrapper, to each other resource of the user that never enabled Carbons",
    stream: (() => {
      const enabled = new Set<string>();
      return {
        fromClient: (el, { conn }) => {
          if (isEnable(el) && conn.jid) enabled.add(conn.jid);
        },
        element: (el, { conn, peers }) => {
          if (!routedMessage(el, conn) || el.getChild("forwarded", FORWARD)) return "pass";
          for (const p of sameAccount(conn, peers)) if (!enabled.has(p.jid!)) p.deliver(forwardedCopy(p.jid!, el));
          return "pass";
        },
      } satisfies StreamFault;
    })(),
  },
  {
    // Sixty-first audit (class note of carbons-private-no-copy): carbons-disable, carbons-enable-disable-again,
    // carbons-enable-other-user, carbons-enable-remote-user and carbons-not-copied looked for no copy in the <received/>
    // and <sent/> wrappers only, so a copy forwarded without its wrapper passed.
    id: "carbons.unwrapped-to-every-resource",
    area: "carbons",
    requirements: ["CARBONS-REQ-01", "CARBONS-DISABLE-04", "CARBONS-MULTI-01"],
    description:
      "a message to one of the user's resources is also sent, as an XEP-0297 <forwarded/> copy with no Carbons wrapper, to each other resource of the user, whether it enabled Carbons, disabled them or never asked, and whatever the message",
    stream: {
      element: (el, { conn, peers }) => {
        if (!routedMessage(el, conn) || el.getChild("forwarded", FORWARD)) return "pass";
        for (const p of sameAccount(conn, peers)) p.deliver(forwardedCopy(p.jid!, el));
        return "pass";
      },
    },
  },
  // Forty-ninth audit: carbons-sent counted a bare XEP-0297 <forwarded/> as a copy at r2 and r3 but looked at the
  // sender (r1) and the resource without Carbons (r4) only for the <sent/> and <received/> wrappers, so such a
  // forwarded copy there passed CARBONS-SENT-SENDER and CARBONS-REQ-01 (the received side's gap, above). Both key on
  // the message the client sends, so a private message to a room occupant (the pm cells) is copied too.
  {
    id: "carbons.unwrapped-to-sender",
    area: "carbons",
    requirements: ["CARBONS-SENT-SENDER"],
    description:
      "a Carbons-enabled resource that sends a message to another entity gets a forwarded copy of it back (an XEP-0297 <forwarded/> from the user's bare JID, with no Carbons wrapper); the other Carbons-enabled resources get their copies as they should",
    stream: sentUnwrapped((sender, _others, enabled) => (enabled.has(sender.jid!) ? [sender] : [])),
  },
  {
    id: "carbons.sent-unwrapped-to-non-enabled",
    area: "carbons",
    requirements: ["CARBONS-REQ-01"],
    description:
      "a message one of the user's resources sends to another entity is also sent, as an XEP-0297 <forwarded/> copy with no Carbons wrapper, to each other resource of the user that never enabled Carbons",
    stream: sentUnwrapped((_sender, others, enabled) => others.filter((p) => !enabled.has(p.jid!))),
  },
  // Fifty-first audit (2026-11-28): carbons-sent-sender-not-enabled: a copy with no wrapper at all (the message
  // itself, from the user's bare JID) matched none of its outcomes and warned CARBONS-SENT-02 ("no copy"), leaving
  // CARBONS-SENT-WRAP's MUST unjudged. The outcome plain takes it: warn -> fail (CARBONS-SENT-WRAP) on Prosody 13.
  {
    id: "carbons.sent-plain",
    area: "carbons",
    requirements: ["CARBONS-SENT-WRAP"],
    description: "sent copies go out as the plain message (the forwarded message's children, with no <sent/> or <forwarded/> wrapper), from the user's bare JID",
    fault: (el) => {
      const inner = el.name === "message" ? el.getChild("sent", CARBONS)?.getChild("forwarded", FORWARD)?.getChild("message") : undefined;
      if (!inner) return "pass";
      return changed(el, (c) => {
        const i = c.getChild("sent", CARBONS)!.getChild("forwarded", FORWARD)!.getChild("message")!;
        c.children = i.children;
        if (i.attrs.type) c.attrs.type = i.attrs.type;
      });
    },
  },
  {
    // Class sweep (2026-11-28, group S2): carbons-discovery: a server without Carbons that never answers <enable/>
    // breaks RFC 6120's IQ rule (STANZA-IQ-01), not XEP-0280 §3 (how an entity that supports the protocol
    // advertises it); the case judged it as CARBONS-DISCO-01.
    id: "carbons.enable-unanswered",
    area: "carbons",
    requirements: ["STANZA-IQ-01"],
    description: "the server answers no <enable/> of Carbons (neither a result nor an error), enables nothing, and lists no urn:xmpp:carbons:2 in any disco#info",
    stream: unansweredUnlisted((el) => el.attrs.type === "set" && Boolean(el.getChild("enable", CARBONS)), [CARBONS]),
  },
  {
    // Fifty-fifth audit (2026-11-28): carbons-enable-disable-again: an unanswered <disable/> (or re-<enable/>) the server
    // applied failed CARBONS-MULTI-01 (§10.1, "MUST allow the client to enable and disable"), though the server allowed
    // it; the missing answer is RFC 6120 §8.2.3's (STANZA-IQ-01).
    id: "carbons.disable-unanswered",
    area: "carbons",
    requirements: ["STANZA-IQ-01"],
    description: "a <disable/> after an <enable/> is applied (no more copies to that resource), but its IQ result is never sent",
    stream: switchUnanswered("disable"),
  },
  {
    // Fifty-fifth audit (2026-11-28): carbons-enable-disable-again: as carbons.disable-unanswered, for the second <enable/>.
    id: "carbons.reenable-unanswered",
    area: "carbons",
    requirements: ["STANZA-IQ-01"],
    description: "an <enable/> after a <disable/> is applied (copies come again), but its IQ result is never sent",
    stream: switchUnanswered("enable"),
  },
  {
    // Sixty-first audit (2026-11-28): carbons-received, carbons-sent: every check hung on a chain of the resources'
    // enable answers, so one unanswered <enable/> (CARBONS-ENABLE-01's derived SHOULD) left every copy rule of the
    // case unjudged; each check now waits only for the enables of the resources it looks at.
    id: "carbons.first-enable-unanswered",
    area: "carbons",
    requirements: ["STANZA-IQ-01"],
    description: "the first <enable/> of Carbons an account sends is applied, but its IQ result is never sent; later enables are answered",
    stream: (() => {
      const accounts = new Set<string>();
      const unanswered = new Set<string>();
      return {
        fromClient: (el, { conn }) => {
          if (!isEnable(el) || !conn.jid || accounts.has(bare(conn.jid))) return;
          accounts.add(bare(conn.jid));
          unanswered.add(`${conn.id} ${el.attrs.id}`);
        },
        element: (el, { conn }) => (el.name === "iq" && el.attrs.type === "result" && unanswered.delete(`${conn.id} ${el.attrs.id}`) ? "drop" : "pass"),
      } satisfies StreamFault;
    })(),
  },
  {
    // Fifty-ninth audit (2026-11-28): carbons-received: r3's copy counted only in a <received/> wrapper and its form was
    // never judged, so this copy (a copy all the same, in the wrong wrapper) took 'not-copied' there and warned
    // CARBONS-RECV-01 (no copy), leaving CARBONS-RECV-WRAP's MUST unjudged; r3's copy now has r2's split.
    id: "carbons.received-last-as-sent",
    area: "carbons",
    requirements: ["CARBONS-RECV-WRAP"],
    description:
      "the received copy to the resource that enabled Carbons last is wrapped in <sent/> instead of <received/> (its <forwarded/> kept), where three or more of the account's resources enabled it; the others get theirs as they should",
    stream: copyToLast("received", (c) => (c.getChild("received", CARBONS)!.name = "sent")),
  },
  {
    // Fifty-ninth audit (2026-11-28): carbons-received: r3's copy was taken for "it came" only, so a copy in the right
    // wrapper but from the server's domain passed CARBONS-RECV-FROM (MUST) there; it is now judged as r2's is.
    id: "carbons.received-last-from-domain",
    area: "carbons",
    requirements: ["CARBONS-RECV-FROM"],
    description:
      "the received copy to the resource that enabled Carbons last comes from the server's domain instead of the user's bare JID, where three or more of the account's resources enabled it; the others get theirs as they should",
    stream: copyToLast("received", (c) => (c.attrs.from = String(bare(c.attrs.to)).split("@")[1])),
  },
  {
    // Fifty-ninth audit (2026-11-28), class note of carbons-received: carbons-sent: r3's copy counted only in a <sent/>
    // wrapper (or as the plain message), so this copy took 'not-copied' there and warned CARBONS-SENT-01 (no copy),
    // leaving CARBONS-SENT-WRAP's MUST unjudged; r3's copy now has r2's split.
    id: "carbons.sent-last-as-received",
    area: "carbons",
    requirements: ["CARBONS-SENT-WRAP"],
    description:
      "the sent copy to the resource that enabled Carbons last is wrapped in <received/> instead of <sent/> (its <forwarded/> kept), where three or more of the account's resources enabled it; the others get theirs as they should",
    stream: copyToLast("sent", (c) => (c.getChild("sent", CARBONS)!.name = "received")),
  },
  {
    // Fifty-ninth audit (2026-11-28), class note of carbons-received: carbons-sent: as carbons.received-last-from-domain,
    // for the sent copy (CARBONS-SENT-FROM, MUST).
    id: "carbons.sent-last-from-sender",
    area: "carbons",
    requirements: ["CARBONS-SENT-FROM"],
    description:
      "the sent copy to the resource that enabled Carbons last comes from a full JID of the user instead of the bare JID, where three or more of the account's resources enabled it; the others get theirs as they should",
    stream: copyToLast("sent", (c) => (c.attrs.from = `${bare(c.attrs.to)}/elsewhere`)),
  },
];

/**
 * Copies of one kind to the resource that enabled Carbons last, where three or more of the account's resources
 * enabled it, are changed by `edit`; the other resources' copies are left as the server made them.
 */
function copyToLast(kind: "received" | "sent", edit: (copy: Element) => void): StreamFault {
  return byEnableOrder((el, jid, order) => (el.name === "message" && el.getChild(kind, CARBONS) && order.length >= 3 && order.at(-1) === jid ? changed(el, edit) : "pass"));
}

/**
 * A message a client sends to another entity (not an error, not the harness's barrier, not itself a forwarded
 * copy) also goes, as an XEP-0297 <forwarded/> copy from the user's bare JID with no Carbons wrapper (the message
 * inside stamped with the sender's full JID), to the connections `to` picks among the sender and the account's
 * other resources (`enabled`: the full JIDs that asked to enable Carbons).
 */
function sentUnwrapped(to: (sender: ProxiedConnection, others: ProxiedConnection[], enabled: Set<string>) => ProxiedConnection[]): StreamFault {
  const enabled = new Set<string>();
  return {
    fromClient: (el, { conn, peers }) => {
      if (!conn.jid) return;
      if (isEnable(el)) enabled.add(conn.jid);
      if (el.name !== "message" || el.attrs.type === "error" || isBarrier(el) || el.getChild("forwarded", FORWARD)) return;
      if (!el.attrs.to || bare(el.attrs.to) === bare(conn.jid)) return;
      const original = copyOf(el);
      original.attrs.from = conn.jid;
      for (const p of to(conn, sameAccount(conn, peers), enabled)) p.deliver(forwardedCopy(p.jid!, original));
    },
  };
}

/**
 * A server that also sends a resource a headline notice of its own (from its domain: no copy, no message
 * another entity sent; RFC 6121 §5.2.2 "headline" is for "an alert, a notification, or other transient
 * information") right after its result to that resource's Carbons request `which` picks (`disabled`: the
 * connection had a <disable/> answered with a result before).
 */
function noticeAfter(which: (request: Switch, disabled: boolean) => boolean): StreamFault {
  const asked = new Map<string, Switch>();
  const disabled = new Set<number>();
  return {
    fromClient: (el, { conn }) => {
      if (isEnable(el) || isDisable(el)) asked.set(`${conn.id} ${el.attrs.id}`, isEnable(el) ? "enable" : "disable");
    },
    element: (el, { conn }) => {
      const key = `${conn.id} ${el.attrs.id}`;
      const request = el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") ? asked.get(key) : undefined;
      if (!request || !conn.jid) return "pass";
      asked.delete(key);
      if (el.attrs.type !== "result") return "pass";
      const notify = which(request, disabled.has(conn.id));
      if (request === "disable") disabled.add(conn.id);
      if (!notify) return "pass";
      const headline = new Element("message", { type: "headline", from: String(bare(conn.jid)).split("@")[1], to: conn.jid });
      headline.c("body").t("Server notice: maintenance tonight");
      return [el, headline];
    },
  };
}

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
    // Thirty-second audit: carbons-enable-disable-again judged "no copy after the disable" as no message at all at
    // r2 (`receives nothing: <message/>`), and carbons-private-no-copy "no forwarded copy" the same way at r2, r3
    // and chamber, so this server warned CARBONS-DISABLE-04 and failed CARBONS-PRIV-SENT / CARBONS-PRIV-RECV; the
    // steps now look for <received/> and <sent/> copies only (on Prosody 13: warn -> pass, fail -> pass). It
    // needs to see the requests (`stream`): in the run of every variation at once it changes nothing.
    id: "carbons-notice-after-request",
    description:
      'after its result to an <enable/> or a <disable/>, the server sends that resource a headline notice of its own from its domain (RFC 6121 §5.2.2: a headline is for "an alert, a notification, or other transient information"; no rule of XEP-0280 keeps a server\'s own messages from a resource)',
    fault: () => "pass",
    stream: noticeAfter(() => true),
  },
  {
    // Thirty-second audit: carbons-received and carbons-sent judged "r4, which never enabled Carbons, gets no
    // protocol it did not ask for" (CARBONS-REQ-01) as no message at all at r4 (`receives nothing: <message/>`),
    // so this server failed CARBONS-REQ-01 there; the steps now look for <received/> and <sent/> copies only (on
    // Prosody 13: fail -> pass). It needs to see the requests (`stream`): in the run of every variation at once
    // it changes nothing.
    id: "carbons-notice-to-other-resources",
    description:
      'when it sends a Carbons copy, the server also tells the account\'s online resources that have not enabled Carbons, once each, with a headline notice of its own from its domain (RFC 6121 §5.2.2: a headline is for "an alert, a notification, or other transient information")',
    fault: () => "pass",
    stream: (() => {
      const asked = new Set<string>();
      const enabled = new Set<number>();
      const told = new Set<number>();
      return {
        fromClient: (el, { conn }) => void (isEnable(el) && asked.add(`${conn.id} ${el.attrs.id}`)),
        element: (el, { conn, peers }) => {
          if (el.name === "iq" && el.attrs.type === "result" && asked.delete(`${conn.id} ${el.attrs.id}`)) enabled.add(conn.id);
          if (!isCopy(el) || !conn.jid) return "pass";
          for (const p of sameAccount(conn, peers))
            if (!enabled.has(p.id) && !told.has(p.id)) {
              told.add(p.id);
              const headline = new Element("message", { type: "headline", from: String(bare(conn.jid)).split("@")[1], to: p.jid });
              headline.c("body").t("Server notice: your messages are copied to your other devices");
              p.deliver(headline);
            }
          return "pass";
        },
      } satisfies StreamFault;
    })(),
  },
  {
    // Thirty-second audit: carbons-enable-other-user judged "romeo/r2 gets no Carbons protocol" as no message at
    // all at r2 (`receives nothing: <message/>`), so this server failed CARBONS-REQ-01 there; the step now looks
    // for <received/> and <sent/> copies only (on Prosody 13: fail -> pass). It needs to see the request
    // (`stream`): in the run of every variation at once it changes nothing.
    id: "carbons-notice-on-foreign-request",
    description:
      "when another user sends a Carbons request to a user's bare JID, the server answers it and tells that user's online resources with a headline notice of its own from its domain (RFC 6121 §5.2.2: a headline is for \"an alert, a notification, or other transient information\")",
    fault: () => "pass",
    stream: (() => {
      const asked = new Map<string, string>();
      return {
        fromClient: (el, { conn }) => {
          if ((isEnable(el) || isDisable(el)) && el.attrs.to && conn.jid && bare(el.attrs.to) !== bare(conn.jid)) asked.set(`${conn.id} ${el.attrs.id}`, String(bare(el.attrs.to)));
        },
        element: (el, { conn, peers }) => {
          const key = `${conn.id} ${el.attrs.id}`;
          const target = el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") ? asked.get(key) : undefined;
          if (!target) return "pass";
          asked.delete(key);
          for (const p of peers())
            if (p.jid && bare(p.jid) === target) {
              const headline = new Element("message", { type: "headline", from: target.split("@")[1], to: p.jid });
              headline.c("body").t(`Server notice: ${String(bare(conn.jid))} asked to change your Carbons`);
              p.deliver(headline);
            }
          return "pass";
        },
      } satisfies StreamFault;
    })(),
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
