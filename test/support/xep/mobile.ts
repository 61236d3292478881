import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { bare, type Fault, type FaultContext, type ProxiedConnection, type StreamFault } from "../fault-proxy.ts";
import { STANZAS, answering, changed, copyOf, unansweredUnlisted, when, type FaultDef } from "../fault-kit.ts";
import type { Variation } from "../variations.ts";

/**
 * XEP-0198 Stream Management, XEP-0352 Client State Indication and XEP-0357 Push Notifications: server bugs the
 * mobile cases must catch, and what the three XEPs allow that Prosody and ejabberd do not show. Stream
 * management's elements (<enabled/>, <a/>, <resumed/>, <failed/>) are not stanzas and come on streams that are
 * not bound yet (a resumed stream never binds): those faults are stream faults, which see every element of a
 * connection, and the client's side (fromClient) where a fault depends on what the client asked.
 */
const SM = "urn:xmpp:sm:3";
const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const CSI = "urn:xmpp:csi:0";
const PUSH = "urn:xmpp:push:0";
const PUBSUB = "http://jabber.org/protocol/pubsub";
const DISCO_INFO = "http://jabber.org/protocol/disco#info";
const BARRIER = "urn:xmpp-conform:barrier";
const SASL2 = "urn:xmpp:sasl:2";
const BIND2 = "urn:xmpp:bind:0";
const CHATSTATES = "http://jabber.org/protocol/chatstates";

const isSm = (el: Element, name?: string) => el.attrs.xmlns === SM && (!name || el.name === name);
const isStanza = (el: Element) => ["message", "presence", "iq"].includes(el.name) && (el.attrs.xmlns === undefined || el.attrs.xmlns === "jabber:client");
const isMarker = (el: Element) => el.name === "message" && Boolean(el.getChild("barrier", BARRIER));

/** What the proxy saw of each connection's stream management: the client's latest request, SASL, inactivity. */
interface SmState {
  /** The server said <success/> to SASL on this connection. */
  authenticated?: boolean;
  /** The client's latest <enable/> or <resume/>, with what it said. */
  request?: Element;
  /** The client said <inactive/> (XEP-0352) and not <active/> since. */
  inactive?: boolean;
  /** The client said <active/> at least once. */
  saidActive?: boolean;
  /** After <resumed/>: the first resent message is still to come. */
  resumedAt?: number;
  /** After <enabled/>: the SM-ID, to file the stanzas sent on this stream under it. */
  smid?: string;
  /** The server said <enabled/> on this stream. */
  enabled?: boolean;
  /** Stanzas held back for the client (a CSI fault). */
  held?: Element[];
}
const states = new WeakMap<ProxiedConnection, SmState>();
const stateOf = (conn: ProxiedConnection): SmState => {
  let s = states.get(conn);
  if (!s) states.set(conn, (s = {}));
  return s;
};
/** The stanzas the server sent on a stream after its <enabled/>, by SM-ID (for the replay fault). */
const sentUnder = new Map<string, Element[]>();

/** Notes what the client asked (every connection, bound or not): the SM request, CSI state. */
const observe = (el: Element, ctx: FaultContext): void => {
  const s = stateOf(ctx.conn);
  if (isSm(el, "enable") || isSm(el, "resume")) s.request = el;
  if (el.attrs.xmlns === CSI && el.name === "inactive") s.inactive = true;
  if (el.attrs.xmlns === CSI && el.name === "active") {
    s.inactive = false;
    s.saidActive = true;
  }
};
/** Notes what the server sent that later elements depend on: SASL success, the SM-ID. */
const track = (el: Element, ctx: FaultContext): void => {
  const s = stateOf(ctx.conn);
  if (el.attrs.xmlns === SASL && el.name === "success") s.authenticated = true;
  if (isSm(el, "enabled")) s.enabled = true;
  if (isSm(el, "enabled") && el.attrs.id) {
    s.smid = String(el.attrs.id);
    sentUnder.set(s.smid, []);
  }
  if (s.smid && isStanza(el)) sentUnder.get(s.smid)?.push(copyOf(el));
};
/** A stream fault over stream management: `edit` decides what the client gets instead of each element. */
const sm = (edit: (el: Element, s: SmState, ctx: FaultContext) => ReturnType<Fault>): StreamFault => ({
  fromClient: observe,
  element: (el, ctx) => {
    const action = edit(el, stateOf(ctx.conn), ctx);
    track(el, ctx);
    return action;
  },
});
const failedToEnabled = (asked: (s: SmState, ctx: FaultContext) => boolean) =>
  sm((el, s, ctx) => (isSm(el, "failed") && s.request?.name === "enable" && asked(s, ctx) ? [xml("enabled", { xmlns: SM })] : "pass"));
const withAttr = (name: string, value: (old: string) => string) => (el: Element) => changed(el, (c) => (c.attrs[name] = value(String(c.attrs[name] ?? ""))));

/** The stanzas each connection sent since its <enable/> (the proxy's count of what the server handles, for unasked <a/>). */
const sentSinceEnable = new WeakMap<ProxiedConnection, number>();
const countSent = (el: Element, ctx: FaultContext): number | undefined => {
  if (isSm(el, "enable")) sentSinceEnable.set(ctx.conn, 0);
  // A resumed stream carries its count over (XEP-0198 §5): the proxy does not follow it there.
  else if (isSm(el, "resume")) sentSinceEnable.delete(ctx.conn);
  else if (sentSinceEnable.has(ctx.conn) && isStanza(el)) sentSinceEnable.set(ctx.conn, sentSinceEnable.get(ctx.conn)! + 1);
  return sentSinceEnable.get(ctx.conn);
};
/** Raw XML written to the client as it is (a stream error with the closing stream tag after it). */
const rawXml = (text: string) => ({ toString: () => text }) as unknown as Element;
/** The <message/> stanzas each connection sent since its <enable/> (barrier markers aside). */
const messagesSinceEnable = new WeakMap<ProxiedConnection, number>();

/** An <a/> nobody asked for, with the count of what the client sent since its <enable/>. */
const unaskedAck = (ctx: FaultContext) => xml("a", { xmlns: SM, h: String(sentSinceEnable.get(ctx.conn) ?? 0) });

/**
 * A CSI fault: while the client is inactive, the stanzas of other entities that `held` picks are held back; after
 * <active/> they are sent only after the answer to the client's next IQ request (XEP-0352 §5.1 wants them before it).
 */
const flushedAfterNextAnswer = (held: (el: Element) => boolean): StreamFault => {
  const flushing = new WeakSet<ProxiedConnection>();
  return {
    fromClient: (el, ctx) => {
      const was = stateOf(ctx.conn).inactive;
      observe(el, ctx);
      if (was && el.attrs.xmlns === CSI && el.name === "active") flushing.add(ctx.conn);
    },
    element: (el, ctx) => {
      const s = stateOf(ctx.conn);
      const jid = ctx.conn.jid;
      const other = Boolean(jid) && el.attrs.from !== undefined && bare(String(el.attrs.from)) !== bare(jid);
      if (s.inactive && isStanza(el) && other && held(el)) {
        (s.held ??= []).push(copyOf(el));
        return "drop";
      }
      if (flushing.has(ctx.conn) && el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error")) {
        flushing.delete(ctx.conn);
        return [el, ...(s.held?.splice(0) ?? [])];
      }
      return "pass";
    },
  };
};

/** The stanzas the server sent each connection since its <enabled/>, and the connections whose client then acknowledged more. */
const serverSentSinceEnabled = new WeakMap<ProxiedConnection, number>();
const ackedTooHigh = new WeakSet<ProxiedConnection>();
const isStreamError = (el: Element) => el.getName() === "error" && el.getNS() === "http://etherx.jabber.org/streams";
/** Counts what the server sends after <enabled/> (element side) and notes an <a/> of the client's above it (client side). */
const tooHigh = {
  fromClient: (el: Element, ctx: FaultContext): void => {
    observe(el, ctx);
    const sent = serverSentSinceEnabled.get(ctx.conn);
    if (isSm(el, "a") && sent !== undefined && Number(el.attrs.h) > sent) ackedTooHigh.add(ctx.conn);
  },
  count: (el: Element, ctx: FaultContext): void => {
    if (isSm(el, "enabled")) serverSentSinceEnabled.set(ctx.conn, 0);
    else if (isStanza(el) && serverSentSinceEnabled.has(ctx.conn)) serverSentSinceEnabled.set(ctx.conn, serverSentSinceEnabled.get(ctx.conn)! + 1);
  },
};

/** SM-IDs of streams that said <inactive/> and not <active/> since: a resumption of one would restore that state. */
const inactiveSmids = new Set<string>();
/** The user's bare JIDs that disabled a push service, with the JIDs they disabled (the ignores-disable fault). */
const disabled = new Map<string, Set<string>>();
/** A server that keeps publishing to a service after its <disable/>, each publish `delayMs` after the message. */
function ignoresDisable(delayMs: number): StreamFault {
  return {
    fromClient: (el, ctx) => {
      if (!ctx.conn.jid) return;
      const off = el.name === "iq" && el.attrs.type === "set" ? el.getChild("disable", PUSH) : undefined;
      if (off?.attrs.jid) {
        const user = bare(ctx.conn.jid);
        disabled.set(user, (disabled.get(user) ?? new Set()).add(String(off.attrs.jid)));
        return;
      }
      const services = el.name === "message" && el.attrs.to ? disabled.get(bare(String(el.attrs.to))) : undefined;
      for (const jid of services ?? []) {
        const peer = ctx.peers().find((p) => p.jid === jid || bare(p.jid) === jid);
        const publish = xml(
          "iq",
          { type: "set", from: bare(String(el.attrs.to)).split("@")[1], to: peer?.jid ?? jid, id: `xc-push-${Date.now()}` },
          xml("pubsub", { xmlns: PUBSUB }, xml("publish", { node: "xc-disabled" }, xml("item", {}, xml("notification", { xmlns: PUSH })))),
        );
        if (delayMs === 0) peer?.deliver(publish);
        else setTimeout(() => peer?.deliver(publish), delayMs).unref();
      }
    },
  };
}

/** The push services each user enabled, by the user's bare JID: service JID → node (the other-users-service fault). */
const enabledBy = new Map<string, Map<string, string>>();

/** A publish of a push notification, as the user's server sends it to the push service. */
/** The ids of the push <enable/> requests each connection sent (the enable-refused fault). */
const enableIds = new WeakMap<ProxiedConnection, Set<string>>();
/** The node each push service's JID was first enabled with (mobile.push.one-node-per-service). */
const firstNode = new Map<string, string>();

const isPublish = (el: Element) => el.name === "iq" && el.attrs.type === "set" && Boolean(el.getChild("pubsub", PUBSUB)?.getChild("publish")?.getChild("item")?.getChild("notification", PUSH));
const notificationOf = (c: Element) => c.getChild("pubsub", PUBSUB)!.getChild("publish")!.getChild("item")!.getChild("notification", PUSH)!;

/** Who enabled each push service, by "service JID|node": the user's bare JID (the push error faults). */
const pushOwners = new Map<string, string>();
/** The publishes the server sent each connection, by id: a service's IQ error is matched to its publish. */
const publishesTo = new WeakMap<ProxiedConnection, Map<string, Element>>();
/** A publish a service answered with an error, the error's type, and whether the service asked the server anything since. */
interface FailedPublish {
  publish: Element;
  type: string;
  followed: boolean;
}
/** By the user's bare JID: each service connection whose latest publish for that user came back with an error. */
const failedPublishes = new Map<string, Map<ProxiedConnection, FailedPublish>>();
let republished = 0;

/**
 * The server's handling of a publish the service answered with an IQ error (XEP-0357 §7.1), as the proxy sees it:
 * for each later message to that user, `again` says whether the service gets the same publish once more (a copy
 * with an id of the proxy's), as a server that kept the service enabled would send it.
 */
const afterPublishError = (again: (failed: FailedPublish) => boolean): StreamFault => ({
  fromClient: (el, ctx) => {
    const enable = el.name === "iq" && el.attrs.type === "set" ? el.getChild("enable", PUSH) : undefined;
    if (enable?.attrs.jid !== undefined && ctx.conn.jid) pushOwners.set(`${enable.attrs.jid}|${enable.attrs.node ?? ""}`, bare(ctx.conn.jid));
    const publish = el.name === "iq" && el.attrs.type === "error" ? publishesTo.get(ctx.conn)?.get(String(el.attrs.id)) : undefined;
    if (publish && ctx.conn.jid) {
      const node = String(publish.getChild("pubsub", PUBSUB)!.getChild("publish")!.attrs.node ?? "");
      const user = pushOwners.get(`${ctx.conn.jid}|${node}`) ?? pushOwners.get(`${bare(ctx.conn.jid)}|${node}`);
      if (!user) return;
      const byService = failedPublishes.get(user) ?? new Map<ProxiedConnection, FailedPublish>();
      failedPublishes.set(user, byService.set(ctx.conn, { publish, type: String(el.getChild("error")?.attrs.type ?? ""), followed: false }));
      return;
    }
    // The service's next request (an IQ get or set) after its error.
    if (el.name === "iq" && (el.attrs.type === "get" || el.attrs.type === "set"))
      for (const byService of failedPublishes.values()) {
        const failed = byService.get(ctx.conn);
        if (failed) failed.followed = true;
      }
    if (el.name !== "message" || el.attrs.type === "error" || !el.attrs.to || isMarker(el)) return;
    for (const [service, failed] of failedPublishes.get(bare(String(el.attrs.to))) ?? []) {
      if (!again(failed)) continue;
      const copy = copyOf(failed.publish);
      copy.attrs.id = `xc-push-again-${++republished}`;
      service.deliver(copy);
    }
  },
  element: (el, ctx) => {
    if (isPublish(el) && el.attrs.id !== undefined) {
      const sent = publishesTo.get(ctx.conn) ?? new Map<string, Element>();
      publishesTo.set(ctx.conn, sent.set(String(el.attrs.id), copyOf(el)));
    }
    return "pass";
  },
});

/** XEP-0198, XEP-0352 and XEP-0357: server bugs the cases must catch. */
/**
 * When a session with stream management enabled ends, the messages sent on it are discarded: neither bounced to their
 * senders nor stored for (or delivered to) another resource of the user. `copyEarly`: a message to a managed full JID
 * is also copied at once to the user's other available resources.
 */
function discardedAtEnd(copyEarly: boolean): StreamFault {
  /** `user|id` of each message sent on a managed stream: the stream it was sent on. */
  const sentOn = new Map<string, ProxiedConnection>();
  return {
    fromClient: observe,
    element: (el: Element, ctx: FaultContext) => {
      const s = stateOf(ctx.conn);
      track(el, ctx);
      if (el.name !== "message" || isMarker(el) || !ctx.conn.jid || el.attrs.id === undefined) return "pass";
      if (el.attrs.type === "error") {
        const managed = sentOn.get(`${bare(String(el.attrs.from ?? ""))}|${String(el.attrs.id)}`);
        return managed && managed !== ctx.conn ? "drop" : "pass";
      }
      const key = `${bare(ctx.conn.jid)}|${String(el.attrs.id)}`;
      const managed = sentOn.get(key);
      if (managed === undefined && s.enabled) {
        sentOn.set(key, ctx.conn);
        if (copyEarly && el.attrs.to === ctx.conn.jid && el.getChild("body")) {
          for (const p of ctx.peers()) if (p.jid && bare(p.jid) === bare(ctx.conn.jid) && p.available) p.deliver(copyOf(el));
        }
      }
      return managed && managed !== ctx.conn ? "drop" : "pass";
    },
  };
}

/**
 * Push publishes sent one at a time per queue (the push service's connection, or the user who enabled it): a publish
 * is held while an earlier one of its queue is unanswered, and goes 50 ms after that answer (result or error).
 * Publishes the server sends within 300 ms of one another are due together and leave in the order of their node
 * names (so n1-* before n2-*, c-* before both), whatever order the server sent them in; `reversed`: in the reverse
 * order (n2-* before n1-*, both before c-*).
 */
function publishesOneAtATime(queueOf: (el: Element, ctx: FaultContext) => string, reversed = false): StreamFault {
  interface Queue {
    outstanding?: { conn: ProxiedConnection; id: string };
    due: { conn: ProxiedConnection; el: Element }[];
    timer?: NodeJS.Timeout;
  }
  const queues = new Map<string, Queue>();
  const nodeOf = (el: Element) => String(el.getChild("pubsub", PUBSUB)?.getChild("publish")?.attrs.node ?? "");
  const next = (q: Queue) => {
    if (q.outstanding || q.due.length === 0) return;
    q.due.sort((a, b) => (reversed ? -1 : 1) * nodeOf(a.el).localeCompare(nodeOf(b.el)));
    const { conn, el } = q.due.shift()!;
    q.outstanding = { conn, id: String(el.attrs.id) };
    conn.deliver(el);
  };
  return {
    fromClient: (el, ctx) => {
      if (el.name !== "iq" || (el.attrs.type !== "result" && el.attrs.type !== "error")) return;
      for (const q of queues.values())
        if (q.outstanding?.conn === ctx.conn && q.outstanding.id === String(el.attrs.id)) {
          q.outstanding = undefined;
          setTimeout(() => next(q), 50).unref();
        }
    },
    element: (el, ctx) => {
      if (!isPublish(el)) return "pass";
      const key = queueOf(el, ctx);
      let q = queues.get(key);
      if (!q) queues.set(key, (q = { due: [] }));
      q.due.push({ conn: ctx.conn, el: copyOf(el) });
      clearTimeout(q.timer);
      const queue = q;
      q.timer = setTimeout(() => next(queue), 300);
      q.timer.unref();
      return "drop";
    },
  };
}

/** publishesOneAtATime per user: a publish held while an earlier one for the user who enabled its service is unanswered. */
function publishesOneAtATimePerUser(reversed: boolean): StreamFault {
  const userOf = new Map<string, string>(); // a service's JID -> the user who enabled it
  const serial = publishesOneAtATime((el) => userOf.get(String(el.attrs.to)) ?? String(el.attrs.to), reversed);
  return {
    ...serial,
    fromClient: (el: Element, ctx: FaultContext) => {
      const jid = el.name === "iq" && el.attrs.type === "set" ? el.getChild("enable", PUSH)?.attrs.jid : undefined;
      if (jid !== undefined && ctx.conn.jid) userOf.set(String(jid), String(bare(ctx.conn.jid)));
      serial.fromClient?.(el, ctx);
    },
  };
}

