import { randomBytes, randomUUID } from "node:crypto";
import { Element } from "ltx";
import { STANZAS, answering, both, changed, copyOf, unansweredUnlisted, when, withoutFeature, iqResultFor, type FaultDef } from "../fault-kit.ts";
import { bare, type FaultContext, type StreamFault } from "../fault-proxy.ts";
import type { Variation } from "../variations.ts";

const MAM = "urn:xmpp:mam:2";
const RSM = "http://jabber.org/protocol/rsm";
const SID = "urn:xmpp:sid:0";
const FORWARD = "urn:xmpp:forward:0";
const DATA = "jabber:x:data";

/** The answer to a request turned into an error of the given type and condition (a server that refuses it). */
function refusal(answer: Element, type: string, condition: string): Element {
  const error = new Element("iq", { type: "error", id: answer.attrs.id, ...(answer.attrs.to && { to: answer.attrs.to }) });
  error.c("error", { type }).c(condition, { xmlns: STANZAS });
  return error;
}

const resultOf = (el: Element) => (el.name === "message" ? el.getChild("result", MAM) : undefined);
const forwardedMessage = (el: Element) => resultOf(el)?.getChild("forwarded", FORWARD)?.getChild("message");
const finOf = (el: Element) => (el.name === "iq" && el.attrs.type === "result" ? el.getChild("fin", MAM) : undefined);
const setOf = (el: Element) => finOf(el)?.getChild("set", RSM);
const queryOf = (el: Element) => (el.name === "iq" && el.attrs.type === "set" ? el.getChild("query", MAM) : undefined);
const isForm = (el: Element) => el.name === "iq" && el.attrs.type === "result" && Boolean(el.getChild("query", MAM)?.getChild("x", DATA));
const fieldsOf = (el: Element) => el.getChild("query", MAM)?.getChild("x", DATA)?.getChildren("field") ?? [];
const isBarrier = (el: Element) => Boolean(el.getChild("barrier", "urn:xmpp-conform:barrier"));
/** A message the server routes to this connection from another account (live, not an archive result). */
const liveMessage = (el: Element, ctx: FaultContext) =>
  el.name === "message" && el.attrs.type !== "error" && !resultOf(el) && !isBarrier(el) && Boolean(el.getChild("body")) && bare(el.attrs.from) !== bare(ctx.conn.jid);
const stanzaIds = (el: Element) => el.getChildren("stanza-id", SID);
const queryFields = (q: Element) =>
  new Map(
    q
      .getChild("x", DATA)
      ?.getChildren("field")
      .map((f) => [String(f.attrs.var), f.getChildText("value") ?? ""]) ?? [],
  );
const rsmValue = (q: Element, name: string) => q.getChild("set", RSM)?.getChild(name);
/** A query for the first page of its set: no <after/>, <before/> or <index/> (with or without <max/>). */
const firstPageQuery = (q: Element) => !rsmValue(q, "after") && !rsmValue(q, "before") && !rsmValue(q, "index");

/** One MAM result message wrapping `original`, as a server would send it for query `queryid`. */
function result(to: string, queryid: string | undefined, id: string, original: Element): Element {
  const inner = copyOf(original);
  inner.attrs.xmlns = "jabber:client";
  for (const sid of stanzaIds(inner)) inner.remove(sid);
  const msg = new Element("message", { to });
  msg
    .c("result", { xmlns: MAM, id, ...(queryid && { queryid }) })
    .c("forwarded", { xmlns: FORWARD })
    .c("delay", { xmlns: "urn:xmpp:delay", stamp: new Date().toISOString() })
    .up()
    .cnode(inner);
  return msg;
}

/**
 * A bug in how a query's results are sent: for each query (an IQ set with <query/> the client sent, `asked`
 * says whether this bug applies to it), the result messages are collected and `emit` decides what goes out when
 * the IQ result ends the query.
 */
function onQueries(asked: (query: Element) => boolean, emit: (results: Element[], fin: Element, query: Element, ctx: FaultContext) => (Element | string)[]): StreamFault {
  const open = new Map<string, { query: Element; id: string; results: Element[] }>();
  return {
    fromClient: (el, ctx) => {
      const q = queryOf(el);
      if (q && asked(q)) open.set(`${ctx.conn.id} ${q.attrs.queryid ?? el.attrs.id}`, { query: q, id: String(el.attrs.id), results: [] });
    },
    element: (el, ctx) => {
      const r = resultOf(el);
      const pending = r && open.get(`${ctx.conn.id} ${r.attrs.queryid}`);
      if (pending) {
        pending.results.push(el);
        return "drop";
      }
      if (el.name !== "iq" || (el.attrs.type !== "result" && el.attrs.type !== "error")) return "pass";
      for (const [key, q] of open) {
        if (!key.startsWith(`${ctx.conn.id} `) || q.id !== el.attrs.id) continue;
        open.delete(key);
        return el.attrs.type === "result" ? emit(q.results, el, q.query, ctx) : [...q.results, el];
      }
      return "pass";
    },
  };
}

/** The live messages each connection got, and the results it was sent, by archive id (for faults that invent results). */
function remembering(
  act: (el: Element, ctx: FaultContext, seen: { live: Element[]; byId: Map<string, Element> }) => ReturnType<NonNullable<StreamFault["element"]>>,
  fromClient?: StreamFault["fromClient"],
): StreamFault {
  const seen = new Map<number, { live: Element[]; byId: Map<string, Element> }>();
  const of = (ctx: FaultContext) => seen.get(ctx.conn.id) ?? seen.set(ctx.conn.id, { live: [], byId: new Map() }).get(ctx.conn.id)!;
  return {
    fromClient,
    element: (el, ctx) => {
      const mine = of(ctx);
      if (liveMessage(el, ctx)) mine.live.push(el);
      const r = resultOf(el);
      if (r?.attrs.id) mine.byId.set(String(r.attrs.id), el);
      return act(el, ctx, mine);
    },
  };
}

/**
 * A query's results with one more: the result of the message whose archive id the query names (`field` says
 * where: <after/>, <before/>, 'after-id'), at the start or the end of the page (an off-by-one page).
 */
function offByOne(field: (q: Element) => string | undefined, at: "start" | "end"): StreamFault {
  const named = new Map<string, { id?: string; queryid?: string }>();
  const seen = new Map<string, Element>();
  const queries = onQueries(
    () => true,
    (results, fin, _query, ctx) => {
      const want = named.get(`${ctx.conn.id} ${fin.attrs.id}`);
      named.delete(`${ctx.conn.id} ${fin.attrs.id}`);
      for (const r of results) seen.set(`${ctx.conn.id} ${resultOf(r)!.attrs.id}`, r);
      const known = want?.id ? seen.get(`${ctx.conn.id} ${want.id}`) : undefined;
      if (!known) return [...results, fin];
      const extra = changed(known, (c) => (resultOf(c)!.attrs.queryid = want!.queryid ?? ""))[0];
      return at === "start" ? [extra, ...results, fin] : [...results, extra, fin];
    },
  );
  return {
    fromClient: (el, ctx) => {
      const q = queryOf(el);
      if (q) named.set(`${ctx.conn.id} ${el.attrs.id}`, { id: field(q) || undefined, queryid: q.attrs.queryid });
      queries.fromClient!(el, ctx);
    },
    element: queries.element,
  };
}

/** `r` restamped as a result of `query`: its queryid the query's, or none where the query has none. */
const restamped = (r: Element, query: Element) =>
  changed(r, (c) => {
    if (query.attrs.queryid !== undefined) resultOf(c)!.attrs.queryid = String(query.attrs.queryid);
    else delete resultOf(c)!.attrs.queryid;
  })[0];

/**
 * `page` then `fin` with its <set/> naming that page's own first and last item (with `complete`, <fin complete='true'>):
 * the truthful <fin/> of a page a fault made, so that only the page's content is wrong.
 */
function withTruthfulFin(page: Element[], fin: Element, complete = false): Element[] {
  const [answer] = changed(fin, (c) => {
    if (complete) finOf(c)!.attrs.complete = "true";
    const set = setOf(c)!;
    set.children = [];
    set
      .c("first")
      .t(String(resultOf(page[0])!.attrs.id))
      .up()
      .c("last")
      .t(String(resultOf(page[page.length - 1])!.attrs.id));
  });
  return [...page, answer];
}

/**
 * A page cut from the account's archive (the results all its connections were sent, in archive order, so a page may
 * hold what this query's results left out) for each query `asked` applies to: `cut` gives the page (undefined: the
 * server's answer passes), sent with a truthful <fin/> where it holds more than the server's.
 */
function archivePage(asked: (q: Element) => boolean, cut: (archive: Element[], query: Element) => Element[] | undefined, complete: boolean): StreamFault {
  const known = new Map<string, Element[]>();
  const queries = onQueries(asked, (results, fin, query, ctx) => {
    const page = cut(known.get(bare(ctx.conn.jid)) ?? [], query)?.map((r) => restamped(r, query));
    if (!page || page.length <= results.length || !setOf(fin)) return [...results, fin];
    return withTruthfulFin(page, fin, complete);
  });
  return {
    fromClient: queries.fromClient,
    element: (el, ctx) => {
      const r = resultOf(el);
      const archive = known.get(bare(ctx.conn.jid)) ?? known.set(bare(ctx.conn.jid), []).get(bare(ctx.conn.jid))!;
      if (r?.attrs.id && !archive.some((k) => resultOf(k)!.attrs.id === r.attrs.id)) archive.push(el);
      return queries.element!(el, ctx);
    },
  };
}

/** The `n`th MAM query each connection sends gets nothing: neither its result messages nor its <iq/> answer. */
function nthQueryUnanswered(n: number): StreamFault {
  const count = new Map<number, number>();
  let silent = false;
  const queries = onQueries(
    () => silent,
    () => [],
  );
  return {
    fromClient: (el, ctx) => {
      if (!queryOf(el)) return;
      const k = (count.get(ctx.conn.id) ?? 0) + 1;
      count.set(ctx.conn.id, k);
      silent = k === n;
      queries.fromClient!(el, ctx);
    },
    element: queries.element,
  };
}

/**
 * Seventy-second audit (round 72): a page asked for with <after/> that `holds` (by its results and <max/>) starts
 * with the item named in <after/> as well, and its <fin/>'s <first/> and <last/> name that page's own first and last
 * item (a truthful <fin/> of an off-by-one page).
 */
function afterIncludesItselfTruthfulFin(holds: (results: Element[], max: number) => boolean): StreamFault {
  const seen = new Map<string, Element>();
  return onQueries(
    () => true,
    (results, fin, query, ctx) => {
      for (const r of results) seen.set(`${ctx.conn.id} ${resultOf(r)!.attrs.id}`, r);
      const after = rsmValue(query, "after")?.getText();
      const known = after ? seen.get(`${ctx.conn.id} ${after}`) : undefined;
      const max = Number(rsmValue(query, "max")?.getText());
      if (!known || !setOf(fin) || !Number.isInteger(max) || !holds(results, max)) return [...results, fin];
      return withTruthfulFin([restamped(known, query), ...results], fin);
    },
  );
}

/**
 * A server that serves MAM pages by RSM <index/> (XEP-0059 §2.6) in front of one that ignores it: the results of
 * the connection's queries without <index/> are the full set, in order; a query with <index>N</index> gets the
 * items N.. of it (max as asked) and a <first/> whose 'index' is N plus `indexOffset`. An index at or past the
 * end gets an empty page, or (`pastEnd: "last"`) the last item, or (`pastEnd: "not-implemented"`) a
 * <feature-not-implemented/> error. `indexText` writes the 'index' (another xs:int
 * lexical form); `skew` starts an index inside the set that many items later, the last at most (an approximate
 * derivation, XEP-0059 §2.6), the 'index' still the request's. `noSet`: no <fin/> carries an RSM <set/> (XEP-0313 §4's
 * MAM-FIN-01 broken), the pages themselves as above. `ignored`: a query with <index/> gets the whole set, <index/> and
 * <max/> both ignored (its <first/> the set's first item, 'index' 0).
 */
function pagesByIndex(o: { indexOffset: number; pastEnd: "empty" | "last" | "not-implemented"; indexText?: (n: number) => string; skew?: number; noSet?: boolean; ignored?: boolean }): StreamFault {
  const full = new Map<number, Element[]>();
  return onQueries(
    () => true,
    (results, fin, query, ctx) => {
      const index = rsmValue(query, "index");
      if (!index) {
        // An unpaged query's results are the whole set (a case may ask twice: the second does not add them again).
        full.set(ctx.conn.id, query.getChild("set", RSM) ? [...(full.get(ctx.conn.id) ?? []), ...results] : results);
        return [...results, o.noSet && setOf(fin) ? changed(fin, (c) => finOf(c)!.remove(setOf(c)!))[0] : fin];
      }
      const all = full.get(ctx.conn.id) ?? [];
      const asked = Number(index.getText());
      if (o.pastEnd === "not-implemented" && asked >= all.length) return [refusal(fin, "cancel", "feature-not-implemented")];
      const n = o.ignored ? 0 : asked >= all.length ? (o.pastEnd === "last" ? Math.max(all.length - 1, 0) : asked) : Math.min(asked + (o.skew ?? 0), all.length - 1);
      const max = o.ignored ? all.length : Number(rsmValue(query, "max")?.getText() ?? all.length);
      const page = all.slice(n, n + max).map((r) => changed(r, (c) => (resultOf(c)!.attrs.queryid = String(query.attrs.queryid ?? "")))[0]);
      const iq = new Element("iq", { type: "result", id: fin.attrs.id, ...(fin.attrs.to && { to: fin.attrs.to }) });
      const set = iq.c("fin", { xmlns: MAM, ...(n + max >= all.length && { complete: "true" }) }).c("set", { xmlns: RSM });
      if (page.length > 0) {
        const index = o.ignored ? 0 : (o.skew ? asked : n) + o.indexOffset;
        set.c("first", { index: o.indexText ? o.indexText(index) : String(index) }).t(String(resultOf(page[0])!.attrs.id));
        set.c("last").t(String(resultOf(page[page.length - 1])!.attrs.id));
      }
      set.c("count").t(String(all.length));
      if (o.noSet) iq.getChild("fin", MAM)!.remove(set);
      return [...page, iq];
    },
  );
}

/** Each account gets a welcome message (type normal, with a body) when its first session sends initial presence: the server archives it before the case's messages. */
function welcomeArchived(): StreamFault {
  const welcomed = new Set<string>();
  return {
    fromClient: (el: Element, ctx: FaultContext) => {
      const user = bare(ctx.conn.jid);
      if (!user || welcomed.has(user) || el.name !== "presence" || el.attrs.to || el.attrs.type) return;
      welcomed.add(user);
      ctx.conn.send?.(new Element("message", { to: user, type: "normal", id: `welcome-${randomUUID()}` }).c("body").t("Welcome").root());
    },
  };
}

/** A result IQ ending a query with an empty page: what a server sends instead of an error. */
function emptyFin(answer: Element): Element[] {
  return [iqResultFor(answer, new Element("fin", { xmlns: MAM, complete: "true" }).cnode(new Element("set", { xmlns: RSM })).root())];
}
/** The form fields XEP-0313 defines (§4.1.1, §4.1.2, §6.1.1, §6.1.2 and the groupchat field). */
const KNOWN_FIELDS = ["FORM_TYPE", "with", "start", "end", "before-id", "after-id", "ids", "include-groupchat"];
const isCondition = (el: Element, condition: string) => el.attrs.type === "error" && Boolean(el.getChild("error")?.getChild(condition, STANZAS));

/** A server that offers no XEP-0441 preferences: a <prefs/> set gets feature-not-implemented (XEP-0313 §8.1 lets it use another mechanism). */
const prefsRefused = () =>
  answering(
    (el) => el.attrs.type === "set" && Boolean(el.getChild("prefs", MAM)),
    (answer) => (answer.attrs.type === "result" ? [refusal(answer, "cancel", "feature-not-implemented")] : "pass"),
  );

/**
 * Another user's query of a user's archive is answered with the messages the user got, and a result (or, with
 * `answerKept`, the server's own answer: an error where it refuses the query, after the leaked results).
 */
function otherUsersArchiveOpen(answerKept = false): StreamFault {
  const target = new Map<string, string>();
  const live = new Map<string, Element[]>();
  const inner = answering(
    (el, ctx) => {
      const strange = Boolean(queryOf(el)) && Boolean(el.attrs.to) && bare(el.attrs.to) !== bare(ctx.conn.jid);
      if (strange) target.set(`${ctx.conn.id} ${el.attrs.id}`, bare(el.attrs.to));
      return strange;
    },
    (answer, ctx) => {
      const owner = target.get(`${ctx.conn.id} ${answer.attrs.id}`) ?? "";
      const leaked = (live.get(owner) ?? []).map((m, i) => result(String(ctx.conn.jid), undefined, `leaked-${i}`, m));
      return [...leaked, ...(answerKept ? [answer] : emptyFin(answer))];
    },
  );
  return {
    fromClient: inner.fromClient,
    element: (el, ctx) => {
      if (liveMessage(el, ctx)) live.set(bare(ctx.conn.jid), [...(live.get(bare(ctx.conn.jid)) ?? []), el]);
      return inner.element!(el, ctx);
    },
  };
}

/** Every MAM query (an IQ set with <query/>) is answered with service-unavailable. */
const queriesRefused = () =>
  answering(
    (el) => Boolean(queryOf(el)),
    (answer) => (answer.attrs.type === "result" ? [refusal(answer, "cancel", "service-unavailable")] : "pass"),
  );

/** A <stanza-id/> the sender put in with the recipient's bare JID as 'by' is delivered (beside the server's own). */
function forgedKept(): StreamFault {
  const forged = new Map<string, Element[]>();
  return {
    fromClient: (el) => {
      if (el.name !== "message" || !el.getChildText("body")) return;
      const claimed = stanzaIds(el).filter((s) => s.attrs.by === bare(el.attrs.to));
      if (claimed.length > 0) forged.set(String(el.getChildText("body")), claimed);
    },
    element: (el, ctx) => {
      const kept = liveMessage(el, ctx) ? forged.get(String(el.getChildText("body"))) : undefined;
      if (!kept || stanzaIds(el).some((s) => s.attrs.id === kept[0].attrs.id)) return "pass";
      return changed(el, (c) => {
        for (const s of kept) c.cnode(copyOf(s));
      });
    },
  };
}

/** A chat message from or to an account that set XEP-0441 preferences to archive everything is lost on its way. */
function archivingChatLost(): StreamFault {
  const archiving = new Set<string>();
  return {
    fromClient: (el, ctx) => {
      if (el.name === "iq" && el.attrs.type === "set" && el.getChild("prefs", MAM)?.attrs.default === "always") archiving.add(bare(ctx.conn.jid));
    },
    element: (el, ctx) => (liveMessage(el, ctx) && el.attrs.type === "chat" && (archiving.has(bare(el.attrs.from)) || archiving.has(bare(ctx.conn.jid))) ? "drop" : "pass"),
  };
}

