import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { STANZAS, answering, both, changed, copyOf, harnessSession, iqErrorFor, unansweredUnlisted, when, type FaultDef } from "../fault-kit.ts";
import { bare, type FaultAction, type FaultContext } from "../fault-proxy.ts";
import type { Variation } from "../variations.ts";
import { notPersistentNode } from "./pep.ts";

const PUBSUB = "http://jabber.org/protocol/pubsub";
const EVENT = "http://jabber.org/protocol/pubsub#event";
const DISCO_INFO = "http://jabber.org/protocol/disco#info";
const DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
const ADDRESS = "http://jabber.org/protocol/address";
const VCARD = "vcard-temp";
const UPDATE = "vcard-temp:x:update";
const DATA = "urn:xmpp:avatar:data";
const METADATA = "urn:xmpp:avatar:metadata";
const CONVERSION = "urn:xmpp:pep-vcard-conversion:0";
/** The 2x2 blue PNG of scenarios/avatar/conversion.yaml: another real image than the cases publish. */
const OTHER_IMAGE = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAD0lEQVR42mNgYPgPRmAKABf2A/3HkIu0AAAAAElFTkSuQmCC";
/** A 1x1 white PNG (69 bytes, SHA-1 9d7b8cffdb355edf6513a435e5465bbf7181ae72): a real image no case publishes. */
const UNPUBLISHED_IMAGE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mP4//8/AAX+Av4zEpUUAAAAAElFTkSuQmCC";
/** SHA-1 of no bytes: a well-formed hash of no image the cases publish. */
const OTHER_HASH = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

/** The <items/> of a pubsub event for `node`, if the stanza is one. */
const eventItems = (el: Element, node: string) => {
  const items = el.name === "message" ? el.getChild("event", EVENT)?.getChild("items") : undefined;
  return items?.attrs.node === node ? items : undefined;
};
/** The <items/> of an IQ-result of a pubsub retrieve-items request for `node`. */
const resultItems = (el: Element, node: string) => {
  const items = el.name === "iq" && el.attrs.type === "result" ? el.getChild("pubsub", PUBSUB)?.getChild("items") : undefined;
  return items?.attrs.node === node ? items : undefined;
};
const vCardResult = (el: Element) => (el.name === "iq" && el.attrs.type === "result" ? el.getChild("vCard", VCARD) : undefined);
const photoOf = (el: Element) => vCardResult(el)?.getChild("PHOTO");
/** An available presence from another account carrying the avatar update child. */
const updateOf = (el: Element, { conn }: FaultContext) =>
  el.name === "presence" && el.attrs.type === undefined && bare(String(el.attrs.from ?? "")) !== bare(conn.jid) ? el.getChild("x", UPDATE) : undefined;
/** Replaces the text of `el` (a BINVAL, a photo). */
const setText = (el: Element, text: string) => (el.children = [text]);
/** Removes `el`'s children that `drop` picks. */
const without = (el: Element, drop: (child: Element) => boolean) => (el.children = el.children.filter((c) => typeof c === "string" || !drop(c)));

/** XEP-0084, XEP-0398, XEP-0153: server bugs the cases must catch. */
/** Data item results whose items name a wrong image id (not the image's SHA-1); the metadata untouched. */
function dataIdWrong(el: Element): FaultAction {
  return resultItems(el, DATA)
    ? changed(el, (c) =>
        resultItems(c, DATA)!
          .getChildren("item")
          .forEach((i) => (i.attrs.id = OTHER_HASH)),
      )
    : "pass";
}

/** Metadata results whose <info/> elements name a wrong image id (not the image's SHA-1); the data untouched. */
function metadataIdWrong(el: Element): FaultAction {
  return resultItems(el, METADATA)
    ? changed(el, (c) =>
        resultItems(c, METADATA)!
          .getChildren("item")
          .forEach((i) =>
            i
              .getChild("metadata", METADATA)
              ?.getChildren("info")
              .forEach((info) => (info.attrs.id = OTHER_HASH)),
          ),
      )
    : "pass";
}

/** A get of the user's own vCard (no 'to', or the user's bare JID). */
const ownVcardGet = (el: Element, ctx: FaultContext) =>
  el.attrs.type === "get" && Boolean(el.getChild("vCard", VCARD)) && (el.attrs.to === undefined || bare(String(el.attrs.to)) === bare(ctx.conn.jid));

/** A user's get of the items of her own avatar metadata node (XEP-0084). */
const ownMetadataGet = (el: Element, ctx: FaultContext) =>
  el.attrs.type === "get" &&
  el.getChild("pubsub", PUBSUB)?.getChild("items")?.attrs.node === "urn:xmpp:avatar:metadata" &&
  (el.attrs.to === undefined || bare(String(el.attrs.to)) === bare(ctx.conn.jid));

/** Data and metadata results that name one wrong image id (not the image's SHA-1) consistently. */
function dataIdWrongConsistent(el: Element): FaultAction {
  if (!resultItems(el, DATA) && !resultItems(el, METADATA)) return "pass";
  return changed(el, (c) => {
    resultItems(c, DATA)
      ?.getChildren("item")
      .forEach((i) => (i.attrs.id = OTHER_HASH));
    resultItems(c, METADATA)
      ?.getChildren("item")
      .forEach((i) =>
        i
          .getChild("metadata", METADATA)
          ?.getChildren("info")
          .forEach((info) => (info.attrs.id = OTHER_HASH)),
      );
  });
}

