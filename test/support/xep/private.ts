import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { STANZAS, answering, both, changed, copyOf, when, type FaultDef } from "../fault-kit.ts";
import { bare, type FaultContext, type StreamFault } from "../fault-proxy.ts";
import type { Variation } from "../variations.ts";

const PRIVATE = "jabber:iq:private";

const queryOf = (el: Element) => (el.name === "iq" ? el.getChild("query", PRIVATE) : undefined);
const isPrivateRequest = (el: Element) => (el.attrs.type === "get" || el.attrs.type === "set") && Boolean(queryOf(el));
const withoutChild = (el: Element) => isPrivateRequest(el) && queryOf(el)!.getChildElements().length === 0;
/** Addressed to an account other than the sender's own (a bare JID with a localpart). */
const toOtherAccount = (el: Element, { conn }: FaultContext) => {
  const to = String(el.attrs.to ?? "");
  return to.includes("@") && !to.includes("/") && to !== bare(conn.jid);
};
const resultTo = (el: Element) => [xml("iq", { type: "result", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from })];
/** The error's condition replaced by `condition`. */
const withCondition = (el: Element, condition: string) =>
  changed(el, (c) => {
    const err = c.getChild("error")!;
    err.children = err.children.filter((x) => typeof x === "string" || x.attrs.xmlns !== STANZAS || x.name === "text");
    err.cnode(xml(condition, { xmlns: STANZAS }));
  });
/** XEP-0049 §2.3: "namespaces beginning with 'jabber:' or 'http://jabber.org/', as well as 'vcard-temp'". */
const reserved = (ns: string) => ns === "vcard-temp" || ns.startsWith("jabber:") || ns.startsWith("http://jabber.org/");
/** A private-storage request of type `type` holding a fragment in a reserved namespace. */
const inReserved = (type: "get" | "set") => (el: Element) =>
  el.attrs.type === type &&
  Boolean(
    queryOf(el)
      ?.getChildElements()
      .some((x) => reserved(String(x.attrs.xmlns ?? ""))),
  );
const hasCondition = (el: Element, condition: string) => el.attrs.type === "error" && Boolean(el.getChild("error")?.getChild(condition, STANZAS));

/**
 * What another user tried to store for each owner, by bare JID: the owner's next get of that namespace gets it
 * back, as from a server that let the set through.
 */
const intrusions = new Map<string, Element>();

/** Each owner's private-storage sets, by bare JID and namespace, in order: what a server that never replaces keeps. */
const setsOf = new Map<string, Element[][]>();

/** A get or set addressed to another user's bare JID answered with a result instead of its error. */
const otherAccepted = () =>
  answering(
    (el, ctx) => isPrivateRequest(el) && toOtherAccount(el, ctx),
    (el) => (el.attrs.type === "error" ? resultTo(el) : "pass"),
  );
/** Another user's set stored for the owner: the owner's next get of that namespace returns it. */
const otherOverwrites = (): StreamFault => ({
  fromClient: (el, ctx) => {
    const fragment = queryOf(el)?.getChildElements()[0];
    if (el.attrs.type === "set" && fragment && toOtherAccount(el, ctx)) intrusions.set(String(el.attrs.to), fragment);
  },
  element: (el, { conn }) => {
    const fragment = intrusions.get(bare(conn.jid));
    const stored = queryOf(el)?.getChild(fragment?.name ?? "", fragment?.attrs.xmlns);
    if (el.attrs.type !== "result" || !fragment || !stored) return "pass";
    return changed(el, (c) => {
      const q = queryOf(c)!;
      q.children = [fragment];
    });
  },
});