/** A <stanza-id/> the sender put in with the recipient's bare JID as 'by' is deleted (XEP-0359 §3), where the server kept it. */
function forgedDeleted(): StreamFault {
  const forged = new Map<string, Set<string>>();
  return {
    fromClient: (el) => {
      if (el.name !== "message" || !el.getChildText("body")) return;
      const claimed = stanzaIds(el).filter((s) => s.attrs.by === bare(el.attrs.to));
      if (claimed.length > 0) forged.set(String(el.getChildText("body")), new Set(claimed.map((s) => String(s.attrs.id))));
    },
    element: (el, ctx) => {
      const ids = liveMessage(el, ctx) ? forged.get(String(el.getChildText("body"))) : undefined;
      const kept = (s: Element) => s.attrs.by === bare(ctx.conn.jid) && Boolean(ids?.has(String(s.attrs.id)));
      if (!stanzaIds(el).some(kept)) return "pass";
      return changed(el, (c) => {
        for (const s of stanzaIds(c).filter(kept)) c.remove(s);
      });
    },
  };
}

/** A UID the archive does not have is answered with an empty page instead of item-not-found. */
const unknownUidEmptyPage = () =>
  answering(
    (el) => Boolean(queryOf(el)),
    (answer) => (isCondition(answer, "item-not-found") ? emptyFin(answer) : "pass"),
  );

/** A query naming archive ids of the client's choosing: before-id, after-id or ids, or an RSM <after/> or <before/> with a UID. */
const namesIds = (q: Element) => {
  const fields = queryFields(q);
  return fields.has("before-id") || fields.has("after-id") || fields.has("ids") || Boolean(rsmValue(q, "after")?.getText()) || Boolean(rsmValue(q, "before")?.getText());
};

/**
 * Twenty-seventh audit: a server that applies a message sent to a user whose <prefs/> set is still unanswered
 * before those preferences, with a default that keeps nothing of the sender's (the message is not archived and
 * carries no stanza-id by the user), and that answers a query naming an id the archive does not have with
 * item-not-found only while the user's archive is empty: where it holds a message, the server's own answer (on
 * Prosody 13 a result) goes through.
 */
function latePrefsEmptyArchive(): StreamFault {
  const unanswered = new Map<string, string>();
  const archived = new Map<string, number>();
  const unarchived = new Set<string>();
  const emptyQueries = new Map<string, string | undefined>();
  return {
    fromClient: (el, ctx) => {
      const me = bare(ctx.conn.jid);
      if (el.name === "iq" && el.attrs.type === "set" && el.getChild("prefs", MAM)) unanswered.set(me, String(el.attrs.id));
      const body = el.name === "message" && el.attrs.to && !isBarrier(el) ? el.getChildText("body") : null;
      if (body) {
        const to = bare(el.attrs.to);
        if (unanswered.has(to)) unarchived.add(`${to} ${body}`);
        else archived.set(to, (archived.get(to) ?? 0) + 1);
      }
      const q = queryOf(el);
      if (q && namesIds(q) && !archived.get(me)) emptyQueries.set(`${ctx.conn.id} ${el.attrs.id}`, q.attrs.queryid);
    },
    element: (el, ctx) => {
      const me = bare(ctx.conn.jid);
      const answer = el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error");
      if (answer && unanswered.get(me) === el.attrs.id) unanswered.delete(me);
      if (liveMessage(el, ctx) && unarchived.has(`${me} ${el.getChildText("body")}`)) return withoutOwnStanzaIds(el, ctx) ?? "pass";
      const r = resultOf(el);
      if (r && [...emptyQueries].some(([key, queryid]) => key.startsWith(`${ctx.conn.id} `) && queryid === r.attrs.queryid)) return "drop";
      const key = `${ctx.conn.id} ${el.attrs.id}`;
      if (!answer || !emptyQueries.has(key)) return "pass";
      emptyQueries.delete(key);
      return el.attrs.type === "result" ? [refusal(el, "cancel", "item-not-found")] : "pass";
    },
  };
}

/**
 * Twenty-seventh audit: a query naming an id the archive does not have gets a result message of an earlier
 * message before its item-not-found error.
 */
function resultsBeforeNotFound(): StreamFault {
  const asked = new Map<string, string | undefined>();
  return {
    fromClient: (el, ctx) => {
      const q = queryOf(el);
      if (q && namesIds(q)) asked.set(`${ctx.conn.id} ${el.attrs.id}`, q.attrs.queryid);
    },
    element: (el, ctx) => {
      const key = `${ctx.conn.id} ${el.attrs.id}`;
      if (el.name !== "iq" || !asked.has(key) || (el.attrs.type !== "result" && el.attrs.type !== "error")) return "pass";
      const queryid = asked.get(key);
      asked.delete(key);
      if (!isCondition(el, "item-not-found")) return "pass";
      const earlier = new Element("message", { to: bare(ctx.conn.jid), type: "chat" }).c("body").t("earlier").up();
      return [result(String(ctx.conn.jid), queryid, `earlier-${randomUUID()}`, earlier), el];
    },
  };
}

/**
 * Twenty-first audit: a server that reads an empty <before/> as no <before/> at all (the first page, not XEP-0313
 * §4.3.3's "last page of the archive"), and honours <flip-page/> on the page it serves. The results each
 * connection saw, in the order they first came (the case's unfiltered query comes first, so archive order), stand
 * in for the archive.
 */
function beforeEmptyFirstPage(ignoreMax = false): StreamFault {
  const archive = new Map<number, Element[]>();
  const queries = onQueries(
    (q) => rsmValue(q, "before")?.getText() === "",
    (_results, fin, query, ctx) => {
      const max = Number(rsmValue(query, "max")?.getText() ?? Infinity);
      const page = (archive.get(ctx.conn.id) ?? []).slice(0, ignoreMax ? Infinity : max).map(
        (k) =>
          changed(k, (c) => {
            if (query.attrs.queryid !== undefined) resultOf(c)!.attrs.queryid = String(query.attrs.queryid);
            else delete resultOf(c)!.attrs.queryid;
          })[0],
      );
      return [...(query.getChild("flip-page") ? page.reverse() : page), fin];
    },
  );
  return {
    fromClient: queries.fromClient,
    element: (el, ctx) => {
      const r = resultOf(el);
      const seen = archive.get(ctx.conn.id) ?? archive.set(ctx.conn.id, []).get(ctx.conn.id)!;
      if (r?.attrs.id && !seen.some((k) => resultOf(k)!.attrs.id === r.attrs.id)) seen.push(el);
      return queries.element!(el, ctx);
    },
  };
}

/** A live message the account archived, without the <stanza-id/> its archive stamped (undefined: not such a message). */
const withoutOwnStanzaIds = (el: Element, ctx: FaultContext) =>
  liveMessage(el, ctx) && stanzaIds(el).some((s) => s.attrs.by === bare(ctx.conn.jid))
    ? changed(el, (c) => {
        for (const s of stanzaIds(c)) if (s.attrs.by === bare(ctx.conn.jid)) c.remove(s);
      })
    : undefined;
/** urn:xmpp:sid:0 left out of a disco#info result's features. */
const withoutSidFeature = withoutFeature(SID);
/** An account without an archive: every urn:xmpp:mam: feature left out of its bare JID's disco#info, and the XEP-0441 preferences refused. */
const withoutMam = (rest: (el: Element, ctx: FaultContext) => ReturnType<NonNullable<StreamFault["element"]>>): StreamFault =>
  both(prefsRefused(), {
    element: (el, ctx) => {
      const q = el.name === "iq" && el.attrs.type === "result" && String(el.attrs.from ?? "").includes("@") ? el.getChild("query", "http://jabber.org/protocol/disco#info") : undefined;
      const mam = (f: Element | string) => typeof f !== "string" && String(f.attrs.var ?? "").startsWith("urn:xmpp:mam:");
      const [shown] = q?.children.some(mam)
        ? changed(el, (c) => {
            const query = c.getChild("query", "http://jabber.org/protocol/disco#info")!;
            query.children = query.children.filter((f) => !mam(f));
          })
        : [el];
      const then = rest(shown, ctx);
      return then === "pass" && shown !== el ? [shown] : then;
    },
  });

/** XEP-0313, XEP-0059 (as MAM uses it) and XEP-0359: server bugs the cases must catch. */
/**
 * Stanza ids of another form than the server's: each of the account's own stanza-ids on a live message, and each
 * result's archive id, is `make(serverId)`, once for each id (the same live and in the archive), and the <first/>
 * and <last/> of a page follow. Twenty-eighth audit: for the faults and the variation that change only the ids'
 * form, whose checks now come after the page query.
 * Stream-variation survey (2026-11-29): the client's own bytes cannot be rewritten, so a query that names such an id
 * (RSM's <after/> or <before/>, the form's after-id, before-id or ids) reaches the server, which knows only its own.
 * Only <after/> was answered here, from the live messages the connection had got, so a server of these ids failed
 * to recognise them everywhere else: mam-ext-ids/{after,before,between,ids} and mam-ext-advertised (archive/
 * extended.yaml), rsm-forward (its page asked on another connection) and rsm-backward (paging.yaml) failed under
 * sid-random-decimal where a real server honours its own ids. Now the server's answer to such a query (and any
 * result it sent for it) is dropped, and the query is sent again with the server's ids, its answer given the
 * client's id: the server answers as it would its own ids (fail -> pass, Prosody 13).
 */
function ownIds(make: (serverId: string) => string): StreamFault {
  const made = new Map<string, string>();
  const serverIdOf = new Map<string, string>();
  const id = (serverId: string) => {
    if (!made.has(serverId)) {
      const mine = make(serverId);
      made.set(serverId, mine);
      serverIdOf.set(mine, serverId);
    }
    return made.get(serverId)!;
  };
  const again = new Map<string, Element>(); // "connection id" -> the query sent again once the first is answered
  const asked = new Map<string, string>(); // "connection query-id sent again" -> the client's query id
  const muted = new Set<string>(); // "connection id" whose first query is not yet answered: its results are dropped
  const ID_FIELDS = ["after-id", "before-id", "ids"];
  return {
    fromClient: (el, ctx) => {
      const q = queryOf(el);
      if (!q) return;
      const copy = copyOf(el);
      const cq = queryOf(copy)!;
      const texts = [
        rsmValue(cq, "after"),
        rsmValue(cq, "before"),
        ...(cq.getChild("x", DATA)?.getChildren("field") ?? []).filter((f) => ID_FIELDS.includes(String(f.attrs.var))).flatMap((f) => f.getChildren("value")),
      ];
      let mapped = false;
      for (const t of texts) {
        const server = t && serverIdOf.get(t.getText());
        if (t && server !== undefined) {
          t.children = [server];
          mapped = true;
        }
      }
      if (!mapped) return;
      copy.attrs.id = `xc-own-${String(el.attrs.id)}`;
      again.set(`${ctx.conn.id} ${String(el.attrs.id)}`, copy);
      asked.set(`${ctx.conn.id} ${copy.attrs.id}`, String(el.attrs.id));
      muted.add(String(ctx.conn.id));
    },
    element: (el, ctx) => {
      const mine = bare(ctx.conn.jid);
      const answer = el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error");
      const first = answer ? again.get(`${ctx.conn.id} ${String(el.attrs.id)}`) : undefined;
      if (first) {
        again.delete(`${ctx.conn.id} ${String(el.attrs.id)}`);
        muted.delete(String(ctx.conn.id));
        ctx.conn.send?.(first);
        return "drop";
      }
      if (resultOf(el) && muted.has(String(ctx.conn.id))) return "drop";
      if (liveMessage(el, ctx) && stanzaIds(el).some((s) => s.attrs.by === mine))
        return changed(el, (c) => {
          for (const s of stanzaIds(c)) if (s.attrs.by === mine) s.attrs.id = id(String(s.attrs.id));
        });
      const r = resultOf(el);
      if (r?.attrs.id !== undefined) return changed(el, (c) => (resultOf(c)!.attrs.id = id(String(r.attrs.id))));
      const clientId = answer ? asked.get(`${ctx.conn.id} ${String(el.attrs.id)}`) : undefined;
      if (clientId !== undefined) asked.delete(`${ctx.conn.id} ${String(el.attrs.id)}`);
      const set = setOf(el);
      if (clientId === undefined && !(set && (set.getChild("first") ?? set.getChild("last")))) return "pass";
      return changed(el, (c) => {
        if (clientId !== undefined) c.attrs.id = clientId;
        for (const name of ["first", "last"]) {
          const e = setOf(c)?.getChild(name);
          if (e) e.children = [id(e.getText())];
        }
      });
    },
  };
}

/** The message a Message Carbons copy (XEP-0280 <received/> or <sent/>) forwards, with `edit` applied. */
const carbonCopyEdited = (edit: (message: Element) => void) =>
  when(
    (el) => el.name === "message" && ["received", "sent"].some((n) => el.getChild(n, "urn:xmpp:carbons:2")?.getChild("forwarded", FORWARD)?.getChild("message")),
    (el) =>
      changed(el, (c) => {
        const wrapper = c.getChild("received", "urn:xmpp:carbons:2") ?? c.getChild("sent", "urn:xmpp:carbons:2")!;
        edit(wrapper.getChild("forwarded", FORWARD)!.getChild("message")!);
      }),
  );

/**
 * Received carbons (as `copyOf` makes them of what the server sent: the client gets that copy) are also stored in the
 * account's archive: each query's results end with every copy so far, as second entries of the messages.
 */
function carbonsArchived(copyOf: (el: Element) => Element): StreamFault {
  const carbons = new Map<string, Element[]>();
  const queries = onQueries(
    () => true,
    (results, fin, query, ctx) => [...results, ...(carbons.get(bare(ctx.conn.jid)) ?? []).map((c, i) => result(ctx.conn.jid!, query.attrs.queryid, `carbon-${i}-${randomUUID()}`, c)), fin],
  );
  return {
    fromClient: queries.fromClient,
    element: (el: Element, ctx: FaultContext) => {
      if (!(el.name === "message" && el.getChild("received", "urn:xmpp:carbons:2")?.getChild("forwarded", FORWARD)?.getChild("message"))) return queries.element!(el, ctx);
      const copy = copyOf(el);
      const account = bare(ctx.conn.jid);
      carbons.set(account, [...(carbons.get(account) ?? []), copy]);
      return copy === el ? queries.element!(el, ctx) : [copy];
    },
  };
}

/**
 * 'with', 'start' and 'end' ignored: a filtered query's <fin/> comes after every message the account saw, as results.
 * `emptyQueryid`: the results of the unfiltered query with that queryid are dropped too.
 */
function filtersIgnored(emptyQueryid?: string) {
  const filtered = new Map<string, string | undefined>();
  return remembering(
    (el, ctx, seen) => {
      if (emptyQueryid !== undefined && resultOf(el)?.attrs.queryid === emptyQueryid) return "drop";
      const key = `${ctx.conn.id} ${el.attrs.id}`;
      if (!finOf(el) || !filtered.has(key)) return "pass";
      const queryid = filtered.get(key);
      filtered.delete(key);
      return [...seen.live.map((m, i) => result(String(ctx.conn.jid), queryid, `invented-${i}`, m)), el];
    },
    (el, ctx) => {
      const q = queryOf(el);
      const fields = q && queryFields(q);
      if (fields && ["with", "start", "end"].some((f) => fields.has(f))) filtered.set(`${ctx.conn.id} ${el.attrs.id}`, q!.attrs.queryid);
    },
  );
}

