import { Element } from "ltx";
import { STANZAS, answering, both, changed, harnessSession, iqErrorFor, when, iqResultFor, type FaultDef } from "../../fault-kit.ts";
import { bare, type FaultAction, type FaultContext, type StreamFault } from "../../fault-proxy.ts";
import type { Variation } from "../../variations.ts";

/**
 * XEP-0045 faults and variations of scenarios/muc/ (moderation): the moderator use cases (§8.2-§8.5: kicks, voice,
 * the voice list), the admin use cases (§9.1-§9.8: bans, the ban list, membership, the member list, moderator status,
 * the moderator list), owner and admin status and their lists (§10.3-§10.8), and the role and affiliation rules of
 * §5 as they apply to them (scenarios/muc/moderation.yaml, admin.yaml, affiliation-lists.yaml).
 */

const MUC_USER = "http://jabber.org/protocol/muc#user";
const MUC_ADMIN = "http://jabber.org/protocol/muc#admin";

const str = (v: unknown) => (v === undefined ? "" : String(v));
/** The service is conference.DOMAIN on every local target (src/families/muc.ts). */
const atService = (jid: unknown) => /@conference\./.test(str(jid));
const resourceOf = (jid: unknown) => (str(jid).includes("/") ? str(jid).slice(str(jid).indexOf("/") + 1) : undefined);
const userX = (el: Element) => el.getChild("x", MUC_USER);
const statusCodes = (el: Element) => (userX(el)?.getChildren("status") ?? []).map((s) => str(s.attrs.code));
const hasStatus = (el: Element, code: string) => statusCodes(el).includes(code);
/** A presence a room sends about one of its occupants (from an occupant JID, with a muc#user <x/>). */
const occupantPresence = (el: Element) => el.name === "presence" && atService(el.attrs.from) && resourceOf(el.attrs.from) !== undefined && Boolean(userX(el));
const itemOf = (el: Element) => userX(el)?.getChild("item");
/**
 * The user (bare JID) behind an occupant's presence: its item's JID where the room shows it, else the user learnt from
 * that occupant's own self-presence (status 110), which must pass through the returned function first.
 */
function occupantUsers(): (el: Element, ctx: FaultContext) => string | undefined {
  const users = new Map<string, string>(); // occupant JID -> its user's bare JID
  return (el, ctx) => {
    if (hasStatus(el, "110") && ctx.conn.jid) users.set(str(el.attrs.from), bare(str(ctx.conn.jid)));
    const jid = itemOf(el)?.attrs.jid;
    return jid !== undefined ? bare(str(jid)) : users.get(str(el.attrs.from));
  };
}

/** The muc#admin <query/> of an IQ of `type` to a room, or undefined. */
const adminQuery = (el: Element, type: "get" | "set" | "result") => (el.name === "iq" && el.attrs.type === type ? el.getChild("query", MUC_ADMIN) : undefined);
const itemsOf = (q: Element | undefined) => q?.getChildren("item") ?? [];
/** A muc#admin set to a room whose items `test` accepts. */
const adminSet = (test: (items: Element[], el: Element) => boolean) => (el: Element) => {
  const q = el.name === "iq" && atService(el.attrs.to) ? adminQuery(el, "set") : undefined;
  return Boolean(q) && itemsOf(q).length > 0 && test(itemsOf(q), el);
};
/** A muc#admin get to a room asking for the items with `attr` = `value` (a role or affiliation list). */
const listRequest = (attr: "role" | "affiliation", value: string) => (el: Element) => {
  const q = el.name === "iq" && atService(el.attrs.to) ? adminQuery(el, "get") : undefined;
  return itemsOf(q).some((i) => i.attrs[attr] === value);
};
/** One item, changing `attr` to `value`. */
const single = (attr: "role" | "affiliation", value: string) => adminSet((items) => items.length === 1 && items[0].attrs[attr] === value);
/** The case's own requests for the member list. */
const memberListAsked = (el: Element, ctx: FaultContext) => listRequest("affiliation", "member")(el) && !harnessSession(ctx.conn.jid);
/** Several items, each changing `attr`. */
const several = (attr: "role" | "affiliation", value?: string) =>
  adminSet((items) => items.length > 1 && items.every((i) => i.attrs[attr] !== undefined) && (value === undefined || items.some((i) => i.attrs[attr] === value)));
/** Items of which one names the bare JID of the connection that sent them. */
const ownJid = (ctx: FaultContext) => (items: Element[]) => items.some((i) => bare(str(i.attrs.jid)) === bare(str(ctx.conn.jid)));

/** The defined condition of a stanza error (RFC 6120 §8.3.3), or "". */
const conditionOf = (el: Element) =>
  el
    .getChild("error")
    ?.getChildElements()
    .find((c) => c.attrs.xmlns === STANZAS)?.name ?? "";
/** The error with another defined condition in place of the one it had. */
const withCondition = (el: Element, condition: string): Element[] =>
  changed(el, (c) => {
    const error = c.getChild("error")!;
    error.children = error.children.filter((x) => typeof x === "string" || x.attrs.xmlns !== STANZAS || x.name === "text");
    error.c(condition, { xmlns: STANZAS });
  });
/** An empty IQ result in place of an error: the room claims to have done what it refused. */
const resultInstead = (el: Element): Element[] => [
  new Element("iq", { type: "result", id: el.attrs.id, ...(el.attrs.from !== undefined && { from: el.attrs.from }), ...(el.attrs.to !== undefined && { to: el.attrs.to }) }),
];
/** A members-only room's refusal of a user not on its member list (XEP-0045 §7.2.6). */
const membersOnlyRefusal = (el: Element) => el.name === "presence" && el.attrs.type === "error" && atService(el.attrs.from) && conditionOf(el) === "registration-required";

/** A room's refusal of an entry (a presence error) with condition `from` comes with condition `to` instead. */
const entryRefusalAs = (from: string, to: string) =>
  when(
    (el) => el.name === "presence" && el.attrs.type === "error" && atService(el.attrs.from) && conditionOf(el) === from,
    (el) => withCondition(el, to),
  );
/** The result to a request `request` picks is never sent. */
const resultDropped = (request: (el: Element, ctx: FaultContext) => boolean): StreamFault => answering(request, (answer) => (answer.attrs.type === "result" ? "drop" : "pass"));
/** A request of the case's own steps, not of the harness's room set-up (its 'set-up' and 'teardown' sessions). */
const casesOwn = (request: (el: Element) => boolean) => (el: Element, ctx: FaultContext) => request(el) && !harnessSession(ctx.conn.jid);
/** An error with condition `from` to a request `request` picks becomes `to` (another condition, or a result). */
const refusalChanged = (request: (el: Element, ctx: FaultContext) => boolean, from: string | ((c: string) => boolean), to: string | "result"): StreamFault =>
  answering(request, (answer): FaultAction => {
    if (answer.attrs.type !== "error") return "pass";
    const c = conditionOf(answer);
    if (typeof from === "string" ? c !== from : !from(c)) return "pass";
    return to === "result" ? resultInstead(answer) : withCondition(answer, to);
  });
/** The result to a list request `request` picks loses its last item. */
const listShortened = (request: (el: Element) => boolean): StreamFault =>
  answering(request, (answer): FaultAction => {
    const q = adminQuery(answer, "result");
    if (!q || itemsOf(q).length === 0) return "pass";
    return changed(answer, (c) => {
      const cq = adminQuery(c, "result")!;
      cq.remove(itemsOf(cq).at(-1)!);
    });
  });

/**
 * An affiliation list that ignores the request's filter: the answer to a request for the users with affiliation
 * `affiliation` (the outcasts of the ban list, the members, the admins, the owners) also lists every user the room
 * has another affiliation for (its owner, the one who configured it, and those granted one by a muc#admin set, the
 * harness's set-up sessions included), with that affiliation.
 */
function affiliationListUnfiltered(affiliation: string): StreamFault {
  const affiliated = new Map<string, Map<string, string>>();
  const note = (room: string, jid: string, affiliation: string) => affiliated.set(room, (affiliated.get(room) ?? new Map()).set(jid, affiliation));
  const lists = answering(listRequest("affiliation", affiliation), (answer): FaultAction => {
    const q = adminQuery(answer, "result");
    const others = [...(affiliated.get(bare(str(answer.attrs.from))) ?? [])].filter(([, a]) => a !== affiliation && a !== "none");
    if (!q || others.length === 0) return "pass";
    return changed(answer, (c) => {
      const cq = adminQuery(c, "result")!;
      for (const [jid, affiliation] of others) if (!itemsOf(cq).some((i) => bare(str(i.attrs.jid)) === jid)) cq.c("item", { affiliation, jid });
    });
  });
  return {
    fromClient: (el, ctx) => {
      lists.fromClient!(el, ctx);
      if (el.name !== "iq" || el.attrs.type !== "set" || !atService(el.attrs.to)) return;
      const room = bare(str(el.attrs.to));
      if (el.getChild("query", "http://jabber.org/protocol/muc#owner") && ctx.conn.jid) note(room, bare(str(ctx.conn.jid)), "owner");
      for (const i of itemsOf(adminQuery(el, "set"))) if (i.attrs.jid !== undefined && i.attrs.affiliation !== undefined) note(room, bare(str(i.attrs.jid)), str(i.attrs.affiliation));
    },
    element: lists.element,
  };
}

/**
 * A change is made but not announced: once a client asked a room for `attr` = `value` (in the items `pick` takes
 * of its muc#admin set), the available presences that room sends with that `attr` are dropped, at every client.
 */
function unannounced(attr: "role" | "affiliation", value: string, pick: (items: Element[]) => Element[] = (items) => items): StreamFault {
  const rooms = new Set<string>();
  return {
    fromClient: (el) => {
      const q = el.name === "iq" && atService(el.attrs.to) ? adminQuery(el, "set") : undefined;
      if (q && pick(itemsOf(q)).some((i) => i.attrs[attr] === value)) rooms.add(bare(str(el.attrs.to)));
    },
    element: (el) => (occupantPresence(el) && el.attrs.type === undefined && rooms.has(bare(str(el.attrs.from))) && itemOf(el)?.attrs[attr] === value ? "drop" : "pass"),
  };
}
/** A change of a user's `attr` to `value` is announced with the user's presence of type 'unavailable' (as an exit), the user kept in the room. */
function announcedAsExit(attr: "role" | "affiliation", value: string): StreamFault {
  const rooms = new Set<string>();
  return {
    fromClient: (el) => {
      const q = el.name === "iq" && atService(el.attrs.to) ? adminQuery(el, "set") : undefined;
      if (q && itemsOf(q).some((i) => i.attrs[attr] === value)) rooms.add(bare(str(el.attrs.to)));
    },
    element: (el) =>
      occupantPresence(el) && el.attrs.type === undefined && rooms.has(bare(str(el.attrs.from))) && itemOf(el)?.attrs[attr] === value ? changed(el, (c) => (c.attrs.type = "unavailable")) : "pass",
  };
}
const lastOfSeveral = (items: Element[]) => (items.length > 1 ? items.slice(-1) : []);
/** Of a list change with several items, the last item's change (to any of `values`) is not announced. */
function lastOfListUnannounced(attr: "role" | "affiliation", values: string[]): StreamFault {
  const parts = values.map((v) => unannounced(attr, v, lastOfSeveral));
  return {
    fromClient: (el, ctx) => parts.forEach((p) => p.fromClient!(el, ctx)),
    element: (el, ctx) => parts.map((p) => p.element!(el, ctx)).find((a) => a !== "pass") ?? "pass",
  };
}

/**
 * Of a role list change with several items, the last item (to `role`) is answered as made but never applied: the
 * room's list of `role`, asked afterwards, does not name that item's nickname (Prosody 0.12 applies only the first
 * item of such a change, seen through the list).
 */
function lastOfListNotApplied(role: string): StreamFault {
  const skipped = new Map<string, Set<string>>();
  const answers = answering(listRequest("role", role), (answer) => {
    const nicks = skipped.get(bare(str(answer.attrs.from)));
    const q = adminQuery(answer, "result");
    if (!q || !nicks || !itemsOf(q).some((i) => nicks.has(str(i.attrs.nick)))) return "pass";
    return changed(answer, (c) => {
      const cq = adminQuery(c, "result")!;
      cq.children = cq.children.filter((x) => typeof x === "string" || x.name !== "item" || !nicks.has(str(x.attrs.nick)));
    });
  });
  return {
    fromClient: (el, ctx) => {
      const q = el.name === "iq" && atService(el.attrs.to) ? adminQuery(el, "set") : undefined;
      const last = lastOfSeveral(itemsOf(q)).find((i) => i.attrs.role === role && i.attrs.nick !== undefined);
      if (last) {
        const room = bare(str(el.attrs.to));
        skipped.set(room, (skipped.get(room) ?? new Set()).add(str(last.attrs.nick)));
      }
      answers.fromClient!(el, ctx);
    },
    element: answers.element,
  };
}

/**
 * Twentieth audit (2026-11-25): of an affiliation list change with several items, only the first is applied and the
 * whole change is answered with a result (what Prosody 0.12 and 13 do; shown here on a server that applies every
 * item). The room then acts as if the later items had never been sent: the presences announcing a later item's user
 * with the affiliation that item asked for (its occupant JID learnt from its self-presence, or the item's 'jid') are
 * dropped, a list of that affiliation asked afterwards leaves those users out, and the list of the affiliation the
 * room last announced for such a user (a revoked member or admin) still names it. A later change naming the user
 * again ends the pretence for it. The harness's own sessions (set-up, teardown) are left alone. With `from` 0 none of
 * the items is applied, and a change of one item (a grant, a revocation, a ban) is pretended away as well. With
 * `bySetUp`, only the changes of the harness's set-up sessions (a room fixture's grants) are, and every session sees it.
 */
function laterOfListNotApplied(from = 1, bySetUp = false): StreamFault {
  const userOf = occupantUsers();
  const known = new Map<string, string>(); // "room bare JID" -> the affiliation the room last announced
  const skipped = new Map<string, Map<string, { to: string; was?: string }>>(); // room -> bare JID -> the change not made
  const lists = new Map<string, { room: string; affiliation: string }>(); // "connection id" -> the list asked
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${str(id)}`;
  return {
    fromClient: (el, ctx) => {
      if (el.name !== "iq" || !atService(el.attrs.to)) return;
      const room = bare(str(el.attrs.to));
      const asked = itemsOf(adminQuery(el, "get")).find((i) => i.attrs.affiliation !== undefined);
      if (asked) lists.set(key(ctx, el.attrs.id), { room, affiliation: str(asked.attrs.affiliation) });
      // bySetUp: only the fixture's grants are pretended away (every session sees the lists without them); otherwise
      // only the case's own changes, and the harness's sessions see the room as it is.
      if (harnessSession(ctx.conn.jid) !== bySetUp) return;
      const items = itemsOf(adminQuery(el, "set")).filter((i) => i.attrs.jid !== undefined);
      for (const i of items) skipped.get(room)?.delete(bare(str(i.attrs.jid)));
      if (items.length < from + 1 || !items.every((i) => i.attrs.affiliation !== undefined)) return;
      const later = skipped.get(room) ?? new Map<string, { to: string; was?: string }>();
      for (const i of items.slice(from)) {
        const jid = bare(str(i.attrs.jid));
        later.set(jid, { to: str(i.attrs.affiliation), was: known.get(`${room} ${jid}`) });
      }
      skipped.set(room, later);
    },
    element: (el, ctx) => {
      if (!bySetUp && harnessSession(ctx.conn.jid)) return "pass";
      if (occupantPresence(el) && el.attrs.type !== "error") {
        const room = bare(str(el.attrs.from));
        const item = itemOf(el);
        const user = userOf(el, ctx);
        if (user === undefined) return "pass";
        const change = skipped.get(room)?.get(user);
        if (change && change.to === str(item?.attrs.affiliation)) return "drop";
        if (item?.attrs.affiliation !== undefined) known.set(`${room} ${user}`, str(item.attrs.affiliation));
        return "pass";
      }
      const list = el.name === "iq" ? lists.get(key(ctx, el.attrs.id)) : undefined;
      if (!list) return "pass";
      lists.delete(key(ctx, el.attrs.id));
      const later = [...(skipped.get(list.room) ?? [])];
      const q = adminQuery(el, "result");
      const hidden = (i: Element) => later.some(([jid, c]) => jid === bare(str(i.attrs.jid)) && c.to === list.affiliation);
      const kept = later.filter(([jid, c]) => c.was === list.affiliation && c.to !== list.affiliation && !itemsOf(q).some((i) => bare(str(i.attrs.jid)) === jid));
      if (!q || (!itemsOf(q).some(hidden) && kept.length === 0)) return "pass";
      return changed(el, (c) => {
        const cq = adminQuery(c, "result")!;
        cq.children = cq.children.filter((x) => typeof x === "string" || x.name !== "item" || !hidden(x));
        for (const [jid] of kept) cq.c("item", { affiliation: list.affiliation, jid });
      });
    },
  };
}

/**
 * Fifty-second audit (2026-11-28): laterOfListNotApplied(0), but only for an affiliation change of one item whose JID
 * is a current occupant's (a user the room sent its own presence, status 110, to a case's session): the result is
 * sent, and no presence or list shows the change. Changes for users outside the room are applied.
 */
function occupantGrantNotApplied(): StreamFault {
  const inner = laterOfListNotApplied(0);
  const occupants = new Set<string>(); // "room bare JID" of the users in a room
  return {
    fromClient: (el, ctx) => {
      const items = itemsOf(adminQuery(el, "set"));
      const room = bare(str(el.attrs.to));
      if (items.length > 0 && !(items.length === 1 && items[0].attrs.affiliation !== undefined && occupants.has(`${room} ${bare(str(items[0].attrs.jid))}`))) return;
      inner.fromClient!(el, ctx);
    },
    element: (el, ctx) => {
      if (occupantPresence(el) && hasStatus(el, "110") && ctx.conn.jid && !harnessSession(ctx.conn.jid)) {
        const k = `${bare(str(el.attrs.from))} ${bare(str(ctx.conn.jid))}`;
        if (el.attrs.type === undefined) occupants.add(k);
        else if (el.attrs.type === "unavailable") occupants.delete(k);
      }
      return inner.element!(el, ctx);
    },
  };
}

/**
 * Seventy-fifth audit (round 75): laterOfListNotApplied(0, true), but the room fixture's first grant is made: of the
 * affiliations a room fixture grants (one muc#admin set each, in the order the case writes them), every one after the
 * first is answered with a result and not made, and the lists asked afterwards leave those users out.
 */
function setUpLaterGrantsNotApplied(): StreamFault {
  const inner = laterOfListNotApplied(0, true);
  const firstMade = new Set<string>(); // the rooms whose first fixture grant went by (made)
  return {
    fromClient: (el, ctx) => {
      const items = el.name === "iq" && atService(el.attrs.to) && harnessSession(ctx.conn.jid) ? itemsOf(adminQuery(el, "set")) : [];
      if (items.length > 0 && items.every((i) => i.attrs.affiliation !== undefined)) {
        const room = bare(str(el.attrs.to));
        if (!firstMade.has(room)) {
          firstMade.add(room);
          return;
        }
      }
      inner.fromClient!(el, ctx);
    },
    element: (el, ctx) => inner.element!(el, ctx),
  };
}

/**
 * Seventy-ninth audit (round 79): laterOfListNotApplied(0, true) on a members-only room that also lets non-members in
 * (MUC-DENY-04 broken): the fixture's grants are answered and never made, so a user they named is let in all the
 * same, shown with affiliation none (his presences with the granted affiliation say none instead), and a non-member's
 * registration-required refusal becomes her own presence with affiliation none.
 */
function setUpGrantNotAppliedNonMembersAdmitted(): StreamFault {
  const inner = laterOfListNotApplied(0, true);
  return {
    fromClient: (el, ctx) => inner.fromClient!(el, ctx),
    element: (el, ctx) => {
      if (membersOnlyRefusal(el)) return admittedAs(el, "none");
      const action = inner.element!(el, ctx);
      if (action !== "drop" || !occupantPresence(el)) return action;
      return changed(el, (c) => {
        itemOf(c)!.attrs.affiliation = "none";
      });
    },
  };
}

/**
 * Twenty-eighth audit (2026-11-26): of a role list change with several items (a voice or moderator list change), only
 * the first is applied and the whole change is answered with a result (what Prosody 0.12 and 13 do; shown here on a
 * server that applies every item). The room then acts as if the later items had never been sent: the available
 * presences announcing a later item's occupant (its nickname) with the role that item asked for are dropped, and a
 * list of that role asked afterwards leaves it out. A later change naming the nickname again ends the pretence for
 * it. The harness's own sessions (set-up, teardown) are left alone.
 */
function laterOfRoleListNotApplied(): StreamFault {
  const skipped = new Map<string, Map<string, string>>(); // room -> nickname -> the role not given
  const lists = new Map<string, { room: string; role: string }>(); // "connection id" -> the role list asked
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${str(id)}`;
  return {
    fromClient: (el, ctx) => {
      if (el.name !== "iq" || !atService(el.attrs.to)) return;
      const room = bare(str(el.attrs.to));
      const asked = itemsOf(adminQuery(el, "get")).find((i) => i.attrs.role !== undefined);
      if (asked) lists.set(key(ctx, el.attrs.id), { room, role: str(asked.attrs.role) });
      const items = itemsOf(adminQuery(el, "set")).filter((i) => i.attrs.nick !== undefined);
      for (const i of items) skipped.get(room)?.delete(str(i.attrs.nick));
      if (items.length < 2 || !items.every((i) => i.attrs.role !== undefined)) return;
      const later = skipped.get(room) ?? new Map<string, string>();
      for (const i of items.slice(1)) later.set(str(i.attrs.nick), str(i.attrs.role));
      skipped.set(room, later);
    },
    element: (el, ctx) => {
      if (harnessSession(ctx.conn.jid)) return "pass";
      if (occupantPresence(el) && el.attrs.type === undefined) {
        const role = skipped.get(bare(str(el.attrs.from)))?.get(str(resourceOf(el.attrs.from)));
        return role !== undefined && role === str(itemOf(el)?.attrs.role) ? "drop" : "pass";
      }
      const list = el.name === "iq" ? lists.get(key(ctx, el.attrs.id)) : undefined;
      if (!list) return "pass";
      lists.delete(key(ctx, el.attrs.id));
      const later = skipped.get(list.room) ?? new Map<string, string>();
      const hidden = (i: Element) => later.get(str(i.attrs.nick)) === list.role;
      const q = adminQuery(el, "result");
      if (!q || !itemsOf(q).some(hidden)) return "pass";
      return changed(el, (c) => {
        const cq = adminQuery(c, "result")!;
        cq.children = cq.children.filter((x) => typeof x === "string" || x.name !== "item" || !hidden(x));
      });
    },
  };
}

/** Status code `code` left out of an occupant's unavailable presence: its own copy (with 110) or the others'. */
const statusLeftOut = (code: string, own: boolean) =>
  when(
    (el) => occupantPresence(el) && el.attrs.type === "unavailable" && hasStatus(el, code) && hasStatus(el, "110") === own,
    (el) =>
      changed(el, (c) => {
        const x = userX(c)!;
        x.children = x.children.filter((s) => typeof s === "string" || s.name !== "status" || s.attrs.code !== code);
      }),
  );

/**
 * §8.2: a moderator's kick of himself is answered with a result but never carried out: the unavailable presence
 * with status code 307 that the kicked occupant's own connection gets (its self-presence, with 110) after it sent a
 * kick to that room is dropped.
 */
function selfKickNotCarriedOut(): StreamFault {
  const kickers = new Set<string>(); // "connection room": the connection sent a kick to that room
  return {
    fromClient: (el, ctx) => {
      if (single("role", "none")(el)) kickers.add(`${ctx.conn.id} ${bare(str(el.attrs.to))}`);
    },
    element: (el, ctx) =>
      occupantPresence(el) && el.attrs.type === "unavailable" && hasStatus(el, "307") && hasStatus(el, "110") && kickers.has(`${ctx.conn.id} ${bare(str(el.attrs.from))}`) ? "drop" : "pass",
  };
}

/**
 * §9.6: a grant of moderator status is answered with a result but never applied: no occupant gets the nickname's
 * presence with role moderator, and the occupant's own later role changes (moderator requests, §8) are refused with
 * <forbidden/>, as a participant's are.
 */
function moderatorGrantNotApplied(): StreamFault {
  const granted = new Set<string>(); // occupant JIDs (room/nick) whose grant was not applied
  const occupantOf = new Map<string, string>(); // "connection room" -> the occupant JID that connection entered as
  const refused = answering(
    (el, ctx) => adminSet((items) => items.some((i) => i.attrs.role !== undefined))(el) && granted.has(occupantOf.get(`${ctx.conn.id} ${bare(str(el.attrs.to))}`) ?? ""),
    (answer) => [iqErrorFor(answer, "forbidden")],
  );
  return {
    fromClient: (el, ctx) => {
      const to = str(el.attrs.to);
      if (el.name === "presence" && el.attrs.type === undefined && atService(to) && resourceOf(to) !== undefined) occupantOf.set(`${ctx.conn.id} ${bare(to)}`, to);
      for (const i of single("role", "moderator")(el) ? itemsOf(adminQuery(el, "set")) : []) if (i.attrs.nick !== undefined) granted.add(`${bare(to)}/${str(i.attrs.nick)}`);
      refused.fromClient!(el, ctx);
    },
    element: (el, ctx) => (occupantPresence(el) && el.attrs.type === undefined && granted.has(str(el.attrs.from)) && itemOf(el)?.attrs.role === "moderator" ? "drop" : refused.element!(el, ctx)),
  };
}

/**
 * Fifty-second audit (2026-11-28): §9.7 broken: a revocation of moderator status (one item giving a nickname role
 * participant) is answered with a result but, as far as the case's sessions can see, never applied: no presence of
 * that occupant with role participant reaches them afterwards, and the moderator list still names it (nickname, role
 * moderator, and its JID where the room showed it). Shown on a server that applies the change. The harness's own
 * sessions are left alone.
 */
