/** Faults that break RFC 6121's rules (rosters, subscriptions, presence, delivery), for the fault proxy. */
import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { bare, type FaultAction, type FaultContext } from "../fault-proxy.ts";
import { changed, copyOf, isError, STANZAS, when, type FaultDef } from "../fault-kit.ts";

const ROSTER = "jabber:iq:roster";
const SUBSCRIPTION_TYPES = new Set(["subscribe", "subscribed", "unsubscribe", "unsubscribed"]);

const isPush = (el: Element) => el.name === "iq" && el.attrs.type === "set" && Boolean(el.getChild("query", ROSTER));
const isRosterResult = (el: Element) => el.name === "iq" && el.attrs.type === "result" && Boolean(el.getChild("query", ROSTER));
const isAvailable = (el: Element) => el.name === "presence" && el.attrs.type === undefined;
const isPresence = (type: string) => (el: Element) => el.name === "presence" && el.attrs.type === type;
const fromOtherAccount = (el: Element, own?: string) => Boolean(el.attrs.from) && bare(el.attrs.from) !== bare(own) && el.attrs.from.includes("@");
const items = (el: Element) => el.getChild("query", ROSTER)?.getChildren("item") ?? [];

export const FAULTS: FaultDef[] = [
  // Roster pushes and results (§2.1, §2.2, §2.3 - §2.5).
  {
    id: "roster.push.only-to-sender",
    area: "roster",
    requirements: ["ROSTER-PUSH-01", "ROSTER-ADD-02"],
    description: "roster pushes reach only the resource that made the change, not the user's other interested resources",
    fault: (el, { conn, peers }) => {
      if (!isPush(el)) return "pass";
      const first = [conn, ...peers()].filter((c) => bare(c.jid) === bare(conn.jid) && c.interested).sort((a, b) => a.id - b.id)[0];
      return first === conn ? "pass" : "drop";
    },
  },
  {
    id: "roster.push.to-uninterested",
    area: "roster",
    requirements: ["ROSTER-PUSH-02"],
    description: "roster pushes also go to resources that never requested the roster",
    fault: (el, { conn, peers }) => {
      if (isPush(el)) for (const p of peers()) if (bare(p.jid) === bare(conn.jid) && !p.interested) p.deliver(el);
      return "pass";
    },
  },
  {
    id: "roster.push.two-items",
    area: "roster",
    requirements: ["ROSTER-PUSH-03", "ROSTER-ADD-02"],
    description: "a roster push carries the changed item twice",
    fault: when(isPush, (el) => changed(el, (c) => c.getChild("query", ROSTER)!.cnode(copyOf(items(el)[0])))),
  },
  {
    id: "roster.push.foreign-from",
    area: "roster",
    requirements: ["ROSTER-PUSH-04"],
    description: "roster pushes are stamped from the server's domain instead of the user's bare JID",
    fault: when(isPush, (el) => changed(el, (c) => (c.attrs.from = "pushes.invalid"))),
  },
  {
    id: "roster.set.no-result",
    area: "roster",
    requirements: ["ROSTER-ADD-01", "ROSTER-DEL-01", "ROSTER-UPD-03"],
    description: "a successful roster set is never answered with an IQ result",
    fault: when(
      (el) => el.name === "iq" && el.attrs.type === "result" && el.children.length === 0 && !String(el.attrs.id).startsWith("xc"),
      () => "drop",
    ),
  },
  {
    id: "roster.get.drops-an-item",
    area: "roster",
    requirements: ["ROSTER-GET-01"],
    description: "the roster result leaves out the last item",
    fault: when(
      (el) => isRosterResult(el) && items(el).length > 0,
      (el) => changed(el, (c) => c.getChild("query", ROSTER)!.remove(c.getChild("query", ROSTER)!.getChildren("item").at(-1)!)),
    ),
  },
  {
    id: "roster.get.empty-is-error",
    area: "roster",
    requirements: ["ROSTER-GET-02"],
    description: "an empty roster is answered with item-not-found instead of an empty query",
    fault: when(
      (el) => isRosterResult(el) && items(el).length === 0,
      (el) => [xml("iq", { type: "error", id: el.attrs.id, to: el.attrs.to }, xml("error", { type: "cancel" }, xml("item-not-found", { xmlns: STANZAS })))],
    ),
  },
  {
    id: "roster.update.groups-merged",
    area: "roster",
    requirements: ["ROSTER-UPD-01"],
    description: "an update merges the new groups with the old ones instead of replacing them",
    fault: when(
      (el) => (isPush(el) || isRosterResult(el)) && items(el).some((i) => i.getChild("group")),
      (el) =>
        changed(el, (c) =>
          c
            .getChild("query", ROSTER)!
            .getChildren("item")
            .filter((i) => i.getChild("group"))
            .forEach((i) => i.c("group").t("Stale")),
        ),
    ),
  },
  {
    id: "roster.update.name-kept",
    area: "roster",
    requirements: ["ROSTER-UPD-02"],
    description: "clearing an item's name keeps the old name",
    fault: when(
      (el) => isPush(el) && items(el).some((i) => !i.attrs.name && i.attrs.subscription !== "remove"),
      (el) =>
        changed(el, (c) =>
          c
            .getChild("query", ROSTER)!
            .getChildren("item")
            .forEach((i) => (i.attrs.name ||= "Old Name")),
        ),
    ),
  },
  {
    id: "roster.delete.push-not-remove",
    area: "roster",
    requirements: ["ROSTER-DEL-01"],
    description: "the push after a delete says subscription='none' instead of 'remove'",
    fault: when(
      (el) => isPush(el) && items(el).some((i) => i.attrs.subscription === "remove"),
      (el) =>
        changed(el, (c) =>
          c
            .getChild("query", ROSTER)!
            .getChildren("item")
            .forEach((i) => (i.attrs.subscription = "none")),
        ),
    ),
  },
  {
    id: "roster.item.client-subscription-honoured",
    area: "roster",
    requirements: ["ROSTER-ITEM-08", "ROSTER-ITEM-07"],
    description: "a subscription value sent in a roster set shows up in the pushed item",
    fault: when(
      (el) => isPush(el) && items(el).some((i) => (i.attrs.subscription ?? "none") === "none"),
      (el) =>
        changed(el, (c) =>
          c
            .getChild("query", ROSTER)!
            .getChildren("item")
            .forEach((i) => (i.attrs.subscription = "both")),
        ),
    ),
  },
  // Roster-set errors (§2.3.3, §2.5.3).
  {
    id: "roster-set.error-becomes-result",
    area: "roster-set-errors",
    requirements: ["ROSTER-SET-ERR-*", "ROSTER-GEN-02"],
    description: "invalid or unauthorised roster sets are accepted (answered with a result)",
    fault: when(
      (el) => el.name === "iq" && isError(el),
      (el) => [xml("iq", { type: "result", id: el.attrs.id, to: el.attrs.to })],
    ),
  },
  {
    id: "roster-set.wrong-condition",
    area: "roster-set-errors",
    requirements: ["ROSTER-SET-ERR-*"],
    description: "roster-set errors carry undefined-condition instead of the condition the RFC names",
    fault: when(
      (el) => el.name === "iq" && isError(el),
      (el) => [xml("iq", { type: "error", id: el.attrs.id, to: el.attrs.to }, xml("error", { type: "cancel" }, xml("undefined-condition", { xmlns: STANZAS })))],
    ),
  },
  {
    id: "roster-set.push-despite-error",
    area: "roster-set-errors",
    requirements: ["ROSTER-SET-ERR-00", "ROSTER-SET-ERR-*"],
    description: "a rejected roster set is still pushed to the user's resources",
    fault: when(
      (el) => el.name === "iq" && isError(el),
      (el) => [el, xml("iq", { type: "set", id: "leak" }, xml("query", { xmlns: ROSTER }, xml("item", { jid: "leaked@example.invalid" })))],
    ),
  },
  // Roster versioning (§2.6).
  {
    id: "versioning.no-ver-in-pushes",
    area: "versioning",
    requirements: ["ROSTER-VER-08", "ROSTER-VER-09"],
    description: "roster pushes carry no 'ver' although versioning is advertised",
    fault: when(isPush, (el) => changed(el, (c) => delete c.getChild("query", ROSTER)!.attrs.ver)),
  },
  {
    id: "versioning.unchanged-as-empty-roster",
    area: "versioning",
    requirements: ["ROSTER-VER-12", "ROSTER-VER-05", "ROSTER-VER-06"],
    description: "a roster that did not change is answered as an empty roster (an item-less query) instead of an IQ result without one",
    fault: (el, { conn }) =>
      conn.versioning && el.name === "iq" && el.attrs.type === "result" && el.children.every((c) => typeof c === "string")
        ? changed(el, (c) => c.c("query", { xmlns: ROSTER, ver: "xc-unchanged" }))
        : "pass",
  },
  {
    id: "versioning.constant-ver",
    area: "versioning",
    requirements: ["ROSTER-VER-08", "ROSTER-VER-10", "ROSTER-VER-11"],
    description: "every push and result carries the same version string",
    fault: when(
      (el) => (isPush(el) || isRosterResult(el)) && el.getChild("query", ROSTER)!.attrs.ver !== undefined,
      (el) => changed(el, (c) => (c.getChild("query", ROSTER)!.attrs.ver = "1")),
    ),
  },
  // Subscriptions (§3, Appendix A).
  {
    id: "subscription.full-jid-from",
    area: "subscription",
    requirements: ["SUB-GEN-01", "SUB-APPROVE-01"],
    description: "subscription stanzas are stamped with the sender's full JID instead of the bare JID",
    fault: when(
      (el) => el.name === "presence" && SUBSCRIPTION_TYPES.has(el.attrs.type) && !String(el.attrs.from).includes("/"),
      (el) => changed(el, (c) => (c.attrs.from = `${c.attrs.from}/res`)),
    ),
  },
  {
    id: "subscription.push-without-ask",
    area: "subscription",
    requirements: ["SUB-REQ-03", "ROSTER-ITEM-03", "APPA-OUT-SUBSCRIBE-*"],
    description: "the roster push after an outbound subscribe has no ask='subscribe'",
    fault: when(
      (el) => isPush(el) && items(el).some((i) => i.attrs.ask),
      (el) =>
        changed(el, (c) =>
          c
            .getChild("query", ROSTER)!
            .getChildren("item")
            .forEach((i) => delete i.attrs.ask),
        ),
    ),
  },
  {
    id: "subscription.unsubscribe-keeps-ask",
    area: "subscription",
    requirements: ["SUB-UNSUB-02", "APPA-OUT-UNSUBSCRIBE-*"],
    description: "a request the user withdrew with unsubscribe stays pending: the push and the roster still show ask='subscribe' for the contact",
    stream: (() => {
      const withdrawn = new Set<string>();
      const keepAsk = (el: Element, ctx: FaultContext): FaultAction => {
        if (!ctx.conn.jid || !(isPush(el) || isRosterResult(el)) || !items(el).some((i) => withdrawn.has(`${bare(ctx.conn.jid)} ${bare(i.attrs.jid)}`))) return "pass";
        return changed(el, (c) => {
          for (const i of items(c)) if (withdrawn.has(`${bare(ctx.conn.jid)} ${bare(i.attrs.jid)}`)) i.attrs.ask = "subscribe";
        });
      };
      return {
        fromClient: (el: Element, ctx: FaultContext) => void (isPresence("unsubscribe")(el) && ctx.conn.jid && withdrawn.add(`${bare(ctx.conn.jid)} ${bare(el.attrs.to)}`)),
        element: keepAsk,
      };
    })(),
  },
  {
    id: "subscription.push-before-approval",
    area: "subscription",
    requirements: ["SUB-APPROVE-05"],
    description: "the user's server sends the roster push for an approval before the approval itself (RFC 6121 §3.1.6: the approval 'MUST occur before sending the roster push')",
    stream: (() => {
      const held = new Map<number, Element>();
      return {
        element: (el: Element, ctx: FaultContext): FaultAction => {
          if (!ctx.conn.jid) return "pass";
          const waiting = held.get(ctx.conn.id);
          if (isPresence("subscribed")(el) && fromOtherAccount(el, ctx.conn.jid) && !waiting) {
            held.set(ctx.conn.id, el);
            return "drop";
          }
          if (!waiting) return "pass";
          held.delete(ctx.conn.id);
          // A push overtakes the approval; anything else lets it out first.
          return isPush(el) ? [el, waiting] : [waiting, el];
        },
      };
    })(),
  },
  {
    id: "subscription.request-lost",
    area: "subscription",
    requirements: ["SUB-REQ-10", "SUB-REQ-12", "SUB-REQ-13", "APPA-IN-SUBSCRIBE-*"],
    description: "subscription requests are never delivered to the contact",
    fault: when(isPresence("subscribe"), () => "drop"),
  },
  {
    id: "subscription.request-to-unavailable",
    area: "subscription",
    requirements: ["SUB-REQ-16", "SUB-REQ-10"],
    description: "subscription requests also reach resources that are connected but not available",
    fault: (el, { conn, peers }) => {
      if (isPresence("subscribe")(el)) for (const p of peers()) if (bare(p.jid) === bare(conn.jid) && !p.available) p.deliver(el);
      return "pass";
    },
  },
  {
    id: "subscription.request-twice",
    area: "subscription",
    requirements: ["SUB-REQ-14", "SUB-REQ-19", "APPA-IN-SUBSCRIBE-*"],
    description: "a subscription request is delivered twice",
    fault: when(isPresence("subscribe"), (el) => [el, el]),
  },
  {
    id: "subscription.auto-approve",
    area: "subscription",
    requirements: ["SUB-REQ-08"],
    description: "the contact's server approves every request by itself",
    fault: (el, { conn, peers }) => {
      if (isPresence("subscribe")(el)) {
        for (const p of peers()) if (bare(p.jid) === bare(el.attrs.from)) p.deliver(xml("presence", { type: "subscribed", from: bare(conn.jid), to: bare(p.jid) }));
      }
      return "pass";
    },
  },
  {
    id: "subscription.approval-lost",
    area: "subscription",
    requirements: ["SUB-APPROVE-01", "SUB-APPROVE-04", "APPA-IN-SUBSCRIBED-*"],
    description: "the contact's approval (subscribed) never reaches the user",
    fault: when(isPresence("subscribed"), () => "drop"),
  },
  {
    id: "subscription.push-before-subscribed",
    area: "subscription",
    requirements: ["SUB-APPROVE-05"],
    description: "the user's roster push (subscription='to') arrives before the contact's subscribed",
    fault: (() => {
      const held = new Map<number, Element>();
      return (el, { conn }) => {
        if (isPresence("subscribed")(el)) {
          held.set(conn.id, el);
          return "drop";
        }
        const waiting = held.get(conn.id);
        if (waiting && isPush(el)) {
          held.delete(conn.id);
          return [el, waiting];
        }
        return "pass";
      };
    })(),
  },
  {
    id: "subscription.to-from-swapped",
    area: "subscription",
    requirements: ["SUB-APPROVE-02", "SUB-APPROVE-06", "APPA-*"],
    description: "roster pushes say 'to' where the state is 'from' and the other way round",
    fault: when(
      (el) => isPush(el) && items(el).some((i) => i.attrs.subscription === "to" || i.attrs.subscription === "from"),
      (el) =>
        changed(el, (c) =>
          c
            .getChild("query", ROSTER)!
            .getChildren("item")
            .forEach((i) => (i.attrs.subscription = i.attrs.subscription === "to" ? "from" : i.attrs.subscription === "from" ? "to" : i.attrs.subscription)),
        ),
    ),
  },
  {
    id: "subscription.unsubscribed-lost",
    area: "subscription",
    requirements: ["SUB-CANCEL-*", "APPA-IN-UNSUBSCRIBED-*", "ROSTER-DEL-03", "ROSTER-DEL-04"],
    description: "a cancellation (unsubscribed) never reaches the user",
    fault: when(isPresence("unsubscribed"), () => "drop"),
  },
  {
    id: "subscription.unsubscribe-lost",
    area: "subscription",
    requirements: ["SUB-UNSUB-*", "APPA-IN-UNSUBSCRIBE-*", "ROSTER-DEL-02", "ROSTER-DEL-04"],
    description: "an unsubscribe never reaches the contact",
    fault: when(isPresence("unsubscribe"), () => "drop"),
  },
  {
    id: "subscription.no-presence-after-approval",
    area: "subscription",
    requirements: ["SUB-APPROVE-03", "SUB-APPROVE-07"],
    description: "after an approval the user never gets the contact's current presence",
    fault: (() => {
      const approvedBy = new Map<number, Set<string>>();
      return (el, { conn }) => {
        if (isPresence("subscribed")(el)) approvedBy.set(conn.id, new Set([...(approvedBy.get(conn.id) ?? []), bare(el.attrs.from)]));
        return isAvailable(el) && approvedBy.get(conn.id)?.has(bare(el.attrs.from)) ? "drop" : "pass";
      };
    })(),
  },
  // Pre-approval (§3.4).
  {
    id: "pre-approval.approved-missing",
    area: "pre-approval",
    requirements: ["SUB-PREAPPROVE-*", "ROSTER-ITEM-01"],
    description: "pre-approved items carry no approved='true' in pushes and roster results",
    fault: when(
      (el) => (isPush(el) || isRosterResult(el)) && items(el).some((i) => i.attrs.approved),
      (el) =>
        changed(el, (c) =>
          c
            .getChild("query", ROSTER)!
            .getChildren("item")
            .forEach((i) => delete i.attrs.approved),
        ),
    ),
  },
  {
    id: "pre-approval.request-delivered-anyway",
    area: "pre-approval",
    requirements: ["SUB-PREAPPROVE-*", "SUB-REQ-20"],
    description: "a subscription request from a pre-approved contact is delivered instead of approved silently",
    fault: (el, { conn, peers }) => {
      if (isPresence("subscribed")(el) && !String(el.attrs.from).includes("/")) {
        for (const p of peers()) if (bare(p.jid) === bare(el.attrs.from) && p.available) p.deliver(xml("presence", { type: "subscribe", from: bare(conn.jid), to: bare(p.jid) }));
      }
      return "pass";
    },
  },
  // Presence broadcast and probes (§4.2 - §4.4).
  {
    id: "presence.no-self-echo",
    area: "presence",
    requirements: ["PRES-INIT-01", "PRES-INIT-02", "PRES-UPD-*"],
    description: "a resource's presence is not reflected to itself and the user's other resources",
    fault: (el, { conn }) => (isAvailable(el) && bare(el.attrs.from) === bare(conn.jid) ? "drop" : "pass"),
  },
  {
    id: "presence.unknown-type-broadcast",
    area: "presence",
    requirements: ["PRES-SYNTAX-01"],
    description: "presence without 'to' of an unknown type is broadcast to the user's contacts instead of being refused with bad-request",
    stream: (() => {
      const sent = new Map<string, { from: string; el: Element }>();
      const known = new Set(["unavailable", "subscribe", "subscribed", "unsubscribe", "unsubscribed", "probe", "error"]);
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          if (el.name === "presence" && !el.attrs.to && el.attrs.type && !known.has(String(el.attrs.type)) && ctx.conn.jid) sent.set(`${ctx.conn.id} ${el.attrs.id}`, { from: ctx.conn.jid, el });
        },
        element: (el: Element, ctx: FaultContext): FaultAction => {
          const key = `${ctx.conn.id} ${el.attrs.id}`;
          const mine = el.name === "presence" && isError(el) ? sent.get(key) : undefined;
          if (!mine) return "pass";
          sent.delete(key);
          for (const p of ctx.peers()) if (bare(p.jid) !== bare(mine.from) && p.available) p.deliver(changed(mine.el, (c) => (c.attrs.from = mine.from))[0]);
          return "drop";
        },
      };
    })(),
  },
  {
    id: "presence.leak-to-strangers",
    area: "presence",
    requirements: ["PRES-INIT-*", "PRES-UPD-*", "PRES-DIR-*", "PRES-FUND-01"],
    description: "available presence is broadcast to every available resource of the case, subscribed or not",
    fault: (el, { conn, peers }) => {
      if (isAvailable(el) && fromOtherAccount(el, conn.jid)) {
        for (const p of peers()) if (p.available && bare(p.jid) !== bare(el.attrs.from) && bare(p.jid) !== bare(conn.jid)) p.deliver(changed(el, (c) => (c.attrs.to = p.jid!))[0]);
      }
      return "pass";
    },
  },
  {
    id: "presence.broadcast-lost",
    area: "presence",
    requirements: ["PRES-INIT-*", "PRES-UPD-*", "PROBE-*"],
    description: "available presence from contacts never arrives",
    fault: (el, { conn }) => (isAvailable(el) && fromOtherAccount(el, conn.jid) ? "drop" : "pass"),
  },
  {
    id: "presence.from-bare-jid",
    area: "presence",
    requirements: ["PRES-INIT-*", "PRES-UPD-*", "PROBE-*"],
    description: "broadcast presence is stamped with the sender's bare JID instead of the full JID",
    fault: (el, { conn }) => (isAvailable(el) && fromOtherAccount(el, conn.jid) ? changed(el, (c) => (c.attrs.from = bare(c.attrs.from))) : "pass"),
  },
  {
    id: "presence.show-status-stripped",
    area: "presence",
    requirements: ["PRES-UPD-*", "PRES-SYNTAX-*", "SUB-APPROVE-03"],
    description: "presence is broadcast without its <show/> and <status/>",
    fault: when(
      (el) => isAvailable(el) && Boolean(el.getChild("show") || el.getChild("status")),
      (el) => changed(el, (c) => c.children.filter((x) => typeof x !== "string" && (x.name === "show" || x.name === "status")).forEach((x) => c.remove(x as Element))),
    ),
  },
  {
    id: "probe.answers-lost",
    area: "probe",
    requirements: ["PROBE-*", "PRES-INIT-*"],
    description: "the server never answers probes: no current presence of contacts after initial presence",
    fault: (el, { conn }) => (isAvailable(el) && fromOtherAccount(el, conn.jid) && el.getChild("delay", "urn:xmpp:delay") ? "drop" : "pass"),
  },
  {
    id: "probe.delivered-to-client",
    area: "probe",
    requirements: ["PROBE-*"],
    description: "presence probes reach the contact's clients",
    fault: (el, { conn, peers }) => {
      if (isAvailable(el) && fromOtherAccount(el, conn.jid) && el.getChild("delay", "urn:xmpp:delay")) {
        for (const p of peers()) if (bare(p.jid) === bare(el.attrs.from)) p.deliver(xml("presence", { type: "probe", from: bare(conn.jid), to: bare(p.jid) }));
      }
      return "pass";
    },
  },
  // Unavailable and directed presence (§4.5, §4.6).
  {
    id: "unavailable.lost",
    area: "unavailable",
    requirements: ["PRES-UNAV-*", "SUB-CANCEL-*", "SUB-UNSUB-*", "PRES-DIR-*", "ROSTER-DEL-03"],
    description: "unavailable presence from other accounts never arrives",
    fault: (el, { conn }) => (el.name === "presence" && el.attrs.type === "unavailable" && fromOtherAccount(el, conn.jid) ? "drop" : "pass"),
  },
  {
    id: "unavailable.own-resources-not-told",
    area: "unavailable",
    requirements: ["PRES-UNAV-*"],
    description: "the user's other resources are not told when one of its resources goes unavailable",
    fault: (el, { conn }) => (el.name === "presence" && el.attrs.type === "unavailable" && bare(el.attrs.from) === bare(conn.jid) && el.attrs.from !== conn.jid ? "drop" : "pass"),
  },
  {
    id: "directed.unavailable-twice",
    area: "directed",
    requirements: ["PRES-DIR-*", "PRES-UNAV-*"],
    description: "unavailable presence is delivered twice",
    fault: (el, { conn }) => (el.name === "presence" && el.attrs.type === "unavailable" && fromOtherAccount(el, conn.jid) ? [el, el] : "pass"),
  },
  // Message, presence and IQ delivery (§8).
  {
    id: "delivery.to-negative-priority",
    area: "delivery",
    requirements: ["DELIVERY-MSG-*", "MSG-*"],
    description: "messages to a bare JID also reach resources with negative priority",
    fault: (el, { conn, peers }) => {
      if (el.name === "message" && !isError(el) && !String(el.attrs.to).includes("/")) {
        for (const p of peers()) if (bare(p.jid) === bare(conn.jid) && p.available && p.priority < 0) p.deliver(el);
      }
      return "pass";
    },
  },
  {
    id: "delivery.to-rewritten",
    area: "delivery",
    requirements: ["DELIVERY-MSG-TO-01", "DELIVERY-MSG-*", "DELIVERY-PRES-*"],
    description: "a stanza addressed to the bare JID arrives with 'to' rewritten to the full JID",
    fault: (el, { conn }) =>
      (el.name === "message" || el.name === "presence") && el.attrs.to && !String(el.attrs.to).includes("/") && fromOtherAccount(el, conn.jid) ? changed(el, (c) => (c.attrs.to = conn.jid!)) : "pass",
  },
  {
    id: "delivery.duplicated",
    area: "delivery",
    requirements: ["DELIVERY-MSG-*", "MSG-*"],
    description: "every message is delivered twice",
    fault: when(
      (el) => el.name === "message" && !isError(el) && !el.getChild("barrier", "urn:xmpp-conform:barrier"),
      (el) => [el, el],
    ),
  },
  {
    id: "delivery.wrong-resource",
    area: "delivery",
    requirements: ["DELIVERY-MSG-FULLMATCH-*", "DELIVERY-MSG-*"],
    description: "a message to a full JID is delivered to another resource of the account",
    fault: (el, { conn, peers }) => {
      if (el.name !== "message" || isError(el) || el.attrs.to !== conn.jid || el.getChild("barrier", "urn:xmpp-conform:barrier")) return "pass";
      const other = peers().find((p) => bare(p.jid) === bare(conn.jid));
      if (!other) return "pass";
      other.deliver(el);
      return "drop";
    },
  },
  {
    id: "delivery.bounce-lost",
    area: "delivery",
    requirements: ["DELIVERY-NOUSER-*", "DELIVERY-MSG-*", "DELIVERY-IQ-*", "GEN-IQ-01"],
    description: "error replies for undeliverable stanzas never come back to the sender",
    fault: when(
      (el) =>
        (el.name === "message" || el.name === "iq") &&
        isError(el) &&
        Boolean(
          el.getChild("error")?.getChild("service-unavailable", STANZAS) ||
          el.getChild("error")?.getChild("item-not-found", STANZAS) ||
          el.getChild("error")?.getChild("recipient-unavailable", STANZAS),
        ),
      () => "drop",
    ),
  },
  {
    id: "delivery.bounce-condition",
    area: "delivery",
    requirements: ["DELIVERY-MSG-E-01", "DELIVERY-MSG-*"],
    description: "a message the server bounces carries item-not-found instead of service-unavailable",
    fault: when(
      (el) => el.name === "message" && el.attrs.type === "error" && Boolean(el.getChild("error")?.getChild("service-unavailable", STANZAS)),
      (el) =>
        changed(el, (c) => {
          const error = c.getChild("error")!;
          error.remove(error.getChild("service-unavailable", STANZAS)!);
          error.c("item-not-found", { xmlns: STANZAS });
        }),
    ),
  },
  {
    id: "delivery.iq-to-client-answered-by-server",
    area: "delivery",
    requirements: ["DELIVERY-IQ-*", "GEN-IQ-01"],
    description: "IQs addressed to a user's full JID are not delivered to that resource",
    fault: (el, { conn }) => (el.name === "iq" && (el.attrs.type === "get" || el.attrs.type === "set") && fromOtherAccount(el, conn.jid) ? "drop" : "pass"),
  },
];