export const FAULTS: FaultDef[] = [
  {
    // Sixty-fourth audit (2026-11-29): mam-query-order compared the second and third results' archive ids with the
    // first's only, so an archive that gives two items one id passed MAM-IDS-01 and MAM-STORE-01 (§6.2: "unique per
    // item stored"). The third id is now compared with both: pass -> fail (Prosody 13).
    id: "mam.ids.third-reuses-second",
    area: "mam",
    requirements: ["MAM-IDS-01", "MAM-STORE-01"],
    description: "the archive gives the message whose body starts with 'o3-' the archive id of the one whose body starts with 'o2-' (two items stored, one id)",
    stream: (() => {
      const second = new Map<number, string>(); // connection -> the id of o2's result
      return {
        element: (el: Element, ctx: FaultContext) => {
          const result = resultOf(el);
          const body = forwardedMessage(el)?.getChildText("body") ?? "";
          if (!result) return "pass";
          if (body.startsWith("o2-")) second.set(ctx.conn.id, String(result.attrs.id));
          const id = body.startsWith("o3-") ? second.get(ctx.conn.id) : undefined;
          return id === undefined ? "pass" : changed(el, (c) => (resultOf(c)!.attrs.id = id));
        },
      };
    })(),
  },
  {
    // Fortieth audit: MAM-SID-05 had no fault, and mam-archive-once judged it only on a copy whose forwarded message is
    // in jabber:client; a copy in another namespace without the <stanza-id/> counted as no copy (credits nothing).
    // The case now takes a copy in any of the three namespaces: mam.sid.carbon-copy-without-stanza-id-inherited,
    // Prosody 13, pass -> warn (MAM-SID-05).
    id: "mam.sid.carbon-copy-without-stanza-id",
    area: "mam",
    requirements: ["MAM-SID-05"],
    description: "a Message Carbons copy's forwarded message carries no <stanza-id/>",
    fault: carbonCopyEdited((m) => m.remove("stanza-id", SID)),
  },
  {
    id: "mam.sid.carbon-copy-without-stanza-id-inherited",
    area: "mam",
    requirements: ["MAM-SID-05"],
    description: "a Message Carbons copy's forwarded message carries no <stanza-id/>, and has no namespace of its own (it inherits urn:xmpp:forward:0)",
    fault: carbonCopyEdited((m) => {
      m.remove("stanza-id", SID);
      m.attrs.xmlns = FORWARD;
    }),
  },
  {
    // Sixty-first audit (2026-11-28): mam-archive-once asked a carbon's <stanza-id/> with by='${alice}' inside
    // MAM-SID-05's pattern, so a wrong 'by' warned MAM-SID-05 (a SHOULD) where §3.5's "The 'by' attribute MUST be set
    // to the address of the archive" (MAM-SID-03) is what is broken.
    id: "mam.sid.carbon-copy-wrong-by",
    area: "mam",
    requirements: ["MAM-SID-03"],
    description: "a Message Carbons copy's forwarded message carries a <stanza-id/> whose 'by' is the receiving resource's full JID, not the archive's bare JID",
    fault: carbonCopyEdited((m) => {
      const sid = m.getChild("stanza-id", SID);
      if (sid) sid.attrs.by = String(m.attrs.to);
    }),
  },
  // What is archived, and how it comes back (XEP-0313 §3, §6.1.1).
  {
    id: "mam.nothing-archived",
    area: "mam",
    requirements: ["MAM-ARCH-01"],
    description: "the user's messages are not archived: every query finds an empty archive",
    fault: when(
      (el) => Boolean(resultOf(el)),
      () => "drop",
    ),
  },
  {
    // Twenty-fourth audit: mam-archive-body (and every case judging MAM-ARCH-01 with a <prefs/> set first) was
    // skipped where the XEP-0441 preferences were refused, whatever the server archived, though §6.1.1's rule does
    // not depend on them. Now the correspondent is a contact and any answer to the preferences is taken:
    // mam-archive-body skip -> warn (MAM-ARCH-01) in all four cells.
    id: "mam.no-prefs.nothing-archived",
    area: "mam",
    requirements: ["MAM-ARCH-01"],
    description:
      "a server that offers no XEP-0441 preferences (a <prefs/> set gets feature-not-implemented; XEP-0313 §8.1 lets it use another mechanism) and archives nothing: every query finds an empty archive",
    stream: both(prefsRefused(), { element: (el) => (resultOf(el) ? "drop" : "pass") }),
  },
  {
    id: "mam.stored-twice",
    area: "mam",
    requirements: ["MAM-ARCH-05", "MAM-IDS-01"],
    description: "a message forked to several resources or copied by carbons is stored once per copy: every result comes twice",
    fault: when(
      (el) => Boolean(resultOf(el)),
      (el) => [el, el],
    ),
  },
  {
    // Sixty-first audit (2026-11-28): mam-archive-once held the absence of a second copy of the forked message
    // (MAM-ARCH-05, MUST) behind the archiving of another message (MAM-ARCH-01, a SHOULD), so this server only warned.
    id: "mam.bare-stored-twice-full-not-archived",
    area: "mam",
    requirements: ["MAM-ARCH-05"],
    description: "a message to an account's bare JID is stored twice (every such result comes twice), and one to a full JID is not stored (no result of it comes)",
    fault: when(
      (el) => Boolean(forwardedMessage(el)),
      (el) => (String(forwardedMessage(el)!.attrs.to ?? "").includes("/") ? "drop" : [el, el]),
    ),
  },
  {
    // Class sweep (2026-11-28, group S4): mam-archive-once judged the query's IQ result (MAM-Q-01, a SHOULD)
    // before the 'receives nothing' of a second copy (MAM-ARCH-05's MUST), so a server that stored each message
    // twice and never answered the query only warned.
    id: "mam.stored-twice-unanswered",
    area: "mam",
    requirements: ["MAM-ARCH-05", "STANZA-IQ-01"],
    description: "every result of a query comes twice (each message stored once per copy) and the query is never answered with its IQ result",
    stream: both(
      answering(
        (el) => el.attrs.type === "set" && Boolean(el.getChild("query", MAM)),
        () => "drop",
      ),
      { element: (el) => (resultOf(el) ? [el, el] : "pass") },
    ),
  },
  {
    // Class sweep (2026-11-28, group S4): mam-archive-once judged a2's Carbons <enable/> result (CARBONS-ENABLE-01,
    // a SHOULD) before the 'one of' over a1 and a2 for a chat message to the bare JID (DELIVERY-MSG-BARE-2NN/chat,
    // a MUST), so a server that answered no <enable/> and delivered the message to neither resource only warned.
    id: "mam.carbons-unanswered-bare-chat-lost",
    area: "mam",
    requirements: ["DELIVERY-MSG-BARE-2NN"],
    description: "a Carbons <enable/> is never answered, and a chat message to a bare JID reaches none of the account's available resources",
    stream: both(
      answering(
        (el) => el.attrs.type === "set" && Boolean(el.getChild("enable", "urn:xmpp:carbons:2")),
        () => "drop",
      ),
      {
        element: (el, { conn }) =>
          el.name === "message" && el.attrs.type === "chat" && Boolean(el.getChild("body")) && !String(el.attrs.to ?? "/").includes("/") && bare(String(el.attrs.from ?? "")) !== bare(conn.jid)
            ? "drop"
            : "pass",
      },
    ),
  },
  {
    id: "mam.carbon-archived",
    area: "mam",
    requirements: ["MAM-ARCH-05"],
    description: "a message copied by carbons is stored twice: once as sent, once as the <received/> copy another resource got",
    stream: carbonsArchived((el) => el),
  },
  // Forty-first audit: mam-archive-once looked for the archived carbon (a second entry of the message) only where
  // the carbon's forwarded message was written in jabber:client, while it takes carbons whose forwarded message is in
  // jabber:server or has no xmlns of its own: such a carbon archived as a second entry passed MAM-ARCH-05.
  {
    id: "mam.carbon-inherited-archived",
    area: "mam",
    requirements: ["MAM-ARCH-05"],
    description:
      "received carbons forward the message without an xmlns of its own (it inherits urn:xmpp:forward:0), and a message copied by carbons is stored twice: once as it came, once as the <received/> copy another resource got",
    stream: carbonsArchived((el) => changed(el, (c) => (c.getChild("received", "urn:xmpp:carbons:2")!.getChild("forwarded", FORWARD)!.getChild("message")!.attrs.xmlns = FORWARD))[0]),
  },
  // Forty-first audit: mam-archive-once asked for the stanza-id in a2's carbon (MAM-SID-05) before it knew the
  // message was archived, so a server that archives nothing (and so has no stanza-id to add) warned it besides
  // MAM-ARCH-01.
  {
    id: "mam.nothing-archived-no-sid",
    area: "mam",
    requirements: ["MAM-ARCH-01"],
    description: "nothing is archived: queries return no results, and no message or carbon copy carries a <stanza-id/>",
    fault: (el) => {
      if (resultOf(el)) return "drop";
      const carried = el.name === "message" ? el.getChild("received", "urn:xmpp:carbons:2")?.getChild("forwarded", FORWARD)?.getChild("message") : undefined;
      if (carried && stanzaIds(carried).length > 0)
        return changed(el, (c) => {
          const m = c.getChild("received", "urn:xmpp:carbons:2")!.getChild("forwarded", FORWARD)!.getChild("message")!;
          for (const sid of stanzaIds(m)) m.remove(sid);
        });
      if (el.name === "message" && stanzaIds(el).length > 0) return changed(el, (c) => stanzaIds(c).forEach((sid) => c.remove(sid)));
      return "pass";
    },
  },
  // Forty-first audit: rsm-count took any result with no 'queryid' that came after its first query's results as a
  // result of the <max>0</max> page: a welcome message archived for the fresh account, its result sent without the
  // queryid (MAM-RES-02's breach), warned RSM-COUNT-02 although the zero-sized page returned nothing.
  {
    id: "mam.welcome-archived-no-queryid",
    area: "mam",
    requirements: ["MAM-RES-02"],
    description:
      "the archive also holds a welcome message (type normal, with a body) from the server's domain, and results are sent without the query's 'queryid'; a <max>0</max> query returns no results",
    stream: onQueries(
      () => true,
      (results, fin, query, ctx) => {
        const welcome = new Element("message", { from: String(bare(ctx.conn.jid)).split("@")[1], to: bare(ctx.conn.jid), type: "normal" }).c("body").t("Welcome").root();
        const all = query.getChild("set", RSM)?.getChildText("max") === "0" ? [] : [result(ctx.conn.jid!, undefined, `welcome-${ctx.conn.id}`, welcome), ...results];
        return [...all.map((m) => changed(m, (c) => delete resultOf(c)!.attrs.queryid)[0]), fin];
      },
    ),
  },
  {
    id: "mam.body-lost",
    area: "mam",
    requirements: ["MAM-ARCH-03", "MAM-STORE-02"],
    description: "the archive keeps the message's extensions but not its <body/>",
    fault: when(
      (el) => Boolean(forwardedMessage(el)?.getChild("body")),
      (el) => changed(el, (c) => forwardedMessage(c)!.remove(forwardedMessage(c)!.getChild("body")!)),
    ),
  },
  {
    id: "mam.attributes-lost",
    area: "mam",
    requirements: ["MAM-STORE-02"],
    description: "the archived copy loses the stanza's 'from', 'to', 'type' and 'id'",
    fault: when(
      (el) => Boolean(forwardedMessage(el)),
      (el) =>
        changed(el, (c) => {
          for (const a of ["from", "to", "type", "id"]) delete forwardedMessage(c)!.attrs[a];
        }),
    ),
  },
  {
    // Thirty-eighth audit: mam-ext-ids asked for the results' forwarded message in jabber:client in its archiving check
    // (MAM-ARCH-01, which every MAM-EXT-01 check waits for), so a server whose archive keeps all three messages but
    // forwards them in jabber:server warned on the archiving rule and left the extended fields unjudged; the namespace
    // is §4.2's (MAM-RES-03) and XEP-0297's, and the case now takes any of the three (mam-ext-ids/after on Prosody 13:
    // MAM-ARCH-01 warn -> pass, MAM-EXT-01 not-reached -> pass).
    id: "mam.forwarded-server-namespace",
    area: "mam",
    requirements: ["MAM-RES-03"],
    description: "the archived message inside a result's <forwarded/> is in the jabber:server namespace instead of the one it was received in",
    fault: when(
      (el) => Boolean(forwardedMessage(el)),
      (el) => changed(el, (c) => (forwardedMessage(c)!.attrs.xmlns = "jabber:server")),
    ),
  },
  {
    // Forty-fourth audit: mam-archive-headline looked for the archived headline (MAM-ARCH-02, a MAY) in jabber:client
    // only, so a server that archives headlines and forwards results in jabber:server was recorded as not archiving
    // them; the namespace is §4.2's (MAM-RES-03). mam-archive-headline on Prosody 13: MAM-ARCH-02 not-reached -> pass.
    id: "mam.headline-archived-server-namespace",
    area: "mam",
    requirements: ["MAM-RES-03"],
    description:
      "headline messages with a body are archived (XEP-0313 §6.1.1's MAY), and the archived message inside a result's <forwarded/> is in the jabber:server namespace instead of the one it was received in",
    stream: (() => {
      const headlines = new Map<string, Element[]>();
      const toServer = (m: Element) => changed(m, (c) => (forwardedMessage(c)!.attrs.xmlns = "jabber:server"))[0] as Element;
      const queries = onQueries(
        () => true,
        (results, fin, query, ctx) => [
          ...results.map(toServer),
          ...(headlines.get(bare(ctx.conn.jid)) ?? []).map((h, i) => toServer(result(ctx.conn.jid!, query.attrs.queryid, `headline-${i}-${randomUUID()}`, h))),
          fin,
        ],
      );
      return {
        fromClient: queries.fromClient,
        element: (el: Element, ctx: FaultContext) => {
          if (el.name === "message" && el.attrs.type === "headline" && el.getChild("body")) {
            const account = bare(ctx.conn.jid);
            headlines.set(account, [...(headlines.get(account) ?? []), el]);
          }
          return queries.element!(el, ctx);
        },
      };
    })(),
  },
  {
    // Class sweep 3 (2026-11-27): mam-ext-form's archiving check (MAM-ARCH-01) asked for MAM-RES-03's jabber:client,
    // but Prosody fails the case's MAM-FORM-07 (no <validate/> on 'ids') before it: the change shows on a server
    // whose form is right and whose forwarded messages are not.
    id: "mam.forwarded-server-namespace.ids-open",
    area: "mam",
    requirements: ["MAM-RES-03"],
    description:
      "the query form's 'ids' field is marked open (XEP-0122 <validate><open/></validate>), but the archived message inside a result's <forwarded/> is in the jabber:server namespace instead of the one it was received in",
    fault: (el: Element) => {
      if (isForm(el))
        return changed(el, (c) => {
          for (const f of fieldsOf(c)) {
            if (f.attrs.var !== "ids") continue;
            f.children = f.children.filter((x) => typeof x === "string" || x.name !== "validate");
            f.c("validate", { xmlns: "http://jabber.org/protocol/xdata-validate", datatype: "xs:string" }).c("open");
          }
        });
      if (forwardedMessage(el)) return changed(el, (c) => (forwardedMessage(c)!.attrs.xmlns = "jabber:server"));
      return "pass";
    },
  },
  // Results (§4, §4.2).
  {
    id: "mam.result-without-id",
    area: "mam",
    requirements: ["MAM-RES-01"],
    description: "result messages do not say the archive id of the message they carry",
    fault: when(
      (el) => Boolean(resultOf(el)?.attrs.id),
      (el) => changed(el, (c) => delete resultOf(c)!.attrs.id),
    ),
  },
  {
    id: "mam.result-without-queryid",
    area: "mam",
    requirements: ["MAM-RES-02"],
    description: "result messages leave out the queryid the client gave",
    fault: when(
      (el) => Boolean(resultOf(el)?.attrs.queryid),
      (el) => changed(el, (c) => delete resultOf(c)!.attrs.queryid),
    ),
  },
  {
    id: "mam.stamp-unix-time",
    area: "mam",
    requirements: ["MAM-RES-05"],
    description: "the delay stamp of a result is written as seconds since 1970 instead of a XEP-0082 DateTime",
    fault: (el) => {
      const delay = resultOf(el)?.getChild("forwarded", FORWARD)?.getChild("delay", "urn:xmpp:delay");
      if (!delay) return "pass";
      return changed(el, (c) => {
        const d = resultOf(c)!.getChild("forwarded", FORWARD)!.getChild("delay", "urn:xmpp:delay")!;
        d.attrs.stamp = String(Math.floor(Date.parse(String(delay.attrs.stamp)) / 1000));
      });
    },
  },
  {
    // Twenty-ninth audit: mam-query-results credited the stamp's MUST (§4.2 "The value of the 'stamp' attribute MUST be
    // the time the message was originally received by the forwarding entity.", MAM-RES-05) on the stamp's form
    // alone, and mam-query-time on a 'start' query at the stamp, which a stamp long before finds everything by: a
    // server stamping every result with a fixed old date passed both. The stamp is now a DateTime within an hour of
    // the harness's clock ({now:3600}) when the result comes, moments after the message was received: pass -> fail.
    id: "mam.stamp-not-received",
    area: "mam",
    requirements: ["MAM-RES-05"],
    description: "the delay stamp of every result is a well-formed DateTime that is not the time of reception (2001-01-01T00:00:00Z)",
    fault: when(
      (el) => Boolean(resultOf(el)?.getChild("forwarded", FORWARD)?.getChild("delay", "urn:xmpp:delay")),
      (el) =>
        changed(el, (c) => {
          resultOf(c)!.getChild("forwarded", FORWARD)!.getChild("delay", "urn:xmpp:delay")!.attrs.stamp = "2001-01-01T00:00:00Z";
        }),
    ),
  },
  {
    // Twenty-sixth audit: mam-query-results judged the stamp's MUST (§4.2 "The value of the 'stamp' attribute MUST
    // be the time the message was originally received by the forwarding entity.", MAM-RES-05) with a pattern that
    // required the <delay/> itself, which §4.2 only says the <forwarded/> SHOULD contain (MAM-RES-04): a result
    // without a delay failed MAM-RES-05 at MUST and left MAM-USER-01 and MAM-FIN-01 unreached. The first result is
    // now a one of (delayed: the stamp judged; undelayed: MAM-RES-04 warns, no stamp to judge): fail -> warn.
    id: "mam.result-without-delay",
    area: "mam",
    requirements: ["MAM-RES-04"],
    description: "result messages carry the forwarded message without a <delay/> (XEP-0313 §4.2's SHOULD)",
    fault: when(
      (el) => Boolean(resultOf(el)?.getChild("forwarded", FORWARD)?.getChild("delay", "urn:xmpp:delay")),
      (el) =>
        changed(el, (c) => {
          const forwarded = resultOf(c)!.getChild("forwarded", FORWARD)!;
          forwarded.remove(forwarded.getChild("delay", "urn:xmpp:delay")!);
        }),
    ),
  },
  {
    id: "mam.result-ids-repeat",
    area: "mam",
    requirements: ["MAM-IDS-01", "MAM-STORE-01"],
    description: "every result of a query carries the archive id of the first",
    stream: onQueries(
      () => true,
      (results, fin) => {
        const first = results[0] && resultOf(results[0])!.attrs.id;
        return [...results.map((r) => changed(r, (c) => (resultOf(c)!.attrs.id = first))[0]), fin];
      },
    ),
  },
  {
    id: "mam.fin-before-results",
    area: "mam",
    requirements: ["MAM-FIN-02"],
    description: "the IQ result ending a query is sent before the result messages",
    stream: onQueries(
      () => true,
      (results, fin) => [fin, ...results],
    ),
  },
  {
    id: "mam.results-reversed",
    area: "mam",
    requirements: ["MAM-ORDER-01", "MAM-ORDER-02", "MAM-LAST-01"],
    description: "results are sent newest first",
    stream: onQueries(
      () => true,
      (results, fin) => [...results.reverse(), fin],
    ),
  },
  {
    id: "mam.flip-ignored",
    area: "mam",
    requirements: ["MAM-EXT-01", "MAM-FLIP-01"],
    description: "<flip-page/> is ignored: a flipped page comes in chronological order",
    stream: onQueries(
      (q) => Boolean(q.getChild("flip-page")),
      (results, fin) => [...results.reverse(), fin],
    ),
  },
  {
    // Twenty-first audit: mam-ext-flip judged the flipped page against the last page (p3, p2) without asking first
    // what an empty <before/> gives unflipped, so a server that serves the first page (XEP-0313 §4.3.3's derived
    // SHOULD, MAM-LAST-01) but flips it right failed MAM-EXT-01's MUST (fail); it now warns on MAM-LAST-01, the
    // flip not reached. rsm-backward fails under it, before and after (MAM-PAGE-01: the paging XEP-0313 §4.3 makes a MUST).
    id: "mam.before-empty-first-page",
    area: "mam",
    requirements: ["MAM-LAST-01"],
    description: "an empty <before/> is read as none: the first page of the archive comes back, not the last (flipped where <flip-page/> asks)",
    stream: beforeEmptyFirstPage(),
  },
  {
    // Thirty-first audit: mam-ext-flip's `lastpage` (receives in order p2, p3) let a page holding p1 as well pass, so a
    // server that ignores <max>2</max> with an empty <before/> (the whole archive, flipped where asked) failed
    // MAM-EXT-01/MAM-FLIP-01 (MUST) on p1 in the flipped page, which holds exactly what the unflipped one did. Now
    // `lastpage-only` (no p1 in the unflipped page) warns MAM-LAST-01 and the flip is not reached: fail -> warn.
    id: "mam.before-empty-max-ignored",
    area: "mam",
    requirements: ["MAM-LAST-01"],
    description: "an empty <before/> ignores <max/>: the whole archive comes back (flipped where <flip-page/> asks)",
    stream: beforeEmptyFirstPage(true),
  },
  {
    // Twenty-sixth audit: no longer cites MAM-RSM-01 (XEP-0313 §4's RSM support, limiting and paging): a missing
    // <set/> in <fin/> is MAM-FIN-01's rule, and MAM-RSM-01 is judged by rsm-forward's <max/> and <after/> pages.
    id: "mam.fin-without-set",
    area: "mam",
    requirements: ["MAM-FIN-01", "RSM-PAGE-01", "RSM-EMPTY-01"],
    description: "the <fin/> ending a query carries no RSM <set/>",
    fault: when(
      (el) => Boolean(setOf(el)),
      (el) => changed(el, (c) => finOf(c)!.remove(setOf(c)!)),
    ),
  },
  {
    id: "mam.fin-missing",
    area: "mam",
    requirements: ["RSM-EMPTY-01", "MAM-FIN-01", "MAM-FORM-05"],
    description: "a query that found nothing is answered with an empty IQ result, without <fin/>",
    fault: when(
      (el) => Boolean(setOf(el)) && !setOf(el)!.getChild("first"),
      (el) => changed(el, (c) => c.remove(finOf(c)!)),
    ),
  },
  {
    // Seventy-eighth audit (round 78): mam-query-stable asked for a <fin/> in the step judging its 'stable'
    // attribute (MAM-STABLE-02), so an answer without <fin/> warned the stability rule. The missing <fin/> is now
    // MAM-FIN-01's (an also: on each answer). Prosody 13 and ejabberd 24.12: warn (MAM-STABLE-02) -> fail (MAM-FIN-01;
    // MAM-STABLE-02 not-reached).
    id: "mam.fin-dropped",
    area: "mam",
    requirements: ["MAM-FIN-01"],
    description: "every query, with results or without, is answered with an IQ result without <fin/>",
    fault: when(
      (el) => Boolean(finOf(el)),
      (el) => changed(el, (c) => c.remove(finOf(c)!)),
    ),
  },
  {
    // Twenty-fifth audit: mam-query-empty charged a result message the 'with' filter should have kept out (its JID
    // is one nobody wrote to or from) only to MAM-FORM-05's derived SHOULD. Now its receives nothing also cites
    // MAM-WITH-01 (§4.1.1 "The server MUST only return messages if they match the supplied JID."): warn -> fail.
    id: "mam.with-empty-welcome-returned",
    area: "mam",
    requirements: ["MAM-WITH-01"],
    description: "a 'with' query that matches nothing returns the server's welcome message (from the domain), which is to or from no such JID",
    stream: onQueries(
      (q) => queryFields(q).has("with"),
      (results, fin, query, ctx) => {
        if (results.length > 0) return [...results, fin];
        const domain = String(ctx.conn.jid).split("@")[1]?.split("/")[0] ?? "";
        const welcome = new Element("message", { from: domain, to: bare(ctx.conn.jid), type: "normal" }).c("body").t("Welcome").root();
        return [result(String(ctx.conn.jid), query.attrs.queryid, `welcome-${randomUUID()}`, welcome), fin];
      },
    ),
  },
  {
    // Class sweep (2026-11-28, group S4): mam-query-empty judged the query's IQ result (MAM-FORM-05, a derived
    // SHOULD) before the 'receives nothing' of a result message (MAM-WITH-01's MUST), so a server that never
    // answered the query and returned a message the filter should have kept out only warned.
    id: "mam.with-empty-welcome-returned-unanswered",
    area: "mam",
    requirements: ["MAM-WITH-01", "STANZA-IQ-01"],
    description: "a 'with' query that matches nothing returns the server's welcome message (from the domain), which is to or from no such JID, and is never answered with its IQ result",
    stream: onQueries(
      (q) => queryFields(q).has("with"),
      (results, _fin, query, ctx) => {
        if (results.length > 0) return results;
        const domain = String(ctx.conn.jid).split("@")[1]?.split("/")[0] ?? "";
        const welcome = new Element("message", { from: domain, to: bare(ctx.conn.jid), type: "normal" }).c("body").t("Welcome").root();
        return [result(String(ctx.conn.jid), query.attrs.queryid, `welcome-${randomUUID()}`, welcome)];
      },
    ),
  },
  {
    // Thirty-fifth audit: rsm-first-index took any result of a <max>1</max> page as its archiving check
    // (MAM-ARCH-01), so a server that archives only its own welcome message (type normal, with a body) and none of
    // a contact's chat messages passed it. Now an unpaged query must find bob's two messages: pass -> warn.
    id: "mam.welcome-archived-chat-not",
    area: "mam",
    requirements: ["MAM-ARCH-01"],
    description: "the archive holds only the server's welcome message (from the domain, type normal, with a body): a contact's chat messages are not archived",
    stream: onQueries(
      () => true,
      (_results, fin, query, ctx) => {
        const domain = String(ctx.conn.jid).split("@")[1]?.split("/")[0] ?? "";
        const welcome = new Element("message", { from: domain, to: bare(ctx.conn.jid), type: "normal" }).c("body").t("Welcome").root();
        return [result(String(ctx.conn.jid), query.attrs.queryid, `welcome-${ctx.conn.id}`, welcome), fin];
      },
    ),
  },
  // Filters (§4.1.1, §4.1.2).
  {
    id: "mam.filters-ignored",
    area: "mam",
    requirements: ["MAM-WITH-01", "MAM-WITH-02", "MAM-START-01", "MAM-END-01"],
    description: "'with', 'start' and 'end' are ignored: every message of the archive comes back",
    stream: filtersIgnored(),
  },
  {
    // Class sweep (2026-11-28, group S4): mam-query-time read the results' stamps (MAM-RES-04, a SHOULD) from a
    // second unfiltered query before its queries with a 'start' in the future and an 'end' in the past
    // (MAM-START-01, MAM-END-01: MUSTs that need no stamp), so a server whose second unfiltered query (queryid
    // q0s) returns no results and that ignores 'start' and 'end' only warned.
    id: "mam.requery-empty-filters-ignored",
    area: "mam",
    requirements: ["MAM-START-01", "MAM-END-01"],
    description: "an unfiltered query with queryid 'q0s' returns no results, and 'with', 'start' and 'end' are ignored: every message of the archive comes back",
    stream: filtersIgnored("q0s"),
  },
  {
    id: "mam.with-full-as-bare",
    area: "mam",
    requirements: ["MAM-WITH-01"],
    description: "a full JID in 'with' is matched as its bare JID: the messages the user sent to that bare JID or to another of its resources, and those from its other resources, come back too",
    stream: (() => {
      const sent = new Map<number, Element[]>();
      const asked = new Map<string, { queryid?: string; withJid: string }>();
      return remembering(
        (el, ctx, seen) => {
          const key = `${ctx.conn.id} ${el.attrs.id}`;
          const q = finOf(el) && asked.get(key);
          if (!q) return "pass";
          asked.delete(key);
          const peerOf = (m: Element) => (bare(m.attrs.from) === bare(ctx.conn.jid) ? String(m.attrs.to ?? "") : String(m.attrs.from ?? ""));
          const widened = [...(sent.get(ctx.conn.id) ?? []), ...seen.live].filter((m) => bare(peerOf(m)) === bare(q.withJid) && peerOf(m) !== q.withJid);
          return [...widened.map((m, i) => result(String(ctx.conn.jid), q.queryid, `widened-${i}`, m)), el];
        },
        (el, ctx) => {
          if (el.name === "message" && !isBarrier(el) && el.getChild("body") && el.attrs.to && bare(el.attrs.to) !== bare(ctx.conn.jid)) {
            const own = changed(el, (c) => (c.attrs.from = String(ctx.conn.jid)))[0];
            sent.set(ctx.conn.id, [...(sent.get(ctx.conn.id) ?? []), own]);
          }
          const q = queryOf(el);
          const withJid = q && queryFields(q).get("with");
          if (withJid?.includes("/")) asked.set(`${ctx.conn.id} ${el.attrs.id}`, { queryid: q!.attrs.queryid, withJid });
        },
      );
    })(),
  },
  {
    // Twentieth audit (2026-11-25): mam-query-with-full (and mam-query-with, mam-query-with-self) judged every 'with'
    // check only after one step found all the messages archived, so an archive without the user's own messages (or
    // one that stores them later) warned MAM-ARCH-01 and never judged the MUST on the messages it did archive.
    id: "mam.sent-not-archived",
    area: "mam",
    requirements: ["MAM-ARCH-01"],
    description: "the messages the user sends are not in the user's archive (every result forwarding one is left out); the messages the user receives are",
    fault: (el, ctx) => {
      const m = el.name === "message" ? forwardedMessage(el) : undefined;
      return m && bare(String(m.attrs.from ?? "")) === bare(ctx.conn.jid) ? "drop" : "pass";
    },
  },
  {
    id: "mam.without-with-one-correspondent",
    area: "mam",
    requirements: ["MAM-WITH-03"],
    description: "a query without 'with' returns only the messages exchanged with the first correspondent found",
    stream: onQueries(
      (q) => !queryFields(q).has("with"),
      (results, fin, _query, ctx) => {
        const peer = (r: Element) => {
          const m = forwardedMessage(r)!;
          return bare(m.attrs.from) === bare(ctx.conn.jid) ? bare(m.attrs.to) : bare(m.attrs.from);
        };
        const first = results[0] && peer(results[0]);
        return [...results.filter((r) => peer(r) === first), fin];
      },
    ),
  },
  {
    // Twenty-fifth audit: mam-query-without-with judged MAM-WITH-03 (MUST) on a query with FORM_TYPE alone, whose
    // timespan is the SHOULD defaults of 'start' and 'end' (§4.1.2), so a server breaking only the 'start' default
    // failed the MUST. Its 'with'-less query now names both 'start' and 'end': fail (MAM-WITH-03; START-02 and
    // END-02 not reached) -> warn (MAM-START-02).
    id: "mam.start-default-latest",
    area: "mam",
    requirements: ["MAM-START-02"],
    description: "a query without 'start' assumes the date of the most recent message instead of the earliest: only the latest result comes",
    stream: onQueries(
      (q) => !queryFields(q).has("start"),
      (results, fin) => [...results.slice(-1), fin],
    ),
  },
  {
    id: "mam.form-needed-first",
    area: "mam",
    requirements: ["MAM-FORM-10", "MAM-FORM-01"],
    description: "a query with a data form is refused with bad-request unless the resource fetched the form first",
    stream: (() => {
      const fetched = new Set<number>();
      return answering(
        (el, ctx) => {
          if (el.name === "iq" && el.attrs.type === "get" && el.getChild("query", MAM)) fetched.add(ctx.conn.id);
          return Boolean(queryOf(el)?.getChild("x", DATA)) && !fetched.has(ctx.conn.id);
        },
        (answer) => [refusal(answer, "modify", "bad-request")],
      );
    })(),
  },
  // Paging (XEP-0313 §4.3, XEP-0059).
  {
    id: "rsm.index-not-implemented",
    area: "mam",
    requirements: ["RSM-INDEX-04", "RSM-INDEX-06"],
    description: "a query for a page by <index/> is refused with feature-not-implemented (XEP-0059 §2.6's MAY): no page is shown",
    stream: onQueries(
      (q) => Boolean(rsmValue(q, "index")),
      (_results, fin) => [refusal(fin, "cancel", "feature-not-implemented")],
    ),
  },
  {
    id: "rsm.first-index-not-zero",
    area: "mam",
    requirements: ["RSM-INDEX-02"],
    description: "every page's <first/> says index '3', the first page of the whole set too (XEP-0059 §2.2: there it SHOULD be '0')",
    fault: when(
      (el) => Boolean(setOf(el)?.getChild("first")),
      (el) =>
        changed(el, (c) => {
          setOf(c)!.getChild("first")!.attrs.index = "3";
        }),
    ),
  },
  {
    // Thirty-fifth audit: rsm-first-index judged RSM-INDEX-02 (the full set's first item is index '0') on whatever
    // item the first page started with, so a server that serves that page from the end, numbering its item rightly,
    // warned on RSM-INDEX-02. Now the index is judged only where the page starts at the first result of an unpaged
    // query: warn -> pass (RSM-INDEX-02 not-reached); rsm-forward fails it (MAM-ORDER-02, MAM-PAGE-01).
    id: "rsm.max-only-newest-indexed",
    area: "mam",
    requirements: ["MAM-ORDER-02", "MAM-PAGE-01"],
    description: "a query with only <max/> (no <after/>, <before/> or <index/>) is answered with the newest message the user received, its <first/> numbered rightly (index: its place in the archive)",
    stream: (() => {
      const live = new Map<number, Element[]>();
      const maxOnly = (q: Element) => Boolean(rsmValue(q, "max")) && firstPageQuery(q);
      const q = onQueries(maxOnly, (results, fin, query, ctx) => {
        const got = live.get(ctx.conn.id) ?? [];
        if (got.length === 0) return [...results, fin];
        const out = copyOf(fin);
        const set = out.getChild("fin", MAM)?.getChild("set", RSM);
        for (const name of ["first", "last"]) {
          const e = set?.getChild(name);
          if (e) e.children = ["newest"];
        }
        const first = set?.getChild("first");
        if (first) first.attrs.index = String(got.length - 1);
        return [result(String(ctx.conn.jid), query.attrs.queryid, "newest", got[got.length - 1]), out];
      });
      return {
        fromClient: q.fromClient,
        element: (el: Element, ctx: FaultContext) => {
          if (liveMessage(el, ctx)) live.set(ctx.conn.id, [...(live.get(ctx.conn.id) ?? []), el]);
          return q.element!(el, ctx);
        },
      };
    })(),
  },
  {
    id: "rsm.index-page-wrong-index",
    area: "mam",
    requirements: ["RSM-INDEX-04"],
    description: "a page asked for by <index/> starts at that index, but its <first/> says an index one more than the request's",
    stream: pagesByIndex({ indexOffset: 1, pastEnd: "empty" }),
  },
  {
    // Seventy-fifth audit (round 75): rsm-index recognised the page by <index/> only by its <fin/>'s RSM
    // <set><first/></set>, so this server, which derives the page from the index (XEP-0059 §2.6's SHOULD kept: the
    // page's one result is the item at index 1) but leaves the RSM <set/> out of every <fin/> (XEP-0313 §4's MUST,
    // MAM-FIN-01, judged by the mam-query cases as under mam.fin-without-set), warned RSM-INDEX-03. The page is now
    // told by its result messages: rsm-index/inside warn -> pass (Prosody 13); past-end warn -> pass.
    id: "rsm.index-pages-fin-without-set",
    area: "mam",
    requirements: ["MAM-FIN-01"],
    description: "pages are served by <index/>, but no <fin/> carries an RSM <set/>",
    stream: pagesByIndex({ indexOffset: 0, pastEnd: "empty", noSet: true }),
  },
  {
    // Seventy-fifth audit (round 75): with the page by <index/> now told by its result messages (the item at index 1
    // or 2 among them), a server ignoring <index/> and <max/> alike, whose page holds every item from the first, is
    // caught by the absence of the item at index 0 (it would otherwise pass on the item at index 1 it also sends).
    // rsm-index/inside warn (RSM-INDEX-03, by its <first/>) -> warn (RSM-INDEX-03, by the item at index 0), Prosody 13.
    id: "rsm.index-and-max-ignored",
    area: "mam",
    requirements: ["RSM-INDEX-03", "RSM-MAX-01"],
    description: "a query with <index/> gets the whole set from its first item, <index/> and <max/> both ignored",
    stream: pagesByIndex({ indexOffset: 0, pastEnd: "empty", ignored: true }),
  },
  {
    id: "rsm.index-past-end-last-item",
    area: "mam",
    requirements: ["RSM-INDEX-06"],
    description: "pages are served by <index/>, but an index at or past the end of the set gets the last item instead of an empty page",
    stream: pagesByIndex({ indexOffset: 0, pastEnd: "last" }),
  },
  {
    // Sixty-sixth audit (round 66): rsm-index/past-end asked index 5 twice where the page by index 1 came, the first
    // time in a `one of` whose refusal credited the MAY (RSM-INDEX-05), the second at MUST (RSM-INDEX-06): one
    // refusal credited and failed in the same run. Now the first asks only where index 1 was refused. Prosody 13:
    // fail (RSM-INDEX-05 pass, RSM-INDEX-06 fail) -> fail (RSM-INDEX-05 not reached, RSM-INDEX-06 fail).
    id: "rsm.index-past-end-not-implemented",
    area: "mam",
    requirements: ["RSM-INDEX-06"],
    description: "pages are served by <index/>, but an index at or past the end of the set gets feature-not-implemented instead of an empty page",
    stream: pagesByIndex({ indexOffset: 0, pastEnd: "not-implemented" }),
  },
  {
    id: "rsm.after-includes-itself",
    area: "mam",
    requirements: ["RSM-AFTER-01", "MAM-PAGE-01"],
    description: "a page asked for with <after/> starts with the item named in <after/> (off by one)",
    stream: offByOne((q) => rsmValue(q, "after")?.getText(), "start"),
  },
  {
    // Seventy-second audit (round 72): rsm-forward judged its <max>5</max> page after p2 by its <fin/> before the
    // check that nothing more than p3 came, so this server, whose <fin/> truthfully names the two items it sent, failed
    // RSM-PAGE-01/02 (MUST) and RSM-AFTER-01's own check was not reached. Now the page is judged first:
    // fail (RSM-PAGE-01, RSM-PAGE-02 fail) -> fail (RSM-AFTER-01 fail; RSM-PAGE-01/02 pass on the earlier pages).
    id: "rsm.after-end-includes-itself-truthful-fin",
    area: "mam",
    requirements: ["RSM-AFTER-01"],
    description:
      "a page asked for with <after/> that runs out before <max/> (holding some items) starts with the item named in <after/> (off by one), and its <fin/>'s <first/> and <last/> name that page's own first and last item",
    stream: afterIncludesItselfTruthfulFin((results, max) => results.length > 0 && results.length < max),
  },
  {
    // Seventy-second audit (round 72): rsm-forward judged its empty page after p3 by its answer (RSM-PAGE-03, no
    // <first/> or <last/> in an empty page) before the check that no result came, so this server, which sends p3 again
    // and names it in its <fin/>, failed RSM-PAGE-03 (a rule about pages with no items) and RSM-AFTER-01's own check was
    // not reached. Now the page is shown empty first: fail (RSM-PAGE-03 fail) -> fail (RSM-AFTER-01 fail).
    id: "rsm.after-last-includes-itself-truthful-fin",
    area: "mam",
    requirements: ["RSM-AFTER-01"],
    description: "a page asked for with <after/> naming the last item holds that item (off by one) instead of being empty, and its <fin/>'s <first/> and <last/> name it",
    stream: afterIncludesItselfTruthfulFin((results) => results.length === 0),
  },
  {
    // Twenty-sixth audit: mam-query-results credited XEP-0313 §4's "To allow limiting the results or paging through
    // them a client may use Result Set Management (XEP-0059), which MUST be supported by both the client and the
    // server." (MAM-RSM-01) on the <set/> of a query's <fin/>, which is MAM-FIN-01's rule, on a query that asked no
    // limit: this server, which ignores <max/>, had MAM-RSM-01 pass there. Now rsm-forward's <max/> and <after/>
    // checks cite it: MAM-RSM-01 pass (mam-query-results) -> fail (rsm-forward).
    id: "rsm.max-ignored",
    area: "mam",
    requirements: ["MAM-RSM-01", "RSM-MAX-01", "MAM-PAGE-01"],
    description: "<max/> is ignored: a page asked for without a form returns every result of the archive after its <after/> (or from the start), named in <fin/>'s <set/> and marked complete",
    stream: archivePage(
      (q) => Boolean(rsmValue(q, "max")) && !rsmValue(q, "before") && !q.getChild("x", DATA),
      (archive, query) => {
        // Everything after <after/> (or the whole archive), however many <max/> asked.
        const after = rsmValue(query, "after")?.getText();
        const at = after === undefined ? -1 : archive.findIndex((k) => resultOf(k)!.attrs.id === after);
        return after !== undefined && at < 0 ? undefined : archive.slice(at + 1);
      },
      true,
    ),
  },
  {
    id: "rsm.after-ignored",
    area: "mam",
    requirements: ["MAM-PAGE-03", "RSM-AFTER-01"],
    description: "<after/> is ignored: a page asked for after an archive UID starts at the first message of the archive (as many results as <max/> allows)",
    stream: (() => {
      // The results each connection was sent, in archive order, to put back what a page after one of them left out.
      const seen = new Map<number, Element[]>();
      return onQueries(
        () => true,
        (results, fin, query, ctx) => {
          const known = seen.get(ctx.conn.id) ?? [];
          for (const r of results) if (!known.some((k) => resultOf(k)!.attrs.id === resultOf(r)!.attrs.id)) known.push(r);
          seen.set(ctx.conn.id, known);
          const after = rsmValue(query, "after")?.getText();
          const at = after === undefined ? -1 : known.findIndex((k) => resultOf(k)!.attrs.id === after);
          if (at < 0) return [...results, fin];
          const before = known.slice(0, at + 1).map((r) => changed(r, (c) => (resultOf(c)!.attrs.queryid = String(query.attrs.queryid ?? "")))[0]);
          const max = Number(rsmValue(query, "max")?.getText() ?? Infinity);
          return [...[...before, ...results].slice(0, max), fin];
        },
      );
    })(),
  },
  {
    id: "rsm.before-includes-itself",
    area: "mam",
    requirements: ["RSM-BEFORE-01"],
    description: "a page asked for with <before/> ends with the item named in <before/> (off by one)",
    stream: offByOne((q) => rsmValue(q, "before")?.getText(), "end"),
  },
  {
    // Seventy-second audit (round 72): rsm-backward judged each page's <fin/> before what the page held, so this
    // server, whose <fin/> truthfully names the page it sent, failed RSM-PAGE-01/02 (MUST) at q2's <fin/>, and
    // RSM-BEFORE-01's own check (no p3 in the page) was never reached. The page is now judged first:
    // fail (RSM-PAGE-01, RSM-PAGE-02 fail; RSM-BEFORE-01 pass) -> fail (RSM-BEFORE-01 fail; RSM-PAGE-01/02 pass at q1).
    id: "rsm.before-includes-itself-truthful-fin",
    area: "mam",
    requirements: ["RSM-BEFORE-01"],
    description: "a page asked for with <before/> ends with the item named in <before/> (off by one), and its <fin/>'s <first/> and <last/> name that page's own first and last item",
    stream: (() => {
      const inner = offByOne((q) => rsmValue(q, "before")?.getText(), "end");
      return {
        fromClient: inner.fromClient,
        element: (el, ctx) => {
          const out = inner.element!(el, ctx);
          if (!Array.isArray(out)) return out;
          const fin = out[out.length - 1];
          const results = out.slice(0, -1).filter((r): r is Element => typeof r !== "string" && Boolean(resultOf(r)));
          if (typeof fin === "string" || !setOf(fin) || results.length === 0) return out;
          // What comes before the <fin/> is only results (onQueries collects nothing else).
          return withTruthfulFin(results, fin);
        },
      };
    })(),
  },
  {
    // Seventy-second audit (round 72): rsm-backward judged the <fin/> of its <max>1</max> pages before their size, so
    // this server, whose <fin/> truthfully names the two items it sent, failed RSM-PAGE-01/02 (MUST) on the last page
    // and RSM-MAX-01 was not reached. The page's size is now judged first: fail (RSM-PAGE-01, RSM-PAGE-02 fail,
    // RSM-MAX-01 not-reached) -> fail (RSM-MAX-01, MAM-PAGE-01 fail, RSM-PAGE-01/02 not-reached).
    id: "rsm.before-page-one-too-many",
    area: "mam",
    requirements: ["RSM-MAX-01", "MAM-PAGE-01"],
    description:
      "a page asked for with <before/> and <max/> holds one item more than <max/> (the items right before the one named, or the last ones for an empty <before/>), and its <fin/>'s <first/> and <last/> name that page's own first and last item",
    stream: archivePage(
      (q) => rsmValue(q, "before") !== undefined && rsmValue(q, "max") !== undefined,
      (archive, query) => {
        // The max + 1 items right before <before/> (before the end of the archive for an empty <before/>).
        const before = rsmValue(query, "before")?.getText() ?? "";
        const at = before === "" ? archive.length : archive.findIndex((k) => resultOf(k)!.attrs.id === before);
        const max = Number(rsmValue(query, "max")!.getText());
        return at < 0 || !Number.isInteger(max) ? undefined : archive.slice(Math.max(0, at - max - 1), at);
      },
      false,
    ),
  },
  {
    // Seventy-fourth audit (round 74): rsm-backward judged each page's results before the page query's <iq/> answer, so
    // a page query left wholly unanswered (RFC 6120 §8.2.3's breach) failed MAM-PAGE-01 (MUST, with RSM-LAST-01 and
    // MAM-LAST-01 warnings) on the missing results, and mam-ext-flip only warned MAM-LAST-01 on its last-page query. The
    // answer is now judged first: rsm-backward fail (MAM-PAGE-01) -> fail (STANZA-IQ-01 alone); mam-ext-flip warn
    // (MAM-LAST-01) -> fail (STANZA-IQ-01 alone).
    id: "mam.page-query-unanswered",
    area: "mam",
    requirements: ["STANZA-IQ-01"],
    description: "a MAM query with an RSM <set/> (a page) gets neither its result messages nor its <iq/> answer; unpaged queries are answered as usual",
    stream: onQueries(
      (q) => Boolean(q.getChild("set", RSM)),
      () => [],
    ),
  },
  {
    // Seventy-fourth audit (round 74), class sweep: rsm-forward, rsm-first-index and rsm-index took the first result(s)
    // of their second, unpaged query (the full set's first items) as set-up before its <iq/> answer, so a second query
    // left wholly unanswered (RFC 6120 §8.2.3's breach) was a precondition not given; mam-query-order judged its second
    // query's order (MAM-ORDER-01/02, MUST) before the answer. The answers are now waited for first (set-up steps get
    // STANZA-IQ-01 too), on Prosody 13: rsm-forward, rsm-first-index, rsm-index/inside skip -> fail (STANZA-IQ-01);
    // mam-query-order fail (MAM-ORDER-01, MAM-ORDER-02) -> fail (STANZA-IQ-01).
    id: "mam.second-query-unanswered",
    area: "mam",
    requirements: ["STANZA-IQ-01"],
    description: "the second MAM query a connection sends gets neither its result messages nor its <iq/> answer; the others are answered as usual",
    stream: nthQueryUnanswered(2),
  },
  {
    // Seventy-fourth audit (round 74), class sweep: mam-query-without-with judged its third query's results
    // (MAM-WITH-03, MUST) before its answer. Now, on Prosody 13: fail (MAM-WITH-03) -> fail (STANZA-IQ-01).
    id: "mam.third-query-unanswered",
    area: "mam",
    requirements: ["STANZA-IQ-01"],
    description: "the third MAM query a connection sends gets neither its result messages nor its <iq/> answer; the others are answered as usual",
    stream: nthQueryUnanswered(3),
  },
  {
    // Seventy-fourth audit (round 74), class sweep: mam-query-order's fourth query (the ids asked again) had no answer
    // judged at all, and mam-query-without-with judged its fourth's result (MAM-START-02, SHOULD) before its answer.
    // The answers are now judged first, on Prosody 13: mam-query-order warn (MAM-Q-01) -> fail (STANZA-IQ-01);
    // mam-query-without-with fail (STANZA-IQ-01, MAM-START-02 warn) -> fail (STANZA-IQ-01 alone).
    id: "mam.fourth-query-unanswered",
    area: "mam",
    requirements: ["STANZA-IQ-01"],
    description: "the fourth MAM query a connection sends gets neither its result messages nor its <iq/> answer; the others are answered as usual",
    stream: nthQueryUnanswered(4),
  },
  {
    // Seventy-fourth audit (round 74), class sweep: mam-query-without-with's fifth query (no 'end') and mam-query-time's
    // ('start' at the second message's stamp) had no answer judged, so a silence warned MAM-END-02 or failed MAM-START-01
    // on the missing results. Their answers are now judged first: mam-query-without-with (Prosody 13) warn (MAM-END-02)
    // -> fail (STANZA-IQ-01); mam-query-time (ejabberd 24.12) fail (MAM-START-01, MAM-RES-05) -> fail (STANZA-IQ-01).
    id: "mam.fifth-query-unanswered",
    area: "mam",
    requirements: ["STANZA-IQ-01"],
    description: "the fifth MAM query a connection sends gets neither its result messages nor its <iq/> answer; the others are answered as usual",
    stream: nthQueryUnanswered(5),
  },
  {
    // Seventy-fourth audit (round 74): mam-ext-flip never judged the flipped query's <iq/> answer, so a flipped query
    // left wholly unanswered (RFC 6120 §8.2.3's breach) failed MAM-EXT-01 (MUST, with a MAM-FLIP-01 warning) on the
    // missing results. The answer is now judged first: fail (MAM-EXT-01) -> fail (STANZA-IQ-01 alone).
    id: "mam.flip-query-unanswered",
    area: "mam",
    requirements: ["STANZA-IQ-01"],
    description: "a MAM query with <flip-page/> gets neither its result messages nor its <iq/> answer; other queries are answered as usual",
    stream: onQueries(
      (q) => Boolean(q.getChild("flip-page", MAM)),
      () => [],
    ),
  },
  {
    // Seventy-fourth audit (round 74): rsm-backward's absences of further results in its first two pages (q1, q2)
    // counted any result left unmatched since the case began, so the first query's result for an older message (a
    // welcome the server archived), sent without the query's 'queryid' (MAM-RES-02's breach, mam-query-results'),
    // failed MAM-PAGE-01 (MUST, RSM-MAX-01 warned) on pages of exactly one item. They now count only what came after
    // the first query's answer: fail (MAM-PAGE-01) -> pass. The welcome goes through the server, which archives it (as
    // the variation mam-welcome-message-archived): it needs what clients send seen, so only bench/try-case.ts applies it.
    id: "mam.welcome-sent-results-without-queryid",
    area: "mam",
    requirements: ["MAM-RES-02"],
    description:
      "each account gets a message of type 'normal' with a body (a welcome) when its first session sends initial presence, which the server archives before the case's messages, and every MAM result is sent without the query's 'queryid'",
    stream: both(welcomeArchived(), {
      element: (el) => (resultOf(el)?.attrs.queryid !== undefined ? changed(el, (c) => delete resultOf(c)!.attrs.queryid) : "pass"),
    }),
  },
  {
    id: "mam.after-id-includes-itself",
    area: "mam",
    requirements: ["MAM-EXT-01"],
    description: "a query with 'after-id' also returns the message with that id",
    stream: offByOne((q) => queryFields(q).get("after-id"), "start"),
  },
  {
    id: "rsm.first-last-missing",
    area: "mam",
    requirements: ["RSM-PAGE-01", "RSM-PAGE-02", "MAM-FIN-01"],
    description: "pages do not name their first and last items",
    fault: when(
      (el) => Boolean(setOf(el)?.getChild("first")),
      (el) =>
        changed(el, (c) => {
          const set = setOf(c)!;
          for (const n of ["first", "last"]) set.remove(set.getChild(n)!);
        }),
    ),
  },
  {
    // Forty-fifth audit: mam-query-results asked the <fin/>'s <set/> for <last/> only; a <set/> naming no first
    // message (§4 "indicating the UID of the first and last message") passed MAM-FIN-01. Now it asks for <first/>.
    id: "mam.fin-without-first",
    area: "mam",
    requirements: ["MAM-FIN-01"],
    description: "the <fin/>'s RSM <set/> names the last message of the result set but not the first",
    fault: when(
      (el) => Boolean(setOf(el)?.getChild("first")),
      (el) => changed(el, (c) => setOf(c)!.remove(setOf(c)!.getChild("first")!)),
    ),
  },
  {
    id: "rsm.last-is-first",
    area: "mam",
    requirements: ["RSM-PAGE-01", "MAM-FIN-01"],
    description: "<last/> names the first item of the page",
    fault: when(
      (el) => Boolean(setOf(el)?.getChild("first")),
      (el) =>
        changed(el, (c) => {
          const set = setOf(c)!;
          const last = set.getChild("last")!;
          last.children = [set.getChildText("first") ?? ""];
        }),
    ),
  },
  {
    id: "rsm.one-item-last-differs",
    area: "mam",
    requirements: ["RSM-PAGE-02"],
    description: "on a page of one item, <last/> holds another UID than <first/>",
    fault: when(
      (el) => Boolean(setOf(el)?.getChild("first")) && setOf(el)!.getChildText("first") === setOf(el)!.getChildText("last"),
      (el) =>
        changed(el, (c) => {
          setOf(c)!.getChild("last")!.children = [`${setOf(c)!.getChildText("last")}-end`];
        }),
    ),
  },
  {
    id: "rsm.empty-page-names-first",
    area: "mam",
    requirements: ["RSM-PAGE-03"],
    description: "an empty page still carries <first/> and <last/> (empty)",
    fault: when(
      (el) => Boolean(setOf(el)) && !setOf(el)!.getChild("first"),
      (el) =>
        changed(el, (c) => {
          setOf(c)!.c("first").up().c("last");
        }),
    ),
  },
  {
    id: "mam.complete-missing",
    area: "mam",
    requirements: ["MAM-COMPLETE-01"],
    description: "the last page is not marked complete",
    fault: when(
      (el) => finOf(el)?.attrs.complete === "true",
      (el) => changed(el, (c) => delete finOf(c)!.attrs.complete),
    ),
  },
  {
    id: "mam.complete-always",
    area: "mam",
    requirements: ["MAM-COMPLETE-02"],
    description: "every page is marked complete, also those with more results after them",
    fault: when(
      (el) => Boolean(finOf(el)) && finOf(el)!.attrs.complete !== "true",
      (el) => changed(el, (c) => (finOf(c)!.attrs.complete = "true")),
    ),
  },
  {
    id: "mam.unknown-uid-empty-page",
    area: "mam",
    requirements: ["MAM-PAGE-06", "RSM-NF-01", "MAM-IDNF-01"],
    description: "a UID that is not in the archive gets an empty page instead of item-not-found",
    stream: unknownUidEmptyPage(),
  },
  {
    // Sixty-first audit (2026-11-28, the sixtieth's class note): sid-archived-message judged the page after s1's
    // stanza-id by its results before its answer, so a page refused with item-not-found (the stanza-id is not the
    // archive's UID: MAM-PAGE-03) warned MAM-PAGE-03 on the missing result and then failed MAM-USER-01 on the
    // answer. The answer is judged first now: old file fail (MAM-USER-01) -> new file warn (MAM-PAGE-03 only).
    id: "mam.rsm-after-not-found",
    area: "mam",
    requirements: ["MAM-PAGE-03"],
    description: "a query whose RSM <after/> or <before/> names a UID is answered item-not-found, with no results (the ids the server stamps are not the archive's UIDs)",
    stream: onQueries(
      (q) => Boolean(rsmValue(q, "after")?.getText() || rsmValue(q, "before")?.getText()),
      (_results, fin) => [refusal(fin, "cancel", "item-not-found")],
    ),
  },
  {
    id: "mam.no-prefs.unknown-uid-empty-page",
    area: "mam",
    requirements: ["MAM-PAGE-06", "MAM-IDNF-01"],
    description:
      "a server that offers no XEP-0441 preferences (a <prefs/> set gets feature-not-implemented; XEP-0313 §8.1 lets it use another mechanism) and answers a UID not in the archive with an empty page",
    stream: both(prefsRefused(), unknownUidEmptyPage()),
  },
  {
    // Twenty-seventh audit: mam-ext-unknown-id and rsm-unknown-uid sent bob's message without waiting for any answer
    // to alice's <prefs/>, so on this server (bob's message applied first and not archived) the query met an empty
    // archive and got item-not-found (pass), while the same server answers a result where the archive holds a
    // message; now the answer to the preferences is waited for first (pass -> fail, every cell, Prosody 13).
    id: "mam.late-prefs.unknown-id-only-when-empty",
    area: "mam",
    requirements: ["MAM-IDNF-01", "MAM-PAGE-06"],
    description:
      "a message sent to a user whose <prefs/> set is still unanswered is not archived (applied before the preferences, under a default that keeps nothing of the sender's), and a query naming an id the archive does not have gets item-not-found only while the archive is empty",
    stream: latePrefsEmptyArchive(),
  },
  {
    id: "mam.queries-refused",
    area: "mam",
    requirements: ["MAM-DISCO-04", "MAM-USER-01"],
    description:
      "every MAM query is answered with service-unavailable while urn:xmpp:mam:2 stays advertised on the user's bare JID, and the XEP-0441 preferences are refused with feature-not-implemented",
    stream: both(prefsRefused(), queriesRefused()),
  },
  {
    id: "mam.page-needs-open-query",
    area: "mam",
    requirements: ["MAM-PAGE-05"],
    description: "a page request from a resource that has not queried before is refused (the server keeps per-session query state)",
    stream: (() => {
      const queried = new Set<number>();
      return answering(
        (el, ctx) => {
          const q = queryOf(el);
          const refused = Boolean(q && rsmValue(q, "after")?.getText() && !queried.has(ctx.conn.id));
          if (q) queried.add(ctx.conn.id);
          return refused;
        },
        (answer) => [refusal(answer, "cancel", "unexpected-request")],
      );
    })(),
  },
  {
    // Fifty-fifth audit (2026-11-28): mam-disco judges the bare-JID query under MAM-DISCO-04 only where the JID showed
    // no MAM; where it did (this fault's servers), the refusal is MAM-USER-01's alone.
    id: "mam.own-bare-jid-refused",
    area: "mam",
    requirements: ["MAM-USER-01"],
    description: "a query addressed to the user's own bare JID is answered with service-unavailable (only queries without 'to' work)",
    stream: answering(
      (el, ctx) => Boolean(queryOf(el)) && el.attrs.to === bare(ctx.conn.jid),
      (answer) => [refusal(answer, "cancel", "service-unavailable")],
    ),
  },
  // Access (§8.1).
  {
    id: "mam.other-users-archive-open",
    area: "mam",
    requirements: ["MAM-SEC-01", "MAM-SEC-02"],
    description: "another user's query of a user's archive is answered with the archive's messages",
    stream: otherUsersArchiveOpen(),
  },
  {
    id: "mam.no-prefs.other-users-archive-open",
    area: "mam",
    requirements: ["MAM-SEC-02"],
    description:
      "a server that offers no XEP-0441 preferences (XEP-0313 §8.1 lets it use another mechanism) and answers another user's query of a user's archive with a result holding the user's messages",
    stream: both(prefsRefused(), otherUsersArchiveOpen()),
  },
  {
    // Twenty-fourth audit: mam-access-other-user queried alice's own archive, and so judged the leak, only where
    // her XEP-0441 preferences were taken: with them refused (XEP-0313 §8.1: "such as") the leak was never looked
    // at. Now carol is alice's contact and the archiving check does not wait for the preferences: warn
    // (MAM-SEC-01 not reached) -> fail (MAM-SEC-01), on a server that archives by default.
    id: "mam.no-prefs.other-users-archive-leaked",
    area: "mam",
    requirements: ["MAM-SEC-01"],
    description:
      "a server that offers no XEP-0441 preferences (a <prefs/> set gets feature-not-implemented) sends another user's query of a user's archive the user's messages as results, before its own answer (an error where it refuses the query)",
    stream: both(prefsRefused(), otherUsersArchiveOpen(true)),
  },
  // The form (§4.1, §4.1.5).
  {
    id: "mam.form-fields-required",
    area: "mam",
    requirements: ["MAM-FORM-04"],
    description: "the query form marks its fields <required/>",
    fault: when(isForm, (el) =>
      changed(el, (c) => {
        for (const f of fieldsOf(c)) if (f.attrs.var !== "FORM_TYPE") f.c("required");
      }),
    ),
  },
  {
    id: "mam.form-with-missing",
    area: "mam",
    requirements: ["MAM-FORM-06"],
    description: "the query form does not offer the 'with' field",
    fault: when(isForm, (el) =>
      changed(el, (c) => {
        const x = c.getChild("query", MAM)!.getChild("x", DATA)!;
        for (const f of fieldsOf(c)) if (f.attrs.var === "with") x.remove(f);
      }),
    ),
  },
  {
    id: "mam.form-types-wrong",
    area: "mam",
    requirements: ["MAM-FORM-08"],
    description: "the query form types 'with' as text-single and 'start'/'end' as text-multi",
    fault: when(isForm, (el) =>
      changed(el, (c) => {
        for (const f of fieldsOf(c)) {
          if (f.attrs.var === "with") f.attrs.type = "text-single";
          if (f.attrs.var === "start" || f.attrs.var === "end") f.attrs.type = "text-multi";
        }
      }),
    ),
  },
  {
    id: "mam.groupchat-field-unadvertised",
    area: "mam",
    requirements: ["MAM-GC-01"],
    description: "the query form offers 'include-groupchat', but urn:xmpp:mam:2#groupchat-field is not advertised",
    fault: when(isForm, (el) =>
      changed(el, (c) => {
        if (!fieldsOf(c).some((f) => f.attrs.var === "include-groupchat")) c.getChild("query", MAM)!.getChild("x", DATA)!.c("field", { var: "include-groupchat", type: "boolean" });
      }),
    ),
  },
  {
    id: "mam.groupchat-field-accepted-unadvertised",
    area: "mam",
    requirements: ["MAM-GC-01"],
    description:
      "a query with 'include-groupchat' is run (the server understands the field, while it refuses fields it does not know), but neither the query form offers it nor is urn:xmpp:mam:2#groupchat-field advertised",
    stream: answering(
      (el) => {
        const q = queryOf(el);
        return Boolean(q && queryFields(q).has("include-groupchat"));
      },
      (answer) => (answer.attrs.type === "error" ? emptyFin(answer) : "pass"),
    ),
  },
  {
    // Thirty-first audit: mam-groupchat-field's two outcomes of a server that does not understand include-groupchat
    // (refused, unknown-fields-accepted) also required the query form, whose retrieval is MAM-FORM-06's (XEP-0313
    // §4.1.5): a server refusing the form request took no alternative and failed MAM-GC-01 (§7's MUST, about servers
    // that understand the field). Now refused-no-form and unknown-accepted-no-form credit nothing: fail -> warn
    // (MAM-GC-03). mam-query-form still fails under it (MAM-FORM-06).
    id: "mam.form-refused",
    area: "mam",
    requirements: ["MAM-FORM-06"],
    description: "the request for the query form is answered with feature-not-implemented",
    fault: when(isForm, (el) => [refusal(el, "cancel", "feature-not-implemented")]),
  },
  {
    // Twenty-fourth audit: mam-groupchat-field proved "refuses fields it does not know" with a Clark-named field,
    // while include-groupchat is plainly named: a server refusing only unknown Clark-named fields, ignoring plain
    // ones and include-groupchat with them, took no alternative and failed MAM-GC-01, a MUST about servers that
    // understand the field, which this one does not. Now the unknown field is plainly named: fail (MAM-GC-01) ->
    // warn (unknown-fields-accepted, MAM-GC-01 not reached; MAM-GC-03: the field not supported).
    id: "mam.groupchat-field-clark-unknown-refused",
    area: "mam",
    requirements: ["MAM-GC-03"],
    description:
      "a query with a Clark-named field the server does not know is refused with feature-not-implemented, while plainly named unknown fields and 'include-groupchat' are ignored (the field is neither offered nor advertised)",
    stream: answering(
      (el) => {
        const q = queryOf(el);
        return Boolean(q && [...queryFields(q).keys()].some((name) => name.startsWith("{") && !KNOWN_FIELDS.includes(name)));
      },
      (answer) => (answer.attrs.type === "result" ? [refusal(answer, "cancel", "feature-not-implemented")] : "pass"),
    ),
  },
  {
    id: "mam.form-ids-not-open",
    area: "mam",
    requirements: ["MAM-FORM-07"],
    description: "the query form's 'ids' field is a plain list-multi: no XEP-0122 <validate/> marks the list open to the client's values",
    fault: when(isForm, (el) =>
      changed(el, (c) => {
        for (const f of fieldsOf(c)) if (f.attrs.var === "ids") f.children = f.children.filter((x) => typeof x === "string" || x.name !== "validate");
      }),
    ),
  },
  {
    // Class sweep (2026-11-26, X1): mam-ext-form judged "the list of all possible ids MUST NOT be provided" on a
    // fresh account's empty archive, where this server lists nothing: it now asks again once an id is archived.
    id: "mam.form-ids-listed",
    area: "mam",
    requirements: ["MAM-FORM-07"],
    description: "the query form's 'ids' field is marked open (XEP-0122 <validate><open/></validate>) but also lists every id of the user's archive as an <option/>",
    fault: (() => {
      const archived = new Map<string, Set<string>>();
      return (el: Element, ctx: FaultContext) => {
        const id = resultOf(el)?.attrs.id;
        const owner = bare(ctx.conn.jid);
        if (id !== undefined) archived.set(owner, (archived.get(owner) ?? new Set<string>()).add(String(id)));
        if (!isForm(el)) return "pass";
        return changed(el, (c) => {
          for (const f of fieldsOf(c)) {
            if (f.attrs.var !== "ids") continue;
            f.children = f.children.filter((x) => typeof x === "string" || x.name !== "validate");
            f.c("validate", { xmlns: "http://jabber.org/protocol/xdata-validate", datatype: "xs:string" }).c("open");
            for (const v of archived.get(owner) ?? []) f.c("option").c("value").t(v);
          }
        });
      };
    })(),
  },
  {
    id: "mam.form-custom-field-plain-name",
    area: "mam",
    requirements: ["MAM-FORM-09", "MAM-FORM-03"],
    description: "the query form offers a field of the server's own (a full-text search) named 'withtext', not in Clark notation",
    fault: when(isForm, (el) => changed(el, (c) => void c.getChild("query", MAM)!.getChild("x", DATA)!.c("field", { var: "withtext", type: "text-single" }))),
  },
  {
    // Twenty-fifth audit: mam-query-form judged MAM-FORM-03 (§4.1, MUST: naming "consistent with the format defined
    // in Field Standardization for Data Forms (XEP-0068)") as Clark notation, but XEP-0068 1.3.0 keeps existing
    // 'x-' names acceptable: such a field now warns MAM-FORM-09 (the Clark SHOULD) only: fail -> warn.
    id: "mam.form-custom-field-x-prefix",
    area: "mam",
    requirements: ["MAM-FORM-09"],
    description: "the query form offers a field of the server's own (a full-text search) named 'x-fulltext', with XEP-0068's old 'x-' prefix instead of Clark notation",
    fault: when(isForm, (el) => changed(el, (c) => void c.getChild("query", MAM)!.getChild("x", DATA)!.c("field", { var: "x-fulltext", type: "text-single" }))),
  },
  {
    // Twenty-fifth audit: mam-query-form proved MAM-FORM-06 (the mandatory fields) with the pattern of MAM-FORM-08
    // (their types), so a wrong type failed FORM-06 too and the form's other checks were not reached: this form,
    // which also marks 'with' required, left MAM-FORM-04 not reached. Now FORM-08 is an also: beside them:
    // fail (FORM-06, FORM-08; FORM-04 not reached) -> fail (FORM-08, FORM-04; FORM-06 pass).
    id: "mam.form-types-wrong-with-required",
    area: "mam",
    requirements: ["MAM-FORM-08", "MAM-FORM-04"],
    description: "the query form types 'with' as text-single and marks it <required/>",
    fault: when(isForm, (el) =>
      changed(el, (c) => {
        for (const f of fieldsOf(c)) {
          if (f.attrs.var === "with") {
            f.attrs.type = "text-single";
            f.c("required");
          }
        }
      }),
    ),
  },
  {
    id: "mam.unknown-field-ignored",
    area: "mam",
    requirements: ["MAM-FORM-11"],
    description: "a query with a form field the server does not know is run as if the field were not there, instead of refused with feature-not-implemented",
    stream: answering(
      (el) => {
        const q = queryOf(el);
        return Boolean(q && [...queryFields(q).keys()].some((name) => !KNOWN_FIELDS.includes(name)));
      },
      (answer) => (answer.attrs.type === "error" ? emptyFin(answer) : "pass"),
    ),
  },
  // Metadata (§5).
  {
    id: "mam.metadata-empty",
    area: "mam",
    requirements: ["MAM-META-02"],
    description: "archive metadata are always an empty <metadata/>, even when the archive holds messages",
    fault: when(
      (el) => el.name === "iq" && el.attrs.type === "result" && Boolean(el.getChild("metadata", MAM)?.getChild("start")),
      (el) => changed(el, (c) => (c.getChild("metadata", MAM)!.children = [])),
    ),
  },
  {
    id: "mam.metadata-invented",
    area: "mam",
    requirements: ["MAM-META-03"],
    description: "the metadata of an empty archive name a start and an end",
    fault: when(
      (el) => el.name === "iq" && el.attrs.type === "result" && el.getChild("metadata", MAM)?.children.length === 0,
      (el) =>
        changed(el, (c) => {
          const stamp = new Date().toISOString();
          c.getChild("metadata", MAM)!.c("start", { id: "none", timestamp: stamp }).up().c("end", { id: "none", timestamp: stamp });
        }),
    ),
  },
  {
    id: "mam.metadata-refused",
    area: "mam",
    requirements: ["MAM-META-02", "MAM-META-03"],
    description: "archive metadata queries are refused with feature-not-implemented: what a result would name is never shown",
    stream: answering(
      (el) => el.attrs.type === "get" && Boolean(el.getChild("metadata", MAM)),
      (el) => (el.attrs.type === "result" ? [refusal(el, "cancel", "feature-not-implemented")] : "pass"),
    ),
  },
  {
    // Eightieth audit (round 80): mam-ext-metadata warned MAM-META-01 only by its first metadata query, asked of an
    // empty archive; the later queries' refusals credited and warned nothing, so this server passed (MAM-META-01
    // pass). Each refusal now warns MAM-META-01 (old pass -> new warn).
    id: "mam.metadata-refused-when-filled",
    area: "mam",
    requirements: ["MAM-META-01"],
    description: "archive metadata are answered while the archive is empty (an empty <metadata/>), refused with internal-server-error once it holds messages",
    stream: answering(
      (el) => el.attrs.type === "get" && Boolean(el.getChild("metadata", MAM)),
      (el) => (el.attrs.type === "result" && (el.getChild("metadata", MAM)?.getChildElements().length ?? 0) > 0 ? [refusal(el, "wait", "internal-server-error")] : "pass"),
    ),
  },
  // Discovery (§7).
  {
    id: "mam.extended-without-mam",
    area: "mam",
    requirements: ["MAM-DISCO-03"],
    description: "the account's disco#info lists urn:xmpp:mam:2#extended but not urn:xmpp:mam:2",
    fault: when(
      (el) =>
        el.name === "iq" &&
        el.attrs.type === "result" &&
        Boolean(
          el
            .getChild("query", "http://jabber.org/protocol/disco#info")
            ?.getChildren("feature")
            .some((f) => f.attrs.var === `${MAM}#extended`),
        ),
      (el) =>
        changed(el, (c) => {
          const q = c.getChild("query", "http://jabber.org/protocol/disco#info")!;
          for (const f of q.getChildren("feature")) if (f.attrs.var === MAM) q.remove(f);
        }),
    ),
  },
  {
    id: "mam.archive-unadvertised",
    area: "mam",
    requirements: ["MAM-DISCO-01", "MAM-DISCO-02"],
    description: "the server answers queries of a user's archive but lists neither urn:xmpp:mam:2 nor #extended in any disco#info",
    fault: when(
      (el) => el.name === "iq" && el.attrs.type === "result" && String(el.attrs.from ?? "").includes("@") && Boolean(el.getChild("query", "http://jabber.org/protocol/disco#info")),
      (el) =>
        changed(el, (c) => {
          const q = c.getChild("query", "http://jabber.org/protocol/disco#info")!;
          q.children = q.children.filter((f) => typeof f === "string" || (f.attrs.var !== MAM && f.attrs.var !== `${MAM}#extended`));
        }),
    ),
  },
  {
    id: "mam.extended-unadvertised",
    area: "mam",
    requirements: ["MAM-FORM-02"],
    description: "the server honours before-id, after-id and ids but lists urn:xmpp:mam:2 without urn:xmpp:mam:2#extended in the disco#info of the user's bare JID",
    fault: when(
      (el) => el.name === "iq" && el.attrs.type === "result" && String(el.attrs.from ?? "").includes("@") && Boolean(el.getChild("query", "http://jabber.org/protocol/disco#info")),
      (el) =>
        changed(el, (c) => {
          const q = c.getChild("query", "http://jabber.org/protocol/disco#info")!;
          q.children = q.children.filter((f) => typeof f === "string" || f.attrs.var !== `${MAM}#extended`);
        }),
    ),
  },
  // The stanza-id the archive stamps (XEP-0313 §3.5, XEP-0359).
  {
    id: "sid.missing",
    area: "mam",
    requirements: ["MAM-SID-01"],
    description: "archived messages are delivered without the archive's <stanza-id/>",
    fault: (el, ctx) => withoutOwnStanzaIds(el, ctx) ?? "pass",
  },
  {
    // Twenty-first audit: sid-disco asked the account's disco#info without seeing it stamp anything, so a server
    // that stamps no stanza-id (XEP-0313 §3.5's MUST, sid-archived-message fails) and so rightly leaves
    // urn:xmpp:sid:0 out warned there on XEP-0359 §5's SHOULD as well (warn); the disco query now waits for a
    // delivered message with a <stanza-id/> by the account, and the case passes with SID-DISCO-01 not reached.
    id: "sid.none-assigned",
    area: "mam",
    requirements: ["MAM-SID-01"],
    description: "the account stamps no <stanza-id/> on the messages it archives, and does not announce urn:xmpp:sid:0",
    fault: (el, ctx) => withoutOwnStanzaIds(el, ctx) ?? withoutSidFeature(el, ctx),
  },
  {
    // Twenty-first audit: the positive control of SID-DISCO-01, which no fault cited: the account stamps its
    // stanza-ids but does not announce urn:xmpp:sid:0 (sid-disco warns, before and after the fix).
    id: "sid.disco-missing",
    area: "mam",
    requirements: ["SID-DISCO-01"],
    description: "the account stamps stanza-ids on the messages it archives but leaves urn:xmpp:sid:0 out of its disco#info",
    fault: withoutSidFeature,
  },
  {
    id: "sid.by-full-jid",
    area: "mam",
    requirements: ["MAM-SID-03", "SID-BR-07"],
    description: "the archive's <stanza-id/> names the receiving resource's full JID in 'by'",
    fault: (el, ctx) =>
      liveMessage(el, ctx) && stanzaIds(el).some((s) => s.attrs.by === bare(ctx.conn.jid))
        ? changed(el, (c) => {
            for (const s of stanzaIds(c)) if (s.attrs.by === bare(ctx.conn.jid)) s.attrs.by = String(ctx.conn.jid);
          })
        : "pass",
  },
  {
    id: "sid.without-by",
    area: "mam",
    requirements: ["SID-BR-05"],
    description: "the archive's <stanza-id/> has no 'by'",
    fault: (el, ctx) =>
      liveMessage(el, ctx) && stanzaIds(el).some((s) => s.attrs.by === bare(ctx.conn.jid))
        ? changed(el, (c) => {
            for (const s of stanzaIds(c)) if (s.attrs.by === bare(ctx.conn.jid)) delete s.attrs.by;
          })
        : "pass",
  },
  {
    id: "sid.with-child",
    area: "mam",
    requirements: ["SID-BR-06"],
    description: "the archive's <stanza-id/> carries a child element",
    fault: (el, ctx) =>
      liveMessage(el, ctx) && stanzaIds(el).some((s) => s.attrs.by === bare(ctx.conn.jid))
        ? changed(el, (c) => {
            for (const s of stanzaIds(c)) if (s.attrs.by === bare(ctx.conn.jid)) s.c("archive", { xmlns: "urn:xmpp-conform:test" });
          })
        : "pass",
  },
  {
    // Seventy-eighth audit (round 78): SID-BR-06's check was xc:children='exact', which counts child elements only,
    // so a <stanza-id/> with text content (XEP-0359 §3: "MUST NOT have any child elements or text content") passed
    // it; it is now xc:children='some' xc:absent=''. The archive's own stanza-id carries its id as text as well.
    // sid-archived-message, prosody 13: fail (SID-SEC-01 alone, SID-BR-06 pass) -> fail (SID-BR-06).
    id: "sid.with-text",
    area: "mam",
    requirements: ["SID-BR-06"],
    description: "the archive's <stanza-id/> carries its id as text content",
    fault: (el, ctx) =>
      liveMessage(el, ctx) && stanzaIds(el).some((s) => s.attrs.by === bare(ctx.conn.jid))
        ? changed(el, (c) => {
            for (const s of stanzaIds(c)) if (s.attrs.by === bare(ctx.conn.jid)) s.t(String(s.attrs.id ?? "x"));
          })
        : "pass",
  },
  {
    // Seventy-eighth audit (round 78): SID-BR-06's "MUST always possess an 'id' attribute" was not asked by its
    // check (only SID-BR-05 and MAM-SID-03 failed a <stanza-id/> without one); the check now refuses one.
    // sid-archived-message, prosody 13: fail (SID-BR-05, MAM-SID-03; SID-BR-06 pass) -> fail (SID-BR-06 too).
    id: "sid.without-id",
    area: "mam",
    requirements: ["SID-BR-06", "SID-BR-05"],
    description: "the archive's <stanza-id/> has no 'id'",
    fault: (el, ctx) =>
      liveMessage(el, ctx) && stanzaIds(el).some((s) => s.attrs.by === bare(ctx.conn.jid))
        ? changed(el, (c) => {
            for (const s of stanzaIds(c)) if (s.attrs.by === bare(ctx.conn.jid)) delete s.attrs.id;
          })
        : "pass",
  },
  {
    // Twenty-eighth audit: the same number live and in the archive (it broke stability too, SID-STABLE-01, when
    // only the live stamp was a number), and a page after one is answered as the archive would (ownIds): the form
    // is now judged on the archive's result for s1, after the page. It fails SID-SEC-01 (MUST) there.
    id: "sid.counter",
    area: "mam",
    requirements: ["SID-SEC-01", "SID-BR-01"],
    description: "stanza ids are the message's number in the archive (1, 2, 3, ...)",
    stream: (() => {
      let n = 0;
      return ownIds(() => String(++n));
    })(),
  },
  {
    // Twenty-eighth audit: the id's form is now judged on the archive's result for s1, after the page query, so
    // the ids are the same live and in the archive (as a server that stamps its archive ids would have them), and
    // a page after one of them is answered as the archive would (ownIds). It still fails SID-SEC-01 (MUST).
    id: "sid.timestamp",
    area: "mam",
    requirements: ["SID-SEC-01", "SID-BR-01"],
    description: "stanza ids are the time of archiving in microseconds since 1970: an observer reads when each message was stored",
    stream: (() => {
      let last = 0;
      return ownIds(() => String((last = Math.max(last + 1, Date.now() * 1000))));
    })(),
  },
  {
    // Twenty-eighth audit: sid-archived-message judged the id's form (SID-SEC-01, a MUST) on s1's live stamp, and a
    // failed MUST ends the case, so where the form fails (ejabberd's decimal microseconds, Prosody 13's version 7
    // UUIDs, both profiled at SID-SEC-01) the id's uniqueness, its use in <after/> and its stability were never
    // judged: a server whose archive returns s1 under another id than its stamp failed SID-SEC-01 alone, hidden by
    // the profile. The form is now judged last, on the archive's result; this archive (the auditor's: the live
    // stamp kept, the result under a microsecond timestamp of its own) fails XEP-0359 §2.1's "MUST NOT change
    // later" (SID-STABLE-01). Prosody 13: fail (SID-SEC-01; SID-STABLE-01 not reached) -> fail (SID-STABLE-01).
    id: "sid.archive-other-id",
    area: "mam",
    requirements: ["SID-STABLE-01"],
    description: "the archive returns each message under another id (a microsecond timestamp of its own) than the stanza-id it was delivered with",
    fault: (() => {
      let last = 0;
      const ids = new Map<string, string>();
      return (el: Element) => {
        const r = resultOf(el);
        if (r?.attrs.id === undefined) return "pass" as const;
        const id = String(r.attrs.id);
        if (!ids.has(id)) ids.set(id, String((last = Math.max(last + 1, Date.now() * 1000 + 999))));
        return changed(el, (c) => (resultOf(c)!.attrs.id = ids.get(id)!));
      };
    })(),
  },
  {
    id: "sid.time-ordered-uuid",
    area: "mam",
    requirements: ["SID-SEC-01"],
    description:
      "stanza ids are time-ordered UUIDs (version 7, RFC 9562: the time of archiving in milliseconds since 1970 in the first 48 bits, random bits after it): an observer reads when each message was stored",
    // The same UUID for the message live and in the archive: only the id's form changes (Twenty-eighth audit: a
    // page after one is answered as the archive would, ownIds, since the form is now judged after the page).
    stream: ownIds(() => {
      const time = Date.now().toString(16).padStart(12, "0");
      const random = randomUUID().replace(/-/g, "");
      return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(13, 16)}-${"89ab"[parseInt(random[16], 16) & 3]}${random.slice(17, 20)}-${random.slice(20)}`;
    }),
  },
  {
    id: "sid.same-id",
    area: "mam",
    requirements: ["SID-UNIQUE-01"],
    description: "every message gets the same stanza id",
    fault: (el, ctx) =>
      liveMessage(el, ctx) && stanzaIds(el).some((s) => s.attrs.by === bare(ctx.conn.jid))
        ? changed(el, (c) => {
            for (const s of stanzaIds(c)) if (s.attrs.by === bare(ctx.conn.jid)) s.attrs.id = "the-same-id";
          })
        : "pass",
  },
  {
    id: "sid.outgoing-leak",
    area: "mam",
    requirements: ["MAM-SID-04"],
    description: "messages a user sends reach the contact with the sender's archive <stanza-id/>",
    fault: (el, ctx) =>
      liveMessage(el, ctx) && String(el.attrs.from ?? "").includes("@")
        ? changed(el, (c) => {
            c.c("stanza-id", { xmlns: SID, by: bare(el.attrs.from), id: "sender-archive-id" });
          })
        : "pass",
  },
  {
    // Thirty-second audit: sid-outgoing-not-leaked and sid-forged-removed waited for the message only inside the
    // stanza-id checks, so a server that loses it failed XEP-0313 §3.5's "MUST NOT include the <stanza-id/>
    // element" (and XEP-0359 §3's "MUST delete that element") though it added no stanza-id; the delivery is now the
    // step's own row (RFC 6121's DELIVERY-MSG-BARE-1NN/chat), and the stanza-id rules are not reached.
    id: "sid.archiving-account-chat-lost",
    area: "mam",
    requirements: ["DELIVERY-MSG-BARE-1NN"],
    description: "a chat message from or to a user who asked to archive everything (XEP-0441 <prefs default='always'/>) reaches none of its recipient's resources",
    stream: archivingChatLost(),
  },
  {
    id: "sid.forged-kept",
    area: "mam",
    requirements: ["SID-BR-02", "SID-BR-04", "MAM-SID-02"],
    description: "a <stanza-id/> the sender put in with the recipient's bare JID as 'by' is delivered (beside the server's own)",
    stream: forgedKept(),
  },
  {
    id: "sid.no-prefs.forged-kept",
    area: "mam",
    requirements: ["SID-BR-02", "SID-BR-04"],
    description: "a server that offers no XEP-0441 preferences (XEP-0313 §8.1 lets it use another mechanism) and delivers a <stanza-id/> the sender put in with the recipient's bare JID as 'by'",
    stream: both(prefsRefused(), forgedKept()),
  },
  {
    // Twenty-second audit: sid-foreign-kept needed urn:xmpp:mam:2 on the account, though XEP-0359 §3's "SHOULD NOT
    // strip any elements qualified by the 'urn:xmpp:sid:0' namespace" binds a routing server with no archive too:
    // this one, which stamps nothing, was skipped (skip -> warn, SID-BR-03; SID-ORIGIN-01 not reached).
    id: "sid.no-mam.origin-stripped",
    area: "mam",
    requirements: ["SID-BR-03"],
    description:
      "a server without an archive (no urn:xmpp:mam: feature on the account, the XEP-0441 preferences refused, no <stanza-id/> of its own) strips the sender's <origin-id/> from the messages it routes",
    stream: withoutMam((el, ctx) =>
      liveMessage(el, ctx) && (el.getChild("origin-id", SID) || stanzaIds(el).some((s) => s.attrs.by === bare(ctx.conn.jid)))
        ? changed(el, (c) => {
            for (const s of stanzaIds(c)) if (s.attrs.by === bare(ctx.conn.jid)) c.remove(s);
            for (const o of c.getChildren("origin-id", SID)) c.remove(o);
          })
        : "pass",
    ),
  },
  {
    // Twenty-second audit, with sid-foreign-kept: sid-disco needed urn:xmpp:mam:2 on the account, though XEP-0359
    // §5 binds "An entity that follows the business rules" whether or not it archives (the case already asks only
    // an account that stamped one): this one, which stamps its ids without an advertised archive and leaves
    // urn:xmpp:sid:0 out, was skipped (skip -> warn, SID-DISCO-01).
    id: "sid.no-mam.disco-missing",
    area: "mam",
    requirements: ["SID-DISCO-01"],
    description: "an account that stamps stanza-ids on the messages it receives but advertises no urn:xmpp:mam: feature (its XEP-0441 preferences refused) leaves urn:xmpp:sid:0 out of its disco#info",
    stream: withoutMam((el, ctx) => withoutSidFeature(el, ctx)),
  },
  {
    // Twenty-seventh audit: sid-disco sent no forged stanza-id, so an account that stamps its own but keeps one
    // by the recipient's bare JID (breaking XEP-0359 §3's "MUST delete that element", the rule §5 names) and so
    // rightly leaves urn:xmpp:sid:0 out warned on §5's SHOULD (warn); bob's message now carries one, and the
    // case passes on the delivery with SID-DISCO-01 not reached (sid-forged-removed fails it on SID-BR-02).
    id: "sid.forged-kept.disco-missing",
    area: "mam",
    requirements: ["SID-BR-02", "SID-BR-04", "MAM-SID-02"],
    description: "a <stanza-id/> the sender put in with the recipient's bare JID as 'by' is delivered beside the server's own, and the account leaves urn:xmpp:sid:0 out of its disco#info",
    stream: both(forgedKept(), { element: withoutSidFeature }),
  },
  {
    // Twenty-seventh audit, with sid.forged-kept.disco-missing: Prosody keeps the forged stanza-id, so sid-disco
    // now takes 'kept' there and sid.disco-missing no longer reaches SID-DISCO-01 on it; this is the positive
    // control on Prosody: the forged element deleted (XEP-0359 §3 followed), the server's own kept, urn:xmpp:sid:0
    // left out (warn, before and after the fix).
    id: "sid.forged-removed.disco-missing",
    area: "mam",
    requirements: ["SID-DISCO-01"],
    description: "the account deletes a <stanza-id/> the sender put in with the recipient's bare JID as 'by' and stamps its own, but leaves urn:xmpp:sid:0 out of its disco#info",
    stream: both(forgedDeleted(), { element: withoutSidFeature }),
  },
  {
    id: "sid.origin-id-dropped",
    area: "mam",
    requirements: ["SID-ORIGIN-01"],
    description: "the server strips the sender's <origin-id/> when it adds its <stanza-id/>",
    fault: when(
      (el) => el.name === "message" && Boolean(el.getChild("origin-id", SID)),
      (el) => changed(el, (c) => c.remove(c.getChild("origin-id", SID)!)),
    ),
  },
  {
    // Thirty-third audit: mam-muc-access-refused's gate (MAM-MUC-STORE-01) also asked for queryid='q0' (MAM-RES-02),
    // so a room whose results lack 'queryid' and which pushes carol bob's stored result beside her IQ error got only
    // a STORE-01 warning (ACCESS-01/02 not reached). The fixed gate matches on the body, so the leak fails ACCESS-0x.
    id: "mam-muc-noqueryid-leak",
    area: "mam",
    requirements: ["MAM-MUC-ACCESS-01", "MAM-MUC-ACCESS-02"],
    description: "MAM results lack 'queryid'; a refused querier (IQ error) is also sent the last stored room result",
    fault: (() => {
      let stored: Element | undefined;
      return (el: Element) => {
        if (resultOf(el)) {
          const c = copyOf(el);
          delete resultOf(c)!.attrs.queryid;
          stored = c;
          return [c];
        }
        if (stored && el.name === "iq" && el.attrs.type === "error" && el.attrs.id === "q1") {
          const leak = copyOf(stored);
          leak.attrs.to = el.attrs.to;
          return [leak, el];
        }
        return "pass";
      };
    })(),
  },
  {
    // Thirty-third audit: mam-query-results asked with bob's full JID as 'with', so its MAM-ARCH-01 gate (and every
    // MUST behind it) needed full-JID matching (§4.1.1, mam-query-with-full's): this server archives the message
    // but its full-JID 'with' finds nothing, and got an ARCH-01 warning with RES-0x/FIN-01 not reached. The fixed
    // case asks without 'with' and passes; mam-query-with-full still fails it (MAM-FORM-01).
    id: "mam-with-full-finds-nothing",
    area: "mam",
    requirements: ["MAM-FORM-01"],
    description: "a query whose 'with' is a full JID returns no results and an empty RSM <set/> (the message is archived)",
    stream: onQueries(
      (q) =>
        q
          .getChild("x", "jabber:x:data")
          ?.getChildren("field")
          .some((f) => f.attrs.var === "with" && (f.getChildText("value") ?? "").includes("/")) ?? false,
      (_results, fin) =>
        changed(fin, (c) => {
          const set = c.getChild("fin", MAM)?.getChild("set", "http://jabber.org/protocol/rsm");
          if (set) set.children = [];
        }),
    ),
  },
  {
    // Fifty-first audit (2026-11-28): mam-ext-advertised: a server that answers the after-id query with an IQ result
    // and no results at all matched none of its outcomes and failed MAM-FORM-02 (the feature's advertisement),
    // a rule it does not break (it breaks §4.1.5's MAM-FORM-11, or §7's MAM-EXT-01 where it advertises the feature).
    // The outcome no-results credits nothing: fail -> MAM-FORM-02 not reached on Prosody 13.
    id: "mam.after-id-no-results",
    area: "mam",
    requirements: ["MAM-FORM-11"],
    description: "a query with an after-id field succeeds with no results (its IQ result kept) instead of the page after that id or feature-not-implemented",
    fault: (el) => (el.name === "message" && resultOf(el)?.attrs.queryid === "qx" ? "drop" : "pass"),
  },
  {
    // Class sweep (2026-11-28, group S2): mam-disco: a server with no archive for the user that never answers her
    // query of it breaks RFC 6120's IQ rule (STANZA-IQ-01), not XEP-0313 §7 (which binds an entity that "hosts
    // archives and supports MAM queries"); the case judged it as MAM-DISCO-01.
    id: "mam.query-unanswered",
    area: "mam",
    requirements: ["STANZA-IQ-01"],
    description: "the server answers no query of a user's own archive (neither results nor the <iq/> answer) and lists neither urn:xmpp:mam:2 nor #extended in any disco#info",
    stream: both(
      unansweredUnlisted(
        (el, ctx) => el.attrs.type === "set" && Boolean(el.getChild("query", MAM)) && (el.attrs.to === undefined || bare(String(el.attrs.to)) === bare(ctx.conn.jid)),
        [MAM, `${MAM}#extended`],
      ),
      { element: (el) => (el.name === "message" && el.getChild("result", MAM) ? "drop" : "pass") },
    ),
  },
  {
    // Sixty-first audit (class note 3 of report E2b, the user archive's share): a query whose results came but whose
    // <iq/> answer never did failed MAM-USER-01 (the archive exposed to the user), though the results showed it; the
    // answer is RFC 6120 §8.2.3's, and the archive steps now say `unanswered: STANZA-IQ-01`.
    id: "mam.own-query-answer-dropped",
    area: "mam",
    requirements: ["STANZA-IQ-01"],
    description: "a query of the user's own archive gets its results but never the <iq/> answer that ends it",
    stream: answering(
      (el, ctx) => el.attrs.type === "set" && Boolean(el.getChild("query", MAM)) && (el.attrs.to === undefined || bare(String(el.attrs.to)) === bare(ctx.conn.jid)),
      () => "drop",
    ),
  },
  {
    // Sixtieth audit (2026-11-28): class note 1 of mam-query-results (group F-E4b): the archive cases judged the
    // archiving (MAM-ARCH-01, "not archived") on a query's result messages before the query's answer, so a server
    // that cannot serve its user's archive once it holds messages (an error for the query, no result) was charged
    // with the archiving SHOULD as well as (or, where the case asked no answer, instead of) §3.3.1's MUST. The
    // answer is now judged first: MAM-USER-01 alone fails.
    id: "mam.own-query-with-results-refused",
    area: "mam",
    requirements: ["MAM-USER-01"],
    description:
      "a query of the user's own archive (no 'to', or the user's bare JID) that would return results is answered with internal-server-error and none of its results (an empty one is answered as usual)",
    stream: ownQueryWithResultsRefused(),
  },
  {
    // Seventy-sixth audit (round 76), report-G2: mam-query-without-with charged an error to its query with both
    // 'start' and 'end' (q1) to MAM-USER-01 (§3.3.1, the archive exposed on the bare JID), though two queries to the
    // same bare JID were answered before it; what such a refusal breaks is §4.1's "MUST be supported by servers"
    // (MAM-FORM-01). Now, on Prosody 13 and ejabberd 24.12: fail (MAM-USER-01; MAM-FORM-01 pass) -> fail (MAM-FORM-01).
    id: "mam.start-end-refused",
    area: "mam",
    requirements: ["MAM-FORM-01"],
    description: "a MAM query whose form carries both 'start' and 'end' is answered with bad-request and none of its results (queries with one of them, or neither, are answered as usual)",
    stream: onQueries(
      (q) => queryFields(q).has("start") && queryFields(q).has("end"),
      (_results, fin) => [refusal(fin, "modify", "bad-request")],
    ),
  },
  {
    // Sixtieth audit (2026-11-28), the same for mam-ext-form, which Prosody fails on MAM-FORM-07 (no <validate/> on
    // 'ids') before its query: the change shows on a server whose form is right.
    id: "mam.own-query-with-results-refused.ids-open",
    area: "mam",
    requirements: ["MAM-USER-01"],
    description:
      "the query form's 'ids' field is marked open (XEP-0122 <validate><open/></validate>), but a query of the user's own archive that would return results is answered with internal-server-error and none of its results",
    stream: both(ownQueryWithResultsRefused(), {
      element: (el) =>
        isForm(el)
          ? changed(el, (c) => {
              for (const f of fieldsOf(c)) {
                if (f.attrs.var !== "ids") continue;
                f.children = f.children.filter((x) => typeof x === "string" || x.name !== "validate");
                f.c("validate", { xmlns: "http://jabber.org/protocol/xdata-validate", datatype: "xs:string" }).c("open");
              }
            })
          : "pass",
    }),
  },
  {
    // Sixtieth audit (2026-11-28): mam-query-results (group F-E4): a query of the user's own archive left unanswered
    // (RFC 6120 §8.2.3's breach) with the features still listed, so `needs: [mam]` does not skip (mam.query-unanswered
    // lists none). The case judged the archiving (MAM-ARCH-01, "not archived") on the missing results before the
    // query's answer, a warning beside MAM-USER-01's failure; the answer is now judged first: MAM-USER-01 alone fails.
    id: "mam.own-query-unanswered-listed",
    area: "mam",
    requirements: ["MAM-USER-01", "STANZA-IQ-01"],
    description: "a query of the user's own archive (no 'to', or the user's bare JID) gets neither its result messages nor the <iq/> answer; urn:xmpp:mam:2 is still listed",
    stream: (() => {
      const queries = onQueries(
        () => true,
        () => [],
      );
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          if (el.attrs.to === undefined || bare(String(el.attrs.to)) === bare(ctx.conn.jid)) queries.fromClient!(el, ctx);
        },
        element: queries.element,
      };
    })(),
  },
];