function moderatorRevokeNotApplied(): StreamFault {
  const revoked = new Set<string>(); // occupant JIDs (room/nick) whose revocation is pretended away
  const jidOf = new Map<string, string>(); // occupant JID -> its user's full JID, where known
  const lists = new Set<string>(); // "connection id" of a moderator list asked
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${str(id)}`;
  return {
    fromClient: (el, ctx) => {
      if (harnessSession(ctx.conn.jid) || el.name !== "iq" || !atService(el.attrs.to)) return;
      const to = bare(str(el.attrs.to));
      if (listRequest("role", "moderator")(el)) lists.add(key(ctx, el.attrs.id));
      for (const i of single("role", "participant")(el) ? itemsOf(adminQuery(el, "set")) : []) if (i.attrs.nick !== undefined) revoked.add(`${to}/${str(i.attrs.nick)}`);
    },
    element: (el, ctx) => {
      if (harnessSession(ctx.conn.jid)) return "pass";
      if (occupantPresence(el) && el.attrs.type === undefined) {
        const from = str(el.attrs.from);
        const item = itemOf(el);
        if (item?.attrs.jid !== undefined) jidOf.set(from, str(item.attrs.jid));
        else if (hasStatus(el, "110") && ctx.conn.jid) jidOf.set(from, str(ctx.conn.jid));
        return revoked.has(from) && item?.attrs.role === "participant" ? "drop" : "pass";
      }
      if (el.name !== "iq" || !lists.delete(key(ctx, el.attrs.id))) return "pass";
      const q = adminQuery(el, "result");
      const room = bare(str(el.attrs.from));
      const missing = [...revoked].filter((o) => bare(o) === room && !itemsOf(q).some((i) => `${room}/${str(i.attrs.nick)}` === o));
      if (!q || missing.length === 0) return "pass";
      return changed(el, (c) => {
        const cq = adminQuery(c, "result")!;
        for (const o of missing) cq.c("item", { nick: resourceOf(o)!, role: "moderator", ...(jidOf.has(o) && { jid: jidOf.get(o)! }) });
      });
    },
  };
}

/**
 * §9.6 broken in part: a grant of moderator status is applied and answered, and the presence with role moderator goes
 * to the occupant granted and to the unaffiliated occupants, but not to an occupant whose own self-presence in that
 * room showed affiliation owner or admin (the owner who made the grant among them).
 */
function moderatorGrantNotToldToAffiliated(): StreamFault {
  const granted = new Set<string>(); // occupant JIDs (room/nick) made moderators
  const affiliated = new Set<string>(); // "connection id room JID"
  return {
    fromClient: (el) => {
      const to = str(el.attrs.to);
      for (const i of single("role", "moderator")(el) ? itemsOf(adminQuery(el, "set")) : []) if (i.attrs.nick !== undefined) granted.add(`${bare(to)}/${str(i.attrs.nick)}`);
    },
    element: (el, ctx) => {
      if (!occupantPresence(el)) return "pass";
      const key = `${ctx.conn.id} ${bare(str(el.attrs.from))}`;
      if (el.attrs.type !== "unavailable" && hasStatus(el, "110")) {
        const a = str(userX(el)!.getChild("item")?.attrs.affiliation);
        if (a === "admin" || a === "owner") affiliated.add(key);
        else affiliated.delete(key);
      }
      return el.attrs.type === undefined && granted.has(str(el.attrs.from)) && itemOf(el)?.attrs.role === "moderator" && !hasStatus(el, "110") && affiliated.has(key) && !harnessSession(ctx.conn.jid)
        ? "drop"
        : "pass";
    },
  };
}

/**
 * §9.6 broken in part: a grant of moderator status is applied and answered, and the occupant granted gets its own
 * presence with role moderator, but no other occupant does (the moderator who made the grant neither): they keep
 * seeing it as a participant.
 */
function moderatorGrantSelfOnly(): StreamFault {
  const granted = new Set<string>(); // occupant JIDs (room/nick) made moderators
  const occupantOf = new Map<string, string>(); // "connection room" -> the occupant JID that connection entered as
  return {
    fromClient: (el, ctx) => {
      const to = str(el.attrs.to);
      if (el.name === "presence" && el.attrs.type === undefined && atService(to) && resourceOf(to) !== undefined) occupantOf.set(`${ctx.conn.id} ${bare(to)}`, to);
      for (const i of single("role", "moderator")(el) ? itemsOf(adminQuery(el, "set")) : []) if (i.attrs.nick !== undefined) granted.add(`${bare(to)}/${str(i.attrs.nick)}`);
    },
    element: (el, ctx) =>
      occupantPresence(el) &&
      el.attrs.type === undefined &&
      granted.has(str(el.attrs.from)) &&
      itemOf(el)?.attrs.role === "moderator" &&
      occupantOf.get(`${ctx.conn.id} ${bare(str(el.attrs.from))}`) !== str(el.attrs.from) &&
      !harnessSession(ctx.conn.jid)
        ? "drop"
        : "pass",
  };
}

/**
 * §9.6 broken, consistently: a grant of moderator status to one nickname is answered with a result but never applied.
 * The occupant's presences keep showing role participant (the room's own broadcast of the grant is rewritten so), and
 * the moderator list, right for that state, leaves the nickname out. With `listedAsParticipant`, the moderator list
 * names it all the same, with role participant (as a room that ignores the list's role filter for it would).
 */
function moderatorGrantShownParticipant(listedAsParticipant = false): StreamFault {
  const granted = new Set<string>(); // occupant JIDs (room/nick) whose grant was not applied
  return {
    fromClient: (el) => {
      const to = str(el.attrs.to);
      for (const i of single("role", "moderator")(el) ? itemsOf(adminQuery(el, "set")) : []) if (i.attrs.nick !== undefined) granted.add(`${bare(to)}/${str(i.attrs.nick)}`);
    },
    element: (el) => {
      if (occupantPresence(el) && el.attrs.type === undefined && granted.has(str(el.attrs.from)) && itemOf(el)?.attrs.role === "moderator")
        return changed(el, (c) => (itemOf(c)!.attrs.role = "participant"));
      const q = adminQuery(el, "result");
      const room = bare(str(el.attrs.from));
      if (!q || !atService(el.attrs.from) || !itemsOf(q).some((i) => granted.has(`${room}/${str(i.attrs.nick)}`))) return "pass";
      return changed(el, (c) => {
        const cq = c.getChild("query", MUC_ADMIN)!;
        if (listedAsParticipant) for (const i of itemsOf(cq)) if (granted.has(`${room}/${str(i.attrs.nick)}`)) i.attrs.role = "participant";
        if (!listedAsParticipant) cq.children = cq.children.filter((x) => typeof x === "string" || !granted.has(`${room}/${str(x.attrs.nick)}`));
      });
    },
  };
}

/**
 * §10.6/§10.7 broken: an affiliation change naming a full JID is answered with a result but kept for that full JID.
 * Later affiliation lists name the full JID a grant named (not its bare JID), and the admin list still names the
 * bare JID whose admin status a revocation naming its full JID took.
 */
function fullJidKept(): StreamFault {
  const granted = new Map<string, Map<string, string>>(); // room -> bare JID -> the full JID named
  const revoked = new Map<string, Map<string, string>>(); // room -> bare JID -> the affiliation it keeps
  const listed = new Map<string, string>(); // room -> affiliation of the latest list asked
  return {
    fromClient: (el) => {
      const room = bare(str(el.attrs.to));
      const get = adminQuery(el, "get");
      if (get && atService(room)) for (const i of itemsOf(get)) if (i.attrs.affiliation !== undefined) listed.set(room, str(i.attrs.affiliation));
      const set = atService(room) ? adminQuery(el, "set") : undefined;
      for (const i of itemsOf(set)) {
        const jid = str(i.attrs.jid);
        if (!jid.includes("/") || i.attrs.affiliation === undefined) continue;
        const g = granted.get(room) ?? granted.set(room, new Map()).get(room)!;
        const r = revoked.get(room) ?? revoked.set(room, new Map()).get(room)!;
        if (i.attrs.affiliation === "none") r.set(bare(jid), "admin");
        else g.set(bare(jid), jid);
      }
    },
    element: (el) => {
      const q = adminQuery(el, "result");
      const room = bare(str(el.attrs.from));
      if (!q || !atService(room) || (!granted.get(room)?.size && !revoked.get(room)?.size)) return "pass";
      const affiliation = listed.get(room);
      return changed(el, (c) => {
        const cq = c.getChild("query", MUC_ADMIN)!;
        for (const i of itemsOf(cq)) {
          const full = granted.get(room)?.get(bare(str(i.attrs.jid)));
          if (full !== undefined) i.attrs.jid = full;
        }
        for (const [jid, kept] of revoked.get(room) ?? []) if (kept === affiliation && !itemsOf(cq).some((i) => bare(str(i.attrs.jid)) === jid)) cq.c("item", { affiliation: kept, jid, role: "none" });
      });
    },
  };
}

/**
 * §5.1.2: in a moderated room (or, with `everyRoom`, in every room) the owner and admins enter as participants, not
 * moderators (the table's SHOULD), and are then treated as the participants they are shown as: their moderator
 * requests (§8: a voice grant or revocation, a kick) are refused with <forbidden/>. Moderated rooms are those whose
 * configuration form was submitted with muc#roomconfig_moderatedroom on.
 */
function moderatedOwnerAdminParticipant(everyRoom = false): StreamFault {
  const moderated = new Set<string>();
  const demoted = new Set<string>(); // "connection room": an owner or admin of a moderated room shown as participant
  const high = (i: Element | undefined) => i?.attrs.affiliation === "owner" || i?.attrs.affiliation === "admin";
  const refused = answering(
    (el, ctx) => adminSet((items) => items.some((i) => ["participant", "visitor", "none"].includes(str(i.attrs.role))))(el) && demoted.has(`${ctx.conn.id} ${bare(str(el.attrs.to))}`),
    (answer) => [iqErrorFor(answer, "forbidden")],
  );
  return {
    fromClient: (el, ctx) => {
      const form = el.name === "iq" && el.attrs.type === "set" && atService(el.attrs.to) ? el.getChild("query", "http://jabber.org/protocol/muc#owner")?.getChild("x", "jabber:x:data") : undefined;
      const field = form?.getChildren("field").find((f) => f.attrs.var === "muc#roomconfig_moderatedroom");
      if (field && ["1", "true"].includes(str(field.getChildText("value")).trim())) moderated.add(bare(str(el.attrs.to)));
      refused.fromClient!(el, ctx);
    },
    element: (el, ctx) => {
      const room = bare(str(el.attrs.from));
      if (!(occupantPresence(el) && el.attrs.type === undefined && (everyRoom || moderated.has(room)) && high(itemOf(el)) && itemOf(el)?.attrs.role === "moderator")) return refused.element!(el, ctx);
      if (hasStatus(el, "110") && !harnessSession(ctx.conn.jid)) demoted.add(`${ctx.conn.id} ${room}`);
      return changed(el, (c) => (itemOf(c)!.attrs.role = "participant"));
    },
  };
}

/**
 * Twenty-first audit (2026-11-25): in a moderated room (configured so by its form) a user without affiliation enters
 * with voice, as ejabberd 23.01 and 24.12 do (§5.1.2's table, MUC-ROLE-05, gives a visitor): each connection is shown
 * the first available presence of such an occupant with role participant; what the room sends later (a change) is
 * left as it is. Only what the occupants are shown changes, so where the room itself keeps the visitor role a later
 * "revocation" changes nothing on the room's side.
 */
function moderatedUnaffiliatedVoiced(): StreamFault {
  const moderated = new Set<string>();
  const shown = new Set<string>(); // "connection occupant JID": its entry presence was shown
  return {
    fromClient: (el) => {
      const form = el.name === "iq" && el.attrs.type === "set" && atService(el.attrs.to) ? el.getChild("query", "http://jabber.org/protocol/muc#owner")?.getChild("x", "jabber:x:data") : undefined;
      const field = form?.getChildren("field").find((f) => f.attrs.var === "muc#roomconfig_moderatedroom");
      if (field && ["1", "true"].includes(str(field.getChildText("value")).trim())) moderated.add(bare(str(el.attrs.to)));
    },
    element: (el, ctx) => {
      if (!occupantPresence(el) || harnessSession(ctx.conn.jid)) return "pass";
      const key = `${ctx.conn.id} ${str(el.attrs.from)}`;
      if (el.attrs.type === "unavailable") {
        shown.delete(key);
        return "pass";
      }
      if (el.attrs.type !== undefined || shown.has(key)) return "pass";
      shown.add(key);
      const item = itemOf(el);
      if (!moderated.has(bare(str(el.attrs.from))) || item?.attrs.role !== "visitor" || str(item.attrs.affiliation) !== "none") return "pass";
      return changed(el, (c) => (itemOf(c)!.attrs.role = "participant"));
    },
  };
}

/**
 * Twenty-sixth audit (2026-11-26), a finding disputed: a moderated room seats an unaffiliated user with voice (as ejabberd does, the stream
 * fault above) and refuses a moderator's revocation of that voice (an item with a 'nick' and role visitor) with
 * <not-allowed/>, so the occupant keeps it: the presences with role participant the room sends of that occupant
 * afterwards (a grant that changes nothing announces nothing) are left out, to every occupant. Modelled on the
 * auditor's ad-hoc behaviour for muc-mod-change-order/voice-grant.
 */
function voicedEntryRevocationRefused(): StreamFault {
  const asked = new Map<string, string>(); // "connection id" -> the occupant JID whose voice it revokes
  const kept = new Set<string>(); // occupant JIDs whose revocation was refused
  const refuse: StreamFault = {
    fromClient: (el, ctx) => {
      const items = el.name === "iq" && atService(el.attrs.to) && !harnessSession(ctx.conn.jid) ? itemsOf(adminQuery(el, "set")) : [];
      if (items.length === 1 && items[0].attrs.role === "visitor" && items[0].attrs.nick !== undefined)
        asked.set(`${ctx.conn.id} ${str(el.attrs.id)}`, `${bare(str(el.attrs.to))}/${str(items[0].attrs.nick)}`);
    },
    element: (el, ctx) => {
      const occupant = el.name === "iq" && el.attrs.type === "result" ? asked.get(`${ctx.conn.id} ${str(el.attrs.id)}`) : undefined;
      if (occupant !== undefined) {
        asked.delete(`${ctx.conn.id} ${str(el.attrs.id)}`);
        kept.add(occupant);
        return [iqErrorFor(el, "not-allowed")];
      }
      const item = occupantPresence(el) && el.attrs.type === undefined ? itemOf(el) : undefined;
      return item?.attrs.role === "participant" && kept.has(str(el.attrs.from)) ? "drop" : "pass";
    },
  };
  return both(moderatedUnaffiliatedVoiced(), refuse);
}

/**
 * Thirty-seventh audit: an owner who enters a room while another owner is an occupant (a second owner) is shown to
 * everyone with role visitor (§5.1.2's table gives an owner "Moderator"); the room itself keeps the moderator role.
 * Only what the case's connections are shown changes.
 */
function secondOwnerSeatedVisitor(): (el: Element, ctx: FaultContext) => FaultAction {
  const present = new Map<string, Set<string>>(); // room -> its owner occupant JIDs
  const demoted = new Set<string>(); // owner occupant JIDs shown as visitors
  return (el, ctx) => {
    if (!occupantPresence(el) || harnessSession(ctx.conn.jid)) return "pass";
    const room = bare(str(el.attrs.from));
    const occupant = str(el.attrs.from);
    const owners = present.get(room) ?? new Set<string>();
    present.set(room, owners);
    if (el.attrs.type === "unavailable") {
      owners.delete(occupant);
      demoted.delete(occupant);
      return "pass";
    }
    const item = el.attrs.type === undefined ? itemOf(el) : undefined;
    if (item?.attrs.affiliation !== "owner" || item.attrs.role !== "moderator" || item.getChild("actor")) return "pass";
    if (!owners.has(occupant) && owners.size > 0) demoted.add(occupant);
    owners.add(occupant);
    return demoted.has(occupant) ? changed(el, (c) => (itemOf(c)!.attrs.role = "visitor")) : "pass";
  };
}

/**
 * The no-op faults below: each connection is shown an occupant's first available presence that `seats` picks with
 * role `as` in place of the room's, and a set of role `as` for an occupant so shown, which to the room's pretended
 * state changes nothing, is answered by `answer`; a presence announcing that role again is dropped. An occupant
 * shown another role since is no longer seated.
 */
function seatedNoop(as: string, seats: (item: Element) => boolean, answer: (answer: Element) => FaultAction): StreamFault {
  const shown = new Map<string, string>(); // "connection occupant JID" -> the role that connection was shown
  const seated = new Set<string>(); // occupant JIDs shown with role `as`
  const set = answering((el, ctx) => !harnessSession(ctx.conn.jid) && single("role", as)(el) && seated.has(`${bare(str(el.attrs.to))}/${str(itemsOf(adminQuery(el, "set"))[0].attrs.nick)}`), answer);
  return {
    fromClient: set.fromClient,
    element: (el, ctx) => {
      if (!occupantPresence(el) || harnessSession(ctx.conn.jid)) return set.element!(el, ctx);
      const key = `${ctx.conn.id} ${str(el.attrs.from)}`;
      if (el.attrs.type === "unavailable") {
        shown.delete(key);
        return "pass";
      }
      const item = el.attrs.type === undefined ? itemOf(el) : undefined;
      if (!item) return "pass";
      const before = shown.get(key);
      if (before === undefined && seats(item) && !item.getChild("actor")) {
        shown.set(key, as);
        seated.add(str(el.attrs.from));
        return changed(el, (c) => (itemOf(c)!.attrs.role = as));
      }
      if (before === as && item.attrs.role === as) return "drop";
      if (before === as) seated.delete(str(el.attrs.from));
      shown.set(key, str(item.attrs.role));
      return "pass";
    },
  };
}

/**
 * Thirty-seventh audit: a member enters every room as a moderator (in place of participant), and a grant of
 * moderator status to such an occupant is answered with <not-allowed/> in place of the result, the presence the room
 * sends for it dropped (to the room's pretended state the grant changed nothing).
 */
const memberModeratorNoopRefused = () =>
  seatedNoop(
    "moderator",
    (item) => item.attrs.affiliation === "member" && item.attrs.role === "participant",
    (answer) => (answer.attrs.type === "result" ? [iqErrorFor(answer, "not-allowed")] : "pass"),
  );

/**
 * Forty-sixth audit (2026-11-27): members and admins enter every room as visitors (in place of participant or
 * moderator), and a revocation of voice from an occupant so shown, which to the room's pretended state changes
 * nothing, is answered with a result (an idempotent set) in place of the room's error, and announced to nobody.
 */
const affiliatedSeatedVisitorNoopResult = () =>
  seatedNoop(
    "visitor",
    (item) => (item.attrs.affiliation === "member" || item.attrs.affiliation === "admin") && item.attrs.role !== "visitor",
    (answer) => (answer.attrs.type === "error" ? resultInstead(answer) : "pass"),
  );

/**
 * Twenty-first audit (2026-11-25): the owner enters every room as a participant (§5.1.2's SHOULD, MUC-ROLE-05 and
 * -06, broken) and is therefore on no moderator list: every presence showing an owner as moderator shows a
 * participant, and the owner's items are left out of a moderator list's result (modelled on the auditor's
 * adhoc.owner-participant).
 */
const ownerParticipantUnlisted = (el: Element, ctx: FaultContext): FaultAction => {
  if (harnessSession(ctx.conn.jid)) return "pass";
  if (occupantPresence(el) && itemOf(el)?.attrs.affiliation === "owner" && itemOf(el)?.attrs.role === "moderator") return changed(el, (c) => (itemOf(c)!.attrs.role = "participant"));
  const q = el.name === "iq" && atService(el.attrs.from) && resourceOf(el.attrs.from) === undefined ? adminQuery(el, "result") : undefined;
  if (!itemsOf(q).some((i) => i.attrs.role === "moderator" && i.attrs.affiliation === "owner")) return "pass";
  return changed(el, (c) => {
    const cq = adminQuery(c, "result")!;
    cq.children = cq.children.filter((i) => typeof i === "string" || !(i.attrs.role === "moderator" && i.attrs.affiliation === "owner"));
  });
};

/**
 * Twenty-first audit (2026-11-25), a variation: a role change that changes nothing (the occupant already has that
 * role, by the last presence the requester was shown of it) is refused with <not-allowed/>. No rule of XEP-0045 says
 * how a service answers such a change (§5.1.3 communicates a change; §8.3 is "Granting Voice to a Visitor"), so a
 * case must not judge it as a grant or a revocation. Modelled on the auditor's adhoc.noop-role-refused.
 */
function noopRoleRefused(): StreamFault {
  const roles = new Map<string, string>(); // "connection occupant JID" -> the role last shown
  const pending = new Map<string, boolean>(); // "connection id" -> the request changes nothing
  return {
    fromClient: (el, ctx) => {
      const items = el.name === "iq" && atService(el.attrs.to) ? itemsOf(adminQuery(el, "set")) : [];
      if (harnessSession(ctx.conn.jid) || items.length !== 1 || items[0].attrs.nick === undefined || items[0].attrs.role === undefined) return;
      const before = roles.get(`${ctx.conn.id} ${bare(str(el.attrs.to))}/${str(items[0].attrs.nick)}`);
      pending.set(`${ctx.conn.id} ${str(el.attrs.id)}`, before === str(items[0].attrs.role));
    },
    element: (el, ctx) => {
      if (occupantPresence(el)) {
        const item = itemOf(el);
        if (el.attrs.type === undefined && item?.attrs.role !== undefined) roles.set(`${ctx.conn.id} ${str(el.attrs.from)}`, str(item.attrs.role));
        return "pass";
      }
      const key = `${ctx.conn.id} ${str(el.attrs.id)}`;
      if (el.name !== "iq" || el.attrs.type !== "result" || !pending.has(key)) return "pass";
      const noop = pending.get(key);
      pending.delete(key);
      return noop ? [iqErrorFor(el, "not-allowed")] : "pass";
    },
  };
}

/**
 * Nineteenth audit (2026-11-25): muc.role.owner-admin-participant (the owner and admins enter every room as
 * participants: §5.1.2's SHOULD, MUC-ROLE-06, broken) in a service that keeps subject changes to moderators (§8.1's
 * SHOULD, followed): the owner's subject change is refused with <forbidden/> (§8.1's MUST) and never made, so the
 * other occupants get nothing and a newcomer gets the room's current subject, still empty (§7.2.15's MUST, followed).
 */
function ownerParticipantSubjectRefused(): StreamFault {
  const base = moderatedOwnerAdminParticipant(true);
  const demoted = new Set<string>(); // "connection room": the owner or an admin, shown as a participant
  const entering = new Set<string>(); // "connection room": self-presence came, the room's subject not yet
  const refusedText = new Map<string, string>(); // room -> the subject it refused
  const pending = new Map<string, Element>(); // "connection room" -> the refused change, not yet answered
  const isSubject = (el: Element) => el.name === "message" && el.attrs.type !== "error" && Boolean(el.getChild("subject")) && !el.getChild("body") && !el.getChild("thread");
  return {
    fromClient: (el, ctx) => {
      base.fromClient!(el, ctx);
      if (harnessSession(ctx.conn.jid) || !isSubject(el) || el.attrs.type !== "groupchat" || !atService(el.attrs.to) || resourceOf(el.attrs.to) !== undefined) return;
      const key = `${ctx.conn.id} ${str(el.attrs.to)}`;
      if (!demoted.has(key)) return;
      refusedText.set(str(el.attrs.to), el.getChildText("subject") ?? "");
      pending.set(key, el);
    },
    element: (el, ctx) => {
      if (harnessSession(ctx.conn.jid)) return base.element!(el, ctx);
      const room = bare(str(el.attrs.from));
      const key = `${ctx.conn.id} ${room}`;
      if (occupantPresence(el) && el.attrs.type === undefined && hasStatus(el, "110")) {
        entering.add(key);
        const item = itemOf(el);
        if ((item?.attrs.affiliation === "owner" || item?.attrs.affiliation === "admin") && item.attrs.role === "moderator") demoted.add(key);
      }
      if (!(isSubject(el) && atService(el.attrs.from))) return base.element!(el, ctx);
      const newcomer = entering.delete(key);
      if (refusedText.get(room) !== (el.getChildText("subject") ?? "")) return "pass";
      const request = pending.get(key);
      if (request && !newcomer) {
        pending.delete(key);
        const error = new Element("message", { type: "error", from: room, ...(ctx.conn.jid && { to: ctx.conn.jid }), ...(request.attrs.id !== undefined && { id: request.attrs.id }) });
        error.c("error", { type: "auth" }).c("forbidden", { xmlns: STANZAS });
        return [error];
      }
      if (!newcomer) return "drop"; // another occupant's copy of a change that was never made
      return changed(el, (c) => {
        c.getChild("subject")!.children = [];
        c.children = c.children.filter((k) => typeof k === "string" || k.name !== "delay");
      });
    },
  };
}

const MUC_OWNER = "http://jabber.org/protocol/muc#owner";

/** Every owner list the room is asked for (§10.5: "If allowed by an implementation") is answered with <not-allowed/>. */
const ownerListRefused = () => answering(listRequest("affiliation", "owner"), (answer): FaultAction => (answer.attrs.type === "result" ? [iqErrorFor(answer, "not-allowed")] : "pass"));

/**
 * Fifty-second audit (2026-11-28): a room that gives out no owner list (every request for it is answered with
 * <not-allowed/>) and answers an owner grant of the case's own steps (one item, affiliation owner, naming a JID) with
 * a result but never makes it: no presence announces that user as an owner, and the user's own muc#owner requests to
 * the room (§10.2's owner-only configuration form) are answered with <forbidden/>, as to any non-owner. The harness's
 * own sessions are left alone.
 */
function ownerGrantNotAppliedNoList(): StreamFault {
  const notOwners = new Map<string, Set<string>>(); // room -> bare JIDs granted owner in pretence only
  const forbid = new Set<string>(); // "connection id" of a muc#owner request by such a user
  const userOf = occupantUsers();
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${str(id)}`;
  const lists = ownerListRefused();
  return {
    fromClient: (el, ctx) => {
      lists.fromClient!(el, ctx);
      if (el.name !== "iq" || !atService(el.attrs.to) || harnessSession(ctx.conn.jid)) return;
      const room = bare(str(el.attrs.to));
      if (el.getChild("query", MUC_OWNER) && notOwners.get(room)?.has(bare(str(ctx.conn.jid)))) forbid.add(key(ctx, el.attrs.id));
      const items = itemsOf(adminQuery(el, "set"));
      for (const i of items) if (i.attrs.jid !== undefined) notOwners.get(room)?.delete(bare(str(i.attrs.jid)));
      if (items.length === 1 && items[0].attrs.affiliation === "owner" && items[0].attrs.jid !== undefined) notOwners.set(room, (notOwners.get(room) ?? new Set()).add(bare(str(items[0].attrs.jid))));
    },
    element: (el, ctx) => {
      const listed = lists.element!(el, ctx);
      if (listed !== "pass") return listed;
      if (el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") && forbid.delete(key(ctx, el.attrs.id)))
        return el.attrs.type === "result" ? [iqErrorFor(el, "forbidden", "auth")] : "pass";
      if (harnessSession(ctx.conn.jid) || !occupantPresence(el) || el.attrs.type === "unavailable") return "pass";
      const item = itemOf(el);
      const user = userOf(el, ctx);
      const room = bare(str(el.attrs.from));
      return item?.attrs.affiliation === "owner" && user !== undefined && notOwners.get(room)?.has(user) ? "drop" : "pass";
    },
  };
}

/**
 * Fifty-fifth audit (2026-11-28): muc-owner-last-other-owners: ownerGrantNotAppliedNoList for the harness's fixture
 * sessions too. A room that gives out no owner list answers an owner grant sent from a set-up session (one item,
 * affiliation owner, naming a JID) with a result and does not keep it: the proxy, as that session, takes the grant back
 * at once (affiliation none) and drops the answer to that, so the server really has its one owner. The user's own
 * muc#owner requests then get <forbidden/> from the server itself, as any non-owner's.
 */
function ownerSetupGrantNotAppliedNoList(): StreamFault {
  const undo = new Map<string, string>(); // "connection id" of a fixture's owner grant -> the granted JID
  const undone = new Set<string>(); // "connection id" of the proxy's own take-backs
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${str(id)}`;
  const lists = ownerListRefused();
  let n = 0;
  return {
    fromClient: (el, ctx) => {
      lists.fromClient!(el, ctx);
      if (el.name !== "iq" || !atService(el.attrs.to) || !harnessSession(ctx.conn.jid)) return;
      const items = itemsOf(adminQuery(el, "set"));
      if (items.length === 1 && items[0].attrs.affiliation === "owner" && items[0].attrs.jid !== undefined) undo.set(key(ctx, el.attrs.id), `${str(el.attrs.to)}\n${str(items[0].attrs.jid)}`);
    },
    element: (el, ctx) => {
      const listed = lists.element!(el, ctx);
      if (listed !== "pass") return listed;
      if (el.name !== "iq" || (el.attrs.type !== "result" && el.attrs.type !== "error")) return "pass";
      if (undone.delete(key(ctx, el.attrs.id))) return "drop";
      const grant = undo.get(key(ctx, el.attrs.id));
      if (grant === undefined) return "pass";
      undo.delete(key(ctx, el.attrs.id));
      if (el.attrs.type === "result" && ctx.conn.send) {
        const [room, jid] = grant.split("\n");
        const id = `xc-undo-${++n}`;
        undone.add(key(ctx, id));
        const iq = new Element("iq", { type: "set", id, to: room });
        iq.c("query", { xmlns: MUC_ADMIN }).c("item", { affiliation: "none", jid });
        ctx.conn.send(iq);
      }
      return "pass";
    },
  };
}

/**
 * Fifty-second audit (2026-11-28): the revocation's counterpart of ownerGrantNotAppliedNoList: a room that gives out
 * no owner list answers a revocation of owner status of the case's own steps (one item naming a JID the room was
 * asked to make an owner, set-up included, to an affiliation other than owner) with a result but never makes it: no
 * presence announces that user with the new affiliation, and the user's own muc#owner requests to the room, which
 * the server refuses, are answered as to an owner (a result with a blank form). The harness's own sessions are left
 * alone.
 */
function ownerRevokeNotAppliedNoList(): StreamFault {
  const owners = new Map<string, Set<string>>(); // room -> bare JIDs it was asked to make owners
  const stillOwners = new Map<string, Map<string, string>>(); // room -> bare JID -> the affiliation not given
  const allow = new Set<string>(); // "connection id" of a muc#owner request by such a user
  const userOf = occupantUsers();
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${str(id)}`;
  const lists = ownerListRefused();
  return {
    fromClient: (el, ctx) => {
      lists.fromClient!(el, ctx);
      if (el.name !== "iq" || !atService(el.attrs.to)) return;
      const room = bare(str(el.attrs.to));
      const items = itemsOf(adminQuery(el, "set")).filter((i) => i.attrs.jid !== undefined);
      if (harnessSession(ctx.conn.jid)) {
        for (const i of items) if (i.attrs.affiliation === "owner") owners.set(room, (owners.get(room) ?? new Set()).add(bare(str(i.attrs.jid))));
        return;
      }
      if (el.getChild("query", MUC_OWNER) && stillOwners.get(room)?.has(bare(str(ctx.conn.jid)))) allow.add(key(ctx, el.attrs.id));
      for (const i of items) stillOwners.get(room)?.delete(bare(str(i.attrs.jid)));
      const [only] = items;
      if (items.length === 1 && only.attrs.affiliation !== undefined && only.attrs.affiliation !== "owner" && owners.get(room)?.has(bare(str(only.attrs.jid))))
        stillOwners.set(room, (stillOwners.get(room) ?? new Map()).set(bare(str(only.attrs.jid)), str(only.attrs.affiliation)));
    },
    element: (el, ctx) => {
      const listed = lists.element!(el, ctx);
      if (listed !== "pass") return listed;
      if (el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") && allow.delete(key(ctx, el.attrs.id))) {
        if (el.attrs.type === "result") return "pass";
        const answer = new Element("iq", { type: "result", id: el.attrs.id, ...(el.attrs.from !== undefined && { from: el.attrs.from }), ...(el.attrs.to !== undefined && { to: el.attrs.to }) });
        answer.c("query", { xmlns: MUC_OWNER }).c("x", { xmlns: "jabber:x:data", type: "form" });
        return [answer];
      }
      if (harnessSession(ctx.conn.jid) || !occupantPresence(el) || el.attrs.type === "unavailable") return "pass";
      const item = itemOf(el);
      const user = userOf(el, ctx);
      const not = user === undefined ? undefined : stillOwners.get(bare(str(el.attrs.from)))?.get(user);
      return not !== undefined && str(item?.attrs.affiliation) === not ? "drop" : "pass";
    },
  };
}

/**
 * Class sweep (2026-11-28, group S1): a room that gives out no owner list and treats a user's change of its own
 * affiliation (one item naming the sender's bare JID, to an affiliation other than owner) as the opposite of what it
 * answered. With `made` (the only owner's refusal), the change is answered as the server answers it (<conflict/>) but
 * made: the user's later muc#owner requests, which the server grants, get <forbidden/>. Without it (a revocation
 * allowed), the change is answered with a result but never made: the user's later muc#owner requests, which the
 * server refuses, are answered as to an owner (a result with a blank form). The harness's own sessions are left alone.
 */
function ownSelfRevocationInverted(made: boolean): StreamFault {
  const users = new Set<string>(); // "room bare-JID" of a user whose own revocation is pretended otherwise
  const flip = new Set<string>(); // "connection id" of a muc#owner request by such a user
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${str(id)}`;
  const lists = ownerListRefused();
  return {
    fromClient: (el, ctx) => {
      lists.fromClient!(el, ctx);
      if (el.name !== "iq" || !atService(el.attrs.to) || harnessSession(ctx.conn.jid)) return;
      const who = `${bare(str(el.attrs.to))} ${bare(str(ctx.conn.jid))}`;
      if (el.getChild("query", MUC_OWNER) && users.has(who)) flip.add(key(ctx, el.attrs.id));
      const items = itemsOf(adminQuery(el, "set"));
      if (items.length === 1 && ownJid(ctx)(items) && items[0].attrs.affiliation !== undefined && items[0].attrs.affiliation !== "owner") users.add(who);
    },
    element: (el, ctx) => {
      const listed = lists.element!(el, ctx);
      if (listed !== "pass") return listed;
      if (el.name !== "iq" || (el.attrs.type !== "result" && el.attrs.type !== "error") || !flip.delete(key(ctx, el.attrs.id))) return "pass";
      if (made) return el.attrs.type === "result" ? [iqErrorFor(el, "forbidden", "auth")] : "pass";
      if (el.attrs.type === "result") return "pass";
      const answer = new Element("iq", { type: "result", id: el.attrs.id, ...(el.attrs.from !== undefined && { from: el.attrs.from }), ...(el.attrs.to !== undefined && { to: el.attrs.to }) });
      answer.c("query", { xmlns: MUC_OWNER }).c("x", { xmlns: "jabber:x:data", type: "form" });
      return [answer];
    },
  };
}

/**
 * Class sweep (2026-11-28, group S1): the voice list is a moderated room's (§8.5: "A moderator in a moderated room
 * might want to modify the voice list"): in a room whose configuration form was submitted with
 * muc#roomconfig_moderatedroom off, a request for the voice list (role participant) is answered with <not-allowed/>.
 */
function voiceListUnmoderatedRefused(): StreamFault {
  const unmoderated = new Set<string>(); // bare room JIDs configured unmoderated
  const lists = answering(
    (el) => listRequest("role", "participant")(el) && unmoderated.has(bare(str(el.attrs.to))),
    (answer): FaultAction => (answer.attrs.type === "result" ? [iqErrorFor(answer, "not-allowed")] : "pass"),
  );
  return {
    fromClient: (el, ctx) => {
      lists.fromClient!(el, ctx);
      const form = el.name === "iq" && el.attrs.type === "set" && atService(el.attrs.to) ? el.getChild("query", MUC_OWNER)?.getChild("x", "jabber:x:data") : undefined;
      const field = form?.getChildren("field").find((f) => f.attrs.var === "muc#roomconfig_moderatedroom");
      if (field === undefined) return;
      const value = field.getChildText("value")?.trim();
      if (value === "0" || value === "false") unmoderated.add(bare(str(el.attrs.to)));
      else unmoderated.delete(bare(str(el.attrs.to)));
    },
    element: (el, ctx) => lists.element!(el, ctx),
  };
}

/**
 * Class sweep (2026-11-28, group S1): §8.3 broken: the case's own grant of voice (one item giving a nickname role
 * participant) is answered with a result but, as far as the case's sessions can see, never made: no presence of that
 * occupant with role participant reaches them afterwards, and the voice list leaves it out. Shown on a server that
 * makes the change. The harness's own sessions are left alone.
 */
function voiceGrantAnsweredNotMade(): StreamFault {
  const request = casesOwn(single("role", "participant"));
  const granted = new Set<string>(); // occupant JIDs
  const listed = answering(listRequest("role", "participant"), (answer): FaultAction => {
    const room = bare(str(answer.attrs.from));
    const q = adminQuery(answer, "result");
    if (!q || !itemsOf(q).some((i) => granted.has(`${room}/${str(i.attrs.nick)}`))) return "pass";
    return changed(answer, (c) => {
      const cq = adminQuery(c, "result")!;
      for (const i of itemsOf(cq)) if (granted.has(`${room}/${str(i.attrs.nick)}`)) cq.remove(i);
    });
  });
  return both(listed, {
    fromClient: (el, ctx) => {
      if (request(el, ctx)) for (const i of itemsOf(adminQuery(el, "set"))) granted.add(`${bare(str(el.attrs.to))}/${str(i.attrs.nick)}`);
    },
    element: (el, ctx) =>
      !harnessSession(ctx.conn.jid) && occupantPresence(el) && el.attrs.type === undefined && itemOf(el)?.attrs.role === "participant" && granted.has(str(el.attrs.from)) ? "drop" : "pass",
  });
}

/** The occupant JIDs ("room/nick") the case's own grants of voice (one item with role participant) name, as they are sent. */
function voiceGrantsSeen(): { granted: Set<string>; fromClient: NonNullable<StreamFault["fromClient"]> } {
  const request = casesOwn(single("role", "participant"));
  const granted = new Set<string>();
  return { granted, fromClient: (el, ctx) => void (request(el, ctx) && itemsOf(adminQuery(el, "set")).forEach((i) => granted.add(`${bare(str(el.attrs.to))}/${str(i.attrs.nick)}`))) };
}

/**
 * Seventieth audit (round 70): the occupants the case's own grants of voice made participants are left out of the
 * voice lists the room returns afterwards (by nickname), but for the first `spared` of them (a room whose later lists
 * come from a copy taken before the grant); the grant is made, answered and announced, and the occupant speaks:
 * §8.5's list rule alone is broken.
 */
function voiceListWithoutGranted(spared = 0): StreamFault {
  const seen = voiceGrantsSeen();
  const answered = new Map<string, number>(); // room -> voice lists with a granted occupant answered so far
  const gone = (room: string) => (i: Element) => seen.granted.has(`${room}/${str(i.attrs.nick)}`);
  const listed = answering(listRequest("role", "participant"), (answer): FaultAction => {
    const room = bare(str(answer.attrs.from));
    const q = adminQuery(answer, "result");
    if (!q || !itemsOf(q).some(gone(room))) return "pass";
    answered.set(room, (answered.get(room) ?? 0) + 1);
    if (answered.get(room)! <= spared) return "pass";
    return changed(answer, (c) => {
      const cq = adminQuery(c, "result")!;
      for (const i of itemsOf(cq).filter(gone(room))) cq.remove(i);
    });
  });
  return both(listed, { fromClient: seen.fromClient });
}

/**
 * Seventy-second audit (round 72): the occupants the case's own grants of moderator status (one item with role
 * moderator) made moderators are left out of the moderator lists the room returns afterwards (by nickname); the grant
 * is made, answered and announced: §9.8's list rule alone is broken.
 */
function moderatorListWithoutGranted(): StreamFault {
  const request = casesOwn(single("role", "moderator"));
  const granted = new Set<string>(); // room/nick
  const gone = (room: string) => (i: Element) => granted.has(`${room}/${str(i.attrs.nick)}`);
  const listed = answering(listRequest("role", "moderator"), (answer): FaultAction => {
    const room = bare(str(answer.attrs.from));
    const q = adminQuery(answer, "result");
    if (!q || !itemsOf(q).some(gone(room))) return "pass";
    return changed(answer, (c) => {
      const cq = adminQuery(c, "result")!;
      for (const i of itemsOf(cq).filter(gone(room))) cq.remove(i);
    });
  });
  return both(listed, { fromClient: (el, ctx) => void (request(el, ctx) && itemsOf(adminQuery(el, "set")).forEach((i) => granted.add(`${bare(str(el.attrs.to))}/${str(i.attrs.nick)}`))) });
}

/**
 * Seventy-third audit (round 73): two bugs at once. The first moderator list the room returns after the case's own grant
 * of moderator status (one item with role moderator) leaves the new moderator out (a list computed before the change
 * was committed; later lists name it), and the grant's announcement (the new moderator's presence with role moderator)
 * goes only to the moderators and to the new moderator itself, not to an occupant whose own latest self-presence in
 * that room showed another role. The grant is made and answered.
 */
function moderatorGrantFirstListStaleUntold(): StreamFault {
  const request = casesOwn(single("role", "moderator"));
  const granted = new Set<string>(); // room/nick
  const stale = new Set<string>(); // rooms whose next moderator list leaves the granted out
  const selfRole = new Map<string, string>(); // "connection room" -> the role its latest self-presence showed
  const gone = (room: string) => (i: Element) => granted.has(`${room}/${str(i.attrs.nick)}`);
  const listed = answering(listRequest("role", "moderator"), (answer): FaultAction => {
    const room = bare(str(answer.attrs.from));
    const q = adminQuery(answer, "result");
    if (!q || !stale.delete(room) || !itemsOf(q).some(gone(room))) return "pass";
    return changed(answer, (c) => {
      const cq = adminQuery(c, "result")!;
      for (const i of itemsOf(cq).filter(gone(room))) cq.remove(i);
    });
  });
  const untold: StreamFault = {
    fromClient: (el, ctx) => {
      if (!request(el, ctx)) return;
      const room = bare(str(el.attrs.to));
      stale.add(room);
      itemsOf(adminQuery(el, "set")).forEach((i) => granted.add(`${room}/${str(i.attrs.nick)}`));
    },
    element: (el, ctx) => {
      if (!occupantPresence(el) || el.attrs.type !== undefined) return "pass";
      const room = bare(str(el.attrs.from));
      if (hasStatus(el, "110")) {
        selfRole.set(`${ctx.conn.id} ${room}`, str(itemOf(el)?.attrs.role));
        return "pass";
      }
      const own = selfRole.get(`${ctx.conn.id} ${room}`);
      return granted.has(str(el.attrs.from)) && itemOf(el)?.attrs.role === "moderator" && own !== undefined && own !== "moderator" ? "drop" : "pass";
    },
  };
  return both(listed, untold);
}

/**
 * Seventy-third audit (round 73): a room that seats every user without affiliation as a moderator (its presences, to
 * every occupant, show role moderator where the server has visitor or participant) and grants such an occupant the
 * voice list: its request for it is answered with a result naming the occupants the room last showed with role
 * participant (the server's own refusal replaced).
 */
function unaffiliatedSeatedAsModerators(): StreamFault {
  const promoted = new Set<string>(); // "connection room" of the connections whose own occupant is unaffiliated
  const participants = new Map<string, Map<string, Element>>(); // room -> nick -> its item, as the server has it
  const watch: StreamFault = {
    element: (el, ctx) => {
      if (!occupantPresence(el) || harnessSession(ctx.conn.jid)) return "pass";
      const room = bare(str(el.attrs.from));
      const nick = resourceOf(el.attrs.from)!;
      const item = itemOf(el);
      const inRoom = participants.get(room) ?? new Map<string, Element>();
      participants.set(room, inRoom);
      if (el.attrs.type === undefined && item?.attrs.role === "participant" && item.attrs.affiliation !== "none") inRoom.set(nick, item);
      else inRoom.delete(nick);
      if (el.attrs.type !== undefined || item?.attrs.affiliation !== "none" || !["visitor", "participant"].includes(str(item.attrs.role))) return "pass";
      if (hasStatus(el, "110")) promoted.add(`${ctx.conn.id} ${room}`);
      return changed(el, (c) => (itemOf(c)!.attrs.role = "moderator"));
    },
  };
  const lists = answering(
    (el, ctx) => listRequest("role", "participant")(el) && promoted.has(`${ctx.conn.id} ${bare(str(el.attrs.to))}`),
    (answer): FaultAction => {
      if (answer.attrs.type !== "error") return "pass";
      const query = new Element("query", { xmlns: MUC_ADMIN });
      for (const [nick, i] of participants.get(bare(str(answer.attrs.from))) ?? []) query.c("item", { nick, role: "participant", affiliation: str(i.attrs.affiliation) });
      return [iqResultFor(answer, query)];
    },
  );
  return both(lists, watch);
}

/**
 * Seventy-fourth audit (round 74): a room gives the voice list to an unaffiliated occupant who is no moderator (its
 * self-presence showed affiliation none and role visitor or participant): the room's <forbidden/> to that occupant's
 * request becomes a result listing the participants the room last showed that connection.
 */
function voiceListToUnaffiliated(): StreamFault {
  const plain = new Set<string>(); // "connection room" whose own occupant is unaffiliated and no moderator
  const participants = new Map<string, Map<string, string>>(); // "connection room" -> nick -> affiliation, role participant
  const watch: StreamFault = {
    element: (el, ctx) => {
      if (!occupantPresence(el) || harnessSession(ctx.conn.jid)) return "pass";
      const key = `${ctx.conn.id} ${bare(str(el.attrs.from))}`;
      const item = itemOf(el);
      const seen = participants.get(key) ?? new Map<string, string>();
      participants.set(key, seen);
      if (el.attrs.type === undefined && item?.attrs.role === "participant") seen.set(resourceOf(el.attrs.from)!, str(item.attrs.affiliation));
      else seen.delete(resourceOf(el.attrs.from)!);
      if (hasStatus(el, "110")) {
        if (el.attrs.type === undefined && item?.attrs.affiliation === "none" && ["visitor", "participant"].includes(str(item.attrs.role))) plain.add(key);
        else plain.delete(key);
      }
      return "pass";
    },
  };
  const lists = answering(
    (el, ctx) => listRequest("role", "participant")(el) && plain.has(`${ctx.conn.id} ${bare(str(el.attrs.to))}`),
    (answer, ctx): FaultAction => {
      if (answer.attrs.type !== "error") return "pass";
      const query = new Element("query", { xmlns: MUC_ADMIN });
      for (const [nick, affiliation] of participants.get(`${ctx.conn.id} ${bare(str(answer.attrs.from))}`) ?? []) query.c("item", { nick, role: "participant", affiliation });
      return [iqResultFor(answer, query)];
    },
  );
  return both(lists, watch);
}

/**
 * Seventy-second audit (round 72): every moderator list the room returns also lists the room's participants (as the
 * room last showed them, by their presence: an <item/> with role participant, their nickname and affiliation none),
 * or, where it showed none, a made-up participant; the items of the real moderators are kept.
 */
function moderatorListPadded(): StreamFault {
  const participants = new Map<string, Set<string>>(); // room -> nicknames last shown with role participant
  const seen: StreamFault = {
    element: (el) => {
      const item = el.name === "presence" && atService(el.attrs.from) ? userX(el)?.getChild("item") : undefined;
      const nick = resourceOf(el.attrs.from);
      if (item && nick !== undefined) {
        const room = bare(str(el.attrs.from));
        const set = participants.get(room) ?? new Set<string>();
        participants.set(room, set);
        if (el.attrs.type !== "unavailable" && item.attrs.role === "participant") set.add(nick);
        else set.delete(nick);
      }
      return "pass";
    },
  };
  const listed = answering(listRequest("role", "moderator"), (answer): FaultAction => {
    const q = adminQuery(answer, "result");
    if (!q) return "pass";
    const nicks = [...(participants.get(bare(str(answer.attrs.from))) ?? [])];
    return changed(answer, (c) => {
      const cq = adminQuery(c, "result")!;
      for (const n of nicks.length > 0 ? nicks : ["Padding"]) cq.c("item", { affiliation: "none", nick: n, role: "participant" });
    });
  });
  return both(seen, listed);
}

/**
 * Seventy-second audit (round 72): the occupants the case's own grants of voice made participants keep, in the voice
 * lists the room returns afterwards, the role they had before the grant ('visitor': a list built from a stale role
 * cache); every item still carries 'nick' and 'role', and the grant is made, answered and announced.
 */
function voiceListGrantedStaleRole(): StreamFault {
  const seen = voiceGrantsSeen();
  const stale = (room: string) => (i: Element) => seen.granted.has(`${room}/${str(i.attrs.nick)}`);
  const listed = answering(listRequest("role", "participant"), (answer): FaultAction => {
    const room = bare(str(answer.attrs.from));
    if (!itemsOf(adminQuery(answer, "result")).some(stale(room))) return "pass";
    return changed(answer, (c) => {
      for (const i of itemsOf(adminQuery(c, "result")).filter(stale(room))) i.attrs.role = "visitor";
    });
  });
  return both(listed, { fromClient: seen.fromClient });
}

/**
 * Seventy-second audit (round 72): a role list that ignores the request's role: the answer to a request for the
 * occupants with role `role` (§8.5's voice list, §9.8's moderator list) also lists every other occupant the room last
 * announced (by presence to the case's sessions) with another role, with that role, its nickname and affiliation.
 */
function roleListUnfiltered(role: string): StreamFault {
  const occupants = new Map<string, Map<string, Element>>(); // room -> nick -> the <item/> of its latest presence
  const watch: StreamFault = {
    element: (el) => {
      if (!occupantPresence(el)) return "pass";
      const room = bare(str(el.attrs.from));
      const nick = resourceOf(el.attrs.from)!;
      const inRoom = occupants.get(room) ?? new Map<string, Element>();
      occupants.set(room, inRoom);
      const item = itemOf(el);
      if (el.attrs.type === "unavailable") inRoom.delete(nick);
      else if (el.attrs.type === undefined && item?.attrs.role !== undefined) inRoom.set(nick, item);
      return "pass";
    },
  };
  const lists = answering(listRequest("role", role), (answer): FaultAction => {
    const q = adminQuery(answer, "result");
    const listed = new Set(itemsOf(q).map((i) => str(i.attrs.nick)));
    const others = [...(occupants.get(bare(str(answer.attrs.from)))?.entries() ?? [])].filter(([nick, i]) => !listed.has(nick) && i.attrs.role !== role);
    if (!q || others.length === 0) return "pass";
    return changed(answer, (c) => {
      const cq = adminQuery(c, "result")!;
      for (const [nick, i] of others) cq.c("item", { nick, role: str(i.attrs.role), ...(i.attrs.affiliation !== undefined && { affiliation: str(i.attrs.affiliation) }) });
    });
  });
  return both(watch, lists);
}

/**
 * Seventieth audit (round 70): voiceGrantAnsweredNotMade, and the occupant's groupchat messages handled as a visitor's
 * (§7.4: "the service MUST return a <forbidden/> error to the sender and MUST NOT reflect the message to all
 * occupants"): the copy to the occupant becomes that error and the other copies are dropped.
 */
function voiceGrantAnsweredNotMadeMuted(): StreamFault {
  const seen = voiceGrantsSeen();
  const holder = new Map<string, string>(); // occupant JID -> the connection its self-presence went to
  return both(voiceGrantAnsweredNotMade(), {
    fromClient: seen.fromClient,
    element: (el, { conn }) => {
      if (el.name === "presence" && atService(el.attrs.from) && hasStatus(el, "110")) holder.set(str(el.attrs.from), str(conn.id));
      if (el.name !== "message" || el.attrs.type !== "groupchat" || !seen.granted.has(str(el.attrs.from)) || harnessSession(conn.jid) || !el.getChild("body")) return "pass";
      if (holder.get(str(el.attrs.from)) !== str(conn.id)) return "drop";
      const error = new Element("message", { from: bare(str(el.attrs.from)), type: "error", ...(conn.jid !== undefined && { to: conn.jid }), ...(el.attrs.id !== undefined && { id: el.attrs.id }) });
      error.c("error", { type: "auth" }).c("forbidden", { xmlns: STANZAS });
      return [error];
    },
  });
}

/**
 * Class sweep (2026-11-28, group S1): a room that gives out no owner list answers a change of affiliations it refuses
 * (a muc#admin set by one of the case's own sessions naming JIDs, answered with an error) with <forbidden/> (§10.3's
 * condition, whatever the server's), but makes it as far as the case can see: a user the request made an owner gets its later muc#owner requests, which the server
 * refuses, answered as an owner's (a result with a blank form), and a user it gave another affiliation gets its later
 * muc#owner requests answered <forbidden/>. The harness's own sessions are left alone.
 */
function ownerChangeRefusedButMadeNoList(): StreamFault {
  const pending = new Map<string, Element[]>(); // "connection id" -> the items of a change awaiting its answer
  const made = new Map<string, "owner" | "other">(); // "room bare-JID" -> what the refused change pretended to make
  const flip = new Map<string, "owner" | "other">(); // "connection id" of a muc#owner request by such a user
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${str(id)}`;
  const lists = ownerListRefused();
  return {
    fromClient: (el, ctx) => {
      lists.fromClient!(el, ctx);
      if (el.name !== "iq" || !atService(el.attrs.to) || harnessSession(ctx.conn.jid)) return;
      const room = bare(str(el.attrs.to));
      const as = made.get(`${room} ${bare(str(ctx.conn.jid))}`);
      if (as !== undefined && el.getChild("query", MUC_OWNER)) flip.set(key(ctx, el.attrs.id), as);
      const items = itemsOf(adminQuery(el, "set")).filter((i) => i.attrs.jid !== undefined && i.attrs.affiliation !== undefined);
      if (items.length > 0) pending.set(key(ctx, el.attrs.id), items);
    },
    element: (el, ctx) => {
      const listed = lists.element!(el, ctx);
      if (listed !== "pass") return listed;
      if (el.name !== "iq" || (el.attrs.type !== "result" && el.attrs.type !== "error")) return "pass";
      const k = key(ctx, el.attrs.id);
      const items = pending.get(k);
      if (items !== undefined) {
        pending.delete(k);
        if (el.attrs.type !== "error") return "pass";
        for (const i of items) made.set(`${bare(str(el.attrs.from))} ${bare(str(i.attrs.jid))}`, i.attrs.affiliation === "owner" ? "owner" : "other");
        return [iqErrorFor(el, "forbidden", "auth")];
      }
      const as = flip.get(k);
      if (as === undefined) return "pass";
      flip.delete(k);
      if (as === "other") return el.attrs.type === "result" ? [iqErrorFor(el, "forbidden", "auth")] : "pass";
      if (el.attrs.type === "result") return "pass";
      const answer = new Element("iq", { type: "result", id: el.attrs.id, ...(el.attrs.from !== undefined && { from: el.attrs.from }), ...(el.attrs.to !== undefined && { to: el.attrs.to }) });
      answer.c("query", { xmlns: MUC_OWNER }).c("x", { xmlns: "jabber:x:data", type: "form" });
      return [answer];
    },
  };
}

/**
 * A members-only room that announces a removed member's affiliation none in an available presence before his removal
 * (the 321 unavailable presence): to the other occupants, or (`self`) to the removed member himself (status 110).
 */
const deaffiliatedBeforeRemoval = (self: boolean) =>
  when(
    (el) => occupantPresence(el) && el.attrs.type === "unavailable" && hasStatus(el, "321") && hasStatus(el, "110") === self,
    (el) => [
      ...changed(el, (c) => {
        delete c.attrs.type;
        const x = userX(c)!;
        x.children = x.children.filter((s) => typeof s === "string" || s.name !== "status");
        if (itemOf(c)) {
          itemOf(c)!.attrs.affiliation = "none";
          itemOf(c)!.attrs.role = "participant";
        }
      }),
      el,
    ],
  );

/**
 * Sixtieth audit (2026-11-28): the presence announcing an occupant's new affiliation (an available occupant presence
 * whose item's affiliation differs from the one the same connection last saw for that occupant JID) carries its
 * <item/> without 'role', while entries and other presences keep theirs: §5.1's "Information about roles MUST be sent
 * in all presence stanzas generated or reflected by the room" (MUC-ROLE-01) broken on affiliation changes only.
 */
function affiliationChangeWithoutRole(othersOnly = false): (el: Element, ctx: FaultContext) => FaultAction {
  const last = new Map<string, string>(); // "connection id occupant JID" -> the affiliation last seen
  return (el, ctx) => {
    if (harnessSession(ctx.conn.jid) || !occupantPresence(el) || el.attrs.type !== undefined) return "pass";
    if (othersOnly && hasStatus(el, "110")) return "pass"; // the occupant's own copy keeps its role
    const affiliation = itemOf(el)?.attrs.affiliation;
    if (affiliation === undefined) return "pass";
    const k = `${ctx.conn.id} ${str(el.attrs.from)}`;
    const before = last.get(k);
    last.set(k, str(affiliation));
    return before === undefined || before === str(affiliation)
      ? "pass"
      : changed(el, (c) =>
          userX(c)!
            .getChildren("item")
            .forEach((i) => delete i.attrs.role),
        );
  };
}

/**
 * Sixty-ninth audit (round 69, auditor G4's fault): §8.2's unavailable presence of a kicked occupant (status code 307,
 * not the kicked occupant's own 110 copy) is not sent to an occupant whose own self-presence in that room showed
 * affiliation admin or member, though it goes "to all the remaining occupants" (MUC-MOD-KICK-03).
 */
function kickNotToldToAffiliated(): StreamFault {
  const affiliated = new Set<string>(); // "connection id room JID"
  return {
    element: (el, ctx) => {
      if (!occupantPresence(el)) return "pass";
      const key = `${ctx.conn.id} ${bare(str(el.attrs.from))}`;
      if (el.attrs.type !== "unavailable" && hasStatus(el, "110")) {
        const a = str(userX(el)!.getChild("item")?.attrs.affiliation);
        if (a === "admin" || a === "member") affiliated.add(key);
        else affiliated.delete(key);
      }
      return el.attrs.type === "unavailable" && hasStatus(el, "307") && !hasStatus(el, "110") && affiliated.has(key) ? "drop" : "pass";
    },
  };
}

/** XEP-0045 §5, §8.2-§8.5, §9.1-§9.8, §10.3-§10.8: server bugs the cases of this area must catch. */
export const FAULTS: FaultDef[] = [
  // §8.2 kicks
  {
    id: "muc.kick.no-result",
    area: "muc",
    requirements: ["MUC-MOD-KICK-02", "STANZA-IQ-01"],
    description: "a kick removes the occupant but the moderator never gets the IQ result",
    stream: resultDropped(single("role", "none")),
  },
  {
    id: "muc.kick.kicked-without-307",
    area: "muc",
    requirements: ["MUC-MOD-KICK-01"],
    description: "the kicked occupant's own unavailable presence lacks status code 307",
    fault: statusLeftOut("307", true),
  },
  {
    id: "muc.kick.others-without-307",
    area: "muc",
    requirements: ["MUC-MOD-KICK-03"],
    description: "the remaining occupants get the kicked occupant's unavailable presence without status code 307",
    fault: statusLeftOut("307", false),
  },
  // Sixty-ninth audit (round 69): only gina's copy was judged in muc-mod-kick; dave's, bob's (where he remains) and the
  // kicker's are now too. muc-mod-kick owner, admin and member-moderator: pass -> fail (MUC-MOD-KICK-03).
  {
    id: "muc.kick.affiliated-not-told",
    area: "muc",
    requirements: ["MUC-MOD-KICK-03"],
    description: "occupants whose affiliation is admin or member do not get a kicked occupant's unavailable presence (status code 307)",
    stream: kickNotToldToAffiliated(),
  },
  {
    id: "muc.kick.self-kick-not-carried-out",
    area: "muc",
    requirements: ["MUC-MOD-KICK-01"],
    description: "a moderator's kick of himself is answered with a result but not carried out: he gets no unavailable presence with status code 307",
    stream: selfKickNotCarriedOut(),
  },
  {
    id: "muc.kick.higher-forbidden",
    area: "muc",
    requirements: ["MUC-MOD-KICK-05"],
    description: "a kick of an occupant with a higher affiliation is refused with forbidden instead of not-allowed",
    stream: refusalChanged(single("role", "none"), "not-allowed", "forbidden"),
  },
  {
    id: "muc.role.unavailable-without-role",
    area: "muc",
    requirements: ["MUC-ROLE-01"],
    description: "the unavailable presence of a kicked or banned occupant carries an <item/> without 'role'",
    fault: when(
      (el) => occupantPresence(el) && el.attrs.type === "unavailable" && (hasStatus(el, "307") || hasStatus(el, "301")) && itemOf(el)?.attrs.role !== undefined,
      (el) => changed(el, (c) => delete itemOf(c)!.attrs.role),
    ),
  },
  {
    id: "muc.affil.unavailable-without-affiliation",
    area: "muc",
    requirements: ["MUC-AFFIL-04"],
    description: "the unavailable presence of a kicked occupant carries an <item/> without 'affiliation'",
    fault: when(
      (el) => occupantPresence(el) && el.attrs.type === "unavailable" && hasStatus(el, "307") && itemOf(el)?.attrs.affiliation !== undefined,
      (el) => changed(el, (c) => delete itemOf(c)!.attrs.affiliation),
    ),
  },
  // §8 the moderators' requests
  {
    id: "muc.mod.auth-not-allowed",
    area: "muc",
    requirements: ["MUC-MOD-AUTH-01"],
    description: "a request for the voice list from an occupant who is no moderator is refused with not-allowed instead of forbidden",
    stream: refusalChanged(listRequest("role", "participant"), "forbidden", "not-allowed"),
  },
  {
    id: "muc.role.moderated-owner-admin-participant",
    area: "muc",
    requirements: ["MUC-ROLE-05"],
    description: "in a moderated room the owner and admins enter as participants, not moderators, and their moderator requests (voice, kicks) are refused with forbidden",
    stream: moderatedOwnerAdminParticipant(),
  },
  {
    // Twenty-fifth audit: muc-mod-voice-list-refused and muc-mod-voice-revoke-refused looked for the target's presence
    // with role visitor at gina, whose copies of the target's entry were never taken: where the room seated an admin as
    // a visitor (a breach of §5.1.2's SHOULD, MUC-ROLE-05) a refused request that changed nothing failed the MUST. The
    // target itself (its own entry taken at set-up) is now the observer. muc-mod-voice-list-refused/member-moderator-admin
    // and muc-mod-voice-revoke-refused/member-moderator-admin: old fail (MUC-MOD-VOICE-08, MUC-MOD-VOICE-07) -> new pass.
    id: "muc.role.admin-seated-visitor",
    area: "muc",
    requirements: ["MUC-ROLE-05", "MUC-ROLE-06"],
    description: "the presence of an admin who enters a room says role visitor instead of moderator, to every occupant (the admin's own self-presence too)",
    fault: (el, ctx) => {
      const item = occupantPresence(el) && el.attrs.type === undefined && !harnessSession(ctx.conn.jid) ? itemOf(el) : undefined;
      return item?.attrs.affiliation === "admin" && item.attrs.role === "moderator" && !item.getChild("actor") ? changed(el, (c) => (itemOf(c)!.attrs.role = "visitor")) : "pass";
    },
  },
  {
    // Thirty-seventh audit: muc-mod-voice-revoke-owner-by-owner looked for bob's presence with role visitor at gina,
    // whose copy of bob's entry was never taken: where the room seated bob, a second owner, as a visitor (a breach of
    // §5.1.2's SHOULD) a refused revocation that changed nothing failed MUC-MOD-VOICE-07 at MUST. bob himself (his
    // entry taken at set-up) is now the observer. ejabberd 23.01: old fail (MUC-MOD-VOICE-07) -> new pass.
    id: "muc.role.second-owner-seated-visitor",
    area: "muc",
    requirements: ["MUC-ROLE-05", "MUC-ROLE-06"],
    description: "the presence of an owner who enters a room where another owner is an occupant says role visitor instead of moderator, to every occupant (that owner's own self-presence too)",
    fault: secondOwnerSeatedVisitor(),
  },
  {
    // Thirty-seventh audit: muc-mod-voice-list/member-moderator granted bob, a member, the role moderator (§9.6: "An
    // admin might want to grant moderator status to a participant or visitor") without asserting that he had entered
    // as a participant (§5.1.2's SHOULD); where he entered as a moderator the grant changes nothing, and no rule says
    // how the room answers it. The grant is now sent only after bob-entry/participant. Prosody 13: old fail
    // (MUC-ADMIN-MOD-01) -> new warn (MUC-ROLE-05).
    id: "muc.role.member-moderator-noop-refused",
    area: "muc",
    requirements: ["MUC-ROLE-05", "MUC-ROLE-06"],
    description:
      "members enter every room as moderators (§5.1.2's SHOULD gives them participant), and a later grant of moderator status to such an occupant, which then changes nothing, is refused with <not-allowed/> and announced to nobody",
    stream: memberModeratorNoopRefused(),
  },
  {
    // Forty-sixth audit (2026-11-27): muc-mod-voice-revoke-refused sent the revocation after the revoker's label only,
    // the target's voice never shown (§8.4's rules are about a user who has voice, here only §5.1.2's SHOULD): a room
    // that seated the target as a visitor and answered the revocation, which changed nothing, with a result failed the
    // cell's MUST. The target's role is now judged (MUC-ROLE-05) before the revocation. Prosody 13: old fail
    // (member-moderator-member, member-moderator-admin, unaffiliated-moderator-member, owner-admin) -> new warn.
    id: "muc.role.affiliated-seated-visitor-noop-result",
    area: "muc",
    requirements: ["MUC-ROLE-05", "MUC-ROLE-06"],
    description:
      "members and admins enter every room as visitors (§5.1.2's SHOULD gives them participant and moderator), and a revocation of voice from such an occupant, which then changes nothing, is answered with a result and announced to nobody",
    stream: affiliatedSeatedVisitorNoopResult(),
  },
  {
    // Sixty-fifth audit (round 65): muc-mod-voice-list-refused read the refusal back by the target's own groupchat
    // message coming back to it, charged to the cell's rule (MUC-MOD-VLIST-04, MUC-MOD-VOICE-08), so a room that
    // denied the change but never reflects a message to its sender failed §8.5's rule, where §7.4's "reflect the
    // message out to the full JID of each occupant" (MUC-MSG-01) is what it broke. The target now speaks before the
    // change too: old fail (MUC-MOD-VLIST-04) -> new fail (MUC-MSG-01, MUC-MOD-VLIST-04 not-reached), on ejabberd 24.12.
    // muc.msg.not-reflected-to-sender keys on the message's 'id'; this one on the sender's connection and the body.
    // Seventieth audit (round 70): the same class in muc-mod-voice-revoke-offending-item, -revoke-owner-by-owner,
    // -revoke-refused and muc-mod-kick-higher, each now with a MUC-MSG-01 gate before the refusal: ejabberd 24.12 old
    // fail (MUC-MOD-VOICE-07 / -06 / MUC-MOD-KICK-05) -> new fail (MUC-MSG-01, the refusal's read-back not-reached).
    id: "muc.msg.never-reflected-to-sender",
    area: "muc",
    requirements: ["MUC-MSG-01"],
    description: "a groupchat message, with or without an 'id', is reflected to the other occupants but never to its sender",
    stream: (() => {
      const own = new Set<string>(); // "connection body" of the groupchat messages each connection sent
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          if (el.name === "message" && el.attrs.type === "groupchat" && el.getChild("body")) own.add(`${ctx.conn.id} ${str(el.getChildText("body"))}`);
        },
        element: (el: Element, ctx: FaultContext): FaultAction =>
          el.name === "message" &&
          el.attrs.type === "groupchat" &&
          atService(el.attrs.from) &&
          resourceOf(el.attrs.from) !== undefined &&
          el.getChild("body") &&
          own.has(`${ctx.conn.id} ${str(el.getChildText("body"))}`)
            ? "drop"
            : "pass",
      } as StreamFault;
    })(),
  },
  {
    // Twenty-fifth audit: muc-mod-voice-list-refused/mixed proved the <not-allowed/> and that eve kept her voice, not
    // that the request was denied (§8.5: "the service MUST deny the request and return a <not-allowed/> error to the
    // sender"): a room that applies carol's item, stops at eve's and answers <not-allowed/> passed. carol now must get
    // no presence of hers with role participant after it. Prosody applies the first item of a multi-item set (it
    // answers a result); this fault's error in its place: old pass -> new fail (MUC-MOD-VLIST-04).
    id: "muc.rolelist.partial-then-refused",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-04"],
    description: "a voice list change with several items is answered with <not-allowed/> after the room applied some of its items",
    stream: answering(several("role"), (answer): FaultAction => (answer.attrs.type === "result" ? [iqErrorFor(answer, "not-allowed")] : "pass")),
  },
  {
    id: "muc.role.owner-admin-participant",
    area: "muc",
    requirements: ["MUC-ROLE-06"],
    description: "in every room, unmoderated ones included, the owner and admins enter as participants, not moderators, and their moderator requests (voice, kicks) are refused with forbidden",
    stream: moderatedOwnerAdminParticipant(true),
  },
  {
    // Twenty-first audit (2026-11-25): muc-mod-voice-list and muc-role-kept-across-visits (and the cases sharing
    // their entry step: muc-mod-voice-grant, -voice-list-modify, -voice-list-refused, -auth, -change-order,
    // muc-role-from-affiliation, muc-voicereq-forwarded, -approved, muc-role-list-items) recorded an unaffiliated
    // user's entry with voice into a moderated room as a neutral alternative and reported MUC-ROLE-05 pass on the
    // other occupants' entries; the alternative now judges the table's "Visitor" (an also: of MUC-ROLE-05), so they warn.
    id: "muc.role.moderated-unaffiliated-voiced",
    area: "muc",
    requirements: ["MUC-ROLE-05"],
    description: "in a moderated room a user without affiliation enters as a participant, not a visitor (as ejabberd 23.01 and 24.12 do)",
    stream: moderatedUnaffiliatedVoiced(),
  },
  {
    // Twenty-first audit (2026-11-25): muc-role-list-items' moderators cell asked for the moderator list without
    // asserting that the owner entered as a moderator (§5.1.2's SHOULD), so a room whose owner is a participant
    // (and rightly not on the list) failed MUC-IQ-07 at MUST; the list is now asked only after alice-entry/moderator.
    id: "muc.role.owner-participant-unlisted",
    area: "muc",
    requirements: ["MUC-ROLE-05", "MUC-ROLE-06"],
    description: "the owner enters every room as a participant, not a moderator, and so is on no moderator list",
    fault: ownerParticipantUnlisted,
  },
  {
    // Nineteenth audit (2026-11-25): muc-subject-delay judged the subject the owner set at MUST without asserting
    // first that she is a moderator (a SHOULD), and mam-muc-subject warned on the archive for a change the room refused.
    id: "muc.role.owner-participant-subject-refused",
    area: "muc",
    requirements: ["MUC-ROLE-06"],
    description:
      "the owner and admins enter every room as participants, not moderators, and the owner's subject change is refused with forbidden and never made: newcomers get the room's empty subject",
    stream: ownerParticipantSubjectRefused(),
  },
  // §8.3, §8.4 voice (and §9.7: a moderator made a participant)
  {
    id: "muc.voice.grant-no-result",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-01", "MUC-ADMIN-MOD-03", "STANZA-IQ-01"],
    description: "a change of an occupant's role to participant is made but never answered with an IQ result",
    stream: resultDropped(single("role", "participant")),
  },
  {
    id: "muc.voice.grant-unannounced",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-02", "MUC-ADMIN-MOD-04", "MUC-ROLE-07"],
    description: "an occupant made a participant gets the role, but no occupant gets its presence with role participant",
    stream: unannounced("role", "participant"),
  },
  {
    id: "muc.voice.revoke-no-result",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-04", "STANZA-IQ-01"],
    description: "a voice revocation is made but never answered with an IQ result",
    stream: resultDropped(single("role", "visitor")),
  },
  {
    id: "muc.voice.revoke-unannounced",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-05", "MUC-ROLE-07"],
    description: "an occupant whose voice is revoked becomes a visitor, but no occupant gets its presence with role visitor",
    stream: unannounced("role", "visitor"),
  },
  {
    // Thirty-second audit (2026-11-26): muc-mod-voice-list judged the voice list (MUC-MOD-VLIST-01) right after the
    // revocation's result, so a room that answers the revocation but leaves the occupant a participant (no presence
    // with role visitor, so an accurate list that names her) failed VLIST-01, where §8.4's "The service MUST then send
    // updated presence from this individual to all occupants, indicating the removal of voice privileges"
    // (MUC-MOD-VOICE-05) is what it broke. The case now asks for that presence before the list: old fail (VLIST-01
    // fail) -> new fail (VOICE-05 fail, VLIST-01 not reached), on ejabberd, where the revocation happens.
    id: "muc.voice.revoke-result-kept",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-05"],
    description:
      "the case's own revocation of voice (one item with role visitor) is answered with a result, but the occupant keeps the voice: no presence gives it role visitor, and the voice list asked afterwards names it as a participant",
    stream: voiceRevokeAnsweredKept(),
  },
  {
    // Sixty-seventh audit (round 67): muc-pres-revoked/role took an error to the voice list it reads back after the
    // revocation (a moderated room, alice a moderator: §8.5 "The service MUST then return the voice list to the
    // moderator") as crediting nothing, so this room, which answers the revocation, never makes it and refuses the
    // list, failed MUC-PRES-04 (§17.3, for a revocation never made); the list is now a plain receives at
    // MUC-MOD-VLIST-01: PRES-04 fail -> VLIST-01 fail, PRES-04 not-reached (prosody 13). The same read-back in
    // muc-voicereq-forwarded, -approved (where bob enters with voice: ejabberd) and muc-enter-role-kept-across-visits/
    // visitor: MUC-MOD-VOICE-05 fail -> MUC-MOD-VLIST-01 fail.
    id: "muc.voice.revoke-kept-list-refused",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-01"],
    description:
      "the case's own revocation of voice (one item with role visitor) is answered with a result, but the occupant keeps the voice (no presence gives it role visitor), and the voice list asked afterwards is refused with <not-allowed/>",
    stream: both(roleListRefused("participant"), voiceRevokeAnsweredKept()),
  },
  {
    // Class sweep (2026-11-28, group S1): muc-mod-voice-grant credited §8.3's "The service MUST then inform the
    // moderator of success" (MUC-MOD-VOICE-01) on the IQ result alone, so a grant answered and never made failed the
    // announcement (MUC-MOD-VOICE-02, MUC-ROLE-07). The case now reads the voice list back first (where it names
    // anyone): VOICE-01 pass, VOICE-02 fail -> VOICE-01 fail, VOICE-02 not-reached (owner and admin cells).
    id: "muc.voice.grant-result-not-made",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-01"],
    description:
      "the case's own grant of voice (one item with role participant) is answered with a result, but the occupant stays a visitor as far as the case can see: no presence gives it role participant, and the voice list asked afterwards leaves it out",
    stream: voiceGrantAnsweredNotMade(),
  },
  {
    // Thirty-ninth audit (2026-11-27): muc-mod-voice-revoke charged §5.1's "Visitor | RECOMMENDED" (MUC-ROLE-03) to
    // gina's copy of the revocation, so a room that has the role, gives it and tells the target (status 110) and the
    // revoker but no other occupant warned MUC-ROLE-03, where only §8.4's "to all occupants" (MUC-MOD-VOICE-05,
    // MUC-ROLE-07) is broken. The role is now credited on the target's own presence: ROLE-03 warn -> pass, the case
    // failing VOICE-05 and ROLE-07 before and after.
    id: "muc.voice.revoke-bystander-not-told",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-05", "MUC-ROLE-07"],
    description: "an occupant's presence with role visitor (a revocation of voice) reaches the occupant itself (status 110) and the occupant who asked for the change, no other occupant",
    // Seventy-seventh audit (round 77): only the presence of an occupant whose voice was revoked (by nick) is withheld,
    // not every visitor's: muc-pres-revoked/role and muc-msg-visitor judge the bystander's copy only where a visitor's
    // entry presence showed visitors' presence broadcast, which the old fault withheld too (new case: fail -> pass,
    // 'not-shown'; with this change: fail).
    stream: (() => {
      const askers = new Set<number>();
      const revoked = new Set<string>();
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          const q = atService(el.attrs.to) ? adminQuery(el, "set") : undefined;
          if (itemsOf(q).some((i) => i.attrs.role !== undefined)) askers.add(ctx.conn.id);
          for (const i of itemsOf(q)) if (i.attrs.role === "visitor" && i.attrs.nick !== undefined) revoked.add(`${bare(str(el.attrs.to))}/${str(i.attrs.nick)}`);
        },
        element: (el: Element, ctx: FaultContext): FaultAction =>
          occupantPresence(el) &&
          el.attrs.type === undefined &&
          !hasStatus(el, "110") &&
          itemOf(el)?.attrs.role === "visitor" &&
          revoked.has(str(el.attrs.from)) &&
          !askers.has(ctx.conn.id) &&
          !harnessSession(ctx.conn.jid)
            ? "drop"
            : "pass",
      } as StreamFault;
    })(),
  },
  {
    id: "muc.voice.refused-revocation-succeeds",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-06", "MUC-MOD-VOICE-07", "MUC-MOD-VOICE-08", "MUC-MOD-VLIST-04"],
    description: "a revocation of voice the room refuses (an admin's, an owner's, a higher affiliation's) is answered with a result",
    stream: refusalChanged(
      adminSet((items) => items.some((i) => i.attrs.role === "visitor")),
      "not-allowed",
      "result",
    ),
  },
  {
    // Twenty-second audit (2026-11-26): muc-mod-voice-revoke-owner-by-owner asked one pattern for the refusal and its
    // <not-allowed/>, so this room, which refuses, failed MUC-MOD-VOICE-07 as well as -08; the fixed case fails -08
    // alone (as muc-mod-voice-revoke-refused did already). Old case 07 and 08 fail, fixed case 07 pass, 08 fail.
    id: "muc.voice.refused-forbidden",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-08"],
    description: "a revocation of voice the room refuses (an admin's, an owner's, a higher affiliation's) is refused with forbidden instead of not-allowed",
    stream: refusalChanged(
      adminSet((items) => items.some((i) => i.attrs.role === "visitor")),
      "not-allowed",
      "forbidden",
    ),
  },
  {
    id: "muc.voice.error-without-item",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-09"],
    description: "the not-allowed error to a refused voice revocation does not carry the offending item",
    stream: answering(
      adminSet((items) => items.some((i) => i.attrs.role === "visitor")),
      (answer) => (answer.attrs.type === "error" && answer.getChild("query", MUC_ADMIN) ? changed(answer, (c) => c.remove(c.getChild("query", MUC_ADMIN)!)) : "pass"),
    ),
  },
  // §8.5 the voice list, §9.8 the moderator list (changes of several roles)
  {
    id: "muc.voicelist.participant-missing",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-01"],
    description: "the voice list leaves out a participant",
    stream: listShortened(listRequest("role", "participant")),
  },
  {
    // Seventieth audit (round 70): muc-role-list-items/participants charged a voice list asked right after the grant
    // (l0) that names carol but not bob to the grant's answer (§8.3, MUC-MOD-VOICE-01), where only §8.5's list rule is
    // broken (muc.voicelist.participant-missing drops the last item, bob's or carol's as the room orders them). The
    // case now lets bob speak and asks again: old fail (MUC-MOD-VOICE-01 fail, MUC-MOD-VLIST-01 pass) -> new fail
    // (MUC-MOD-VLIST-01 fail, MUC-MOD-VOICE-01 pass), Prosody 13.
    id: "muc.voicelist.granted-missing",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-01"],
    description: "the voice list leaves out the occupants a moderator gave voice (the grant made, answered and announced)",
    stream: voiceListWithoutGranted(),
  },
  {
    // Seventieth audit (round 70): muc-role-list-items credited its list rule on any item with the list's role and
    // charged a list without bob to MUC-IQ-07 (the attributes of each item), though carol is a participant too. The
    // case's own list (l1) must now name him: old fail (MUC-IQ-07 fail, MUC-IQ-08 warn, MUC-MOD-VLIST-01 pass) -> new
    // fail (MUC-MOD-VLIST-01 fail), participants cell, Prosody 13 (l0, the first list after the grant, names him).
    id: "muc.voicelist.granted-missing-later",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-01"],
    description: "the first voice list after a grant of voice names the occupant, the later ones (from a copy taken before the grant) leave him out; the grant is made, answered and announced",
    stream: voiceListWithoutGranted(1),
  },
  {
    // Seventy-second audit (round 72): muc-role-list-items/participants judged the listed occupant's role value only in
    // MUC-IQ-07's also: (each item "MUST include the 'nick' and 'role' attributes"), while its list rule took bob's item
    // whatever role it stated: old fail (MUC-IQ-07 fail, MUC-MOD-VLIST-01 pass) -> new fail (MUC-MOD-VLIST-01 fail,
    // MUC-IQ-07 not reached), Prosody 13 (ejabberd 24.12 seats bob with voice: no grant, pass old and new).
    id: "muc.voicelist.granted-stale-role",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-01"],
    description:
      "the voice list names the occupants a moderator gave voice, but their items state role='visitor', the role they had before the grant (every item still carries 'nick' and 'role'; the grant is made, answered and announced)",
    stream: voiceListGrantedStaleRole(),
  },
  {
    // Seventy-second audit (round 72): muc-role-list-items credited its list rule (MUC-MOD-VLIST-01, MUC-ADMIN-MOD-06) on
    // a list that named the occupant, whatever else it listed: old pass -> new fail (the list's rule), both cells.
    id: "muc.rolelist.unfiltered",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-01", "MUC-ADMIN-MOD-06"],
    description: "the voice list and the moderator list ignore the role asked for: each also lists every other occupant, with the role (visitor, participant or moderator) the room gave it",
    stream: both(roleListUnfiltered("participant"), roleListUnfiltered("moderator")),
  },
  {
    // Seventieth audit (round 70): the control of muc-role-list-items/participants's other side: a grant answered and not
    // made as far as the case can see, bob's message included, still fails MUC-MOD-VOICE-01 (old and new), Prosody 13.
    id: "muc.voice.grant-result-not-made-muted",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-01"],
    description:
      "the case's own grant of voice (one item with role participant) is answered with a result, but the occupant stays a visitor as far as the case can see: no presence gives it role participant, the voice list leaves it out, and its groupchat messages are refused with <forbidden/>",
    stream: voiceGrantAnsweredNotMadeMuted(),
  },
  {
    id: "muc.rolelist.no-result",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-02", "MUC-ADMIN-MOD-07", "STANZA-IQ-01"],
    description: "a voice or moderator list change (several items) is made but never answered with an IQ result",
    stream: resultDropped(several("role")),
  },
  {
    id: "muc.rolelist.last-unannounced",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-03", "MUC-ADMIN-MOD-08"],
    description: "of a voice or moderator list change with several items, the last item's role change is not announced",
    stream: lastOfListUnannounced("role", ["participant", "visitor", "moderator"]),
  },
  {
    id: "muc.rolelist.last-not-applied",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-07"],
    description: "a moderator list change with several items is answered with a result, but its last item is not applied: the moderator list asked afterwards does not name it",
    stream: lastOfListNotApplied("moderator"),
  },
  {
    // Twenty-eighth audit: muc-mod-voice-list-modify credited §5.1.3's "If an occupant's role changes, a MUC service
    // implementation MUST change the occupant's role to reflect the change and communicate the change to all
    // occupants" (MUC-ROLE-07) on carol's presence with role participant, the list change's second item: a room
    // that applies only the first item (and answers a result) changes no role of carol's, so it breaks §8.5
    // (MUC-MOD-VLIST-03), not §5.1.3, yet failed MUC-ROLE-07. The fixed case judges MUC-ROLE-07 on bob's change
    // (the first item, made) only: old fail (MUC-MOD-VLIST-03, MUC-ROLE-07 fail) -> new fail (MUC-MOD-VLIST-03
    // fail, MUC-ROLE-07 pass).
    id: "muc.rolelist.later-not-applied",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-03", "MUC-ADMIN-MOD-07", "MUC-ADMIN-MOD-08"],
    description:
      "a voice or moderator list change with several items is applied for its first item only and answered with a result: no presence of a later item's occupant with the new role, and a list of that role asked afterwards leaves it out",
    stream: laterOfRoleListNotApplied(),
  },
  {
    // Twenty-third audit (2026-11-26): muc-mod-voice-list-modify judged §8.5's "to all occupants" at gina, bob and
    // carol but not at alice, the moderator who sent the change and an occupant too: a room that broadcasts a role
    // change to everybody but its actor passed it. The fixed case (alice receives all of, since: action) fails
    // MUC-MOD-VLIST-03 and MUC-ROLE-07; so do the siblings of the same step shape changed with it
    // (muc-admin-moderator-list-modify: MUC-ADMIN-MOD-08; muc-mod-voice-revoke: MUC-MOD-VOICE-05;
    // muc-admin-moderator-grant: MUC-ADMIN-MOD-02; muc-admin-moderator-revoke: MUC-ADMIN-MOD-04), which passed it.
    // Forty-fifth audit (2026-11-27): muc-enter-role-change-broadcast judged §5.1.3's "to all occupants" at bob and
    // carol only and passed it; it now judges alice's copy too and fails MUC-ROLE-07.
    id: "muc.role.actor-not-told",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-03", "MUC-ADMIN-MOD-08", "MUC-MOD-VOICE-05", "MUC-ADMIN-MOD-02", "MUC-ADMIN-MOD-04", "MUC-ROLE-07"],
    description:
      "the occupant who made a role change (a voice or moderator grant or revocation, a voice or moderator list change) is left out of its broadcast: every other occupant gets the affected occupant's presence with the new role",
    stream: roleActorNotTold(),
  },
  // §9.1, §9.2 bans and the ban list
  {
    id: "muc.ban.no-result",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-04"],
    description: "a ban is made but the admin or owner never gets the IQ result",
    stream: resultDropped(single("affiliation", "outcast")),
  },
  {
    id: "muc.ban.banned-without-301",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-05", "MUC-ADMIN-BANLIST-03"],
    description: "the banned occupant's own unavailable presence lacks status code 301",
    fault: statusLeftOut("301", true),
  },
  {
    id: "muc.ban.others-without-301",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-06", "MUC-ADMIN-BANLIST-03"],
    description: "the remaining occupants get a banned occupant's unavailable presence without status code 301",
    fault: statusLeftOut("301", false),
  },
  {
    id: "muc.ban.actor-not-told",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-06"],
    description: "the admin or owner who made a ban is left out of its broadcast: every other occupant gets the banned occupant's unavailable presence with 301",
    stream: banActorNotTold(),
  },
  {
    id: "muc.ban.announced-as-none",
    area: "muc",
    requirements: ["MUC-AFFIL-06"],
    description: "a banned occupant's unavailable presence gives its affiliation as none, not outcast",
    fault: when(
      (el) => occupantPresence(el) && el.attrs.type === "unavailable" && hasStatus(el, "301") && itemOf(el)?.attrs.affiliation === "outcast",
      (el) => changed(el, (c) => (itemOf(c)!.attrs.affiliation = "none")),
    ),
  },
  {
    id: "muc.ban.entry-unanswered",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-01"],
    description: "an outcast's attempt to enter the room is never answered (the forbidden presence error is lost)",
    fault: when(
      (el) => el.name === "presence" && el.attrs.type === "error" && atService(el.attrs.from) && conditionOf(el) === "forbidden",
      () => "drop",
    ),
  },
  {
    id: "muc.ban.outcast-not-allowed",
    area: "muc",
    requirements: ["MUC-DENY-06"],
    description: "an outcast's attempt to enter the room is refused with not-allowed instead of forbidden",
    fault: entryRefusalAs("forbidden", "not-allowed"),
  },
  {
    id: "muc.banlist.outcast-missing",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-02", "MUC-ADMIN-BANLIST-01", "MUC-ADMIN-BANLIST-02"],
    description: "the ban list leaves out an outcast",
    stream: listShortened(listRequest("affiliation", "outcast")),
  },
  {
    id: "muc.banlist.unfiltered",
    area: "muc",
    requirements: ["MUC-ADMIN-BANLIST-01"],
    description: "a request for the ban list (the items with affiliation outcast) is answered with every affiliated user: the owner and admins are listed beside the outcasts",
    stream: affiliationListUnfiltered("outcast"),
  },
  {
    id: "muc.memberlist.unfiltered",
    area: "muc",
    requirements: ["MUC-ADMIN-MLIST-02"],
    description: "a request for the member list (the items with affiliation member) is answered with every affiliated user: the owner and admins are listed beside the members",
    stream: affiliationListUnfiltered("member"),
  },
  {
    id: "muc.ownerlist.unfiltered",
    area: "muc",
    requirements: ["MUC-OWNER-LIST-02"],
    description: "a request for the owner list (the items with affiliation owner) is answered with every affiliated user: the admins and members are listed beside the owners",
    stream: affiliationListUnfiltered("owner"),
  },
  {
    id: "muc.adminlist.unfiltered",
    area: "muc",
    requirements: ["MUC-OWNER-ADMIN-06"],
    description: "a request for the admin list (the items with affiliation admin) is answered with every affiliated user: the owners and members are listed beside the admins",
    stream: affiliationListUnfiltered("admin"),
  },
  {
    id: "muc.ban.higher-succeeds",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-07"],
    description: "an admin's ban of an owner, which the room refuses, is answered with a result",
    stream: refusalChanged(single("affiliation", "outcast"), "not-allowed", "result"),
  },
  {
    // Forty-third audit (2026-11-27): muc-admin-ban-higher judged the refusal of an admin's ban of an owner (§9.1:
    // "MUST deny the request and return a <not-allowed/> error") or of another admin by the error and by no one's being
    // removed, so a room that answers with the error and stores the ban passed. dave now reads the ban list back (the
    // target absent, an also: of the cell's rule): old pass -> new fail (admin-owner) and warn (admin-admin), Prosody 13.
    id: "muc.ban.higher-refused-but-stored",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-07", "MUC-ADMIN-BAN-08"],
    description:
      "a ban (or other muc#admin change) the room refuses, such as an admin's ban of an owner or of another admin, gets the room's own error but is carried out in silence: no presence announces it, and the lists asked afterwards show it",
    stream: refusedButApplied(null),
  },
  {
    id: "muc.ban.self-not-allowed",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-09"],
    description: "an admin's or owner's ban of itself is refused with not-allowed instead of conflict",
    stream: refusalChanged(single("affiliation", "outcast"), "conflict", "not-allowed"),
  },
  {
    // List sweep (2026-11-28): muc-admin-ban-self credited §9.1's "If an admin or owner attempts to ban himself, the
    // service MUST deny the request and return a <conflict/> error to the sender" on the <conflict/> and gina's seeing
    // no removal, so a room that answers <conflict/> and stores the ban in silence passed. The case now reads the ban
    // list back (the requester absent, an also: of MUC-ADMIN-BAN-09). The servers' own refusal (<not-allowed/>) is
    // turned into <conflict/> so that the case reaches the read-back.
    id: "muc.ban.self-conflict-but-stored",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-09"],
    description:
      "an admin's or owner's ban of itself, which the room refuses, is answered with <conflict/> but carried out in silence: no presence announces it, and the ban list asked afterwards names the requester",
    stream: both(
      refusedButApplied(null),
      refusalChanged((el, ctx) => single("affiliation", "outcast")(el) && ownJid(ctx)(itemsOf(adminQuery(el, "set"))), "not-allowed", "conflict"),
    ),
  },
  {
    // List sweep (2026-11-28): muc-mod-kick-higher credited §8.2's "the service MUST deny the request and return a
    // <not-allowed/> error to the sender" (MUC-MOD-KICK-05) on the error and on no one's getting the target's
    // unavailable presence, so a room that answers <not-allowed/> and removes the target in silence passed. The case
    // now has the target speak afterwards: a room that still holds it reflects its message.
    id: "muc.kick.refused-but-kicked-silently",
    area: "muc",
    requirements: ["MUC-MOD-KICK-05"],
    description: "a kick the room refuses (with its own error) is carried out in silence: no presence announces it, and the target's later messages to the room are no longer reflected to anyone",
    stream: refusedRoleChangeSilent("none"),
  },
  {
    // List sweep (2026-11-28): muc-mod-voice-revoke-refused and muc-mod-voice-revoke-owner-by-owner credited §8.4's
    // refusals ("If a moderator attempts to revoke voice privileges from such a user, the service MUST deny the request
    // and return a <not-allowed/> error to the sender", MUC-MOD-VOICE-06/-07) on the error and on the target's seeing no
    // presence with role visitor, so a room that refuses and revokes the voice in silence passed. The cases now have the
    // target speak afterwards.
    id: "muc.voice.refused-but-revoked-silently",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-06", "MUC-MOD-VOICE-07"],
    description:
      "a voice revocation the room refuses (with its own error) is carried out in silence: no presence announces it, and the target's later messages to the room are no longer reflected to anyone",
    stream: refusedRoleChangeSilent("visitor"),
  },
  {
    id: "muc.ban.nick-kept",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-03"],
    description: "a banned user's registered nickname stays reserved: another user who enters with it gets <conflict/>",
    stream: bannedNickKept(),
  },
  {
    // Thirty-second audit (2026-11-26): muc-admin-ban-releases-nick judged eve's entry after the ban by a presence from
    // ${lobby/Bobby}, which her own entry rebinds to whatever nickname the room gives her, so a room that keeps Bobby
    // reserved for the outcast and lets eve in as Bobby2 passed MUC-ADMIN-BAN-03 (§9.1: "MUST remove the outcast's
    // nickname from the list of registered nicknames"). The case now asks for ${lobby}/Bobby itself: old pass
    // (BAN-03 pass) -> new fail (BAN-03 fail), on Prosody 13.
    id: "muc.ban.nick-kept-renamed",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-03"],
    description: "a banned user's registered nickname stays reserved: another user who asks for it after the ban is let in under that nickname with a '2' appended (her self-presence comes from it)",
    stream: bannedNickRenamed(),
  },
  {
    // Thirty-third audit (2026-11-26): muc-admin-ban-releases-nick judged nothing more where bob's registration
    // requirements already had <registered/> before his submission (already), so this room, which counts a member as
    // registered, reserves Bobby for him (eve is refused it with <conflict/>) and keeps it reserved after the ban,
    // passed with MUC-ADMIN-BAN-03 (§9.1: "MUST remove the outcast's nickname from the list of registered
    // nicknames") not reached. The case now lets eve try Bobby in that branch and, where she gets <conflict/>, bans
    // bob and judges the nickname as in the registered branch: old pass (BAN-03 not reached) -> new fail (BAN-03
    // fail), on Prosody 13.
    id: "muc.ban.member-registered-nick-kept",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-03"],
    description:
      "a member counts as registered (every registration-requirements answer of the room is an empty <registered/>), and a banned user's registered nickname stays reserved: another user who enters with it gets <conflict/>",
    stream: memberRegisteredNickKept(),
  },
  {
    id: "muc.owner.auth-not-allowed",
    area: "muc",
    requirements: ["MUC-OWNER-AUTH-01"],
    description: "an affiliation change the requester may not make (an owner request from an admin or member) is refused with not-allowed instead of forbidden",
    stream: refusalChanged(
      adminSet((items) => items.some((i) => i.attrs.affiliation !== undefined)),
      "forbidden",
      "not-allowed",
    ),
  },
  {
    id: "muc.banlist.refused-change-succeeds",
    area: "muc",
    requirements: ["MUC-ADMIN-BANLIST-04"],
    description: "a ban list change holding a forbidden ban, which the room refuses, is answered with a result",
    stream: refusalChanged(several("affiliation", "outcast"), () => true, "result"),
  },
  {
    // Sixty-ninth audit (round 69): muc-admin-banlist-refused judged MUC-ADMIN-BANLIST-06 ("an error which SHOULD be
    // either <conflict/> or <not-allowed/>") only by forbidding RFC 6120's other conditions, so an error with no
    // defined condition passed it; the case now asks for one of the two: admin-owner, ejabberd 24.12, pass -> warn.
    id: "muc.banlist.refused-no-condition",
    area: "muc",
    requirements: ["MUC-ADMIN-BANLIST-06"],
    description: "a ban list change holding a forbidden ban is refused with an error that carries no defined condition, only a <text/>",
    stream: answering(several("affiliation", "outcast"), (answer): FaultAction => {
      if (answer.attrs.type !== "error") return "pass";
      return changed(answer, (c) => {
        const error = c.getChild("error")!;
        error.children = error.children.filter((x) => typeof x === "string" || x.attrs.xmlns !== STANZAS || x.name === "text");
        if (!error.getChild("text", STANZAS)) error.c("text", { xmlns: STANZAS }).t("Cannot ban that user");
      });
    }),
  },
  // §9.3-§9.5 membership and the member list
  {
    id: "muc.member.grant-no-result",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-01", "STANZA-IQ-01"],
    description: "a membership grant is made but never answered with an IQ result",
    stream: resultDropped(casesOwn(single("affiliation", "member"))),
  },
  {
    id: "muc.member.grant-unannounced",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-02", "MUC-AFFIL-06"],
    description: "an occupant made a member gets the affiliation, but no occupant gets its presence with affiliation member",
    stream: unannounced("affiliation", "member"),
  },
  {
    // Sixty-seventh audit (round 67): muc-admin-member-grant's announcements (§9.3: "the service MUST then send updated
    // presence from this individual to all occupants") did not say type='{absent}', so the grantee's presence of type
    // 'unavailable' with affiliation member (an exit, not the updated presence of an occupant) passed them. They now
    // ask for an available presence: old pass -> new fail (MUC-ADMIN-MEMBER-02), on Prosody 13 and ejabberd 24.12.
    id: "muc.member.grant-announced-as-exit",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-02", "MUC-AFFIL-06"],
    description: "an occupant made a member stays in the room, but every occupant gets its presence with affiliation member as type 'unavailable', as if it had left",
    stream: announcedAsExit("affiliation", "member"),
  },
  {
    id: "muc.member.revoke-no-result",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-04", "MUC-OWNER-ADMIN-03", "STANZA-IQ-01"],
    description: "a change of a user's affiliation to none (membership or admin status taken) is made but never answered with an IQ result",
    stream: resultDropped(single("affiliation", "none")),
  },
  {
    id: "muc.member.revoke-unannounced",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-05", "MUC-ADMIN-MLIST-08", "MUC-OWNER-ADMIN-04", "MUC-AFFIL-06"],
    description: "an occupant whose affiliation becomes none keeps its place, but no occupant gets its presence with affiliation none",
    stream: unannounced("affiliation", "none"),
  },
  {
    // Seventieth audit (round 70): muc-pres-revoked/affiliation charged a bystander's copy of a membership revocation
    // to §17.3's note of the loss (MUC-PRES-04), where only §9.4's "to all occupants" (MUC-ADMIN-MEMBER-05, with
    // §5.2.2's MUC-AFFIL-06) is broken: this room notes it to the member himself (status 110) and to the revoker.
    // Old MUC-PRES-04 fail -> new MUC-PRES-04 pass (bob's own copy), MUC-ADMIN-MEMBER-05 and MUC-AFFIL-06 fail.
    id: "muc.member.revoke-bystander-not-told",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-05", "MUC-AFFIL-06"],
    description: "a member's presence with affiliation none (a revocation of membership) reaches the occupant itself (status 110) and the occupant who asked for the change, no other occupant",
    stream: (() => {
      const askers = new Set<number>();
      const members = new Set<string>(); // occupant JIDs once shown with affiliation member
      const told = new Set<string>(); // "connection occupant-JID" already denied its copy
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          const q = atService(el.attrs.to) ? adminQuery(el, "set") : undefined;
          if (itemsOf(q).some((i) => i.attrs.affiliation === "none")) askers.add(ctx.conn.id);
        },
        element: (el: Element, ctx: FaultContext): FaultAction => {
          if (!occupantPresence(el) || el.attrs.type !== undefined) return "pass";
          const from = str(el.attrs.from);
          const affiliation = itemOf(el)?.attrs.affiliation;
          if (affiliation === "member") members.add(from);
          const key = `${ctx.conn.id} ${from}`;
          if (affiliation !== "none" || !members.has(from) || hasStatus(el, "110") || askers.has(ctx.conn.id) || harnessSession(ctx.conn.jid) || told.has(key)) return "pass";
          told.add(key);
          return "drop";
        },
      } as StreamFault;
    })(),
  },
  {
    id: "muc.member.removed-without-321",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-06"],
    description: "a member removed from a members-only room gets its own unavailable presence without status code 321",
    fault: statusLeftOut("321", true),
  },
  {
    id: "muc.member.others-without-321",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-07"],
    description: "the remaining occupants get a removed member's unavailable presence without status code 321",
    fault: statusLeftOut("321", false),
  },
  {
    // Seventieth audit (round 70): muc-admin-member-revoke-membersonly never asked the 321 removal, the one presence a
    // members-only room sends (§9.4's SHOULD), to carry affiliation 'none' (§9.4: "The service MUST then send updated
    // presence from this individual to all occupants, indicating the loss of membership"). This room removes the member
    // with <item affiliation='member'/> at every occupant: old pass -> new fail (MUC-ADMIN-MEMBER-05), both cells, on
    // Prosody 13 and ejabberd 24.12.
    id: "muc.member.removed-as-member",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-05"],
    description: "a member removed from a members-only room is removed (unavailable presence, status code 321) with his item still saying affiliation 'member', and no presence says 'none'",
    fault: when(
      (el) => occupantPresence(el) && el.attrs.type === "unavailable" && hasStatus(el, "321") && itemOf(el) !== undefined,
      (el) =>
        changed(el, (c) => {
          itemOf(c)!.attrs.affiliation = "member";
        }),
    ),
  },
  {
    id: "muc.member.deaffiliation-before-removal",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-08"],
    description: "a members-only room announces a removed member's affiliation none in an available presence before its removal",
    fault: deaffiliatedBeforeRemoval(false),
  },
  {
    // Fifty-fifth audit (2026-11-28): muc-admin-member-revoke-membersonly: §9.4's SHOULD NOT ("the service SHOULD NOT
    // send both a de-affiliation presence ... followed by room-removal presence") was checked at gina only; this room
    // sends the removed member himself (status 110) his de-affiliation presence before his removal.
    id: "muc.member.deaffiliation-before-removal-self",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-08"],
    description: "a members-only room sends the removed member his own affiliation none in an available presence before his removal",
    fault: deaffiliatedBeforeRemoval(true),
  },
  {
    id: "muc.member.removed-entry-unanswered",
    area: "muc",
    requirements: ["MUC-DENY-04"],
    description: "a former member's attempt to enter a members-only room is never answered (the registration-required presence error is lost)",
    fault: when(membersOnlyRefusal, () => "drop"),
  },
  {
    id: "muc.member.removed-admitted",
    area: "muc",
    requirements: ["MUC-ADMIN-MLIST-07", "MUC-DENY-04"],
    description: "a user not on a members-only room's member list is let in: the registration-required presence error becomes his own presence in the room",
    fault: when(membersOnlyRefusal, (el) => admittedAs(el, "none")),
  },
  {
    // Class sweep (2026-11-26, group M1): muc-admin-member-revoke-refused-entry and muc-admin-mlist-membersonly took
    // "kept out" (§9.5: "The service MUST subsequently refuse entry to the user.", MUC-ADMIN-MLIST-07) as "no presence
    // with status code 110", which is §7.2.2's mark of one's own presence (MUC-JOIN-06), so a room that let the removed
    // member in without that code passed MUC-ADMIN-MLIST-07 and failed only MUC-DENY-04. Now no presence without a
    // type from an occupant JID of the room may reach him.
    id: "muc.member.removed-admitted-without-110",
    area: "muc",
    requirements: ["MUC-ADMIN-MLIST-07"],
    description:
      "a user not on a members-only room's member list is let in, and his own presence in the room lacks status code 110: the registration-required presence error becomes a presence with affiliation none and no status code",
    fault: when(membersOnlyRefusal, (el) =>
      admittedAs(el, "none").map((p) => {
        const x = p.getChild("x", MUC_USER)!;
        x.children = x.children.filter((c) => typeof c === "string" || c.name !== "status");
        return p;
      }),
    ),
  },
  {
    // Thirty-second audit (2026-11-26): muc-admin-mlist-by-member took eve's refusal alone as proof that bob's
    // change was not applied, so a room that refused the change but let any non-member in (muc.member.removed-
    // admitted, MUC-DENY-04's failure) warned on MUC-ADMIN-MLIST-01; eve let in with the affiliation none now credits
    // nothing. This is the control the fixed case keeps: the room behaves as if the member's change had been made,
    // the non-member let in as a member. Before and after: warn (MUC-ADMIN-MLIST-01).
    id: "muc.member.refused-admitted-as-member",
    area: "muc",
    requirements: ["MUC-ADMIN-MLIST-01"],
    description: "a user not on a members-only room's member list is let in as a member: the registration-required presence error becomes his own presence with affiliation member",
    fault: when(membersOnlyRefusal, (el) => admittedAs(el, "member")),
  },
  {
    id: "muc.member.removed-not-allowed",
    area: "muc",
    requirements: ["MUC-DENY-04"],
    description: "a user not on a members-only room's member list is refused with not-allowed instead of registration-required",
    fault: entryRefusalAs("registration-required", "not-allowed"),
  },
  {
    id: "muc.memberlist.member-missing",
    area: "muc",
    requirements: ["MUC-ADMIN-MLIST-02", "MUC-ADMIN-MEMBER-01", "MUC-ADMIN-MLIST-06"],
    description: "the member list leaves out a member",
    stream: listShortened(listRequest("affiliation", "member")),
  },
  {
    id: "muc.affiliationlist.no-result",
    area: "muc",
    requirements: ["MUC-ADMIN-MLIST-05", "MUC-ADMIN-BANLIST-02", "MUC-OWNER-LIST-03", "MUC-OWNER-ADMIN-07", "STANZA-IQ-01"],
    description: "a change of several affiliations (a ban, member, owner or admin list change) is made but never answered with an IQ result",
    stream: resultDropped(several("affiliation")),
  },
  {
    id: "muc.affiliationlist.last-unannounced",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-02", "MUC-OWNER-LIST-04", "MUC-OWNER-ADMIN-08"],
    description: "of an affiliation list change with several items, the last item's change is not announced",
    stream: lastOfListUnannounced("affiliation", ["member", "owner", "admin", "none"]),
  },
  {
    // Twentieth audit (2026-11-25): muc-owner-list-modify judged the occupants' presences (MUC-OWNER-LIST-04) before
    // the owner list asked afterwards (MUC-OWNER-LIST-03), and a failed MUST ends a case: on a room that applies only
    // the first item, the missing presence of the second failed LIST-04, though no affiliation change resulted, and
    // LIST-03, the rule broken, passed on the result alone. The same in muc-owner-admin-list-modify (ADMIN-08 before
    // ADMIN-07), muc-admin-mlist-modify (MLIST-08 and MEMBER-02 before MLIST-06) and muc-admin-banlist-modify
    // (BANLIST-03 before BANLIST-02). Each now reads the list first and judges the presences after it: this fault
    // fails the list's rule (old: the presence rule failed, the list's passed or was never reached).
    id: "muc.affiliationlist.later-not-applied",
    area: "muc",
    requirements: ["MUC-OWNER-LIST-03", "MUC-OWNER-ADMIN-07", "MUC-ADMIN-MLIST-06", "MUC-ADMIN-BANLIST-02"],
    description:
      "of an affiliation list change with several items (a ban, member, admin or owner list change), only the first is applied, and the change is answered with a result: the later items' users are not announced with their new affiliation and are missing from the list asked afterwards",
    stream: laterOfListNotApplied(),
  },
  {
    // Twentieth audit (2026-11-25): the same defect where nothing of the change is made, one item or several.
    // muc-admin-banlist-modify judged the banned occupant's removal (MUC-ADMIN-BANLIST-03) before the ban list
    // (BANLIST-02), and the grants, revocations and bans of one item (muc-owner-grant-owner, muc-owner-admin-grant,
    // muc-owner-admin-revoke, muc-admin-member-grant, muc-admin-member-revoke, muc-admin-member-revoke-membersonly,
    // muc-admin-ban) their announcements before the list: here the missing presence failed the announcement's rule,
    // though no affiliation changed, and the rule broken (the list) passed on the result or was never reached.
    // Thirty-second audit (2026-11-26): muc-admin-ban-releases-nick judged the outcast's nickname (MUC-ADMIN-BAN-03)
    // right after the ban's result; it now reads the ban list first (MUC-ADMIN-BAN-02): old fail (BAN-03 fail) -> new
    // fail (BAN-02 fail, BAN-03 not reached), on Prosody 13.
    id: "muc.affiliation.result-not-applied",
    area: "muc",
    requirements: [
      "MUC-OWNER-LIST-03",
      "MUC-OWNER-ADMIN-07",
      "MUC-ADMIN-MLIST-06",
      "MUC-ADMIN-BANLIST-02",
      "MUC-OWNER-GRANT-02",
      "MUC-OWNER-ADMIN-01",
      "MUC-OWNER-ADMIN-03",
      "MUC-ADMIN-MEMBER-01",
      "MUC-ADMIN-MEMBER-04",
      "MUC-ADMIN-BAN-02",
    ],
    description:
      "an affiliation change (a grant, a revocation or a ban of one user, or a ban, member, admin or owner list change) is answered with a result but not applied: no user is announced with its new affiliation, and the list asked afterwards lacks every user the change added to it",
    stream: laterOfListNotApplied(0),
  },
  {
    // Fifty-second audit (2026-11-28): muc-owner-notice-absent credited hal's grant (an occupant's) on its IQ result
    // alone and, in grant-admin, anchored the admin list on him: a grant to an occupant answered and never made failed
    // the list's rule (MUC-OWNER-ADMIN-06) in grant-admin and passed in grant-owner. hal's presence now decides the
    // anchor, and the owner list must name him: both cells now fail the grant's row.
    id: "muc.affiliation.occupant-grant-not-applied",
    area: "muc",
    requirements: ["MUC-OWNER-ADMIN-01", "MUC-OWNER-GRANT-02"],
    description:
      "an affiliation change for a user who is in the room is answered with a result but never applied: no presence announces it and the lists leave the user out; changes for users outside the room are applied",
    stream: occupantGrantNotApplied(),
  },
  {
    // Fifty-first audit (2026-11-28): muc-admin-banlist-get and every case whose rules rest on a room fixture's bans,
    // members and admins took the fixture's grants on their IQ results alone, so a ban answered and not made failed
    // the case's own rule (MUC-ADMIN-BANLIST-01) instead of the ban's. The fixture now reads each list it added to and
    // skips naming the grant: old fail -> new skip, on Prosody 13.
    // Seventy-seventh audit (round 77): where the case's own list names the fixture's grantee (frank, not read back at
    // set-up), muc-role-from-affiliation (all cells) and muc-enter-affiliation-brings-role (both) failed the list's rule
    // (MUC-ADMIN-MLIST-02 / MUC-OWNER-ADMIN-06 / MUC-OWNER-LIST-02); frank is now judged under the grant's rule, so on
    // Prosody 13: fail (the list's rule) -> fail (MUC-ADMIN-MEMBER-01 / MUC-OWNER-ADMIN-01 / MUC-OWNER-GRANT-02).
    // Seventy-eighth audit (round 78): the same in muc-affiliation-list-items/owners (dave) and
    // muc-owner-list-get/two-owners (bob), on Prosody 13 and ejabberd 24.12: fail (MUC-OWNER-LIST-02) -> fail
    // (MUC-OWNER-GRANT-02; MUC-OWNER-LIST-02 pass).
    // Seventy-ninth audit (round 79): muc-admin-mlist-by-member rested on bob's grant (named by its own list, asked
    // only after eve's entry) from his first step: Prosody 13 and ejabberd 24.12, fail (MUC-JOIN-05: bob refused
    // entry) -> skip (alice reads the grant back first, a gate).
    id: "muc.affiliation.setup-grant-not-applied",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-02", "MUC-ADMIN-MEMBER-01", "MUC-OWNER-ADMIN-01", "MUC-OWNER-GRANT-02"],
    description:
      "the affiliations a room fixture grants before the case (a ban, a membership, an admin, an owner) are answered with a result but not applied: every list asked afterwards leaves those users out and no presence announces them with it",
    stream: laterOfListNotApplied(0, true),
  },
  {
    // Seventy-fifth audit (round 75): a room fixture's grant that the case's own list names is not read back at set-up
    // (src/scenario/room-lists.ts), so where that grant alone was answered and not made, muc-admin-mlist-read's
    // non-anonymous cells warned MUC-ADMIN-MLIST-03/-04 (who may read the list, a rule that held) and
    // muc-owner-admin-grant failed MUC-OWNER-ADMIN-06 (the admin list's rule). Prosody 13 and ejabberd 24.12:
    // muc-admin-mlist-read nonanonymous-* warn -> skip (alice's read-back, a gate); muc-owner-admin-grant, both cells,
    // fail (MUC-OWNER-ADMIN-06) -> skip (its list no longer names frank: set-up reads his grant back).
    // Seventy-eighth audit (round 78): muc-affiliation-list-items members and admins (dave's grant, the later one),
    // Prosody 13 and ejabberd 24.12: fail (MUC-ADMIN-MLIST-02 / MUC-OWNER-ADMIN-06) -> fail (MUC-ADMIN-MEMBER-01 /
    // MUC-OWNER-ADMIN-01; the list's rule pass, MUC-IQ-09 and -13 not reached).
    id: "muc.affiliation.setup-later-grant-not-applied",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-01", "MUC-OWNER-ADMIN-01"],
    description:
      "of the affiliations a room fixture grants before the case, the first is made and each later one is answered with a result but not applied: every list asked afterwards leaves those users out",
    stream: setUpLaterGrantsNotApplied(),
  },
  {
    // Seventy-ninth audit (round 79): muc-admin-mlist-by-member rested on bob's membership (the fixture's grant, not
    // read back at set-up: the case's own list names him) from his first step, while that list was asked only after
    // eve was let in. A members-only room that admits non-members let bob in though his grant was never made, and
    // alice's list without him then failed MUC-ADMIN-MLIST-02 (the list was right). alice now reads the grant back
    // first, a gate: Prosody 13 and ejabberd 24.12, fail (MUC-ADMIN-MLIST-02) -> skip (the grant not shown made).
    id: "muc.affiliation.setup-grant-not-applied-non-members-admitted",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-01", "MUC-DENY-04"],
    description:
      "the affiliations a room fixture grants before the case are answered with a result but not applied, and a members-only room lets non-members in: the users those grants named, and any other non-member, enter with affiliation none, and every list asked afterwards leaves the grantees out",
    stream: setUpGrantNotAppliedNonMembersAdmitted(),
  },
  {
    // Fifty-second audit (2026-11-28): muc-role-from-affiliation's owner cell read the grant back in the owner list
    // only: where that list is refused (§10.5, "If allowed by an implementation"), its 'no-list' alternative let the
    // grant's result alone credit MUC-OWNER-GRANT-02 and gina's presence was judged as if the grant was made, so a
    // grant answered and not made failed MUC-AFFIL-06. carol's own muc#owner request (§10.2, owner-only) now reads it
    // back on that path: old fail (MUC-AFFIL-06) -> new fail (MUC-OWNER-GRANT-02, MUC-AFFIL-06 not reached).
    id: "muc.owner.grant-not-applied-no-list",
    area: "muc",
    requirements: ["MUC-OWNER-GRANT-02"],
    description:
      "a room that gives out no owner list answers an owner grant with a result but does not make it: no presence announces the user as an owner, and the user's own muc#owner requests get <forbidden/>",
    stream: ownerGrantNotAppliedNoList(),
  },
  {
    // Fifty-fifth audit (2026-11-28): muc-owner-last-other-owners took the fixture's owner grant (bob) on its result
    // where the owner list is refused, so a room left with one owner rightly refused alice's self-revocation with
    // <conflict/> and the case warned MUC-OWNER-LAST-02. bob's own muc#owner request (§10.2, owner-only) now shows
    // him an owner before o1: old warn (MUC-OWNER-LAST-02) -> new skip (bob not an owner), on Prosody 13.
    id: "muc.owner.grant-not-applied-no-list-setup",
    area: "muc",
    requirements: ["MUC-OWNER-GRANT-02"],
    description:
      "a room that gives out no owner list answers a room fixture's owner grant with a result but does not keep it (taken back at once): the room has one owner, and the granted user's muc#owner requests are refused",
    stream: ownerSetupGrantNotAppliedNoList(),
  },
  {
    // Fifty-second audit (2026-11-28): muc-owner-revoke-owner's 'revoked' outcome read the revocation back in the owner
    // list only; where that list is refused ('no-list'), gina's presence was judged on the result alone, so a
    // revocation answered and not made failed MUC-OWNER-REVOKE-03, the announcement, instead of MUC-OWNER-REVOKE-02.
    // bob's own muc#owner request (§10.2, owner-only) now reads it back on that path: old fail (MUC-OWNER-REVOKE-03)
    // -> new fail (MUC-OWNER-REVOKE-02, MUC-OWNER-REVOKE-03 not reached).
    id: "muc.owner.revoke-not-applied-no-list",
    area: "muc",
    requirements: ["MUC-OWNER-REVOKE-02"],
    description:
      "a room that gives out no owner list answers a revocation of owner status with a result but does not make it: no presence announces the user with the new affiliation, and the user's own muc#owner requests are answered as an owner's",
    stream: ownerRevokeNotAppliedNoList(),
  },
  {
    // Class sweep (2026-11-28, group S1): muc-owner-last: where the owner list is refused ('no-list'), nothing read the
    // refusal back, so the only owner's self-revocation answered with <conflict/> but made anyway passed
    // MUC-OWNER-LAST-01 on its error alone. alice's own muc#owner request now reads it back: old pass -> new fail.
    id: "muc.owner.last-made-no-list",
    area: "muc",
    requirements: ["MUC-OWNER-LAST-01"],
    description:
      "a room that gives out no owner list answers the only owner's revocation of its own owner status with <conflict/> but makes it: no presence announces it, and the user's own muc#owner requests get <forbidden/>",
    stream: ownSelfRevocationInverted(true),
  },
  {
    // Class sweep (2026-11-28, group S1): muc-owner-last-other-owners: where the owner list is refused ('no-list'),
    // alice's self-revocation was credited (MUC-OWNER-REVOKE-02) on its result alone. Her own muc#owner request now
    // reads it back: old pass -> new fail (MUC-OWNER-REVOKE-02).
    id: "muc.owner.self-revoke-not-applied-no-list",
    area: "muc",
    requirements: ["MUC-OWNER-REVOKE-02"],
    description:
      "a room that gives out no owner list answers an owner's revocation of its own owner status (other owners left) with a result but does not make it: the user's own muc#owner requests are answered as an owner's",
    stream: ownSelfRevocationInverted(false),
  },
  {
    // Class sweep (2026-11-28, group S1): muc-owner-auth's owner cells read a refused change of owners back in the
    // owner list only; where that list is refused ('no-list'), the <forbidden/> alone credited MUC-OWNER-AUTH-01, so a
    // room that refuses and makes the change passed. The affected user's own muc#owner request now reads it back:
    // old pass -> new fail (MUC-OWNER-AUTH-01).
    id: "muc.owner.refused-change-made-no-list",
    area: "muc",
    requirements: ["MUC-OWNER-AUTH-01"],
    description:
      "a room that gives out no owner list refuses a change of affiliations with <forbidden/> but makes it: no presence announces it, a user made an owner gets its own muc#owner requests answered as an owner's, and a user given another affiliation gets <forbidden/>",
    stream: ownerChangeRefusedButMadeNoList(),
  },
  // §9.6-§9.8 moderator status and the moderator list
  {
    id: "muc.moderator.grant-no-result",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-01", "STANZA-IQ-01"],
    description: "a grant of moderator status is made but never answered with an IQ result",
    stream: resultDropped(single("role", "moderator")),
  },
  {
    id: "muc.moderator.grant-unannounced",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-02", "MUC-ROLE-07"],
    description: "an occupant made a moderator gets the role, but no occupant gets its presence with role moderator",
    stream: unannounced("role", "moderator"),
  },
  {
    // Forty-ninth audit (2026-11-27): muc-admin-moderator-list judged carol's presence with role moderator (§9.6's
    // MUST, MUC-ADMIN-MOD-02) only after dave had entered as a moderator (§5.1.2's SHOULD), so a room that seats the
    // owner and admins as participants and announces no grant only warned MUC-ROLE-06. Only the list now waits for
    // the roles (on Prosody 13: warn -> fail, MUC-ADMIN-MOD-02).
    id: "muc.moderator.grant-unannounced-owner-admin-participant",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-02", "MUC-ROLE-06"],
    description: "the owner and admins enter every room as participants, and an occupant made a moderator gets the role but no occupant gets its presence with role moderator",
    stream: both(moderatedOwnerAdminParticipant(true), unannounced("role", "moderator")),
  },
  {
    // Fifty-seventh audit (2026-11-28): muc-mod-voice-grant (member-moderator) read bob's moderator grant back in the
    // moderator list, but an empty list credited nothing, and where the owner and admins are no moderators a grant
    // answered and never made leaves the list empty: it failed bob's presence (MUC-ADMIN-MOD-02), not §9.6's "The
    // service MUST add the user to the moderator list and then inform the admin of success" (MUC-ADMIN-MOD-01).
    // The grant is now made only where the owner entered as a moderator (so a correct list is never empty).
    id: "muc.moderator.grant-not-made-owner-admin-participant",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-01", "MUC-ROLE-05"],
    description:
      "in every room the owner and admins enter as participants, and a grant of moderator status is answered with a result but never applied: no presence with role moderator, the occupant's own moderator requests refused with forbidden, and the moderator list asked afterwards is empty",
    stream: both(
      both(moderatedOwnerAdminParticipant(true), moderatorGrantNotApplied()),
      answering(listRequest("role", "moderator"), (answer): FaultAction => {
        const q = adminQuery(answer, "result");
        if (!q || itemsOf(q).length === 0) return "pass";
        return changed(answer, (c) => {
          const cq = adminQuery(c, "result")!;
          for (const i of itemsOf(cq)) cq.remove(i);
        });
      }),
    ),
  },
  {
    id: "muc.moderator.grant-not-applied",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-02"],
    description:
      "a grant of moderator status is answered with a result but never applied: no occupant gets the presence with role moderator, and the occupant's own moderator requests are refused with forbidden",
    stream: moderatorGrantNotApplied(),
  },
  {
    // Fifty-second audit (2026-11-28): muc-admin-moderator-revoke credited §9.7's "The service MUST remove the user from
    // the moderator list and then inform the admin of success" (MUC-ADMIN-MOD-03) on the IQ result alone, so a
    // revocation answered and never made failed the announcement (MUC-ADMIN-MOD-04, MUC-ROLE-07) instead. The case now
    // reads the moderator list back first: MOD-03 pass, MOD-04 fail -> MOD-03 fail, MOD-04 not-reached.
    id: "muc.moderator.revoke-not-applied",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-03"],
    description: "a revocation of moderator status is answered with a result but never applied: no occupant gets the presence with role participant, and the moderator list still names the occupant",
    stream: moderatorRevokeNotApplied(),
  },
  {
    // Twenty-fourth audit: muc-admin-moderator-list judged the moderator list (MUC-ADMIN-MOD-06) on a grant shown only
    // by its result; a room that answers the grant but never applies it (its presences and its list both saying so)
    // failed MUC-ADMIN-MOD-06, whose list was right. The case now judges carol's presence with role moderator first
    // (MUC-ADMIN-MOD-02): fail (MUC-ADMIN-MOD-06) -> fail (MUC-ADMIN-MOD-02, the list not reached).
    id: "muc.moderator.grant-shown-participant",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-02"],
    description: "a grant of moderator status is answered with a result but never applied: the occupant's presences keep role participant and the moderator list leaves it out",
    stream: moderatorGrantShownParticipant(),
  },
  {
    // Seventy-fifth audit (round 75, report G1 §2): muc-admin-moderator-revoke's read-back of the grant credited §9.6's
    // "The service MUST add the user to the moderator list and then inform the admin of success" (MUC-ADMIN-MOD-01) on
    // any item naming the target, whatever its role; this room lists the target as a participant. The target's item
    // must now carry no other role than moderator: dave/carol on Prosody 13 old fail (MUC-ADMIN-MOD-06 fail,
    // MUC-ADMIN-MOD-01 pass) -> new fail (MUC-ADMIN-MOD-01 fail).
    id: "muc.moderator.grant-listed-participant",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-01"],
    description:
      "a grant of moderator status is answered with a result but never applied: the occupant's presences keep role participant, and the moderator list still names the occupant, with role participant",
    stream: moderatorGrantShownParticipant(true),
  },
  {
    // Forty-seventh audit (2026-11-27): muc-mod-unaffiliated-moderator charged §9.6's "The service MUST then send
    // updated presence from this individual to all occupants" (MUC-ADMIN-MOD-02) to carol's own copy alone, so a room
    // that tells only the occupant granted passed it. The case now asks gina's and alice's copies too: pass -> fail.
    id: "muc.moderator.grant-self-only",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-02"],
    description:
      "a grant of moderator status is applied and answered with a result, but the presence with role moderator reaches only the occupant granted: every other occupant, the one who made the grant too, keeps seeing it as a participant",
    stream: moderatorGrantSelfOnly(),
  },
  {
    // Seventy-eighth audit (round 78, report G1 §5): muc-mod-kick/member-moderator judged §9.6's "The service MUST then
    // send updated presence from this individual to all occupants" (MUC-ADMIN-MOD-02) on bob's and gina's copies alone;
    // alice's, dave's and carol's are now asked too. muc-mod-kick/member-moderator on Prosody 13: pass -> fail
    // (MUC-ADMIN-MOD-02).
    id: "muc.moderator.grant-not-told-to-affiliated",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-02"],
    description:
      "a grant of moderator status is applied and answered, but the presence with role moderator does not reach the occupants whose affiliation is owner or admin (the one who made the grant among them)",
    stream: moderatorGrantNotToldToAffiliated(),
  },
  {
    // Twenty-fourth audit: muc-admin-auth's member-list cell now asks the owner's form whether the room's configuration
    // (§7.11, muc#roomconfig_getmemberlist) says who may have the member list; where it offers the field, set to
    // moderator, an unaffiliated participant must still get <forbidden/>. This room offers it and gives the list
    // anyway: old fail -> new fail (MUC-ADMIN-AUTH-01, now through the alternative 'offered'), on Prosody
    // (ejabberd refuses the field it does not know at the room's set-up: a skip naming it).
    id: "muc.memberlist.configured-but-given",
    area: "muc",
    requirements: ["MUC-ADMIN-AUTH-01"],
    description: "the room's configuration form offers muc#roomconfig_getmemberlist, but an occupant who is neither admin nor owner gets the member list whatever it says",
    stream: participantsReadMemberList(true),
  },
  {
    // Twenty-fourth audit: no fault cited MUC-OWNER-BARE-01, so muc-owner-bare-jid (justified) was shown to fail only
    // by Prosody's own refusal. This service takes the full JID as given: ejabberd pass -> warn (both cells).
    id: "muc.owner.full-jid-kept",
    area: "muc",
    requirements: ["MUC-OWNER-BARE-01"],
    description:
      "an affiliation change naming a full JID is answered with a result but kept for the full JID: the admin list names the full JID granted, and still names the bare JID whose admin status was revoked by a full JID",
    stream: fullJidKept(),
  },
  {
    // Twenty-sixth audit (2026-11-26): the auditor found no fault citing MUC-ROLE-08 (§5.1.3: "A moderator SHOULD NOT
    // be allowed to revoke moderation privileges from someone with a higher affiliation than themselves");
    // muc-enter-moderator-cannot-demote-higher (justified) warns MUC-ROLE-08 in both cells through this one, whose
    // refusals it turns into results whoever the requester is, so it cites that row too.
    id: "muc.moderator.refused-revocation-succeeds",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-05", "MUC-ROLE-08"],
    description: "a revocation of an admin's or owner's moderator status (an admin's, or an unaffiliated moderator's), which the room refuses, is answered with a result",
    stream: refusalChanged(
      adminSet((items) => items.some((i) => i.attrs.role === "participant")),
      "not-allowed",
      "result",
    ),
  },
  {
    // Seventy-first audit (round 71, report G1 §1): muc-admin-moderator-revoke-refused now judges carol's absence from
    // the moderator list after the refused list change only where the list before it did not name her; this room
    // carries out the grant half alone, which that check still catches: ejabberd 24.12 admin-list, owner-list fail ->
    // fail (MUC-ADMIN-MOD-05; the old case caught it too).
    id: "muc.moderatorlist.refused-grant-applied",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-05"],
    description:
      "a moderator list change the room refuses (an admin's revocation of an owner's or admin's moderator status sent with a grant) gets the room's own error, but its grants of moderator status are carried out in silence: the moderator list asked afterwards names those granted",
    stream: refusedButApplied(null, (i) => i.attrs.role === "moderator"),
  },
  {
    id: "muc.moderatorlist.moderator-missing",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-06"],
    description: "the moderator list leaves out a moderator",
    stream: listShortened(listRequest("role", "moderator")),
  },
  {
    // Seventy-second audit (round 72): muc-role-list-items/moderators judged alice's role value in the moderator list only
    // in MUC-IQ-07's also:, while its list rule took her item whatever role it stated: old fail (MUC-IQ-07 fail,
    // MUC-ADMIN-MOD-06 pass) -> new fail (MUC-ADMIN-MOD-06 fail, MUC-IQ-07 not reached).
    id: "muc.moderatorlist.stale-role",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-06"],
    description: "the moderator list names the moderators, but their items state role='participant' (a stale role cache; every item still carries 'nick' and 'role')",
    stream: answering(listRequest("role", "moderator"), (answer): FaultAction => {
      if (!itemsOf(adminQuery(answer, "result")).some((i) => i.attrs.role === "moderator")) return "pass";
      return changed(answer, (c) => {
        for (const i of itemsOf(adminQuery(c, "result")).filter((i) => i.attrs.role === "moderator")) i.attrs.role = "participant";
      });
    }),
  },
  {
    // Fifty-eighth audit (2026-11-28): muc-mod-voice-grant and muc-mod-voice-list read bob's moderator grant back in the
    // moderator list after alice was shown entering as a moderator, but an empty list credited nothing and the case went
    // on; such a list leaves out alice, a moderator (§9.8: "The service MUST then return the moderator list to the
    // admin"). The 'empty' alternative is gone there: old pass -> new fail (MUC-ADMIN-MOD-06).
    id: "muc.moderatorlist.empty",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-06"],
    description: "every moderator list the room returns is empty, whoever the moderators are",
    stream: answering(listRequest("role", "moderator"), (answer): FaultAction => {
      const q = adminQuery(answer, "result");
      if (!q || itemsOf(q).length === 0) return "pass";
      return changed(answer, (c) => {
        const cq = adminQuery(c, "result")!;
        for (const i of itemsOf(cq)) cq.remove(i);
      });
    }),
  },
  {
    // Sixty-fifth audit (round 65): muc-mod-voice-grant let an empty voice list pass: l1's 'empty' alternative credited
    // nothing and the case went on, and l0v's 'list' took any result. An empty l0v now credits nothing, and where l1's
    // list was empty the list is asked again once carol is shown a participant, which it must name: old pass
    // (MUC-MOD-VLIST-01 not-reached, Prosody 13; "pass" on an empty l0v list, ejabberd 24.12) -> new fail
    // (MUC-MOD-VLIST-01).
    id: "muc.voicelist.empty",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-01"],
    description: "every voice list the room returns is empty, whoever the participants are",
    stream: answering(listRequest("role", "participant"), (answer): FaultAction => {
      const q = adminQuery(answer, "result");
      if (!q || itemsOf(q).length === 0) return "pass";
      return changed(answer, (c) => {
        const cq = adminQuery(c, "result")!;
        for (const i of itemsOf(cq)) cq.remove(i);
      });
    }),
  },
  // Sixty-eighth audit (round 68, the `empty` class of the role-list read-backs in scenarios/muc): a read-back of a role
  // change whose 'empty' alternative credited nothing (or charged the change's rule) let a change answered and never
  // made fail its announcement, or the change's rule, where someone the list must hold had already been shown in that
  // role (a moderator's own self-presence, a participant shown with voice): there the empty list breaks the list's own
  // rule (§8.5: "The service MUST then return the voice list to the moderator"; §9.8: "The service MUST then return the
  // moderator list to the admin"). Where nobody else was shown in the role, the empty list after the change is the
  // change's rule. Raw verdicts, old -> new, on Prosody 13 and ejabberd 24.12 (more in spec/audit/muc-moderation.yaml
  // and muc-cases.yaml under "Sixty-eighth audit"): grant-not-applied-list-empty: muc-mod-kick/member-moderator and
  // muc-mod-unaffiliated-moderator fail (MUC-ADMIN-MOD-01) -> fail (MUC-ADMIN-MOD-06); muc-admin-moderator-list/owner
  // and muc-admin-auth/moderator-grant fail (MUC-ADMIN-MOD-02) -> fail (MUC-ADMIN-MOD-06);
  // muc-enter-role-change-broadcast pass -> fail (MUC-ADMIN-MOD-01). grant-result-not-made-list-empty:
  // muc-mod-voice-grant owner/admin fail (MUC-MOD-VOICE-02) -> fail (MUC-MOD-VLIST-01).
  {
    id: "muc.moderator.grant-not-applied-list-empty",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-06", "MUC-ADMIN-MOD-01"],
    description:
      "every moderator list the room returns is empty, and a grant of moderator status is answered with a result but never applied: no presence with role moderator, and the occupant's own moderator requests are refused with forbidden",
    stream: both(roleListEmptied("moderator"), moderatorGrantNotApplied()),
  },
  {
    id: "muc.voice.grant-result-not-made-list-empty",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-01", "MUC-MOD-VOICE-01"],
    description:
      "every voice list the room returns is empty, and the case's own grant of voice (one item with role participant) is answered with a result but not made: no presence gives the occupant role participant",
    stream: both(roleListEmptied("participant"), voiceGrantAnsweredNotMade()),
  },
  // Sixty-seventh audit (round 67, the `no-list` class of scenarios/muc/moderation.yaml): a read-back of a role
  // change in the voice list (§8.5: "The service MUST then return the voice list to the moderator") or the moderator
  // list (§9.8: "The service MUST then return the moderator list to the admin") accepted an error, crediting nothing,
  // where the list is due (a moderated room and a requester shown a moderator; the owner), and the change's
  // announcement was then judged on the change's result alone. Each fault below refuses the lists of that role
  // (<not-allowed/>) and answers a change with a result without making it: old fail (the announcement's rule) -> new
  // fail (the list's rule, the announcement not reached). (A revocation of voice: muc.voice.revoke-kept-list-refused.)
  {
    id: "muc.voice.grant-result-not-made-list-refused",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-01"],
    description:
      "voice list requests are refused with <not-allowed/>, and the case's own grant of voice (one item with role participant) is answered with a result but not made: no presence gives the occupant role participant",
    stream: both(roleListRefused("participant"), voiceGrantAnsweredNotMade()),
  },
  {
    id: "muc.voice.list-change-later-not-applied-list-refused",
    area: "muc",
    requirements: ["MUC-MOD-VLIST-01"],
    description: "voice list requests are refused with <not-allowed/>, and a voice list change with several items is applied for its first item only and answered with a result",
    stream: both(roleListRefused("participant"), laterOfRoleListNotApplied()),
  },
  {
    id: "muc.moderator.grant-not-applied-list-refused",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-06"],
    description:
      "moderator list requests are refused with <not-allowed/>, and a grant of moderator status is answered with a result but never applied: no presence with role moderator, and the occupant's own moderator requests are refused with forbidden",
    stream: both(roleListRefused("moderator"), moderatorGrantNotApplied()),
  },
  {
    id: "muc.admin.auth-not-allowed",
    area: "muc",
    requirements: ["MUC-ADMIN-AUTH-01"],
    description: "a request for the ban, member or moderator list from a user who is neither admin nor owner is refused with not-allowed instead of forbidden",
    stream: refusalChanged((el) => listRequest("affiliation", "outcast")(el) || listRequest("affiliation", "member")(el) || listRequest("role", "moderator")(el), "forbidden", "not-allowed"),
  },
  {
    // Thirty-sixth audit (2026-11-27): muc-admin-auth judged §9's "MUST be denied" by the <forbidden/> answer and the
    // absence of a presence announcing the change, so a room that refuses the request and carries it out in silence
    // passed. The owner now reads back the list the request would have changed (its answer proves the list's own rule,
    // the list as it was MUC-ADMIN-AUTH-01 as its also:): old pass -> new fail (MUC-ADMIN-AUTH-01), the change cells,
    // on Prosody 13.
    id: "muc.admin.auth-refused-but-applied",
    area: "muc",
    requirements: ["MUC-ADMIN-AUTH-01"],
    description:
      "a ban, membership or moderator change from a user who is neither admin nor owner is answered with <forbidden/> but carried out in silence: no presence announces it, and the ban, member and moderator lists asked afterwards show it",
    stream: refusedButApplied(),
  },
  {
    // Fifty-ninth audit (2026-11-28): muc-admin-auth/moderator-revoke read the refusal back only where the owner's
    // self-presence showed her a moderator (the moderator list must name someone the request does not touch); where it
    // showed her a participant (§5.1.2's SHOULD broken), MUC-ADMIN-AUTH-01 was credited by the <forbidden/> and hal's
    // seeing no presence alone, so this room, which also carries the refused revocation out in silence, passed. The
    // case now reads the list back there too (bob, shown on it before, must still be named): pass -> fail.
    id: "muc.admin.auth-refused-but-applied-owner-participant",
    area: "muc",
    requirements: ["MUC-ADMIN-AUTH-01"],
    description:
      "a moderator change from a user who is neither admin nor owner is answered with <forbidden/> but carried out in silence (the lists asked afterwards show it), and the owner and admins are shown entering as participants",
    stream: both(refusedButApplied(), {
      element: (el) =>
        occupantPresence(el) &&
        userX(el)!
          .getChildren("item")
          .some((i) => i.attrs.affiliation === "owner" || i.attrs.affiliation === "admin")
          ? changed(el, (c) => {
              for (const i of userX(c)!.getChildren("item")) if (i.attrs.role === "moderator") i.attrs.role = "participant";
            })
          : "pass",
    }),
  },
  {
    // Fifty-sixth audit (2026-11-28): muc-admin-mlist-by-member credited MUC-ADMIN-MLIST-01 by bob's error alone where
    // eve's entry showed no affiliation ('admitted-unknown'): this room, which answers a member's change of the member
    // list with <forbidden/>, makes it all the same, and lets a non-member in with a plain presence, passed. The owner
    // now reads the member list back where eve was let in.
    id: "muc.admin.mlist-refused-but-applied-admits-plain",
    area: "muc",
    requirements: ["MUC-ADMIN-MLIST-01"],
    description:
      "a member's change of the member list is answered with <forbidden/> but carried out in silence (the lists asked afterwards show it), and a members-only room lets a user it would refuse with <registration-required/> in with a plain available presence, no muc#user <x/>",
    stream: both(
      {
        element: (el, ctx) =>
          !harnessSession(ctx.conn.jid) && el.name === "presence" && el.attrs.type === "error" && atService(el.attrs.from) && conditionOf(el) === "registration-required"
            ? [new Element("presence", { from: el.attrs.from, to: el.attrs.to })]
            : "pass",
      },
      refusedButApplied(),
    ),
  },
  {
    // Fifty-sixth audit (2026-11-28): muc-mod-unaffiliated-moderator (and muc-admin-moderator-revoke-refused) read the
    // target's absence from the moderator list after a refused request as the change made, though nothing showed that
    // the list named it before: this room, which lists only the occupants made moderators by a grant, refuses the
    // request correctly and warned MUC-ROLE-08 (failed MUC-ADMIN-MOD-05). A control list before the request now fails
    // MUC-ADMIN-MOD-06, the list's own rule.
    id: "muc.admin.modlist-granted-only",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-06"],
    description:
      "the moderator list names only the occupants made moderators by a grant (§9.6), not the owners and admins whose role comes with their affiliation (§9.8 asks for all users with a role of 'moderator')",
    fault: (el: Element) => {
      const q = adminQuery(el, "result");
      if (!q || !atService(el.attrs.from)) return "pass";
      const items = itemsOf(q);
      if (items.length === 0 || !items.every((i) => i.attrs.role === "moderator")) return "pass";
      return changed(el, (c) => {
        const cq = c.getChild("query", MUC_ADMIN)!;
        cq.children = cq.children.filter((n) => typeof n === "string" || n.name !== "item" || !["owner", "admin"].includes(str(n.attrs.affiliation)));
      });
    },
  },
  {
    // Seventy-second audit (round 72, report G2 §5 and its class note): the moderator-list read-backs of
    // scenarios/muc/admin.yaml credited MUC-ADMIN-MOD-06 on any list naming the occupant they looked for, whatever
    // other items it held. §9.8 asks for "all users with a role of 'moderator'": a list that also names a
    // participant is not the moderator list. Old -> new, Prosody 13 and ejabberd 24.12: muc-admin-auth/
    // moderator-list-by-moderator fail (MUC-ADMIN-AUTH-01 fail, MUC-ADMIN-MOD-06 pass) -> fail (MUC-ADMIN-MOD-06 fail);
    // muc-admin-moderator-grant pass -> fail (MUC-ADMIN-MOD-06); muc-admin-moderator-revoke-refused (ejabberd) pass ->
    // fail (MUC-ADMIN-MOD-06); muc-admin-moderator-revoke fail (MUC-ADMIN-MOD-03) -> fail (MUC-ADMIN-MOD-06).
    id: "muc.modlist.padded-participant",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-06"],
    description: "every moderator list the room returns also names the room's participants (items with role participant), beside the moderators",
    stream: moderatorListPadded(),
  },
  {
    // Seventy-second audit (round 72, report G5 §5 and its siblings in scenarios/muc/admin.yaml): a moderator list
    // read back right after a grant that leaves the new moderator out was charged to the grant (§9.6,
    // MUC-ADMIN-MOD-01), though the grant is made, answered and announced and only the list (§9.8,
    // MUC-ADMIN-MOD-06) is wrong: old fail (MUC-ADMIN-MOD-01) -> new fail (MUC-ADMIN-MOD-06).
    id: "muc.modlist.granted-missing",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-06"],
    description: "the moderator list leaves out the occupants a grant of moderator status made moderators (the grant made, answered and announced)",
    stream: moderatorListWithoutGranted(),
  },
  {
    // Seventy-third audit (round 73, report G4 §1.2): muc-admin-moderator-grant judged gina's copy of the grant's
    // announcement only where the first moderator list named the target; where it left the target out and gina got
    // no copy, the list asked again naming the target credited MUC-ADMIN-MOD-01 and nothing charged the missing copy.
    // gina's copy is now judged again after that list: old pass -> new fail (MUC-ADMIN-MOD-02, MUC-ROLE-07).
    // Seventy-sixth audit (round 76, report G2 §5): muc-admin-moderator-revoke had the same path (granted-list/others,
    // announced/not-shown, l1b naming the target) with gina's copy unjudged; it is now judged after l1b (relisted): every
    // cell, prosody 13 and ejabberd 24.12, old pass (MUC-ADMIN-MOD-02 credited) -> new fail (MUC-ADMIN-MOD-02).
    id: "muc.modlist.first-stale-grant-untold",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-02"],
    description:
      "after a grant of moderator status the first moderator list leaves the new moderator out (later lists name it), and the new moderator's presence with role moderator goes only to moderators and to the new moderator, not to the other occupants",
    stream: moderatorGrantFirstListStaleUntold(),
  },
  {
    // Seventy-third audit (round 73, report G5 §3): muc-mod-auth/visitor-voice-list sent carol's voice-list request
    // after any entry of hers, also one showing her a moderator, who is entitled to the list (§8.5), so a room seating
    // her as one failed MUC-MOD-AUTH-01 at MUST for §5.1.2's SHOULD. The request now waits for carol a visitor or
    // voiced: old fail (MUC-MOD-AUTH-01; MUC-ROLE-05 warn) -> new warn (MUC-ROLE-05; MUC-MOD-AUTH-01 not reached).
    id: "muc.role.unaffiliated-seated-as-moderators",
    area: "muc",
    requirements: ["MUC-ROLE-05"],
    description:
      "a moderated room seats every user without affiliation as a moderator (§5.1.2's SHOULD gives a visitor), and gives such an occupant the voice list it asks for (the room's participants)",
    stream: unaffiliatedSeatedAsModerators(),
  },
  {
    // Seventy-fourth audit (round 74, report G3 §4): muc-mod-auth/visitor-voice-list let carol's entry, and so her
    // voice-list request, wait for alice's self-presence with role moderator (§5.1.2's SHOULD, MUC-ROLE-05), which §8's
    // denial does not depend on: a room seating the owner as a participant left MUC-MOD-AUTH-01 not reached. Only the
    // revocation of a voiced carol waits for alice now. Prosody 13: old warn (MUC-ROLE-05; MUC-MOD-AUTH-01 not
    // reached) -> new fail (MUC-MOD-AUTH-01).
    id: "muc.role.moderated-owner-admin-participant-voice-list-leaked",
    area: "muc",
    requirements: ["MUC-MOD-AUTH-01", "MUC-ROLE-05"],
    description:
      "in a moderated room the owner and admins enter as participants, not moderators (their moderator requests refused with forbidden), and an unaffiliated occupant who is no moderator gets the voice list it asks for (the room's participants) instead of <forbidden/>",
    stream: both(voiceListToUnaffiliated(), moderatedOwnerAdminParticipant()),
  },
  // §10.3-§10.8 owner and admin status and their lists
  {
    id: "muc.owner.grant-no-result",
    area: "muc",
    requirements: ["MUC-OWNER-GRANT-02", "STANZA-IQ-01"],
    description: "a grant of owner status is made but never answered with an IQ result",
    stream: resultDropped(single("affiliation", "owner")),
  },
  {
    id: "muc.owner.grant-unannounced",
    area: "muc",
    requirements: ["MUC-OWNER-GRANT-03", "MUC-AFFIL-06"],
    description: "an occupant made an owner gets the affiliation, but no occupant gets its presence with affiliation owner",
    stream: unannounced("affiliation", "owner"),
  },
  {
    id: "muc.owner.revoke-forbidden",
    area: "muc",
    requirements: ["MUC-OWNER-REVOKE-01", "MUC-OWNER-REVOKE-02", "MUC-OWNER-REVOKE-03"],
    description: "an owner's revocation of another owner's status is refused with forbidden (neither carried out nor refused with not-authorized)",
    // Twenty-ninth audit (2026-11-26): the case's own request only (casesOwn), so that the room set-up's admin grant
    // that muc-owner-revoke-owner now takes as its precondition (frank) is made and the case reaches the revocation.
    stream: answering(
      (el, ctx) => casesOwn(single("affiliation", "admin"))(el, ctx) && !ownJid(ctx)(itemsOf(adminQuery(el, "set"))),
      (answer) => (answer.attrs.type === "result" ? [iqErrorFor(answer, "forbidden")] : "pass"),
    ),
  },
  {
    id: "muc.owner.last-not-allowed",
    area: "muc",
    requirements: ["MUC-OWNER-LAST-01"],
    description: "the only owner's revocation of its own owner status is refused with not-allowed instead of conflict",
    stream: refusalChanged((el, ctx) => adminSet(ownJid(ctx))(el), "conflict", "not-allowed"),
  },
  {
    // Fiftieth audit (2026-11-28): muc-owner-last-other-owners judged the owner list bob asks for after alice's
    // self-revocation (her name gone) at §10.4's SHOULD ("a service SHOULD allow an owner to revoke his or her own
    // owner status if there are other owners"), so this room, which allows it with a result and keeps her an owner,
    // only warned; once allowed, "the service MUST remove the user from the owner list and then inform the owner of
    // success" (MUC-OWNER-REVOKE-02): the case now judges the list under that MUST.
    id: "muc.owner.self-revoke-kept",
    area: "muc",
    requirements: ["MUC-OWNER-REVOKE-02"],
    description: "an owner's revocation of its own owner status (other owners left) is answered with a result, but the owner list asked afterwards still names the user as an owner",
    stream: revocationKept("owner", true),
  },
  {
    // Fiftieth audit (2026-11-28): muc-owner-notice-absent's revoke-admin cell (now muc-owner-notice-absent-revoke)
    // credited §10.7's "Otherwise, the service MUST remove the user from the admin list and then inform the owner of
    // success" (MUC-OWNER-ADMIN-03) on the result alone; it now reads the admin list back (the user gone).
    id: "muc.admin.revoke-kept",
    area: "muc",
    requirements: ["MUC-OWNER-ADMIN-03"],
    description: "an owner's revocation of a user's admin status is answered with a result, but the admin list asked afterwards still names the user as an admin",
    stream: revocationKept("admin", false),
  },
  {
    // List sweep (2026-11-28): muc-owner-revoke-owner judged gina's presence of bob with another affiliation
    // (MUC-OWNER-REVOKE-03) on alice's result alone, before the owner list read back, so a revocation answered and
    // never made (nor announced) failed the announcement's rule instead of §10.4's "In all other cases, the service
    // MUST remove the user from the owner list and then inform the owner of success" (MUC-OWNER-REVOKE-02).
    id: "muc.owner.revoke-kept-unannounced",
    area: "muc",
    requirements: ["MUC-OWNER-REVOKE-02"],
    description:
      "an owner's revocation of another owner's status is answered with a result but not made: no presence announces the user's new affiliation, and the owner list asked afterwards still names the user",
    stream: both(revocationKept("owner", false), unannounced("affiliation", "admin")),
  },
  {
    // List sweep (2026-11-28): muc-owner-revoke-owner credited §10.4's refusal branch ("the implementation MUST return a
    // <not-authorized/> error to the owner who made the request", MUC-OWNER-REVOKE-01) on the error and on gina's seeing
    // no presence, so this room, which answers <not-authorized/> and makes the revocation in silence, passed. The case
    // now reads the owner list back in that branch too (bob still named).
    id: "muc.owner.revoke-refused-but-applied",
    area: "muc",
    requirements: ["MUC-OWNER-REVOKE-01"],
    description: "an owner's revocation of another owner's status is made, but answered with <not-authorized/> and announced to nobody: the owner list asked afterwards no longer names the user",
    stream: both(
      answering(
        (el, ctx) => casesOwn(single("affiliation", "admin"))(el, ctx) && !ownJid(ctx)(itemsOf(adminQuery(el, "set"))),
        (answer) => (answer.attrs.type === "result" ? [iqErrorFor(answer, "not-authorized")] : "pass"),
      ),
      unannounced("affiliation", "admin"),
    ),
  },
  {
    // Fifty-ninth audit (2026-11-28): muc-owner-revoke-owner read a refused revocation back only in the owner list;
    // where the room gives out no owner list ('no-list'), the refusal was credited by the <not-authorized/> and by
    // gina's seeing no presence, so this room, which refuses the list, answers <not-authorized/> and makes the
    // revocation in silence (bob, now an admin, gets the real server's <forbidden/> to his muc#owner request), passed.
    id: "muc.owner.revoke-refused-but-applied-no-list",
    area: "muc",
    requirements: ["MUC-OWNER-REVOKE-01"],
    description: "a room gives out no owner list (<not-allowed/>), and an owner's revocation of another owner's status is made, but answered with <not-authorized/> and announced to nobody",
    stream: both(
      ownerListRefused(),
      both(
        answering(
          (el, ctx) => casesOwn(single("affiliation", "admin"))(el, ctx) && !ownJid(ctx)(itemsOf(adminQuery(el, "set"))),
          (answer) => (answer.attrs.type === "result" ? [iqErrorFor(answer, "not-authorized")] : "pass"),
        ),
        unannounced("affiliation", "admin"),
      ),
    ),
  },
  {
    id: "muc.owner.list-not-allowed",
    area: "muc",
    requirements: ["MUC-OWNER-LIST-01"],
    description: "a non-owner's request for the owner list of a semi-anonymous room is refused with not-allowed instead of forbidden",
    stream: refusalChanged(listRequest("affiliation", "owner"), "forbidden", "not-allowed"),
  },
  {
    id: "muc.owner.list-owner-missing",
    area: "muc",
    requirements: ["MUC-OWNER-LIST-02", "MUC-OWNER-GRANT-02", "MUC-OWNER-LIST-03"],
    description: "the owner list leaves out an owner",
    stream: listShortened(listRequest("affiliation", "owner")),
  },
  {
    id: "muc.admin.grant-no-result",
    area: "muc",
    requirements: ["MUC-OWNER-ADMIN-01", "STANZA-IQ-01"],
    description: "a grant of admin status is made but never answered with an IQ result",
    stream: resultDropped(single("affiliation", "admin")),
  },
  {
    id: "muc.admin.grant-unannounced",
    area: "muc",
    requirements: ["MUC-OWNER-ADMIN-02", "MUC-AFFIL-06"],
    description: "an occupant made an admin gets the affiliation, but no occupant gets its presence with affiliation admin",
    stream: unannounced("affiliation", "admin"),
  },
  {
    id: "muc.admin.list-not-allowed",
    area: "muc",
    requirements: ["MUC-OWNER-ADMIN-05"],
    description: "a non-owner's request for the admin list of a semi-anonymous room is refused with not-allowed instead of forbidden",
    stream: refusalChanged(listRequest("affiliation", "admin"), "forbidden", "not-allowed"),
  },
  {
    id: "muc.admin.list-admin-missing",
    area: "muc",
    requirements: ["MUC-OWNER-ADMIN-06", "MUC-OWNER-ADMIN-01", "MUC-OWNER-ADMIN-07"],
    description: "the admin list leaves out an admin",
    stream: listShortened(listRequest("affiliation", "admin")),
  },
  {
    // Twenty-fifth audit: muc-owner-admin-list-modify credited the owner's admin-list get to MUC-OWNER-ADMIN-07 (the
    // list modified), so a refused get failed that row, though what it breaks is §10.8's "Otherwise, the service MUST
    // then return the admin list to the owner" (MUC-OWNER-ADMIN-06). The get's result now proves -06 and what the list
    // holds -07 (an also:): old fail (MUC-OWNER-ADMIN-07) -> new fail (MUC-OWNER-ADMIN-06; -07 not reached).
    id: "muc.admin.list-get-refused",
    area: "muc",
    requirements: ["MUC-OWNER-ADMIN-06"],
    description: "an owner's request for the admin list is refused with <feature-not-implemented/> (changes to the list are still made and announced)",
    stream: answering(casesOwn(listRequest("affiliation", "admin")), (answer): FaultAction => (answer.attrs.type === "result" ? [iqErrorFor(answer, "feature-not-implemented")] : "pass")),
  },
  {
    // Fifty-fourth audit (2026-11-28): muc-admin-moderator-list-modify judged the whole answer to the moderator-list get
    // under MUC-ADMIN-MOD-07 (the list modified), so a refused get failed that row, though what it breaks is §9.8's "The
    // service MUST then return the moderator list to the admin" (MUC-ADMIN-MOD-06). The get's result now proves -06 and
    // what the list holds -07 (also:s): old fail (MUC-ADMIN-MOD-07) -> new fail (MUC-ADMIN-MOD-06; -07 not failed).
    id: "muc.admin.moderator-list-get-refused",
    area: "muc",
    requirements: ["MUC-ADMIN-MOD-06"],
    description: "a request for the moderator list is refused with <feature-not-implemented/> (changes to roles are still made and announced)",
    stream: answering(casesOwn(listRequest("role", "moderator")), (answer): FaultAction => (answer.attrs.type === "result" ? [iqErrorFor(answer, "feature-not-implemented")] : "pass")),
  },
  // Nineteenth audit (2026-11-25): the grant cases took any error to the case's own grant as a service without the
  // affiliation (refused:, a skip) or judged it whatever the service offered; the room's set-up now makes a user who
  // never enters an admin, an owner, a member or an outcast first. These grants are refused where the set-up's are
  // made (skip -> fail), and the two services below lack an affiliation §5.2 lets them lack (fail -> skip).
  {
    id: "muc.admin.grant-error",
    area: "muc",
    requirements: ["MUC-OWNER-ADMIN-01"],
    description: "a service that has admins (the room set-up's grants are made) answers the case's own grant of admin status with <internal-server-error/> and announces no new admin",
    stream: ownGrantRefused("admin"),
  },
  {
    // Thirty-sixth audit: muc-owner-admin-grant-absent's set-up made hal, who never enters, an admin: the very grant
    // the case judges (frank's, also absent), so this service skipped the case (the set-up's precondition) and no
    // MUST of the suite caught it. hal now enters and is made an admin in the room (refused: §5.2 skips a service
    // without admins) before frank's grant: old skip -> new fail (MUC-OWNER-ADMIN-01).
    id: "muc.admin.grant-occupants-only",
    area: "muc",
    requirements: ["MUC-OWNER-ADMIN-01"],
    description:
      "a service that has admins grants admin status only to users in the room: an owner's grant for a bare JID that is no occupant (the room set-up's grants too) is answered with <item-not-found/> and not made (the admin list leaves that JID out)",
    stream: grantedOnlyToOccupants("admin"),
  },
  {
    // Seventy-fourth audit (round 74): muc-admin-member-grant took any error to frank's grant (a user who never enters)
    // as a service without members (refused:, a skip), so a service that has members but grants them only to occupants
    // (§9.3 grants membership to "the user's bare JID", and "If the user is in the room" shows it need not be) was
    // skipped. That error now credits nothing; once carol's grant (an occupant's) is made, frank's is asked again and a
    // second refusal fails: old skip -> new fail (MUC-ADMIN-MEMBER-01), both cells, on Prosody 13 and ejabberd 24.12.
    // Most other member cases skip at their fixture's grant of a user not in the room under it: this one catches it.
    id: "muc.member.grant-occupants-only",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-01"],
    description:
      "a service that has members grants membership only to users in the room: a grant for a bare JID that is no occupant (the room set-up's grants too) is answered with <item-not-found/> and not made (the member list leaves that JID out)",
    stream: grantedOnlyToOccupants("member"),
  },
  {
    id: "muc.owner.grant-error",
    area: "muc",
    requirements: ["MUC-OWNER-GRANT-02", "MUC-OWNER-LIST-03"],
    description:
      "a service whose owners may make owners (the room set-up's grants are made) answers the case's own grant of owner status, or owner list change, with <internal-server-error/> and announces no new owner",
    stream: ownGrantRefused("owner"),
  },
  {
    id: "muc.member.grant-error",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-01"],
    description: "a service that has members (the room set-up's grants are made) answers the case's own grant of membership with <internal-server-error/> and announces no new member",
    stream: ownGrantRefused("member"),
  },
  {
    // Not a MUST broken: §5.2 only RECOMMENDS the outcast affiliation. The suite must warn (MUC-AFFIL-02, judged by
    // muc-enter-affiliations-granted) and skip the cases about bans, never fail them.
    id: "muc.affiliation.no-outcast",
    area: "muc",
    requirements: ["MUC-AFFIL-02"],
    description:
      "a service without the outcast affiliation: every ban and every request for the ban list, the room set-up's too, is answered with <feature-not-implemented/>, and no presence names an outcast",
    stream: affiliationMissing("outcast"),
  },
  {
    // Not a MUST broken: §5.2 only RECOMMENDS the member affiliation (MUC-AFFIL-02, as above).
    id: "muc.affiliation.no-member",
    area: "muc",
    requirements: ["MUC-AFFIL-02"],
    description:
      "a service without the member affiliation: every membership grant and every request for the member list, the room set-up's too, is answered with <feature-not-implemented/>, and no presence names a member",
    stream: affiliationMissing("member"),
  },
  {
    // Twenty-ninth audit (2026-11-26): muc-owner-revoke-owner revoked bob's owner status by making him an admin (§10.4's
    // Example 177) with no precondition for the admin affiliation, which §5.2 only RECOMMENDS ("Support for the admin,
    // member, and outcast affiliations is RECOMMENDED."): a service without admins that answers with
    // <feature-not-implemented/> failed MUC-OWNER-REVOKE-01 (§10.4: "the implementation MUST return a <not-authorized/>
    // error"), a rule it never invoked. The case now makes frank an admin at set-up: old fail -> new skip (naming
    // that grant), on Prosody 13; muc-owner-admin-grant skips both ways.
    id: "muc.affiliation.no-admin",
    area: "muc",
    requirements: ["MUC-AFFIL-02"],
    description:
      "a service without the admin affiliation: every admin grant and every request for the admin list, the room set-up's too, is answered with <feature-not-implemented/>, and no presence names an admin",
    stream: affiliationMissing("admin"),
  },
  {
    // Nineteenth audit (2026-11-25): muc-admin-ban-domain judged §9.2's order only on entries after the domain ban,
    // with nobody of the domain in the room when it was made.
    id: "muc.ban.domain-removes-affiliated",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-10"],
    description:
      "a ban of a domain removes every occupant of that domain as it is made, those with an affiliation of their own (a member, an admin, the owner) too: the domain is matched before the user's bare JID",
    stream: domainBanRemovesEveryone(),
  },
  {
    // Sixtieth audit (2026-11-28): muc-admin-ban-domain credited MUC-ADMIN-BAN-10 on any presence error to bob after
    // the domain ban, so a room that ignores the ban and keeps bob out as a non-member (rooms members-only with no
    // muc#roomconfig_membersonly field for the fixture to turn off) passed with the ban never shown to apply. The case
    // now asks for <forbidden/> and credits nothing on another refusal: HEAD file pass -> new skip (Prosody 13).
    id: "muc.ban.domain-ignored-members-only",
    area: "muc",
    requirements: ["MUC-ADMIN-BAN-10"],
    description:
      "rooms are members-only with no muc#roomconfig_membersonly field in the configuration form, and a ban of a domain is answered with a result but applied to nobody: an occupant of the domain stays (no unavailable presence with 301), and a user of the domain on no list who enters is refused with <registration-required/> (type auth) as a non-member, not with <forbidden/>",
    stream: domainBanIgnoredMembersOnly(),
  },
  {
    // Seventy-third audit (round 73): muc-enter-affiliations-granted credited the outcast affiliation (MUC-AFFIL-02)
    // on any presence error to carol, so a room members-only by default that answers her ban with a result and
    // applies it to nobody, refusing her as a non-member (<registration-required/>), passed. The case now credits
    // only <forbidden/>, and on another refusal reads the ban list, which must name her: old pass -> new warn
    // (MUC-AFFIL-02), Prosody 13 and ejabberd 24.12.
    id: "muc.ban.ignored-members-only",
    area: "muc",
    requirements: ["MUC-AFFIL-02"],
    description:
      "rooms are members-only with no muc#roomconfig_membersonly field in the configuration form, and a ban of a user is answered with a result but applied to nobody: the user, on no list, who enters is refused with <registration-required/> (type auth) as a non-member, not with <forbidden/>, and the ban list leaves the user out",
    stream: userBanIgnoredMembersOnly(),
  },
  {
    // Twenty-third audit (2026-11-26), the auditor's behaviour for a finding disputed: muc-admin-member-revoke-refused-entry
    // judges bob's entry with no after: on the revocation's result, but that result is judged at MUST
    // (MUC-ADMIN-MEMBER-04) and a failed MUST ends the case, so a room that refuses the revocation and keeps bob a
    // member fails MEMBER-04 alone (MLIST-07 and DENY-04 not-reached; muc-admin-mlist-membersonly likewise),
    // case and requirement verdicts the same on the old and the new file (Prosody 13).
    id: "muc.member.revoke-refused-kept",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-04"],
    description:
      "the case's own revocation of membership (an item with affiliation none and a 'jid') is answered with <not-allowed/> and the user stays a member: no presence announces the change, and the user's later entry is admitted as a member",
    stream: revokeRefusedKept(),
  },
  {
    // Twenty-eighth audit: muc-admin-member-revoke-refused-entry credited MUC-ADMIN-MEMBER-04 (§9.4: "The service MUST
    // remove the user from the member list and then inform the moderator of success") on the revocation's result alone,
    // so a room that answers it but keeps bob a member passed MEMBER-04 and failed MUC-ADMIN-MLIST-07 (the refusal owed
    // to a removed member) when bob entered. The case now asks for the member list right after the result (label
    // revoked) and judges bob's entry after it: old fail (MEMBER-04 pass, MLIST-07 fail) -> new fail (MEMBER-04 fail:
    // bob still listed; MLIST-07 and MUC-DENY-04 not reached), on Prosody 13.
    id: "muc.member.revoke-result-kept",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-04"],
    description:
      "the case's own revocation of membership (an item with affiliation none and a 'jid') is answered with a result, but the user stays a member: no presence announces the change, the member list asked afterwards still names him, and his later entry is admitted as a member",
    stream: revokeAnsweredKept(),
  },
  {
    // Thirty-first audit (2026-11-26): muc-admin-member-revoke-refused-entry credited MUC-ADMIN-MEMBER-04 on the member
    // list read back after the revocation, so a room that removes bob but refuses the owner the list failed MEMBER-04,
    // which it keeps; it breaks §9.5's "The service MUST then return the full member list to the admin qualified by the
    // 'http://jabber.org/protocol/muc#admin' namespace" (MUC-ADMIN-MLIST-02). The answer now proves MLIST-02, bob's
    // absence its also: (MEMBER-04): old fail (MEMBER-04 fail) -> new fail (MLIST-02 fail, MEMBER-04 not reached).
    id: "muc.memberlist.get-forbidden",
    area: "muc",
    requirements: ["MUC-ADMIN-MLIST-02"],
    description: "an owner's or admin's request for the member list is answered with a <forbidden/> error; everything else, the membership changes included, is unchanged",
    stream: answering(memberListAsked, (answer) => [iqErrorFor(answer, "forbidden", "auth")]),
  },
  {
    // Twenty-eighth audit: muc-affiliation-kept-across-visits credited MUC-ADMIN-MEMBER-01 (§9.3: "The service MUST add
    // the user to the member list and then inform the admin of success") on the grant's result alone, so a room that
    // answers the grant but never records it passed that MUST and only warned MUC-AFFIL-03 (a derived SHOULD) when bob
    // came back with affiliation none. The case now asks for the member list right after the result (label granted)
    // and judges the later visit after it: old warn (MEMBER-01 pass, AFFIL-03 warn) -> new fail (MEMBER-01 fail: bob
    // not listed; MUC-EXIT-01 and AFFIL-03 not reached), on Prosody 13.
    id: "muc.member.grant-result-not-recorded",
    area: "muc",
    requirements: ["MUC-ADMIN-MEMBER-01"],
    description:
      "the case's own grant of membership (one item with affiliation member and a 'jid') is answered with a result but never recorded: every presence of that user shows affiliation none, and the member list asked afterwards leaves him out",
    stream: grantAnsweredNotRecorded(),
  },
  {
    // Twenty-eighth audit: muc-owner-revoke-owner judged the revocation's answer and gina's presence in one
    // cross-session `one of` citing MUC-OWNER-REVOKE-01, -02 and -03, so a room that answers the revocation with a
    // result but never announces it matched neither alternative and failed all three, where only -03 (§10.4: "If the
    // user is in the room, the service MUST then send updated presence from this individual to all occupants") is
    // broken. The answer is now a `one of` of its own (label outcome) and the presence is judged after outcome/revoked:
    // old fail (REVOKE-01, -02, -03 fail) -> new fail (REVOKE-02 pass, REVOKE-03 fail, REVOKE-01 not reached).
    id: "muc.owner.revoke-unannounced",
    area: "muc",
    requirements: ["MUC-OWNER-REVOKE-03"],
    description: "an owner's revocation of another owner's status (to admin) is made and answered with a result, but no occupant gets the presence with affiliation admin",
    stream: unannounced("affiliation", "admin"),
  },
  {
    // Twenty-sixth audit, the auditor's behaviour for a finding disputed: muc-mod-change-order/voice-grant sends its
    // grant (and judges its order, MUC-MOD-ORDER-01) after carol-entry only, not after alice's revocation (v0), so
    // the auditor expected the order rule to warn beside MUC-MOD-VOICE-04's failure where the revocation is refused.
    // But v0's result is judged at MUST and a failed MUST ends the case: the grant is never sent. Prosody 13, the
    // HEAD file (unchanged): fail (MUC-MOD-VOICE-04 fail, MUC-ROLE-05 warn, MUC-MOD-ORDER-01 not reached).
    id: "muc.voice.revoke-refused-voiced-entry",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-04", "MUC-ROLE-05"],
    description:
      "in a moderated room an unaffiliated user enters with voice, and a moderator's revocation of that voice is answered with <not-allowed/>: the occupant keeps it, and a later grant of voice announces nothing",
    stream: voicedEntryRevocationRefused(),
  },
  {
    // Fifty-sixth audit (2026-11-28): muc-enter-role-kept-across-visits never read the answer to the moderator's
    // voice grant or revocation (§8.3/§8.4: "The service MUST then inform the moderator of success", MUC-MOD-VOICE-01
    // / -04), so a room that refuses the change and does not make it failed the announcement (MUC-MOD-VOICE-02 / -05),
    // which was never owed.
    id: "muc.voice.change-refused-unapplied",
    area: "muc",
    requirements: ["MUC-MOD-VOICE-01", "MUC-MOD-VOICE-04"],
    description:
      "a moderator's grant or revocation of voice (one item, by nickname) is answered with <not-allowed/> and not made: no presence announces the new role, and the occupant keeps its old role when it comes back",
    stream: voiceChangeRefusedUnapplied(),
  },
  {
    // Fifty-seventh audit (2026-11-28): muc-owner-last-other-owners read owner status off §10.2's owner-only
    // configuration form (bob's c0, alice's c1 where the owner list is refused) without showing that the room keeps
    // §10.2: a room that gives any user the form (MUC-CONFIG-01) and no owner list (§10.5 "If allowed by an
    // implementation") failed MUC-OWNER-REVOKE-02 at c1 though alice's revocation was made. gina's own request now
    // proves MUC-CONFIG-01 first.
    id: "muc.config.non-owner-gets-form-no-owner-list",
    area: "muc",
    requirements: ["MUC-CONFIG-01"],
    description: "a room gives out no owner list (a request for it is answered with <not-allowed/>) and answers a non-owner's request for the configuration form with a form instead of <forbidden/>",
    stream: both(
      ownerListRefused(),
      answering(
        (el, ctx) => !harnessSession(ctx.conn.jid) && el.name === "iq" && el.attrs.type === "get" && atService(el.attrs.to) && Boolean(el.getChild("query", MUC_OWNER)),
        (answer): FaultAction =>
          answer.attrs.type === "error" ? [iqResultFor(answer, new Element("query", { xmlns: MUC_OWNER }).cnode(new Element("x", { xmlns: "jabber:x:data", type: "form" })).root())] : "pass",
      ),
    ),
  },
  {
    // Sixtieth audit (2026-11-28): muc-owner-admin-grant, muc-role-from-affiliation (admin, owner, member-moderated)
    // and muc-enter-affiliation-brings-role judged MUC-ROLE-09 (which role a grant brings, a derived SHOULD) on a
    // presence that shows no role, so this room, which breaks §5.1's MUST (MUC-ROLE-01) on the grant's announcement,
    // warned MUC-ROLE-09. The announcement is now a 'receives one of' whose 'role-not-shown' credits it alone.
    id: "muc.role.affiliation-change-without-role",
    area: "muc",
    requirements: ["MUC-ROLE-01"],
    description: "the presence announcing an occupant's new affiliation carries its muc#user <item/> without 'role' (entries and other presences keep theirs)",
    fault: affiliationChangeWithoutRole(),
  },
  {
    // Sixtieth audit (2026-11-28): the same, in a room that gives out no owner list, for muc-role-from-affiliation's
    // owner cell, whose gina step after owner-shown (the 'no-list' path) has the same shape.
    id: "muc.role.affiliation-change-without-role-no-owner-list",
    area: "muc",
    requirements: ["MUC-ROLE-01"],
    description:
      "a room gives out no owner list (a request for it is answered with <not-allowed/>), and the presence announcing an occupant's new affiliation carries its muc#user <item/> without 'role'",
    stream: both(ownerListRefused(), { element: affiliationChangeWithoutRole() }),
  },
  {
    // Seventy-sixth audit (round 76, auditor G6's fault): muc-enter-affiliation-brings-role judged the role only on
    // carol's own copy of her affiliation change (status 110); alice's copy, judged since the seventy-fifth audit, was
    // not asked for one, so a room that leaves the role out of the copies for the other occupants passed. Old -> new:
    // prosody 13 pass -> fail (MUC-ROLE-01, both cells); ejabberd 24.12 admin cell warn (MUC-ROLE-05) -> fail (MUC-ROLE-01).
    id: "muc.role.affiliation-change-without-role-to-others",
    area: "muc",
    requirements: ["MUC-ROLE-01"],
    description:
      "the presence announcing an occupant's new affiliation carries its muc#user <item/> without 'role' in the copies to the other occupants (the occupant's own copy, with status code 110, keeps it)",
    fault: affiliationChangeWithoutRole(true),
  },
];