export const FAULTS: FaultDef[] = [
  // XEP-0198 §3, §5: enabling.
  {
    id: "mobile.sm.enable.unanswered",
    area: "mobile",
    requirements: ["SM-ENABLE-01"],
    description: "an <enable/> gets neither <enabled/> nor <failed/>",
    stream: sm((el) => (isSm(el, "enabled") ? "drop" : "pass")),
  },
  {
    // Sixty-sixth audit (round 66): sm-enable-twice looked only for the stream error after a second <enable/>
    // (SM-ENABLE-04, a SHOULD), so a server that answers it with nothing at all only warned; §3's MUST asks for a
    // reply to every enable request. Both cells, Prosody 13: warn (SM-ENABLE-04 warn) -> fail (SM-ENABLE-01 fail).
    id: "mobile.sm.enable-twice.silent",
    area: "mobile",
    requirements: ["SM-ENABLE-01"],
    description: "a second <enable/> on a managed stream gets nothing at all: no <failed/>, no stream error, and the stream goes on",
    stream: sm((el, s) => (isSm(el, "failed") && s.enabled && s.request?.name === "enable" ? "drop" : "pass")),
  },
  {
    // Fifty-seventh audit (2026-11-28): sm-enabled-max judged the 'max' only at SM-ENABLE-05's MAY, so a 'max' that is
    // no positive integer (§13's schema: xs:positiveInteger) matched no alternative and was a skip, as a server
    // sending none: old skip -> new warn SM-ENABLE-08.
    id: "mobile.sm.enable.max-zero",
    area: "mobile",
    requirements: ["SM-ENABLE-08"],
    description: "an <enabled/> carries max='0', no positive integer",
    stream: sm((el) => (isSm(el, "enabled") ? changed(el, (c) => void (c.attrs.max = "0")) : "pass")),
  },
  {
    id: "mobile.sm.enable.before-auth",
    area: "mobile",
    requirements: ["SM-ENABLE-02"],
    description: "an <enable/> before authentication is answered with <enabled/>",
    stream: failedToEnabled((s) => !s.authenticated),
  },
  {
    id: "mobile.sm.enable.before-bind",
    area: "mobile",
    requirements: ["SM-ENABLE-03"],
    description: "an <enable/> after authentication but before binding is answered with <enabled/>",
    stream: failedToEnabled((s, ctx) => Boolean(s.authenticated) && !ctx.conn.jid),
  },
  {
    id: "mobile.sm.enabled.resume-yes",
    area: "mobile",
    requirements: ["SM-RESUME-01"],
    description: "an <enabled/> that allows resumption says resume='yes' instead of 'true' or '1'",
    stream: sm((el) => (isSm(el, "enabled") && el.attrs.resume !== undefined && ["true", "1"].includes(String(el.attrs.resume)) ? withAttr("resume", () => "yes")(el) : "pass")),
  },
  {
    // Thirty-sixth audit (2026-11-27): no case failed a server that resumes a session whose <enabled/> did not say
    // resume 'true' or '1'; sm-enable now offers the SM-ID of such a session on a new connection.
    id: "mobile.sm.enabled.resume-unsaid",
    area: "mobile",
    requirements: ["SM-RESUME-01"],
    description: "an <enabled/> that allows resumption has no 'resume' (it keeps its 'id'), and the session is resumed all the same",
    stream: sm((el) => (isSm(el, "enabled") && ["true", "1"].includes(String(el.attrs.resume)) ? changed(el, (c) => delete c.attrs.resume) : "pass")),
  },
  {
    id: "mobile.sm.enable.resume-1-ignored",
    area: "mobile",
    requirements: ["SM-RESUME-03"],
    description: "an <enable/> with resume='1' gets an <enabled/> that does not allow resumption (only 'true' is read as the boolean's true)",
    stream: sm((el, s) =>
      isSm(el, "enabled") && s.request?.name === "enable" && s.request.attrs.resume === "1" ? changed(el, (c) => ["resume", "id", "max", "location"].forEach((a) => delete c.attrs[a])) : "pass",
    ),
  },
  {
    id: "mobile.sm.enabled.no-id",
    area: "mobile",
    requirements: ["SM-RESUME-02"],
    description: "an <enabled/> that allows resumption has no 'id'",
    stream: sm((el) => (isSm(el, "enabled") && ["true", "1"].includes(String(el.attrs.resume)) ? changed(el, (c) => delete c.attrs.id) : "pass")),
  },
  {
    id: "mobile.sm.enabled.constant-id",
    area: "mobile",
    requirements: ["SM-RESUME-06"],
    description: "every stream management session gets the same SM-ID",
    stream: sm((el) => (isSm(el, "enabled") && el.attrs.id !== undefined ? withAttr("id", () => "xc-the-same-sm-id")(el) : "pass")),
  },
  {
    // Forty-seventh audit (2026-11-27): sm-id-unique charged an unanswered second <enable/> to SM-RESUME-06 (the
    // SM-ID's reuse) instead of SM-ENABLE-01 (the answer); a server that keeps one session per account shows it.
    id: "mobile.sm.enable.second-unanswered",
    area: "mobile",
    requirements: ["SM-ENABLE-01"],
    description: "an <enable/> on a stream of an account that has another stream with stream management enabled gets neither <enabled/> nor <failed/>",
    stream: sm((el, s, ctx) => {
      const jid = ctx.conn.jid;
      const answer = (isSm(el, "enabled") || isSm(el, "failed")) && s.request?.name === "enable";
      const other = Boolean(jid) && ctx.peers().some((p) => p !== ctx.conn && p.jid !== undefined && bare(p.jid) === bare(jid!) && stateOf(p).enabled);
      return answer && other ? "drop" : "pass";
    }),
  },
  // XEP-0198 §4: acks.
  {
    // Seventy-ninth audit (round 79): bind2-sm-inline now judges the 'h' of the <a/> answering its <r/> after an inline
    // <enabled/> (SM-ACK-01's also:, as sm-ack-count): pass -> fail (Prosody 13, ejabberd 24.12, --tls starttls).
    id: "mobile.sm.ack.wrong-h",
    area: "mobile",
    requirements: ["SM-ACK-01"],
    description: "an <a/> counts one stanza more than the server handled",
    stream: sm((el) => (isSm(el, "a") && el.attrs.h !== undefined ? withAttr("h", (h) => String(Number(h) + 1))(el) : "pass")),
  },
  {
    // Seventy-first audit (round 71): sm-ack-before-enable judged the 'h' only by SM-COUNT-01's also: (where the
    // counter starts, derived SHOULD), so an 'h' below the stanzas sent after <enable/>, which no counter started early
    // gives, warned SM-COUNT-01 with SM-ACK-01 pass. It now breaks SM-ACK-01's lower bound at MUST: warn -> fail in all
    // three cells (Prosody 13, ejabberd 24.12); sm-ack-prompt's control: pass -> fail (SM-ACK-01).
    id: "mobile.sm.ack.h-one-low",
    area: "mobile",
    requirements: ["SM-ACK-01"],
    description: "an <a/> counts one stanza fewer than the server handled (never below zero)",
    stream: sm((el) => (isSm(el, "a") && el.attrs.h !== undefined ? withAttr("h", (h) => String(Math.max(0, Number(h) - 1)))(el) : "pass")),
  },
  {
    id: "mobile.sm.ack.no-h",
    area: "mobile",
    requirements: ["SM-ACK-02"],
    description: "an <a/> has no 'h'",
    stream: sm((el) => (isSm(el, "a") ? changed(el, (c) => delete c.attrs.h) : "pass")),
  },
  {
    id: "mobile.sm.ack.withheld-inactive",
    area: "mobile",
    requirements: ["SM-ACK-04"],
    description: "while the client is inactive (XEP-0352), the server withholds the <a/> answering its <r/>",
    stream: sm((el, s) => (isSm(el, "a") && s.inactive ? "drop" : "pass")),
  },
  {
    // Sixtieth audit (2026-11-28): sm-ack-prompt: no fault judged SM-ACK-03 ("The response SHOULD be sent as soon as
    // possible after receiving the <r/> element"). This server answers every <r/>, but an <a/> it would send while a
    // request the client sent is still unanswered comes only right after that request's answer: the controls the fix
    // adds (an <r/> alone, a ping alone, SM-ACK-01 and STANZA-IQ-01) pass on it, the order warns SM-ACK-03.
    id: "mobile.sm.ack.after-pending-iq-answer",
    area: "mobile",
    requirements: ["SM-ACK-03"],
    description: "an <a/> the server sends while an IQ request of the client's is unanswered is held back until right after that request's answer",
    stream: (() => {
      const pending = new WeakMap<ProxiedConnection, Set<string>>();
      const held = new WeakMap<ProxiedConnection, Element[]>();
      const isClientIq = (el: Element) => el.name === "iq" && (el.attrs.xmlns === undefined || el.attrs.xmlns === "jabber:client");
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          observe(el, ctx);
          if (isClientIq(el) && (el.attrs.type === "get" || el.attrs.type === "set") && el.attrs.id !== undefined) {
            if (!pending.has(ctx.conn)) pending.set(ctx.conn, new Set());
            pending.get(ctx.conn)!.add(String(el.attrs.id));
          }
        },
        element: (el: Element, ctx: FaultContext) => {
          track(el, ctx);
          const ids = pending.get(ctx.conn);
          if (isSm(el, "a") && ids && ids.size > 0) {
            if (!held.has(ctx.conn)) held.set(ctx.conn, []);
            held.get(ctx.conn)!.push(el);
            return "drop";
          }
          if (isClientIq(el) && (el.attrs.type === "result" || el.attrs.type === "error") && ids?.has(String(el.attrs.id))) {
            ids.delete(String(el.attrs.id));
            const late = held.get(ctx.conn) ?? [];
            if (ids.size === 0 && late.length > 0) {
              held.set(ctx.conn, []);
              return [el, ...late];
            }
          }
          return "pass";
        },
      };
    })(),
  },
  {
    id: "mobile.sm.ack.counts-client-acks",
    area: "mobile",
    requirements: ["SM-ACK-01"],
    description: "the 'h' of an <a/> counts the client's own <a/> elements since its <enable/> as stanzas handled",
    stream: (() => {
      const acks = new WeakMap<ProxiedConnection, number>();
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          observe(el, ctx);
          if (isSm(el, "enable") || isSm(el, "resume")) acks.set(ctx.conn, 0);
          else if (isSm(el, "a") && acks.has(ctx.conn)) acks.set(ctx.conn, acks.get(ctx.conn)! + 1);
        },
        element: (el: Element, ctx: FaultContext) => {
          const n = acks.get(ctx.conn) ?? 0;
          const action = isSm(el, "a") && el.attrs.h !== undefined && n > 0 ? withAttr("h", (h) => String(Number(h) + n))(el) : "pass";
          track(el, ctx);
          return action;
        },
      };
    })(),
  },
  {
    // Eighteenth audit: sm-ack-repeat took the unasked <a/> for the answer to its first <r/>, so a server that answered
    // its two <r/> with one <a/> passed SM-ACK-01.
    id: "mobile.sm.ack.coalesced-after-unasked",
    area: "mobile",
    requirements: ["SM-ACK-01"],
    description: "an <a/> nobody asked for right after <enabled/> (h 0), and two <r/> sent together answered with one <a/> (the stream's second <a/> from the server left out)",
    stream: (() => {
      const answers = new WeakMap<ProxiedConnection, number>();
      return sm((el, _s, ctx) => {
        if (isSm(el, "enabled")) return [el, xml("a", { xmlns: SM, h: "0" })];
        if (!isSm(el, "a")) return "pass";
        const n = (answers.get(ctx.conn) ?? 0) + 1;
        answers.set(ctx.conn, n);
        return n === 2 ? "drop" : "pass";
      });
    })(),
  },
  {
    // Twentieth audit: the ack cases took, after a set-up drain of at most three unasked <a/> ending at a disco#info
    // answer, the first <a/> not yet matched as the answer to their <r/>: an unasked <a/> the server sent after that
    // answer (with a count still right) was judged as the answer to an <r/> nothing answered, and sm-ack-count passed
    // (adhoc.sm.unasked-but-r-unanswered). The answer to an <r/> is now an <a/> that came after it (since: action).
    // Fortieth audit (2026-11-27): that step asked for an <a/> with an 'h' under SM-ACK-02, so the <r/> left unanswered
    // failed SM-ACK-02 and left SM-ACK-01 not reached; any <a/> is now the answer, under SM-ACK-01, and its 'h' an also:
    // (sm-ack-count, sm-ack-nonzas, sm-ack-csi-not-counted): SM-ACK-02 fail -> SM-ACK-01 fail, SM-ACK-02 not reached.
    // Seventy-ninth audit (round 79): bind2-sm-inline charged the <r/> left unanswered after an inline <enabled/>
    // (XEP-0198 §3: "The <enabled/> element indicates successful establishment of the stream management session")
    // to BINDTWO-SM-02 (derived SHOULD); it is SM-ACK-01's now: warn -> fail (Prosody 13, ejabberd 24.12, --tls starttls).
    id: "mobile.sm.ack.unasked-but-r-unanswered",
    area: "mobile",
    requirements: ["SM-ACK-01"],
    description: "after each IQ answer an <a/> nobody asked for (the right count), and no <r/> is ever answered (every <a/> of the server's own dropped)",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        countSent(el, ctx);
      },
      element: (el, ctx) => {
        track(el, ctx);
        if (isSm(el, "a")) return "drop";
        return sentSinceEnable.has(ctx.conn) && el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") ? [el, unaskedAck(ctx)] : "pass";
      },
    },
  },
  {
    // Twenty-second audit: sm-ack-handled (and sm-ack-before-enable) sent the <r/> right after the stanza it counts,
    // with no round trip before it and no wait: timeout on the <a/>, so an <a/> the server sent unasked on reading
    // that stanza, arriving after the <r/> was written, was taken for the answer to an <r/> nothing answered: SM-ACK-01
    // passed (adhoc sm-unasked-only, which delayed its <a/>). Both cases now bring in the unasked ones with a disco#info
    // round trip before the <r/> and await its answer with wait: timeout (Prosody 13): sm-ack-handled pass -> fail
    // (SM-ACK-01), sm-ack-before-enable warn (SM-COUNT-01, an unasked count taken for the answer) -> fail (SM-ACK-01).
    id: "mobile.sm.ack.unasked-per-stanza-r-unanswered",
    area: "mobile",
    requirements: ["SM-ACK-01"],
    description:
      "an <a/> nobody asked for as each stanza the client sends once stream management is enabled is read (the right count), and no <r/> is ever answered (every <a/> of the server's own dropped)",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        const before = sentSinceEnable.get(ctx.conn);
        const n = countSent(el, ctx);
        if (stateOf(ctx.conn).enabled && n !== undefined && before !== undefined && n > before) ctx.conn.deliver(unaskedAck(ctx));
      },
      element: (el, ctx) => {
        track(el, ctx);
        return isSm(el, "a") ? "drop" : "pass";
      },
    },
  },
  {
    // Twenty-fourth audit: sm-ack-unrequested matched the unasked <a/> with h='{re:[0-9]+}' in its MAY step's own
    // pattern, so an <a/> without 'h' (or with h='five') was recorded as no <a/> at all and the case passed (adhoc
    // a-no-h, a-bad-h). The step now matches any <a/> and judges 'h' as an also: of SM-ACK-02 (MUST): pass -> fail.
    id: "mobile.sm.ack.unasked-without-h",
    area: "mobile",
    requirements: ["SM-ACK-02"],
    description: "an <a/> nobody asked for, without 'h', after every fifth stanza the client sends once stream management is enabled",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        const before = sentSinceEnable.get(ctx.conn);
        const n = countSent(el, ctx);
        if (stateOf(ctx.conn).enabled && n !== undefined && before !== undefined && n > before && n % 5 === 0) ctx.conn.deliver(xml("a", { xmlns: SM }));
      },
      element: (el, ctx) => {
        track(el, ctx);
        return "pass";
      },
    },
  },
  {
    // What the cases of unacknowledged stanzas first need: the stanza reached the client (RFC 6121 §8.5.3.1).
    id: "mobile.sm.managed-stream-loses-messages",
    area: "mobile",
    requirements: ["DELIVERY-MSG-FULLMATCH-*"],
    description: "once a stream has enabled stream management, messages from other accounts to its full JID never reach it",
    stream: sm((el, s, ctx) =>
      s.enabled && el.name === "message" && !isMarker(el) && el.attrs.type !== "error" && String(el.attrs.from ?? "").includes("@") && bare(el.attrs.from) !== bare(ctx.conn.jid) ? "drop" : "pass",
    ),
  },
  {
    // Fifty-eighth audit (2026-11-28): sm-ack-handled: the positive control of its fix (a control message now proves
    // the routing first): a message is held 1.5 s on its way to a connected resource that sent no presence and lost if
    // its sender's connection has ended by then, so the message the server acknowledged just before the cut is lost
    // while the control message, whose sender is still there, is delivered.
    id: "mobile.sm.acked-lost-on-cut",
    area: "mobile",
    requirements: ["SM-ACK-07"],
    description: "a chat message to a connected resource is lost when its sender's connection ends before the server delivers it, though the server acknowledged it",
    stream: (() => {
      const held = new WeakMap<ProxiedConnection, Element[]>();
      // What is held goes out, in order, before the next element to the same connection (a barrier marker) or after
      // 1.5 s, unless its sender's connection has ended by then.
      const release = (ctx: FaultContext): Element[] => {
        const out = (held.get(ctx.conn) ?? []).filter((m) => ctx.peers().some((p) => p.jid === m.attrs.from));
        held.delete(ctx.conn);
        return out;
      };
      return {
        element: (el: Element, ctx: FaultContext) => {
          const from = String(el.attrs.from ?? "");
          if (el.name !== "message" || el.attrs.type !== "chat" || ctx.conn.available || el.attrs.to !== ctx.conn.jid || !from.includes("@") || from === ctx.conn.jid) {
            const out = release(ctx);
            return out.length ? [...out, el] : "pass";
          }
          held.set(ctx.conn, [...(held.get(ctx.conn) ?? []), el]);
          setTimeout(() => {
            for (const m of release(ctx)) ctx.conn.deliver(m);
          }, 1500).unref();
          return "drop";
        },
      } satisfies StreamFault;
    })(),
  },
  {
    // Twenty-fifth audit: sm-unacked-acked judged SM-ACK-08 (m1, acknowledged, neither bounced nor delivered again)
    // whatever its 'one of' over m2 found, so a server that takes no alternative action at all when the session ends
    // let both SM-ACK-08 checks hold trivially: SM-ACK-08 pass though nothing showed the 'h' it kept (adhoc
    // unacked-dropped). The two checks are now `after:` that 'one of': SM-ACK-08 pass -> not reached (the case warns
    // SM-UNACKED-03 both ways; Prosody 13).
    id: "mobile.sm.unacked.discarded-at-end",
    area: "mobile",
    requirements: ["SM-UNACKED-03"],
    description:
      "when a session with stream management enabled ends, the messages sent on it are discarded: neither bounced to their senders nor stored for (or delivered to) another resource of the user",
    stream: discardedAtEnd(false),
  },
  {
    // Fifty-first audit (2026-11-28): sm-unacked (the six `others: available` cells): the `alternate` outcome took
    // the first m1 at j2 whenever it came, so a server that copies a message to a full JID at once to the user's other
    // available resource (no sentence of RFC 6121 forbids it for type normal; a SHOULD NOT for chat) and then discards
    // the unacknowledged m1 when the session ends passed as `alternate`. The early copy is now taken in set-up:
    // close/chat/available and close/normal/available pass -> warn (SM-UNACKED-02, SM-UNACKED-03; Prosody 13).
    id: "mobile.sm.unacked.copied-early-discarded",
    area: "mobile",
    requirements: ["SM-UNACKED-03"],
    description:
      "a message to a full JID is copied at once to the user's other available resources, and when a session with stream management enabled ends the messages sent on it are discarded: neither bounced, stored nor delivered again",
    stream: discardedAtEnd(true),
  },
  // XEP-0198 §5: resumption.
  {
    id: "mobile.sm.resume.refused",
    area: "mobile",
    requirements: ["SM-RESUME-09"],
    description: "a session waiting for resumption is not resumed: <failed/> with item-not-found instead of <resumed/>",
    stream: sm((el) => (isSm(el, "resumed") ? [xml("failed", { xmlns: SM }, xml("item-not-found", { xmlns: STANZAS }))] : "pass")),
  },
  {
    id: "mobile.sm.resumed.wrong-previd",
    area: "mobile",
    requirements: ["SM-RESUME-10"],
    description: "<resumed/> names another SM-ID than the session's",
    stream: sm((el) => (isSm(el, "resumed") ? withAttr("previd", (p) => `${p}-other`)(el) : "pass")),
  },
  {
    id: "mobile.sm.resumed.wrong-h",
    area: "mobile",
    requirements: ["SM-RESUME-11"],
    description: "<resumed/> counts one stanza more than the server handled on the former stream",
    stream: sm((el) => (isSm(el, "resumed") && el.attrs.h !== undefined ? withAttr("h", (h) => String(Number(h) + 1))(el) : "pass")),
  },
  {
    // Fifty-ninth audit (2026-11-28): sm-resume-counter charged the <a/> answering the <r/> on the resumed stream to
    // SM-RESUME-14 alone (the counter's value, derived SHOULD), so a resumed stream whose <r/> went unanswered warned
    // SM-RESUME-14; that answer is SM-ACK-01's (MUST).
    id: "mobile.sm.resumed.r-unanswered",
    area: "mobile",
    requirements: ["SM-ACK-01"],
    description: "after <resumed/>, no <r/> on the resumed stream is answered (every <a/> of the server's there dropped)",
    stream: (() => {
      const resumed = new WeakSet<ProxiedConnection>();
      return sm((el, _s, ctx) => {
        if (isSm(el, "resumed")) resumed.add(ctx.conn);
        return isSm(el, "a") && resumed.has(ctx.conn) ? "drop" : "pass";
      });
    })(),
  },
  {
    // Fifty-ninth audit (2026-11-28): sm-resume-counter: an <a/> without 'h' on the resumed stream warned SM-RESUME-14
    // only; the missing 'h' is SM-ACK-02's (MUST).
    id: "mobile.sm.resumed.ack-no-h",
    area: "mobile",
    requirements: ["SM-ACK-02"],
    description: "after <resumed/>, every <a/> on the resumed stream has no 'h'",
    stream: (() => {
      const resumed = new WeakSet<ProxiedConnection>();
      return sm((el, _s, ctx) => {
        if (isSm(el, "resumed")) resumed.add(ctx.conn);
        return isSm(el, "a") && resumed.has(ctx.conn) ? changed(el, (c) => delete c.attrs.h) : "pass";
      });
    })(),
  },
  {
    // Seventy-sixth audit (round 76): sm-resume-resend/after-cut took the lost m1 as not-resent (crediting nothing);
    // an m1 neither resent, bounced nor stored offline now fails SM-RESUME-12: after-cut pass -> fail (Prosody 13,
    // ejabberd 24.12).
    id: "mobile.sm.resume.drops-unacked",
    area: "mobile",
    requirements: ["SM-RESUME-12"],
    description: "after <resumed/> the server loses the first unacknowledged message instead of sending it again",
    stream: sm((el, s) => {
      if (isSm(el, "resumed")) s.resumedAt = Date.now();
      else if (s.resumedAt !== undefined && el.name === "message" && !isMarker(el)) {
        s.resumedAt = undefined;
        return "drop";
      }
      return "pass";
    }),
  },
  {
    id: "mobile.sm.resume.replays-acked",
    area: "mobile",
    requirements: ["SM-RESUME-13"],
    description: "after <resumed/> the server sends again the stanzas the client's 'h' acknowledged, before the unacknowledged ones",
    stream: sm((el, s) => {
      if (!isSm(el, "resumed") || s.request?.name !== "resume") return "pass";
      const acked = Number(s.request.attrs.h ?? 0);
      const former = sentUnder.get(String(el.attrs.previd)) ?? [];
      return [el, ...former.slice(0, acked).map(copyOf)];
    }),
  },
  {
    // Forty-sixth audit (2026-11-27): sm-resume-resend's set-up step "romeo/r1 receives nothing: <message
    // type='error'/>" ran in both cells, so in before-cut a server that bounced m1 and m2 (delivered, never
    // acknowledged) at the cut and then resent nothing on the resumed stream was skipped before SM-RESUME-12 was
    // judged. The step now runs in after-cut only: before-cut skip -> fail (SM-RESUME-12); after-cut skip -> skip.
    // Seventy-third audit (round 73): after-cut no longer has that step (m1 and m2 there credit nothing wherever they
    // go): Prosody 13, after-cut skip -> pass (m0's bounce is judged by no row of the case); before-cut fail -> fail.
    id: "mobile.sm.resume.bounces-unacked-at-cut",
    area: "mobile",
    requirements: ["SM-RESUME-12"],
    description:
      "when the connection of a resumable stream drops, the server bounces the messages from other entities it sent there and the client never acknowledged (<recipient-unavailable/> to each sender), and after <resumed/> it does not send them again",
    stream: (() => {
      /** Each managed stream's stanzas since <enabled/> (with the sender's connection), and how many the client acknowledged. */
      const queues = new Map<ProxiedConnection, { jid: string; smid?: string; sent: { el: Element; sender?: ProxiedConnection }[]; acked: number }>();
      /** By SM-ID: the 'from|id' of the messages bounced at the cut. */
      const bounced = new Map<string, Set<string>>();
      const caseOf = (jid = "") => /^(xc-[0-9a-f]+-\d+)-/.exec(jid)?.[1];
      const key = (el: Element) => `${String(el.attrs.from ?? "")}|${String(el.attrs.id ?? "")}`;
      /** Bounces the unacknowledged messages of a stream that is gone; those for `here` are returned, the others delivered. */
      const bounce = (conn: ProxiedConnection, here?: ProxiedConnection): Element[] => {
        const q = queues.get(conn)!;
        queues.delete(conn);
        const keys = new Set<string>();
        const mine: Element[] = [];
        for (const { el: m, sender } of q.sent.slice(q.acked)) {
          const from = String(m.attrs.from ?? "");
          if (m.name !== "message" || m.attrs.type === "error" || isMarker(m) || !from.includes("@") || bare(from) === bare(q.jid)) continue;
          keys.add(key(m));
          const error = xml(
            "message",
            { type: "error", id: m.attrs.id, from: q.jid, to: from },
            ...m.getChildren("body").map(copyOf),
            xml("error", { type: "wait" }, xml("recipient-unavailable", { xmlns: STANZAS })),
          );
          if (sender && sender === here) mine.push(error);
          else sender?.deliver(error);
        }
        if (q.smid) bounced.set(q.smid, keys);
        return mine;
      };
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          observe(el, ctx);
          const q = queues.get(ctx.conn);
          if (q && isSm(el, "a")) q.acked = Number(el.attrs.h ?? 0);
          // A <resume/>: the stream it names is gone, if the proxy has not seen it go yet.
          if (isSm(el, "resume")) for (const [conn, other] of queues) if (other.smid === String(el.attrs.previd ?? "") && conn !== ctx.conn) bounce(conn);
        },
        element: (el: Element, ctx: FaultContext) => {
          const s = stateOf(ctx.conn);
          track(el, ctx);
          if (isSm(el, "enabled") && ctx.conn.jid) queues.set(ctx.conn, { jid: ctx.conn.jid, smid: el.attrs.id === undefined ? undefined : String(el.attrs.id), sent: [], acked: 0 });
          else if (isStanza(el)) queues.get(ctx.conn)?.sent.push({ el: copyOf(el), sender: ctx.peers().find((p) => p.jid === el.attrs.from) });
          // On a resumed stream: the bounced messages are not sent again.
          const previd = s.request?.name === "resume" ? String(s.request.attrs.previd ?? "") : undefined;
          if (previd !== undefined && el.name === "message" && bounced.get(previd)?.has(key(el))) return "drop";
          // A managed stream of this case whose connection is gone (seen at the next element to another of its connections).
          const here = caseOf(ctx.conn.jid);
          if (!here) return "pass";
          const live = new Set([ctx.conn, ...ctx.peers()]);
          const before: Element[] = [];
          for (const [conn, q] of queues) if (caseOf(q.jid) === here && !live.has(conn)) before.push(...bounce(conn, ctx.conn));
          return before.length > 0 ? [...before, el] : "pass";
        },
      } satisfies StreamFault;
    })(),
  },
  // XEP-0198 §5, §6, §10: failures.
  {
    id: "mobile.sm.failed.unanswered",
    area: "mobile",
    requirements: ["SM-FAIL-01"],
    description: "an <enable/> or <resume/> the server cannot honour gets no answer (the <failed/> is never sent)",
    stream: sm((el) => (isSm(el, "failed") ? "drop" : "pass")),
  },
  {
    // Sixty-sixth audit (round 66): sm-failed-condition took a wrapper <error/> only in urn:xmpp:sm:3 (SM-FAIL-02,
    // a warning), so RFC 6120's stanza <error/> (jabber:client) around the same defined condition fell to
    // other-child and failed SM-FAIL-03 at MUST. Every cell, Prosody 13 and ejabberd 24.12: fail (SM-FAIL-03) ->
    // warn (SM-FAIL-02; SM-FAIL-03 not reached).
    id: "mobile.sm.failed.client-wrapped",
    area: "mobile",
    requirements: ["SM-FAIL-02"],
    description: "a <failed/> holds its (defined) condition inside an <error xmlns='jabber:client' type='cancel'/>, not as its own child",
    stream: sm((el) => {
      if (!isSm(el, "failed")) return "pass";
      const elements = (e: Element) => e.children.filter((c): c is Element => typeof c !== "string");
      const condition = (e: Element): Element | undefined => elements(e).find((c) => c.getNS() === STANZAS && c.name !== "text") ?? elements(e).map(condition).find(Boolean);
      const name = condition(el)?.name ?? "unexpected-request";
      return changed(el, (c) => {
        c.children = [xml("error", { xmlns: "jabber:client", type: "cancel" }, xml(name, { xmlns: STANZAS }))];
      });
    }),
  },
  {
    // Seventy-sixth audit (round 76, G4): a <failed/> holding only RFC 6120's <text/> has no condition (SM-FAIL-02's
    // SHOULD) but fell to other-child and failed SM-FAIL-03 at MUST. Every cell, Prosody 13 and ejabberd 24.12: fail
    // (SM-FAIL-03) -> warn (SM-FAIL-02).
    id: "mobile.sm.failed.text-only",
    area: "mobile",
    requirements: ["SM-FAIL-02"],
    description: "a <failed/> holds only an RFC 6120 <text/> (no defined condition)",
    stream: sm((el) =>
      isSm(el, "failed")
        ? changed(el, (c) => {
            c.children = [xml("text", { xmlns: STANZAS, "xml:lang": "en" }, "Stream management is not available here")];
          })
        : "pass",
    ),
  },
  {
    id: "mobile.sm.failed.undefined-condition",
    area: "mobile",
    requirements: ["SM-FAIL-03"],
    description: "a <failed/> holds a condition that is none of RFC 6120's stanza error conditions",
    stream: sm((el) =>
      isSm(el, "failed")
        ? changed(el, (c) => {
            c.children = [xml("no-such-condition", { xmlns: STANZAS })];
          })
        : "pass",
    ),
  },
  {
    id: "mobile.sm.resume.unknown-accepted",
    area: "mobile",
    requirements: ["SM-FAIL-06"],
    description: "a <resume/> whose 'previd' the server does not know is answered with <resumed/>",
    stream: sm((el, s) => (isSm(el, "failed") && s.request?.name === "resume" && s.authenticated ? [xml("resumed", { xmlns: SM, previd: String(s.request.attrs.previd), h: "0" })] : "pass")),
  },
  {
    // Thirty-second audit: sm-resume-closed (and sm-resume-again's after-clean-close cell) judged "the ended
    // session is not resumed" (SM-CLOSE-02) as a <failed/> answer, so this server, which does not resume it but
    // answers with a stream error, warned SM-CLOSE-02 there; which element refuses an unknown 'previd' is
    // SM-FAIL-06's, judged by sm-resume-expired and sm-resume-unknown. The step now takes any answer but
    // <resumed/> (on Prosody 13: sm-resume-closed warn -> pass, sm-resume-again/after-clean-close warn -> pass).
    id: "mobile.sm.resume.refused-stream-error",
    area: "mobile",
    requirements: ["SM-FAIL-06"],
    description: "a <resume/> the server does not honour is answered with a stream error <undefined-condition/> and the stream closed, not with <failed/>",
    stream: sm((el, s) =>
      isSm(el, "failed") && s.request?.name === "resume" && s.authenticated
        ? [rawXml("<stream:error><undefined-condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>")]
        : "pass",
    ),
  },
  {
    id: "mobile.sm.resume.unsupported-ignored",
    area: "mobile",
    requirements: ["SM-FAIL-04"],
    description: "a server that does not support resumption (its <enabled/> never allows it) ignores a <resume/>: the <failed/> is never sent",
    stream: sm((el, s) => {
      if (isSm(el, "enabled")) return changed(el, (c) => ["resume", "id", "max", "location"].forEach((a) => delete c.attrs[a]));
      return isSm(el, "failed") && s.request?.name === "resume" && s.authenticated ? "drop" : "pass";
    }),
  },
  {
    id: "mobile.sm.resume.before-auth",
    area: "mobile",
    requirements: ["SM-SEC-01"],
    description: "a <resume/> before authentication is answered with <resumed/>",
    stream: sm((el, s) => (isSm(el, "failed") && s.request?.name === "resume" && !s.authenticated ? [xml("resumed", { xmlns: SM, previd: String(s.request.attrs.previd), h: "0" })] : "pass")),
  },
  {
    // Twenty-seventh audit: sm-ack-nonzas asked its second <a/> for an 'h' other than the first's in the step's own
    // pattern (SM-ACK-02), so an 'h' that leaves out the client's message failed SM-ACK-02, whose 'h' was there, and
    // SM-ACK-01 passed on the first <a/> (adhoc audit.sm.ack-messages-uncounted). The pattern now asks only for the
    // 'h', whose value the also: checks judge: fail both ways, SM-ACK-02 fail / SM-ACK-01 pass -> SM-ACK-01 fail /
    // SM-ACK-02 pass (Prosody 13).
    id: "mobile.sm.ack.messages-uncounted",
    area: "mobile",
    requirements: ["SM-ACK-01"],
    description: "the 'h' of an <a/> leaves out the <message/> stanzas the client sent since its <enable/> (the 'h' is there)",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        if (isSm(el, "enable")) messagesSinceEnable.set(ctx.conn, 0);
        else if (el.name === "message" && isStanza(el) && !isMarker(el) && messagesSinceEnable.has(ctx.conn)) messagesSinceEnable.set(ctx.conn, messagesSinceEnable.get(ctx.conn)! + 1);
      },
      element: (el, ctx) => {
        const n = messagesSinceEnable.get(ctx.conn) ?? 0;
        const action = isSm(el, "a") && el.attrs.h !== undefined && n > 0 ? withAttr("h", (h) => String(Number(h) - n))(el) : "pass";
        track(el, ctx);
        return action;
      },
    },
  },
  {
    // Twenty-eighth audit: sm-ack-too-high required the TCP connection's end after the stream error and its closing tag
    // (the default framing) and reported it under SM-ACK-10, whose §6 text asks only to "close the stream", so a server
    // that sends XEP-0198's error and closes its stream but leaves the TCP connection open warned SM-ACK-10 (adhoc in the
    // report). The step now judges the error and the closing tag (`framing: header`): warn -> pass in both cells
    // (Prosody 13); the TCP close stays RFC 6120 §4.4's (STREAM-CLOSE-03), which core's stream error cases judge.
    id: "mobile.sm.ack.too-high-held-open",
    area: "mobile",
    requirements: ["STREAM-CLOSE-03"],
    description:
      "after a stream error and its closing stream tag the server never closes the TCP connection, not even after the client's closing tag; an <a/> whose 'h' is higher than what it sent gets XEP-0198 §6's undefined-condition stream error with <handled-count-too-high/>",
    stream: (() => {
      const ended = new Set<number>();
      return {
        fromClient: tooHigh.fromClient,
        element: (el: Element, ctx: FaultContext) => {
          tooHigh.count(el, ctx);
          if (!isStreamError(el)) return "pass";
          ended.add(ctx.conn.id);
          return ackedTooHigh.has(ctx.conn)
            ? [rawXml("<stream:error><undefined-condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><handled-count-too-high xmlns='urn:xmpp:sm:3'/></stream:error>")]
            : "pass";
        },
        holdOpen: (ctx: FaultContext) => ended.has(ctx.conn.id),
      };
    })(),
  },
  {
    // Twenty-eighth audit: sm-misuse-ends-stream took only a stream error, so a server that ends the stream after an
    // 'h' it cannot have earned with its closing tag alone (no stream error: RFC 6120 §4.9.1.1, SERR-GEN-01, MUST) was
    // a skip saying the MAY was not taken up (adhoc in the report). A ping after the 'h' now tells an open stream from
    // an ended one, and an end without an error fails SERR-GEN-01: skip -> fail (Prosody 13).
    // Fifty-first audit (2026-11-28): sm-misuse-ends-stream: that reading is reversed. For this misuse XEP-0198 §6 asks
    // for the stream error only at SHOULD ("the local entity SHOULD generate an undefined-condition stream error ...
    // and close the stream", SM-ACK-10) and RFC 6120 §4.4 lets a stream close "in the absence of an error", so the
    // missing error failed SERR-GEN-01 at MUST beside sm-ack-too-high's SM-ACK-10 warning. The fault is SM-ACK-10's
    // now (sm-ack-too-high warns, both cells); sm-misuse-ends-stream takes the close as the MAY taken up: fail -> pass.
    id: "mobile.sm.misuse-closed-without-error",
    area: "mobile",
    requirements: ["SM-ACK-10"],
    description: "an <a/> whose 'h' is higher than what the server sent ends the stream with the closing stream tag alone: no stream error",
    stream: {
      fromClient: tooHigh.fromClient,
      element: (el, ctx) => {
        tooHigh.count(el, ctx);
        return ackedTooHigh.has(ctx.conn) && isStreamError(el) ? [] : "pass";
      },
    },
  },
  {
    // Twenty-seventh audit: sm-resume-expired went on with the new stream's <presence/> whether or not it had bound a
    // resource, so a server that ends the stream on a bind after a failed resumption (SM-FAIL-09, a SHOULD) made the
    // case an error (adhoc audit.sm.bind-after-failed-closes). What follows the bind is now judged only where it bound:
    // error -> warn (SM-FAIL-09; ejabberd 23.01: Prosody's <enabled/> grants no 'max' the case runs with).
    id: "mobile.sm.resume.bind-after-failed-closes",
    area: "mobile",
    requirements: ["SM-FAIL-09"],
    description: "after a failed resumption, a bind on the same stream gets a stream error <not-authorized/> and the stream is closed",
    stream: sm((el, s) =>
      s.request?.name === "resume" && s.authenticated && el.name === "iq" && el.getChild("bind", "urn:ietf:params:xml:ns:xmpp-bind")
        ? [rawXml("<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>")]
        : "pass",
    ),
  },
  {
    // Thirty-sixth audit: sm-resume-unknown asked the bind after a failed resumption (SM-FAIL-09, XEP-0198 §5: "the
    // server SHOULD allow the client to bind a resource at this point") for RFC 6120 §7.6.1's <bind/> child, which the
    // core bind cases judge, so a server that allowed the bind warned SM-FAIL-09. The bind is now judged by its
    // result alone: warn -> pass (SM-FAIL-09; Prosody 13). The server breaks the core bind rule, not SM-FAIL-09.
    id: "mobile.sm.resume.failed-bind-result-bare",
    area: "mobile",
    requirements: ["BIND-GEN-01"],
    description: "after a failed resumption, the bind on the same stream is answered with an IQ result that has no <bind/> child",
    stream: sm((el, s) =>
      s.request?.name === "resume" && s.authenticated && el.name === "iq" && el.attrs.type === "result" && el.getChild("bind", "urn:ietf:params:xml:ns:xmpp-bind")
        ? changed(el, (c) => (c.children = []))
        : "pass",
    ),
  },
  {
    // Twenty-seventh audit: sm-resume-expired's 'stored-undated' outcome cited only SM-UNACKED-02/03, so a stored
    // unacknowledged message without a <delay/> left SM-UNACKED-04 not reached and passed (adhoc
    // audit.sm.stored-undated). A check after that outcome now asks for the <delay/>: pass -> warn (SM-UNACKED-04;
    // ejabberd 23.01).
    id: "mobile.sm.resume.stored-undated",
    area: "mobile",
    requirements: ["SM-UNACKED-04"],
    description: "a message stored offline for a session that was not resumed in time is delivered to the next session without a <delay/>",
    stream: sm((el, s) =>
      s.request?.name === "resume" && s.authenticated && el.name === "message" && el.getChild("delay", "urn:xmpp:delay")
        ? changed(el, (c) => (c.children = c.children.filter((x) => typeof x === "string" || !(x.name === "delay" && x.attrs.xmlns === "urn:xmpp:delay"))))
        : "pass",
    ),
  },
  {
    // Class sweep (2026-11-28, a class note of the sixtieth audit's muc-history-delay): sm-resume-expired took the
    // stored message's <delay/> with stamp='{any}', so a server stamping it with a fixed time and not "the original
    // (failed) delivery timestamp" (XEP-0198 §4) passed. The stamp is within the case's own time now. No local release
    // reaches that step (Prosody offers no resumption of at most five seconds: skip; ejabberd keeps no m1: warn on
    // SM-UNACKED-04 either way), so this fault is for a server that does.
    id: "mobile.sm.resume.stored-stamp-fixed",
    area: "mobile",
    requirements: ["SM-UNACKED-04"],
    description: "a message stored offline for a session that was not resumed in time is delivered with a <delay/> whose stamp is a fixed time (2002-10-13T23:58:37Z), not the original delivery's",
    stream: sm((el, s) =>
      s.request?.name === "resume" && s.authenticated && el.name === "message" && el.getChild("delay", "urn:xmpp:delay")
        ? changed(el, (c) => (c.getChild("delay", "urn:xmpp:delay")!.attrs.stamp = "2002-10-13T23:58:37Z"))
        : "pass",
    ),
  },
  // XEP-0198 §9: inline features.
  {
    // Twenty-fifth audit: sm-inline-advertised judged both rules by one 'one of' whose first alternative matching SASL2's
    // <sm/> credited SM-INLINE-02 alone, so a Bind 2 <inline/> that names Stream Management in a form §9.1 does not write
    // passed (SM-INLINE-01 not reached; adhoc inline-alts). Each rule now has a check of its own: pass -> warn
    // (SM-INLINE-01; Prosody 13, --tls starttls).
    id: "mobile.sm.inline.bind2-sm-element",
    area: "mobile",
    requirements: ["SM-INLINE-01"],
    description: "Bind 2's <inline/> in the stream features lists Stream Management as <sm xmlns='urn:xmpp:sm:3'/> instead of <feature var='urn:xmpp:sm:3'/>",
    stream: {
      element: (el) => {
        const inline = el.getName() === "features" ? el.getChild("authentication", SASL2)?.getChild("inline")?.getChild("bind", BIND2)?.getChild("inline") : undefined;
        if (!inline?.getChildren("feature").some((f) => f.attrs.var === SM)) return "pass";
        return changed(el, (c) => {
          const copy = c.getChild("authentication", SASL2)!.getChild("inline")!.getChild("bind", BIND2)!.getChild("inline")!;
          copy.children = copy.children.map((x) => (typeof x !== "string" && x.name === "feature" && x.attrs.var === SM ? xml("sm", { xmlns: SM }) : x));
        });
      },
    },
  },
  {
    // Twenty-fifth audit: the same 'one of' took features whose SASL2 <inline/> lists resumption in another form than
    // §9.2's <sm/> through its Bind 2 alternative (SM-INLINE-01 pass), so SM-INLINE-02 was never judged: pass -> warn
    // (SM-INLINE-02; Prosody 13, --tls starttls).
    id: "mobile.sm.inline.sasl2-feature-var",
    area: "mobile",
    requirements: ["SM-INLINE-02"],
    description: "SASL2's <inline/> in the stream features lists stream resumption as <feature var='urn:xmpp:sm:3'/> instead of <sm xmlns='urn:xmpp:sm:3'/>",
    stream: {
      element: (el) => {
        const inline = el.getName() === "features" ? el.getChild("authentication", SASL2)?.getChild("inline") : undefined;
        if (!inline?.getChild("sm", SM)) return "pass";
        return changed(el, (c) => {
          const copy = c.getChild("authentication", SASL2)!.getChild("inline")!;
          copy.children = copy.children.map((x) => (typeof x !== "string" && x.name === "sm" && x.attrs.xmlns === SM ? xml("feature", { var: SM }) : x));
        });
      },
    },
  },
  // XEP-0352.
  {
    id: "mobile.csi.starts-inactive",
    area: "mobile",
    requirements: ["CSI-STATE-01"],
    description: "a new stream starts inactive: presence updates and messages without a body wait until the client sends something",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        const s = stateOf(ctx.conn);
        for (const h of s.held?.splice(0) ?? []) ctx.conn.deliver(h);
      },
      element: (el, ctx) => {
        const s = stateOf(ctx.conn);
        const unimportant = (el.name === "presence" && (el.attrs.type === undefined || el.attrs.type === "unavailable")) || (el.name === "message" && !el.getChild("body") && !isMarker(el));
        if (!ctx.conn.jid || s.saidActive || !isStanza(el) || !unimportant) return "pass";
        (s.held ??= []).push(copyOf(el));
        return "drop";
      },
    },
  },
  {
    id: "mobile.csi.resumed-inactive",
    area: "mobile",
    requirements: ["CSI-STATE-04"],
    description: "a stream that resumes a session whose former stream said <inactive/> is inactive too: presence updates to it are held back (and never sent)",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        const s = stateOf(ctx.conn);
        if (s.smid && el.attrs.xmlns === CSI) el.name === "inactive" ? inactiveSmids.add(s.smid) : inactiveSmids.delete(s.smid);
      },
      element: (el, ctx) => {
        const s = stateOf(ctx.conn);
        track(el, ctx);
        if (isSm(el, "resumed") && inactiveSmids.has(String(el.attrs.previd ?? s.request?.attrs.previd))) s.inactive = true;
        return s.inactive && s.request?.name === "resume" && el.name === "presence" && isStanza(el) ? "drop" : "pass";
      },
    },
  },
  {
    // Forty-first audit (2026-11-27): csi-resumed-active warned CSI-STATE-04 where the resumed stream was active
    // but no longer an available resource; it now shows c2 available first (on Prosody 13: warn CSI-STATE-04 ->
    // warn SM-RESUME-16, CSI-STATE-04 not reached).
    id: "mobile.sm.resumed.presence-lost",
    area: "mobile",
    requirements: ["SM-RESUME-16"],
    description: "a resumed session comes back without its former presence: connected, not available, it gets no contact's presence (whatever its CSI state)",
    stream: sm((el, s) =>
      s.request?.name === "resume" && el.name === "presence" && isStanza(el) && String(el.attrs.from ?? "").split("/")[0] !== String(el.attrs.to ?? "").split("/")[0] ? "drop" : "pass",
    ),
  },
  {
    id: "mobile.csi.held-never-flushed",
    area: "mobile",
    requirements: ["CSI-STATE-03", "DELIVERY-MSG-FULLMATCH-1NN"],
    description: "stanzas held back while the client is inactive (messages with a body too) are never sent, not even after <active/>",
    stream: sm((el, s, ctx) => (ctx.conn.jid && s.inactive && isStanza(el) && el.name !== "iq" && !isMarker(el) ? "drop" : "pass")),
  },
  {
    id: "mobile.csi.inactive-as-away",
    area: "mobile",
    requirements: ["CSI-PRES-01", "CSI-PRIV-01"],
    description: "the server shows a client's <inactive/> to the user's contacts and other resources as presence 'away'",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        if (!ctx.conn.jid || el.attrs.xmlns !== CSI || el.name !== "inactive") return;
        for (const peer of ctx.peers()) peer.deliver(xml("presence", { from: ctx.conn.jid, to: peer.jid }, xml("show", {}, "away")));
      },
    },
  },
  {
    // Fifty-eighth audit (2026-11-28): csi-presence-independent's absences were barrier-decided, so an "away" the
    // server derives from <inactive/> on a timer, after the barrier, passed; the first absence now waits the timeout.
    id: "mobile.csi.inactive-as-away-delayed",
    area: "mobile",
    requirements: ["CSI-PRES-01"],
    description: "1.5 s after a client's <inactive/>, the server shows the user's contacts and other resources presence 'away' from it (an auto-away on a timer)",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        if (!ctx.conn.jid || el.attrs.xmlns !== CSI || el.name !== "inactive") return;
        const from = ctx.conn.jid;
        setTimeout(() => {
          for (const peer of ctx.peers()) peer.deliver(xml("presence", { from, to: peer.jid }, xml("show", {}, "away")));
        }, 1500).unref();
      },
    },
  },
  {
    id: "mobile.csi.inactive-as-chat-state",
    area: "mobile",
    requirements: ["CSI-PRIV-01"],
    description: "the server tells the user's contacts that a client went inactive, with a chat state notification (XEP-0085 <inactive/>) from that client, not a presence",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        if (!ctx.conn.jid || el.attrs.xmlns !== CSI || el.name !== "inactive") return;
        for (const peer of ctx.peers())
          if (peer.jid && bare(peer.jid) !== bare(ctx.conn.jid))
            peer.deliver(xml("message", { from: ctx.conn.jid, to: peer.jid, type: "chat" }, xml("inactive", { xmlns: "http://jabber.org/protocol/chatstates" })));
      },
    },
  },
  {
    // Nineteenth audit: csi-feature passed a server that takes <inactive/> but offers no <csi/> (its outcome for a
    // server that reads on past the element credited nothing, and nothing else could fail); a chat state the
    // server holds back after the <inactive/> now shows it took the element, and CSI-DISCO-01 warns.
    id: "mobile.csi.unadvertised",
    area: "mobile",
    requirements: ["CSI-DISCO-01"],
    description: "the server takes <inactive/> and holds back what it deems unimportant, but its stream features after authentication do not offer <csi/>",
    stream: {
      element: (el) =>
        el.getName() === "features" && el.getChild("csi", CSI)
          ? changed(el, (c) => (c.children = c.children.filter((x) => typeof x === "string" || !(x.name === "csi" && x.attrs.xmlns === CSI))))
          : "pass",
    },
  },
  {
    // Fifty-sixth audit (2026-11-28): sm-feature: its outcomes for a server that does not take <enable/> credited
    // SM-FEATURE-01, whose condition (the server supports Stream Management) never arose; only `offered` credits it
    // now. The control that the rule can still fail: Stream Management works (an <enable/> gets <enabled/>) but the
    // features do not offer <sm/>, which matches no outcome (Prosody 13: warn SM-FEATURE-01, old and new file).
    id: "mobile.sm.unadvertised",
    area: "mobile",
    requirements: ["SM-FEATURE-01"],
    description: "the server enables Stream Management on <enable/>, but its stream features after authentication do not offer <sm xmlns='urn:xmpp:sm:3'/>",
    stream: {
      element: (el) =>
        el.getName() === "features" && el.getChild("sm", SM)
          ? changed(el, (c) => (c.children = c.children.filter((x) => typeof x === "string" || !(x.name === "sm" && x.attrs.xmlns === SM))))
          : "pass",
    },
  },
  {
    // Sixty-third audit (2026-11-29): sm-feature awaited the answer to its ping only inside its 'one of', where the
    // loader attached no STANZA-IQ-01, so a server without Stream Management that ignores the <enable/> and never
    // answers the ping warned SM-FEATURE-01, whose condition never arose. The 'one of' now fails STANZA-IQ-01 alone
    // when no outcome holds and an answer it awaits never came: warn SM-FEATURE-01 -> fail STANZA-IQ-01.
    id: "mobile.sm.unsupported-ping-unanswered",
    area: "mobile",
    requirements: ["STANZA-IQ-01"],
    description: "a server without Stream Management (no <sm/> offered, an <enable/> ignored) leaves a ping sent after the <enable/> unanswered",
    stream: (() => {
      const pinged = new WeakMap<ProxiedConnection, Set<string>>();
      const enabled = new WeakSet<ProxiedConnection>();
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          if (isSm(el, "enable")) enabled.add(ctx.conn);
          else if (enabled.has(ctx.conn) && el.name === "iq" && el.getChild("ping", "urn:xmpp:ping")) pinged.set(ctx.conn, (pinged.get(ctx.conn) ?? new Set()).add(String(el.attrs.id)));
        },
        element: (el: Element, ctx: FaultContext) => {
          if (el.getName() === "features" && el.getChild("sm", SM))
            return changed(el, (c) => (c.children = c.children.filter((x) => typeof x === "string" || !(x.name === "sm" && x.attrs.xmlns === SM))));
          if (isSm(el, "enabled") || isSm(el, "failed")) return "drop";
          return el.name === "iq" && pinged.get(ctx.conn)?.delete(String(el.attrs.id)) ? "drop" : "pass";
        },
      } satisfies StreamFault;
    })(),
  },
  {
    // Twenty-fifth audit: csi-active-at-start credited CSI-STATE-01 by a delivery RFC 6121 requires whatever the
    // client's state, so a server that never delivers a message holding only a chat state failed the CSI rule
    // although it held nothing back (adhoc csi-drop-chatstates). A control stream that said <active/> now gets one
    // first, under the RFC 6121 row: CSI-STATE-01 fail -> not reached, DELIVERY-MSG-FULLMATCH-2NN/chat fail (the
    // chatstate cell fails both ways; Prosody 0.12).
    id: "mobile.csi.chat-states-never-delivered",
    area: "mobile",
    requirements: ["DELIVERY-MSG-FULLMATCH-*"],
    description: "a message holding only a chat state (no body) never reaches the resource it is addressed to, active or not",
    fault: (el) => (el.name === "message" && !el.getChild("body") && !isMarker(el) && el.getChild("composing", CHATSTATES) ? "drop" : "pass"),
  },
  {
    // Forty-sixth audit (2026-11-27): sm-resume-roster-push waited for the answer to j2's roster set as set-up, so a
    // server that adds the item and pushes it but never answers the roster set was skipped there, before anything
    // was judged. That answer is now ROSTER-ADD-01's (MUST): skip -> fail.
    id: "mobile.roster.set-unanswered",
    area: "mobile",
    requirements: ["ROSTER-ADD-01", "STANZA-IQ-01"],
    description: "a roster set is carried out (the item added and pushed) but the resource that sent it gets no IQ result",
    stream: (() => {
      const asked = new WeakMap<ProxiedConnection, Set<string>>();
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          observe(el, ctx);
          if (el.name === "iq" && el.attrs.type === "set" && el.attrs.id !== undefined && el.getChild("query", "jabber:iq:roster"))
            asked.set(ctx.conn, (asked.get(ctx.conn) ?? new Set()).add(String(el.attrs.id)));
        },
        element: (el: Element, ctx: FaultContext) => (el.name === "iq" && el.attrs.type === "result" && asked.get(ctx.conn)?.delete(String(el.attrs.id)) ? "drop" : "pass"),
      } satisfies StreamFault;
    })(),
  },
  {
    // Class sweep (2026-11-26, group X3): sm-resume-roster-push credited SM-RESUME-17 by a roster push RFC 6121 §2.2
    // makes the server send every interested resource, so a server that pushes only to resources that sent presence
    // warned the resumption rule although it lost nothing across the break (the resumed stream never sent any).
    // Another interested resource without presence now gets the push first, under ROSTER-PUSH-01: warn (SM-RESUME-17)
    // -> fail (ROSTER-PUSH-01 fail, SM-RESUME-17 not reached) on Prosody 13. A stream fault: it sees resumed streams.
    id: "mobile.roster.push-available-only",
    area: "mobile",
    requirements: ["ROSTER-PUSH-01"],
    description: "roster pushes go only to the user's resources that have sent presence, not to connected resources that requested the roster without it",
    stream: (() => {
      const available = new WeakSet<ProxiedConnection>();
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          observe(el, ctx);
          if (el.name === "presence" && el.attrs.to === undefined && el.attrs.type === undefined) available.add(ctx.conn);
        },
        element: (el: Element, ctx: FaultContext) => (el.name === "iq" && el.attrs.type === "set" && Boolean(el.getChild("query", "jabber:iq:roster")) && !available.has(ctx.conn) ? "drop" : "pass"),
      } satisfies StreamFault;
    })(),
  },
  {
    // Class sweep (2026-11-26, group X3): csi-inactive-delivers credited CSI-INACTIVE-01 (derived) by a message with a
    // body reaching the inactive client, a delivery RFC 6121 §8.5.3.1 requires whatever the client's state, so a server
    // that never delivers a message of type 'normal' to a full JID warned the CSI rule although it held nothing back.
    // Another available resource of the user gets the same kind of message first, under the RFC 6121 row: normal
    // cell warn (CSI-INACTIVE-01) -> fail (DELIVERY-MSG-FULLMATCH-2NN/normal fail, CSI-INACTIVE-01 not reached) on
    // Prosody 13; the chat cell passes both ways.
    id: "mobile.message.normal-to-full-jid-lost",
    area: "mobile",
    requirements: ["DELIVERY-MSG-FULLMATCH-*"],
    description: "a message of type 'normal' (or without a type) with a body, addressed to a connected resource's full JID, never reaches that resource",
    fault: (el) =>
      el.name === "message" &&
      (el.attrs.type === undefined || el.attrs.type === "normal") &&
      Boolean(el.getChild("body")) &&
      !isMarker(el) &&
      String(el.attrs.to ?? "").includes("/") &&
      String(el.attrs.from ?? "").includes("@") &&
      bare(String(el.attrs.from)) !== bare(String(el.attrs.to))
        ? "drop"
        : "pass",
  },
  {
    // Class sweep (2026-11-26, group X3): csi-after-active credited CSI-STATE-03 by a presence update RFC 6121 §4.4.2
    // makes the server broadcast whatever the client's state, so a server that never broadcasts an update carrying
    // a <show/> warned the CSI rule although it held nothing back. Another available resource of the user, which
    // never said <inactive/>, now gets the update first, under PRES-UPD-01: warn (CSI-STATE-03) -> fail (PRES-UPD-01
    // fail, CSI-STATE-03 not reached) on Prosody 13; csi-resumed-active the same (CSI-STATE-04 warn -> PRES-UPD-01 fail).
    id: "mobile.presence.show-update-lost",
    area: "mobile",
    requirements: ["PRES-UPD-01"],
    description: "a contact's presence update that carries a <show/> is never broadcast to the user's resources (the contact's initial presence, without <show/>, still comes)",
    // A stream fault: it sees the stanzas of a resumed stream too, which never binds.
    stream: {
      element: (el) =>
        el.name === "presence" && el.attrs.type === undefined && Boolean(el.getChild("show")) && el.attrs.to !== undefined && bare(String(el.attrs.from ?? "")) !== bare(String(el.attrs.to))
          ? "drop"
          : "pass",
    },
  },
  {
    // Fortieth audit (2026-11-27): csi-after-active judged the stream after <active/> by a presence update only, so a
    // server whose one optimisation discards messages holding only a chat state (XEP-0352 §3.2's example), and whose
    // <active/> does not end it, passed (adhoc.csi.chatstates-dropped-after-active). A chatstate cell now sends one
    // after <active/>: csi-after-active pass -> warn (chatstate cell CSI-STATE-03 warn, presence cell pass) on Prosody 13.
    id: "mobile.csi.chat-states-dropped-after-active",
    area: "mobile",
    requirements: ["CSI-STATE-03"],
    description: "after <inactive/>, messages holding only a chat state are discarded, and <active/> does not end it (presence flows as before)",
    stream: (() => {
      const saidInactive = new WeakSet<ProxiedConnection>();
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          if (el.name === "inactive" && el.attrs.xmlns === CSI) saidInactive.add(ctx.conn);
        },
        element: (el: Element, ctx: FaultContext) =>
          saidInactive.has(ctx.conn) && el.name === "message" && !el.getChild("body") && !isMarker(el) && el.children.some((c) => typeof c !== "string" && c.attrs.xmlns === CHATSTATES)
            ? "drop"
            : "pass",
      } satisfies StreamFault;
    })(),
  },
  {
    // Class sweep 3 (2026-11-27, group S5): csi-active-at-start and csi-flush-on-active judged PRES-INIT-04 (a contact's
    // current presence reaching the new session, MUST) before their own rules, which do not rest on it, so a server
    // that never sends a new session its contacts' current presence failed there and left the CSI, delivery and
    // order rules not reached. Judged last now: PRES-INIT-04 still fails, the other rules are judged (Prosody 13).
    id: "mobile.presence.current-presence-withheld",
    area: "mobile",
    requirements: ["PRES-INIT-04"],
    description:
      "a new presence session never gets its contacts' current presence: an available presence from a resource whose latest available presence came before the session's initial presence (a probe's answer) is dropped",
    stream: (() => {
      let seq = 0;
      /** When each full JID last sent available presence, and when each connection sent its initial presence. */
      const availableAt = new Map<string, number>();
      const initialAt = new WeakMap<ProxiedConnection, number>();
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          observe(el, ctx);
          if (el.name === "presence" && el.attrs.to === undefined && el.attrs.type === undefined && ctx.conn.jid) {
            availableAt.set(ctx.conn.jid, ++seq);
            if (!initialAt.has(ctx.conn)) initialAt.set(ctx.conn, seq);
          }
        },
        element: (el: Element, ctx: FaultContext) => {
          const since = initialAt.get(ctx.conn);
          const from = String(el.attrs.from ?? "");
          const at = availableAt.get(from);
          return el.name === "presence" && el.attrs.type === undefined && since !== undefined && at !== undefined && at < since && bare(from) !== bare(ctx.conn.jid ?? "") ? "drop" : "pass";
        },
      } satisfies StreamFault;
    })(),
  },
  {
    // Twenty-sixth audit: csi-flush-on-active placed only the two messages before the answer to the client's first
    // request after <active/>; romeo's latest presence had to come before the second answer only, and the chat states
    // and intermediate presences were not placed at all, so a server that flushes them after that first answer passed
    // (adhoc csi-late-presence, csi-late-chatstates). Nothing of romeo's may now come after that answer: pass -> warn
    // (CSI-ORDER-01) in all three cells (Prosody 0.12 and 13). The second holds back only messages without a body,
    // which the chatstates cell's own check catches (pass -> warn there; the other cells have none to hold).
    id: "mobile.csi.flushed-after-next-answer",
    area: "mobile",
    requirements: ["CSI-ORDER-01"],
    description:
      "while the client is inactive, other entities' presence and messages without a body are held back; after <active/> they are sent only after the answer to the client's next IQ request",
    stream: flushedAfterNextAnswer((el) => el.name === "presence" || (el.name === "message" && !el.getChild("body") && !isMarker(el))),
  },
  {
    // Fifty-eighth audit (2026-11-28), class note of csi-presence-independent: csi-flush-on-active's absences after
    // the pong were barrier-decided, so a server that flushes what it held on a timer after <active/>, after the
    // barrier, passed CSI-ORDER-01; the first absence now waits the timeout.
    id: "mobile.csi.flushed-on-timer",
    area: "mobile",
    requirements: ["CSI-ORDER-01"],
    description:
      "while the client is inactive, other entities' presence and messages are held back; after <active/> they are sent 1 s later, on a timer, after the answer to the client's next IQ request",
    stream: {
      fromClient: (el, ctx) => {
        const was = stateOf(ctx.conn).inactive;
        observe(el, ctx);
        if (!was || el.attrs.xmlns !== CSI || el.name !== "active") return;
        const held = stateOf(ctx.conn).held?.splice(0) ?? [];
        setTimeout(() => {
          for (const h of held) ctx.conn.deliver(h);
        }, 1000).unref();
      },
      element: (el, ctx) => {
        const s = stateOf(ctx.conn);
        const jid = ctx.conn.jid;
        const other = Boolean(jid) && el.attrs.from !== undefined && bare(String(el.attrs.from)) !== bare(jid);
        if (s.inactive && isStanza(el) && other && (el.name === "presence" || el.name === "message") && !isMarker(el)) {
          (s.held ??= []).push(copyOf(el));
          return "drop";
        }
        return "pass";
      },
    },
  },
  {
    id: "mobile.csi.chat-states-after-next-answer",
    area: "mobile",
    requirements: ["CSI-ORDER-01"],
    description:
      "while the client is inactive, other entities' messages without a body (chat states) are held back; after <active/> they are sent only after the answer to the client's next IQ request",
    stream: flushedAfterNextAnswer((el) => el.name === "message" && !el.getChild("body") && !isMarker(el)),
  },
  {
    // Twenty-eighth audit: csi-flush-on-active judged the order of the two held messages and their place before the
    // pong as one order under CSI-ORDER-01 (derived SHOULD), so a server that flushes them in reverse order, both before
    // the pong, warned CSI-ORDER-01, a rule it kept, and never failed RFC 6120 §10.1 (ROUTE-ORDER-01, MUST), the rule it
    // broke (adhoc csi-reversed-flush). The messages' order is now ROUTE-ORDER-01's and their place CSI-ORDER-01's:
    // warn -> fail (ROUTE-ORDER-01; CSI-ORDER-01 warn -> pass) in all three cells (Prosody 13).
    id: "mobile.csi.held-messages-reversed",
    area: "mobile",
    requirements: ["ROUTE-ORDER-01"],
    description:
      "while the client is inactive, other entities' messages with a body are held back; on <active/> they are flushed in the reverse of the order they came in, before the answer to the client's next IQ request",
    stream: (() => {
      const flushing = new WeakSet<ProxiedConnection>();
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          const was = stateOf(ctx.conn).inactive;
          observe(el, ctx);
          if (was && el.attrs.xmlns === CSI && el.name === "active") flushing.add(ctx.conn);
        },
        element: (el: Element, ctx: FaultContext) => {
          const s = stateOf(ctx.conn);
          const jid = ctx.conn.jid;
          const other = Boolean(jid) && el.attrs.from !== undefined && bare(String(el.attrs.from)) !== bare(jid);
          if (s.inactive && isStanza(el) && other && el.name === "message" && el.getChild("body") && !isMarker(el)) {
            (s.held ??= []).push(copyOf(el));
            return "drop";
          }
          if (flushing.has(ctx.conn) && el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error")) {
            flushing.delete(ctx.conn);
            return [...(s.held?.splice(0) ?? []).reverse(), el];
          }
          return "pass";
        },
      };
    })(),
  },
  {
    // Twenty-seventh audit: csi-no-reply looked for stanzas only after each element, so a server that answers
    // <inactive/> and <active/> with an element passed (adhoc audit.csi.echo-reply). The elements of XEP-0352 and
    // XEP-0198 are now looked for too: pass -> warn (CSI-STATE-02) in all three cells (Prosody 13).
    id: "mobile.csi.echo-reply",
    area: "mobile",
    requirements: ["CSI-STATE-02"],
    description: "each <inactive/> or <active/> is answered with the same element (a reply, not a stanza)",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        if (el.attrs.xmlns === CSI && ctx.conn.jid) ctx.conn.deliver(xml(el.name, { xmlns: CSI }));
      },
    },
  },
  {
    // Twenty-seventh audit: csi-no-reply's barrier after the element pinged a stream the server had ended, an error
    // of the harness, so a server that answers <inactive/> or <active/> with a stream error was an `error` with
    // CSI-STATE-02 not reached (adhoc audit.csi.stream-error). The steps after the element that show the stream goes on
    // now prove the rule and fail on an ended stream: error -> warn (CSI-STATE-02) in all three cells (Prosody 13).
    id: "mobile.csi.stream-error",
    area: "mobile",
    requirements: ["CSI-STATE-02"],
    description: "an <inactive/> or <active/> is answered with a stream error <unsupported-stanza-type/> and the closing stream tag",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        if (el.attrs.xmlns === CSI && ctx.conn.jid) ctx.conn.deliver(rawXml("<stream:error><unsupported-stanza-type xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>"));
      },
    },
  },
  // XEP-0357.
  {
    id: "mobile.push.not-advertised",
    area: "mobile",
    requirements: ["PUSH-DISCO-01"],
    description: "the server takes <enable/> but the disco#info of the user's bare JID does not list urn:xmpp:push:0",
    fault: when(
      (el) => el.name === "iq" && el.attrs.type === "result" && Boolean(el.getChild("query", DISCO_INFO)?.getChildByAttr("var", PUSH)),
      (el) =>
        changed(el, (c) => {
          const q = c.getChild("query", DISCO_INFO)!;
          q.children = q.children.filter((x) => typeof x === "string" || x.attrs.var !== PUSH);
        }),
    ),
  },
  {
    id: "mobile.push.publish-missing",
    area: "mobile",
    requirements: ["PUSH-NOTIFY-01"],
    description: "the server never publishes a push notification",
    fault: when(isPublish, () => "drop"),
  },
  {
    id: "mobile.push.enable-refused",
    area: "mobile",
    requirements: ["PUSH-ENABLE-01"],
    description: "the server answers every push <enable/> with an IQ error (internal-server-error) and so publishes nothing",
    stream: {
      fromClient: (el, ctx) => {
        if (el.name !== "iq" || el.attrs.type !== "set" || !el.getChild("enable", PUSH) || el.attrs.id === undefined) return;
        const ids = enableIds.get(ctx.conn) ?? new Set<string>();
        enableIds.set(ctx.conn, ids.add(String(el.attrs.id)));
      },
      element: (el, ctx) => {
        if (isPublish(el)) return "drop";
        if (el.name !== "iq" || el.attrs.type !== "result" || !enableIds.get(ctx.conn)?.has(String(el.attrs.id))) return "pass";
        const { to, from, id } = el.attrs;
        return [xml("iq", { type: "error", id, ...(to && { to }), ...(from && { from }) }, xml("error", { type: "wait" }, xml("internal-server-error", { xmlns: STANZAS })))];
      },
    },
  },
  (() => {
    // Seventy-first audit (round 71): push-not-enabled waited for the control service's <enable/> result as set-up,
    // though PUSH-ENABLE-01 is judged (push-enable, and this case on the first enable): a server that refuses a
    // second registration skipped the case. It now proves PUSH-ENABLE-01 there. Prosody 13, old -> new file,
    // disabled-node and disabled-service: skip -> warn (PUSH-ENABLE-01).
    const enables = new WeakMap<ProxiedConnection, Map<string, string>>(); // each connection's push <enable/>s, in order: id -> service JID
    const refused = new Set<string>(); // the service JIDs of the refused <enable/>s: nothing is published to them
    return {
      id: "mobile.push.second-enable-refused",
      area: "mobile",
      requirements: ["PUSH-ENABLE-01"],
      description: "a session's second push <enable/> is answered with not-allowed (one registration per session), and that service gets no publish",
      stream: {
        fromClient: (el, ctx) => {
          const enable = el.name === "iq" && el.attrs.type === "set" ? el.getChild("enable", PUSH) : undefined;
          if (!enable || el.attrs.id === undefined) return;
          enables.set(ctx.conn, (enables.get(ctx.conn) ?? new Map<string, string>()).set(String(el.attrs.id), String(enable.attrs.jid)));
        },
        element: (el, ctx) => {
          if (isPublish(el)) return ctx.conn.jid && (refused.has(ctx.conn.jid) || refused.has(bare(ctx.conn.jid))) ? "drop" : "pass";
          const mine = enables.get(ctx.conn);
          if (el.name !== "iq" || el.attrs.type !== "result" || !mine || [...mine.keys()].indexOf(String(el.attrs.id)) < 1) return "pass";
          refused.add(mine.get(String(el.attrs.id))!);
          const { to, from, id } = el.attrs;
          return [xml("iq", { type: "error", id, ...(to && { to }), ...(from && { from }) }, xml("error", { type: "cancel" }, xml("not-allowed", { xmlns: STANZAS })))];
        },
      },
    } satisfies FaultDef;
  })(),
  {
    // XEP-0357 §5 lets a service be enabled for several nodes (a MAY); a server that answers the second <enable/>
    // with a result has enabled that (JID, node) too (PUSH-ENABLE-01), and this one then publishes to the first only.
    id: "mobile.push.one-node-per-service",
    area: "mobile",
    requirements: ["PUSH-ENABLE-01"],
    description: "the server answers a second <enable/> of a service (another node) with a result, but publishes only to the first node enabled for that service",
    stream: {
      fromClient: (el) => {
        const enable = el.name === "iq" && el.attrs.type === "set" ? el.getChild("enable", PUSH) : undefined;
        const [jid, node] = [enable?.attrs.jid, enable?.attrs.node];
        if (jid !== undefined && node !== undefined && !firstNode.has(String(jid))) firstNode.set(String(jid), String(node));
      },
      element: (el) => {
        if (!isPublish(el)) return "pass";
        const first = firstNode.get(String(el.attrs.to));
        return first !== undefined && el.getChild("pubsub", PUBSUB)!.getChild("publish")!.attrs.node !== first ? "drop" : "pass";
      },
    },
  },
  {
    // Fiftieth audit (2026-11-28): push-error waited in set-up for the second service's publish for the first message
    // (XEP-0357 §7: "it performs a PubSub publish to all XMPP Push Services registered for the user", which
    // push-several judges), so a server that publishes only to the first service enabled was skipped; that publish
    // now proves PUSH-NOTIFY-01 (on ejabberd 24.12: skip -> warn).
    id: "mobile.push.first-service-only",
    area: "mobile",
    requirements: ["PUSH-NOTIFY-01"],
    description: "the server answers every <enable/> with a result but publishes only to the first push service a user enabled",
    stream: (() => {
      const firstService = new Map<string, string>(); // user's bare JID -> the JID of the first service enabled
      const later = new Set<string>(); // services a user enabled after another one (the publish's 'from' may be the domain)
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          const jid = el.name === "iq" && el.attrs.type === "set" ? el.getChild("enable", PUSH)?.attrs.jid : undefined;
          if (jid === undefined) return;
          const user = bare(ctx.conn.jid);
          if (!firstService.has(user)) firstService.set(user, String(jid));
          else if (firstService.get(user) !== String(jid)) later.add(String(jid));
        },
        element: (el: Element) => (isPublish(el) && later.has(String(el.attrs.to)) ? "drop" : "pass"),
      };
    })(),
  },
  {
    // Fifty-ninth audit (2026-11-28): push-remote-disable credited the PUSH-REMOTE-01 MAY ('removed') to a first
    // service that got no publish after its affiliation notice, though nothing showed the server ever published to
    // it: this server (the mirror of mobile.push.first-service-only) never does, and passed with no removal.
    id: "mobile.push.latest-service-only",
    area: "mobile",
    requirements: ["PUSH-NOTIFY-01"],
    description: "the server answers every <enable/> with a result but publishes only to the push service a user enabled last",
    stream: (() => {
      const latest = new Map<string, string>(); // user's bare JID -> the JID of the service enabled last
      const userOf = new Map<string, string>(); // a service's JID -> the user who enabled it
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          const jid = el.name === "iq" && el.attrs.type === "set" ? el.getChild("enable", PUSH)?.attrs.jid : undefined;
          if (jid === undefined) return;
          const user = bare(ctx.conn.jid);
          latest.set(user, String(jid));
          userOf.set(String(jid), user);
        },
        element: (el: Element) => {
          const user = isPublish(el) ? userOf.get(String(el.attrs.to)) : undefined;
          return user !== undefined && latest.get(user) !== String(el.attrs.to) ? "drop" : "pass";
        },
      };
    })(),
  },
  {
    id: "mobile.push.wrong-node",
    area: "mobile",
    requirements: ["PUSH-NOTIFY-02"],
    description: "the publish goes to another node than the one the user enabled",
    fault: when(isPublish, (el) => changed(el, (c) => (c.getChild("pubsub", PUBSUB)!.getChild("publish")!.attrs.node = "xc-other-node"))),
  },
  {
    id: "mobile.push.no-notification",
    area: "mobile",
    requirements: ["PUSH-NOTIFY-03"],
    description: "the published item holds the summary form without the <notification/> around it",
    fault: when(isPublish, (el) =>
      changed(el, (c) => {
        const item = c.getChild("pubsub", PUBSUB)!.getChild("publish")!.getChild("item")!;
        item.children = notificationOf(c).children;
      }),
    ),
  },
  {
    id: "mobile.push.publish-options-dropped",
    area: "mobile",
    requirements: ["PUSH-PUBOPT-01", "PUSH-ENABLE-04"],
    description: "the publish leaves out the publish-options form the user gave when enabling",
    fault: when(isPublish, (el) =>
      changed(el, (c) => {
        const pubsub = c.getChild("pubsub", PUBSUB)!;
        pubsub.children = pubsub.children.filter((x) => typeof x === "string" || x.name !== "publish-options");
      }),
    ),
  },
  {
    // Thirty-eighth audit (2026-11-27): push-publish-options/replaced took any <publish-options/> on the first publish
    // as the first request's options, and then judged PUSH-ENABLE-04 on a server that uses no request's options (this
    // one, PUSH-PUBOPT-01's breach, as publish-options-dropped). Now only the first request's secret does. Prosody 13,
    // old -> new file: warn (PUSH-ENABLE-04) -> pass (other-options, PUSH-ENABLE-04 not-reached).
    id: "mobile.push.own-publish-options",
    area: "mobile",
    requirements: ["PUSH-PUBOPT-01"],
    description: "every publish carries publish options of the server's own (a precondition, pubsub#persist_items false), never the form the user gave when enabling",
    fault: when(isPublish, (el) =>
      changed(el, (c) => {
        const pubsub = c.getChild("pubsub", PUBSUB)!;
        pubsub.children = pubsub.children.filter((x) => typeof x === "string" || x.name !== "publish-options");
        pubsub.cnode(
          xml(
            "publish-options",
            {},
            xml(
              "x",
              { xmlns: "jabber:x:data", type: "submit" },
              xml("field", { var: "FORM_TYPE" }, xml("value", {}, `${PUBSUB}#publish-options`)),
              xml("field", { var: "pubsub#persist_items" }, xml("value", {}, "false")),
            ),
          ),
        );
      }),
    ),
  },
  {
    // Thirtieth audit (2026-11-26): push-publish-options/replaced credited PUSH-ENABLE-04 to any publish without the
    // first request's secret, a publish with no publish options at all included. The cell now first sees whether the
    // server sends publish options (a publish after the first <enable/>), and then asks the second publish for the
    // last request's secret. Prosody 13, old -> new file: pass -> warn (PUSH-ENABLE-04).
    id: "mobile.push.options-dropped-after-reenable",
    area: "mobile",
    requirements: ["PUSH-ENABLE-04"],
    description: "the publish carries the enable's publish options, until the same service and node are enabled again: then it carries none",
    stream: (() => {
      const reenabled = new Set<string>();
      const seen = new Map<string, number>();
      return {
        fromClient: (el, ctx) => {
          const enable = el.name === "iq" && el.attrs.type === "set" ? el.getChild("enable", PUSH) : undefined;
          if (!enable || !ctx.conn.jid) return;
          const key = `${bare(ctx.conn.jid)} ${String(enable.attrs.jid)} ${String(enable.attrs.node)}`;
          const n = (seen.get(key) ?? 0) + 1;
          seen.set(key, n);
          if (n > 1) reenabled.add(`${String(enable.attrs.jid)} ${String(enable.attrs.node)}`);
        },
        element: (el, ctx) => {
          if (!isPublish(el) || !ctx.conn.jid) return "pass";
          const node = el.getChild("pubsub", PUBSUB)?.getChild("publish")?.attrs.node;
          if (!reenabled.has(`${ctx.conn.jid} ${String(node)}`)) return "pass";
          return changed(el, (c) => {
            const pubsub = c.getChild("pubsub", PUBSUB)!;
            pubsub.children = pubsub.children.filter((x) => typeof x === "string" || x.name !== "publish-options");
          });
        },
      };
    })(),
  },
  {
    // Thirtieth audit (2026-11-26): push-publish-options/replaced's `receives nothing` now forbids only a publish with
    // the first request's options (any further publish was refused before); this is what it still catches. Prosody 13,
    // old -> new file: warn -> warn (PUSH-ENABLE-04).
    id: "mobile.push.reenable-keeps-first-entry",
    area: "mobile",
    requirements: ["PUSH-ENABLE-04"],
    description: "a second <enable/> of the same service and node adds an entry instead of replacing it: each publish is followed by one with the first request's publish options",
    stream: (() => {
      const first = new Map<string, Element>();
      const reenabled = new Set<string>();
      return {
        fromClient: (el) => {
          const enable = el.name === "iq" && el.attrs.type === "set" ? el.getChild("enable", PUSH) : undefined;
          const form = enable?.getChild("x", "jabber:x:data");
          if (!enable || !form) return;
          const key = `${String(enable.attrs.jid)} ${String(enable.attrs.node)}`;
          if (first.has(key)) reenabled.add(key);
          else first.set(key, copyOf(form));
        },
        element: (el, ctx) => {
          if (!isPublish(el) || !ctx.conn.jid) return "pass";
          const key = `${ctx.conn.jid} ${String(el.getChild("pubsub", PUBSUB)?.getChild("publish")?.attrs.node)}`;
          const form = first.get(key);
          if (!reenabled.has(key) || !form || !el.getChild("pubsub", PUBSUB)?.getChild("publish-options")) return "pass";
          const [old] = changed(el, (c) => {
            c.attrs.id = `${String(c.attrs.id)}-old`;
            const options = c.getChild("pubsub", PUBSUB)!.getChild("publish-options")!;
            options.children = [copyOf(form)];
          });
          return [copyOf(el), old];
        },
      };
    })(),
  },
  {
    // Seventy-first audit (round 71): a <disable/> the server answers but does not carry out leaves the service
    // enabled, which departs from §6's SHOULDs (PUSH-DISABLE-03 with a node, -04 without), not from the MUST about
    // a service not enabled (PUSH-DISABLE-05). push-not-enabled, Prosody 13: disabled-node and disabled-service fail
    // (PUSH-DISABLE-05) -> warn (PUSH-DISABLE-03, PUSH-DISABLE-04).
    id: "mobile.push.ignores-disable",
    area: "mobile",
    requirements: ["PUSH-DISABLE-03", "PUSH-DISABLE-04"],
    description: "the server answers <disable/> but keeps publishing to the service",
    stream: ignoresDisable(0),
  },
  {
    // Twenty-ninth audit: a `receives nothing` of a publish was decided by a barrier, which orders nothing the
    // server sends a push service in its own time; with `wait: timeout` written it now waits the whole timeout.
    // push-not-enabled, old -> new file on Prosody 13: pass -> fail (PUSH-DISABLE-05).
    id: "mobile.push.ignores-disable-late",
    area: "mobile",
    requirements: ["PUSH-DISABLE-03", "PUSH-DISABLE-04"],
    description: "the server answers <disable/> but keeps publishing to the service, each publish leaving 1.5 s after the message that warrants it",
    stream: ignoresDisable(1500),
  },
  {
    id: "mobile.push.other-users-service",
    area: "mobile",
    requirements: ["PUSH-DISABLE-05"],
    description: "the server keeps push registrations by service, not by user: a message to an offline user who never enabled a service is published to the service another user enabled",
    stream: {
      fromClient: (el, ctx) => {
        if (!ctx.conn.jid) return;
        const on = el.name === "iq" && el.attrs.type === "set" ? el.getChild("enable", PUSH) : undefined;
        if (on?.attrs.jid) {
          const user = bare(ctx.conn.jid);
          enabledBy.set(user, (enabledBy.get(user) ?? new Map<string, string>()).set(String(on.attrs.jid), String(on.attrs.node ?? "")));
          return;
        }
        if (el.name !== "message" || !el.attrs.to) return;
        const to = bare(String(el.attrs.to));
        // Pushes are for a user with no session: one online gets the message itself.
        if (ctx.peers().some((p) => bare(p.jid) === to)) return;
        for (const [user, services] of enabledBy) {
          if (user === to) continue;
          for (const [jid, node] of services) {
            if (enabledBy.get(to)?.has(jid)) continue;
            const peer = ctx.peers().find((p) => p.jid === jid || bare(p.jid) === jid);
            peer?.deliver(
              xml(
                "iq",
                { type: "set", from: to.split("@")[1], to: peer.jid, id: `xc-push-${Date.now()}` },
                xml("pubsub", { xmlns: PUBSUB }, xml("publish", { node }, xml("item", {}, xml("notification", { xmlns: PUSH })))),
              ),
            );
          }
        }
      },
    },
  },
  {
    // Nineteenth audit: push-error credited PUSH-ERROR-02 (the MAY to keep a service after an error it deems
    // transient) to a server that never disables a service; an error of type 'cancel' is one RFC 6120 §8.3.2 says
    // cannot be remedied, and a publish after it now warns PUSH-ERROR-01 (push-error/cancel).
    id: "mobile.push.errors-ignored",
    area: "mobile",
    requirements: ["PUSH-ERROR-01"],
    description: "a publish the service answers with an error of type 'cancel' (<item-not-found/>: the node is gone) disables nothing: the next message to the user is published to the service again",
    stream: afterPublishError((failed) => failed.type === "cancel"),
  },
  {
    // Class sweep (2026-11-28, group S2): push-disco: a server without push that never answers <enable/> breaks RFC
    // 6120's IQ rule (STANZA-IQ-01), not XEP-0357 §4.1 (which binds a server that "supports publishing push
    // notifications"); the case judged it as PUSH-DISCO-01.
    id: "push.enable-unanswered",
    area: "mobile",
    requirements: ["STANZA-IQ-01"],
    description: "the server answers no <enable/> of push notifications (neither a result nor an error) and lists no urn:xmpp:push:0 in any disco#info",
    stream: unansweredUnlisted((el) => el.attrs.type === "set" && Boolean(el.getChild("enable", PUSH)), [PUSH]),
  },
  {
    // Class sweep (2026-11-28, group S4): sm-resume-presence-kept judged the server's <r/> on the resumed stream
    // (SM-ACK-06, a MAY) and the message after it (SM-RESUME-16, a SHOULD) before the 'one of' for the contact's
    // presence in answer to the first stream's initial presence (PRES-INIT-04, a MUST), so a server that sent no
    // <r/> there and never sent the contact's presence only warned.
    id: "sm.resumed-no-r-presence-lost",
    area: "mobile",
    requirements: ["PRES-INIT-04"],
    description: "a stream that enabled stream management gets no available presence of other accounts, and a resumed stream gets no <r/> from the server",
    stream: (() => {
      const enabled = new Set<number>();
      const resumed = new Set<number>();
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          if (el.name === "enable" && el.attrs.xmlns === SM) enabled.add(ctx.conn.id);
          if (el.name === "resume" && el.attrs.xmlns === SM) enabled.add(ctx.conn.id);
        },
        element: (el: Element, ctx: FaultContext) => {
          if (el.name === "resumed" && el.attrs.xmlns === SM) resumed.add(ctx.conn.id);
          if (el.name === "r" && el.attrs.xmlns === SM && resumed.has(ctx.conn.id)) return "drop";
          const from = String(el.attrs.from ?? "");
          if (enabled.has(ctx.conn.id) && el.name === "presence" && el.attrs.type === undefined && from.includes("@") && (!ctx.conn.jid || bare(from) !== bare(ctx.conn.jid))) return "drop";
          return "pass";
        },
      } as StreamFault;
    })(),
  },
];

