import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { STANZAS, answering, both, changed, harnessSession, iqErrorFor, routedIqFromBare, when, withoutFeature, type FaultDef } from "../fault-kit.ts";
import type { Fault, FaultContext, ProxiedConnection, StreamFault } from "../fault-proxy.ts";
import type { Variation } from "../variations.ts";

const PING = "urn:xmpp:ping";
const VERSION = "jabber:iq:version";
const LAST = "jabber:iq:last";
const TIME = "urn:xmpp:time";

/** A request of one of the family's namespaces (its payload element is `name`). */
const asks = (name: string, ns: string) => (el: Element) => (el.attrs.type === "get" || el.attrs.type === "set") && Boolean(el.getChild(name, ns));
/** A request the case's steps sent, not one of the harness's own (its barriers ping the server; ids `xc<n>`). */
const casesOwn = (request: (el: Element) => boolean) => (el: Element) => request(el) && !String(el.attrs.id ?? "").startsWith("xc");
/** A result carrying the payload `name` of `ns`. */
const resultWith = (name: string, ns: string) => (el: Element) => el.name === "iq" && el.attrs.type === "result" && Boolean(el.getChild(name, ns));
/** Sent by the server itself or on an account's behalf (no 'from', a domain, a bare JID), not routed from a client. */
const serverMade = (el: Element) => !String(el.attrs.from ?? "").includes("/");
const errorWith = (el: Element, condition: string) => el.attrs.type === "error" && Boolean(el.getChild("error")?.getChild(condition, STANZAS));
/** The error's condition replaced by `condition`. */
const withCondition = (el: Element, condition: string) =>
  changed(el, (c) => {
    const err = c.getChild("error")!;
    err.children = err.children.filter((x) => typeof x === "string" || x.attrs.xmlns !== STANZAS || x.name === "text");
    err.cnode(xml(condition, { xmlns: STANZAS }));
  });
/**
 * A server without the protocol `ns` that answers the case's requests of it (`request`) with nothing: its
 * disco#info does not list the feature, and its answers to those requests are dropped.
 */
function unsupportedSilent(ns: string, request: (el: Element) => boolean): StreamFault {
  const silent = answering(casesOwn(request), (el) => (serverMade(el) ? "drop" : "pass"));
  const unlisted = withoutFeature(ns);
  return {
    fromClient: silent.fromClient,
    element: (el, ctx) => {
      const action = silent.element!(el, ctx);
      return action === "pass" ? unlisted(el, ctx) : action;
    },
  };
}
/** The server's <time/> result with `edit` applied to its child `child`. */
const editTime = (child: "tzo" | "utc", edit: (text: string) => string | undefined) =>
  when(
    (el) => resultWith("time", TIME)(el) && serverMade(el),
    (el) =>
      changed(el, (c) => {
        const t = c.getChild("time", TIME)!;
        const field = t.getChild(child)!;
        const text = edit(field.getText());
        if (text === undefined) t.remove(child);
        else field.children = [text];
      }),
  );
const versionWithout = (child: string) =>
  when(
    (el) => resultWith("query", VERSION)(el) && serverMade(el),
    (el) => changed(el, (c) => c.getChild("query", VERSION)!.remove(child)),
  );

/**
 * Twentieth audit: a client-to-client ping delivered to the addressed resource, but answered by the server itself
 * in that resource's name (a result from its full JID, at once), and the resource's own answer dropped.
 */
function pingAnsweredForResource(): StreamFault {
  const forged = new Set<string>();
  return {
    element: (el, { conn, peers }) => {
      if (!conn.jid || el.name !== "iq") return "pass";
      const from = String(el.attrs.from ?? "");
      if (asks("ping", PING)(el) && el.attrs.type === "get" && from.includes("/") && from !== conn.jid) {
        const pinger = peers().find((p) => p.jid === from);
        if (pinger) {
          forged.add(`${pinger.jid} ${el.attrs.id}`);
          pinger.deliver(xml("iq", { type: "result", id: el.attrs.id, from: conn.jid, to: pinger.jid }));
        }
        return "pass";
      }
      return (el.attrs.type === "result" || el.attrs.type === "error") && from.includes("/") && forged.has(`${conn.jid} ${el.attrs.id}`) ? "drop" : "pass";
    },
  };
}

/**
 * Twenty-third audit: a server that pings its users' connected resources itself (XEP-0199 §4.1, "pinging a connected
 * client"), here just as another user pings that account: when it answers a ping to the account's bare JID on its
 * behalf (an empty result from that bare JID), and, seen on what clients send (`stream`), when a ping comes for a
 * resource of it that is not connected. Its pings come from its domain, with ids of its own.
 */
let keepalives = 0;
const keepalive = (account: string, peers: ProxiedConnection[]) => {
  const domain = account.split("@")[1];
  for (const p of peers.filter((x) => x.jid?.split("/")[0] === account))
    p.deliver(xml("iq", { type: "get", from: domain, to: p.jid, id: `s2c-keepalive-${++keepalives}` }, xml("ping", { xmlns: PING })));
};
const keepaliveOnPong: Fault = (el, { conn, peers }) => {
  const from = String(el.attrs.from ?? "");
  const pong = el.name === "iq" && el.attrs.type === "result" && el.children.every((c) => typeof c === "string") && from.includes("@") && !from.includes("/");
  if (pong && from !== conn.jid?.split("/")[0]) keepalive(from, peers());
  return "pass";
};

/** A case's own last activity query to another user's bare JID. */
const askedOfOtherUser = (el: Element, ctx: FaultContext) => {
  const to = String(el.attrs.to ?? "");
  return casesOwn(asks("query", LAST))(el) && to.includes("@") && !to.includes("/") && Boolean(ctx.conn.jid) && to !== String(ctx.conn.jid).split("/")[0];
};

/** XEP-0199, XEP-0092, XEP-0012, XEP-0202: server bugs the cases must catch. */
/** The server's disco#info without `ns`, and a get of `ns` from one user to another's full JID never delivered. */
function unofferedUnrouted(ns: string): Fault {
  const unlisted = withoutFeature(ns);
  return (el, ctx) => {
    const from = String(el.attrs.from ?? "");
    const routed =
      el.name === "iq" && el.attrs.type === "get" && el.children.some((c) => typeof c !== "string" && c.attrs.xmlns === ns) && from.includes("@") && String(el.attrs.to ?? "").includes("/");
    return routed ? "drop" : unlisted(el, ctx);
  };
}