/**
 * Fifty-sixth audit: a voice grant or revocation answered with <not-allowed/> and not made. The server made it, so
 * what shows it is taken back: the announcements with the new role are dropped while the occupant stays, and once it
 * has left, its presences show the role it had before the change.
 */
function voiceChangeRefusedUnapplied(): StreamFault {
  const asked = new Map<string, { occupant: string; role: string }>(); // "connection id" -> the change it asked for
  const roles = new Map<string, string>(); // occupant JID -> the role its presences last showed (before any edit)
  const refused = new Map<string, { role: string; was: string; left: boolean }>(); // occupant JID -> the change refused
  return {
    fromClient: (el, ctx) => {
      const items = el.name === "iq" && atService(el.attrs.to) && !harnessSession(ctx.conn.jid) ? itemsOf(adminQuery(el, "set")) : [];
      if (items.length !== 1 || (items[0].attrs.role !== "participant" && items[0].attrs.role !== "visitor") || items[0].attrs.nick === undefined) return;
      const occupant = `${bare(str(el.attrs.to))}/${str(items[0].attrs.nick)}`;
      const role = str(items[0].attrs.role);
      asked.set(`${ctx.conn.id} ${str(el.attrs.id)}`, { occupant, role });
      // The server may announce the change before it answers: what it announces is taken back from the request on.
      const was = roles.get(occupant);
      if (was !== undefined && was !== role) refused.set(occupant, { role, was, left: false });
    },
    element: (el, ctx) => {
      const change = el.name === "iq" && el.attrs.type === "result" ? asked.get(`${ctx.conn.id} ${str(el.attrs.id)}`) : undefined;
      if (change !== undefined) {
        asked.delete(`${ctx.conn.id} ${str(el.attrs.id)}`);
        return [iqErrorFor(el, "not-allowed")];
      }
      if (!occupantPresence(el) || harnessSession(ctx.conn.jid)) return "pass";
      const occupant = str(el.attrs.from);
      const r = refused.get(occupant);
      if (el.attrs.type === "unavailable") {
        if (r) r.left = true;
        return "pass";
      }
      const item = el.attrs.type === undefined ? itemOf(el) : undefined;
      if (item?.attrs.role === undefined) return "pass";
      if (!r) roles.set(occupant, str(item.attrs.role));
      if (!r || item.attrs.role !== r.role) return "pass";
      return r.left ? changed(el, (c) => (itemOf(c)!.attrs.role = r.was)) : "drop";
    },
  };
}