export const FAULTS: FaultDef[] = [
  {
    // Forty-eighth audit (2026-11-27): avconv-vcard-to-pep-notify took an empty answer to the owner's metadata read,
    // sent right after the vCard set's result, as no conversion, so a server that converts a moment later and
    // notifies no one passed; the case now reads the data node (XEP-0398 §3.2's "first" publication) and, where it
    // holds the item, waits for the metadata item and judges the notice (on Prosody 13: pass -> warn, AVCONV-V2P-04).
    id: "avconv.v2p.late-unnotified",
    area: "avatar",
    requirements: ["AVCONV-V2P-04"],
    description: "the vCard-to-PEP conversion's metadata item comes after the owner's first metadata read (answered with an empty <items/>), and no metadata notification is sent",
    stream: (() => {
      const read = new Set<number>(); // connections whose first metadata read was answered
      return both(
        answering(
          (el, ctx) => {
            if (el.attrs.type !== "get" || el.getChild("pubsub", PUBSUB)?.getChild("items")?.attrs.node !== METADATA || read.has(ctx.conn.id)) return false;
            read.add(ctx.conn.id);
            return true;
          },
          (a) => (resultItems(a, METADATA) ? changed(a, (c) => void (resultItems(c, METADATA)!.children = [])) : "pass"),
        ),
        { element: (el) => (eventItems(el, METADATA) ? "drop" : "pass") },
      );
    })(),
  },
  {
    // Fiftieth audit (2026-11-28): avconv-vcard-to-pep-notify read the data node right after the vCard set's result
    // and took an empty answer as no conversion, though XEP-0398 §3.2 orders the publications and the notice after
    // the request, not before the result: a server that converts a moment after answering and notifies no one was
    // skipped. The case now waits (by the timeout) for the notice first and reads the data node only where none came
    // (on Prosody 13: skip -> warn, AVCONV-V2P-04). Sixty-third audit (2026-11-29): avconv-vcard-to-pep read the
    // nodes at once too, so this fault left its §3.2 rows unjudged (a pass on VCARD-OWN-SET-01 alone); it now waits
    // the same way and judges them (pass, AVCONV-V2P-00..03 not reached -> passed).
    id: "avconv.v2p.late-data-unnotified",
    area: "avatar",
    requirements: ["AVCONV-V2P-04"],
    description:
      "the vCard-to-PEP conversion finishes a second after the vCard set's result (a data or metadata read before then is answered with an empty <items/>), and no metadata notification is sent",
    stream: (() => {
      const answeredAt = new Map<number, number>(); // connection -> when its vCard set was answered
      const early = (ctx: FaultContext) => Date.now() - (answeredAt.get(ctx.conn.id) ?? -Infinity) < 1000;
      const read = (el: Element) => el.attrs.type === "get" && [DATA, METADATA].includes(String(el.getChild("pubsub", PUBSUB)?.getChild("items")?.attrs.node ?? ""));
      return both(
        both(
          answering(
            (el) => el.attrs.type === "set" && el.getChild("vCard", VCARD) !== undefined,
            (a, ctx) => {
              if (a.attrs.type === "result") answeredAt.set(ctx.conn.id, Date.now());
              return "pass";
            },
          ),
          answering(read, (a, ctx) => {
            const items = resultItems(a, DATA) ?? resultItems(a, METADATA);
            return items && early(ctx) ? changed(a, (c) => void (c.getChild("pubsub", PUBSUB)!.getChild("items")!.children = [])) : "pass";
          }),
        ),
        { element: (el) => (eventItems(el, METADATA) ? "drop" : "pass") },
      );
    })(),
  },
  {
    // Twenty-seventh audit: avconv-vcard-to-pep's not-converted outcomes looked at the metadata node only, so a
    // conversion into the data node with no metadata item following it passed; the data node is now read on that
    // path too (on Prosody 13: pass -> fail, AVCONV-V2P-03).
    id: "avconv.v2p.data-only",
    area: "avatar",
    requirements: ["AVCONV-V2P-03"],
    description:
      "a vCard PHOTO is converted into the data node only: no metadata item is published, so the owner's metadata items request is answered with item-not-found while the data item is there",
    stream: answering(
      (el) => el.attrs.type === "get" && el.getChild("pubsub", PUBSUB)?.getChild("items")?.attrs.node === METADATA,
      (a) => [iqErrorFor(a, "item-not-found")],
    ),
  },
  {
    // Fiftieth audit (2026-11-28): avconv-vcard-to-pep-notify waited for the metadata item in a set-up poll, so a
    // server that converts into the data node only (XEP-0398 §3.2's "Afterwards the service MUST publish a new item
    // to the 'urn:xmpp:avatar:metadata' node" broken) and so notifies no one was skipped; the poll now proves
    // AVCONV-V2P-03 (on Prosody 13: skip -> fail).
    id: "avconv.v2p.data-only-unnotified",
    area: "avatar",
    requirements: ["AVCONV-V2P-03"],
    description:
      "a vCard PHOTO is converted into the data node only: the owner's metadata items requests are answered with item-not-found and no metadata notification is sent, while the data item is there",
    stream: both(
      answering(
        (el) => el.attrs.type === "get" && el.getChild("pubsub", PUBSUB)?.getChild("items")?.attrs.node === METADATA,
        (a) => [iqErrorFor(a, "item-not-found")],
      ),
      { element: (el) => (eventItems(el, METADATA) ? "drop" : "pass") },
    ),
  },
  {
    // Twenty-ninth audit: avatar-publish-notify judged both notification rules whether or not the metadata was
    // published (every step a SHOULD, so the case went on after the refused publish): a server refusing the metadata
    // publication and notifying nobody warned on AVATAR-NOTIFY-01 as well, and passed AVATAR-NOTIFY-02 (benvolio
    // got nothing, as nothing was published). Both are now `after: published`. On Prosody 13, HEAD file -> new:
    // warn (AVATAR-PUB-02 warn, AVATAR-NOTIFY-01 warn, AVATAR-NOTIFY-02 pass) -> warn (AVATAR-PUB-02 warn, both
    // notification rules not-reached). avatar.publish.refused cannot show it: the server still publishes there.
    id: "avatar.metadata.refused-unpublished",
    area: "avatar",
    requirements: ["AVATAR-PUB-02"],
    description: "a publication to the metadata node is refused (not-acceptable) and nothing is published: no metadata notification goes out",
    stream: both(
      answering(
        (el) => el.attrs.type === "set" && el.getChild("pubsub", PUBSUB)?.getChild("publish")?.attrs.node === METADATA,
        (a) => [iqErrorFor(a, "not-acceptable", "modify")],
      ),
      { element: (el) => (eventItems(el, METADATA) ? "drop" : "pass") },
    ),
  },
  {
    id: "avatar.publish.refused",
    area: "avatar",
    requirements: ["AVATAR-PUB-01", "AVATAR-PUB-02"],
    description: "a publication to the avatar data or metadata node is refused with <internal-server-error/> (nothing stored)",
    stream: answering(
      (el) => el.attrs.type === "set" && [DATA, METADATA].includes(String(el.getChild("pubsub", PUBSUB)?.getChild("publish")?.attrs.node ?? "")),
      (el) =>
        el.attrs.type === "result"
          ? [xml("iq", { type: "error", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from }, xml("error", { type: "wait" }, xml("internal-server-error", { xmlns: STANZAS })))]
          : "pass",
    ),
  },
  {
    id: "avatar.notify.dropped",
    area: "avatar",
    requirements: ["AVATAR-NOTIFY-01", "AVATAR-DISABLE-01", "AVATAR-SYNC-01", "AVCONV-V2P-04"],
    description: "avatar metadata notifications are never sent, to contacts with +notify or to the user's own resources",
    fault: when(
      (el) => Boolean(eventItems(el, METADATA)),
      () => "drop",
    ),
  },
  {
    id: "avatar.notify.unfiltered",
    area: "avatar",
    requirements: ["AVATAR-NOTIFY-02"],
    description: "an avatar metadata notification also goes to the other accounts' resources that advertise no +notify in their caps",
    fault: (el, ctx) => {
      if (!eventItems(el, METADATA)) return "pass";
      for (const p of ctx.peers()) if (bare(p.jid) !== bare(ctx.conn.jid) && bare(p.jid) !== bare(String(el.attrs.from ?? ""))) p.deliver(changed(el, (c) => (c.attrs.to = p.jid))[0]);
      return "pass";
    },
  },
  {
    // Class sweep (2026-11-26, group X2): avatar-publish-notify had no contact without caps (XEP-0163 §4.3.2 rule 2,
    // at most one notification, to the bare JID); mercutio now presents none. On Prosody 13, HEAD file -> new:
    // pass -> fail (PEP-NUM-02).
    id: "avatar.notify.capless-full-jid",
    area: "avatar",
    requirements: ["PEP-NUM-02"],
    description: "a contact's resource that sent presence without caps is taken as interested in everything: the avatar metadata notification also goes to its full JID",
    stream: (() => {
      const capless = new Set<number>();
      const sent = new Set<string>();
      return {
        fromClient: (el: Element, { conn }: FaultContext) => {
          if (el.name !== "presence" || el.attrs.to !== undefined || harnessSession(conn.jid)) return;
          if (el.attrs.type === undefined && !el.getChild("c", "http://jabber.org/protocol/caps")) capless.add(conn.id);
          else capless.delete(conn.id);
        },
        element: (el: Element, ctx: FaultContext) => {
          if (!eventItems(el, METADATA)) return "pass";
          const publisher = bare(String(el.attrs.from ?? ""));
          for (const p of ctx.peers()) {
            const key = `${p.id} ${String(el.attrs.id ?? el.toString())}`;
            if (!capless.has(p.id) || bare(p.jid) === publisher || sent.has(key)) continue;
            sent.add(key);
            p.deliver(changed(el, (c) => (c.attrs.to = p.jid))[0]);
          }
          return "pass";
        },
      };
    })(),
  },
  {
    id: "avatar.notify.no-replyto",
    area: "avatar",
    requirements: ["AVATAR-REPLYTO-01"],
    description: "avatar metadata notifications carry no replyto address of the publishing resource (visible where the server adds one: ejabberd)",
    fault: when(
      (el) => Boolean(eventItems(el, METADATA) && el.getChild("addresses", ADDRESS)),
      (el) => changed(el, (c) => c.remove("addresses", ADDRESS)),
    ),
  },
  {
    id: "avatar.items.data-lost",
    area: "avatar",
    requirements: ["AVATAR-RETRIEVE-01", "AVCONV-V2P-01"],
    description: "a retrieve-items request for the avatar data node is answered with no items",
    fault: when(
      (el) => Boolean(resultItems(el, DATA)),
      (el) => changed(el, (c) => (resultItems(c, DATA)!.children = [])),
    ),
  },
  {
    id: "avatar.disco.nodes-missing",
    area: "avatar",
    requirements: ["AVATAR-DISCO-01"],
    description: "a user's disco#items leaves out the avatar data and metadata nodes",
    fault: when(
      (el) => el.name === "iq" && el.attrs.type === "result" && Boolean(el.getChild("query", DISCO_ITEMS)),
      (el) => changed(el, (c) => without(c.getChild("query", DISCO_ITEMS)!, (i) => i.attrs.node === DATA || i.attrs.node === METADATA)),
    ),
  },
  {
    id: "avconv.disco.feature-missing",
    area: "avatar",
    requirements: ["AVCONV-DISCO-01"],
    description: "the server converts PEP avatars into the vCard but leaves urn:xmpp:pep-vcard-conversion:0 out of the account's disco#info",
    fault: when(
      (el) => el.name === "iq" && el.attrs.type === "result" && Boolean(el.getChild("query", DISCO_INFO)),
      (el) => changed(el, (c) => without(c.getChild("query", DISCO_INFO)!, (f) => f.name === "feature" && f.attrs.var === CONVERSION)),
    ),
  },
  {
    // Nineteenth audit: avconv-disco took a vCard get answered with an IQ result holding no <vCard/> for none of its
    // outcomes, so a server that does not convert and answers so (breaking XEP-0054 §3.1, which vcard-own-empty
    // judges, not XEP-0398 §2) failed AVCONV-DISCO-01 at MUST. Such an answer shows no PHOTO: the case now takes it
    // as its empty-result outcome, crediting nothing. ejabberd 23.01, which does not convert: fail -> pass; Prosody 13,
    // which converts: pass (listed) both ways. vcard-own-empty fails on it (VCARD-OWN-EMPTY-01).
    id: "vcard.own.no-vcard-element",
    area: "avatar",
    requirements: ["VCARD-OWN-EMPTY-01"],
    description: "a get for a vCard that does not exist is answered with an empty IQ result, without the empty <vCard/> XEP-0054 §3.1 asks for",
    fault: when(
      (el) => vCardResult(el) !== undefined && vCardResult(el)!.getChildElements().length === 0,
      (el) => changed(el, (c) => (c.children = [])),
    ),
  },
  {
    id: "avconv.vcard.photo-lost",
    area: "avatar",
    requirements: ["AVCONV-P2V-01", "VCAVATAR-GET-01"],
    description: "the vCard is returned without its PHOTO (a PEP avatar never reaches it, a stored PHOTO is lost)",
    fault: when(
      (el) => Boolean(photoOf(el)),
      (el) => changed(el, (c) => vCardResult(c)!.remove("PHOTO")),
    ),
  },
  {
    id: "avconv.vcard.photo-other-image",
    area: "avatar",
    requirements: ["AVCONV-P2V-02", "VCAVATAR-GET-01"],
    description: "the vCard PHOTO holds another image than the one published (a stale or wrongly picked data item)",
    fault: when(
      (el) => Boolean(photoOf(el)?.getChild("BINVAL")),
      (el) => changed(el, (c) => setText(photoOf(c)!.getChild("BINVAL")!, OTHER_IMAGE)),
    ),
  },
  {
    // Fortieth audit: avconv-pep-to-vcard-url-info's control polled the vCard until its PHOTO held the blue PNG's
    // BINVAL and charged that to AVCONV-P2V-01 (the vCard has a PHOTO), so a conversion storing other data than the
    // published image (P2V-02's content rule) failed P2V-01. avconv.vcard.photo-other-image cannot show it: its
    // image is that blue PNG. The control now polls for a PHOTO (P2V-01) and judges its BINVAL as P2V-02.
    id: "avconv.vcard.photo-unpublished-image",
    area: "avatar",
    requirements: ["AVCONV-P2V-02"],
    description: "the vCard PHOTO converted from a PEP avatar holds an image no case publishes (the avatar re-encoded, or another data item's content)",
    fault: when(
      (el) => Boolean(photoOf(el)?.getChild("BINVAL")),
      (el) => changed(el, (c) => setText(photoOf(c)!.getChild("BINVAL")!, UNPUBLISHED_IMAGE)),
    ),
  },
  {
    id: "avconv.vcard.photo-type-lost",
    area: "avatar",
    requirements: ["AVCONV-P2V-03", "VCAVATAR-GET-01"],
    description: "the vCard PHOTO converted from a PEP avatar has no TYPE",
    fault: when(
      (el) => Boolean(photoOf(el)?.getChild("TYPE")),
      (el) => changed(el, (c) => photoOf(c)!.remove("TYPE")),
    ),
  },
  {
    // Fifty-fourth audit (2026-11-28): only the <info/> id is wrong here (the data item's id is right), which is
    // AVCONV-V2P-03's failure ("one info element that represents the newly published image"), not V2P-02's.
    id: "avconv.v2p.metadata-id-wrong",
    area: "avatar",
    requirements: ["AVCONV-V2P-03"],
    description: "an avatar converted from a vCard PHOTO is announced in the metadata with an id that is not the image's SHA-1 (e.g. a hash of the base64 text, line breaks included)",
    fault: metadataIdWrong,
  },
  {
    // Fifty-fourth audit (2026-11-28): avconv-vcard-to-pep judged the metadata's <info/> id (V2P-03) before the data
    // item's id (V2P-02), so a server that computes the image's id wrongly and uses it for both failed V2P-03, with
    // V2P-02 not reached; the data node is now judged first (fail V2P-03 -> fail V2P-02 on Prosody 13).
    id: "avconv.v2p.data-id-wrong-consistent",
    area: "avatar",
    requirements: ["AVCONV-V2P-02"],
    description: "a vCard PHOTO is converted into a data item whose id is not the image's SHA-1 (a hash of nothing), and the metadata <info/> names that same id",
    fault: (el) => dataIdWrongConsistent(el),
  },
  {
    // Fifty-fourth audit (2026-11-28): avconv-vcard-to-pep-notify's V2P-03 poll asked the <info/> id to be the
    // image's SHA-1, so a server whose wrong image id the <info/> repeats failed V2P-03 there (V2P-02's failure,
    // avconv-vcard-to-pep's); the poll now asks the <info/> to name the data item read (on Prosody 13: fail V2P-03
    // -> warn V2P-04, its own rule; avconv-vcard-to-pep fails V2P-02).
    id: "avconv.v2p.data-id-wrong-consistent-unnotified",
    area: "avatar",
    requirements: ["AVCONV-V2P-04", "AVCONV-V2P-02"],
    description: "a vCard PHOTO is converted into a data item whose id is not the image's SHA-1, the metadata <info/> names that same id, and no metadata notification is sent",
    fault: (el) => (eventItems(el, METADATA) ? "drop" : dataIdWrongConsistent(el)),
  },
  {
    // Fifty-eighth audit (2026-11-28): avconv-vcard-to-pep-notify: the V2P-03 poll asked the <info/> to name the data
    // item read, so a server whose data item id is wrong (V2P-02, avconv-vcard-to-pep's rule) but whose <info/> names
    // the image's SHA-1 (it represents the newly published image: V2P-03 holds) failed V2P-03 at MUST; the poll now
    // takes either id (on Prosody 13: fail V2P-03 -> warn V2P-04).
    id: "avconv.v2p.data-id-wrong-unnotified",
    area: "avatar",
    requirements: ["AVCONV-V2P-04", "AVCONV-V2P-02"],
    description:
      "a vCard PHOTO is converted into a data item whose id is not the image's SHA-1 (a hash of nothing), the metadata <info/> names the image's SHA-1, and no metadata notification is sent",
    fault: (el) => (eventItems(el, METADATA) ? "drop" : dataIdWrong(el)),
  },
  {
    // Fifty-eighth audit (2026-11-28): avconv-vcard-to-pep-notify: with the V2P-03 poll now taking the data item read
    // or the image's SHA-1, an <info/> that names neither (the data item right) must still fail V2P-03 there.
    id: "avconv.v2p.metadata-id-wrong-unnotified",
    area: "avatar",
    requirements: ["AVCONV-V2P-03"],
    description: "an avatar converted from a vCard PHOTO is announced in the metadata with an id that is not the image's SHA-1 (the data item's id is right), and no metadata notification is sent",
    fault: (el) => (eventItems(el, METADATA) ? "drop" : metadataIdWrong(el)),
  },
  {
    // Fifty-fourth audit (2026-11-28): avconv-vcard-to-pep's late-conversion path (no metadata item at the first
    // get, a data item there) never judged the data item, so a late conversion under a wrong id passed with V2P-01
    // and V2P-02 not reached; the data-only outcome now judges both (pass -> fail V2P-02 on Prosody 13).
    id: "avconv.v2p.late-metadata-data-id-wrong",
    area: "avatar",
    requirements: ["AVCONV-V2P-02"],
    description: "a vCard PHOTO is converted late: the first metadata items request (id m1) finds none, and the data item's id is not the image's SHA-1",
    stream: both(
      answering(
        (el) => el.attrs.type === "get" && el.attrs.id === "m1" && el.getChild("pubsub", PUBSUB)?.getChild("items")?.attrs.node === METADATA,
        (a) => [iqErrorFor(a, "item-not-found")],
      ),
      {
        element: dataIdWrong,
      },
    ),
  },
  {
    id: "avconv.v2p.metadata-two-infos",
    area: "avatar",
    requirements: ["AVCONV-V2P-03"],
    description: "the metadata of an avatar converted from a vCard PHOTO holds a second <info/> besides the image's",
    fault: when(
      (el) => Boolean(resultItems(el, METADATA)?.getChild("item")?.getChild("metadata", METADATA)?.getChild("info")),
      (el) =>
        changed(el, (c) =>
          resultItems(c, METADATA)!
            .getChild("item")!
            .getChild("metadata", METADATA)!
            .cnode(xml("info", { id: OTHER_HASH, type: "image/gif", bytes: "1", url: "https://avatars.example.org/x.gif" })),
        ),
    ),
  },
  {
    id: "avconv.presence.update-dropped",
    area: "avatar",
    requirements: ["AVCONV-PRES-01", "AVCONV-PRES-02", "AVCONV-PRES-05", "VCAVATAR-BCAST-01"],
    description: "a user's available presence reaches others without its vcard-temp:x:update child (the avatar hash neither kept nor added)",
    fault: (el, ctx) => (updateOf(el, ctx) ? changed(el, (c) => c.remove("x", UPDATE)) : "pass"),
  },
  {
    id: "avconv.presence.photo-emptied",
    area: "avatar",
    requirements: ["AVCONV-PRES-01", "AVCONV-PRES-02", "AVCONV-PRES-05"],
    description: "the server puts an empty <photo/> into the user's presence although the user has an avatar",
    fault: (el, ctx) => (updateOf(el, ctx) ? changed(el, (c) => (c.getChild("x", UPDATE)!.children = [xml("photo", {})])) : "pass"),
  },
  {
    id: "avconv.presence.empty-photo-filled",
    area: "avatar",
    requirements: ["AVCONV-PRES-03"],
    description: "an empty <photo/> the user sent is replaced with a hash",
    fault: (el, ctx) => {
      const photo = updateOf(el, ctx)?.getChild("photo");
      return photo && !photo.getText().trim() ? changed(el, (c) => setText(c.getChild("x", UPDATE)!.getChild("photo")!, OTHER_HASH)) : "pass";
    },
  },
  {
    id: "avconv.stranger.photo-leaked",
    area: "avatar",
    requirements: ["AVCONV-SEC-01", "AVCONV-SEC-02", "AVCONV-IMPL-01"],
    description: "another user's vCard is returned with a PHOTO built from a PEP avatar the requester may not read",
    fault: (el, ctx) =>
      vCardResult(el) && !photoOf(el) && bare(String(el.attrs.from ?? "")) !== bare(ctx.conn.jid)
        ? changed(el, (c) => vCardResult(c)!.cnode(xml("PHOTO", {}, xml("TYPE", {}, "image/png"), xml("BINVAL", {}, OTHER_IMAGE))))
        : "pass",
  },
  (() => {
    // Fifty-seventh audit (2026-11-28): avconv-stranger-no-photo read the stranger's vCard once, right after the
    // metadata publish's result, though XEP-0398 §3.1 fixes no order between that result and the copy: a server that
    // copies the 'presence' avatar a moment later leaked it and passed. The case now asks again until its timeout.
    const published = new Map<string, number>(); // bare JID -> when its metadata publish went out
    return {
      id: "avconv.stranger.photo-leaked-late",
      area: "avatar",
      requirements: ["AVCONV-SEC-01", "AVCONV-SEC-02", "AVCONV-IMPL-01"],
      description: "another user's vCard is returned with a PHOTO built from a PEP avatar the requester may not read, once 1.5 s have passed since the owner's metadata publish (a copy made late)",
      stream: {
        fromClient: (el, { conn }) => {
          if (el.name === "iq" && el.attrs.type === "set" && el.getChild("pubsub", PUBSUB)?.getChild("publish")?.attrs.node === METADATA && conn.jid) published.set(bare(conn.jid), Date.now());
        },
        element: (el, { conn }) => {
          const at = published.get(bare(String(el.attrs.from ?? "")));
          return vCardResult(el) && !photoOf(el) && at !== undefined && Date.now() - at >= 1500 && bare(String(el.attrs.from ?? "")) !== bare(conn.jid)
            ? changed(el, (c) => vCardResult(c)!.cnode(xml("PHOTO", {}, xml("TYPE", {}, "image/png"), xml("BINVAL", {}, OTHER_IMAGE))))
            : "pass";
        },
      },
    } satisfies FaultDef;
  })(),
  {
    id: "vcavatar.whitespace-not-ignored",
    area: "avatar",
    requirements: ["VCAVATAR-WS-01"],
    description:
      "a vCard whose PHOTO BINVAL is broken into lines is not converted into a XEP-0084 avatar (the line break makes it invalid base64 to the server): the metadata keeps the previous avatar, or none",
    stream: whitespaceChoked(),
  },
  {
    // Eighteenth audit: vcavatar-broadcast (and the vCard-to-PEP conversion cases) waited for the vCard set's
    // result as set-up, so a server that never answers it (XEP-0054 §3.2, VCARD-OWN-SET-01) was skipped.
    id: "vcard.set.unanswered",
    area: "avatar",
    requirements: ["VCARD-OWN-SET-01", "STANZA-IQ-01"],
    description: "a user's own vCard set is stored but never answered (no IQ-result, no IQ-error)",
    stream: answering(
      (el, { conn }) => el.attrs.type === "set" && Boolean(el.getChild("vCard", VCARD)) && (el.attrs.to === undefined || el.attrs.to === bare(conn.jid)),
      () => "drop",
    ),
  },
  {
    id: "avconv.p2v.url-info-picked",
    area: "avatar",
    requirements: ["AVCONV-P2V-04"],
    description: "of several <info/> elements in the avatar metadata the first is converted into the vCard, even one that points to an external URL (PHOTO with EXTVAL)",
    stream: firstInfoConverted(),
  },
  {
    // Seventy-seventh audit (round 77): avconv-pep-to-vcard-url-info polled the vCard until some PHOTO held the green
    // PNG, so a vCard with a second PHOTO made of the URL <info/> (its EXTVAL) passed AVCONV-P2V-04 (patterns take
    // children as a subset); the poll now also asks that no PHOTO hold an EXTVAL. Prosody 13, old -> new file: pass
    // -> fail (AVCONV-P2V-04).
    id: "avconv.p2v.url-info-also-converted",
    area: "avatar",
    requirements: ["AVCONV-P2V-04"],
    description:
      "every <info/> of the avatar metadata is converted into the vCard: a PHOTO with the EXTVAL of the one that points to an external URL beside the PHOTO holding the data of the one that does not",
    stream: allInfosConverted(),
  },
  {
    // Thirty-first audit: a conversion that forwards the user's available presence at once without any hash, and then
    // a copy with it (as a module that looks the hash up asynchronously and re-broadcasts would). XEP-0398 §4: "services
    // MUST include the hash on behalf of their users in every available presence" (and "The hash MUST also be injected
    // into directed presences"): the first copy already breaks it. avconv-presence-hash (plain, empty-x) and
    // avconv-presence-hash-directed took the second copy and passed; their 'receives nothing' checks now fail it.
    id: "avconv.presence.first-copy-without-hash",
    area: "avatar",
    requirements: ["AVCONV-PRES-01", "AVCONV-PRES-02", "AVCONV-PRES-05"],
    description: "a contact first gets the user's available presence without the avatar's hash, then a copy with it",
    stream: {
      element: (el, ctx) => {
        if (el.name !== "presence" || el.attrs.type) return "pass";
        const from = String(el.attrs.from ?? "");
        if (!from.includes("/") || bare(from) === bare(ctx.conn.jid)) return "pass";
        const photo = el.getChild("x", "vcard-temp:x:update")?.getChildText("photo");
        if (!photo || !/^58a8ca82/i.test(photo)) return "pass";
        const first = copyOf(el);
        first.children = first.children.filter((c) => typeof c === "string" || !(c.name === "x" && c.attrs.xmlns === "vcard-temp:x:update"));
        return [first, el];
      },
    },
  },
  {
    // Thirty-ninth audit: avconv-presence-hash (other-hash) took the first presence with either allowed photo and
    // let any other through, so a copy without any hash before it passed AVCONV-PRES-01 ("every available presence").
    id: "avconv.presence.foreign-hash-first-copy-without-update",
    area: "avatar",
    requirements: ["AVCONV-PRES-01"],
    description: "a presence with another hash than the avatar's reaches a contact first without its vcard-temp:x:update child, then as sent",
    stream: {
      element: (el, ctx) => {
        const photo = updateOf(el, ctx)?.getChildText("photo")?.trim();
        if (!photo || /^58a8ca82/i.test(photo) || !String(el.attrs.from ?? "").includes("/")) return "pass";
        const first = copyOf(el);
        without(first, (c) => c.name === "x" && c.attrs.xmlns === UPDATE);
        return [first, el];
      },
    },
  },
  {
    // Thirty-ninth audit: avconv-presence-hash (other-hash, empty-photo) judged only the first matching presence;
    // a second copy that changed the photo went unseen. Now 'receives nothing' after the arrival.
    id: "avconv.presence.second-copy-without-update",
    area: "avatar",
    requirements: ["AVCONV-PRES-01", "AVCONV-PRES-02", "AVCONV-PRES-03", "AVCONV-PRES-05"],
    description: "a contact gets the user's available presence as the service forwards it, then a copy without its vcard-temp:x:update child",
    stream: {
      element: (el, ctx) => {
        if (!updateOf(el, ctx) || !String(el.attrs.from ?? "").includes("/")) return "pass";
        const second = copyOf(el);
        without(second, (c) => c.name === "x" && c.attrs.xmlns === UPDATE);
        return [el, second];
      },
    },
  },
  {
    // Thirty-ninth audit: avconv-presence-hash (empty-photo) took the first presence with an empty photo, so a copy
    // with the photo filled before it passed (Example 6: "doesn’t touch the photo element").
    id: "avconv.presence.empty-photo-first-copy-filled",
    area: "avatar",
    requirements: ["AVCONV-PRES-03"],
    description: "a presence with an empty <photo/> reaches a contact first with a hash in it, then as sent",
    stream: {
      element: (el, ctx) => {
        const photo = updateOf(el, ctx)?.getChild("photo");
        if (!photo || photo.getText().trim() || !String(el.attrs.from ?? "").includes("/")) return "pass";
        const first = copyOf(el);
        setText(first.getChild("x", UPDATE)!.getChild("photo")!, OTHER_HASH);
        return [first, el];
      },
    },
  },
  {
    // Class sweep (2026-11-28, group S2): avconv-disco: a server without vcard-temp (so without the conversion) that
    // never answers a user's vCard get breaks RFC 6120's IQ rule (STANZA-IQ-01), not XEP-0398 §2; the case judged it
    // as AVCONV-DISCO-01. Seventy-seventh audit (round 77): its 'unanswered' outcome still took the silence as an
    // allowed outcome, so STANZA-IQ-01 was never charged; dropped: ejabberd 24.12 and Prosody 13, old -> new file:
    // pass -> fail (STANZA-IQ-01).
    id: "avconv.vcard-get-unanswered",
    area: "avatar",
    requirements: ["STANZA-IQ-01"],
    description: "the server answers no get of a user's own vCard (neither a result nor an error) and lists no urn:xmpp:pep-vcard-conversion:0 (nor vcard-temp) in any disco#info",
    stream: unansweredUnlisted(ownVcardGet, [CONVERSION, VCARD]),
  },
  {
    // Sixty-first audit (2026-11-28): avconv-pep-to-vcard's polls charged a vCard get never answered to XEP-0398's
    // conversion (AVCONV-P2V-01), where RFC 6120 §8.2.3 (STANZA-IQ-01) is what breaks; the conversion stays listed
    // here, so the case runs: old file fail (AVCONV-P2V-01) -> new file fail (STANZA-IQ-01), Prosody 13.
    id: "avconv.vcard-get-unanswered-listed",
    area: "avatar",
    requirements: ["STANZA-IQ-01"],
    description: "the server answers no get of a user's own vCard (neither a result nor an error), and still lists urn:xmpp:pep-vcard-conversion:0",
    stream: answering(ownVcardGet, () => "drop"),
  },
  {
    // Sixty-first audit (class note of avconv-pep-to-vcard): vcavatar-whitespace's control charged a metadata get never
    // answered to XEP-0153's whitespace rule (VCAVATAR-WS-01); it is RFC 6120 §8.2.3's (STANZA-IQ-01).
    id: "avatar.metadata-get-unanswered",
    area: "avatar",
    requirements: ["STANZA-IQ-01"],
    description: "the server answers no get of the items of a user's own avatar metadata node (neither a result nor an error)",
    stream: answering(ownMetadataGet, () => "drop"),
  },
];