/** A ping to a full JID with no connected resource, refused with service-unavailable from that full JID, whose 'from' `rewrite` changes. */
const noResourceRefusal = (rewrite: (error: Element, from: string) => unknown) =>
  answering(asks("ping", PING), (el) => {
    const from = String(el.attrs.from ?? "");
    return errorWith(el, "service-unavailable") && from.includes("@") && from.includes("/") ? changed(el, (c) => void rewrite(c, from)) : "pass";
  });

export const FAULTS: FaultDef[] = [
  {
    id: "entity.ping.refused",
    area: "entity",
    requirements: ["PING-C2S-01", "PING-PROTO-01"],
    description: "a ping of the server is answered with service-unavailable although the server advertises urn:xmpp:ping",
    stream: answering(asks("ping", PING), (el) =>
      el.attrs.type === "result" && serverMade(el)
        ? [xml("iq", { type: "error", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from }, xml("error", { type: "cancel" }, xml("service-unavailable", { xmlns: STANZAS })))]
        : "pass",
    ),
  },
  {
    id: "entity.ping.unanswered",
    area: "entity",
    requirements: ["PING-PROTO-01", "PING-C2S-01"],
    description: "the server never answers a ping",
    stream: answering(asks("ping", PING), (el) => (serverMade(el) ? "drop" : "pass")),
  },
  {
    id: "entity.ping.not-advertised",
    area: "entity",
    requirements: ["PING-DISCO-01"],
    description: "the server answers pings but its disco#info does not list urn:xmpp:ping",
    fault: withoutFeature(PING),
  },
  {
    // Twenty-third audit: the positive control of ping-user-bare and ping-user-no-resource, whose 'receives nothing'
    // now leaves out the server's own pings (entity-ping-server-keepalive): a ping routed from the pinger still warns.
    id: "entity.ping.delivered-to-resources",
    area: "entity",
    requirements: ["PING-BARE-01", "PING-SEC-01"],
    description:
      "a ping to another user's bare JID, or to a full JID of that user with no connected resource, is also handed to the user's connected resources, from the pinger's full JID (the server's own answer still comes)",
    stream: {
      fromClient: (el, { conn, peers }) => {
        const to = String(el.attrs.to ?? "");
        const account = to.split("/")[0];
        if (el.name !== "iq" || el.attrs.type !== "get" || !el.getChild("ping", PING) || !account.includes("@") || account === conn.jid?.split("/")[0]) return;
        if (to.includes("/") && peers().some((p) => p.jid === to)) return;
        for (const p of peers().filter((x) => x.jid?.split("/")[0] === account)) p.deliver(xml("iq", { type: "get", from: conn.jid, to: p.jid, id: el.attrs.id }, xml("ping", { xmlns: PING })));
      },
    },
  },
  {
    // Fifty-fourth audit (2026-11-28): ping-user-no-resource took any <service-unavailable/> error with the ping's id
    // for the server's, so the error b1 (the harness answers every IQ get so) sends back for a ping handed to it was
    // judged under PING-SEC-02 (the 'from' of the server's error), a rule the server never got to break. With the
    // server's own answer gone and the ping handed to bob's other resource instead: old warn (PING-SEC-01 pass on b1's
    // error and warn at the receives nothing, PING-SEC-02 warn on b1's 'from') -> new warn (PING-SEC-01 only).
    id: "entity.ping.forwarded-instead",
    area: "entity",
    requirements: ["PING-SEC-01"],
    description: "a ping to a full JID of another user with no connected resource is handed to the user's connected resources, from the pinger's full JID, instead of being answered by the server",
    stream: (() => {
      const asked = new Map<string, string>(); // "connection id ping id" -> the full JID pinged
      return {
        fromClient: (el: Element, { conn, peers }: { conn: ProxiedConnection; peers: () => ProxiedConnection[] }) => {
          const to = String(el.attrs.to ?? "");
          const account = to.split("/")[0];
          if (el.name !== "iq" || el.attrs.type !== "get" || !el.getChild("ping", PING) || !account.includes("@") || !to.includes("/") || account === conn.jid?.split("/")[0]) return;
          if (peers().some((p) => p.jid === to)) return;
          asked.set(`${conn.id} ${String(el.attrs.id)}`, to);
          for (const p of peers().filter((x) => x.jid?.split("/")[0] === account)) p.deliver(xml("iq", { type: "get", from: conn.jid, to: p.jid, id: el.attrs.id }, xml("ping", { xmlns: PING })));
        },
        element: (el: Element, { conn }: { conn: ProxiedConnection }) => {
          const key = `${conn.id} ${String(el.attrs.id)}`;
          const to = el.name === "iq" && (el.attrs.type === "error" || el.attrs.type === "result") ? asked.get(key) : undefined;
          if (to === undefined || String(el.attrs.from ?? "") !== to) return "pass";
          asked.delete(key);
          return "drop";
        },
      } as StreamFault;
    })(),
  },
  {
    id: "entity.version.no-name",
    area: "entity",
    requirements: ["VERSION-NAME-01"],
    description: "the server's software version result has no <name/>",
    fault: versionWithout("name"),
  },
  {
    id: "entity.version.no-version",
    area: "entity",
    requirements: ["VERSION-VERSION-01"],
    description: "the server's software version result has no <version/>",
    fault: versionWithout("version"),
  },
  {
    // Class sweep (2026-11-27, S8): ping-user-full, time-user-full, version-user-full and last-full-contact asked the
    // stamped 'from' (RFC 6120 §8.1.2.1, STANZA-FROM-01, judged by the core cases) of the delivery and routing rules.
    id: "entity.routed-iq-from-bare",
    area: "entity",
    requirements: ["STANZA-FROM-01"],
    description:
      "an IQ one user's resource sends to another user's full JID (a ping, time, version or last activity query, or its answer) is stamped with the sender's bare JID instead of its full JID",
    fault: routedIqFromBare((el) => el.children.some((c) => typeof c !== "string" && [PING, "urn:xmpp:time", VERSION, LAST].includes(String(c.attrs.xmlns)))),
  },
  {
    id: "entity.ping.no-resource-from-bare",
    area: "entity",
    requirements: ["PING-SEC-02"],
    description: "a ping to a full JID with no connected resource is refused with service-unavailable from the user's bare JID, not from the full JID it was addressed to",
    stream: noResourceRefusal((c, from) => (c.attrs.from = from.split("/")[0])),
  },
  // Seventy-ninth audit (round 79): ping-user-no-resource took only an error from another address than bob/b1 as the
  // server's, so an error with no 'from' (PING-SEC-01 kept, only XEP-0199 §7's 'from' broken) warned PING-SEC-01 and
  // left PING-SEC-02 not reached. prosody 13: warn (PING-SEC-01) -> warn (PING-SEC-02; PING-SEC-01 pass).
  {
    id: "entity.ping.no-resource-from-dropped",
    area: "entity",
    requirements: ["PING-SEC-02"],
    description: "a ping to a full JID with no connected resource is refused with service-unavailable that has no 'from' at all",
    stream: noResourceRefusal((c) => delete c.attrs.from),
  },
  // Twentieth audit: ping-user-full took any result from the pinged full JID as its answer ("pong"), and the
  // harness's own session answered with an error anyway; bob/b1 now answers itself with an error marked with the
  // case's uid, which alice must get, and nothing else: the case warns (PING-E2E-01) where it passed.
  {
    id: "entity.ping.e2e-answered-by-server",
    area: "entity",
    requirements: ["PING-E2E-01"],
    description: "a ping to a contact's full JID is delivered, but the server answers the pinger itself with a result from that full JID and drops the resource's own answer",
    stream: pingAnsweredForResource(),
  },
  {
    // Seventieth audit (round 70): version-user-full (and time-user-full, ping-user-full) needed the server's own
    // jabber:iq:version (urn:xmpp:time, urn:xmpp:ping), so a server that does not offer it for itself and does not
    // route the users' queries was skipped, where the same routing failure on a server offering it warned. Old skip ->
    // new warn (VERSION-ROUTE-01, TIME-ROUTE-01, PING-E2E-01).
    id: "entity.version.not-offered-not-routed",
    area: "entity",
    requirements: ["VERSION-ROUTE-01"],
    description: "the server does not offer jabber:iq:version for itself (its disco#info leaves it out), and a version query one user sends to another user's full JID is never delivered",
    fault: unofferedUnrouted(VERSION),
  },
  {
    id: "entity.ping.not-offered-not-routed",
    area: "entity",
    requirements: ["PING-E2E-01"],
    description: "the server does not offer urn:xmpp:ping for itself (its disco#info leaves it out), and a ping one user sends to another user's full JID is never delivered",
    fault: unofferedUnrouted(PING),
  },
  {
    id: "entity.time.not-offered-not-routed",
    area: "entity",
    requirements: ["TIME-ROUTE-01"],
    description: "the server does not offer urn:xmpp:time for itself (its disco#info leaves it out), and a time query one user sends to another user's full JID is never delivered",
    fault: unofferedUnrouted(TIME),
  },
  {
    id: "entity.version.not-advertised",
    area: "entity",
    requirements: ["VERSION-DISCO-01"],
    description: "the server answers software version queries but its disco#info does not list jabber:iq:version",
    fault: withoutFeature(VERSION),
  },
  {
    id: "entity.last.unanswered",
    area: "entity",
    requirements: ["LAST-RESP-01"],
    description: "the server never answers a last activity query of itself",
    stream: answering(asks("query", LAST), (el) => (serverMade(el) ? "drop" : "pass")),
  },
  {
    id: "entity.last.no-seconds",
    area: "entity",
    requirements: ["LAST-RESP-02"],
    description: "last activity results carry no 'seconds' attribute",
    fault: when(resultWith("query", LAST), (el) => changed(el, (c) => delete c.getChild("query", LAST)!.attrs.seconds)),
  },
  {
    // Fifty-fifth audit (2026-11-28): last-offline-contact credited LAST-OFFLINE-01 on any 'seconds', this one too.
    id: "entity.last.offline-seconds-uptime",
    area: "entity",
    requirements: ["LAST-OFFLINE-01"],
    description: "a last activity result about a user (a bare JID) gives a day, whenever the user logged out or whether the user is online",
    fault: when(
      (el) => resultWith("query", LAST)(el) && String(el.attrs.from ?? "").includes("@") && !String(el.attrs.from).includes("/"),
      (el) => changed(el, (c) => (c.getChild("query", LAST)!.attrs.seconds = "86400")),
    ),
  },
  {
    // Review pass (2026-11-25): last-server failed LAST-RESP-01 (the server did answer) on a result without its <query/>.
    id: "entity.last.uptime-without-query",
    area: "entity",
    requirements: ["LAST-RESP-02"],
    description: "the server answers a last activity query of its own domain with an empty IQ-result: no <query/>, so no 'seconds'",
    fault: when(
      (el) => resultWith("query", LAST)(el) && el.attrs.from !== undefined && !String(el.attrs.from).includes("@") && !String(el.attrs.from).includes("/"),
      (el) => changed(el, (c) => c.remove("query", LAST)),
    ),
  },
  {
    // Review pass (2026-11-25): last-online-contact judged the query's delivery only after the answer it then lacks.
    // Sixty-ninth audit (round 69): where bob/b1 is available the delivery breaks RFC 6121 §8.5.2.1.3's "MUST NOT
    // deliver the IQ stanza to any of the user's available resources" (DELIVERY-IQ-BARE): last-online-contact/available
    // and last-stranger-same-answer warn -> fail; last-online-contact/connected stays a warning (LAST-BARE-01).
    id: "entity.last.bare-forwarded",
    area: "entity",
    requirements: ["LAST-BARE-01", "DELIVERY-IQ-BARE"],
    description:
      "a last activity query to another user's bare JID is handed to that user's connected resources instead of being answered by the server (whose own answer never comes): the resource's answer is what the requester gets",
    stream: (() => {
      const forwarded = new Set<string>();
      return {
        fromClient: (el, ctx) => {
          const to = String(el.attrs.to ?? "");
          if (!casesOwn(asks("query", LAST))(el) || !to.includes("@") || to.includes("/") || !ctx.conn.jid || to === ctx.conn.jid.split("/")[0]) return;
          const resources = ctx.peers().filter((p) => p.jid && p.jid.split("/")[0] === to);
          if (resources.length === 0) return;
          forwarded.add(`${ctx.conn.id} ${String(el.attrs.id)}`);
          for (const p of resources) p.deliver(xml("iq", { type: "get", id: el.attrs.id, from: ctx.conn.jid, to: p.jid }, xml("query", { xmlns: LAST })));
        },
        element: (el, ctx) =>
          el.name === "iq" && serverMade(el) && (el.attrs.type === "result" || el.attrs.type === "error") && forwarded.delete(`${ctx.conn.id} ${String(el.attrs.id)}`) ? "drop" : "pass",
      };
    })(),
  },
  {
    // Class sweep (2026-11-27, S8): last-online-contact judged bob/b1's side before alice's answer, so a query the
    // server neither answered nor delivered credited LAST-BARE-01 (nothing showed the query had been dealt with).
    id: "entity.last.bare-unanswered",
    area: "entity",
    requirements: ["LAST-ONLINE-01", "STANZA-IQ-01"],
    description: "a last activity query to another user's bare JID is neither answered nor delivered to the user's resources: the requester gets nothing",
    stream: answering(askedOfOtherUser, () => "drop"),
  },
  {
    // Sixty-first audit (2026-11-28): last-offline-contact charged an unanswered query to LAST-OFFLINE-01 (derived,
    // a warning) instead of XEP-0012 §2's "The target entity MUST return either an IQ-result or an IQ-error."
    // (LAST-RESP-01): old file warn (LAST-OFFLINE-01) -> new file fail (LAST-RESP-01), Prosody 13.
    id: "entity.last.user-query-unanswered",
    area: "entity",
    requirements: ["LAST-RESP-01"],
    description: "a last activity query to another user's bare JID, online or not, is never answered",
    stream: answering(askedOfOtherUser, () => "drop"),
  },
  {
    // Sixty-first audit (2026-11-28): last-offline-contact's catch-all alternative credited LAST-RESP-02 whatever
    // 'seconds' held: old file pass on LAST-RESP-02 -> new file fail (LAST-RESP-02), Prosody 13.
    id: "entity.last.user-seconds-negative",
    area: "entity",
    requirements: ["LAST-RESP-02"],
    description: "a last activity result about a user (a bare JID) gives seconds='-1', which is no xs:unsignedLong",
    fault: when(
      (el) => resultWith("query", LAST)(el) && String(el.attrs.from ?? "").includes("@") && !String(el.attrs.from).includes("/"),
      (el) => changed(el, (c) => (c.getChild("query", LAST)!.attrs.seconds = "-1")),
    ),
  },
  {
    id: "entity.last.not-advertised",
    area: "entity",
    requirements: ["LAST-DISCO-01"],
    description: "the server answers last activity queries but its disco#info does not list jabber:iq:last",
    fault: withoutFeature(LAST),
  },
  {
    // Seventy-sixth audit (round 76, report G3 §4): disco-feature-works/last now asks the user's own last activity
    // (XEP-0012 §3) where the domain refuses its uptime (§5) as unsupported; a server that lists jabber:iq:last and
    // refuses both as unsupported still fails DISCO-FEAT-02. Old file fail -> new file fail, Prosody 13 and ejabberd 24.12.
    id: "entity.last.listed-all-unsupported",
    area: "entity",
    requirements: ["DISCO-FEAT-02"],
    description: "the server lists jabber:iq:last but answers every last activity query, of its domain or of a user, with service-unavailable",
    fault: when(resultWith("query", LAST), (el) => [
      xml(
        "iq",
        { type: "error", id: el.attrs.id, ...(el.attrs.to && { to: el.attrs.to }), ...(el.attrs.from && { from: el.attrs.from }) },
        xml("error", { type: "cancel" }, xml("service-unavailable", { xmlns: STANZAS })),
      ),
    ]),
  },
  {
    id: "entity.last.online-nonzero",
    area: "entity",
    requirements: ["LAST-ONLINE-01"],
    description: "for a user with a connected resource the server answers with the time since the last login instead of seconds='0'",
    fault: when(
      (el) => resultWith("query", LAST)(el) && String(el.attrs.from ?? "").includes("@") && el.getChild("query", LAST)!.attrs.seconds === "0",
      (el) => changed(el, (c) => (c.getChild("query", LAST)!.attrs.seconds = "42")),
    ),
  },
  {
    // Twenty-fifth audit: a refusal XEP-0012 §3 allows, not a bug: seconds='0' for an online user is a MUST "(subject
    // to local security policies)". last-online-contact failed LAST-ONLINE-01 on a deployment whose policy hides
    // that from contacts; its last step now says refused:, and the case is skipped naming the condition. No case
    // should notice it: it survives the mutation bench, as it must.
    id: "entity.last.online-hidden",
    area: "entity",
    requirements: ["LAST-ONLINE-01"],
    description:
      "a deployment's policy refuses a contact's last activity query of an online user with forbidden (XEP-0012 §3: the response \"MUST (subject to local security policies)\" hold seconds='0'; §2: \"The target entity MUST return either an IQ-result or an IQ-error.\")",
    fault: when(
      (el) =>
        resultWith("query", LAST)(el) &&
        el.getChild("query", LAST)!.attrs.seconds === "0" &&
        String(el.attrs.from ?? "").includes("@") &&
        el.attrs.to !== undefined &&
        String(el.attrs.from).split("/")[0] !== String(el.attrs.to).split("/")[0],
      (el) => [xml("iq", { type: "error", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from }, xml("error", { type: "auth" }, xml("forbidden", { xmlns: STANZAS })))],
    ),
  },
  {
    // Twenty-fifth audit: last-online-contact took any presence from bob/b1 for his initial presence, so an
    // unavailable one in its place passed PRES-INIT-01; the step now asks for no 'type'.
    id: "entity.last.initial-presence-unavailable",
    area: "entity",
    requirements: ["PRES-INIT-01"],
    description: "a user's initial presence (no show, no status) reaches the contacts subscribed to it as type='unavailable'",
    fault: when(
      (el) =>
        el.name === "presence" &&
        el.attrs.type === undefined &&
        !el.getChild("show") &&
        !el.getChild("status") &&
        String(el.attrs.from ?? "").includes("/") &&
        String(el.attrs.from).split("/")[0] !== String(el.attrs.to ?? "").split("/")[0],
      (el) => changed(el, (c) => (c.attrs.type = "unavailable")),
    ),
  },
  {
    id: "entity.last.stranger-told",
    area: "entity",
    requirements: ["LAST-NOAUTH-01", "LAST-SEC-01", "LAST-FULL-02"],
    description: "a stranger's last activity query of a user (bare or full JID) gets the user's last activity instead of forbidden",
    stream: answering(asks("query", LAST), (el) =>
      errorWith(el, "forbidden") ? [xml("iq", { type: "result", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from }, xml("query", { xmlns: LAST, seconds: "42" }))] : "pass",
    ),
  },
  {
    id: "entity.last.stranger-offline-told",
    area: "entity",
    requirements: ["LAST-SEC-01"],
    description:
      "a stranger's last activity query of a user's bare JID is refused with one condition while the user is online and with item-not-found once the user has logged out: the stranger learns whether the user is online",
    stream: answering(asks("query", LAST), (el, ctx) => {
      const user = String(el.attrs.from ?? "");
      const online = ctx.peers().some((p) => String(p.jid ?? "").split("/")[0] === user);
      return el.attrs.type === "error" && user.includes("@") && !user.includes("/") && !online ? withCondition(el, "item-not-found") : "pass";
    }),
  },
  {
    // Review pass (2026-11-25): last-stranger-same-answer compared the two refusals' conditions only.
    id: "entity.last.stranger-text-told",
    area: "entity",
    requirements: ["LAST-SEC-01"],
    description:
      "a stranger's last activity query of a user's bare JID is refused with the same condition whether the user is online or not, but the error's <text/> says which ('online' or 'offline')",
    stream: answering(asks("query", LAST), (el, ctx) => {
      const user = String(el.attrs.from ?? "");
      if (el.attrs.type !== "error" || !user.includes("@") || user.includes("/") || !el.getChild("error")) return "pass";
      const online = ctx.peers().some((p) => String(p.jid ?? "").split("/")[0] === user);
      return changed(el, (c) => {
        const err = c.getChild("error")!;
        err.children = err.children.filter((x) => typeof x === "string" || x.name !== "text");
        err.cnode(xml("text", { xmlns: STANZAS }, online ? "online" : "offline"));
      });
    }),
  },
  {
    id: "entity.last.no-resource-item-not-found",
    area: "entity",
    requirements: ["LAST-FULL-03"],
    description: "a last activity query to a full JID with no such resource is refused with item-not-found, not XMPP IM's service-unavailable",
    stream: answering(asks("query", LAST), (el) => (errorWith(el, "service-unavailable") && String(el.attrs.from ?? "").includes("/") ? withCondition(el, "item-not-found") : "pass")),
  },
  {
    // Seventy-sixth audit (round 76, report G3 §3): last-full-no-resource had bob/b1 available, so XEP-0012 §4's "no
    // available resource matching the <localpart@domain.tld>" (the account) never held and this passed, LAST-FULL-03
    // credited. Old file pass -> new file fail (last-full-no-resource/offline: LAST-FULL-03, DELIVERY-IQ-FULLNOMATCH),
    // Prosody 13 and ejabberd 24.12.
    id: "entity.last.full-offline-answered",
    area: "entity",
    requirements: ["LAST-FULL-03", "DELIVERY-IQ-FULLNOMATCH"],
    description:
      "a last activity query to a full JID of an account with no session at all is answered on the user's behalf with a result (seconds='42'), as the bare JID's offline query, instead of service-unavailable",
    stream: answering(
      (el) => casesOwn(asks("query", LAST))(el) && el.attrs.type === "get" && String(el.attrs.to ?? "").includes("/"),
      (el, ctx) => {
        const user = String(el.attrs.from ?? "").split("/")[0];
        const online = ctx.peers().some((p) => String(p.jid ?? "").split("/")[0] === user);
        return el.attrs.type === "error" && !online ? [xml("iq", { type: "result", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from }, xml("query", { xmlns: LAST, seconds: "42" }))] : "pass";
      },
    ),
  },
  {
    id: "entity.time.no-tzo",
    area: "entity",
    requirements: ["TIME-TZO-01"],
    description: "the server's entity time result has no <tzo/>",
    fault: editTime("tzo", () => undefined),
  },
  {
    id: "entity.time.tzo-no-colon",
    area: "entity",
    requirements: ["TIME-TZO-02"],
    description: "the server writes its offset as +0000, without the colon of the XEP-0082 TZD",
    fault: editTime("tzo", () => "+0000"),
  },
  {
    id: "entity.time.no-utc",
    area: "entity",
    requirements: ["TIME-UTC-01"],
    description: "the server's entity time result has no <utc/>",
    fault: editTime("utc", () => undefined),
  },
  {
    id: "entity.time.utc-space",
    area: "entity",
    requirements: ["TIME-UTC-02"],
    description: "the server writes its UTC time with a space instead of the 'T' of the XEP-0082 DateTime",
    fault: editTime("utc", (t) => t.replace("T", " ")),
  },
  {
    id: "entity.time.utc-local",
    area: "entity",
    requirements: ["TIME-UTC-03"],
    description: "the server writes <utc/> in its local time with a +02:00 offset instead of in UTC",
    fault: editTime("utc", (t) => t.replace(/(Z|[+-]\d\d:\d\d)$/, "+02:00")),
  },
  {
    id: "entity.version.unsupported-silent",
    area: "entity",
    requirements: ["VERSION-ERR-01", "STANZA-IQ-01"],
    description: "a server without software version (jabber:iq:version not in its disco#info) never answers a version query of itself, neither with a result nor with an error",
    stream: unsupportedSilent(VERSION, asks("query", VERSION)),
  },
  {
    id: "entity.time.unsupported-silent",
    area: "entity",
    requirements: ["TIME-ERR-01", "STANZA-IQ-01"],
    description: "a server without entity time (urn:xmpp:time not in its disco#info) never answers an entity time query of itself, neither with a result nor with an error",
    stream: unsupportedSilent(TIME, asks("time", TIME)),
  },
  {
    id: "entity.ping.unsupported-silent",
    area: "entity",
    requirements: ["PING-C2S-03", "STANZA-IQ-01"],
    description: "a server without ping (urn:xmpp:ping not in its disco#info) never answers a ping of itself instead of refusing it with an error",
    stream: unsupportedSilent(PING, asks("ping", PING)),
  },
  {
    // Thirty-first audit: a server that lists urn:xmpp:ping (it claims support) but never answers the case's own pings
    // (the harness's barrier pings still are). It breaks XEP-0199 §4.2 "If the server supports the ping namespace, it
    // MUST return an IQ-result" (PING-C2S-01, ping-server's), not PING-C2S-03, which binds only a server that does not
    // support ping. ping-server-answered failed PING-C2S-03 at MUST on it; it now warns PING-PROTO-01 only.
    id: "entity.ping.unanswered-listed",
    area: "entity",
    requirements: ["PING-C2S-01", "PING-PROTO-01", "STANZA-IQ-01"],
    description: "the server lists urn:xmpp:ping but never answers a client's own ping of it (barrier pings still answered)",
    stream: answering(casesOwn(asks("ping", PING)), (el) => (serverMade(el) ? "drop" : "pass")),
  },
  {
    // Forty-fifth audit: a server that lists jabber:iq:version (it claims support) but never answers the case's own
    // version queries (the harness's barrier pings still are). It breaks RFC 6120 §8.2.3 (STANZA-IQ-01,
    // version-server's), not VERSION-ERR-01, which binds only a server that does not support the namespace.
    // version-server-answered warned VERSION-ERR-01 on it; it now skips (VERSION-ERR-01 not-reached).
    id: "entity.version.unanswered-listed",
    area: "entity",
    requirements: ["STANZA-IQ-01"],
    description: "the server lists jabber:iq:version but never answers a client's own version query of it (barrier pings still answered)",
    stream: answering(casesOwn(asks("query", VERSION)), (el) => (serverMade(el) ? "drop" : "pass")),
  },
  {
    // Forty-fifth audit: the same for entity time (urn:xmpp:time listed, the case's own time queries unanswered).
    // time-server-answered warned TIME-ERR-01 on it; it now skips (TIME-ERR-01 not-reached). Forty-sixth audit:
    // time-server failed TIME-TZO-01 on it, a rule of a result's content; its first query unanswered now fails
    // STANZA-IQ-01 (RFC 6120 §8.2.3), as version-server does, with TIME-TZO-01 not-reached.
    id: "entity.time.unanswered-listed",
    area: "entity",
    requirements: ["STANZA-IQ-01"],
    description: "the server lists urn:xmpp:time but never answers a client's own entity time query of it (barrier pings still answered)",
    stream: answering(casesOwn(asks("time", TIME)), (el) => (serverMade(el) ? "drop" : "pass")),
  },
  {
    // Class sweep (2026-11-28, group S4): time-server-answered judged the first query's answer (TIME-ERR-01, a
    // derived SHOULD) before the 'one of' of the second query and the disco#info (TIME-DISCO-01, a MUST), so a
    // server that answered time queries with a result, listed no urn:xmpp:time and left the first query of a
    // session unanswered only warned.
    id: "entity.time.unlisted-first-unanswered",
    area: "entity",
    requirements: ["TIME-DISCO-01"],
    description: "the server answers entity time queries of itself with a result but lists no urn:xmpp:time in its disco#info, and the first such query of each session is never answered",
    stream: (() => {
      const asked = new Set<number>();
      const silent = answering(
        (el, ctx) => casesOwn(asks("time", TIME))(el) && !asked.has(ctx.conn.id) && Boolean(asked.add(ctx.conn.id)),
        (el) => (serverMade(el) ? "drop" : "pass"),
      );
      const unlisted = withoutFeature(TIME);
      return {
        fromClient: silent.fromClient,
        element: (el, ctx) => {
          const action = silent.element!(el, ctx);
          return action === "pass" ? unlisted(el, ctx) : action;
        },
      };
    })(),
  },
  {
    // Nineteenth audit: a refusal XEP-0202 allows, not a bug: the children are REQUIRED in a result (§2), and "The
    // standard error conditions described in Error Condition Mappings (XEP-0086) apply" (§3), also where the feature
    // is listed (a policy keeping the server's offset private, §6). time-server failed TIME-TZO-01 and TIME-UTC-01 at
    // MUST on it and now skips, naming the refusal; time-server-answered takes it as 'refused while listed' (credits
    // nothing) and disco-feature-works as a refusal other than an unsupported protocol's: no case should notice it.
    id: "entity.time.refused-while-listed",
    area: "entity",
    requirements: ["TIME-TZO-01", "TIME-UTC-01"],
    description: "the server lists urn:xmpp:time but refuses every entity time query of itself with <forbidden/> (a privacy policy)",
    fault: when(
      (el) => resultWith("time", TIME)(el) && serverMade(el),
      (el) => [
        xml(
          "iq",
          { type: "error", id: el.attrs.id, ...(el.attrs.from && { from: el.attrs.from }), ...(el.attrs.to && { to: el.attrs.to }) },
          xml("error", { type: "auth" }, xml("forbidden", { xmlns: STANZAS })),
        ),
      ],
    ),
  },
  {
    // Twenty-seventh audit: a refusal XEP-0092 allows, not a bug: <name/> and <version/> are REQUIRED "in a
    // result" (§2), and "The standard error conditions described in Error Condition Mappings (XEP-0086) apply"
    // (§3), also where the feature is listed. version-server failed VERSION-NAME-01 and VERSION-VERSION-01 at MUST
    // on it and now skips, naming the refusal (as time-server with entity.time.refused-while-listed);
    // version-server-answered takes it as 'refused while listed' (credits nothing).
    id: "entity.version.refused-while-listed",
    area: "entity",
    requirements: ["VERSION-NAME-01", "VERSION-VERSION-01"],
    description: "the server lists jabber:iq:version but refuses every software version query of itself with <forbidden/> (a policy)",
    fault: when(
      (el) => resultWith("query", VERSION)(el) && serverMade(el),
      (el) => [
        xml(
          "iq",
          { type: "error", id: el.attrs.id, ...(el.attrs.from && { from: el.attrs.from }), ...(el.attrs.to && { to: el.attrs.to }) },
          xml("error", { type: "auth" }, xml("forbidden", { xmlns: STANZAS })),
        ),
      ],
    ),
  },
  {
    // Twenty-seventh audit: version-server-answered had no outcome for a version query refused beside a disco#info
    // that is never answered, and warned VERSION-DISCO-01 (a rule about a server that answers version queries); it
    // now takes 'no disco answer' (credits nothing: skip). The unanswered disco#info is what disco-info-server
    // judges (its own disco#info request to the domain, dropped the same way, fails DISCO-INFO-01).
    id: "entity.version.unsupported-disco-unanswered",
    area: "entity",
    requirements: ["DISCO-INFO-01"],
    description: "the server refuses software version queries of itself with <service-unavailable/> and never answers a disco#info request to its domain",
    stream: both(
      answering(casesOwn(asks("query", VERSION)), (el) => (serverMade(el) ? [iqErrorFor(el, "service-unavailable")] : "pass")),
      answering(
        (el, ctx) => casesOwn(asks("query", "http://jabber.org/protocol/disco#info"))(el) && !harnessSession(ctx.conn.jid) && !String(el.attrs.to ?? "").includes("@"),
        () => "drop",
      ),
    ),
  },
  {
    // Class sweep (2026-11-26, group X2): time-server-answered had no outcome for an entity time query refused beside
    // a disco#info that is never answered, and failed TIME-DISCO-01 (a MUST about a server that supports entity
    // time) for the unanswered disco#info; it now takes 'no disco answer' (credits nothing: skip), as
    // version-server-answered does. The unanswered disco#info is what disco-info-server judges (DISCO-INFO-01).
    id: "entity.time.unsupported-disco-unanswered",
    area: "entity",
    requirements: ["DISCO-INFO-01"],
    description: "the server refuses entity time queries of itself with <service-unavailable/> and never answers a disco#info request to its domain",
    stream: both(
      answering(casesOwn(asks("time", TIME)), (el) => (serverMade(el) ? [iqErrorFor(el, "service-unavailable")] : "pass")),
      answering(
        (el, ctx) => casesOwn(asks("query", "http://jabber.org/protocol/disco#info"))(el) && !harnessSession(ctx.conn.jid) && !String(el.attrs.to ?? "").includes("@"),
        () => "drop",
      ),
    ),
  },
  {
    // Twenty-seventh audit: last-server credited LAST-SERVER-01 (§5: "The seconds attribute specifies how long the
    // host has been running since it was last (re-)started.") by the very pattern of LAST-RESP-02, a numeric
    // 'seconds', so a value that never grows passed; the domain is now asked again until its 'seconds' changes.
    id: "entity.last.uptime-constant",
    area: "entity",
    requirements: ["LAST-SERVER-01"],
    description: "the server answers a last activity query of its own domain with seconds='0' every time (an idle time, not its uptime)",
    fault: when(
      (el) => resultWith("query", LAST)(el) && el.attrs.from !== undefined && !String(el.attrs.from).includes("@") && !String(el.attrs.from).includes("/"),
      (el) => changed(el, (c) => (c.getChild("query", LAST)!.attrs.seconds = "0")),
    ),
  },
  {
    id: "entity.time.not-advertised",
    area: "entity",
    requirements: ["TIME-DISCO-01"],
    description: "the server answers entity time queries but its disco#info does not list urn:xmpp:time",
    fault: withoutFeature(TIME),
  },
  {
    // Class sweep (2026-11-28, class note 2 of the sixtieth audit): time-server-answered took an error to the first
    // query, after a disco#info without urn:xmpp:time, only with its <error/> child, so a childless error warned
    // TIME-ERR-01 (which asks only for an answer there) for RFC 6120 §8.3.1's breach (ERR-RULE-04).
    id: "entity.time.unlisted-refused-childless",
    area: "entity",
    requirements: ["ERR-RULE-04"],
    description: "a server without entity time (urn:xmpp:time not in its disco#info) answers an entity time query of itself with an IQ of type 'error' that has no <error/> child",
    stream: (() => {
      const childless = answering(casesOwn(asks("time", TIME)), (el) => (serverMade(el) ? [xml("iq", { type: "error", id: el.attrs.id, from: el.attrs.from, to: el.attrs.to })] : "pass"));
      const unlisted = withoutFeature(TIME);
      return {
        fromClient: childless.fromClient,
        element: (el, ctx) => {
          const action = childless.element!(el, ctx);
          return action === "pass" ? unlisted(el, ctx) : action;
        },
      };
    })(),
  },
  {
    // Class sweep (2026-11-28, class note 2 of the sixtieth audit): version-server-answered, the same for
    // VERSION-ERR-01 after a disco#info without jabber:iq:version.
    id: "entity.version.unlisted-refused-childless",
    area: "entity",
    requirements: ["ERR-RULE-04"],
    description: "a server without software version (jabber:iq:version not in its disco#info) answers a version query of itself with an IQ of type 'error' that has no <error/> child",
    stream: (() => {
      const childless = answering(casesOwn(asks("query", VERSION)), (el) => (serverMade(el) ? [xml("iq", { type: "error", id: el.attrs.id, from: el.attrs.from, to: el.attrs.to })] : "pass"));
      const unlisted = withoutFeature(VERSION);
      return {
        fromClient: childless.fromClient,
        element: (el, ctx) => {
          const action = childless.element!(el, ctx);
          return action === "pass" ? unlisted(el, ctx) : action;
        },
      };
    })(),
  },
  {
    // Seventy-fourth audit (round 74, report G4 §4): disco-feature-works took an error only with its <error/> child,
    // so a listed feature whose request got an IQ error without one matched no alternative and failed DISCO-FEAT-02
    // at MUST, for RFC 6120 §8.2.3's breach (STANZA-IQ-06): an error that names no condition does not refuse the
    // protocol as unsupported. disco-feature-works/version, Prosody 13: fail (DISCO-FEAT-02) -> skip (no-condition,
    // credits nothing).
    id: "entity.version.listed-refused-childless",
    area: "entity",
    requirements: ["STANZA-IQ-06", "ERR-RULE-04"],
    description: "the server lists jabber:iq:version and answers a version query of itself with an IQ of type 'error' that has no <error/> child",
    stream: answering(casesOwn(asks("query", VERSION)), (el) => (serverMade(el) ? [xml("iq", { type: "error", id: el.attrs.id, from: el.attrs.from, to: el.attrs.to })] : "pass")),
  },
];