/**
 * §9.1: the occupant who made a ban gets no unavailable presence of the banned occupant (as if its IQ result
 * were news enough), though it is one of "all remaining occupants": the room's 301 presences to the connection
 * that sent the ban are dropped.
 */
function banActorNotTold(): StreamFault {
  const actors = new Map<number, Set<string>>(); // connection -> the rooms it banned someone from
  return {
    fromClient: (el, ctx) => {
      const q = el.name === "iq" && atService(el.attrs.to) ? adminQuery(el, "set") : undefined;
      if (!itemsOf(q).some((i) => i.attrs.affiliation === "outcast")) return;
      const rooms = actors.get(ctx.conn.id) ?? new Set<string>();
      actors.set(ctx.conn.id, rooms.add(bare(str(el.attrs.to))));
    },
    element: (el, ctx) =>
      occupantPresence(el) && el.attrs.type === "unavailable" && hasStatus(el, "301") && !hasStatus(el, "110") && actors.get(ctx.conn.id)?.has(bare(str(el.attrs.from))) ? "drop" : "pass",
  };
}

/**
 * §5.1.3, §8.3-§8.5, §9.6-§9.8: a role change is broadcast to every occupant but the one who made it: the available
 * presences from an occupant JID whose role a connection's muc#admin set changed, carrying that new role, never
 * reach that connection (the affected occupant's own, with status code 110, still do).
 */