/**
 * The first of several <info/> elements converted (XEP-0398 §3.1 asks for the one without a url): for each account
 * whose latest metadata publish lists an <info/> with a url before the others, its vCard PHOTO comes back as that
 * <info/> makes it, its type with the url as EXTVAL, and no BINVAL.
 */
function firstInfoConverted(): FaultDef["stream"] {
  const picked = new Map<string, Element>();
  return {
    fromClient: (el, { conn }) => {
      const publish = el.name === "iq" && el.attrs.type === "set" ? el.getChild("pubsub", PUBSUB)?.getChild("publish") : undefined;
      if (publish?.attrs.node !== METADATA || !conn.jid) return;
      const first = publish.getChild("item")?.getChild("metadata", METADATA)?.getChildren("info")[0];
      if (first?.attrs.url) picked.set(bare(conn.jid), first);
      else picked.delete(bare(conn.jid));
    },
    element: (el, { conn }) => {
      const info = conn.jid && photoOf(el) ? picked.get(el.attrs.from ? bare(String(el.attrs.from)) : bare(conn.jid)) : undefined;
      return info ? changed(el, (c) => (photoOf(c)!.children = [xml("TYPE", {}, String(info.attrs.type)), xml("EXTVAL", {}, String(info.attrs.url))])) : "pass";
    },
  };
}

