import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { STANZAS, answering, both, changed, copyOf, nodeNeverCreated, when, type FaultDef } from "../fault-kit.ts";
import { bare, type FaultContext, type StreamFault } from "../fault-proxy.ts";
import type { Variation } from "../variations.ts";

const PUBSUB = "http://jabber.org/protocol/pubsub";
const EVENT = "http://jabber.org/protocol/pubsub#event";
const DISCO_INFO = "http://jabber.org/protocol/disco#info";
const BOOKMARKS = "urn:xmpp:bookmarks:1";
/** The node the XEP-0223 cases store their private data in. */
const PSTORE = "urn:xmpp-conform:pstore";

const pubsubOf = (el: Element) => (el.name === "iq" ? el.getChild("pubsub", PUBSUB) : undefined);
const publishOf = (el: Element) => (el.attrs.type === "set" ? pubsubOf(el)?.getChild("publish") : undefined);
const withOptions = (el: Element) => Boolean(pubsubOf(el)?.getChild("publish-options"));
const publishTo = (node: string) => (el: Element) => publishOf(el)?.attrs.node === node;
const retractOf = (el: Element) => (el.attrs.type === "set" ? pubsubOf(el)?.getChild("retract") : undefined);
const itemsRequest = (el: Element) => el.attrs.type === "get" && Boolean(pubsubOf(el)?.getChild("items"));
/** Addressed to an account other than the sender's own (a bare JID with a localpart). */
const toOtherAccount = (el: Element, { conn }: FaultContext) => {
  const to = String(el.attrs.to ?? "");
  return to.includes("@") && !to.includes("/") && to !== bare(conn.jid);
};
const errorTo = (el: Element, condition: string, type = "cancel") => [
  xml("iq", { type: "error", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from }, xml("error", { type }, xml(condition, { xmlns: STANZAS }))),
];
const isResult = (el: Element) => el.attrs.type === "result";
/** XEP-0060 §6.5.9.4's answer to an items request of a node (or service) that keeps no items. */
const noPersistentItems = (el: Element) => [
  xml(
    "iq",
    { type: "error", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from },
    xml("error", { type: "cancel" }, xml("feature-not-implemented", { xmlns: STANZAS }), xml("unsupported", { xmlns: `${PUBSUB}#errors`, feature: "persistent-items" })),
  ),
];
/** Every items request of the harness's private-data node gets that answer. */
const pstoreKeepsNoItems = () => answering((el) => itemsRequest(el) && pubsubOf(el)?.getChild("items")?.attrs.node === PSTORE, noPersistentItems);
const eventItems = (el: Element) => (el.name === "message" ? el.getChild("event", EVENT)?.getChild("items") : undefined);

/**
 * The node each other-account items request asked for (by connection and id): a leaking server answers it with
 * an item of that node.
 */
const askedNode = new Map<string, string>();

/** Per connection: the bookmark items notified so far, by id (a server that re-announces them with each change). */
const notifiedBookmarks = new Map<unknown, Map<string, Element>>();

/** Per connection: the items of the first bookmark notification, which was withheld (a server that re-announces them later). */
const withheldBookmarks = new Map<unknown, Element[]>();

/**
 * Nodes of the harness's own (PSTORE) that a publish without publish-options created are transient: an items
 * retrieval of one gets XEP-0060 §6.5.9.4's error instead of the items (per account; a publish with options keeps them).
 */
function transientDefaultNodes(): StreamFault {
  const transient = new Set<string>();
  const publishes = new Map<string, boolean>();
  const gets = new Set<string>();
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${String(id)}`;
  return {
    fromClient: (el, ctx) => {
      if (el.name !== "iq") return;
      if (publishTo(PSTORE)(el)) publishes.set(key(ctx, el.attrs.id), !withOptions(el));
      else if (itemsRequest(el) && pubsubOf(el)!.getChild("items")!.attrs.node === PSTORE && !toOtherAccount(el, ctx)) gets.add(key(ctx, el.attrs.id));
    },
    element: (el, ctx) => {
      if (el.name !== "iq" || (el.attrs.type !== "result" && el.attrs.type !== "error")) return "pass";
      const k = key(ctx, el.attrs.id);
      const account = bare(ctx.conn.jid);
      if (publishes.has(k)) {
        if (isResult(el)) {
          if (publishes.get(k)) transient.add(account);
          else transient.delete(account);
        }
        publishes.delete(k);
        return "pass";
      }
      if (!gets.delete(k) || !isResult(el) || !transient.has(account)) return "pass";
      return noPersistentItems(el);
    },
  };
}

/** Bookmark retracts answered but not carried out: per account, the retracted items (as published) shown still there. */
function retractIgnored(): StreamFault {
  const published = new Map<string, Map<string, Element>>();
  const kept = new Map<string, Map<string, Element>>();
  const of = (m: Map<string, Map<string, Element>>, k: string) => m.get(k) ?? m.set(k, new Map()).get(k)!;
  return {
    fromClient: (el, ctx) => {
      const account = bare(ctx.conn.jid);
      const pub = publishOf(el);
      if (pub?.attrs.node === BOOKMARKS) for (const item of pub.getChildren("item")) of(published, account).set(String(item.attrs.id), copyOf(item));
      const retract = retractOf(el);
      if (retract?.attrs.node === BOOKMARKS)
        for (const item of retract.getChildren("item")) {
          const id = String(item.attrs.id);
          of(kept, account).set(id, published.get(account)?.get(id) ?? xml("item", { id }));
        }
    },
    element: (el, ctx) => {
      const ghosts = kept.get(bare(ctx.conn.jid));
      if (!ghosts?.size) return "pass";
      const events = eventItems(el);
      if (events?.attrs.node === BOOKMARKS && events.getChildren("retract").some((r) => ghosts.has(String(r.attrs.id)))) return "drop";
      const items = isResult(el) ? pubsubOf(el)?.getChild("items") : undefined;
      if (items?.attrs.node !== BOOKMARKS) return "pass";
      return changed(el, (c) => {
        const list = pubsubOf(c)!.getChild("items")!;
        for (const [id, item] of ghosts) if (!list.getChildren("item").some((x) => x.attrs.id === id)) list.children.push(copyOf(item));
      });
    },
  };
}

/**
 * The unified copies of a bookmark published to urn:xmpp:bookmarks:1 (the 'storage:bookmarks' PEP node, XEP-0049
 * private storage) written 1 s after the publish's result: a read within that second is answered without them.
 * Stream-only: it must see the publish.
 */
function compatCopiesLate(): StreamFault {
  const publishes = new Map<string, string>();
  const published = new Map<string, number>();
  return {
    fromClient: (el, ctx) => {
      if (el.name === "iq" && publishTo(BOOKMARKS)(el)) publishes.set(`${ctx.conn.id} ${String(el.attrs.id)}`, bare(ctx.conn.jid));
    },
    element: (el, ctx) => {
      if (el.name !== "iq" || !isResult(el)) return "pass";
      const key = `${ctx.conn.id} ${String(el.attrs.id)}`;
      const account = publishes.get(key);
      if (account !== undefined) {
        publishes.delete(key);
        published.set(account, Date.now());
        return "pass";
      }
      const at = ctx.conn.jid ? published.get(bare(ctx.conn.jid)) : undefined;
      if (at === undefined || Date.now() - at >= 1000) return "pass";
      if (pubsubOf(el)?.getChild("items")?.attrs.node === "storage:bookmarks") return changed(el, (c) => void (pubsubOf(c)!.getChild("items")!.children = []));
      if (el.getChild("query", "jabber:iq:private")?.getChild("storage", "storage:bookmarks"))
        return changed(el, (c) => void (c.getChild("query", "jabber:iq:private")!.getChild("storage", "storage:bookmarks")!.children = []));
      return "pass";
    },
  };
}

/** The account's disco#info results without urn:xmpp:bookmarks:1#compat and #compat-pep. */
const compatUnannounced: StreamFault = {
  element: (el) =>
    el.name === "iq" && isResult(el) && el.getChild("query", DISCO_INFO)
      ? changed(el, (c) => {
          const q = c.getChild("query", DISCO_INFO)!;
          q.children = q.children.filter((x) => typeof x === "string" || (x.attrs.var !== `${BOOKMARKS}#compat` && x.attrs.var !== `${BOOKMARKS}#compat-pep`));
        })
      : "pass",
};