/** A push service's view of one user's events, for a variation that publishes a summary of its own (push-on-subscribe). */
interface PushUser {
  service?: string;
  node?: string;
  messages: number;
  subscriptions: number;
  sender?: string;
  body?: string;
  /** The number of messages the latest notification was for (0: none sent yet). */
  notifiedFor: number;
  /** The counts when the subscription request came: its publish goes just before the first message's. */
  atSubscription?: PushUser;
}
const pushUsers = new Map<string, PushUser>();
const pushUserOf = (jid: string): PushUser => {
  let u = pushUsers.get(jid);
  if (!u) pushUsers.set(jid, (u = { messages: 0, subscriptions: 0, notifiedFor: 0 }));
  return u;
};
let summaryPublishes = 0;
/** A publish carrying a urn:xmpp:push:summary form with what the user's counts are now. */
const summaryPublish = (u: PushUser, id: string, from: string): Element => {
  const field = (v: string, value?: string) => xml("field", { var: v }, ...(value === undefined ? [] : [xml("value", {}, value)]));
  const form = xml(
    "x",
    { xmlns: "jabber:x:data", type: "submit" },
    field("FORM_TYPE", "urn:xmpp:push:summary"),
    field("message-count", String(u.messages)),
    field("pending-subscription-count", String(u.subscriptions)),
    ...(u.sender ? [field("last-message-sender", u.sender), field("last-message-body", u.body ?? "")] : []),
  );
  return xml("iq", { type: "set", id, to: u.service, from }, xml("pubsub", { xmlns: PUBSUB }, xml("publish", { node: u.node }, xml("item", {}, xml("notification", { xmlns: PUSH }, form)))));
};