/**
 * Every <info/> converted (XEP-0398 §3.1 asks for the one without a url only): for each account whose latest
 * metadata publish lists an <info/> with a url and one without, naming a data item the account published, its vCard
 * PHOTO comes back as two, in the <info/> order: the url one's type and EXTVAL, and the other's type and BINVAL.
 */
function allInfosConverted(): FaultDef["stream"] {
  const data = new Map<string, string>();
  const photos = new Map<string, Element[]>();
  return {
    fromClient: (el, { conn }) => {
      const publish = el.name === "iq" && el.attrs.type === "set" ? el.getChild("pubsub", PUBSUB)?.getChild("publish") : undefined;
      if (!publish || !conn.jid) return;
      const item = publish.getChild("item");
      const who = bare(conn.jid);
      if (publish.attrs.node === DATA && item?.attrs.id) data.set(`${who} ${item.attrs.id}`, item.getChildText("data", DATA) ?? "");
      if (publish.attrs.node !== METADATA) return;
      const infos = item?.getChild("metadata", METADATA)?.getChildren("info") ?? [];
      const local = infos.find((i) => !i.attrs.url && data.has(`${who} ${i.attrs.id}`));
      if (!local || !infos.some((i) => i.attrs.url)) return void photos.delete(who);
      photos.set(
        who,
        infos
          .filter((i) => i.attrs.url || i === local)
          .map((i) =>
            i.attrs.url
              ? xml("PHOTO", {}, xml("TYPE", {}, String(i.attrs.type)), xml("EXTVAL", {}, String(i.attrs.url)))
              : xml("PHOTO", {}, xml("TYPE", {}, String(i.attrs.type)), xml("BINVAL", {}, data.get(`${who} ${i.attrs.id}`)!)),
          ),
      );
    },
    element: (el, { conn }) => {
      const made = conn.jid && photoOf(el) ? photos.get(el.attrs.from ? bare(String(el.attrs.from)) : bare(conn.jid)) : undefined;
      if (!made) return "pass";
      return changed(el, (c) => {
        const card = vCardResult(c)!;
        without(card, (child) => child.name === "PHOTO");
        made.forEach((p) => card.cnode(copyOf(p)));
      });
    },
  };
}