/** XEP-0049: server bugs the cases must catch. */
export const FAULTS: FaultDef[] = [
  {
    // Fortieth audit: private-other-user took the 'service-unavailable' alternative from bob's own resource, which
    // answers any IQ request as a plain client does, so a server that relays another user's private-storage request
    // to that user instead of refusing it passed PRIVATE-OTHER-01 (pass -> fail: b1 now answers nothing).
    id: "private.other.forwarded-only",
    area: "private",
    requirements: ["PRIVATE-OTHER-01"],
    description: "a private-storage get or set to another user's bare JID is not answered by the server but delivered to that user's connected resources (whose answer reaches the sender)",
    stream: both(
      answering(
        (el, ctx) => isPrivateRequest(el) && toOtherAccount(el, ctx),
        () => "drop",
      ),
      {
        fromClient: (el, ctx) => {
          if (!isPrivateRequest(el) || !toOtherAccount(el, ctx)) return;
          for (const p of ctx.peers()) if (p.jid !== undefined && bare(p.jid) === el.attrs.to) p.deliver(xml("iq", { ...el.attrs, from: ctx.conn.jid, to: p.jid }, queryOf(el)!));
        },
      },
    ),
  },
  {
    id: "private.no-child.accepted",
    area: "private",
    requirements: ["PRIVATE-CHILD-01"],
    description: "a private-storage get or set with an empty <query/> is answered with a result instead of an error",
    stream: answering(withoutChild, (el) => (el.attrs.type === "error" ? resultTo(el) : "pass")),
  },
  {
    id: "private.no-child.bad-request",
    area: "private",
    requirements: ["PRIVATE-CHILD-02"],
    description: "a private-storage request with an empty <query/> is refused with <bad-request/>, a condition the XEP does not name",
    stream: answering(withoutChild, (el) => (el.attrs.type === "error" ? withCondition(el, "bad-request") : "pass")),
  },
  {
    id: "private.set.refused",
    area: "private",
    requirements: ["PRIVATE-SET-01"],
    description: "the user's own private-storage set of a fragment in a namespace of its own is refused with <service-unavailable/> (nothing stored)",
    stream: answering(
      (el, ctx) => el.attrs.type === "set" && !toOtherAccount(el, ctx) && (queryOf(el)?.getChildElements() ?? []).some((x) => !reserved(String(x.attrs.xmlns ?? PRIVATE))),
      (el) =>
        el.attrs.type === "result"
          ? [xml("iq", { type: "error", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from }, xml("error", { type: "cancel" }, xml("service-unavailable", { xmlns: STANZAS })))]
          : "pass",
    ),
  },
  {
    id: "private.other.accepted",
    area: "private",
    requirements: ["PRIVATE-OTHER-01"],
    description: "a private-storage get or set addressed to another user's bare JID is answered with a result",
    stream: otherAccepted(),
  },
  {
    id: "private.other.overwrites",
    area: "private",
    requirements: ["PRIVATE-SEC-01"],
    description: "another user's private-storage set replaces the owner's fragment (the refusal is sent, the data is stored anyway)",
    stream: otherOverwrites(),
  },
  {
    // Class sweep 3 (2026-11-27): private-other-user judged §2.3's refusal (PRIVATE-OTHER-01) before bob's read, so
    // where alice's set was answered with a result and stored for bob, §4's PRIVATE-SEC-01 was not reached; bob's read
    // now comes first (Prosody 13, 'set' cell: PRIVATE-SEC-01 not-reached -> fail).
    id: "private.other.accepted-and-stored",
    area: "private",
    requirements: ["PRIVATE-SEC-01", "PRIVATE-OTHER-01"],
    description: "another user's private-storage set is answered with a result and stored for the owner (handled as the owner's own set)",
    stream: both(otherAccepted(), otherOverwrites()),
  },
  {
    // Sixteenth audit: private-replace looked for the old fragment only inside the <prefs/> holding the new one.
    id: "private.set-appends",
    area: "private",
    requirements: ["PRIVATE-REPLACE-01"],
    description: "a second private-storage set under a namespace is kept beside the first: a get returns the earlier fragment too, as an element of its own before the latest",
    stream: {
      fromClient: (el, { conn }) => {
        const fragments = queryOf(el)?.getChildElements() ?? [];
        if (el.attrs.type !== "set" || fragments.length === 0 || el.attrs.to) return;
        const key = `${bare(conn.jid)} ${String(fragments[0].attrs.xmlns ?? "")}`;
        setsOf.set(key, [...(setsOf.get(key) ?? []), fragments]);
      },
      element: (el, { conn }) => {
        const stored = el.attrs.type === "result" ? queryOf(el)?.getChildElements()[0] : undefined;
        const earlier = stored ? (setsOf.get(`${bare(conn.jid)} ${String(stored.attrs.xmlns ?? "")}`) ?? []).slice(0, -1).flat() : [];
        if (earlier.length === 0) return "pass";
        return changed(el, (c) => {
          const q = queryOf(c)!;
          q.children = [...earlier.map((x) => xml(x.name, x.attrs, ...x.children)), ...q.children];
        });
      },
    },
  },
  {
    // Sixty-first audit (2026-11-28): private-reserved-namespace charged a get never answered to the read-back
    // (PRIVATE-GET-01, a warning) instead of RFC 6120 §8.2.3 (STANZA-IQ-01): old file warn (PRIVATE-GET-01) -> new
    // file fail (STANZA-IQ-01), Prosody 13.
    id: "private.reserved.get-unanswered",
    area: "private",
    requirements: ["STANZA-IQ-01"],
    description: "a private XML get in a reserved namespace (vcard-temp, jabber:…, http://jabber.org/…) is never answered",
    stream: answering(inReserved("get"), () => "drop"),
  },
  {
    // Sixty-first audit (2026-11-28): the same, for the set: old file warn (PRIVATE-GET-01) -> new file fail
    // (STANZA-IQ-01), Prosody 13.
    id: "private.reserved.set-unanswered",
    area: "private",
    requirements: ["STANZA-IQ-01"],
    description: "a private XML set in a reserved namespace is never answered (the get after it is)",
    stream: answering(inReserved("set"), () => "drop"),
  },
  {
    // Sixty-eighth audit (round 68): after a refused set, nothing waited for the get's answer, so a get never
    // answered passed with STANZA-IQ-01 credited: old file pass -> new file fail (STANZA-IQ-01), Prosody 13.
    id: "private.reserved.set-refused-get-unanswered",
    area: "private",
    requirements: ["STANZA-IQ-01"],
    description: "a private XML set in a reserved namespace is refused with <not-acceptable/>, and a get in one is never answered",
    stream: both(
      answering(inReserved("set"), (a) => [
        xml("iq", { type: "error", id: a.attrs.id, from: a.attrs.from, to: a.attrs.to }, xml("error", { type: "modify" }, xml("not-acceptable", { xmlns: STANZAS }))),
      ]),
      answering(inReserved("get"), () => "drop"),
    ),
  },
  {
    // Thirty-eighth audit: PRIVATE-RESERVED-01 is a MAY (the refusal), which a server that stores the fragment does
    // not take up and so cannot break: this fault breaks PRIVATE-GET-01 alone (private-reserved-namespace warns it).
    id: "private.reserved-dropped",
    area: "private",
    requirements: ["PRIVATE-GET-01"],
    description: "a set in a reserved namespace (vcard-temp, jabber:…, http://jabber.org/…) is answered with a result, but nothing is kept: a get of that namespace returns the empty element",
    fault: when(
      (el) =>
        el.attrs.type === "result" &&
        Boolean(
          queryOf(el)
            ?.getChildElements()
            .some((x) => reserved(String(x.attrs.xmlns ?? "")) && x.getChildElements().length > 0),
        ),
      (el) =>
        changed(el, (c) => {
          for (const x of queryOf(c)!.getChildElements()) if (reserved(String(x.attrs.xmlns ?? ""))) x.children = [];
        }),
    ),
  },
  {
    // Thirty-first audit: a set holding several elements of one namespace is answered with a result (what the server
    // answered is replaced), but nothing of it is kept, so the get after it returns neither. XEP-0049 §2.1's get
    // (PRIVATE-GET-01, derived SHOULD) is broken; PRIVATE-MULTI-01 is a MAY the server did not take up.
    // private-multiple-same-namespace warned with the failure naming "SHOULD PRIVATE-MULTI-01, PRIVATE-GET-01"; the one of
    // now cites PRIVATE-GET-01 alone, so the report no longer lists a MAY as a warning.
    id: "private.multi.result-not-kept",
    area: "private",
    requirements: ["PRIVATE-GET-01"],
    description: "a private-storage set with several elements of one namespace is answered with a result, but a get of that namespace returns none of them",
    stream: answering(
      (el) => el.attrs.type === "set" && (queryOf(el)?.getChildElements().length ?? 0) > 1,
      (el) => (el.attrs.type === "error" ? resultTo(el) : "pass"),
    ),
  },
  {
    // Fiftieth audit (2026-11-28): private-other-user/set judged bob's read-back after alice's set at PRIVATE-SEC-01
    // (MUST) with only bob's own set's result to go on, so a server that refuses alice but keeps nothing of bob's own
    // set failed §4's MUST where §2.1's get (PRIVATE-GET-01, derived SHOULD) is what it breaks. bob now reads his
    // fragment back before alice's set (on Prosody 13: fail -> warn).
    id: "private.own-set-not-kept",
    area: "private",
    requirements: ["PRIVATE-GET-01"],
    description: "the user's own private-storage sets are answered with a result but nothing is kept: the user's own gets return the empty element asked for",
    stream: answering(
      (el, ctx) => el.attrs.type === "get" && Boolean(queryOf(el)) && !toOtherAccount(el, ctx),
      (el) => {
        const fragment = queryOf(el)?.getChildElements()[0];
        return el.attrs.type === "result" && fragment && fragment.children.length > 0 ? changed(el, (c) => void (queryOf(c)!.getChildElements()[0].children = [])) : "pass";
      },
    ),
  },
  {
    // Fifty-fifth audit (2026-11-28): private-replace: a refused second set warned PRIVATE-SET-01 on its result and
    // PRIVATE-REPLACE-01 on the read-back too; the read-back is now judged only after the second set's result.
    id: "private.set-existing-refused",
    area: "private",
    requirements: ["PRIVATE-SET-01"],
    description: "a user's own private-storage set under a namespace that already holds data on the connection is refused with <not-allowed/>, and the data stored first stays",
    stream: setExistingRefused(),
  },
  {
    // Class sweep (2026-11-28, class note 2 of the sixtieth audit): private-reserved-namespace took a refusal in a
    // reserved namespace only with its <error/> child, so a childless error warned PRIVATE-GET-01 for RFC 6120
    // §8.3.1's breach (ERR-RULE-04); XEP-0049 asks only for "an error" there.
    id: "private.reserved.get-refused-childless",
    area: "private",
    requirements: ["ERR-RULE-04"],
    description:
      "a user's own private-storage get in a reserved namespace ('jabber:…', 'http://jabber.org/…', 'vcard-temp') is refused with an IQ of type 'error' that has no <error/> child (sets are stored as before)",
    stream: answering(
      (el) => {
        const ns = String(el.attrs.type === "get" ? (queryOf(el)?.getChildElements()[0]?.attrs.xmlns ?? "") : "");
        return ns === "vcard-temp" || ns.startsWith("jabber:") || ns.startsWith("http://jabber.org/");
      },
      (a) => [xml("iq", { type: "error", id: a.attrs.id, from: a.attrs.from, to: a.attrs.to })],
    ),
  },
];