function roleActorNotTold(): StreamFault {
  const changes = new Map<number, Set<string>>(); // connection -> "occupant-JID role" of the changes it asked for
  return {
    fromClient: (el, ctx) => {
      const q = el.name === "iq" && atService(el.attrs.to) ? adminQuery(el, "set") : undefined;
      const room = bare(str(el.attrs.to));
      for (const i of itemsOf(q)) {
        if (i.attrs.role === undefined || i.attrs.nick === undefined) continue;
        const mine = changes.get(ctx.conn.id) ?? new Set<string>();
        changes.set(ctx.conn.id, mine.add(`${room}/${str(i.attrs.nick)} ${str(i.attrs.role)}`));
      }
    },
    element: (el, ctx) =>
      occupantPresence(el) && el.attrs.type === undefined && !hasStatus(el, "110") && changes.get(ctx.conn.id)?.has(`${str(el.attrs.from)} ${str(itemOf(el)?.attrs.role)}`) ? "drop" : "pass",
  };
}

/**
 * §9.1: the nickname a user registered (XEP-0045 §7.10) stays reserved after the user is banned: another user's
 * entry with it gets <conflict/> in place of its self-presence.
 */
/**
 * Thirty-second audit (2026-11-26): §8.4's revocation answered but not made. The case's own muc#admin set of one item
 * making an occupant a visitor gets the server's result, but the occupant keeps the voice as far as the case can see:
 * the room's presences giving that nickname role visitor are dropped, and the voice list asked afterwards names it
 * again as a participant. (The proxy cannot keep the server from making the change.)
 */