/**
 * A BINVAL broken into lines is not decoded, so its vCard is not converted (XEP-0153 §4.6: whitespace "MUST be
 * ignored"): for an account whose latest vCard set had whitespace inside its BINVAL, a metadata get sent after
 * that set is answered with the items of the account's last metadata result from before it (the avatar
 * unchanged), or with none.
 */
function whitespaceChoked(): FaultDef["stream"] {
  const choked = new Set<string>();
  const late = new Set<string>();
  const before = new Map<string, Element>();
  return {
    fromClient: (el, { conn }) => {
      if (!conn.jid || el.name !== "iq") return;
      const binval = el.attrs.type === "set" ? el.getChild("vCard", VCARD)?.getChild("PHOTO")?.getChild("BINVAL") : undefined;
      if (binval) {
        if (/\s/.test(binval.getText().trim())) choked.add(bare(conn.jid));
        else choked.delete(bare(conn.jid));
      }
      const items = el.attrs.type === "get" ? el.getChild("pubsub", PUBSUB)?.getChild("items") : undefined;
      if (items?.attrs.node === METADATA && choked.has(bare(conn.jid))) late.add(`${conn.id} ${el.attrs.id}`);
    },
    element: (el, { conn }) => {
      const items = conn.jid ? resultItems(el, METADATA) : undefined;
      if (!items) return "pass";
      if (!late.delete(`${conn.id} ${el.attrs.id}`)) {
        before.set(bare(conn.jid), items);
        return "pass";
      }
      const kept = before.get(bare(conn.jid));
      return changed(el, (c) => (resultItems(c, METADATA)!.children = kept ? copyOf(kept).children : []));
    },
  };
}

