import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { STANZAS, answering, changed, copyOf, iqErrorFor, routedIqFromBare, when, type FaultDef } from "../fault-kit.ts";
import { caseOf, type FaultContext } from "../fault-proxy.ts";
import type { Variation } from "../variations.ts";

const INFO = "http://jabber.org/protocol/disco#info";
const ITEMS = "http://jabber.org/protocol/disco#items";
const CAPS = "http://jabber.org/protocol/caps";

/** A disco request (`ns` is #info or #items) whose 'to' passes `to`. */
const asks = (ns: string, to: (jid: string, ctx: FaultContext) => boolean) => (el: Element, ctx: FaultContext) =>
  el.attrs.type === "get" && Boolean(el.getChild("query", ns)) && to(String(el.attrs.to ?? ""), ctx);
/** Addressed to the server's domain, to a bare JID of an account, to another user's bare JID. */
const domain = (jid: string) => jid !== "" && !jid.includes("@");
const bareJid = (jid: string) => jid.includes("@") && !jid.includes("/");
const otherBare = (jid: string, ctx: FaultContext) => bareJid(jid) && jid !== String(ctx.conn.jid ?? "").split("/")[0];
/** A result carrying a disco `ns` query, sent by the server itself or on an account's behalf. */
const resultOf = (ns: string) => (el: Element) => el.name === "iq" && el.attrs.type === "result" && Boolean(el.getChild("query", ns)) && !String(el.attrs.from ?? "").includes("/");
/** The disco `ns` result with `edit` applied to its <query/>. */
const editQuery = (ns: string, edit: (q: Element) => void) => when(resultOf(ns), (el) => changed(el, (c) => edit(c.getChild("query", ns)!)));
const errorReply = (el: Element, condition: string) =>
  xml("iq", { type: "error", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from }, xml("error", { type: "cancel" }, xml(condition, { xmlns: STANZAS })));
/** The server's own caps element in its stream features, with `edit` applied. */
const editServerCaps = (edit: (c: Element) => void): FaultDef["stream"] => ({
  element: (el) => (el.name === "stream:features" && el.getChild("c", CAPS) ? changed(el, (f) => edit(f.getChild("c", CAPS)!)) : "pass"),
});
/** A presence routed from a contact's resource that carries caps. */
const annotated = (el: Element) => el.name === "presence" && String(el.attrs.from ?? "").includes("/") && Boolean(el.getChild("c", CAPS));
const withoutCaps = (el: Element) => changed(el, (c) => c.remove("c", CAPS));
/** The server's disco#info query of a client's caps node. */
const capsQuery = (el: Element) => el.name === "iq" && el.attrs.type === "get" && Boolean(el.getChild("query", INFO)?.attrs.node);

/** The server's own disco#info results each case has been given: for the fault that answers the second otherwise. */
const asked = new Map<string, number>();
/** Caps annotations each connection has been given, by sender: for the optimizing fault, which strips repeats. */
const seen = new WeakMap<object, Set<string>>();