/** Sixty-seventh audit (round 67): the list of the occupants with role `role` (§8.5, §9.8) refused with <not-allowed/>. */
/** Every list of that role the room returns comes back empty (sixty-eighth audit). */
function roleListEmptied(role: string): StreamFault {
  return answering(listRequest("role", role), (answer): FaultAction => {
    const q = adminQuery(answer, "result");
    if (!q || itemsOf(q).length === 0) return "pass";
    return changed(answer, (c) => {
      const cq = adminQuery(c, "result")!;
      for (const i of itemsOf(cq)) cq.remove(i);
    });
  });
}

function roleListRefused(role: string): StreamFault {
  return answering(listRequest("role", role), (answer): FaultAction => (answer.attrs.type === "result" ? [iqErrorFor(answer, "not-allowed")] : "pass"));
}

function voiceRevokeAnsweredKept(): StreamFault {
  const request = casesOwn(single("role", "visitor"));
  const kept = new Set<string>(); // occupant JIDs
  const listed = answering(listRequest("role", "participant"), (answer): FaultAction => {
    const room = bare(str(answer.attrs.from));
    const q = adminQuery(answer, "result");
    const nicks = [...kept].filter((k) => bare(k) === room).map((k) => resourceOf(k)!);
    const missing = nicks.filter((n) => !itemsOf(q).some((i) => str(i.attrs.nick) === n));
    if (!q || missing.length === 0) return "pass";
    return changed(answer, (c) => {
      for (const n of missing) adminQuery(c, "result")!.c("item", { affiliation: "none", nick: n, role: "participant" });
    });
  });
  return both(listed, {
    fromClient: (el, ctx) => {
      if (request(el, ctx)) for (const i of itemsOf(adminQuery(el, "set"))) kept.add(`${bare(str(el.attrs.to))}/${str(i.attrs.nick)}`);
    },
    element: (el, ctx) =>
      !harnessSession(ctx.conn.jid) && occupantPresence(el) && el.attrs.type === undefined && itemOf(el)?.attrs.role === "visitor" && kept.has(str(el.attrs.from)) ? "drop" : "pass",
  });
}

/**
 * Entries into a room as a nickname another user registered there and who is now banned from it: `entering` maps a
 * connection to the occupant JID it asked for (the harness's own sessions left out with `casesOnly`).
 */