/** The four XEPs: what a correct server may do differently; no verdict may change. */
export const VARIATIONS: Variation[] = [
  {
    // Twenty-third audit: ping-user-bare and ping-user-no-resource took any ping at bob/b1 for alice's, delivered;
    // the server's own keepalive warned them. Now only a ping from another address than the domain counts.
    id: "entity-ping-server-keepalive",
    description:
      'the server pings a user\'s connected resources from its domain when another user pings that account (XEP-0199 §4.1: a server tests "the viability of the underlying stream connection by pinging a connected client")',
    fault: keepaliveOnPong,
    stream: {
      fromClient: (el, { conn, peers }) => {
        const to = String(el.attrs.to ?? "");
        const account = to.split("/")[0];
        if (el.name !== "iq" || el.attrs.type !== "get" || !el.getChild("ping", PING) || !to.includes("/") || !account.includes("@")) return;
        if (account === conn.jid?.split("/")[0] || peers().some((p) => p.jid === to)) return;
        keepalive(account, peers());
      },
    },
  },
  {
    // Seventy-fourth audit (round 74, report G3): ping-user-full took the first ping bob/b1 got for alice's, so this
    // server's own ping (from its domain, before it routes alice's) was answered under its id and alice's p1 went
    // unanswered. Prosody 13: old file warn (PING-E2E-01: alice/a1 did not receive b1's error) -> new pass.
    id: "entity-ping-server-checks-target",
    description:
      'before it routes another user\'s ping to a connected full JID, the server pings that resource from its domain (XEP-0199 §4.1: a server tests "the viability of the underlying stream connection by pinging a connected client")',
    fault: () => "pass",
    stream: {
      fromClient: (el, { conn, peers }) => {
        const to = String(el.attrs.to ?? "");
        const account = to.split("/")[0];
        if (el.name !== "iq" || el.attrs.type !== "get" || !el.getChild("ping", PING) || !to.includes("/") || !account.includes("@")) return;
        if (account === conn.jid?.split("/")[0]) return;
        for (const p of peers().filter((x) => x.jid === to))
          p.deliver(xml("iq", { type: "get", from: account.split("@")[1], to: p.jid, id: `s2c-check-${++keepalives}` }, xml("ping", { xmlns: PING })));
      },
    },
  },
  {
    id: "entity-version-no-os",
    description: 'the server\'s software version leaves <os/> out (XEP-0092 §2: "This element is OPTIONAL in a result")',
    fault: versionWithout("os"),
  },
  {
    id: "entity-version-extension",
    description: "the server's software version carries an extension element of another namespace (only name, version and os are fixed in 'jabber:iq:version')",
    fault: when(
      (el) => resultWith("query", VERSION)(el) && serverMade(el),
      (el) => changed(el, (c) => c.getChild("query", VERSION)!.cnode(xml("build", { xmlns: "urn:example:build" }, "42"))),
    ),
  },
  {
    id: "entity-time-fraction-and-zero-offset",
    description: 'the server writes <utc/> with fractions of a second and its <tzo/> as Z or +00:00 the other way round (XEP-0082 §3.2: "CCYY-MM-DDThh:mm:ss[.sss]TZD")',
    fault: when(
      (el) => resultWith("time", TIME)(el) && serverMade(el),
      (el) =>
        changed(el, (c) => {
          const t = c.getChild("time", TIME)!;
          const utc = t.getChild("utc")!;
          utc.children = [utc.getText().replace(/(\.\d+)?(Z|[+-]00:00)$/, ".123Z")];
          const tzo = t.getChild("tzo")!;
          tzo.children = [tzo.getText() === "Z" ? "+00:00" : tzo.getText() === "+00:00" ? "Z" : tzo.getText()];
        }),
    ),
  },
  {
    // Before entity-last-server-refused: run together, it sees the domain's uptime before the refusal replaces it.
    // Twenty-seventh audit: the value is now shifted, not fixed: an uptime grows with the clock (last-server asks
    // again until it changes), which a constant would not.
    // Stop 71: only the server's own uptime: a user's 'seconds' is "the number of seconds that have passed since the
    // user last logged out" (XEP-0012 §3), and a logout during the case is under ten minutes ago (last-offline-contact
    // warned whenever a loaded server answered '1' rather than '0').
    id: "entity-last-other-seconds",
    description: "the server reports another uptime (the value of 'seconds' for the server's own address is the server's to give)",
    fault: when(
      (el) => resultWith("query", LAST)(el) && !String(el.attrs.from ?? "").includes("@") && /^[1-9][0-9]*$/.test(String(el.getChild("query", LAST)!.attrs.seconds ?? "")),
      (el) => changed(el, (c) => (c.getChild("query", LAST)!.attrs.seconds = String(Number(c.getChild("query", LAST)!.attrs.seconds) + 98765))),
    ),
  },
  {
    id: "entity-last-server-refused",
    description:
      'the server refuses a last activity query of its own domain with forbidden (a deployment that keeps its uptime to itself: XEP-0012 §2, "The target entity MUST return either an IQ-result or an IQ-error.")',
    fault: when(
      // From the domain itself: a result without 'from' answers the user's own account (ejabberd), not the domain.
      (el) => resultWith("query", LAST)(el) && el.attrs.from !== undefined && !String(el.attrs.from).includes("@") && !String(el.attrs.from).includes("/"),
      (el) => [
        xml(
          "iq",
          { type: "error", id: el.attrs.id, ...(el.attrs.to && { to: el.attrs.to }), ...(el.attrs.from && { from: el.attrs.from }) },
          xml("error", { type: "auth" }, xml("forbidden", { xmlns: STANZAS })),
        ),
      ],
    ),
  },
  {
    // Seventy-sixth audit (round 76, report G3 §4): disco-feature-works/last failed DISCO-FEAT-02 on a server that
    // offers users' last activity (XEP-0012 §3) and lists jabber:iq:last but not its own uptime (§5, no keyword):
    // Prosody with mod_lastactivity and without mod_uptime. Old file fail (DISCO-FEAT-02) -> new file pass,
    // Prosody 13 and ejabberd 24.12. Applied by bench/try-case.ts only (stream): beside entity-last-server-refused,
    // which refuses the same answer, it would change nothing in the whole-suite run.
    id: "entity-last-uptime-not-offered",
    description:
      'the server lists jabber:iq:last for its users\' last activity (XEP-0012 §3) and refuses a last activity query of its own domain with service-unavailable: it keeps no uptime (§5 makes none mandatory; §6: "If an entity supports the Last Activity protocol, it MUST advertise that fact")',
    fault: () => "pass",
    stream: {
      element: when(
        (el) => resultWith("query", LAST)(el) && el.attrs.from !== undefined && !String(el.attrs.from).includes("@") && !String(el.attrs.from).includes("/"),
        (el) => [
          xml("iq", { type: "error", id: el.attrs.id, ...(el.attrs.to && { to: el.attrs.to }), from: el.attrs.from }, xml("error", { type: "cancel" }, xml("service-unavailable", { xmlns: STANZAS }))),
        ],
      ),
    },
  },
  {
    // Last of the list, so the others see the decimal they look for. 'seconds' was compared as a string with '0'
    // (LAST-ONLINE-01) and as plain digits, though XEP-0012's schema types it xs:unsignedLong, whose lexical forms
    // include a '+' and leading zeros. Compared by value now ({uint:0}, and patterns that take those forms).
    id: "entity-last-seconds-lexical",
    description:
      "every 'seconds' the server sends is written with a '+' and a leading zero, its value unchanged (XEP-0012's schema: <xs:attribute name='seconds' type='xs:unsignedLong' use='optional'/>; XML Schema's unsignedLong allows an optional '+' and leading zeros)",
    fault: when(
      (el) => resultWith("query", LAST)(el) && /^[0-9]+$/.test(String(el.getChild("query", LAST)!.attrs.seconds ?? "")),
      (el) => changed(el, (c) => (c.getChild("query", LAST)!.attrs.seconds = `+0${c.getChild("query", LAST)!.attrs.seconds}`)),
    ),
  },
];