/** What the three XEPs allow and Prosody or ejabberd do not show: no verdict may change. */
export const VARIATIONS: Variation[] = [
  {
    // Fifty-second audit (2026-11-28): push-disco: a server without push whose disco#info of the account is refused
    // (XEP-0030 §3.1: "an entity is not required to return a result and MAY return an error") matched neither
    // alternative and failed PUSH-DISCO-01 at MUST, though the rule's condition does not hold for it. Run it on a
    // server without push (Prosody 0.12), whose <enable/> is refused.
    id: "mobile-push-none-disco-refused",
    description:
      'a server without push (run where <enable/> is refused): the disco#info of an account\'s bare JID is answered with <service-unavailable/> (XEP-0030 §3.1: "an entity is not required to return a result and MAY return an error")',
    fault: () => "pass",
    stream: answering(
      (el) =>
        el.attrs.type === "get" &&
        Boolean(el.getChild("query", DISCO_INFO)) &&
        el.getChild("query", DISCO_INFO)?.attrs.node === undefined &&
        String(el.attrs.to ?? "").includes("@") &&
        !String(el.attrs.to ?? "").includes("/"),
      (answer) => [xml("iq", { type: "error", id: answer.attrs.id, from: answer.attrs.from, to: answer.attrs.to }, xml("error", { type: "cancel" }, xml("service-unavailable", { xmlns: STANZAS })))],
    ),
  },
  {
    // Thirty-third audit: sm-resume-unknown took an <enabled/> without 'resume' on its probe stream for a server that
    // does not support resumption, and warned SM-FAIL-05 when the unknown 'previd' then got <item-not-found/>. The
    // not-resumable and refused branches now take <item-not-found/> too: warn -> pass (Prosody 13, both cells).
    id: "mobile-sm-resume-declined-per-stream",
    description:
      "a server that resumes sessions declines resumption for a stream (a per-user limit on resumable sessions): its <enabled/> has no 'resume' and no 'id', and an unknown 'previd' still gets <item-not-found/> (XEP-0198 §5: \"If the server will allow the stream to be resumed, it MUST include a 'resume' attribute\"; \"If the server does not recognize the 'previd' as an earlier session (e.g., because the former session has timed out), it MUST return a <failed/> element, which SHOULD include an error condition of <item-not-found/>.\")",
    fault: () => "pass",
    stream: {
      element: (el) =>
        isSm(el, "enabled") && el.attrs.resume !== undefined
          ? changed(el, (c) => {
              for (const a of ["resume", "id", "max", "location"]) delete c.attrs[a];
            })
          : "pass",
    },
  },
  {
    // Thirty-sixth audit (2026-11-27): sm-enable failed SM-RESUME-01 in its resume-true and resume-1 cells on an
    // <enabled/> whose 'resume' was neither true/1 nor false/0, from a server that allows no resumption. Prosody 13,
    // old -> new file: fail -> pass in those cells (the other three pass before and after).
    id: "mobile-sm-enabled-resume-False",
    description:
      "a server without session resumption writes its flag as a host language prints a boolean: its <enabled/> says resume='False' and has no 'id' (XEP-0198 §3: \"If the server allows session resumption, it MUST include a 'resume' attribute set to a value of \"true\" or \"1\".\": a rule on a server that allows it; only §13's xs:boolean, no cited rule, is broken)",
    fault: () => "pass",
    stream: {
      element: (el) =>
        isSm(el, "enabled") && el.attrs.resume !== undefined
          ? changed(el, (c) => {
              for (const a of ["id", "max", "location"]) delete c.attrs[a];
              c.attrs.resume = "False";
            })
          : "pass",
    },
  },
  {
    // Thirty-sixth audit (2026-11-27): the control of sm-enable's new resumption attempt (resume-true and resume-1
    // cells, 'declined-with-id'): a server that declined resumption refuses the 'id' it gave. Prosody 13, old -> new
    // file: pass -> pass (SM-RESUME-01 not-reached -> pass).
    id: "mobile-sm-declined-with-id",
    description:
      "a server declines resumption for a stream but its <enabled/> still carries an 'id' (no 'resume'; the 'id' names no resumable session, so a <resume/> of it gets <failed/>) (XEP-0198 §5: \"If the server will allow the stream to be resumed, it MUST include a 'resume' attribute set to \"true\" or \"1\" on the <enabled/> element and MUST include an 'id' attribute\": nothing forbids an 'id' on another <enabled/>)",
    fault: () => "pass",
    stream: {
      element: (el) =>
        isSm(el, "enabled") && el.attrs.resume !== undefined
          ? changed(el, (c) => {
              for (const a of ["resume", "max", "location"]) delete c.attrs[a];
              if (c.attrs.id !== undefined) c.attrs.id = `xc-declined-${String(c.attrs.id)}`;
            })
          : "pass",
    },
  },
  {
    // Thirty-fifth audit (2026-11-27): sm-resume-unknown's <feature-not-implemented/> answer credited only
    // SM-FAIL-04, so SM-FAIL-05 (the SHOULD on that condition) could fail but never pass. Prosody 13, old -> new
    // file: SM-FAIL-05 not-reached -> pass, both cells.
    id: "mobile-sm-no-resumption-not-implemented",
    description:
      "a server without session resumption: its <enabled/> has no 'resume' and no 'id', and a <resume/> gets <failed/> with <feature-not-implemented/> (XEP-0198 §5: \"If the server does not support session resumption, it MUST return a <failed/> element, which SHOULD include an error condition of <feature-not-implemented/>.\")",
    fault: () => "pass",
    stream: sm((el, s) => {
      if (isSm(el, "enabled")) return el.attrs.resume !== undefined ? changed(el, (c) => ["resume", "id", "max", "location"].forEach((a) => delete c.attrs[a])) : "pass";
      return isSm(el, "failed") && s.request?.name === "resume" && s.authenticated
        ? [rawXml("<failed xmlns='urn:xmpp:sm:3'><feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>")]
        : "pass";
    }),
  },
  {
    // Thirtieth audit (2026-11-26): push-publish-options/replaced warned PUSH-ENABLE-04 on any further publish after
    // the awaited one; it now forbids only a publish with the first request's options. Prosody 13, old -> new file:
    // warn -> pass.
    id: "mobile-push-notified-twice",
    description:
      "each event warranting a notification is published twice to the same service and node (say once when the message is stored offline and once when it is archived), each publish with its own id and the same publish options (XEP-0357 §7 sets no number of publishes per event; which events warrant one is the server's choice)",
    fault: when(isPublish, (el) => {
      const [again] = changed(el, (c) => {
        c.attrs.id = `${String(c.attrs.id)}-again`;
      });
      return [copyOf(el), again];
    }),
  },
  {
    id: "mobile-enabled-max-location",
    description: "a resumable <enabled/> carries a 'max' and a 'location' (XEP-0198 §3: both MAY; 'location' in RFC 6120 §4.9.3.19's form): the client need not reconnect there",
    fault: when(
      (el) => isSm(el, "enabled") && ["true", "1"].includes(String(el.attrs.resume)),
      (el) =>
        changed(el, (c) => {
          c.attrs.max ??= "300";
          c.attrs.location = "[::1]:5222";
        }),
    ),
  },
  {
    // Seventy-eighth audit (round 78): every case that resumes a stream did so at the target's own address whatever
    // the <enabled/>'s 'location' said, and failed SM-RESUME-09 (MUST) on the <failed/> of a server that can resume
    // only where it asked the client to go. Where a 'location' was given, a <failed/> now skips the case. Applied by
    // bench/try-case.ts only (stream). Old -> new file, sm-resume/nothing: fail -> skip on Prosody 13 and ejabberd
    // 24.12 (the other resumption cases likewise).
    id: "mobile-sm-resume-only-at-location",
    description:
      "a resumable <enabled/> names a 'location' (a connection manager that holds the session's state), and a <resume/> at any other address gets <failed/> with <item-not-found/> (XEP-0198 §5: the 'location' \"specifies the server's preferred location for reconnecting (e.g., a particular connection manager that hold session state for the connected client)\"; the client reconnects \"preferring the address specified in the 'location' attribute (if any)\"; \"If the server can resume the former stream, it MUST return a <resumed/> element\")",
    fault: () => "pass",
    stream: sm((el) =>
      isSm(el, "enabled") && ["true", "1"].includes(String(el.attrs.resume))
        ? changed(el, (c) => {
            c.attrs.location = "[::1]:5223";
          })
        : isSm(el, "resumed")
          ? [xml("failed", { xmlns: SM }, xml("item-not-found", { xmlns: STANZAS }))]
          : "pass",
    ),
  },
  {
    id: "mobile-enabled-resume-1",
    description: "a resumable <enabled/> says resume='1' where the server said 'true', and the other way round (XEP-0198 §3: \"true\" or \"1\")",
    fault: when(
      (el) => isSm(el, "enabled") && ["true", "1"].includes(String(el.attrs.resume)),
      (el) => changed(el, (c) => (c.attrs.resume = c.attrs.resume === "true" ? "1" : "true")),
    ),
  },
  {
    // Twenty-ninth audit: sm-enable-resume-values credited SM-RESUME-03 on the outcome 'neither' (both <enabled/>
    // without 'resume'), which shows nothing of how the server reads "1" against "true" (adhoc.sm.never-resumable):
    // pass (SM-RESUME-03 pass) -> skip (judged nothing). Applied by bench/try-case.ts only (stream): the runs of every
    // variation at once would skip every resumption case with it.
    id: "mobile-sm-never-resumable",
    description: "no <enabled/> allows resumption: no 'resume', 'id', 'max' or 'location' (XEP-0198 §5: \"If the server will allow the stream to be resumed\": a server may allow none)",
    fault: () => "pass",
    stream: sm((el) => (isSm(el, "enabled") ? changed(el, (c) => ["resume", "id", "max", "location"].forEach((a) => delete c.attrs[a])) : "pass")),
  },
  {
    // Seventy-third audit (round 73): sm-resume-resend/after-cut charged SM-RESUME-12 (MUST) on m1 and m2, which romeo
    // sends to the client's full JID only after its connection was cut: a server that knew the stream was gone and
    // stored them offline never sent them on the former stream, yet failed. Their arrival on the resumed stream is now
    // an outcome that credits nothing. Applied by bench/try-case.ts only (stream). Old -> new file, after-cut: fail ->
    // pass on Prosody 13 and ejabberd 24.12 (before-cut pass -> pass).
    id: "mobile-sm-detached-chat-stored-offline",
    description:
      'a server that notices at once that the connection of a resumable stream is gone treats a chat message to that stream\'s full JID, sent while the session waits for resumption, as one to a full JID with no connected resource: it stores it offline (delivered, with a <delay/>, when a session of the user next sends initial presence) and never puts it in the session\'s queue, so the resumed stream does not get it (RFC 6121 §8.5.3.2.1: "If there is no available or connected resource, the server MUST either (a) store the message offline for later delivery or (b) return an error stanza to the sender"; XEP-0198 §5 re-sends what was "lost by the disconnection")',
    fault: () => "pass",
    stream: (() => {
      /** The connections whose stream enabled stream management, with the full JID they bound; and each SM-ID's JID. */
      const managed = new Map<ProxiedConnection, string>();
      const jidOf = new Map<string, string>();
      /** By 'from|id': the messages sent to a managed stream's full JID while its connection was gone, and when. */
      const stored = new Map<string, { at: number; el?: Element }>();
      const key = (el: Element) => `${String(el.attrs.from ?? "")}|${String(el.attrs.id ?? "")}`;
      /** The user a connection is a session of: the JID it bound, or that of the stream it resumed. */
      const userOf = (ctx: FaultContext) => {
        const s = stateOf(ctx.conn);
        return bare(ctx.conn.jid ?? (s.request?.name === "resume" ? jidOf.get(String(s.request.attrs.previd ?? "")) : undefined));
      };
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          observe(el, ctx);
          const to = String(el.attrs.to ?? "");
          if (el.name === "message" && el.attrs.type === "chat" && ctx.conn.jid) {
            const live = new Set([ctx.conn, ...ctx.peers()]);
            if ([...managed].some(([conn, jid]) => jid === to && !live.has(conn))) stored.set(`${ctx.conn.jid}|${String(el.attrs.id ?? "")}`, { at: Date.now() });
          }
          // Initial presence: the stored messages for the user come, stamped with when they were stored (XEP-0203).
          if (el.name === "presence" && el.attrs.to === undefined && el.attrs.type === undefined) {
            const user = userOf(ctx);
            for (const [k, m] of stored)
              if (m.el && user && bare(m.el.attrs.to) === user) {
                stored.delete(k);
                const [out] = changed(m.el, (c) => c.append(xml("delay", { xmlns: "urn:xmpp:delay", stamp: new Date(m.at).toISOString(), from: user.split("@")[1] })));
                ctx.conn.deliver(out as Element);
              }
          }
        },
        element: (el: Element, ctx: FaultContext) => {
          if (isSm(el, "enabled") && ctx.conn.jid) {
            managed.set(ctx.conn, ctx.conn.jid);
            if (el.attrs.id !== undefined) jidOf.set(String(el.attrs.id), ctx.conn.jid);
          }
          // Every copy the server sends of it (on the resumed stream, or on the dead one if it wrote there) is held.
          const m = el.name === "message" && el.attrs.type !== "error" ? stored.get(key(el)) : undefined;
          if (!m) return "pass";
          m.el ??= copyOf(el);
          return "drop";
        },
      } satisfies StreamFault;
    })(),
  },
  {
    // Twenty-ninth audit: push-remote-disable takes 'removed' (PUSH-REMOTE-01 pass) where the first service's publish
    // has not come by a barrier, while it waits out the timeout for the second service's (adhoc.push.first-service-late,
    // on Prosody 13, which keeps the pair): the right outcome is 'kept' (PUSH-REMOTE-01 not reached; the case passes
    // either way). Judged right since a `one of` with `wait: timeout` takes an alternative of absences only once the
    // timeout has passed (spec/audit/csi-push.yaml; test/mobile.test.ts shows it). Applied by bench/try-case.ts and
    // that test only (stream).
    id: "mobile-push-first-service-late",
    description:
      'the server publishes to each push service on its own queue: a publish to a node whose name starts with "n1-" (the cases\' first service) leaves 1.5 s after the server sent it (XEP-0357 §7 sets no time for the publish)',
    fault: () => "pass",
    stream: {
      fromClient: observe,
      element: (el: Element, ctx: FaultContext) => {
        const node = el.name === "iq" && el.attrs.type === "set" ? String(el.getChild("pubsub", PUBSUB)?.getChild("publish")?.attrs.node ?? "") : "";
        if (!node.startsWith("n1-")) return "pass";
        const copy = copyOf(el);
        setTimeout(() => ctx.conn.deliver(copy), 1500).unref();
        return [];
      },
    },
  },
  {
    // Forty-fifth audit: push-several/two-nodes credited PUSH-ENABLE-03 (§5's MAY of enabling one service for several
    // nodes) on the second node's publish alone, so a server that keeps one entry per service, the latest, passed
    // with the MAY credited: pass (PUSH-ENABLE-03 pass) -> pass (PUSH-ENABLE-03 not-reached), Prosody 13. Applied by
    // bench/try-case.ts only (stream): it drops publishes other cases wait for.
    id: "mobile-push-latest-node-only",
    description:
      "the server keeps one push entry per service, the latest: a second <enable/> of a service (another node) is answered with a result and replaces the first, so publishes go to the latest node only (XEP-0357 §5: enabling a service for several nodes is a MAY)",
    fault: () => "pass",
    stream: (() => {
      const latest = new Map<string, string>();
      return {
        fromClient: (el: Element) => {
          const enable = el.name === "iq" && el.attrs.type === "set" ? el.getChild("enable", PUSH) : undefined;
          if (enable?.attrs.jid !== undefined && enable.attrs.node !== undefined) latest.set(String(enable.attrs.jid), String(enable.attrs.node));
        },
        element: (el: Element) => {
          if (!isPublish(el)) return "pass";
          const node = latest.get(String(el.attrs.to));
          return node !== undefined && el.getChild("pubsub", PUBSUB)!.getChild("publish")!.attrs.node !== node ? "drop" : "pass";
        },
      };
    })(),
  },
  {
    // Seventy-fourth audit (round 74): push-several/two-nodes awaited both publishes to the one service before it
    // answered either, so a server that sends a service one publish at a time (n1's first) never sent n2's:
    // PUSH-ENABLE-01 warned, PUSH-ENABLE-03 not-reached (the verdict of fault mobile.push.one-node-per-service). The
    // first publish to the service is now answered at once, then the other node's awaited: warn -> pass (PUSH-ENABLE-03
    // pass) on Prosody 13 and ejabberd 24.12. Applied by bench/try-case.ts only (stream): a case that leaves a
    // publish unanswered holds the service's next one.
    id: "mobile-push-serial-per-service",
    description:
      'the server sends each push service one publish at a time: a publish is held while an earlier one to that service is unanswered (XEP-0357 §7 sets no concurrency, and §7.1 has the server act on each answer: "If a publish request is returned with an IQ-error, then the server SHOULD consider the particular JID and node combination to be disabled.")',
    fault: () => "pass",
    stream: publishesOneAtATime((el) => String(el.attrs.to)),
  },
  {
    // Seventy-fourth audit (round 74), the same shape across services: push-several/two-services awaited both
    // services' publishes before it answered either, so a server that sends a user's publishes one at a time (to
    // app/p1 first) never sent app2/p2's: PUSH-NOTIFY-01 warned (two-nodes warned PUSH-ENABLE-01 as under
    // mobile-push-serial-per-service). Each publish, to whichever service or node, is now answered as it comes and
    // the next awaited only then: warn -> pass in both cells on Prosody 13 and ejabberd 24.12 (the order here is
    // the control's, n1's, n2's; the five other orders were run ad hoc and pass). Applied by bench/try-case.ts only
    // (stream).
    id: "mobile-push-serial-per-user",
    description:
      'the server sends a user\'s push publishes one at a time, to whichever services: a publish is held while an earlier one for the same user is unanswered (XEP-0357 §7: the server "performs a PubSub publish to all XMPP Push Services registered for the user", with no time or concurrency set)',
    fault: () => "pass",
    stream: publishesOneAtATimePerUser(false),
  },
  {
    // Seventy-fourth audit (round 74), the same server sending in the other order: push-disable-node, push-error and
    // push-remote-disable awaited one service's (or node's) publish before they answered another's, so which of a
    // user's publishes came first decided whether the next one ever came. Under this variation and
    // mobile-push-serial-per-user each publish is now answered as it comes. Prosody 13 under this one:
    // push-remote-disable warn (PUSH-NOTIFY-01) -> pass; push-error warn (PUSH-NOTIFY-01, PUSH-ERROR-01 not-reached)
    // -> warn (PUSH-ERROR-01, as raw: the publish to n1 after the error is no longer held behind the second
    // service's unanswered one). push-disable-node stays warn in both cells (PUSH-NOTIFY-01): it still awaits the
    // control service's publish before the first service's (whose two nodes it now takes in either order), and a
    // 'one of' across the two services cannot take 'since:' (left as it is). Under mobile-push-serial-per-service and
    // mobile-push-serial-per-user, push-disable-node warn -> pass in both cells, push-remote-disable (per user)
    // warn -> pass, push-error (per user) warn (PUSH-NOTIFY-01) -> warn (PUSH-ERROR-01, as raw). Applied by
    // bench/try-case.ts only (stream).
    id: "mobile-push-serial-per-user-reversed",
    description:
      "the server sends a user's push publishes one at a time, as mobile-push-serial-per-user does, and of those due together the one to the node named last first (XEP-0357 §7 sets no order)",
    fault: () => "pass",
    stream: publishesOneAtATimePerUser(true),
  },
  {
    // Fifty-ninth audit (2026-11-28): push-remote-disable now shows a publish to the first service before its
    // affiliation notice; this is the server that takes the MAY (the positive control of its 'removed' outcome).
    id: "mobile-push-remote-removed",
    description:
      "on a push service's affiliation change notice (XEP-0357 §8, a <pubsub/> with an <affiliation/> of 'none' from the service to the user), the server removes that service and node: no publish goes there after it (§8: the server \"MAY remove the received JID and node combination\")",
    fault: () => "pass",
    stream: (() => {
      const removed = new Set<string>(); // "service JID node" pairs
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          const pubsub = el.name === "message" ? el.getChild("pubsub", PUBSUB) : undefined;
          if (ctx.conn.jid && pubsub?.attrs.node !== undefined && pubsub.getChild("affiliation")?.attrs.affiliation === "none") removed.add(`${ctx.conn.jid} ${pubsub.attrs.node}`);
        },
        element: (el: Element) => (isPublish(el) && removed.has(`${el.attrs.to} ${el.getChild("pubsub", PUBSUB)!.getChild("publish")!.attrs.node}`) ? "drop" : "pass"),
      };
    })(),
  },
  {
    id: "mobile-ack-repeated",
    description: "every <a/> comes twice (XEP-0198 §4: an <a/> whose 'h' did not grow only says nothing new was handled)",
    fault: when(
      (el) => isSm(el, "a"),
      (el) => [el, copyOf(el)],
    ),
  },
  {
    id: "mobile-ack-requested",
    description: "the server asks for an ack after each of its <a/> (XEP-0198 §4: either party can send ack elements at any time)",
    fault: when(
      (el) => isSm(el, "a"),
      (el) => [el, xml("r", { xmlns: SM })],
    ),
  },
  {
    // Eighteenth audit: sm-ack-repeat (and the ack cases beside it) took the first <a/> not yet matched, so an unasked one
    // before the <r/> was judged as its answer (a count from before the case's stanzas, or the second <r/>'s answer).
    id: "mobile-ack-unasked",
    description:
      'an <a/> nobody asked for right after <enabled/>, with the count then (0) (XEP-0198 §4: "Either party MAY send an <a/> element at any time (e.g., after it has received a certain number of stanzas, or after a certain period of time), even if it has not received an <r/> element from the other party.")',
    fault: when(
      (el) => isSm(el, "enabled"),
      (el) => [el, xml("a", { xmlns: SM, h: "0" })],
    ),
  },
  {
    // Twentieth audit: the ack cases' set-up drain took at most three unasked <a/>, so a server that acks every stanza
    // unasked had its fourth unasked <a/> (an earlier count) judged as the answer to the <r/>: sm-ack-count failed
    // SM-ACK-01 (adhoc.sm.ack-every-stanza: mixed and five). The answer is now an <a/> that came after the <r/>, and a
    // round trip before the <r/> brings in the unasked ones first. Applied by bench/try-case.ts (it needs the
    // client's side).
    id: "mobile-ack-every-stanza",
    description:
      'an <a/> nobody asked for after every stanza the client sends once it enabled stream management, with the right count (XEP-0198 §4: "Either party MAY send an <a/> element at any time (e.g., after it has received a certain number of stanzas, or after a certain period of time), even if it has not received an <r/> element from the other party.")',
    fault: () => "pass",
    stream: (() => {
      const enabledSaid = new WeakSet<ProxiedConnection>();
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          const before = sentSinceEnable.get(ctx.conn);
          const n = countSent(el, ctx);
          if (enabledSaid.has(ctx.conn) && n !== undefined && before !== undefined && n > before) ctx.conn.deliver(unaskedAck(ctx));
        },
        element: (el: Element, ctx: FaultContext) => {
          if (!isSm(el, "enabled")) return "pass";
          enabledSaid.add(ctx.conn);
          return (sentSinceEnable.get(ctx.conn) ?? 0) > 0 ? [el, unaskedAck(ctx)] : "pass";
        },
      };
    })(),
  },
  {
    // Twenty-first audit: sm-enable-before-auth and sm-enable-before-bind went on after the <failed/> (authenticating,
    // binding, enabling again) and judged SM-FAIL-10 there, so a server that ends the stream after an <enable/> the
    // client was not allowed to send (§6: "misuse of stream management MAY result in termination of the stream") was an
    // `error` with an SM-FAIL-10 warning (adhoc sm-misuse-ends). Both cases now end with the <failed/>: error -> pass.
    // Applied by bench/try-case.ts only (stream: it needs the client's side).
    id: "mobile-sm-misuse-ends-stream",
    description:
      'an <enable/> before authentication or before binding is answered with <failed/>, then a stream error <policy-violation/> and the closing tag (XEP-0198 §6: "Stream management errors SHOULD be considered recoverable; however, misuse of stream management MAY result in termination of the stream.")',
    fault: () => "pass",
    stream: sm((el, s, ctx) =>
      isSm(el, "failed") && s.request?.name === "enable" && !ctx.conn.jid
        ? [el, "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>"]
        : "pass",
    ),
  },
  {
    // Twenty-seventh audit: sm-resume-before-auth took only a <failed/> or a stream error for a <resume/> on a stream
    // that has not authenticated, so a server that closes that stream without an error, resuming nothing (XEP-0198 §6:
    // "misuse of stream management MAY result in termination of the stream"), failed SM-SEC-01 (adhoc
    // audit.sm.preauth-resume-closed). The end of the connection is now an outcome too: fail -> pass (Prosody 13).
    // Applied by bench/try-case.ts only (stream: it needs the client's side).
    id: "mobile-sm-preauth-resume-closed",
    description:
      'a <resume/> before authentication is answered with the closing stream tag alone, no <failed/> and no stream error (XEP-0198 §10 forbids only resuming; §6: "misuse of stream management MAY result in termination of the stream.")',
    fault: () => "pass",
    stream: sm((el, s) => (isSm(el, "failed") && s.request?.name === "resume" && !s.authenticated ? ["</stream:stream>"] : "pass")),
  },
  {
    // Thirty-first audit: sm-enable judged SM-RESUME-07 ("The SM-ID SHOULD NOT be longer than 4000 bytes.") with an SM-ID
    // of 1 to 4000 characters, so a resumable <enabled/> with id='' (not longer than 4000 bytes; §13's schema makes the
    // SM-ID an xs:string) warned: warn -> pass in the resume-true and resume-1 cells (Prosody 13). Applied by
    // bench/try-case.ts only (stream: it needs the client's side; a later <resume/> would name the real SM-ID).
    id: "mobile-sm-enabled-empty-id",
    description: "a resumable <enabled/> answering an <enable/> has an empty 'id' (XEP-0198 §5 bounds the SM-ID's length from above only)",
    fault: () => "pass",
    stream: sm((el, s) => (isSm(el, "enabled") && s.request?.name === "enable" && ["true", "1"].includes(String(el.attrs.resume)) ? withAttr("id", () => "")(el) : "pass")),
  },
  {
    // Twenty-seventh audit: csi-no-reply looked for no stanza at all after the second element, so a server that brings
    // the client's own presence up to date on <active/> (XEP-0352 §4.2: "to update presence information when the
    // client becomes active after a period of inactivity"; the user is its own contact, RFC 6121 §4.2.2) warned
    // (adhoc audit.csi.active-self-presence). Replies are now looked for by kind: warn -> pass in the active and
    // inactive-active cells (Prosody 13). Applied by bench/try-case.ts only (stream: it needs the client's side).
    id: "mobile-csi-active-self-presence",
    description:
      'on <active/> the server sends the client its own current presence again (XEP-0352 §4.2: the elements "may indirectly cause the server to send stanzas, e.g., to update presence information when the client becomes active after a period of inactivity")',
    fault: () => "pass",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        if (el.attrs.xmlns === CSI && el.name === "active" && ctx.conn.jid) ctx.conn.deliver(xml("presence", { from: ctx.conn.jid, to: ctx.conn.jid }));
      },
    },
  },
  {
    // Class sweep (2026-11-26, group X3): csi-no-reply looked for no message at all since the client's first
    // stanza, so a message of the day the server sends on the client's initial presence, before any CSI element,
    // was taken for a reply to <inactive/> or <active/>. Only what came after the answer to a ping sent before the
    // first element counts now: warn -> pass in all three cells (Prosody 13). Applied by bench/try-case.ts only
    // (stream: it needs the client's side).
    id: "mobile-csi-motd-on-presence",
    description:
      "on a stream's initial presence the server sends the client a message of the day from its domain, a message with a body (RFC 6121 §5.2.2: a message of type 'normal' is \"a standalone message that is sent outside the context of a one-to-one conversation or groupchat\")",
    fault: () => "pass",
    stream: (() => {
      const told = new WeakSet<ProxiedConnection>();
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          observe(el, ctx);
          const jid = ctx.conn.jid;
          if (!jid || told.has(ctx.conn) || el.name !== "presence" || el.attrs.to !== undefined || el.attrs.type !== undefined) return;
          told.add(ctx.conn);
          ctx.conn.deliver(xml("message", { from: String(bare(jid)).split("@")[1], to: jid, type: "normal" }, xml("body", {}, "Message of the day: welcome")));
        },
      } satisfies StreamFault;
    })(),
  },
  {
    // Class sweep (2026-11-26, group X3): csi-no-reply took any IQ after the elements for a reply to them, so a server
    // that asks the client with an XEP-0199 ping of its own whether it is still there once it says <inactive/> (a
    // request, not a reply: RFC 6120 §8.2.3 makes a reply a result or an error) warned CSI-STATE-02. The step now
    // looks for an IQ result or error: warn -> pass in the inactive and inactive-active cells (Prosody 13). Applied by
    // bench/try-case.ts only (stream: it needs the client's side).
    id: "mobile-csi-inactive-liveness-ping",
    description:
      'on <inactive/> the server sends the client an XEP-0199 ping from its domain, to learn whether the connection is still alive (XEP-0352 §4.2: the elements "may indirectly cause the server to send stanzas")',
    fault: () => "pass",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        const jid = ctx.conn.jid;
        if (el.attrs.xmlns === CSI && el.name === "inactive" && jid)
          ctx.conn.deliver(xml("iq", { type: "get", from: String(bare(jid)).split("@")[1], to: jid, id: `xc-alive-${Date.now()}` }, xml("ping", { xmlns: "urn:xmpp:ping" })));
      },
    },
  },
  {
    // Twenty-fifth audit: sm-enable-twice took the stream error with its default framing, which also requires the
    // closing stream tag after it (RFC 6120 §4.9.1.1's, not XEP-0198 §3's), so a server that answers a second <enable/>
    // with a stream error and closes the TCP connection warned SM-ENABLE-04 (adhoc error-then-cut). The error is now
    // judged alone, then the disconnection: warn -> pass (Prosody 13). Applied by bench/try-case.ts only (stream).
    id: "mobile-sm-enable-twice-error-cut",
    description:
      'a second <enable/> is answered with a stream error <policy-violation/>, and the TCP connection is closed with no closing stream tag (XEP-0198 §3: "If a server receives a second <enable/> element it SHOULD respond with a stream error, thus terminating the client connection.")',
    fault: () => "pass",
    stream: sm((el, s, ctx) => {
      if (!(isSm(el, "failed") && s.enabled && s.request?.name === "enable")) return "pass";
      ctx.conn.deliver(xml("stream:error", {}, xml("policy-violation", { xmlns: "urn:ietf:params:xml:ns:xmpp-streams" })));
      return "disconnect";
    }),
  },
  {
    // Sixty-sixth audit (round 66): sm-enable-twice now judges the answer to a second <enable/> at MUST (SM-ENABLE-01:
    // a stream error, a <failed/> or an <enabled/>). Example 6's <failed/> followed by the stream error the SHOULD
    // asks for, then the connection closed: pass, whichever of the two the `one of` meets first (Prosody 13, both
    // cells: pass -> pass). Applied by bench/try-case.ts only (stream).
    id: "mobile-sm-enable-twice-failed-then-error",
    description:
      'a second <enable/> is answered with <failed/> (XEP-0198 §3, Example 6), then a stream error <policy-violation/> that closes the connection ("If a server receives a second <enable/> element it SHOULD respond with a stream error, thus terminating the client connection.")',
    fault: () => "pass",
    stream: sm((el, s, ctx) => {
      if (!(isSm(el, "failed") && s.enabled && s.request?.name === "enable")) return "pass";
      ctx.conn.deliver(el);
      ctx.conn.deliver(xml("stream:error", {}, xml("policy-violation", { xmlns: "urn:ietf:params:xml:ns:xmpp-streams" })));
      return "disconnect";
    }),
  },
  {
    // Sixty-sixth audit (round 66): the answer to a second <enable/> is judged at MUST, and §3's MUST names <enabled/>
    // as well as <failed/> ("the server MUST reply with an <enabled/> element or a <failed/> element"): a second
    // <enabled/>, the stream going on, fails no MUST and warns the SHOULD's stream error (SM-ENABLE-04) only
    // (Prosody 13, both cells: warn -> warn). Applied by bench/try-case.ts only (stream).
    id: "mobile-sm-enable-twice-enabled-again",
    description: "a second <enable/> on a managed stream is answered with <enabled/> again, and the stream goes on (no stream error: the SHOULD not taken)",
    fault: () => "pass",
    stream: sm((el, s) => (isSm(el, "failed") && s.enabled && s.request?.name === "enable" ? [xml("enabled", { xmlns: SM })] : "pass")),
  },
  {
    // Twenty-first audit: push-summary judged the first publish not yet matched, whenever it came, as the one after the
    // second message, so a server that also notifies the subscription request and not the second message had the
    // first message's publish judged (message-count 1, the first body): message-count and last-message-body warned
    // (adhoc push-on-subscribe). The case now takes every publish that came before the second message first:
    // warn -> pass on Prosody 13. Applied by bench/try-case.ts only (stream: it needs the client's side).
    id: "mobile-push-on-subscribe",
    description:
      "the server also notifies a subscription request (a publish just before the next message's), sends one notification for the first message and none for later ones, each with a summary form right at the time it is sent (XEP-0357 §7: \"When the user's server detects an event warranting a push notification\": which events warrant one is the server's choice)",
    fault: () => "pass",
    stream: {
      fromClient: (el, ctx) => {
        const enable = el.name === "iq" && el.attrs.type === "set" ? el.getChild("enable", PUSH) : undefined;
        if (enable && ctx.conn.jid) Object.assign(pushUserOf(bare(ctx.conn.jid)), { service: enable.attrs.jid, node: enable.attrs.node });
        const u = pushUsers.get(bare(String(el.attrs.to ?? "")));
        if (!u?.service) return;
        if (el.name === "presence" && el.attrs.type === "subscribe") {
          u.subscriptions++;
          u.atSubscription = { ...u };
        }
        if (el.name === "message" && !isMarker(el) && el.getChildText("body")) {
          u.messages++;
          u.sender = ctx.conn.jid;
          u.body = el.getChildText("body") ?? "";
        }
      },
      element: (el, ctx) => {
        if (!isPublish(el)) return "pass";
        const node = el.getChild("pubsub", PUBSUB)!.getChild("publish")!.attrs.node;
        const u = [...pushUsers.values()].find((x) => x.service === ctx.conn.jid && x.node === node);
        if (!u) return "pass";
        if (u.notifiedFor > 0) return "drop";
        u.notifiedFor = u.messages;
        const from = String(el.attrs.from ?? "");
        return [...(u.atSubscription ? [summaryPublish(u.atSubscription, `xc-push-subscribe-${++summaryPublishes}`, from)] : []), summaryPublish(u, String(el.attrs.id), from)];
      },
    },
  },
  {
    // Twenty-first audit: push-summary's cells matched a field of any data form in the notification, so a notification
    // without a summary form but with a form of another FORM_TYPE holding a 'message-count' had that field judged as
    // the summary's (message-count warned on ejabberd 24.12, adhoc other-form). The cells now judge the form whose
    // FORM_TYPE is urn:xmpp:push:summary, and a notification without one as one without a form: warn -> pass.
    // Applied by bench/try-case.ts only (stream): the runs of every variation at once would see the cells' verdicts
    // change where the server's own summary warns.
    id: "mobile-push-other-form",
    description:
      'the notification carries no summary form but a data form of another FORM_TYPE with a field named \'message-count\' (XEP-0357 §7: the summary form "MAY be included", and "Other elements MAY be included if relevant for the notification.")',
    fault: () => "pass",
    stream: {
      element: (el) => {
        if (!isPublish(el)) return "pass";
        return changed(el, (c) => {
          notificationOf(c).children = [
            xml(
              "x",
              { xmlns: "jabber:x:data", type: "result" },
              xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, "urn:example:push:stats")),
              xml("field", { var: "message-count" }, xml("value", {}, "0")),
            ),
          ];
        });
      },
    },
  },
  {
    id: "mobile-push-extras",
    description: 'the <notification/> carries an element of another namespace and the published <item/> an id (XEP-0357 §7: "Other elements MAY be included if relevant for the notification.")',
    fault: when(isPublish, (el) =>
      changed(el, (c) => {
        notificationOf(c).cnode(xml("additional", { xmlns: "http://example.com/custom" }, "Additional custom elements"));
        c.getChild("pubsub", PUBSUB)!.getChild("publish")!.getChild("item")!.attrs.id = "xc-item-1";
      }),
    ),
  },
  {
    id: "mobile-push-summary-reordered",
    description: "the summary form is of type 'result' and lists its fields in another order (XEP-0357 §7: a data form; neither its type nor the order of its fields is a rule)",
    fault: when(
      (el) => isPublish(el) && Boolean(notificationOf(el).getChild("x", "jabber:x:data")),
      (el) =>
        changed(el, (c) => {
          const form = notificationOf(c).getChild("x", "jabber:x:data")!;
          form.attrs.type = "result";
          form.children = [...form.children].reverse();
        }),
    ),
  },
  {
    // Nineteenth audit: push-error sent the next message right after the service's error, so a server that disables
    // the service in its own time (ejabberd's mod_push: a process of its own) still published for it, and the case
    // took that publish for the server's choice to keep the service (PUSH-ERROR-02). The case now waits for the
    // service's ping round trip and a barrier before that message.
    id: "mobile-push-error-handled-late",
    description:
      'a publish error takes effect only once the server has handled it, which it does by the time it answers the service\'s next request: a message to the user before that is still published (XEP-0357 §7.1 says the server "SHOULD consider the particular JID and node combination to be disabled", not when)',
    fault: () => "pass",
    stream: afterPublishError((failed) => !failed.followed),
  },
  {
    // Twentieth audit: the push cases decided the publish they wait for by a barrier, so a server that publishes on a
    // timer was judged not to publish (push-error-wait: PUSH-NOTIFY-01 warned, adhoc.push.delayed-1s). Every publish a
    // case requires is now awaited with wait: timeout. Applied by bench/try-case.ts only (stream): an outcome a
    // 'one of' compares after a barrier, and push-error's `receives nothing` of a publish after the second message, are
    // barrier-decided still, so a late publish there is taken for none (a verdict the runs of every variation at once
    // would see change on Prosody 13's push-error).
    id: "mobile-push-delayed-publish",
    description:
      'every push publish leaves 1 s after the server sent it (XEP-0357 §7: "When the user\'s server detects an event warranting a push notification, it performs a PubSub publish to all XMPP Push Services registered for the user": no time is set, and a server may gather notifications)',
    fault: () => "pass",
    stream: {
      element: (el, ctx) => {
        if (!isPublish(el)) return "pass";
        const copy = copyOf(el);
        setTimeout(() => ctx.conn.deliver(copy), 1000).unref();
        return "drop";
      },
    },
  },
  {
    // Twentieth audit: push-error-wait's 'one of' credited PUSH-ERROR-01 ('disabled') to a server that only sent no
    // notification for the second message (adhoc.push.once-per-node), and PUSH-ERROR-02 ('kept') otherwise: neither
    // could fail. The outcome is now recorded (set-up), crediting nothing. Applied by bench/try-case.ts only (stream):
    // the runs of every variation at once would see push-error's verdict change on Prosody 13. Forty-sixth audit
    // (2026-11-27): push-error credited PUSH-ERROR-01 to such a server, which sends nothing for the second message
    // to any service (pass though nothing showed it would not publish to n1 again); a second service's publish for
    // that message is now its precondition: pass -> skip (Prosody 13).
    id: "mobile-push-once-per-node",
    description:
      "one push notification per enabled node, none for later events (XEP-0357 §7: \"When the user's server detects an event warranting a push notification\": which events warrant one is the server's choice)",
    fault: () => "pass",
    stream: (() => {
      const notified = new Set<string>();
      return {
        element: (el: Element, ctx: FaultContext) => {
          if (!isPublish(el)) return "pass";
          const key = `${ctx.conn.jid ?? ""}|${String(el.getChild("pubsub", PUBSUB)!.getChild("publish")!.attrs.node ?? "")}`;
          if (notified.has(key)) return "drop";
          notified.add(key);
          return "pass";
        },
      };
    })(),
  },
  {
    // Thirty-seventh audit (2026-11-27): csi-presence-independent's CSI-PRIV-01 step was a `receives nothing` with no
    // pattern, so a server's own keepalive ping to the contact (an IQ request from the domain, which tells him nothing
    // of the user) failed the MUST (adhoc a3-server-pings-others). It now looks for what comes from the user: fail ->
    // pass in both cells (Prosody 13). Applied by bench/try-case.ts only (stream: it needs the client's side).
    id: "mobile-csi-server-keepalive-pings",
    description:
      'once a client sends its initial presence, the server pings every session of the case\'s other accounts from its domain every 100 ms for 3 s (XEP-0199 §4.1: "One popular usage is for a server to test the viability of the underlying stream connection by pinging a connected client.")',
    fault: () => "pass",
    stream: {
      fromClient: (el, ctx) => {
        observe(el, ctx);
        const jid = ctx.conn.jid;
        if (!jid || el.name !== "presence" || el.attrs.to !== undefined || el.attrs.type !== undefined) return;
        const me = String(bare(jid));
        const domain = me.split("@")[1];
        for (let t = 0; t <= 3000; t += 100)
          setTimeout(() => {
            for (const p of ctx.peers())
              if (p.jid && String(bare(p.jid)) !== me) p.deliver(xml("iq", { type: "get", from: domain, to: p.jid, id: `xc-keepalive-${t}` }, xml("ping", { xmlns: "urn:xmpp:ping" })));
          }, t).unref();
      },
    },
  },
  {
    // Forty-third audit (2026-11-27): sm-resume-resend required the resumed stream to carry exactly two stanzas (m1
    // and m2), so a message another entity sent the session after the client's count, which the client never
    // acknowledged and the server rightly sent again (SM-RESUME-12), warned SM-RESUME-13. The case now looks for the
    // stanzas the client's 'h' covered: warn -> pass in both cells (Prosody 13). Applied by bench/try-case.ts only
    // (stream: it needs the client's side, and the message is a real one, routed by the server).
    id: "mobile-sm-message-before-cut",
    description:
      'when a client with stream management first asks for an ack (<r/>), another account of the case sends that session a headline message, which the server routes to it (XEP-0198 §5: after a resumption the server "MUST re-send to the peer any stanzas that are still marked as unhandled": one the client did not acknowledge is resent)',
    fault: () => "pass",
    stream: (() => {
      const told = new WeakSet<ProxiedConnection>();
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          observe(el, ctx);
          const jid = ctx.conn.jid;
          if (!jid || !isSm(el, "r") || told.has(ctx.conn)) return;
          told.add(ctx.conn);
          const me = String(bare(jid));
          const other = ctx.peers().find((p) => p.jid && p.send && String(bare(p.jid)) !== me);
          other?.send?.(xml("message", { to: jid, type: "headline", id: "xc-notice" }, xml("body", {}, "A notice")));
        },
      } satisfies StreamFault;
    })(),
  },
  {
    // Fifty-first audit (2026-11-28): sm-enable-resume-values sent both <enable/>s at once, so a deployment that
    // allows one resumable session at a time granted the second without 'resume' and warned SM-RESUME-03. juliet's
    // stream is now closed before romeo asks: warn -> pass (Prosody 13).
    id: "mobile-sm-one-resumable-at-a-time",
    description:
      "a server allows one resumable session at a time: a resumable <enabled/> while another live connection holds one has no 'resume', 'id', 'max' or 'location' (XEP-0198 §5: \"If the server will allow the stream to be resumed, it MUST include a 'resume' attribute\": whether it allows it is the server's)",
    fault: () => "pass",
    stream: (() => {
      const resumable = new Set<ProxiedConnection>();
      return {
        element: (el: Element, ctx: FaultContext) => {
          if (!isSm(el, "enabled") || !/^(true|1)$/.test(String(el.attrs.resume ?? ""))) return "pass";
          const live = new Set(ctx.peers());
          if ([...resumable].some((c) => c !== ctx.conn && live.has(c)))
            return changed(el, (c) => {
              for (const a of ["resume", "id", "max", "location"]) delete c.attrs[a];
            });
          resumable.add(ctx.conn);
          return "pass";
        },
      };
    })(),
  },
  {
    // Fifty-eighth audit (2026-11-28): sm-ack-count (and every 'h' the cases of scenarios/mobile/ compare with a
    // count) compared the attribute as a string with the harness's decimal, though XEP-0198 §13's schema types it
    // xs:unsignedInt, whose lexical forms include a '+' and leading zeros: '+05' is the count 5. Compared by value now
    // ({uint:N}). Changes only what the server sends.
    id: "mobile-ack-h-lexical",
    description:
      "every 'h' the server sends (<a/>, <resumed/>, <failed/>) is written with a '+' and a leading zero, its value unchanged (XEP-0198 §13: <xs:attribute name='h' type='xs:unsignedInt'/>; XML Schema's unsignedInt allows an optional '+' and leading zeros)",
    // A stream fault (not `fault:`), so that it also reaches a resumed stream, which binds no JID. Applied by
    // bench/try-case.ts.
    fault: () => "pass",
    stream: sm((el) => ((isSm(el, "a") || isSm(el, "resumed") || isSm(el, "failed")) && /^[0-9]+$/.test(String(el.attrs.h ?? "")) ? withAttr("h", (h) => `+0${h}`)(el) : "pass")),
  },
  {
    // Fifty-eighth audit (2026-11-28): sm-ack-repeat (SM-ACK-09) and sm-resume-counter compared an 'h' with one the
    // server sent earlier as strings, so two equal counts written in two lexical forms of xs:unsignedInt differed.
    // Compared by value now ({uint:${h1}}). Changes only what the server sends.
    id: "mobile-ack-h-lexical-alternating",
    description:
      "every second 'h' the server sends (<a/>, <resumed/>, <failed/>, counted over the whole run) is written with a '+' and a leading zero, its value unchanged (XEP-0198 §13: <xs:attribute name='h' type='xs:unsignedInt'/>: each element's value is what counts, not its lexical form)",
    fault: () => "pass",
    stream: (() => {
      let n = 0;
      return sm((el) => ((isSm(el, "a") || isSm(el, "resumed") || isSm(el, "failed")) && /^[0-9]+$/.test(String(el.attrs.h ?? "")) && n++ % 2 === 1 ? withAttr("h", (h) => `+0${h}`)(el) : "pass"));
    })(),
  },
  {
    // Sixty-fifth audit (round 65): sm-unacked's `stored` and `alternate` outcomes asked the copy delivered later for
    // id='m1', which no rule requires (RFC 6120 §8.1.3 binds the 'id' only for a response or error; XEP-0198 §4 asks
    // for "committing the stanza to offline storage"), so a server that delivers the stored copy with an id of its own
    // warned SM-UNACKED-02 and -03. Only the bounce asks for m1's id now: the six `none` cells warn -> pass ('stored',
    // Prosody 13); sm-unacked-acked's `stored` no longer asks for its m2's id either (warn -> pass). A stream
    // variation: applied by bench/try-case.ts, not by the whole-suite variation runs.
    id: "mobile-stored-own-id",
    description:
      "a message the server delivers from offline storage (one with an XEP-0203 <delay/>, not of type groupchat or error) carries an id of the server's own instead of its sender's (RFC 6120 §8.1.3: \"If the generated stanza includes an 'id' attribute then it is REQUIRED for the response or error stanza to also include an 'id' attribute, where the value of the 'id' attribute MUST match that of the generated stanza.\": a stored message delivered later is no response)",
    fault: () => "pass",
    stream: (() => {
      let n = 0;
      return {
        element: (el: Element) =>
          el.name === "message" && el.attrs.type !== "groupchat" && el.attrs.type !== "error" && el.getChild("body") && el.getChild("delay", "urn:xmpp:delay")
            ? withAttr("id", () => `xc-stored-${++n}`)(el)
            : "pass",
      } satisfies StreamFault;
    })(),
  },
  {
    // Seventy-seventh audit (round 77): sm-unacked took romeo's unavailable presence as the moment m1 had been dealt
    // with and looked for the stored copy on one login only, j3's, right after it; XEP-0198 §4 orders the action
    // against nothing but "Before the session state is discarded". A second login (j4, after j3's logout) is now
    // looked at too: cut/normal/none (and every `none` cell) warn -> pass ('stored-later'; Prosody 13, ejabberd
    // 24.12). A stream variation: applied by bench/try-case.ts, not by the whole-suite variation runs.
    id: "mobile-stored-late",
    description:
      "a message the server commits to offline storage when a session ends reaches the account's storage only after the next resource's initial presence, so that resource gets nothing and the login after it gets the message (XEP-0198 §4: \"Before the session state is discarded, implementations SHOULD take alternative action regarding any unhandled stanzas\": no moment before the discarding is named): made from a server that stores at once, by holding each offline-delivered message (an XEP-0203 <delay/>, a body, not groupchat or error) the first connection of an account gets, and giving it to the account's next connection when that one sends its initial presence",
    fault: () => "pass",
    stream: (() => {
      /** By bare JID: the connection the held messages were taken from, and the messages. */
      const held = new Map<string, { from: ProxiedConnection; els: Element[] }>();
      /** Bare JIDs whose held messages went out: later offline deliveries pass. */
      const released = new Set<string>();
      return {
        element: (el: Element, ctx: FaultContext) => {
          const jid = bare(ctx.conn.jid);
          const offline = el.name === "message" && el.attrs.type !== "groupchat" && el.attrs.type !== "error" && el.getChild("body") && el.getChild("delay", "urn:xmpp:delay");
          if (!ctx.conn.jid || released.has(jid) || !offline) return "pass";
          const h = held.get(jid) ?? { from: ctx.conn, els: [] };
          if (h.from !== ctx.conn) return "pass";
          h.els.push(copyOf(el));
          held.set(jid, h);
          return "drop";
        },
        fromClient: (el: Element, ctx: FaultContext) => {
          const jid = bare(ctx.conn.jid);
          const h = held.get(jid);
          if (!h || h.from === ctx.conn || el.name !== "presence" || el.attrs.to !== undefined || el.attrs.type !== undefined) return;
          held.delete(jid);
          released.add(jid);
          for (const m of h.els) ctx.conn.deliver(m);
        },
      } satisfies StreamFault;
    })(),
  },
];