/**
 * Per connection: a set under a namespace that already holds data (stored by an earlier set whose result came) is
 * answered <not-allowed/>, and later gets of that namespace return the earlier fragment, as if nothing changed.
 */
function setExistingRefused(): StreamFault {
  const stored = new Map<string, Element>();
  const pending = new Map<string, { ns: string; fragment: Element; refuse: boolean }>();
  const gets = new Map<string, string>();
  return {
    fromClient: (el, ctx) => {
      const fragment = queryOf(el)?.getChildElements()[0];
      if (!fragment || toOtherAccount(el, ctx)) return;
      const ns = String(fragment.attrs.xmlns ?? "");
      const key = `${ctx.conn.id} ${String(el.attrs.id)}`;
      if (el.attrs.type === "set") pending.set(key, { ns, fragment: copyOf(fragment), refuse: stored.has(`${ctx.conn.id} ${ns}`) });
      else if (el.attrs.type === "get") gets.set(key, ns);
    },
    element: (el, ctx) => {
      if (el.name !== "iq" || (el.attrs.type !== "result" && el.attrs.type !== "error")) return "pass";
      const key = `${ctx.conn.id} ${String(el.attrs.id)}`;
      const set = pending.get(key);
      if (set) {
        pending.delete(key);
        if (el.attrs.type !== "result") return "pass";
        if (!set.refuse) {
          stored.set(`${ctx.conn.id} ${set.ns}`, set.fragment);
          return "pass";
        }
        return [xml("iq", { type: "error", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from }, xml("error", { type: "cancel" }, xml("not-allowed", { xmlns: STANZAS })))];
      }
      const ns = gets.get(key);
      if (ns === undefined) return "pass";
      gets.delete(key);
      const kept = stored.get(`${ctx.conn.id} ${ns}`);
      if (!kept || el.attrs.type !== "result") return "pass";
      return changed(el, (c) => void (queryOf(c)!.children = [copyOf(kept)]));
    },
  };
}