/**
 * A node that keeps one item, the last published (PEP's default max_items, bookmark.publish-options.ignored; one
 * item per node, pep-single-item-nodes): items results for urn:xmpp:bookmarks:1 keep their last <item/> only.
 */
const lastBookmarkKept = () =>
  answering(
    (el) => itemsRequest(el) && pubsubOf(el)!.getChild("items")!.attrs.node === BOOKMARKS,
    (el) =>
      isResult(el)
        ? changed(el, (c) => {
            const items = pubsubOf(c)!.getChild("items")!;
            const kept = items.getChildren("item").slice(-1);
            items.children = items.children.filter((x) => typeof x === "string" || x.name !== "item" || kept.includes(x));
          })
        : "pass",
  );

/** XEP-0223, XEP-0402, XEP-0048: server bugs the cases must catch. */
export const FAULTS: FaultDef[] = [
  {
    // Twenty-seventh audit: bookmark-retract judged the account's listing of pubsub#delete-items at SHOULD (derived);
    // with the retract accepted, XEP-0163 §6.1 makes listing it a MUST (all supported pubsub features), so the check
    // is now at MUST after the retract's result (on Prosody 13: warn -> fail, BOOKMARK-RETRACT-02 and
    // PEP-DISCO-FEATURES).
    id: "bookmarks.disco.no-delete-items",
    area: "bookmarks",
    requirements: ["BOOKMARK-RETRACT-02", "PEP-DISCO-FEATURES"],
    description: "retracts are accepted and carried out, but the account's disco#info does not list http://jabber.org/protocol/pubsub#delete-items",
    fault: when(
      (el) => el.name === "iq" && el.attrs.type === "result" && Boolean(el.getChild("query", DISCO_INFO)),
      (el) =>
        changed(el, (c) => {
          const q = c.getChild("query", DISCO_INFO)!;
          q.children = q.children.filter((x) => typeof x === "string" || x.attrs.var !== "http://jabber.org/protocol/pubsub#delete-items");
        }),
    ),
  },
  {
    id: "pstore.publish-options.refused",
    area: "bookmarks",
    requirements: ["PSTORE-CONFIG-01"],
    description: "a publish with publish-options (persist_items, access_model whitelist: the harness's own node or the bookmarks node) is refused with <feature-not-implemented/>",
    stream: answering(
      (el) => (publishTo(PSTORE)(el) || publishTo(BOOKMARKS)(el)) && withOptions(el),
      (el) => (isResult(el) ? errorTo(el, "feature-not-implemented") : "pass"),
    ),
  },
  {
    id: "pstore.auto-create.missing",
    area: "bookmarks",
    requirements: ["PSTORE-CREATE-01"],
    description: "a publish to a node that does not exist is refused with <item-not-found/> instead of creating the node",
    stream: answering(
      (el) => publishTo(PSTORE)(el) && !withOptions(el),
      (el) => (isResult(el) ? errorTo(el, "item-not-found") : "pass"),
    ),
  },
  {
    id: "pstore.not-persisted",
    area: "bookmarks",
    requirements: ["PSTORE-CONFIG-01"],
    description: "items published with persist_items are not kept: a later items request gets the node without its items",
    fault: when(
      (el) => isResult(el) && pubsubOf(el)?.getChild("items")?.attrs.node === PSTORE,
      (el) => changed(el, (c) => void (pubsubOf(c)!.getChild("items")!.children = [])),
    ),
  },
  {
    id: "private-node.leaked",
    area: "bookmarks",
    requirements: ["PSTORE-CONFIG-02", "BOOKMARK-PRIVATE-01"],
    description: "another user's items request of a whitelist node is answered with the node's items instead of an error",
    stream: {
      fromClient: (el, ctx) => {
        const node = itemsRequest(el) && toOtherAccount(el, ctx) ? pubsubOf(el)!.getChild("items")!.attrs.node : undefined;
        if (node) askedNode.set(`${ctx.conn.id} ${String(el.attrs.id)}`, String(node));
      },
      element: (el, ctx) => {
        const key = `${ctx.conn.id} ${String(el.attrs.id)}`;
        const node = el.name === "iq" && el.attrs.type === "error" ? askedNode.get(key) : undefined;
        if (!node) return "pass";
        askedNode.delete(key);
        return [
          xml(
            "iq",
            { type: "result", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from },
            xml("pubsub", { xmlns: PUBSUB }, xml("items", { node }, xml("item", { id: "leaked" }, xml("secret", { xmlns: "urn:xmpp-conform:leak" })))),
          ),
        ];
      },
    },
  },
  {
    // Twenty-second audit: pstore-other-user-denied failed PSTORE-CONFIG-02 on this answer, which gives the other user
    // no item (all XEP-0223 §2 and §1.2 ask), while it took a result with an empty <items/> or with no <pubsub/> at
    // all; it now takes it too (fail -> pass; so do pstore-precondition-mismatch, pep-pubopt-precondition,
    // bookmark-private and bmlegacy-notify-private). The bug is XEP-0060 §6.5.9.8's missing <not-allowed/>, which
    // pep-access-whitelist judges (PUBSUB-ITEMS-ERR-WL: under this fault it gets none of the errors it takes).
    id: "pstore.denial-as-empty-pubsub",
    area: "bookmarks",
    requirements: ["PUBSUB-ITEMS-ERR-WL"],
    description: "another user's items request that the access model denies is answered with a result holding an empty <pubsub/> (no <items/>) instead of an error",
    stream: answering(
      (el, ctx) => itemsRequest(el) && toOtherAccount(el, ctx),
      (a) => (a.attrs.type === "error" ? [xml("iq", { type: "result", id: a.attrs.id, to: a.attrs.to, from: a.attrs.from }, xml("pubsub", { xmlns: PUBSUB }))] : "pass"),
    ),
  },
  {
    id: "pstore.precondition-unanswered",
    area: "bookmarks",
    requirements: ["STANZA-IQ-01"],
    description: "a publish with publish-options to the harness's private node that the service refuses (a precondition not met) gets no answer at all",
    stream: answering(
      (el) => publishTo(PSTORE)(el) && withOptions(el),
      (el) => (el.attrs.type === "error" ? "drop" : "pass"),
    ),
  },
  {
    // Class sweep (2026-11-27, S8): pstore-precondition-mismatch credited PSTORE-CONFIG-02 with bob's answer
    // without i2 after a result to the mismatched publish, though nothing showed that i2 was stored at all.
    id: "pstore.precondition-result-unstored",
    area: "bookmarks",
    requirements: ["PUBSUB-PUBOPT-MISMATCH"],
    description: "a publish to the harness's private node whose precondition does not match the existing node is answered with a result instead of conflict, though the item is not stored",
    stream: answering(
      (el) => publishTo(PSTORE)(el) && withOptions(el),
      (a) => (a.attrs.type === "error" && a.getChild("error")?.getChild("conflict", STANZAS) ? [xml("iq", { type: "result", id: a.attrs.id, to: a.attrs.to, from: a.attrs.from })] : "pass"),
    ),
  },
  {
    id: "pstore.disco.no-pep-identity",
    area: "bookmarks",
    requirements: ["PSTORE-DISCO-01"],
    description: "disco#info answers leave out the identity pubsub/pep",
    fault: when(
      (el) => isResult(el) && Boolean(el.getChild("query", DISCO_INFO)),
      (el) =>
        changed(el, (c) => {
          const q = c.getChild("query", DISCO_INFO)!;
          q.children = q.children.filter((x) => typeof x === "string" || !(x.name === "identity" && x.attrs.category === "pubsub"));
        }),
    ),
  },
  {
    // Twenty-first audit: pstore-disco credited PSTORE-DISCO-01 to an answer of the account's bare JID when the
    // domain's had neither the identity nor the feature (its 'account' alternative), so a server that lists them only
    // at the account (as Prosody does) passed; XEP-0223 §5 has the client ask "the server" (Example 5: the domain).
    // The domain's answer alone is judged now: pass -> fail on ejabberd (Prosody fails without the fault).
    id: "pstore.disco.account-only",
    area: "bookmarks",
    requirements: ["PSTORE-DISCO-01"],
    description: "the server's domain answers disco#info without the identity pubsub/pep and the feature pubsub#publish-options, which only the account's bare JID lists",
    fault: when(
      (el) => isResult(el) && !String(el.attrs.from ?? "").includes("@") && el.getChild("query", DISCO_INFO)?.attrs.node === undefined && Boolean(el.getChild("query", DISCO_INFO)),
      (el) =>
        changed(el, (c) => {
          const q = c.getChild("query", DISCO_INFO)!;
          q.children = q.children.filter(
            (x) =>
              typeof x === "string" || !((x.name === "identity" && x.attrs.category === "pubsub" && x.attrs.type === "pep") || (x.name === "feature" && x.attrs.var === `${PUBSUB}#publish-options`)),
          );
        }),
    ),
  },
  {
    id: "pstore.disco.no-auto-create",
    area: "bookmarks",
    requirements: ["PSTORE-CREATE-02"],
    description: "the account's disco#info leaves out pubsub#auto-create, although a publish to a new node creates it",
    fault: when(
      (el) => isResult(el) && Boolean(el.getChild("query", DISCO_INFO)),
      (el) =>
        changed(el, (c) => {
          const q = c.getChild("query", DISCO_INFO)!;
          q.children = q.children.filter((x) => typeof x === "string" || x.attrs.var !== `${PUBSUB}#auto-create`);
        }),
    ),
  },
  {
    id: "bookmark.publish-options.max-items-refused",
    area: "bookmarks",
    requirements: ["BOOKMARK-ADD-01", "BOOKMARK-EDIT-02"],
    description: "a bookmark publish with the XEP-0402 publish-options is refused with <resource-constraint/> (pubsub#max_items unknown)",
    stream: answering(
      (el) => publishTo(BOOKMARKS)(el) && withOptions(el),
      (el) => (isResult(el) ? errorTo(el, "resource-constraint", "wait") : "pass"),
    ),
  },
  {
    id: "bookmark.publish-options.ignored",
    area: "bookmarks",
    requirements: ["BOOKMARK-ADD-01"],
    description: "bookmark publishes with the XEP-0402 publish-options are answered with results, but the options are not applied: the node keeps one item (PEP's default), the last published",
    stream: lastBookmarkKept(),
  },
  {
    id: "bookmark.items.never-listed",
    area: "bookmarks",
    requirements: ["BOOKMARK-GET-01"],
    description: "the owner's items retrieval of urn:xmpp:bookmarks:1 returns the node without any item, though publishes and retracts are answered with results",
    stream: answering(
      (el) => itemsRequest(el) && pubsubOf(el)!.getChild("items")!.attrs.node === BOOKMARKS,
      (el) => (isResult(el) ? changed(el, (c) => void (pubsubOf(c)!.getChild("items")!.children = [])) : "pass"),
    ),
  },
  {
    id: "bookmark.retract.refused",
    area: "bookmarks",
    requirements: ["BOOKMARK-RETRACT-01"],
    description: "a retract of a bookmark is refused with <feature-not-implemented/> (no delete-items)",
    stream: answering(
      (el) => retractOf(el)?.attrs.node === BOOKMARKS,
      (el) => (isResult(el) ? errorTo(el, "feature-not-implemented") : "pass"),
    ),
  },
  {
    id: "bookmark.notify.dropped",
    area: "bookmarks",
    requirements: ["BOOKMARK-NOTIFY-01", "BOOKMARK-NOTIFY-02"],
    description: "the owner's resources with urn:xmpp:bookmarks:1+notify get no notification of bookmark changes",
    fault: when(
      (el) => eventItems(el)?.attrs.node === BOOKMARKS,
      () => "drop",
    ),
  },
  {
    // Class sweep (2026-11-26, group X2): pstore-notify-owner-only credited the whitelist (PSTORE-CONFIG-02) to bob's
    // getting nothing even where nobody was notified; that check is now after the owner's notification. On Prosody
    // 13, HEAD file -> new: warn (PSTORE-NOTIFY-01 warn, PSTORE-CONFIG-02 pass) -> warn (PSTORE-CONFIG-02 not-reached).
    id: "pstore.notify.dropped",
    area: "bookmarks",
    requirements: ["PSTORE-NOTIFY-01"],
    description: "no event notification of a private-data node (XEP-0223) is sent, to the owner's resources or anyone",
    fault: when(
      (el) => eventItems(el)?.attrs.node === PSTORE,
      () => "drop",
    ),
  },
  {
    // Class sweep (2026-11-26, group X2): bmlegacy-notify-private credited BMLEGACY-PRIVATE-01 to bob's getting
    // neither a notification nor an item where nothing was kept or notified; those checks now follow a2's
    // notification and her own read of the node. On Prosody 13, HEAD file -> new: BMLEGACY-PRIVATE-01 pass ->
    // not-reached (BMLEGACY-NOTIFY-01 warn, BMLEGACY-GET-01 warn).
    id: "bmlegacy.publish.discarded",
    area: "bookmarks",
    requirements: ["BMLEGACY-NOTIFY-01", "BMLEGACY-GET-01"],
    description: "a publish to 'storage:bookmarks' is answered with a result and discarded: no notification goes out, and the node's items requests get no item",
    fault: (el) => {
      if (eventItems(el)?.attrs.node === "storage:bookmarks") return "drop";
      const items = isResult(el) ? pubsubOf(el)?.getChild("items") : undefined;
      return items?.attrs.node === "storage:bookmarks" ? changed(el, (c) => void (pubsubOf(c)!.getChild("items")!.children = [])) : "pass";
    },
  },
  {
    id: "bookmark.compat.not-in-private",
    area: "bookmarks",
    requirements: ["BOOKMARK-COMPAT-02"],
    description: "bookmarks published to urn:xmpp:bookmarks:1 do not show up in private storage although #compat is announced",
    fault: when(
      (el) => isResult(el) && Boolean(el.getChild("query", "jabber:iq:private")?.getChild("storage", "storage:bookmarks")),
      (el) => changed(el, (c) => void (c.getChild("query", "jabber:iq:private")!.getChild("storage", "storage:bookmarks")!.children = [])),
    ),
  },
  {
    id: "bookmark.compat.unchanged-renotified",
    area: "bookmarks",
    requirements: ["BOOKMARK-COMPAT-06"],
    description: "each bookmark notification also carries the bookmarks notified before, unchanged ones included, in the same message",
    fault: (el, { conn }) => {
      const items = eventItems(el);
      if (items?.attrs.node !== BOOKMARKS) return "pass";
      const seen = notifiedBookmarks.get(conn) ?? new Map<string, Element>();
      notifiedBookmarks.set(conn, seen);
      const fresh = items.getChildren("item");
      const again = [...seen.entries()].filter(([id]) => !fresh.some((i) => i.attrs.id === id)).map(([, item]) => item);
      for (const item of fresh) seen.set(String(item.attrs.id), item);
      return again.length === 0 ? "pass" : changed(el, (c) => void eventItems(c)!.children.push(...again));
    },
  },
  {
    // Forty-ninth audit (2026-11-27): bookmark-compat-from-private's MAY step (a2 notified of the first list) missed
    // here and unsettled a2, so the SHOULD NOT after the second list was not reached (pass, BOOKMARK-COMPAT-05 and -06
    // not reached); the first list's notification is now a one of that cannot miss (on Prosody 13: pass -> warn).
    id: "bookmark.compat.first-unnotified-then-renotified",
    area: "bookmarks",
    requirements: ["BOOKMARK-COMPAT-06"],
    description:
      "the first bookmark notification a session would get is not sent (XEP-0402 §5.3.2's MAY not taken up), and each later one also carries that notification's bookmarks, unchanged ones included, in the same message",
    fault: (el, { conn }) => {
      const items = eventItems(el);
      if (items?.attrs.node !== BOOKMARKS) return "pass";
      const earlier = withheldBookmarks.get(conn);
      if (earlier === undefined) {
        withheldBookmarks.set(conn, items.getChildren("item"));
        return "drop";
      }
      const again = earlier.filter((i) => !items.getChildren("item").some((x) => x.attrs.id === i.attrs.id));
      return again.length === 0 ? "pass" : changed(el, (c) => void eventItems(c)!.children.push(...again));
    },
  },
  {
    // Forty-ninth audit (2026-11-27): bookmark-private judged bob's getting no notification only after the owner's
    // read showed the bookmark kept, so where that read came back without it (a failed SHOULD) the leak to bob was
    // not reached (warn, BOOKMARK-PRIVATE-01 not reached); that check now follows a2's notification instead
    // (on Prosody 13: warn -> fail).
    id: "bookmark.private.leaked-unlisted",
    area: "bookmarks",
    requirements: ["BOOKMARK-PRIVATE-01", "BOOKMARK-GET-01"],
    description: "a bookmark's notification is also sent to the sessions of the case's other accounts, and the owner's items retrieval of urn:xmpp:bookmarks:1 returns the node without any item",
    stream: both(
      (() => {
        const pubs = new Map<string, Element>();
        return {
          fromClient: (el: Element, ctx: FaultContext) => {
            const item = el.name === "iq" ? publishOf(el)?.getChild("item") : undefined;
            if (item && publishOf(el)!.attrs.node === BOOKMARKS) pubs.set(`${ctx.conn.id} ${String(el.attrs.id)}`, item);
          },
          element: (el: Element, ctx: FaultContext) => {
            const key = `${ctx.conn.id} ${String(el.attrs.id)}`;
            const item = el.name === "iq" && isResult(el) ? pubs.get(key) : undefined;
            if (!item) return "pass";
            pubs.delete(key);
            const owner = bare(ctx.conn.jid);
            for (const p of ctx.peers()) {
              if (!p.jid || bare(p.jid) === owner) continue;
              p.deliver(xml("message", { from: owner, to: p.jid, type: "headline", id: "leak1" }, xml("event", { xmlns: EVENT }, xml("items", { node: BOOKMARKS }, item))));
            }
            return "pass";
          },
        } satisfies StreamFault;
      })(),
      answering(
        (el) => itemsRequest(el) && pubsubOf(el)!.getChild("items")!.attrs.node === BOOKMARKS,
        (el) => (isResult(el) ? changed(el, (c) => void (pubsubOf(c)!.getChild("items")!.children = [])) : "pass"),
      ),
    ),
  },
  {
    id: "bmlegacy.notify.dropped",
    area: "bookmarks",
    requirements: ["BMLEGACY-NOTIFY-01"],
    description: "the owner's resources with storage:bookmarks+notify get no notification of the 'storage:bookmarks' node",
    fault: when(
      (el) => eventItems(el)?.attrs.node === "storage:bookmarks",
      () => "drop",
    ),
  },
  {
    // Twenty-third audit: bmlegacy-notify-private judged the notification and the contact's access without waiting on
    // the publish's result, so where the publish was refused and nothing stored it warned BMLEGACY-NOTIFY-01 a second
    // time and passed BMLEGACY-PRIVATE-01 on checks that could not fail (no item to keep private): warn (UPLOAD-01,
    // NOTIFY-01 warn, PRIVATE-01 pass) -> warn (UPLOAD-01 warn; NOTIFY-01 and PRIVATE-01 not reached, after: stored).
    id: "bmlegacy.publish.refused",
    area: "bookmarks",
    requirements: ["BMLEGACY-UPLOAD-01"],
    description: "a publish to the 'storage:bookmarks' node is refused with <not-allowed/>, and (nothing stored) no notification of it is sent",
    stream: both(
      answering(publishTo("storage:bookmarks"), (el) => (isResult(el) ? errorTo(el, "not-allowed") : "pass")),
      { element: (el) => (eventItems(el)?.attrs.node === "storage:bookmarks" ? "drop" : "pass") },
    ),
  },
  {
    // Fifty-first audit (2026-11-28): pstore-republish-overwrites credited PSTORE-CREATE-01 on the publish's IQ result
    // alone; a node never created was then charged to PSTORE-CONFIG-01 at the read that followed. The credit now goes
    // to that read (a result, or XEP-0060 §6.5.9.4's answer): on Prosody 13, fail (CONFIG-01; CREATE-01 pass) -> fail
    // (CREATE-01; CONFIG-01 not reached).
    id: "pstore.not-created",
    area: "bookmarks",
    requirements: ["PSTORE-CREATE-01"],
    description:
      "a publish to the harness's node (urn:xmpp-conform:pstore) that does not exist is answered with a result, but the node is never created: every later items request or owner's <delete/> of it is answered <item-not-found/>, and no notification of it goes out",
    stream: nodeNeverCreated(PSTORE),
  },
  {
    // Fifty-second audit (2026-11-28): bookmark-retract, bookmark-notify-owner: pstore.not-created's twin on the
    // bookmarks node, whose creation (XEP-0223 §3, PSTORE-CREATE-01) those cases credited on the publish's result.
    id: "bookmarks.not-created",
    area: "bookmarks",
    requirements: ["PSTORE-CREATE-01"],
    description:
      "a publish to urn:xmpp:bookmarks:1 that does not exist is answered with a result, but the node is never created: every later items request or owner's <delete/> of it is answered <item-not-found/>, and no notification of it goes out",
    stream: nodeNeverCreated(BOOKMARKS),
  },
  {
    // Sixtieth audit (2026-11-28): pstore-precondition-mismatch (and its class note: pstore-other-user-denied,
    // pstore-notify-owner-only, pstore-publish-persist) credited PSTORE-CREATE-01 on any result to the owner's read
    // of the node right after the publish. This is pstore.not-created's twin for a service that answers a read of a
    // missing node with XEP-0060 §6.5.9.12's empty <items/> (§6.5.9.11's item-not-found is only a SHOULD), so an
    // empty result shows no node made.
    id: "pstore.not-created-empty",
    area: "bookmarks",
    requirements: ["PSTORE-CREATE-01", "PSTORE-CONFIG-01"],
    description:
      "a publish to the harness's node (urn:xmpp-conform:pstore) that does not exist is answered with a result, but the node is never created: every later items request of it is answered with a result holding an empty <items/>, an owner's <delete/> with <item-not-found/>, and no notification of it goes out",
    stream: nodeNeverCreated(PSTORE, "empty"),
  },
  {
    // Seventy-sixth audit (round 76): pstore-other-user-denied credited PSTORE-CREATE-01 on this answer to the owner's
    // first read, then took the identical answer to the second as an owner's refusal (crediting nothing), so the node
    // a publish with pubsub#persist_items=true made and that keeps no items passed; that answer now fails
    // PSTORE-CONFIG-01 (XEP-0060 §7.1.5: the node takes the publish's options): pass -> fail (auditor G5's
    // transient-with-options).
    id: "pstore.transient-despite-options",
    area: "bookmarks",
    requirements: ["PSTORE-CONFIG-01"],
    description:
      "the harness's node (urn:xmpp-conform:pstore) keeps no items although the publish that made it asked pubsub#persist_items=true: every items request of it (the owner's too) is answered <feature-not-implemented/> with <unsupported feature='persistent-items'/> (XEP-0060 §6.5.9.4)",
    stream: pstoreKeepsNoItems(),
  },
  {
    // Seventy-ninth audit (round 79): pstore-notify-owner-only (and pstore-publish-persist, pstore-other-user-denied,
    // pstore-precondition-mismatch, pstore-republish-overwrites, pstore-create-without-options) credited
    // PSTORE-CREATE-01 on this answer to the owner's read of the node right after the publish; XEP-0060 §6.5.9.4 asks
    // it of a *service* without persistent items too, node or no node, so it shows no node made. This is
    // pstore.not-created's twin with that answer (auditor G2's g2.pstore.not-created-transient): pstore-notify-owner-only
    // on Prosody 13, warn (CREATE-01 pass) -> warn (CREATE-01 not credited).
    id: "pstore.not-created-transient",
    area: "bookmarks",
    requirements: ["PSTORE-CREATE-01", "PSTORE-CONFIG-01"],
    description:
      "a publish to the harness's node (urn:xmpp-conform:pstore) that does not exist is answered with a result, but the node is never created: every later items request of it is answered <feature-not-implemented/> with <unsupported feature='persistent-items'/> (XEP-0060 §6.5.9.4, the answer of a service without persistent items), an owner's <delete/> with <item-not-found/>, and no notification of it goes out",
    stream: both(pstoreKeepsNoItems(), nodeNeverCreated(PSTORE)),
  },
  {
    // Seventy-sixth audit (round 76): pstore-other-user-denied charged any error to the owner's first read of the node
    // to PSTORE-CREATE-01; an error other than <item-not-found/> to the owner of a node the publish succeeded on is
    // XEP-0060 §6.5.1's breach ("a service MUST always allow the node owner to retrieve items from a node"): fail
    // CREATE-01 -> fail PUBSUB-ITEMS-OWNER (auditor G5's owner-forbidden).
    id: "pstore.owner-items-forbidden",
    area: "bookmarks",
    requirements: ["PUBSUB-ITEMS-OWNER"],
    description: "the harness's node (urn:xmpp-conform:pstore) is created and keeps its item, but every items request of it, the owner's too, is answered <forbidden/> (type auth)",
    stream: answering(
      (el) => itemsRequest(el) && pubsubOf(el)?.getChild("items")?.attrs.node === PSTORE,
      (el) => errorTo(el, "forbidden", "auth"),
    ),
  },
  {
    // Sixtieth audit (2026-11-28): class note 1 of pstore-precondition-mismatch: bookmark-retract and
    // bookmark-notify-owner credited PSTORE-CREATE-01 on any result to the owner's read of the bookmarks node.
    id: "bookmarks.not-created-empty",
    area: "bookmarks",
    requirements: ["PSTORE-CREATE-01", "BOOKMARK-GET-01"],
    description:
      "a publish to urn:xmpp:bookmarks:1 that does not exist is answered with a result, but the node is never created: every later items request of it is answered with a result holding an empty <items/>, an owner's <delete/> with <item-not-found/>, and no notification of it goes out",
    stream: nodeNeverCreated(BOOKMARKS, "empty"),
  },
  {
    // Fifty-fifth audit (2026-11-28): bookmark-notify-owner: the retract's IQ result alone credited
    // BOOKMARK-RETRACT-01 (XEP-0402 §3.5, delete-items REQUIRED; XEP-0060 §7.2.2 "If no error occurs, the service MUST
    // delete the item."), so a service that answers the retract and keeps the item passed it. The proxy cannot
    // withhold the retract, so the item is put back into the owner's later retrievals and its retract events dropped.
    id: "bookmark.retract.ignored",
    area: "bookmarks",
    requirements: ["BOOKMARK-RETRACT-01"],
    description:
      "a retract of a bookmark (urn:xmpp:bookmarks:1) is answered with a result, but the item stays: the owner's later items results still hold it, and no retract notification of it is sent",
    stream: retractIgnored(),
  },
  {
    // Fifty-eighth audit (2026-11-28): bookmark-compat-announced read each store once, right after the publish's
    // result, so a server that unifies a moment later (XEP-0402 §5.3.1 sets no order) and does not announce #compat
    // or #compat-pep (§5.3's SHOULDs) passed with BOOKMARK-COMPAT-01 and -COMPATPEP-02 not reached; a store without
    // the copy at once is now asked again until the timeout, and a late copy judges the announcement.
    id: "bookmark.compat.late-unannounced",
    area: "bookmarks",
    requirements: ["BOOKMARK-COMPAT-01", "BOOKMARK-COMPATPEP-02"],
    description:
      "a bookmark published to urn:xmpp:bookmarks:1 is copied into private storage and the 'storage:bookmarks' PEP node 1 s after the publish's result, and the account's disco#info lists neither urn:xmpp:bookmarks:1#compat nor #compat-pep",
    stream: both(compatCopiesLate(), compatUnannounced),
  },
  {
    // Fifty-eighth audit (2026-11-28): bookmark-compat-announced: the same server with its copies made at once.
    id: "bookmark.compat.unannounced",
    area: "bookmarks",
    requirements: ["BOOKMARK-COMPAT-01", "BOOKMARK-COMPATPEP-02"],
    description:
      "a bookmark published to urn:xmpp:bookmarks:1 is copied into private storage and the 'storage:bookmarks' PEP node, but the account's disco#info lists neither urn:xmpp:bookmarks:1#compat nor #compat-pep",
    stream: compatUnannounced,
  },
];