/**
 * A vCard-to-PEP conversion finished after the vCard set's result: a metadata get the client sent behind a vCard
 * set whose result it had not yet received is answered with the account's metadata items from before (or none).
 */
function metadataReplacedLate(): NonNullable<Variation["stream"]> {
  const pending = new Set<string>();
  const late = new Set<string>();
  const before = new Map<string, Element>();
  return {
    fromClient: (el, { conn }) => {
      if (!conn.jid || el.name !== "iq") return;
      if (el.attrs.type === "set" && el.getChild("vCard", VCARD)) pending.add(`${conn.id} ${el.attrs.id}`);
      const items = el.attrs.type === "get" ? el.getChild("pubsub", PUBSUB)?.getChild("items") : undefined;
      if (items?.attrs.node === METADATA && [...pending].some((k) => k.startsWith(`${conn.id} `))) late.add(`${conn.id} ${el.attrs.id}`);
    },
    element: (el, { conn }) => {
      if (el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error")) pending.delete(`${conn.id} ${el.attrs.id}`);
      const items = conn.jid ? resultItems(el, METADATA) : undefined;
      if (!items) return "pass";
      if (!late.delete(`${conn.id} ${el.attrs.id}`)) {
        before.set(bare(conn.jid), items);
        return "pass";
      }
      const kept = before.get(bare(conn.jid));
      return changed(el, (c) => (resultItems(c, METADATA)!.children = kept ? copyOf(kept).children : []));
    },
  };
}

/** What a correct server may do differently; no verdict may change. */
export const VARIATIONS: Variation[] = [
  {
    // Sixty-third audit (2026-11-29): avatar-sync-new-resource waited for the last metadata item whether or not the
    // node keeps one; XEP-0060 §3 makes caching the last item of a node without persistent items optional. The case
    // now reads the node first and waits for the item only where it is kept (Prosody 13: warn -> pass, 'transient').
    id: "avatar-metadata-not-persistent-no-last-item",
    description:
      "the avatar metadata node, published without pubsub#persist_items=true, keeps no items (every items request for it is answered <feature-not-implemented/> with <unsupported feature='persistent-items'/>, XEP-0060 §6.5.9.4) and caches no last item: a metadata notification to a connection whose latest presence came after the owner's latest metadata publish is dropped",
    fault: () => "pass",
    stream: notPersistentNode(METADATA, { noLastItem: true }),
  },
  {
    // Fifty-fourth audit (2026-11-28): avconv-vcard-to-pep and avconv-vcard-to-pep-notify asked the converted
    // metadata for xc:children='exact' with one <info/>, but XEP-0398 §3.2 asks only for "one info element" and
    // XEP-0084 metadata may also hold <pointer/> children; now exactly one <info/>, other children allowed (on
    // Prosody 13: fail -> pass). Applied by bench/try-case.ts only (stream).
    id: "avatar-metadata-with-pointer",
    description:
      'the metadata items the server returns carry a XEP-0084 <pointer/> child beside the one <info/> (XEP-0398 §3.2 asks for "one info element"; XEP-0084 §4.2: "There are two allowable children of the <metadata/> element", <info/> and <pointer/>)',
    fault: () => "pass",
    stream: {
      element: (el) =>
        resultItems(el, METADATA)?.getChild("item")?.getChild("metadata", METADATA)
          ? changed(el, (c) =>
              resultItems(c, METADATA)!
                .getChildren("item")
                .forEach((i) => i.getChild("metadata", METADATA)?.cnode(xml("pointer", {}, xml("x", { xmlns: "urn:example:avatar-elsewhere" }, "x")))),
            )
          : "pass",
    },
  },
  {
    // Class sweep 3 (2026-11-27): avconv-vcard-to-pep's 'not-converted' outcome credited AVCONV-V2P-00 (XEP-0398 §3:
    // "A service MAY support conversion from vCard to PEP") where the server did not convert, so this server passed
    // a MAY it does not take up; the MAY is now credited only where a metadata item shows a conversion (on Prosody
    // 13: pass -> pass, AVCONV-V2P-00 pass -> not-reached). Applied by bench/try-case.ts only (stream): the PEP
    // avatar cases publish to these nodes themselves, which it leaves alone.
    id: "avatar-vcard-to-pep-not-converted",
    description:
      'a vCard PHOTO is not converted to PEP (XEP-0398 §3: "A service MAY support conversion from vCard to PEP"): an account that never published to the avatar nodes itself gets item-not-found for their items, as for nodes that do not exist',
    fault: () => "pass",
    stream: (() => {
      const published = new Set<string>();
      const avatarNode = (el: Element, type: string) => {
        const p = el.name === "iq" && el.attrs.type === type ? el.getChild("pubsub", PUBSUB) : undefined;
        const node = String((type === "set" ? p?.getChild("publish") : p?.getChild("items"))?.attrs.node ?? "");
        return node === DATA || node === METADATA;
      };
      const inner = answering(
        (el, { conn }) => avatarNode(el, "get") && el.attrs.to === undefined && !published.has(bare(conn.jid)),
        (a) => [iqErrorFor(a, "item-not-found")],
      );
      return {
        fromClient: (el, ctx) => {
          if (avatarNode(el, "set")) published.add(bare(ctx.conn.jid));
          inner.fromClient?.(el, ctx);
        },
        element: (el, ctx) => inner.element?.(el, ctx) ?? "pass",
      };
    })(),
  },
  {
    // Class sweep (2026-11-27, group S7): vcavatar-whitespace asked for the metadata node right behind the split
    // BINVAL's vCard set, before its result, so a server that replaces the avatar just after answering that set
    // failed VCAVATAR-WS-01 (MUST); the node is now asked after the result and polled until the new item is there.
    id: "avatar-metadata-replaced-late",
    description:
      'the metadata item converted from a vCard set is published just after the set\'s result: a metadata get sent behind the set, before its result came, still gets the earlier item, or none (XEP-0398 §3.2 orders the two publications, "first" the data and "Afterwards" the metadata, not the vCard set\'s result)',
    fault: () => "pass",
    stream: metadataReplacedLate(),
  },
  {
    id: "avatar-binval-wrapped",
    description:
      'the vCard PHOTO\'s BINVAL is broken into lines of 76 characters (XEP-0153 §4.6: RFC 2045 "recommends that base64 data should have lines limited to at most 76 characters"; whitespace "MUST be ignored")',
    fault: when(
      (el) => Boolean(photoOf(el)?.getChild("BINVAL")),
      (el) =>
        changed(el, (c) => {
          const binval = photoOf(c)!.getChild("BINVAL")!;
          setText(
            binval,
            binval
              .getText()
              .replace(/\s+/g, "")
              .replace(/(.{76})(?=.)/g, "$1\n"),
          );
        }),
    ),
  },
  {
    // Twenty-third audit: the BINVAL and <data/> patterns allowed whitespace only between groups of four characters,
    // so avconv-pep-to-vcard (AVCONV-P2V-02, MUST) failed a converting server that folds the vCard's base64 after 75
    // characters (vCard 3.0's line length) though the data is the published image (fail -> pass); the patterns now
    // allow whitespace between any two characters, in avconv-pep-to-vcard-url-info, avconv-vcard-to-pep,
    // vcavatar-contact-get and avatar-retrieve-by-id too.
    id: "avatar-base64-folded-75",
    description:
      'the vCard PHOTO\'s BINVAL and the avatar <data/> in retrieved items are folded with a line break after every 75 characters (XEP-0153 §4.6: whitespace "MUST be ignored"; XEP-0084 §4.1: "Line feeds SHOULD NOT be added but MUST be accepted")',
    fault: when(
      (el) => Boolean(photoOf(el)?.getChild("BINVAL") ?? resultItems(el, DATA)),
      (el) =>
        changed(el, (c) => {
          const fold = (e: Element) =>
            setText(
              e,
              e
                .getText()
                .replace(/\s+/g, "")
                .replace(/(.{75})(?=.)/g, "$1\n"),
            );
          const binval = photoOf(c)?.getChild("BINVAL");
          if (binval) fold(binval);
          for (const item of resultItems(c, DATA)?.getChildren("item") ?? []) {
            const data = item.getChild("data", DATA);
            if (data) fold(data);
          }
        }),
    ),
  },
  {
    // Twenty-third audit: avconv-pep-to-vcard read the vCard once, right after the metadata publish's result, and
    // XEP-0398 §3.1 sets no order between that result and the store, so a server that stores the PHOTO a moment later
    // failed AVCONV-P2V-01 (MUST) (fail -> pass: the vCard is now polled until it has a PHOTO; so is
    // avconv-pep-to-vcard-url-info's, for AVCONV-P2V-04). Applied by bench/try-case.ts only (stream): the
    // hash-mismatch case would take a late PHOTO for none, which its rule cannot tell apart.
    id: "avatar-conversion-late",
    description:
      "the vCard PHOTO converted from a metadata publish is stored 1 s after the publish's result: a vCard get within that second is answered without it (XEP-0398 §3.1: \"Upon receiving a publication request to the 'urn:xmpp:avatar:metadata' node the service MUST look up the corresponding item … and store\" it; no order with the result is set)",
    fault: () => "pass",
    stream: (() => {
      const published = new Map<string, number>();
      return {
        fromClient: (el, { conn }) => {
          if (el.name === "iq" && el.attrs.type === "set" && el.getChild("pubsub", PUBSUB)?.getChild("publish")?.attrs.node === METADATA) published.set(bare(conn.jid), Date.now());
        },
        element: (el, { conn }) => {
          const at = conn.jid ? published.get(bare(conn.jid)) : undefined;
          return at !== undefined && Date.now() - at < 1000 && photoOf(el) ? changed(el, (c) => void vCardResult(c)!.remove("PHOTO")) : "pass";
        },
      };
    })(),
  },
  {
    id: "avatar-photo-children-reordered",
    description: "the vCard PHOTO lists BINVAL before TYPE (order is not fixed by XEP-0153 §4.5 or XEP-0054)",
    fault: when(
      (el) => Boolean(photoOf(el)?.getChild("TYPE") && photoOf(el)?.getChild("BINVAL")),
      (el) => changed(el, (c) => photoOf(c)!.children.reverse()),
    ),
  },
  {
    id: "avatar-hash-uppercase",
    description: 'the photo hash in presence is in upper-case hex (XEP-0153 §3.1: "Entities need to be able to process both")',
    fault: (el, ctx) => {
      const photo = updateOf(el, ctx)?.getChild("photo");
      return photo?.getText().trim() ? changed(el, (c) => setText(c.getChild("x", UPDATE)!.getChild("photo")!, photo.getText().trim().toUpperCase())) : "pass";
    },
  },
  {
    id: "avatar-notify-type-flipped",
    description: "avatar notifications are sent as type 'normal' instead of 'headline' or back (XEP-0060 pubsub#notification_type leaves it to the node's configuration)",
    fault: when(
      (el) => Boolean(eventItems(el, METADATA)),
      (el) => changed(el, (c) => (c.attrs.type = c.attrs.type === "headline" ? "normal" : "headline")),
    ),
  },
  {
    id: "avatar-disco-items-extra",
    description: 'a user\'s disco#items lists another PEP node besides the avatar ones (XEP-0084 §6.1 requires "the appropriate items", not only them)',
    fault: when(
      // Only beside the avatar nodes: elsewhere an item of a node the user does not have would change what a case knows of the account.
      (el) =>
        el.name === "iq" &&
        el.attrs.type === "result" &&
        Boolean(
          el
            .getChild("query", DISCO_ITEMS)
            ?.getChildren("item")
            .some((i) => String(i.attrs.node ?? "").startsWith("urn:xmpp:avatar:")),
        ),
      (el) => changed(el, (c) => c.getChild("query", DISCO_ITEMS)!.cnode(xml("item", { jid: bare(String(el.attrs.from ?? "")), node: "urn:xmpp:xmpp-conform:other" }))),
    ),
  },
  {
    // Sixtieth audit (2026-11-28): avconv-stranger-no-photo: the polls after the stranger's first vCard read required
    // every answer to take the first answer's form (an error stay an error, a PHOTO-less vCard stay one), though
    // XEP-0054 §3.1 allows both for "no vCard" and a server copying on publication may write the PHOTO-less record
    // a moment after the publish. Now every answer must only leave the PHOTO out. Applied by bench/try-case.ts only
    // (stream: it changes what other cases read of another user's vCard).
    id: "avconv-stranger-vcard-made-late",
    description:
      "another user's vCard is first answered item-not-found (no vCard yet), and with the server's own PHOTO-less vCard from 1.5 s after the owner's metadata publish (XEP-0054 §3.1: \"If no vCard exists, the server MUST return a stanza error (which SHOULD be <item-not-found/>) or an IQ-result containing an empty <vCard/> element.\")",
    fault: () => "pass",
    stream: (() => {
      const published = new Map<string, number>(); // bare JID -> when its metadata publish went out
      return {
        fromClient: (el, { conn }) => {
          if (el.name === "iq" && el.attrs.type === "set" && el.getChild("pubsub", PUBSUB)?.getChild("publish")?.attrs.node === METADATA && conn.jid) published.set(bare(conn.jid), Date.now());
        },
        element: (el, { conn }) => {
          const owner = bare(String(el.attrs.from ?? ""));
          const at = published.get(owner);
          return vCardResult(el) && !photoOf(el) && at !== undefined && Date.now() - at < 1500 && owner !== bare(conn.jid)
            ? [xml("iq", { type: "error", id: el.attrs.id, to: el.attrs.to, from: el.attrs.from }, xml("error", { type: "cancel" }, xml("item-not-found", { xmlns: STANZAS })))]
            : "pass";
        },
      };
    })(),
  },
];