/** The element in its namespace moved to the prefix `m` declared on it (its children keep their own namespaces). */
function prefixed(el: Element): void {
  el.attrs["xmlns:m"] = el.attrs.xmlns;
  delete el.attrs.xmlns;
  el.name = `m:${el.name}`;
}

/** urn:xmpp:mam:2#groupchat-field added to the features of an account's disco#info result that lists urn:xmpp:mam:2. */
function withGroupchatFieldFeature(el: Element): ReturnType<NonNullable<StreamFault["element"]>> {
  const q = el.name === "iq" && el.attrs.type === "result" ? el.getChild("query", "http://jabber.org/protocol/disco#info") : undefined;
  const features = q?.getChildren("feature").map((f) => f.attrs.var) ?? [];
  if (!features.includes(MAM) || features.includes(`${MAM}#groupchat-field`)) return "pass";
  return changed(el, (c) => void c.getChild("query", "http://jabber.org/protocol/disco#info")!.c("feature", { var: `${MAM}#groupchat-field` }));
}

/** What a correct server may do differently; no verdict may change. */
export const VARIATIONS: Variation[] = [
  {
    // Forty-sixth audit (2026-11-27): rsm-forward took the first page's one result (<max>1</max>, no <after/>) to be
    // p1, the first of bob's messages an unfiltered query found, though the archive may hold an older one (§6.1.1 "a
    // server SHOULD include in a user archive all of the messages a user sends or receives of type 'normal' or 'chat'
    // that contain a <body> element"; a deployment's welcome message is one): MAM-PAGE-01 and MAM-ORDER-02 failed at
    // MUST. The first page is now the first result of a second unpaged query (on Prosody 13: fail -> pass). The
    // message goes through the server, which archives it: it needs what clients send seen (`stream`), so only
    // bench/try-case.ts applies it.
    id: "mam-welcome-message-archived",
    description:
      "each account gets a message of type 'normal' with a body (a welcome) when its first session sends initial presence, before anything else the case does, and the server archives it: the account's archive holds it before the case's messages",
    fault: () => "pass",
    stream: welcomeArchived(),
  },
  {
    // Seventy-third audit (round 73): rsm-index took index 1 for p2, the second of the case's three messages, and
    // index 5 for past the end, so with older messages in the archive (a welcome) a server serving pages by index
    // rightly sent p1 for index 1 and warned RSM-INDEX-03. The page is now the full set's item at index 1 (the second
    // result of an unpaged query), and past the end is index 1000000. Stream-only. Old -> new file on Prosody 13: inside
    // warn -> pass, past-end warn -> pass (ejabberd 24.12 refuses <index/> itself: pass -> pass).
    id: "mam-welcome-index-pages",
    description: "pages are served by <index/> (XEP-0059 §2.6), and each account's archive holds a welcome message before the case's messages (as mam-welcome-message-archived)",
    fault: () => "pass",
    stream: (() => {
      const welcome = welcomeArchived();
      const pages = pagesByIndex({ indexOffset: 0, pastEnd: "empty" });
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          welcome.fromClient!(el, ctx);
          pages.fromClient!(el, ctx);
        },
        element: pages.element,
      };
    })(),
  },
  {
    // Forty-fifth audit: mam-archive-blocked's absences matched any result whose forwarded message had bob's body,
    // the error bounce the server sent bob included (XEP-0191 §3.3 "For message stanzas, the server SHOULD return an
    // error", Example 9 with the <body/>), which §6.1.1 "A server MAY include additional non-conversation messages."
    // lets it keep: MAM-ARCH-07 warned though bob's message was rejected and kept out. The absences now ask for a
    // message without <error/>: warn -> pass. It needs the bounce seen (`stream`): only bench/try-case.ts applies it.
    id: "mam-blocked-bounce-archived",
    description:
      "a server keeps, in the user's archive, an error bounce (the rejected message's <body/> and an <error/>, from the user to the sender) for each message of a contact the user blocked: each later query of the user's archive gets it as a result",
    fault: () => "pass",
    stream: (() => {
      const bounces = new Map<string, Element[]>(); // the rejecting user's bare JID -> the bounces kept
      const blocks = new Map<string, Set<string>>(); // user -> the bare JIDs it blocked
      const queries = onQueries(
        () => true,
        (results, fin, query, ctx) => [...results, ...(bounces.get(bare(ctx.conn.jid) ?? "") ?? []).map((b, i) => result(ctx.conn.jid!, query.attrs.queryid, `bounce-${i}-${randomUUID()}`, b)), fin],
      );
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          const user = bare(ctx.conn.jid) ?? "";
          const block = el.name === "iq" && el.attrs.type === "set" ? el.getChild("block", "urn:xmpp:blocking") : undefined;
          for (const item of block?.getChildren("item") ?? []) blocks.set(user, (blocks.get(user) ?? new Set<string>()).add(bare(String(item.attrs.jid)) ?? ""));
          const to = bare(String(el.attrs.to ?? "")) ?? "";
          const body = el.name === "message" && el.attrs.type !== "error" ? el.getChildText("body") : null;
          if (body !== null && blocks.get(to)?.has(user)) {
            const bounce = new Element("message", { type: "error", from: to, to: String(ctx.conn.jid), ...(el.attrs.id && { id: el.attrs.id }) });
            bounce.c("body").t(body).up().c("error", { type: "cancel" }).c("service-unavailable", { xmlns: STANZAS });
            bounces.set(to, [...(bounces.get(to) ?? []), bounce]);
          }
          queries.fromClient!(el, ctx);
        },
        element: queries.element,
      };
    })(),
  },
  {
    // Twenty-seventh audit: mam-ext-unknown-id and rsm-unknown-uid also asked, at MUST, that no result message of
    // the query come, though XEP-0313 §4.1.3 and §4.3.2 ask only that the server "return an item-not-found error
    // in response to the query": a server that did was failed. The step is gone (fail -> pass, Prosody 0.12, the
    // cells whose unknown id it answers with item-not-found). It needs to see the query (`stream`).
    id: "mam-results-before-not-found",
    description:
      'a query naming an id the archive does not have gets a result message of an earlier message before its item-not-found error (XEP-0313 §4.1.3 and §4.3.2: "the server MUST return an item-not-found error in response to the query", nothing more)',
    fault: () => "pass",
    stream: resultsBeforeNotFound(),
  },
  {
    // Twenty-fourth audit: mam-groupchat-field warned MAM-GC-03 ("RECOMMENDED that servers support it") unless the
    // query form listed include-groupchat, though its own 'accepted' outcome shows support another way. Now support
    // is either: the form lists it, or an unknown field is refused while a query with include-groupchat is run.
    // On ejabberd (which refuses unknown fields): warn -> pass. It adds support ejabberd lacks (a query with
    // include-groupchat answered), so it acts only where bench/try-case.ts applies it (`stream`): in the run of
    // every variation at once the feature alone would be advertised, and over the domain's caps hash.
    id: "mam-groupchat-field-supported-unlisted",
    only: "ejabberd",
    description:
      "a query with 'include-groupchat' is run and urn:xmpp:mam:2#groupchat-field is advertised, while the query form does not list the field (XEP-0313 §4.1.5's \"The server replies with all the form fields it supports\" has no keyword; §7 asks only for the feature)",
    fault: () => "pass",
    stream: both(
      answering(
        (el) => {
          const q = queryOf(el);
          return Boolean(q && queryFields(q).has("include-groupchat"));
        },
        (answer) => (answer.attrs.type === "error" ? emptyFin(answer) : "pass"),
      ),
      { element: withGroupchatFieldFeature },
    ),
  },
  {
    // Fifty-second audit (2026-11-28): mam-groupchat-field: a server that advertises urn:xmpp:mam:2#groupchat-field
    // (XEP-0313 §4.1.4 defines support by it), runs a query with include-groupchat, but neither lists the field in
    // its form nor refuses an unknown field (MAM-FORM-11's fault, mam-query-unknown-field's) was warned on MAM-GC-03.
    // Prosody runs every query, so only the feature is added. On Prosody 13: warn -> pass. As the ejabberd twin, it
    // acts only where bench/try-case.ts applies it (`stream`).
    id: "mam-groupchat-field-advertised",
    only: "Prosody",
    description:
      "urn:xmpp:mam:2#groupchat-field is advertised and a query with 'include-groupchat' is run, while the query form does not list the field and an unknown field is not refused (XEP-0313 §4.1.4: support is what a server advertises)",
    fault: () => "pass",
    stream: { element: withGroupchatFieldFeature },
  },
  {
    // Twenty-ninth audit: mam-query-form required type='text-single' on the query form's 'start' and 'end' (§4.1.5
    // "the types of these fields MUST be 'jid-single', 'text-single' and 'text-single' respectively.", MAM-FORM-08),
    // though XEP-0004 §3.2 makes an absent 'type' in a form text-single ("If the 'type' attribute is absent, the
    // default of "text-single" is to be applied"): a form leaving it out failed MUST. Now absent or text-single:
    // fail -> pass ('with' keeps jid-single, which an absent type is not).
    id: "mam-form-start-end-untyped",
    description: "the query form's 'start' and 'end' fields carry no 'type' attribute (XEP-0004 §3.2: in a form, an absent 'type' is text-single, what XEP-0313 §4.1.5 asks)",
    fault: when(isForm, (el) =>
      changed(el, (c) => {
        for (const f of fieldsOf(c)) if (f.attrs.var === "start" || f.attrs.var === "end") delete f.attrs.type;
      }),
    ),
  },
  {
    id: "mam-prefixed",
    description: "the MAM <result/> and <fin/> are written with a namespace prefix (XML Namespaces: an element is its namespace and local name)",
    fault: when(
      (el) => Boolean(resultOf(el) ?? finOf(el)),
      (el) => changed(el, (c) => prefixed((resultOf(c) ?? finOf(c))!)),
    ),
  },
  {
    id: "mam-count",
    description:
      'the RSM <set/> of a page carries a <count/> where it had none, and none where it had one (XEP-0313 §4.3.2: "a server MAY include them"; XEP-0059 §2.2: the count "MAY be approximate")',
    fault: when(
      (el) => Boolean(setOf(el)),
      (el) => changed(el, (c) => (setOf(c)!.getChild("count") ? setOf(c)!.remove("count") : setOf(c)!.c("count").t("3"))),
    ),
  },
  {
    // Thirty-fifth audit: rsm-first-index now judges RSM-INDEX-02 only where the first page starts at the first
    // result of an unpaged query; this is the server whose index there is right (pass, RSM-INDEX-02 pass, before and
    // after). It needs to see the query (`stream`).
    id: "rsm-first-page-index-zero",
    description:
      "the <first/> of a query's first page (no <after/>, <before/> or <index/>) carries index='0' (XEP-0059 §2.2: \"The <first/> element SHOULD include an 'index' attribute\"; XEP-0313 §4.3.2: \"a server MAY include them\")",
    fault: () => "pass",
    stream: onQueries(firstPageQuery, (results, fin) => {
      const first = setOf(fin)?.getChild("first");
      if (!first || first.attrs.index !== undefined) return [...results, fin];
      const out = copyOf(fin);
      setOf(out)!.getChild("first")!.attrs.index = "0";
      return [...results, out];
    }),
  },
  {
    // Fifty-ninth audit (2026-11-28): rsm-index compared the 'index' of the page's <first/> (xs:int in XEP-0059's
    // schema) literally with '1', so a server writing it '01' failed RSM-INDEX-04 at MUST. Stream-only.
    id: "rsm-index-padded",
    description: "pages are served by <index/> and the <first/>'s 'index' is written with a leading zero ('01' for 1: the same xs:int, XEP-0059's schema)",
    fault: () => "pass",
    stream: pagesByIndex({ indexOffset: 0, pastEnd: "empty", indexText: (n) => String(n).padStart(2, "0") }),
  },
  {
    // Fifty-ninth audit (2026-11-28): rsm-index took only the exact item at the index for the page by <index/>, so a
    // server deriving the first UID approximately (XEP-0059 §2.6: "the method used MAY be approximate") warned
    // RSM-INDEX-03. Stream-only.
    id: "rsm-index-approximate",
    description: "pages are served by <index/>, derived approximately: an index inside the set starts one item later (the last at most), the <first/>'s 'index' the request's",
    fault: () => "pass",
    stream: pagesByIndex({ indexOffset: 0, pastEnd: "empty", skew: 1 }),
  },
  {
    // Fifty-ninth audit (2026-11-28): rsm-first-index compared the first page's 'index' literally with '0' and
    // rsm-count/rsm-first-index the <count/> with \d+; both are xs:int in XEP-0059's schema, so '+0' and '+3' are
    // the same values. Stream-only.
    id: "rsm-signed-index-count",
    description:
      "the <first/> of a query's first page (no <after/>, <before/> or <index/>) carries index='+0', and every page's <set/> a <count/> written with a '+' ('+3' where it had none; the same xs:int values, XEP-0059's schema; the count \"MAY be approximate\")",
    fault: () => "pass",
    stream: onQueries(
      () => true,
      (results, fin, query) => {
        const set = setOf(fin);
        if (!set) return [...results, fin];
        const out = copyOf(fin);
        const outSet = setOf(out)!;
        const first = outSet.getChild("first");
        if (first && firstPageQuery(query)) first.attrs.index = "+0";
        const count = outSet.getChild("count");
        if (count) count.children = [`+${count.getText().trim()}`];
        else outSet.c("count").t("+3");
        return [...results, out];
      },
    ),
  },
  {
    id: "mam-stable-true",
    description: "<fin/> says stable='true' (XEP-0313 §4.3.2: data the server knows stable carry stable='true' or no such attribute)",
    fault: when(
      (el) => Boolean(finOf(el)) && finOf(el)!.attrs.stable === undefined,
      (el) => changed(el, (c) => (finOf(c)!.attrs.stable = "true")),
    ),
  },
  {
    id: "mam-complete-false",
    only: "Prosody",
    description: "a page that is not the last says complete='false' instead of leaving the attribute out (XEP-0313 §4.3.2 allows either)",
    fault: when(
      (el) => Boolean(finOf(el)) && finOf(el)!.attrs.complete === undefined,
      (el) => changed(el, (c) => (finOf(c)!.attrs.complete = "false")),
    ),
  },
  {
    id: "mam-result-from-bare",
    description:
      "result messages come from the user's bare JID where they had no 'from', and without one where they had it (RFC 6120 §8.1.2.1: what the server sends on behalf of the account has no 'from' or the bare JID)",
    fault: (el, ctx) =>
      resultOf(el)
        ? changed(el, (c) => {
            if (c.attrs.from === undefined) c.attrs.from = bare(ctx.conn.jid);
            else delete c.attrs.from;
          })
        : "pass",
  },
  {
    // Twenty-eighth audit: sid-archived-message refused (SID-SEC-01, MUST; SID-BR-01) any decimal id of 10, 13, 16 or
    // 19 digits starting 15 to 22, as a time in s, ms, µs or ns from 2017 to 2040, whatever its source: 8 % of
    // random 63-bit numbers. XEP-0359 §6 refuses what lets an observer "infer any information", and nothing can be
    // inferred from a random number; the window is now a year either side of the run's clock ({epoch-now}). The
    // ids here are random 63-bit numbers drawn from a CSPRNG, kept to draws the old window refused and that read
    // as a time more than a year before any run from 2026 on (ns up to 2025-06), so that the change shows every time: Prosody 0.12, old fail (SID-SEC-01; SID-BR-01 warn) -> new warn (SID-UUID-01, as
    // without it: its ids are no UUIDs either). It needs to see the page query (`stream`).
    id: "sid-random-decimal",
    description:
      'stanza ids are random 63-bit numbers written in decimal, the same live and in the archive (XEP-0359 §6: "Entities observing the value MUST NOT be able to infer any information from it", and a random number tells nothing)',
    fault: () => "pass",
    stream: ownIds(() => {
      for (;;) {
        const n = randomBytes(8).readBigUInt64BE() >> 1n;
        if (n >= 1_500_000_000_000_000_000n && n < 1_750_000_000_000_000_000n) return String(n);
      }
    }),
  },
  {
    id: "sid-last-and-foreign",
    description: "live messages carry the archive's <stanza-id/> as their last child, after another entity's stanza-id (XEP-0359 §3: at most one per 'by'; the order of children is free)",
    fault: (el, ctx) => {
      if (!liveMessage(el, ctx) || !stanzaIds(el).some((s) => s.attrs.by === bare(ctx.conn.jid))) return "pass";
      return changed(el, (c) => {
        const mine = stanzaIds(c).find((s) => s.attrs.by === bare(ctx.conn.jid))!;
        c.remove(mine);
        c.c("stanza-id", { xmlns: SID, by: "room@conference.example.org", id: "other-entity-id" }).up().cnode(mine);
      });
    },
  },
  {
    id: "mam-delay-from",
    description: "the result's <delay/> carries a 'from', the server's domain (XEP-0203: 'from' is optional)",
    fault: (el, ctx) =>
      resultOf(el)?.getChild("forwarded", FORWARD)?.getChild("delay", "urn:xmpp:delay")
        ? changed(el, (c) => {
            resultOf(c)!.getChild("forwarded", FORWARD)!.getChild("delay", "urn:xmpp:delay")!.attrs.from = String(ctx.conn.jid).split("@")[1]?.split("/")[0] ?? "";
          })
        : "pass",
  },
];

/**
 * A server that cannot serve its user's own archive once it holds messages (Sixtieth audit, 2026-11-28): a query with
 * no 'to' or to the user's bare JID that would return results gets none of them and internal-server-error for its
 * answer (an empty one is answered as usual).
 */
function ownQueryWithResultsRefused(): StreamFault {
  const queries = onQueries(
    () => true,
    (results, fin) => (results.length > 0 ? [refusal(fin, "wait", "internal-server-error")] : [fin]),
  );
  return {
    fromClient: (el, ctx) => {
      if (el.attrs.to === undefined || bare(String(el.attrs.to)) === bare(ctx.conn.jid)) queries.fromClient!(el, ctx);
    },
    element: queries.element,
  };
}