/** XEP-0223, XEP-0402, XEP-0048: what a correct server may do differently; no verdict may change. */
/**
 * A storage:bookmarks list stored in private storage shows up in urn:xmpp:bookmarks:1 1 s after the set's result
 * (items results emptied within that second); its bookmarks:1 notifications are dropped, or held until 0.9 s after
 * the result (sent as the server unifies). Stream-only: it must see the set.
 * Stream-variation survey (2026-11-29): only the notifications of the unification are touched: those to the account
 * whose set is pending or answered less than 1 s ago. Before, every urn:xmpp:bookmarks:1 notification was (dropped
 * or held), a direct publish's too, which §5.3.2 ("If a client publishes a replacement list of bookmarks via the
 * older specifications, a server MAY examine the list and update the individual items as required, sending updates
 * or retraction notifications as needed.") does not cover: bookmark-notify-owner and bookmark-private, which publish
 * to urn:xmpp:bookmarks:1 and never touch private storage, warned BOOKMARK-NOTIFY-01 under both (pass -> warn; now
 * pass -> pass); bookmark-compat-from-private, whose notifications all follow a private set, is unchanged.
 */
function unifiedLate(notifications: "dropped" | "held"): StreamFault {
  const sets = new Map<string, string>();
  const stored = new Map<string, number>();
  return {
    fromClient: (el, ctx) => {
      if (el.name === "iq" && el.attrs.type === "set" && el.getChild("query", "jabber:iq:private")?.getChild("storage", "storage:bookmarks"))
        sets.set(`${ctx.conn.id} ${String(el.attrs.id)}`, bare(ctx.conn.jid));
    },
    element: (el, ctx) => {
      const account = ctx.conn.jid ? bare(ctx.conn.jid) : undefined;
      const at = account !== undefined ? stored.get(account) : undefined;
      const unifying = account !== undefined && ([...sets.values()].includes(account) || (at !== undefined && Date.now() - at < 1000));
      if (eventItems(el)?.attrs.node === BOOKMARKS && unifying) {
        if (notifications === "dropped") return "drop";
        // Sent before or after the set's result: held until 0.9 s after it.
        const base = at !== undefined && Date.now() - at < 1000 ? at : Date.now();
        const copy = copyOf(el);
        setTimeout(() => ctx.conn.deliver(copy), Math.max(0, base + 900 - Date.now())).unref();
        return "drop";
      }
      if (el.name !== "iq" || !isResult(el)) return "pass";
      const key = `${ctx.conn.id} ${String(el.attrs.id)}`;
      const setter = sets.get(key);
      if (setter !== undefined) {
        sets.delete(key);
        stored.set(setter, Date.now());
        return "pass";
      }
      if (at === undefined || Date.now() - at >= 1000) return "pass";
      if (pubsubOf(el)?.getChild("items")?.attrs.node === BOOKMARKS) return changed(el, (c) => void (pubsubOf(c)!.getChild("items")!.children = []));
      return "pass";
    },
  };
}