function bannedNickEntries(casesOnly: boolean) {
  const registeredBy = new Map<string, string>(); // occupant JID -> bare JID of the user who registered the nick
  const banned = new Set<string>(); // "room bare-jid"
  const entering = new Map<number, string>(); // connection -> occupant JID it asked for
  const fromClient = (el: Element, ctx: FaultContext) => {
    const to = str(el.attrs.to);
    if (!atService(to) || (casesOnly && harnessSession(ctx.conn.jid))) return;
    const form = el.name === "iq" && el.attrs.type === "set" ? el.getChild("query", "jabber:iq:register")?.getChild("x", "jabber:x:data") : undefined;
    const nick = form
      ?.getChildren("field")
      .find((f) => f.attrs.var === "muc#register_roomnick")
      ?.getChildText("value");
    if (nick) registeredBy.set(`${bare(to)}/${nick}`, bare(str(ctx.conn.jid)));
    for (const i of itemsOf(adminQuery(el, "set"))) if (i.attrs.affiliation === "outcast") banned.add(`${bare(to)} ${bare(str(i.attrs.jid))}`);
    if (el.name !== "presence" || el.attrs.type !== undefined || !el.getChild("x", "http://jabber.org/protocol/muc")) return;
    const owner = registeredBy.get(to);
    if (owner !== undefined && owner !== bare(str(ctx.conn.jid)) && banned.has(`${bare(to)} ${owner}`)) entering.set(ctx.conn.id, to);
  };
  return { fromClient, entering };
}

/**
 * Thirty-second audit (2026-11-26): a banned user's registered nickname stays reserved, and another user who asks
 * for it is let in under another one: once the registrant is an outcast, another user's entry as that nickname
 * comes back as the self-presence of `nick` + "2" (a refusal with <conflict/> is dropped and the entry sent again as
 * that nickname; an admission as the nickname itself is shown as the other's). What the room does is the server's.
 */
function bannedNickRenamed(): StreamFault {
  const { fromClient, entering } = bannedNickEntries(true);
  return {
    fromClient,
    element: (el, ctx) => {
      const to = entering.get(ctx.conn.id);
      if (to === undefined || el.name !== "presence" || el.attrs.from !== to) return "pass";
      if (el.attrs.type === "error" && conditionOf(el) === "conflict") {
        ctx.conn.send?.(new Element("presence", { to: `${to}2` }).c("x", { xmlns: "http://jabber.org/protocol/muc" }).root());
        return "drop";
      }
      return changed(el, (c) => {
        c.attrs.from = `${to}2`;
      });
    },
  };
}

function bannedNickKept(): StreamFault {
  const { fromClient, entering } = bannedNickEntries(false);
  return {
    fromClient,
    element: (el, ctx) => {
      const to = entering.get(ctx.conn.id);
      if (to === undefined || el.name !== "presence" || el.attrs.from !== to || !hasStatus(el, "110")) return "pass";
      entering.delete(ctx.conn.id);
      const refusal = new Element("presence", { from: to, type: "error", ...(el.attrs.to !== undefined && { to: el.attrs.to }) });
      refusal.c("error", { type: "cancel" }).c("conflict", { xmlns: STANZAS });
      return [refusal];
    },
  };
}

/**
 * Thirty-third audit (2026-11-26): every result the room gives to a registration-requirements request
 * (jabber:iq:register get) is an empty <registered/>, as for a user the room counts as registered already, and
 * bannedNickKept()'s refusal of a banned user's registered nickname to another user.
 */
function memberRegisteredNickKept(): StreamFault {
  const kept = bannedNickKept();
  const asked = new Set<string>(); // "connection id" of a registration-requirements request to the service
  return {
    fromClient: (el, ctx) => {
      if (el.name === "iq" && el.attrs.type === "get" && atService(str(el.attrs.to)) && el.getChild("query", "jabber:iq:register")) asked.add(`${ctx.conn.id} ${str(el.attrs.id)}`);
      kept.fromClient?.(el, ctx);
    },
    element: (el, ctx) => {
      const key = `${ctx.conn.id} ${str(el.attrs.id)}`;
      if (el.name === "iq" && el.attrs.type === "result" && asked.has(key)) {
        asked.delete(key);
        return changed(el, (c) => {
          const q = c.getChild("query", "jabber:iq:register");
          if (!q) return;
          q.children = [];
          q.c("registered");
        });
      }
      return kept.element!(el, ctx);
    },
  };
}

/**
 * Nineteenth audit (2026-11-25): the case's own grant of `affiliation` (a muc#admin set of its steps' sessions with
 * an item of that affiliation, not the harness's room set-up) is answered with <internal-server-error/>, and from then
 * on no case session gets an available presence of that room naming the affiliation: a service that has the
 * affiliation (the set-up's grants are made) and fails this grant. The proxy cannot keep the server from making it;
 * what the case's clients see is a grant refused and never announced.
 */
function ownGrantRefused(affiliation: string): StreamFault {
  const request = casesOwn(adminSet((items) => items.some((i) => i.attrs.affiliation === affiliation)));
  const refused = answering(request, (answer): FaultAction => (answer.attrs.type === "result" ? [iqErrorFor(answer, "internal-server-error")] : "pass"));
  const rooms = new Set<string>();
  return {
    fromClient: (el, ctx) => {
      refused.fromClient!(el, ctx);
      if (request(el, ctx)) rooms.add(bare(str(el.attrs.to)));
    },
    element: (el, ctx) => {
      const action = refused.element!(el, ctx);
      if (action !== "pass") return action;
      const unannounced = occupantPresence(el) && el.attrs.type === undefined && rooms.has(bare(str(el.attrs.from))) && itemOf(el)?.attrs.affiliation === affiliation;
      return unannounced && !harnessSession(ctx.conn.jid) ? "drop" : "pass";
    },
  };
}

/**
 * Grants of `affiliation` made only to occupants: a muc#admin set naming a bare JID with no self-presence in that
 * room (the harness's set-up grants too) is answered with <item-not-found/>, and that JID is kept off the room's
 * lists afterwards (as if the grant had not been made). `present` and `refused` hold "room user@domain".
 */
function grantedOnlyToOccupants(affiliation: string): StreamFault {
  const present = new Set<string>();
  const refused = new Set<string>();
  const absentOf = (el: Element) => {
    const room = bare(str(el.attrs.to));
    const items = itemsOf(adminQuery(el, "set")).filter((i) => i.attrs.affiliation === affiliation && i.attrs.jid !== undefined);
    return items.map((i) => `${room} ${bare(str(i.attrs.jid)).toLowerCase()}`).filter((k) => !present.has(k));
  };
  const request = adminSet((_items, el) => absentOf(el).length > 0);
  const answered = answering(request, (answer): FaultAction => (answer.attrs.type === "result" ? [iqErrorFor(answer, "item-not-found")] : "pass"));
  return {
    fromClient: (el, ctx) => {
      if (request(el)) for (const k of absentOf(el)) refused.add(k);
      answered.fromClient!(el, ctx);
    },
    element: (el, ctx) => {
      if (occupantPresence(el) && hasStatus(el, "110") && el.attrs.type !== "error") {
        const k = `${bare(str(el.attrs.from))} ${bare(str(ctx.conn.jid)).toLowerCase()}`;
        if (el.attrs.type === "unavailable") present.delete(k);
        else present.add(k);
      }
      const action = answered.element!(el, ctx);
      if (action !== "pass") return action;
      const list = el.name === "iq" && atService(el.attrs.from) ? adminQuery(el, "result") : undefined;
      const room = bare(str(el.attrs.from));
      const hidden = itemsOf(list).filter((i) => refused.has(`${room} ${bare(str(i.attrs.jid)).toLowerCase()}`));
      return hidden.length > 0
        ? changed(el, (c) => {
            const q = c.getChild("query", MUC_ADMIN)!;
            q.children = q.children.filter((i) => typeof i === "string" || !refused.has(`${room} ${bare(str(i.attrs.jid)).toLowerCase()}`));
          })
        : "pass";
    },
  };
}

/** A room's answer to a user it refuses, turned into that user's self-presence in the room with `affiliation`. */
function admittedAs(refusal: Element, affiliation: string, jid?: string): Element[] {
  const self = new Element("presence", { from: str(refusal.attrs.from), ...(refusal.attrs.to !== undefined && { to: refusal.attrs.to }) });
  self
    .c("x", { xmlns: MUC_USER })
    .c("item", { affiliation, role: "participant", ...(jid !== undefined && { jid }) })
    .up()
    .c("status", { code: "110" });
  return [self];
}

/**
 * Memberships taken that the case must not see taken: the room's presences giving such a user affiliation none are
 * dropped (a members-only room's 321 removal too), and that user's later refusal by the room becomes his
 * self-presence as a member. `kept` holds "room user@domain".
 */
function revocationHidden(kept: Set<string>, el: Element, ctx: FaultContext): FaultAction {
  const room = bare(str(el.attrs.from));
  const none = occupantPresence(el) && itemOf(el)?.attrs.affiliation === "none";
  if (none && kept.has(`${room} ${bare(str(itemOf(el)?.attrs.jid))}`)) return "drop";
  if (none && hasStatus(el, "321") && [...kept].some((k) => k.startsWith(`${room} `))) return "drop";
  if (el.name === "presence" && el.attrs.type === "error" && atService(room) && kept.has(`${room} ${bare(str(ctx.conn.jid))}`)) return admittedAs(el, "member", str(ctx.conn.jid));
  return "pass";
}

/**
 * Twenty-third audit (2026-11-26): a room that refuses an owner's revocation of membership and keeps the member. The
 * proxy cannot keep the server from applying it, so it hides the change: the result becomes <not-allowed/>, the
 * room's presences giving a revoked user affiliation none are dropped, and that user's later refusal by the room
 * (a presence error) becomes his self-presence as a member (status 110, role participant).
 */
function revokeRefusedKept(): StreamFault {
  const request = casesOwn(adminSet((items) => items.every((i) => i.attrs.affiliation === "none" && i.attrs.jid !== undefined)));
  const refused = answering(request, (answer): FaultAction => (answer.attrs.type === "result" ? [iqErrorFor(answer, "not-allowed")] : "pass"));
  const kept = new Set<string>(); // "room user@domain"
  return {
    fromClient: (el, ctx) => {
      refused.fromClient!(el, ctx);
      if (request(el, ctx)) for (const i of itemsOf(adminQuery(el, "set"))) kept.add(`${bare(str(el.attrs.to))} ${bare(str(i.attrs.jid))}`);
    },
    element: (el, ctx) => {
      const action = refused.element!(el, ctx);
      return action !== "pass" || harnessSession(ctx.conn.jid) ? action : revocationHidden(kept, el, ctx);
    },
  };
}

/**
 * Twenty-eighth audit: §9.3's grant answered but not recorded. The case's own muc#admin set of one item making a user
 * a member gets the server's result, but as far as the case can see the user never became one: every presence from
 * the room whose item names that user (by 'jid', or as the self-presence's receiver) with affiliation member shows
 * affiliation none, and the member list asked afterwards leaves him out. (The proxy cannot keep the server from
 * making the change.)
 */
function grantAnsweredNotRecorded(): StreamFault {
  const request = casesOwn(single("affiliation", "member"));
  const granted = new Set<string>(); // "room user@domain"
  const userOf = occupantUsers();
  const listed = answering(memberListAsked, (answer): FaultAction => {
    const room = bare(str(answer.attrs.from));
    const hidden = (i: Element) => granted.has(`${room} ${bare(str(i.attrs.jid))}`);
    if (!itemsOf(adminQuery(answer, "result")).some(hidden)) return "pass";
    return changed(answer, (c) => {
      const cq = adminQuery(c, "result")!;
      cq.children = cq.children.filter((x) => typeof x === "string" || x.name !== "item" || !hidden(x));
    });
  });
  return both(listed, {
    fromClient: (el, ctx) => {
      if (request(el, ctx)) for (const i of itemsOf(adminQuery(el, "set"))) granted.add(`${bare(str(el.attrs.to))} ${bare(str(i.attrs.jid))}`);
    },
    element: (el, ctx) => {
      if (harnessSession(ctx.conn.jid) || !occupantPresence(el)) return "pass";
      const item = itemOf(el);
      const user = userOf(el, ctx);
      if (item?.attrs.affiliation !== "member" || user === undefined || !granted.has(`${bare(str(el.attrs.from))} ${user}`)) return "pass";
      return changed(el, (c) => {
        itemOf(c)!.attrs.affiliation = "none";
      });
    },
  });
}

/**
 * Thirty-sixth audit: §9's "MUST be denied" broken with the refusal kept. A case's own muc#admin set that the room
 * refuses (a user who is neither admin nor owner) is answered with <forbidden/>, whatever condition the server gave,
 * and carried out all the same, in silence: no
 * presence announces it, but the lists asked afterwards show it (an affiliation item puts its user on the list of
 * that affiliation and takes it off the others; a role item, by nickname, puts the occupant on the list of that role
 * and takes it off the others). (The proxy cannot make the server carry it out: the lists are what it rewrites.)
 * `condition`: the condition the refusal is given; null keeps the server's (forty-third audit).
 */
function refusedButApplied(condition: string | null = "forbidden", applies: (item: Element) => boolean = () => true): StreamFault {
  const asked = new Map<string, { room: string; items: Element[] }>(); // "connection id" -> the request's room and items
  const applied = new Map<string, Element[]>(); // room -> the items carried out, in order
  const lists = new Map<string, { attr: "role" | "affiliation"; value: string }>(); // "connection id" -> the list asked for
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${str(id)}`;
  return {
    fromClient: (el, ctx) => {
      if (harnessSession(ctx.conn.jid) || el.name !== "iq" || !atService(el.attrs.to) || resourceOf(el.attrs.to) !== undefined) return;
      const set = adminQuery(el, "set");
      if (set && itemsOf(set).length > 0) asked.set(key(ctx, el.attrs.id), { room: bare(str(el.attrs.to)), items: itemsOf(set) });
      const get = adminQuery(el, "get");
      const item = itemsOf(get)[0];
      if (item?.attrs.role !== undefined) lists.set(key(ctx, el.attrs.id), { attr: "role", value: str(item.attrs.role) });
      else if (item?.attrs.affiliation !== undefined) lists.set(key(ctx, el.attrs.id), { attr: "affiliation", value: str(item.attrs.affiliation) });
    },
    element: (el, ctx) => {
      if (el.name !== "iq" || (el.attrs.type !== "result" && el.attrs.type !== "error")) return "pass";
      const request = asked.get(key(ctx, el.attrs.id));
      if (request) {
        asked.delete(key(ctx, el.attrs.id));
        if (el.attrs.type !== "error") return "pass";
        applied.set(request.room, [...(applied.get(request.room) ?? []), ...request.items.filter(applies)]);
        return condition === null || conditionOf(el) === condition ? "pass" : withCondition(el, condition); // Prosody says <not-allowed/>
      }
      const list = lists.get(key(ctx, el.attrs.id));
      if (!list) return "pass";
      lists.delete(key(ctx, el.attrs.id));
      const done = (applied.get(bare(str(el.attrs.from))) ?? []).filter((i) => i.attrs[list.attr] !== undefined);
      if (el.attrs.type !== "result" || done.length === 0) return "pass";
      return changed(el, (c) => {
        const cq = adminQuery(c, "result")!;
        for (const i of done) {
          const who = list.attr === "role" ? "nick" : "jid";
          const same = (x: Element) => (who === "jid" ? bare(str(x.attrs.jid)) === bare(str(i.attrs.jid)) : str(x.attrs.nick) === str(i.attrs.nick));
          cq.children = cq.children.filter((x) => typeof x === "string" || x.name !== "item" || !same(x));
          if (str(i.attrs[list.attr]) === list.value) cq.c("item", { [list.attr]: list.value, [who]: str(i.attrs[who]) });
        }
      });
    },
  };
}

/**
 * Twenty-eighth audit: §9.4's revocation answered but not made. The case's own muc#admin set taking memberships
 * (items with affiliation none and a 'jid') gets the server's result, but the users stay members as far as the case
 * can see: the presences announcing affiliation none are dropped (a members-only room's 321 removal too), the member
 * list asked afterwards names them again, and a later entry the room refuses (registration-required) is turned into
 * the user's self-presence as a member. (The proxy cannot keep the server from making the change.)
 */
function revokeAnsweredKept(): StreamFault {
  const request = casesOwn(adminSet((items) => items.every((i) => i.attrs.affiliation === "none" && i.attrs.jid !== undefined)));
  const kept = new Set<string>(); // "room user@domain"
  const listed = answering(memberListAsked, (answer): FaultAction => {
    const room = bare(str(answer.attrs.from));
    const q = adminQuery(answer, "result");
    const users = [...kept].filter((k) => k.startsWith(`${room} `)).map((k) => k.slice(room.length + 1));
    const missing = users.filter((u) => !itemsOf(q).some((i) => bare(str(i.attrs.jid)) === u));
    if (!q || missing.length === 0) return "pass";
    return changed(answer, (c) => {
      for (const u of missing) adminQuery(c, "result")!.c("item", { affiliation: "member", jid: u });
    });
  });
  return both(listed, {
    fromClient: (el, ctx) => {
      if (request(el, ctx)) for (const i of itemsOf(adminQuery(el, "set"))) kept.add(`${bare(str(el.attrs.to))} ${bare(str(i.attrs.jid))}`);
    },
    element: (el, ctx) => (harnessSession(ctx.conn.jid) ? "pass" : revocationHidden(kept, el, ctx)),
  });
}

/**
 * Nineteenth audit (2026-11-25): a service without the `affiliation` affiliation (§5.2: "Support for the admin,
 * member, and outcast affiliations is RECOMMENDED."): every muc#admin set with an item of that affiliation and every
 * request for its list, from any session (the harness's room set-up too), is answered with <feature-not-implemented/>,
 * and no presence names the affiliation. (The proxy cannot keep the server from making the change.)
 */
export function affiliationMissing(affiliation: string): StreamFault {
  const asks = (el: Element) =>
    el.name === "iq" && atService(el.attrs.to) && (itemsOf(adminQuery(el, "set")).some((i) => i.attrs.affiliation === affiliation) || listRequest("affiliation", affiliation)(el));
  const refused = answering(asks, (answer): FaultAction => [iqErrorFor(answer, "feature-not-implemented")]);
  return {
    fromClient: refused.fromClient,
    element: (el, ctx) => {
      const action = refused.element!(el, ctx);
      if (action !== "pass") return action;
      return occupantPresence(el) && itemOf(el)?.attrs.affiliation === affiliation ? "drop" : "pass";
    },
  };
}

/**
 * Twentieth audit (2026-11-25): a service whose owners may not change the owner list (§10.3, §10.5: "If allowed by an
 * implementation"): every muc#admin set with an item of affiliation owner and every request for the owner list, from
 * any session (the harness's room set-up too), is answered with <feature-not-implemented/>, and the presences that
 * would announce such a change (the user named in it, with affiliation owner) are dropped. (The proxy cannot keep the
 * server from making the change.) The room's creator stays its owner, as §10.1 makes it.
 */
function ownerListNotOffered(): StreamFault {
  const asks = (el: Element) => el.name === "iq" && atService(el.attrs.to) && (itemsOf(adminQuery(el, "set")).some((i) => i.attrs.affiliation === "owner") || listRequest("affiliation", "owner")(el));
  const refused = answering(asks, (answer): FaultAction => [iqErrorFor(answer, "feature-not-implemented")]);
  const userOf = occupantUsers();
  const named = new Set<string>(); // "room bare JID": an owner grant refused
  return {
    fromClient: (el, ctx) => {
      refused.fromClient!(el, ctx);
      if (el.name !== "iq" || !atService(el.attrs.to)) return;
      for (const i of itemsOf(adminQuery(el, "set"))) if (i.attrs.affiliation === "owner" && i.attrs.jid !== undefined) named.add(`${bare(str(el.attrs.to))} ${bare(str(i.attrs.jid))}`);
    },
    element: (el, ctx) => {
      const action = refused.element!(el, ctx);
      if (action !== "pass") return action;
      if (!occupantPresence(el)) return "pass";
      const item = itemOf(el);
      const user = userOf(el, ctx);
      return item?.attrs.affiliation === "owner" && user !== undefined && named.has(`${bare(str(el.attrs.from))} ${user}`) ? "drop" : "pass";
    },
  };
}

/**
 * Nineteenth audit (2026-11-25): §9.2's order reversed for the occupants in the room when a domain is banned (what
 * Prosody 0.12 and 13 do): once the room answers a ban of a bare domain (an item with affiliation outcast and a 'jid'
 * with no '@') with a result, every occupant of that domain the proxy has seen enter (its self-presence, status 110)
 * gets its own unavailable presence with status codes 301 and 110, and every other occupant the same without 110,
 * whatever its own affiliation. The server itself keeps them: nothing else it sends changes.
 */
function domainBanRemovesEveryone(): StreamFault {
  const present = new Map<number, { room: string; occupant: string; affiliation: string }>(); // connection -> its place
  const bans = new Map<string, { room: string; domain: string }>(); // "connection id" -> the domain ban asked
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${str(id)}`;
  const domainOf = (jid: unknown) => bare(str(jid)).split("@")[1] ?? "";
  const removal = (to: string, occupant: string, affiliation: string, self: boolean) => {
    const presence = new Element("presence", { from: occupant, to, type: "unavailable" });
    const x = presence.c("x", { xmlns: MUC_USER });
    x.c("item", { affiliation, role: "none" });
    x.c("status", { code: "301" });
    if (self) x.c("status", { code: "110" });
    return presence;
  };
  return {
    fromClient: (el, ctx) => {
      const q = el.name === "iq" && atService(el.attrs.to) ? adminQuery(el, "set") : undefined;
      const domain = itemsOf(q).find((i) => i.attrs.affiliation === "outcast" && i.attrs.jid !== undefined && !str(i.attrs.jid).includes("@") && !str(i.attrs.jid).includes("/"));
      if (domain) bans.set(key(ctx, el.attrs.id), { room: bare(str(el.attrs.to)), domain: str(domain.attrs.jid) });
    },
    element: (el, ctx) => {
      if (occupantPresence(el) && hasStatus(el, "110")) {
        if (el.attrs.type === undefined) present.set(ctx.conn.id, { room: bare(str(el.attrs.from)), occupant: str(el.attrs.from), affiliation: str(itemOf(el)?.attrs.affiliation ?? "none") });
        else if (el.attrs.type === "unavailable") present.delete(ctx.conn.id);
        return "pass";
      }
      const ban = el.name === "iq" && el.attrs.type === "result" ? bans.get(key(ctx, el.attrs.id)) : undefined;
      if (!ban) return "pass";
      bans.delete(key(ctx, el.attrs.id));
      const conns = [ctx.conn, ...ctx.peers()].filter((p) => p.jid && !harnessSession(p.jid) && present.get(p.id)?.room === ban.room);
      for (const gone of conns.filter((p) => domainOf(p.jid) === ban.domain)) {
        const place = present.get(gone.id)!;
        present.delete(gone.id);
        for (const p of conns) p.deliver(removal(str(p.jid), place.occupant, place.affiliation, p === gone));
      }
      return "pass";
    },
  };
}

/**
 * The members-only rooms of muc.ban.domain-ignored-members-only and muc.ban.ignored-members-only: a room's
 * configuration form (an owner's result) without its muc#roomconfig_membersonly field, so that nothing turns
 * members-only off; undefined for any other element.
 */
function membersOnlyFieldHidden(el: Element): FaultAction | undefined {
  const OWNER = "http://jabber.org/protocol/muc#owner";
  const DATA = "jabber:x:data";
  const FIELD = "muc#roomconfig_membersonly";
  const form = el.name === "iq" && el.attrs.type === "result" && atService(el.attrs.from) ? el.getChild("query", OWNER)?.getChild("x", DATA) : undefined;
  if (!form?.getChildren("field").some((f) => f.attrs.var === FIELD)) return undefined;
  return changed(el, (c) => {
    const x = c.getChild("query", OWNER)!.getChild("x", DATA)!;
    x.children = x.children.filter((f) => typeof f === "string" || f.name !== "field" || f.attrs.var !== FIELD);
  });
}

/**
 * A presence of a room with a ban that such a room applied to nobody, to a case's connection: the removal the ban
 * caused (unavailable, 301) is left out, and the <forbidden/> a user the ban names (`banned`) gets on entering becomes
 * a non-member's <registration-required/> (type auth).
 */
function banShownAsNonMember(el: Element, banned: boolean): FaultAction {
  if (occupantPresence(el) && el.attrs.type === "unavailable" && hasStatus(el, "301")) return "drop";
  if (el.attrs.type !== "error" || conditionOf(el) !== "forbidden" || !banned) return "pass";
  return withCondition(el, "registration-required").map((c) => {
    c.getChild("error")!.attrs.type = "auth";
    return c;
  });
}

/**
 * muc.ban.domain-ignored-members-only: a domain ban (an outcast item whose 'jid' is a bare domain) is answered and
 * applied to nobody, in rooms that are members-only with no field to turn it off. The server does apply it: what it
 * sends because of it is changed into what such a room sends (the removals at the ban left out, a banned user's
 * <forbidden/> turned into a non-member's <registration-required/>).
 */
function domainBanIgnoredMembersOnly(): StreamFault {
  const bans = new Map<string, string>(); // room -> the domain banned
  const domainOf = (jid: unknown) => bare(str(jid)).split("@")[1] ?? "";
  return {
    fromClient: (el) => {
      const q = el.name === "iq" && atService(el.attrs.to) ? adminQuery(el, "set") : undefined;
      const domain = itemsOf(q).find((i) => i.attrs.affiliation === "outcast" && i.attrs.jid !== undefined && !str(i.attrs.jid).includes("@") && !str(i.attrs.jid).includes("/"));
      if (domain) bans.set(bare(str(el.attrs.to)), str(domain.attrs.jid));
    },
    element: (el, ctx) => {
      const hidden = membersOnlyFieldHidden(el);
      if (hidden) return hidden;
      const domain = atService(el.attrs.from) && el.name === "presence" ? bans.get(bare(str(el.attrs.from))) : undefined;
      if (domain === undefined || harnessSession(ctx.conn.jid)) return "pass";
      return banShownAsNonMember(el, domainOf(ctx.conn.jid) === domain);
    },
  };
}

/**
 * muc.ban.ignored-members-only: a ban of a user (an outcast item whose 'jid' is a user's bare or full JID) is answered
 * and applied to nobody, in rooms that are members-only with no field to turn it off. The server does apply it: what
 * it sends because of it is changed into what such a room sends (an occupant's removal at the ban left out, the
 * banned user's <forbidden/> turned into a non-member's <registration-required/>, the user left off the ban list).
 */
function userBanIgnoredMembersOnly(): StreamFault {
  const bans = new Map<string, Set<string>>(); // room -> the bare JIDs of the users banned
  const banned = (room: string, jid: unknown) => bans.get(room)?.has(bare(str(jid))) ?? false;
  const ignored: StreamFault = {
    fromClient: (el, ctx) => {
      const q = el.name === "iq" && atService(el.attrs.to) && !harnessSession(ctx.conn.jid) ? adminQuery(el, "set") : undefined;
      const room = bare(str(el.attrs.to));
      for (const i of itemsOf(q).filter((i) => i.attrs.affiliation === "outcast" && str(i.attrs.jid).includes("@"))) bans.set(room, (bans.get(room) ?? new Set<string>()).add(bare(str(i.attrs.jid))));
    },
    element: (el, ctx) => {
      const hidden = membersOnlyFieldHidden(el);
      if (hidden) return hidden;
      const room = bare(str(el.attrs.from));
      if (el.name !== "presence" || !atService(room) || !bans.has(room) || harnessSession(ctx.conn.jid)) return "pass";
      return banShownAsNonMember(el, banned(room, ctx.conn.jid));
    },
  };
  const unlisted = answering(casesOwn(listRequest("affiliation", "outcast")), (answer): FaultAction => {
    const room = bare(str(answer.attrs.from));
    const q = adminQuery(answer, "result");
    if (!q || !itemsOf(q).some((i) => banned(room, i.attrs.jid))) return "pass";
    return changed(answer, (c) => {
      const cq = adminQuery(c, "result")!;
      for (const i of itemsOf(cq).filter((i) => banned(room, i.attrs.jid))) cq.remove(i);
    });
  });
  return both(ignored, unlisted);
}

/** What XEP-0045 lets a service do differently here, which no case of this area may fail on. */
/**
 * §7.11: "If allowed in accordance with room configuration, an occupant MAY be allowed to retrieve the list of room
 * members." A room whose form does not offer muc#roomconfig_getmemberlist (no room configuration a client submitted
 * named it) lets its occupants have the member list: an occupant's request the server refused with <forbidden/> is
 * answered with the members it granted instead. With `offered` (a fault, not a variation) the room's configuration
 * form offers the field, showing the values last submitted (moderator, participant and visitor before), and the
 * room gives the list all the same, whatever the field says.
 */
function participantsReadMemberList(offered = false): StreamFault {
  const FIELD = "muc#roomconfig_getmemberlist";
  const values = new Map<string, string[]>(); // room -> the field's values last submitted
  const members = new Map<string, Set<string>>(); // room -> member bare JIDs
  const configured = new Set<string>(); // rooms whose submitted configuration named muc#roomconfig_getmemberlist
  const asked = new Map<string, string>(); // "connection id" -> room
  return {
    fromClient: (el, ctx) => {
      const to = bare(str(el.attrs.to));
      if (el.name !== "iq" || !atService(to)) return;
      const x = el.attrs.type === "set" ? el.getChild("query", "http://jabber.org/protocol/muc#owner")?.getChild("x", "jabber:x:data") : undefined;
      const field = x?.getChildren("field").find((f) => f.attrs.var === FIELD);
      if (field) {
        if (!offered) configured.add(to);
        values.set(
          to,
          field.getChildren("value").map((v) => v.getText()),
        );
      }
      for (const i of itemsOf(adminQuery(el, "set"))) {
        if (i.attrs.jid === undefined || i.attrs.affiliation === undefined) continue;
        const set = members.get(to) ?? new Set<string>();
        if (i.attrs.affiliation === "member") set.add(bare(str(i.attrs.jid)));
        else set.delete(bare(str(i.attrs.jid)));
        members.set(to, set);
      }
      if (listRequest("affiliation", "member")(el) && !harnessSession(ctx.conn.jid) && !configured.has(to)) asked.set(`${ctx.conn.id} ${str(el.attrs.id)}`, to);
    },
    element: (el, ctx): FaultAction => {
      const form =
        offered && el.name === "iq" && el.attrs.type === "result" && atService(el.attrs.from)
          ? el.getChild("query", "http://jabber.org/protocol/muc#owner")?.getChild("x", "jabber:x:data")
          : undefined;
      if (form?.attrs.type === "form" && !form.getChildren("field").some((f) => f.attrs.var === FIELD))
        return changed(el, (c) => {
          const f = c
            .getChild("query", "http://jabber.org/protocol/muc#owner")!
            .getChild("x", "jabber:x:data")!
            .c("field", { var: FIELD, type: "list-multi", label: "Roles and Affiliations that May Retrieve Member List" });
          for (const v of values.get(bare(str(el.attrs.from))) ?? ["moderator", "participant", "visitor"]) f.c("value").t(v);
          for (const o of ["moderator", "participant", "visitor"]) f.c("option", { label: o }).c("value").t(o);
        });
      if (el.name !== "iq" || el.attrs.type !== "error") return "pass";
      const room = asked.get(`${ctx.conn.id} ${str(el.attrs.id)}`);
      if (room === undefined || !el.getChild("error")?.getChild("forbidden", STANZAS)) return "pass";
      asked.delete(`${ctx.conn.id} ${str(el.attrs.id)}`);
      const r = new Element("iq", { type: "result", id: el.attrs.id, ...(el.attrs.from && { from: el.attrs.from }), ...(el.attrs.to && { to: el.attrs.to }) });
      const q = r.c("query", { xmlns: MUC_ADMIN });
      for (const j of members.get(room) ?? []) q.c("item", { affiliation: "member", jid: j });
      return [r];
    },
  };
}

/**
 * §5.1.2's table for a room moderated by default whose form has no moderation option (§10: "the exact configuration
 * options and form layout shall be determined by the implementation or specific deployment"): the form offers no
 * muc#roomconfig_moderatedroom, and an unaffiliated occupant is a visitor ("Moderated | Visitor | …").
 */
export function unaffiliatedVisitorNoOption(): StreamFault {
  const voiced = new Set<string>(); // room/nick of an occupant a moderator gave voice (a participant then, as asked)
  return {
    fromClient: (el) => {
      const items = el.name === "iq" && el.attrs.type === "set" ? (el.getChild("query", "http://jabber.org/protocol/muc#admin")?.getChildren("item") ?? []) : [];
      for (const i of items) if (i.attrs.role === "participant" && i.attrs.nick) voiced.add(`${String(el.attrs.to).split("/")[0]}/${i.attrs.nick}`);
    },
    element: (el) => {
      const x = el.name === "iq" && el.attrs.type === "result" && atService(el.attrs.from) ? el.getChild("query", "http://jabber.org/protocol/muc#owner")?.getChild("x", "jabber:x:data") : undefined;
      if (x?.attrs.type === "form" && x.getChildren("field").some((f) => f.attrs.var === "muc#roomconfig_moderatedroom"))
        return changed(el, (c) => {
          const cx = c.getChild("query", "http://jabber.org/protocol/muc#owner")!.getChild("x", "jabber:x:data")!;
          cx.children = cx.children.filter((f) => typeof f === "string" || f.name !== "field" || f.attrs.var !== "muc#roomconfig_moderatedroom");
        });
      const item = occupantPresence(el) && el.attrs.type === undefined ? itemOf(el) : undefined;
      if (item?.attrs.affiliation === "none" && item.attrs.role === "participant" && !voiced.has(String(el.attrs.from))) return changed(el, (c) => (itemOf(c)!.attrs.role = "visitor"));
      return "pass";
    },
  };
}

/**
 * Twenty-sixth audit (2026-11-26), a variation: a deployment whose rooms broadcast only moderators' presence and whose
 * form offers no muc#roomconfig_presencebroadcast (§5.1.1's defaults overridden by a service option, as Prosody's
 * muc_room_default_presence_broadcast can): a participant's or visitor's presence (not unavailable) reaches no other
 * occupant; its own copy (status 110) still comes. Modelled on the auditor's adhoc.broadcast-moderators-only-no-field.
 */
const broadcastModeratorsOnly: StreamFault = {
  element: (el, ctx) => {
    const x = el.name === "iq" && el.attrs.type === "result" && atService(el.attrs.from) ? el.getChild("query", "http://jabber.org/protocol/muc#owner")?.getChild("x", "jabber:x:data") : undefined;
    if (x?.attrs.type === "form" && x.getChildren("field").some((f) => f.attrs.var === "muc#roomconfig_presencebroadcast"))
      return changed(el, (c) => {
        const cx = c.getChild("query", "http://jabber.org/protocol/muc#owner")!.getChild("x", "jabber:x:data")!;
        cx.children = cx.children.filter((f) => typeof f === "string" || f.name !== "field" || f.attrs.var !== "muc#roomconfig_presencebroadcast");
      });
    if (!occupantPresence(el) || el.attrs.type === "unavailable" || hasStatus(el, "110") || harnessSession(ctx.conn.jid)) return "pass";
    const role = itemOf(el)?.attrs.role;
    return role === "participant" || role === "visitor" ? "drop" : "pass";
  },
};