/** XEP-0030 and XEP-0115: server bugs the cases must catch. */
export const FAULTS: FaultDef[] = [
  {
    id: "disco.info.unanswered",
    area: "disco",
    requirements: ["DISCO-INFO-01"],
    description: "the server never answers a disco#info request to its domain",
    stream: answering(asks(INFO, domain), () => "drop"),
  },
  {
    id: "disco.info.no-identity",
    area: "disco",
    requirements: ["DISCO-INFO-02"],
    description: "the server's disco#info result has no <identity/>",
    fault: editQuery(INFO, (q) => (q.children = q.children.filter((x) => typeof x === "string" || x.name !== "identity"))),
  },
  {
    // Twenty-ninth audit: disco-info-server and disco-items-server asked for from='${domain}' in the pattern of their
    // XEP-0030 row (DISCO-INFO-01, DISCO-ITEMS-01), so a right disco result without 'from' failed that row, with the
    // other disco rows not reached (adhoc.disco.result-without-from). The 'from' is STANZA-FROM-04's own `also:` now:
    // fail DISCO-INFO-01 -> fail STANZA-FROM-04 with the disco rows passing (Prosody 13). The siblings that dropped the
    // 'from' from a XEP row's pattern (caps-server-ver, caps-server-node, blocking-disco): fail or warn -> pass (ejabberd 24.12).
    id: "disco.result-without-from",
    area: "disco",
    requirements: ["STANZA-FROM-04"],
    description: "the server's own disco#info and disco#items results (from its domain) have no 'from' (RFC 6120 §8.1.2.1 requires the domain)",
    fault: when(
      (el) => (resultOf(INFO)(el) || resultOf(ITEMS)(el)) && domain(String(el.attrs.from ?? "")),
      (el) => changed(el, (c) => delete c.attrs.from),
    ),
  },
  {
    id: "disco.info.no-disco-feature",
    area: "disco",
    requirements: ["DISCO-INFO-03"],
    description: "the server's disco#info result does not list http://jabber.org/protocol/disco#info",
    fault: editQuery(INFO, (q) => (q.children = q.children.filter((x) => typeof x === "string" || x.attrs.var !== INFO))),
  },
  {
    // Sixty-eighth audit (round 68): disco-info-server charged a result without a <query/> to DISCO-IDENT-01 and
    // DISCO-FEAT-01 as well, which are about each element there: old file fail (INFO-02, INFO-03, IDENT-01, FEAT-01)
    // -> new file fail (INFO-02, INFO-03), Prosody 13.
    id: "disco.info.no-query",
    area: "disco",
    requirements: ["DISCO-INFO-02"],
    description: "the server's disco#info result has no <query/>",
    fault: when(resultOf(INFO), (el) => changed(el, (c) => c.remove("query", INFO))),
  },
  {
    id: "disco.info.identity-without-type",
    area: "disco",
    requirements: ["DISCO-IDENT-01"],
    description: "the server's identity has a category but no 'type'",
    fault: editQuery(INFO, (q) => q.getChildren("identity").forEach((i) => delete i.attrs.type)),
  },
  {
    // Fortieth audit: DISCO-CONSIST-01 had no fault; the check compares identities by category and type only now.
    id: "disco.info.identities-per-requester",
    area: "disco",
    requirements: ["DISCO-CONSIST-01"],
    description: "the second disco#info of the server's domain within a case lists a second identity (pubsub/pep) the first did not",
    fault: (el, ctx) => {
      if (!(resultOf(INFO)(el) && domain(String(el.attrs.from ?? "")) && !el.getChild("query", INFO)!.attrs.node)) return "pass";
      const scope = caseOf(ctx.conn.jid) ?? "";
      const n = (asked.get(scope) ?? 0) + 1;
      asked.set(scope, n);
      return n < 2 ? "pass" : changed(el, (c) => void c.getChild("query", INFO)!.cnode(xml("identity", { category: "pubsub", type: "pep" })));
    },
  },
  {
    id: "disco.info.feature-without-var",
    area: "disco",
    requirements: ["DISCO-FEAT-01"],
    description: "the server's disco#info lists a <feature/> without 'var'",
    fault: editQuery(INFO, (q) => void q.cnode(xml("feature", {}))),
  },
  {
    id: "disco.info.feature-with-child",
    area: "disco",
    requirements: ["DISCO-FEAT-01"],
    description: "a <feature/> of the server's disco#info carries a child element (its version, say)",
    fault: editQuery(INFO, (q) => void q.getChildren("feature")[0]?.c("version", { xmlns: "urn:example:feature-version" }).t("2")),
  },
  {
    id: "disco.feature.claimed-not-implemented",
    area: "disco",
    requirements: ["DISCO-FEAT-02"],
    description: "the server lists urn:xmpp:blocking, urn:xmpp:carbons:2 and vcard-temp, but answers their requests with feature-not-implemented",
    stream: answering(
      (el) =>
        (el.attrs.type === "get" || el.attrs.type === "set") &&
        Boolean(el.getChild("blocklist", "urn:xmpp:blocking") ?? el.getChild("enable", "urn:xmpp:carbons:2") ?? el.getChild("vCard", "vcard-temp")),
      (el) => (el.attrs.type === "result" ? [errorReply(el, "feature-not-implemented")] : "pass"),
    ),
  },
  {
    id: "disco.node.not-mirrored",
    area: "disco",
    requirements: ["DISCO-NODE-01"],
    description: "the server's disco#info result for a node leaves the 'node' off its <query/>",
    fault: when(
      (el) => resultOf(INFO)(el) && Boolean(el.getChild("query", INFO)!.attrs.node),
      (el) => changed(el, (c) => delete c.getChild("query", INFO)!.attrs.node),
    ),
  },
  {
    id: "disco.items.unanswered",
    area: "disco",
    requirements: ["DISCO-ITEMS-01"],
    description: "the server never answers a disco#items request to its domain",
    stream: answering(asks(ITEMS, domain), () => "drop"),
  },
  {
    id: "disco.items.item-without-jid",
    area: "disco",
    requirements: ["DISCO-ITEMS-01"],
    description: "the server's disco#items lists an item without 'jid'",
    fault: editQuery(ITEMS, (q) => void q.cnode(xml("item", { name: "no address" }))),
  },
  {
    // Twenty-third audit: disco-items-server (and disco-items-own-account) took only an item with no 'jid' at all for
    // one without "a 'jid' attribute specifying the JID of the item" (XEP-0030 §4.1): an empty 'jid', which specifies
    // no JID (RFC 7622 §3.2: no domainpart), passed. Both now fail on it.
    id: "disco.items.item-empty-jid",
    area: "disco",
    requirements: ["DISCO-ITEMS-01"],
    description: "the server's disco#items lists an item whose 'jid' is empty",
    fault: editQuery(ITEMS, (q) => void q.cnode(xml("item", { jid: "" }))),
  },
  {
    id: "disco.items.item-with-text",
    area: "disco",
    requirements: ["DISCO-ITEMS-02"],
    description: "the server's disco#items lists an item with character data",
    fault: editQuery(ITEMS, (q) => void q.cnode(xml("item", { jid: "service.invalid" }, "a service"))),
  },
  {
    id: "disco.items.empty-node",
    area: "disco",
    requirements: ["DISCO-ITEMS-04"],
    description: "the server's disco#items lists an item with an empty 'node'",
    fault: editQuery(ITEMS, (q) => void q.cnode(xml("item", { jid: "service.invalid", node: "" }))),
  },
  {
    id: "disco.items.none-is-error",
    area: "disco",
    requirements: ["DISCO-ITEMS-03"],
    description: "the server answers disco#items to another user's bare JID with item-not-found instead of a result",
    stream: answering(asks(ITEMS, otherBare), (el) => (el.attrs.type === "result" ? [errorReply(el, "item-not-found")] : "pass")),
  },
  {
    id: "disco.bare.info-unanswered",
    area: "disco",
    requirements: ["DISCO-BARE-01"],
    description: "the server does not answer a disco#info request to an account's bare JID",
    stream: answering(asks(INFO, bareJid), () => "drop"),
  },
  {
    id: "disco.bare.info-to-resource",
    area: "disco",
    requirements: ["DISCO-BARE-01"],
    description:
      "the server routes a disco#info request to another user's bare JID to that user's connected resource (as a message to the bare JID would be) instead of answering it on the account's behalf; the resource's own answer goes back to the requester",
    stream: answering(asks(INFO, otherBare), (answer, ctx) => {
      const owner = String(answer.attrs.from ?? "");
      const resource = ctx.peers().find((p) => String(p.jid ?? "").split("/")[0] === owner);
      if (!resource) return "pass";
      resource.deliver(xml("iq", { type: "get", id: answer.attrs.id, from: ctx.conn.jid, to: resource.jid }, xml("query", { xmlns: INFO })));
      return "drop";
    }),
  },
  {
    id: "disco.bare.items-unanswered",
    area: "disco",
    requirements: ["DISCO-BARE-03"],
    description: "the server does not answer a disco#items request to an account's bare JID",
    stream: answering(asks(ITEMS, bareJid), () => "drop"),
  },
  {
    id: "disco.bare.items-answered-by-resource",
    area: "disco",
    requirements: ["DISCO-BARE-03"],
    description:
      "the server does not answer a disco#items request to another user's bare JID itself: it hands it to one of that user's resources, whose client answers service-unavailable from its full JID",
    stream: answering(asks(ITEMS, otherBare), (el) => {
      const reply = errorReply(el, "service-unavailable");
      reply.attrs.from = `${String(el.attrs.from ?? "")}/desktop`;
      return [reply];
    }),
  },
  {
    id: "disco.sec.stranger-answered",
    area: "disco",
    requirements: ["DISCO-SEC-02"],
    description: "the server answers disco#info to a user's bare JID for anyone, with the account identity, also where it must say service-unavailable",
    stream: answering(asks(INFO, otherBare), (el) =>
      el.attrs.type === "error"
        ? [
            xml(
              "iq",
              { type: "result", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from },
              xml("query", { xmlns: INFO }, xml("identity", { category: "account", type: "registered" }), xml("feature", { var: INFO })),
            ),
          ]
        : "pass",
    ),
  },
  {
    id: "disco.sec.no-account-item-not-found",
    area: "disco",
    requirements: ["DISCO-SEC-01"],
    description: "the server says item-not-found for an account that does not exist, divulging it, where it must say service-unavailable",
    stream: answering(asks(INFO, otherBare), (el) => (el.attrs.type === "error" && el.getChild("error")?.getChild("service-unavailable", STANZAS) ? [errorReply(el, "item-not-found")] : "pass")),
  },
  {
    id: "disco.sec.no-account-items-refused",
    area: "disco",
    requirements: ["DISCO-SEC-03"],
    description: "disco#items to the bare JID of an account that does not exist is refused with service-unavailable (as disco#info is) instead of an empty result",
    // An account the run did not make (its name is not xc-<run>-<case>-<name>) is one that does not exist.
    stream: answering(
      asks(ITEMS, (jid) => bareJid(jid) && caseOf(jid) === undefined),
      (el) => (el.attrs.type === "result" ? [errorReply(el, "service-unavailable")] : "pass"),
    ),
  },
  {
    id: "disco.full.answered-by-server",
    area: "disco",
    requirements: ["DISCO-FULL-01", "ROUTE-LOCAL-05"],
    description: "the server answers a disco#info request to a connected resource's full JID itself (with the account's identity) instead of delivering it to that resource",
    fault: (el, { conn, peers }) => {
      const from = String(el.attrs.from ?? "");
      const asker = el.name === "iq" && el.attrs.type === "get" && el.getChild("query", INFO) && el.attrs.to === conn.jid ? peers().find((p) => p.jid === from) : undefined;
      if (!asker) return "pass";
      asker.deliver(
        xml(
          "iq",
          { type: "result", id: el.attrs.id, from: conn.jid, to: from },
          xml("query", { xmlns: INFO }, xml("identity", { category: "account", type: "registered" }), xml("feature", { var: INFO })),
        ),
      );
      return "drop";
    },
  },
  {
    id: "caps.server.feature-unlisted",
    area: "disco",
    requirements: ["CAPS-DISCO-01"],
    description: "the server advertises its caps in its stream features but leaves http://jabber.org/protocol/caps out of its disco#info",
    fault: when(
      (el) => resultOf(INFO)(el) && domain(String(el.attrs.from ?? "")) && !el.getChild("query", INFO)!.attrs.node,
      (el) => changed(el, (c) => void (c.getChild("query", INFO)!.children = c.getChild("query", INFO)!.children.filter((x) => typeof x === "string" || x.attrs.var !== CAPS))),
    ),
  },
  {
    id: "caps.server.wrong-ver",
    area: "disco",
    requirements: ["CAPS-GEN-01"],
    description: "the server's stream-feature caps carry a 'ver' that is not the hash of its disco#info (computed from a stale feature list)",
    stream: editServerCaps((c) => (c.attrs.ver = "2jmj7l5rSw0yVb/vlWAYkK/YBwk=")),
  },
  {
    id: "caps.server.no-hash",
    area: "disco",
    requirements: ["CAPS-ATTR-01"],
    description: "the server's stream-feature caps have no 'hash' attribute",
    stream: editServerCaps((c) => delete c.attrs.hash),
  },
  // Fifty-fourth audit (2026-11-28): caps-server-ver: one hash check proved CAPS-GEN-01 and -02 together; a
  // right digest badly encoded breaks only GEN-02 (XEP-0115 §5.1 "the Base64 output MUST NOT include whitespace").
  {
    id: "caps.server.ver-whitespace",
    area: "disco",
    requirements: ["CAPS-GEN-02"],
    description: "the server's stream-feature caps 'ver' is the right hash with a line break in the middle of its Base64",
    stream: editServerCaps((c) => (c.attrs.ver = `${String(c.attrs.ver).slice(0, 12)}\n${String(c.attrs.ver).slice(12)}`)),
  },
  // Fifty-fourth audit (2026-11-28): caps-server-ver, caps-server-node: the raw session's bind result was waited
  // for as set-up, so a server failing RFC 6120 §7.6.1 (BIND-GEN-01, bind-generated's) skipped the caps rules.
  {
    id: "caps.server.generated-bind-without-jid",
    area: "disco",
    requirements: ["BIND-GEN-01"],
    description: "the result to a bind request that asks the server to generate the resource carries no <bind/> (and so no <jid/>)",
    stream: answering(
      (el) => el.attrs.type === "set" && Boolean(el.getChild("bind", "urn:ietf:params:xml:ns:xmpp-bind")) && !el.getChild("bind", "urn:ietf:params:xml:ns:xmpp-bind")!.getChild("resource"),
      (answer) => (answer.attrs.type === "result" ? changed(answer, (c) => void (c.children = [])) : "pass"),
    ),
  },
  {
    id: "caps.server.header-without-from",
    area: "disco",
    requirements: ["CAPS-FROM-01"],
    description: "the server advertises caps in its stream features but sends stream headers without 'from'",
    stream: { header: (raw) => raw.replace(/\sfrom=(['"])[^'"]*\1/, "") },
  },
  {
    id: "caps.opt.first-stripped",
    area: "disco",
    requirements: ["CAPS-OPT-01"],
    description: "the server strips the caps annotation from the presence of a contact's resource, also from the first",
    fault: when(annotated, withoutCaps),
  },
  {
    id: "caps.opt.undeclared-optimization",
    area: "disco",
    requirements: ["CAPS-OPT-02", "CAPS-OPT-03"],
    description: "the server strips every caps annotation after the first from each contact resource (a changed 'ver' too), without listing caps#optimize",
    fault: (el, ctx) => {
      if (!annotated(el)) return "pass";
      const given = seen.get(ctx.conn) ?? new Set<string>();
      seen.set(ctx.conn, given);
      const from = String(el.attrs.from);
      if (given.has(from)) return withoutCaps(el);
      given.add(from);
      return "pass";
    },
  },
  (() => {
    // Class sweep 3 (2026-11-27, S4): caps-presence-annotation judged caps#optimize (CAPS-OPT-03) before the new 'ver'
    // (CAPS-OPT-02), so a server that strips unchanged annotations as §8.4 allows but does not list the feature left
    // the change rule not reached; the feature is now judged last (fail -> fail, CAPS-OPT-02 not-reached -> pass).
    const last = new WeakMap<object, Map<string, string>>();
    return {
      id: "caps.opt.optimize-unlisted",
      area: "disco",
      requirements: ["CAPS-OPT-03"],
      description: "the server strips a contact resource's caps annotation where its 'ver' is the one that subscriber last got (a changed 'ver' still passes), without listing caps#optimize",
      fault: (el, ctx) => {
        if (!annotated(el)) return "pass";
        const vers = last.get(ctx.conn) ?? new Map<string, string>();
        last.set(ctx.conn, vers);
        const from = String(el.attrs.from);
        const ver = String(el.getChild("c", CAPS)?.attrs.ver);
        if (vers.get(from) === ver) return withoutCaps(el);
        vers.set(from, ver);
        return "pass";
      },
    } satisfies FaultDef;
  })(),
  {
    // Twenty-second audit: caps-presence-annotation took the arrival of bob's status update for CAPS-OPT-03's (its
    // one `one of` had no other requirement), so a server that strips no annotation but never broadcasts the update
    // failed caps#optimize, a rule it does not come under (fail, CAPS-OPT-03 fail); the update's arrival now proves
    // RFC 6121 §4.4.2's broadcast (fail, PRES-UPD-01 fail, CAPS-OPT-03 not-reached).
    id: "caps.presence.update-lost",
    area: "disco",
    requirements: ["PRES-UPD-01"],
    description: "a server that passes every caps annotation on never delivers a contact's presence update that carries a <status/> (its initial presence still comes)",
    fault: (el, ctx) => (annotated(el) && !el.attrs.type && Boolean(el.getChild("status")) && String(el.attrs.from).split("/")[0] !== String(ctx.conn.jid ?? "").split("/")[0] ? "drop" : "pass"),
  },
  {
    // Twenty-seventh audit: disco-info-full-jid judged the delivery of bob/b1's result to alice/a1 only as
    // DISCO-FULL-01 (derived, a warning), though that result is itself a stanza to a connected full JID, so RFC 6120
    // §10.5.4's MUST; ROUTE-LOCAL-05 passed on the request's delivery alone. Now warn -> fail (ROUTE-LOCAL-05 fail).
    id: "disco.full.result-dropped",
    area: "disco",
    requirements: ["ROUTE-LOCAL-05"],
    description: "the server delivers a disco#info request to a connected full JID but drops the resource's result to the requester's full JID",
    fault: (el) =>
      el.name === "iq" && el.attrs.type === "result" && Boolean(el.getChild("query", INFO)) && String(el.attrs.from ?? "").includes("/") && String(el.attrs.to ?? "").includes("/") ? "drop" : "pass",
  },
  {
    // Thirty-fifth audit (2026-11-27): disco-info-full-jid asked the stamped 'from' (RFC 6120 §8.1.2.1, STANZA-FROM-01,
    // judged by the core cases) of the request and result it charges to ROUTE-LOCAL-05 and DISCO-FULL-01; the
    // disco#info version of entity.routed-iq-from-bare (sweep S8).
    id: "disco.full.routed-from-bare",
    area: "disco",
    requirements: ["STANZA-FROM-01"],
    description: "a disco#info request or result one user's resource sends to another user's full JID is stamped with the sender's bare JID instead of its full JID",
    fault: routedIqFromBare((el) => String(el.attrs.to ?? "").includes("/") && Boolean(el.getChild("query", INFO))),
  },
  {
    // Twenty-seventh audit: an answer XEP-0030 §4.1 allows, not a bug ("MUST either return its list of
    // publicly-available items, or return an error"), and RFC 6120 §8.3.1 makes echoing the request "a courtesy
    // only". disco-items-own-account judged DISCO-ITEMS-01's list on the error too and failed it; it now takes the
    // error as 'refused' (DISCO-BARE-03 only): fail -> pass. Kept as a fault, not a variation: applied to the whole
    // suite it also refuses the contact cases' own requests, whose 'own-refused' alternatives then judge less.
    id: "disco.bare.own-items-refused",
    area: "disco",
    requirements: ["DISCO-ITEMS-01"],
    description: "the server answers a disco#items request to the requester's own bare JID with <service-unavailable/>, without echoing the request",
    stream: answering(
      (el, ctx) => asks(ITEMS, (jid) => bareJid(jid) && jid === String(ctx.conn.jid ?? "").split("/")[0])(el, ctx),
      (el) => [errorReply(el, "service-unavailable")],
    ),
  },
  {
    id: "caps.proc.no-query",
    area: "disco",
    requirements: ["CAPS-PROC-01"],
    description: "the PEP service never asks a client about caps it does not know (it treats every 'ver' as without +notify)",
    fault: when(capsQuery, () => "drop"),
  },
  {
    id: "caps.proc.no-node",
    area: "disco",
    requirements: ["CAPS-PROC-02"],
    description: "the server's disco#info query of a client's caps leaves out the 'node'",
    fault: when(capsQuery, (el) => changed(el, (c) => delete c.getChild("query", INFO)!.attrs.node)),
  },
  {
    // Fifty-fifth audit (2026-11-28): caps-processing-query: the 'to' was in the pattern that proves CAPS-PROC-01, so
    // a query sent on b1's stream without the full JID failed the processing rule too (and left the node's rows
    // unreached); XEP-0115 §6.2's 'to' rule is CAPS-PROC-04's alone.
    id: "caps.proc.query-without-to",
    area: "disco",
    requirements: ["CAPS-PROC-04"],
    description: "the server's disco#info query of a client's caps has no 'to' (XEP-0115 §6.2: it MUST be the exact JID of the generating entity)",
    fault: when(capsQuery, (el) => changed(el, (c) => delete c.attrs.to)),
  },
  {
    // Fifty-fourth audit (2026-11-28): disco-items-own-account asked for the account's bare JID (or no 'from') in the
    // pattern that proves DISCO-BARE-03 ("the server itself MUST reply on behalf of the hosted account"), so the
    // server's own reply stamped with its domain failed DISCO-BARE-03 and left DISCO-ITEMS-01 unjudged; it breaks RFC
    // 6120 §8.1.2.1's "MUST either (a) not include a 'from' attribute or (b) include a 'from' attribute whose value is
    // the account's bare JID" instead. fail (DISCO-BARE-03) -> fail (STANZA-FROM-03 alone; DISCO-BARE-03 and
    // DISCO-ITEMS-01 pass) on Prosody 13.
    id: "disco.own-items-from-domain",
    area: "disco",
    requirements: ["STANZA-FROM-03"],
    description: "the server's answer to a disco#items request to the user's own bare JID comes from the server's domain, not the account",
    fault: (el, ctx) => ownAnswerFromDomain(ITEMS, el, ctx),
  },
  {
    // Fifty-fourth audit (2026-11-28): class note of disco-items-own-account: disco-info-own-account had the same
    // shape for DISCO-BARE-01. fail (DISCO-BARE-01, DISCO-BARE-02 not reached) -> fail (STANZA-FROM-03 alone;
    // DISCO-BARE-01 and DISCO-BARE-02 pass) on Prosody 13.
    id: "disco.own-info-from-domain",
    area: "disco",
    requirements: ["STANZA-FROM-03"],
    description: "the server's answer to a disco#info request to the user's own bare JID comes from the server's domain, not the account",
    fault: (el, ctx) => ownAnswerFromDomain(INFO, el, ctx),
  },
];

/** The server's result to a disco request (of `ns`) to the connection's own bare JID, restamped from its domain. */
function ownAnswerFromDomain(ns: string, el: Element, ctx: FaultContext): ReturnType<NonNullable<FaultDef["fault"]>> {
  const own = String(ctx.conn.jid ?? "").split("/")[0];
  if (!own.includes("@") || el.name !== "iq" || el.attrs.type !== "result" || !el.getChild("query", ns)) return "pass";
  if (el.attrs.from !== undefined && el.attrs.from !== own) return "pass";
  return changed(el, (c) => (c.attrs.from = own.slice(own.indexOf("@") + 1)));
}

/** A disco#info request (no node) addressed to a domain: the server's own, or a service's. */
const askedOfDomain = (el: Element, ctx: FaultContext) => asks(INFO, domain)(el, ctx) && !el.getChild("query", INFO)!.attrs.node;

/** XEP-0030 and XEP-0115: what the XEPs allow that Prosody and ejabberd do not do. */
export const VARIATIONS: Variation[] = [
  {
    // Sixty-eighth audit (round 68): disco-items-contact-no-items asked for the server's answer from bob's bare JID in
    // every alternative, so this server, which answers another account's bare JID from its own domain (no rule fixes
    // that 'from': RFC 6120 §8.1.2.1's bare-JID rule is for "the account of the connected client"), failed
    // DISCO-ITEMS-03 and DISCO-BARE-03 with an empty result: pass -> fail -> (new file) pass on Prosody 13 and ejabberd
    // 24.12. The same shape in disco-info-contact-subscribed (DISCO-BARE-02), disco-items-contact-unauthorized
    // (DISCO-SEC-04) and disco-items-no-such-account (DISCO-SEC-03). Applied by bench/try-case.ts only (stream).
    id: "disco-other-account-answered-from-domain",
    description:
      "the server's answer to a disco#info or disco#items request to another account's bare JID (or one that does not exist) comes from the server's domain (XEP-0030 §3.1 and §4.1: \"the server itself MUST reply on behalf of the hosted account\", from no address in particular)",
    fault: () => "pass",
    stream: (() => {
      const pending = new Set<string>(); // "connection id" + "request id"
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          if (el.name === "iq" && (asks(INFO, otherBare)(el, ctx) || asks(ITEMS, otherBare)(el, ctx))) pending.add(`${ctx.conn.id} ${el.attrs.id}`);
        },
        element: (el: Element, ctx: FaultContext) => {
          if (el.name !== "iq" || (el.attrs.type !== "result" && el.attrs.type !== "error") || !pending.delete(`${ctx.conn.id} ${el.attrs.id}`)) return "pass";
          const from = String(el.attrs.from ?? "");
          return bareJid(from) ? changed(el, (c) => (c.attrs.from = from.slice(from.indexOf("@") + 1))) : "pass";
        },
      };
    })(),
  },
  {
    // Sixty-fourth audit (2026-11-29): disco-info-server-consistent let alice's request be refused (XEP-0030 §3.1) but
    // not bob's, so a server that refuses its disco#info to some requesters (§7: "refuses to return disco results to
    // the specific requesting entity") warned DISCO-CONSIST-01 with no identity to compare: warn -> skip (Prosody 13).
    // Applied by bench/try-case.ts only (stream): a refusal to every second requester would move other verdicts.
    id: "disco-info-refused-to-second-requester",
    description:
      'the server refuses its domain\'s disco#info with <forbidden/> to the second request of it within a case (XEP-0030 §7: an entity may refuse "to return disco results to the specific requesting entity")',
    fault: () => "pass",
    // Stream-variation survey (2026-11-29): it took any disco#info result from a domain, so with
    // disco-other-account-answered-from-domain (which sets a bare-JID answer's 'from' to the domain) it refused the
    // server's answer on behalf of another account as well, which XEP-0030 §3.1 asks for at SHOULD where "access is not
    // denied": disco-info-contact-subscribed warned DISCO-BARE-02, together only. It now takes only the answers to
    // requests addressed to a domain: warn -> pass, Prosody 13 (disco-domain-info-refused likewise).
    stream: (() => {
      const seen = new Map<string, number>(); // case -> disco#info results of the domain so far
      return answering(askedOfDomain, (el: Element, ctx: FaultContext) => {
        if (!(resultOf(INFO)(el) && domain(String(el.attrs.from ?? "")))) return "pass";
        const scope = caseOf(ctx.conn.jid) ?? "";
        const n = (seen.get(scope) ?? 0) + 1;
        seen.set(scope, n);
        return n < 2 ? "pass" : [iqErrorFor(el, "forbidden", "auth")];
      });
    })(),
  },
  {
    // Seventy-first audit (round 71): caps-server-ver took only a result to its request of the domain's disco#info,
    // so a server that refuses it (XEP-0030 §3.1: "an entity is not required to return a result and MAY return an
    // error") failed CAPS-GEN-01 (MUST), of which an error shows nothing; the refusal is an alternative crediting
    // nothing now: fail -> pass, CAPS-GEN-01 not reached (Prosody 13, ejabberd 24.12). Applied by bench/try-case.ts
    // only (stream): refusing the domain's disco#info to the whole suite would leave the disco cases nothing to judge.
    id: "disco-domain-info-refused",
    description:
      'the server answers a request of its domain\'s disco#info (no node) with <service-unavailable/> (XEP-0030 §3.1: "an entity is not required to return a result and MAY return an error, most likely <feature-not-implemented/> or <service-unavailable/>")',
    fault: () => "pass",
    // Stream-variation survey (2026-11-29): only answers to requests addressed to a domain (see
    // disco-info-refused-to-second-requester).
    stream: answering(askedOfDomain, (el) => (resultOf(INFO)(el) && domain(String(el.attrs.from ?? "")) ? [iqErrorFor(el, "service-unavailable", "cancel")] : "pass")),
  },
  {
    id: "disco-info-extra-identity",
    description:
      "the server's disco#info for an account has a second identity (XEP-0030 §3.1: \"An entity MAY have multiple identities.\"); not the domain's, whose caps 'ver' would have to change with it",
    fault: when(
      (el) => resultOf(INFO)(el) && String(el.attrs.from ?? "").includes("@"),
      (el) =>
        changed(el, (c) => {
          const q = c.getChild("query", INFO)!;
          const first = q.getChild("identity");
          if (first) q.cnode(xml("identity", { category: "store", type: "file", ...(first.attrs.name && { name: first.attrs.name }) }));
        }),
    ),
  },
  {
    id: "disco-items-extra-service",
    description: "the server lists a service it hosts among its disco#items, with a name (XEP-0030 §4.1: the item \"MAY possess a 'name' attribute\")",
    fault: when(
      (el) => resultOf(ITEMS)(el) && domain(String(el.attrs.from ?? "")),
      (el) => changed(el, (c) => void c.getChild("query", ITEMS)!.cnode(xml("item", { jid: `upload.${el.attrs.from}`, name: "HTTP upload" }))),
    ),
  },
  {
    id: "disco-info-reordered",
    description: "the server's disco#info lists its features before its identities, in reverse order (XEP-0030's schema allows either order; order carries no meaning)",
    fault: editQuery(INFO, (q) => (q.children = [...q.children].reverse())),
  },
  {
    id: "disco-unknown-node-service-unavailable",
    description:
      'the server refuses a node it does not have with service-unavailable instead of item-not-found (XEP-0030 §7: when "the specified target entity does not exist but that fact cannot be divulged")',
    fault: when(
      (el) => el.name === "iq" && el.attrs.type === "error" && Boolean(el.getChild("error")?.getChild("item-not-found", STANZAS)) && domain(String(el.attrs.from ?? "")),
      (el) => [errorReply(el, "service-unavailable")],
    ),
  },
  {
    id: "disco-items-bare-denied",
    only: "ejabberd",
    description:
      'the server refuses another account\'s disco#items of a user\'s bare JID with forbidden where it would list only the user\'s resources (XEP-0030 §4.1: the items are returned "if access is not denied"; §8: the server may "perform authorization checks before responding in order to determine how (or whether) to respond")',
    fault: (el, ctx) => {
      const from = String(el.attrs.from ?? "");
      // The connection's own account: 'to' may be gone (another variation leaves it out of what the server generates).
      const own = String(ctx.conn.jid ?? "").split("/")[0];
      const items = el.getChild("query", ITEMS)?.getChildren("item") ?? [];
      const denied =
        resultOf(ITEMS)(el) &&
        bareJid(from) &&
        own !== from &&
        // a user of the connection's own domain, not a room (whose items are its occupants, XEP-0045 §6.5)
        from.split("@")[1] === own.split("@")[1] &&
        items.length > 0 &&
        items.every((i) => String(i.attrs.jid ?? "").startsWith(`${from}/`) && i.attrs.node === undefined);
      return denied ? [errorReply(el, "forbidden")] : "pass";
    },
  },
  {
    // Fortieth audit: disco-info-server-consistent compared whole identities, so a server that names itself to each
    // user (or in each user's language) warned DISCO-CONSIST-01, which asks only for "the same <identity/> element
    // (category+type)" (warn -> pass). Applied by bench/try-case.ts only (stream): the server's own caps 'ver' (XEP-0115)
    // hashes the names too, so caps-server-ver would rightly fail it.
    id: "disco-info-identity-name-per-requester",
    description:
      "the identities of the server's disco#info carry a 'name' and xml:lang of the requesting user's own (XEP-0030 §3.1: an identity \"MAY possess a 'name' attribute\" and \"a standard 'xml:lang' attribute, which enables the entity to return localized results if desired\")",
    fault: () => "pass",
    stream: {
      element: (el, ctx) => {
        if (!(resultOf(INFO)(el) && domain(String(el.attrs.from ?? "")) && !el.getChild("query", INFO)!.attrs.node)) return "pass";
        const user = /-([a-z]+)@/.exec(String(ctx.conn.jid ?? ""))?.[1] ?? "you";
        return changed(el, (c) =>
          c
            .getChild("query", INFO)!
            .getChildren("identity")
            .forEach((i) => Object.assign(i.attrs, { name: `Server for ${user}`, "xml:lang": user === "alice" ? "en" : "de" })),
        );
      },
    },
  },
  {
    // Twenty-third audit: caps-processing-query decided the server's disco#info query of an unknown 'ver' by a
    // barrier, so a server that asks only once a lookup of its own cache came back (XEP-0115 §8.2 RECOMMENDS caching
    // "across presence sessions") failed CAPS-PROC-01 and -04 (MUST) when the query came after the barrier's pings
    // (fail -> pass: the query is now waited for up to the timeout). Applied by bench/try-case.ts only (stream): the
    // PEP cases' notifications, which follow what the server learns from the query, would come later as well.
    id: "caps-query-delayed",
    description:
      "the server's disco#info query of a resource's caps leaves 300 ms after the server made it (XEP-0115 §5.4: the entity \"MUST process the 'ver'\", at no set time; §8.2: a cache \"across presence sessions\" may be looked up first)",
    fault: () => "pass",
    stream: {
      element: (el, ctx) => {
        if (!capsQuery(el)) return "pass";
        const copy = copyOf(el);
        setTimeout(() => ctx.conn.deliver(copy), 300).unref();
        return "drop";
      },
    },
  },
  {
    id: "caps-presence-prefixed",
    description: "the caps annotation of a contact's presence comes with a namespace prefix (XML namespaces: the element is the same)",
    fault: when(annotated, (el) =>
      changed(el, (p) => {
        const c = p.getChild("c", CAPS)!;
        p.remove("c", CAPS);
        p.cnode(xml("caps:c", { "xmlns:caps": CAPS, ...Object.fromEntries(Object.entries(c.attrs).filter(([k]) => k !== "xmlns")) }));
      }),
    ),
  },
];