/** XEP-0049: what a correct server may do differently; no verdict may change. */
export const VARIATIONS: Variation[] = [
  {
    id: "private-other-service-unavailable",
    only: "ejabberd",
    description: 'a request for another user\'s private storage is refused with <service-unavailable/> instead of <forbidden/> (XEP-0049 §2.3: "a "Forbidden" or "Service Unavailable" error")',
    fault: when(
      (el) => Boolean(queryOf(el)) && hasCondition(el, "forbidden"),
      (el) => withCondition(el, "service-unavailable"),
    ),
  },
  {
    id: "private-no-child-not-acceptable",
    only: "Prosody",
    description: 'a private-storage request without a child is refused with <not-acceptable/> instead of <bad-format/> (XEP-0049 §2.3: the server "MUST respond with a "Not Acceptable" error")',
    fault: when(
      (el) => hasCondition(el, "bad-format"),
      (el) => withCondition(el, "not-acceptable"),
    ),
  },
  {
    id: "private-error-without-payload",
    only: "ejabberd",
    description: "errors to private-storage requests carry no copy of the request's <query/> (RFC 6120 §8.3.1: the error MAY include the original XML; XEP-0049 asks for none)",
    fault: when(
      (el) => el.attrs.type === "error" && Boolean(queryOf(el)),
      (el) => changed(el, (c) => c.remove("query", PRIVATE)),
    ),
  },
];