export const VARIATIONS: Variation[] = [
  {
    // Thirtieth audit: pstore-create-without-options took only a result for the items retrieval of the node a publish
    // without options created, and failed PSTORE-CREATE-01 on this answer, which XEP-0060 §6.5.9.4 asks of a node
    // that keeps no items (one with a transient default configuration, which XEP-0163 leaves open); it now takes it
    // (on Prosody 13: fail -> pass).
    id: "pstore-default-node-transient",
    description:
      'a node auto-created by a publish without publish-options is transient (XEP-0163 leaves the defaults open), and its items retrieval is answered as XEP-0060 §6.5.9.4 says: "the service MUST return a <feature-not-implemented/> error to the subscriber, specifying a pubsub-specific error condition of <unsupported/> and a feature of "persistent-items"" (applied only where what clients send is seen: bench/try-case.ts)',
    fault: () => "pass",
    stream: transientDefaultNodes(),
  },
  {
    id: "pep-event-with-addresses",
    only: "Prosody",
    description: "the owner's own event notifications carry an XEP-0033 <addresses/> naming the publishing resource (ejabberd does; an extension element)",
    fault: when(
      // Only on the owner's own notifications: XEP-0163 §4.3.1 gives a replyto to contacts, and no rule forbids one here.
      (el) => Boolean(eventItems(el)) && el.attrs.from === bare(String(el.attrs.to ?? "")) && !el.getChild("addresses", "http://jabber.org/protocol/address"),
      (el) => changed(el, (c) => void c.cnode(xml("addresses", { xmlns: "http://jabber.org/protocol/address" }, xml("address", { type: "replyto", jid: String(c.attrs.from ?? "") })))),
    ),
  },
  {
    id: "pep-publish-result-empty",
    description:
      "a bookmark publish is acknowledged with an empty result (XEP-0402 Example 7; XEP-0060 §7.1.2 asks for the <item/> only when the request had no id, and a bookmark's id is its room's JID)",
    fault: when(
      (el) => isResult(el) && pubsubOf(el)?.getChild("publish")?.attrs.node === "urn:xmpp:bookmarks:1",
      (el) => changed(el, (c) => void c.remove("pubsub", PUBSUB)),
    ),
  },
  {
    // Twenty-third audit: bmlegacy-notify-private asked that a contact's items request be answered (an error or a
    // result without the item), so a server that leaves it unanswered (Prosody 0.12 across servers) warned
    // BMLEGACY-PRIVATE-01, which it keeps (the contact "gets neither the items nor an event notification"): warn ->
    // pass. The missing answer breaks RFC 6120 §8.2.3, which the IQ cases judge, not this family's rules. Applied by
    // bench/try-case.ts only (stream): the answer (an error from the owner's bare JID) does not name the node.
    id: "bmlegacy-contact-items-unanswered",
    description: "another account's items request for the owner's 'storage:bookmarks' node gets no answer at all: no item reaches the contact (XEP-0048 §3 with XEP-0223: the data stays the owner's)",
    fault: () => "pass",
    stream: answering(
      (el, ctx) => itemsRequest(el) && toOtherAccount(el, ctx) && pubsubOf(el)?.getChild("items")?.attrs.node === "storage:bookmarks",
      () => "drop",
    ),
  },
  {
    // Twenty-fifth audit: pstore-precondition-mismatch created its node with the presence model alone, and judged
    // its MUST (PSTORE-CONFIG-02) only after bob read the first item; whether a PEP node keeps items is its
    // configuration (XEP-0163 leaves the default open), and XEP-0060 §6.5.9.4 has a node that keeps none answer
    // <feature-not-implemented/> with <unsupported feature='persistent-items'/>. Its first publish now asks for
    // pubsub#persist_items too: warn (PUBSUB-ITEMS-PRESENCE; PSTORE-CONFIG-02 not reached) -> pass. Applied by
    // bench/try-case.ts only (stream): it must see the publishes' options.
    id: "pstore-node-not-persistent-by-default",
    description:
      "a private-data node (urn:xmpp-conform:pstore) whose publish never asked for pubsub#persist_items=true keeps no items: another account's items request is answered <feature-not-implemented/> with <unsupported feature='persistent-items'/> (XEP-0060 §6.5.9.4; XEP-0163 fixes no default for persistence)",
    fault: () => "pass",
    stream: (() => {
      const persistent = new Set<string>();
      const asked = new Set<string>();
      return {
        fromClient: (el, ctx) => {
          const publish = el.name === "iq" ? publishOf(el) : undefined;
          if (publish?.attrs.node === PSTORE) {
            const persist = pubsubOf(el)
              ?.getChild("publish-options")
              ?.getChild("x", "jabber:x:data")
              ?.getChildren("field")
              .some((f) => f.attrs.var === "pubsub#persist_items" && ["1", "true"].includes(f.getChildText("value") ?? ""));
            if (persist) persistent.add(bare(ctx.conn.jid));
          }
          if (el.name === "iq" && itemsRequest(el) && toOtherAccount(el, ctx) && pubsubOf(el)?.getChild("items")?.attrs.node === PSTORE && !persistent.has(String(el.attrs.to)))
            asked.add(`${ctx.conn.id} ${el.attrs.id}`);
        },
        element: (el, ctx) => {
          if (el.name !== "iq" || !asked.delete(`${ctx.conn.id} ${el.attrs.id}`)) return "pass";
          return noPersistentItems(el);
        },
      };
    })(),
  },
  {
    // Thirty-seventh audit: bookmark-compat-pep read the 'storage:bookmarks' PEP node once, right after the
    // publish's result, and XEP-0402 sets no order between that result and the unified copy, so a server that writes
    // the copy a moment later warned BOOKMARK-COMPATPEP-01 (warn -> pass: the node is now polled until it holds the
    // conference); bookmark-compat-to-private's private-storage read likewise (BOOKMARK-COMPAT-02). Applied by
    // bench/try-case.ts only (stream): it must see the publish.
    id: "bookmark-compat-late",
    description:
      "the unified copies of a bookmark published to urn:xmpp:bookmarks:1 (the 'storage:bookmarks' PEP node, XEP-0049 private storage) are written 1 s after the publish's result: a read within that second is answered without them (XEP-0402 §5.3.1: \"When a client publishes a new item, the server MAY collate all items, casting them into the 'storage:bookmarks' namespace\"; no order with the result is set)",
    fault: () => "pass",
    stream: compatCopiesLate(),
  },
  {
    // Fortieth audit: bookmark-compat-from-private read urn:xmpp:bookmarks:1 once after each private-storage set's
    // result, and XEP-0402 sets no order between that result and the unified items, so a server that writes them a
    // moment later warned BOOKMARK-COMPAT-04 (warn -> pass: the node is now polled). Applied by bench/try-case.ts
    // only (stream): it must see the set.
    id: "bookmark-compat-from-private-late",
    description:
      'a storage:bookmarks list stored in private storage shows up in urn:xmpp:bookmarks:1 1 s after the set\'s result (items results emptied within that second), and the bookmarks:1 notifications for it are not sent (XEP-0402 §5.3.2: "a server MAY examine the list and update the individual items as required"; no order with the result is set)',
    fault: () => "pass",
    stream: unifiedLate("dropped"),
  },
  {
    // Forty-ninth audit (2026-11-27): bookmark-compat-from-private looked for the first list's notification right
    // after the set's result, before the g1 poll, so a server that unifies (and notifies) in its own time had the
    // MAY step miss and BOOKMARK-COMPAT-05 and -06 not reached; both are now looked at after the polls (on Prosody
    // 13: pass with COMPAT-05, -06 not reached -> pass with both judged). Applied by bench/try-case.ts only
    // (stream): it must see the set.
    id: "bookmark-compat-from-private-late-notified",
    description:
      'a storage:bookmarks list stored in private storage shows up in urn:xmpp:bookmarks:1 1 s after the set\'s result (items results emptied within that second), and the bookmarks:1 notifications for it are sent 0.9 s after the result, as it unifies (XEP-0402 §5.3.2: "a server MAY examine the list and update the individual items as required, sending updates or retraction notifications as needed"; no order with the result is set)',
    fault: () => "pass",
    stream: unifiedLate("held"),
  },
  {
    id: "pep-item-publisher",
    description: "items in results and notifications carry a 'publisher' attribute (XEP-0060 §7.1.2: the service MAY add it)",
    fault: when(
      (el) => Boolean(eventItems(el) ?? pubsubOf(el)?.getChild("items")),
      (el) =>
        changed(el, (c) => {
          const items = eventItems(c) ?? pubsubOf(c)!.getChild("items")!;
          for (const item of items.getChildren("item")) item.attrs.publisher = bare(String(c.attrs.to ?? ""));
        }),
    ),
  },
  {
    // Seventy-third audit (round 73): bookmark-add-get failed BOOKMARK-ADD-01 at MUST when the later retrieval held
    // one of the two bookmarks, though XEP-0060 §10 makes several items per node OPTIONAL (multi-items) and 'max' is
    // "a server imposed maximum"; that is now charged only where the account advertises pubsub#multi-items (on
    // Prosody 13: fail -> pass). Applied by bench/try-case.ts only (stream): it must see the requests. Beside a real
    // server's #compat it models one that announces unification it cannot do (two bookmarks cannot become one
    // node's items): bookmark-compat-from-private's warn (BOOKMARK-COMPAT-04) under bench/variations.ts is right.
    id: "pep-single-item-nodes",
    description:
      'the PEP service keeps one item per node (the last published) and does not advertise http://jabber.org/protocol/pubsub#multi-items on the account (XEP-0060 §10: multi-items is OPTIONAL; pubsub#max_items: "`max` for no specific limit other than a server imposed maximum.")',
    fault: () => "pass",
    stream: both(
      lastBookmarkKept(),
      answering(
        (el, { conn }) => el.attrs.type === "get" && Boolean(el.getChild("query", DISCO_INFO)) && (el.attrs.to === undefined || el.attrs.to === bare(conn.jid)),
        (el) =>
          isResult(el)
            ? changed(el, (c) => {
                const query = c.getChild("query", DISCO_INFO)!;
                query.children = query.children.filter((x) => typeof x === "string" || x.attrs.var !== "http://jabber.org/protocol/pubsub#multi-items");
              })
            : "pass",
      ),
    ),
  },
];