/**
 * Thirty-fifth audit (2026-11-27), a variation: unaffiliatedVisitorNoOption's rooms (moderated by default, no
 * muc#roomconfig_moderatedroom in the form, so an unaffiliated occupant is a visitor) whose configuration also takes
 * from visitors the privilege of changing their availability status (§5.1.1: "| Change Availability Status | No |
 * Yes* | Yes | Yes |", "* Default; configuration settings MAY modify this privilege."): a visitor's presence update
 * (one carrying <show/>, <status/> or <priority/>) reaches no occupant, the visitor included. Modelled on the
 * auditor's ad-hoc visitorNoStatus (report A1 of the thirty-fifth audit).
 */
function visitorNoStatusChange(): StreamFault {
  const visitors = unaffiliatedVisitorNoOption();
  return {
    element: (el, ctx) => {
      const item = occupantPresence(el) && el.attrs.type === undefined ? itemOf(el) : undefined;
      const update = ["show", "status", "priority"].some((n) => el.getChild(n));
      if (update && item?.attrs.affiliation === "none" && item.attrs.role === "participant" && !harnessSession(ctx.conn.jid)) return "drop";
      return visitors.element!(el, ctx);
    },
    fromClient: visitors.fromClient,
  };
}

/**
 * Thirty-eighth audit (2026-11-27), a variation: broadcastModeratorsOnly's deployment (rooms broadcast moderators'
 * presence only, no muc#roomconfig_presencebroadcast in the form) that sends a participant's or visitor's changed
 * availability (a presence with <show/>, <status/> or <priority/>) to no occupant, the sender included: §7.7's
 * broadcast "to the full JID of each occupant" holds only "If the room is configured to broadcast presence from
 * entities with the occupant's role". Modelled on the auditor's adhoc.moderators-only-self-too (report A1).
 */
const broadcastModeratorsOnlySelfToo: StreamFault = {
  element: (el, ctx) => {
    const role = occupantPresence(el) && el.attrs.type === undefined && hasStatus(el, "110") ? itemOf(el)?.attrs.role : undefined;
    const update = ["show", "status", "priority"].some((n) => el.getChild(n));
    if (update && (role === "participant" || role === "visitor") && !harnessSession(ctx.conn.jid)) return "drop";
    return broadcastModeratorsOnly.element!(el, ctx);
  },
};

export const VARIATIONS: Variation[] = [
  {
    // Sixty-ninth audit (round 69): muc-admin-mlist-read's semi-anonymous cells took only an error for XEP-0045
    // §5.2.1's "members SHOULD NOT be allowed to retrieve the member list (as that list MUST contain the JID of each
    // member)", so a result that names no JID warned MUC-AFFIL-05; a result whose items carry no 'jid' now credits it
    // (semianonymous-membersonly, prosody 13 and ejabberd 24.12: warn -> pass). A stream variation: only
    // bench/try-case.ts applies it (elsewhere an empty result would stand for a list the case asks to see filled).
    id: "muc.var.member-list-jids-withheld",
    description: "a room that refuses a member's request for the member list answers it instead with a muc#admin result naming no one (the JIDs withheld as §5.2.1 intends)",
    fault: () => "pass",
    stream: answering(memberListAsked, (answer): FaultAction => (answer.attrs.type === "error" ? [iqResultFor(answer, new Element("query", { xmlns: MUC_ADMIN }))] : "pass")),
  },
  {
    // Sixty-fourth audit (2026-11-29): muc-mod-voice-revoke's unmoderated cell required the owner's revocation to be
    // carried out at MUST, though the text gives moderators that privilege "in a moderated room" (§8, §8.4). The cell
    // now takes the revocation's answer first, and an error credits nothing: fail -> pass (Prosody 13). The proxy
    // cannot keep the server from making the change: it refuses it in the answer and drops the announcements.
    id: "muc.var.unmoderated-revoke-refused",
    description:
      "voice is not revoked in an unmoderated room: a case's one-item request giving an occupant role visitor, to a room whose configuration made it unmoderated, is answered <not-allowed/>, and no presence gives that occupant role visitor",
    fault: () => "pass",
    stream: (() => {
      const unmoderated = new Set<string>(); // rooms
      const asked = new Set<string>(); // "connection id" of the refused requests
      const refused = new Set<string>(); // occupant JIDs kept out of role visitor
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          if (el.name !== "iq" || el.attrs.type !== "set" || !atService(el.attrs.to)) return;
          const room = bare(str(el.attrs.to));
          const field = (el.getChild("query", "http://jabber.org/protocol/muc#owner")?.getChild("x", "jabber:x:data")?.getChildren("field") ?? []).find(
            (f) => f.attrs.var === "muc#roomconfig_moderatedroom",
          );
          if (field) {
            if (/^(0|false)$/.test(field.getChildText("value")?.trim() ?? "")) unmoderated.add(room);
            else unmoderated.delete(room);
          }
          const items = adminQuery(el, "set")?.getChildren("item") ?? [];
          if (harnessSession(ctx.conn.jid) || items.length !== 1 || items[0].attrs.role !== "visitor" || !unmoderated.has(room)) return;
          asked.add(`${ctx.conn.id} ${str(el.attrs.id)}`);
          refused.add(`${room}/${str(items[0].attrs.nick)}`);
        },
        element: (el: Element, ctx: FaultContext): FaultAction => {
          if (el.name === "iq" && el.attrs.type === "result" && asked.delete(`${ctx.conn.id} ${str(el.attrs.id)}`)) return [iqErrorFor(el, "not-allowed")];
          return occupantPresence(el) && refused.has(str(el.attrs.from)) && itemOf(el)?.attrs.role === "visitor" ? "drop" : "pass";
        },
      };
    })(),
  },
  {
    // Sixty-sixth audit (round 66): muc-mod-kick's member-moderator cell judged bob's kick at §8.2's MUSTs, though
    // §8.2 makes which occupants are "kickable" depend on "service provisioning, room configuration, and the
    // moderator's affiliation"; the cell now takes the kick's outcome first, and a refusal credits nothing. Old -> new
    // (Prosody 13): fail (MUC-MOD-KICK-01) -> pass (refused; the kick's rows not reached). The proxy cannot keep the
    // server from kicking: it refuses the kick in the answer and drops the announcements.
    id: "muc.var.member-moderator-kick-refused",
    description:
      'only an admin or owner may kick: a kick (one item with role none) from an occupant whose own affiliation in that room is member or none, a moderator by grant, is answered <not-allowed/>, and no unavailable presence of the occupant it names is sent (§8.2: which occupants are "kickable" depends on "service provisioning, room configuration, and the moderator\'s affiliation")',
    fault: () => "pass",
    stream: (() => {
      const affiliation = new Map<string, string>(); // "connection room" -> the connection's own affiliation there
      const asked = new Set<string>(); // "connection id" of the refused kicks
      const kept = new Set<string>(); // occupant JIDs whose kick was refused
      return {
        fromClient: (el: Element, ctx: FaultContext) => {
          if (harnessSession(ctx.conn.jid) || !single("role", "none")(el)) return;
          const room = bare(str(el.attrs.to));
          if (!["member", "none"].includes(affiliation.get(`${ctx.conn.id} ${room}`) ?? "")) return;
          asked.add(`${ctx.conn.id} ${str(el.attrs.id)}`);
          kept.add(`${room}/${str(itemsOf(adminQuery(el, "set"))[0].attrs.nick)}`);
        },
        element: (el: Element, ctx: FaultContext): FaultAction => {
          if (occupantPresence(el) && hasStatus(el, "110") && el.attrs.type !== "unavailable" && itemOf(el)?.attrs.affiliation !== undefined)
            affiliation.set(`${ctx.conn.id} ${bare(str(el.attrs.from))}`, str(itemOf(el)!.attrs.affiliation));
          if (el.name === "iq" && el.attrs.type === "result" && asked.delete(`${ctx.conn.id} ${str(el.attrs.id)}`)) return [iqErrorFor(el, "not-allowed")];
          return occupantPresence(el) && el.attrs.type === "unavailable" && kept.has(str(el.attrs.from)) ? "drop" : "pass";
        },
      };
    })(),
  },
  {
    // Thirty-eighth audit (2026-11-27): muc-pres-change's self cell judged bob's own copy of his update without the
    // broadcast condition the other cells show first ("If the room is configured to broadcast presence from entities
    // with the occupant's role"), so this deployment warned on MUC-PRES-01; the cell now skips (label broadcast). It
    // withholds presences of the case's own occupants: applied in bench/try-case.ts only (`stream`).
    id: "muc.var.broadcast-moderators-only-self-too",
    description:
      "the room form offers no muc#roomconfig_presencebroadcast and the deployment broadcasts only moderators' presence: a participant's or visitor's presence reaches no other occupant, and a changed availability of theirs reaches nobody, themselves included (§7.7 sends it only \"If the room is configured to broadcast presence from entities with the occupant's role\")",
    fault: () => "pass",
    stream: broadcastModeratorsOnlySelfToo,
  },
  {
    // Twenty-fourth audit: muc-admin-auth's member-list cell failed MUC-ADMIN-AUTH-01 (MUST) on any answer but
    // <forbidden/>, though §7.11 lets the room's configuration give occupants the member list. The case now asks the
    // owner's form: where it offers muc#roomconfig_getmemberlist (set to moderator) carol must be refused; where it does
    // not, a member list credits nothing. It needs what clients send (`stream`, bench/try-case.ts): old fail -> new skip.
    id: "muc.var.participants-read-member-list",
    description:
      'a room whose form does not offer muc#roomconfig_getmemberlist gives its occupants the member list (§7.11: "If allowed in accordance with room configuration, an occupant MAY be allowed to retrieve the list of room members.")',
    fault: () => "pass",
    stream: participantsReadMemberList(),
  },
  {
    // Twenty-fourth audit: muc-admin-moderator-list required gina's self-presence with role participant (MUC-ROLE-06),
    // but the room is made unmoderated only where its form offers the field; in a room moderated by default §5.1.2
    // seats the unaffiliated gina as a visitor, and either role leaves her off the moderator list. gina (and carol)
    // now need only be no moderator: old warn (MUC-ROLE-06, the list not reached) -> new pass. It needs the case's
    // own sessions' presences only, but rewrites every unaffiliated participant: applied in bench/try-case.ts only.
    // Twenty-sixth audit: muc-admin-moderator-grant's carol cells submitted muc#roomconfig_moderatedroom only where
    // the form offers it and then judged carol's entry against the unmoderated row (MUC-ROLE-06); here she is rightly
    // a visitor. Those cells now need the field (a skip naming it), the bob cells keep the '?' (a member is a
    // participant either way): alice/carol and dave/carol old warn (MUC-ROLE-06) -> new skip; the bob cells pass -> pass.
    // Forty-second audit (2026-11-27): it seated as a visitor even an occupant a moderator had just given voice, so the
    // new muc-enter-roles-supported failed MUC-ROLE-02 here; an occupant given voice is now left a participant.
    id: "muc.var.unaffiliated-visitor-no-option",
    description:
      "rooms are moderated by default and their form offers no muc#roomconfig_moderatedroom, so an unaffiliated occupant enters as a visitor (§5.1.2: \"Moderated | Visitor | Participant | Moderator | Moderator\"; §10: the form's options are the implementation's); applied only in bench/try-case.ts",
    fault: () => "pass",
    stream: unaffiliatedVisitorNoOption(),
  },
  {
    // Twenty-first audit (2026-11-25): muc-role-list-items' participants cell judged alice's voice grant to bob as
    // MUC-MOD-VOICE-01 whatever role he entered with, so where he entered with voice (ejabberd) a room that refuses the
    // change that changes nothing failed that MUST; the grant is now sent only after bob-entry/visitor. It needs what
    // clients send (`stream`, bench/try-case.ts).
    id: "muc.var.noop-role-refused",
    description:
      'a role change that changes nothing (the occupant already has that role) is refused with <not-allowed/> (no rule of XEP-0045 says how a service answers it: §5.1.3 communicates a change, §8.3 is "Granting Voice to a Visitor")',
    fault: () => "pass",
    stream: noopRoleRefused(),
  },
  {
    id: "muc-kick-ban-without-actor-reason",
    description:
      'the presences of a kick, a ban or a role or affiliation change name neither the actor nor the reason (§8.2 and §9.1: the service sends the status code "optionally along with the reason (if provided) and the roomnick or bare JID of the user who initiated" it)',
    fault: (el) => {
      const item = occupantPresence(el) ? itemOf(el) : undefined;
      if (!item || (!item.getChild("actor") && !item.getChild("reason"))) return "pass";
      return changed(el, (c) => {
        const i = itemOf(c)!;
        i.children = i.children.filter((x) => typeof x === "string" || (x.name !== "actor" && x.name !== "reason"));
      });
    },
  },
  {
    id: "muc-admin-list-reversed",
    description: "the items of a voice, moderator, ban, member, admin or owner list come in reverse order (§8.5, §9.2, §9.5, §9.8, §10.5, §10.8 fix no order)",
    fault: (el) => {
      const q = el.name === "iq" && atService(el.attrs.from) ? adminQuery(el, "result") : undefined;
      if (itemsOf(q).length < 2) return "pass";
      return changed(el, (c) => {
        const cq = adminQuery(c, "result")!;
        cq.children = [...cq.children].reverse();
      });
    },
  },
  {
    // Twentieth audit (2026-11-25): muc-owner-list-get's one-owner cell judged an owner's request for the owner list
    // at MUST (MUC-OWNER-LIST-02) with nothing showing that the service lets owners change it, where §10.5 opens "If
    // allowed by an implementation": this room failed it there, while muc-owner-list-forbidden and
    // muc-create-owner-list skipped it. The cell now says refused: with that sentence and skips; the two-owners cell,
    // whose set-up grant is refused here, skips as before. It needs what clients send (`stream`, bench/try-case.ts).
    id: "muc.var.owner-list-not-offered",
    description:
      'owners may not change the owner list: every muc#admin change to affiliation owner and every request for the owner list, the room set-up\'s too, is answered with <feature-not-implemented/>, and no presence announces such a change (§10.3: "If allowed by an implementation, an owner MAY grant owner status to another user"; §10.5: "If allowed by an implementation, a room owner might want to modify the owner list")',
    fault: () => "pass",
    stream: ownerListNotOffered(),
  },
  {
    // Twenty-sixth audit: muc-owner-revoke-owner's 'revoked' outcome also required the owner list (§10.5, "If
    // allowed by an implementation") to leave bob out, so a room that carries out §10.4's revocation (result, gina
    // told) but gives out no owner list matched no outcome and failed MUC-OWNER-REVOKE-01, -02 and -03 at MUST. The
    // list is now asked after outcome/revoked, and an error to it credits nothing: old fail -> new pass. It needs
    // what clients send (`stream`, bench/try-case.ts).
    id: "muc.var.owner-list-refused",
    description:
      'a room gives out no owner list: a request for it is answered with <not-allowed/>, while owners may still grant and revoke owner status (§10.5: "If allowed by an implementation, a room owner might want to modify the owner list. To do so, the owner first requests the owner list")',
    fault: () => "pass",
    stream: answering(listRequest("affiliation", "owner"), (answer): FaultAction => (answer.attrs.type === "result" ? [iqErrorFor(answer, "not-allowed")] : "pass")),
  },
  {
    // Class sweep (2026-11-28, group S1): muc-mod-voice-revoke now reads the revocation back in the voice list (§8.5)
    // before the announcement; its 'no-list' alternative keeps an unmoderated room that gives out no voice list
    // passing (owner-unaffiliated-unmoderated). It needs what clients send (`stream`, bench/try-case.ts).
    id: "muc.var.voice-list-unmoderated-refused",
    description: 'an unmoderated room gives out no voice list: a request for it is answered with <not-allowed/> (§8.5: "A moderator in a moderated room might want to modify the voice list")',
    fault: () => "pass",
    stream: voiceListUnmoderatedRefused(),
  },
  {
    // Class sweep (2026-11-28, group S1): muc-owner-auth's owner cells now read a refused change of owners back with
    // the affected user's own muc#owner request where the owner list is refused; this room (which refuses a
    // non-owner's change with §10.3's <forbidden/>, the local servers answer <not-allowed/>, and gives out no owner
    // list) must pass them. It needs what clients send (`stream`, bench/try-case.ts).
    id: "muc.var.owner-list-refused-forbidden",
    description:
      'a room gives out no owner list (a request for it is answered with <not-allowed/>) and refuses a change of affiliations it does not allow with <forbidden/> (§10.3: "the service MUST return a <forbidden/> error to the sender"; §10.5: "If allowed by an implementation, a room owner might want to modify the owner list")',
    fault: () => "pass",
    stream: both(
      ownerListRefused(),
      answering(
        (el, ctx) => !harnessSession(ctx.conn.jid) && atService(el.attrs.to) && itemsOf(adminQuery(el, "set")).some((i) => i.attrs.affiliation !== undefined),
        (answer): FaultAction => (answer.attrs.type === "error" ? [iqErrorFor(answer, "forbidden", "auth")] : "pass"),
      ),
    ),
  },
  {
    // Twenty-sixth audit: muc-pres-change (participant, moderator) and muc-pres-passthrough judged §7.7's broadcast
    // of bob's changed presence where the room's form has no muc#roomconfig_presencebroadcast, so the rule's condition
    // ("If the room is configured to broadcast presence from entities with the occupant's role") was assumed. Bob's
    // presence before the change now shows it (label broadcast): old warn (MUC-PRES-01, MUC-PRES-02) -> new skip. It
    // withholds presences of the case's own occupants from each other: applied in bench/try-case.ts only (`stream`).
    id: "muc.var.broadcast-moderators-only-no-field",
    description:
      'the room form offers no muc#roomconfig_presencebroadcast and the deployment broadcasts only moderators\' presence: no other occupant gets a presence of a participant or visitor (§5.1.1 gives the broadcast privileges as defaults, "an implementation MAY provide configuration options that override these defaults")',
    fault: () => "pass",
    stream: broadcastModeratorsOnly,
  },
  {
    // Thirty-fifth audit (2026-11-27): muc-pres-passthrough (and muc-pres-change, the same shape) judged bob's update
    // whatever his role, but §5.1.1's "Change Availability Status" is "Yes*" for a visitor ("configuration settings
    // MAY modify this privilege"), and an unaffiliated bob enters a moderated room as a visitor (§5.1.2). bob's
    // self-presence now records his role (label role), and the checks are after: role/other: old warn -> new skip.
    // It needs what clients send (the form) and rewrites every unaffiliated participant: bench/try-case.ts only.
    id: "muc.var.visitor-no-status-change",
    description:
      'rooms are moderated by default with no muc#roomconfig_moderatedroom in the form, so an unaffiliated occupant is a visitor (§5.1.2), and visitors may not change their availability status: such an update reaches no occupant (§5.1.1: "Change Availability Status | No | Yes* | Yes | Yes", "* Default; configuration settings MAY modify this privilege.")',
    fault: () => "pass",
    stream: visitorNoStatusChange(),
  },
  {
    // Thirty-third audit (2026-11-26): muc-owner-notice-absent's `none` alternative (no message from the room) took
    // the case's MUC-OWNER-NOTICE-01, so a room that never sends the notice passed that MAY ("the service MAY send a
    // message from the room itself to the room occupants") it did not take up; the rule is now cited on the notice
    // alone: old pass (NOTICE-01 pass) -> new pass (NOTICE-01 not reached, the grant's MUST alone), on Prosody 13.
    id: "muc-no-absent-affiliation-notice",
    description:
      'a room does not tell its occupants of an owner or admin change of a user who is not in the room (§10.3, §10.6, §10.7: "If the user is not in the room, the service MAY send a message from the room itself to the room occupants")',
    fault: (el) =>
      el.name === "message" && atService(el.attrs.from) && resourceOf(el.attrs.from) === undefined && !el.getChild("body") && !el.getChild("subject") && userX(el)?.getChild("item") ? [] : "pass", // left out, as a server that never sends it
  },
  // Nineteenth audit: muc-pres-revoked named bob in its voice revocation by the nickname he asked for (<item
  // nick='Bob'/>), where §7.2.2 lets the room give him another; the fixed cases name an occupant by ${room/Nick|nick}.
  // This room rewrites every roomnick and knows its occupants only by the nicknames it gave: the old case failed
  // MUC-MOD-VOICE-04 here, the fixed one passes. The proxy cannot change what clients send, so the rewriting is one
  // the server's resourceprep undoes (each ASCII character as its full-width form, NFKC's compatibility mapping):
  // what a client addresses to the nickname the room gave reaches the same occupant. Prosody preps an admin item's
  // nick, ejabberd compares it as sent, so it holds on Prosody only. It needs what clients send (`stream`,
  // bench/try-case.ts): the runs of every variation at once leave it out, as they do cases about the nickname asked
  // for itself (a reserved nickname, the new one of a nickname change), which this room would rewrite too.
  ((): Variation => {
    const rewrite = (nick: string) => nick.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    /** Occupant JIDs and the nicknames of items and actors, everywhere in a stanza from the service; whether any changed. */
    const rename = (e: Element): boolean => {
      let touched = false;
      for (const a of ["from", "jid"]) {
        const v = e.attrs[a];
        const nick = atService(v) ? resourceOf(v) : undefined;
        if (nick !== undefined && rewrite(nick) !== nick) {
          e.attrs[a] = `${bare(str(v))}/${rewrite(nick)}`;
          touched = true;
        }
      }
      if ((e.name === "item" || e.name === "actor") && e.attrs.nick !== undefined && rewrite(str(e.attrs.nick)) !== str(e.attrs.nick)) {
        e.attrs.nick = rewrite(str(e.attrs.nick));
        touched = true;
      }
      for (const c of e.getChildElements()) touched = rename(c) || touched;
      return touched;
    };
    /** Rooms each connection is in (connection id and room): its next self-presence enters with a rewritten nickname. */
    const inRoom = new Set<string>();
    const renamed = (el: Element, ctx: FaultContext): FaultAction => {
      if (harnessSession(ctx.conn.jid) || !atService(el.attrs.from)) return "pass";
      const self = occupantPresence(el) && hasStatus(el, "110");
      const key = `${ctx.conn.id} ${bare(str(el.attrs.from))}`;
      const nick = resourceOf(el.attrs.from) ?? "";
      const enters = self && el.attrs.type === undefined && !inRoom.has(key) && rewrite(nick) !== nick && !hasStatus(el, "210");
      if (self && el.attrs.type === undefined) inRoom.add(key);
      if (self && el.attrs.type === "unavailable") inRoom.delete(key); // left, or (303) changing nickname: the next one enters again
      let touched = false;
      const out = changed(el, (c) => {
        touched = rename(c);
        if (enters) userX(c)!.c("status", { code: "210" });
      });
      return touched || enters ? out : "pass";
    };
    /** Admin requests naming an occupant by a nickname the room did not give (connection id and request id). */
    const asked = new Set<string>();
    return {
      id: "muc.var.nick-rewritten",
      description:
        'the room rewrites every roomnick and says so with status code 210, and knows its occupants only by the nicknames it gave: an admin item naming an occupant by another nickname (the one asked for) gets <item-not-found/> (§7.2.2: "The service MAY rewrite the new occupant\'s roomnick (e.g., if roomnicks are locked down or based on some other policy)")',
      fault: () => "pass",
      only: "Prosody",
      stream: {
        fromClient: (el, ctx) => {
          const q = !harnessSession(ctx.conn.jid) && el.name === "iq" && atService(el.attrs.to) && resourceOf(el.attrs.to) === undefined ? adminQuery(el, "set") : undefined;
          if (itemsOf(q).some((i) => i.attrs.nick !== undefined && i.attrs.jid === undefined && rewrite(str(i.attrs.nick)) !== str(i.attrs.nick))) asked.add(`${ctx.conn.id} ${str(el.attrs.id)}`);
        },
        element: (el, ctx) => {
          if (el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") && asked.delete(`${ctx.conn.id} ${str(el.attrs.id)}`))
            return [
              new Element("iq", { type: "error", id: el.attrs.id, ...(el.attrs.from !== undefined && { from: el.attrs.from }), ...(el.attrs.to !== undefined && { to: el.attrs.to }) })
                .c("error", { type: "cancel" })
                .c("item-not-found", { xmlns: STANZAS })
                .root(),
            ];
          return ctx.conn.jid ? renamed(el, ctx) : "pass";
        },
      },
    };
  })(),
  (() => {
    // Seventy-first audit (round 71): muc-exit-ghost showed bob's removal by dave's entry as Bob, taking an available
    // presence from bob's occupant JID for dave's admission, so this room, which removes bob on his bounce and then
    // admits dave under another nickname (status 210), warned MUC-GHOST-01; dave now enters under his own nickname and
    // the roster before his self-presence shows bob gone: old warn (MUC-GHOST-01) -> new pass. As in
    // muc.var.nick-rewritten, the proxy cannot change what clients send, so the nickname given is one the server's
    // resourceprep undoes (full-width ASCII). It needs to see every occupant's presences: bench/try-case.ts only.
    const wide = (nick: string) => nick.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const left = new Set<string>(); // occupant JIDs (as the server has them) whose occupant left
    const reused = new Set<string>(); // occupant JIDs entered again after that: shown under the rewritten nickname
    return {
      id: "muc.var.nick-not-reused",
      description:
        'the room does not give a nickname again once its occupant has left (or been removed): a user entering with it gets another (its full-width form) and status code 210 (§7.2.2: "The service MAY rewrite the new occupant\'s roomnick (e.g., if roomnicks are locked down or based on some other policy).")',
      fault: () => "pass",
      stream: {
        element: (el, ctx) => {
          const from = str(el.attrs.from);
          const nick = resourceOf(from);
          if (harnessSession(ctx.conn.jid) || !atService(from) || nick === undefined || wide(nick) === nick) return "pass";
          if (el.name === "presence" && el.attrs.type === undefined && left.delete(from)) reused.add(from);
          if (!reused.has(from)) {
            if (occupantPresence(el) && el.attrs.type === "unavailable") left.add(from);
            return "pass";
          }
          return changed(el, (c) => {
            c.attrs.from = `${bare(from)}/${wide(nick)}`;
            if (el.attrs.type === undefined && hasStatus(el, "110") && !hasStatus(el, "210")) userX(c)!.c("status", { code: "210" });
          });
        },
      },
    };
  })(),
  (() => {
    // Fifty-third audit (2026-11-28): muc-owner-notice-absent: the notice's receives took the first room message with
    // the item whenever it came, so a room that tells its occupants of a grant to an occupant (hal's, which §10.6
    // neither asks for nor forbids) and not of the grant to a user outside the room (the MAY untaken) had
    // MUC-OWNER-NOTICE-01 credited by the message about hal; a set-up one of now takes such a message before dave's
    // grant: old notice (NOTICE-01 pass) -> new none (NOTICE-01 not credited).
    const seen = new Map<string, string>(); // "connection id occupant JID" -> the affiliation last shown
    const changedOccupants = new Set<string>(); // "connection id real bare JID" of occupants whose affiliation changed
    return {
      id: "muc.var.occupant-affiliation-message",
      description:
        'after an affiliation change naming a current occupant, the room also sends each occupant a message from the room with the item (its new affiliation and the occupant\'s JID), and sends no such message about a user outside the room (§10.6: "If the user is not in the room, the service MAY send a message from the room itself to the room occupants")',
      fault: (el, ctx) => {
        if (occupantPresence(el) && el.attrs.type === undefined && !hasStatus(el, "110")) {
          const item = itemOf(el);
          const affiliation = str(item?.attrs.affiliation);
          const key = `${ctx.conn.id} ${str(el.attrs.from)}`;
          const before = seen.get(key);
          seen.set(key, affiliation);
          if (before !== undefined && before !== affiliation && item?.attrs.jid !== undefined) {
            changedOccupants.add(`${ctx.conn.id} ${bare(str(item.attrs.jid))}`);
            const note = new Element("message", { from: bare(str(el.attrs.from)), ...(el.attrs.to !== undefined && { to: el.attrs.to }) });
            note.c("x", { xmlns: MUC_USER }).c("item", { affiliation, jid: bare(str(item.attrs.jid)) });
            return [el, note];
          }
          return "pass";
        }
        if (el.name === "message" && atService(el.attrs.from) && resourceOf(el.attrs.from) === undefined && !el.getChild("body") && itemOf(el)) {
          const jid = itemOf(el)!.attrs.jid;
          return jid !== undefined && changedOccupants.has(`${ctx.conn.id} ${bare(str(jid))}`) ? "pass" : [];
        }
        return "pass";
      },
    };
  })(),
  {
    // Fifty-fifth audit (2026-11-28): muc-msg-visitor required <forbidden/> for a visitor's groupchat message in a
    // moderated room (§7.4), but §18.1 lets the service "queue each message for approval by a moderator and MAY
    // inform the sender that the message is being held for approval" (the MUC-MSG-08 row's "instead"). The message is
    // still not reflected (the server's own handling); only the error the server sends for it is held back. The case
    // now takes that as its 'held' outcome: old fail (MUC-MSG-08) -> new pass (MUC-MSG-08 not reached), on Prosody 13.
    id: "muc.var.visitor-message-held",
    description:
      "a visitor's groupchat message in a moderated room is held for a moderator's approval (§18.1: \"a MUC service MAY queue each message for approval by a moderator and MAY inform the sender\"): it is not reflected and no error is sent",
    fault: () => "pass",
    stream: (() => {
      const sent = new Set<string>(); // "connection id" of a groupchat message a client sent to a room
      const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${str(id)}`;
      return {
        fromClient: (el, ctx) => {
          if (el.name === "message" && el.attrs.type === "groupchat" && atService(el.attrs.to) && el.attrs.id !== undefined && !harnessSession(ctx.conn.jid)) sent.add(key(ctx, el.attrs.id));
        },
        element: (el, ctx): FaultAction => {
          if (el.name !== "message" || el.attrs.type !== "error" || !atService(el.attrs.from) || !sent.has(key(ctx, el.attrs.id))) return "pass";
          return el.getChild("error")?.getChild("forbidden", STANZAS) ? "drop" : "pass";
        },
      };
    })(),
  },
];

/**
 * Fiftieth audit (2026-11-28): a revocation answered but not made. A case's muc#admin set that takes a user's
 * `affiliation` (one item, naming a bare JID, with another affiliation) gets the server's result, but the list of
 * `affiliation` asked afterwards names the user again. Who holds `affiliation` is what the proxy saw: the room's
 * creator (the first session to configure it) holds owner, and every muc#admin set (the harness's set-up grants
 * included) gives its users theirs; `self`: only a user's revocation of its own. (The proxy cannot keep the server from
 * making the change.)
 */
function revocationKept(affiliation: "owner" | "admin", self: boolean): StreamFault {
  const held = new Map<string, string>(); // "room user@domain" -> affiliation
  const asked = new Map<string, { room: string; jid: string }>(); // "connection id" -> the request's room and user
  const kept = new Set<string>(); // "room user@domain"
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${str(id)}`;
  const listed = answering(casesOwn(listRequest("affiliation", affiliation)), (answer): FaultAction => {
    const room = bare(str(answer.attrs.from));
    const q = adminQuery(answer, "result");
    const users = [...kept].filter((k) => k.startsWith(`${room} `)).map((k) => k.slice(room.length + 1));
    const missing = users.filter((u) => !itemsOf(q).some((i) => bare(str(i.attrs.jid)) === u));
    if (!q || missing.length === 0) return "pass";
    return changed(answer, (c) => {
      for (const u of missing) adminQuery(c, "result")!.c("item", { affiliation, jid: u });
    });
  });
  return both(listed, {
    fromClient: (el, ctx) => {
      if (el.name !== "iq" || el.attrs.type !== "set" || !atService(el.attrs.to) || resourceOf(el.attrs.to) !== undefined) return;
      const room = bare(str(el.attrs.to));
      if (el.getChild("query", "http://jabber.org/protocol/muc#owner") && ![...held].some(([k, a]) => k.startsWith(`${room} `) && a === "owner"))
        held.set(`${room} ${bare(str(ctx.conn.jid))}`, "owner");
      const items = itemsOf(adminQuery(el, "set")).filter((i) => i.attrs.jid !== undefined && i.attrs.affiliation !== undefined);
      const one = items.length === 1 ? items[0] : undefined;
      const jid = bare(str(one?.attrs.jid));
      const taken = one !== undefined && !harnessSession(ctx.conn.jid) && str(one.attrs.affiliation) !== affiliation && held.get(`${room} ${jid}`) === affiliation;
      if (taken && (!self || jid === bare(str(ctx.conn.jid)))) asked.set(key(ctx, el.attrs.id), { room, jid });
      else for (const i of items) held.set(`${room} ${bare(str(i.attrs.jid))}`, str(i.attrs.affiliation));
    },
    element: (el, ctx) => {
      const request = el.name === "iq" ? asked.get(key(ctx, el.attrs.id)) : undefined;
      if (request && (el.attrs.type === "result" || el.attrs.type === "error")) {
        asked.delete(key(ctx, el.attrs.id));
        if (el.attrs.type === "result") kept.add(`${request.room} ${request.jid}`);
      }
      return "pass";
    },
  });
}

/**
 * List sweep (2026-11-28): a role change to `role` (one item naming a nickname: a kick, a voice revocation) that the
 * room refuses with an error is carried out in silence: no presence says so (the server sends none), and from then on
 * the messages of that occupant JID the room reflects are dropped for every session, as a room that no longer holds
 * the occupant (or no longer lets it speak) would send none. (The proxy cannot make the server change the role.)
 */
function refusedRoleChangeSilent(role: string): StreamFault {
  const asked = new Map<string, string>(); // "connection id" -> "room/nick" the request names
  const gone = new Set<string>(); // "room/nick" changed in silence
  const key = (ctx: FaultContext, id: unknown) => `${ctx.conn.id} ${str(id)}`;
  return {
    fromClient: (el, ctx) => {
      if (harnessSession(ctx.conn.jid) || !single("role", role)(el)) return;
      const nick = str(itemsOf(adminQuery(el, "set"))[0].attrs.nick);
      if (nick) asked.set(key(ctx, el.attrs.id), `${bare(str(el.attrs.to))}/${nick}`);
    },
    element: (el, ctx) => {
      const request = el.name === "iq" ? asked.get(key(ctx, el.attrs.id)) : undefined;
      if (request && (el.attrs.type === "result" || el.attrs.type === "error")) {
        asked.delete(key(ctx, el.attrs.id));
        if (el.attrs.type === "error") gone.add(request);
        return "pass";
      }
      return el.name === "message" && el.attrs.type === "groupchat" && gone.has(str(el.attrs.from)) ? "drop" : "pass";
    },
  };
}
