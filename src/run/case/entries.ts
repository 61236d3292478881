import type { Bindings } from "../../match/template.ts";
import { NS } from "../../xmpp/wire/ns.ts";
import type { Received } from "../../xmpp/connections/inbox.ts";

/** What a session received, as far as entries look at it. */
type Arrivals = { readonly items: Received[] };

/**
 * The occupant JID a room gave each entry. XEP-0045 §7.2.2: "The service MAY rewrite the new occupant's roomnick
 * (e.g., if roomnicks are locked down or based on some other policy)"; the self-presence comes from the JID it
 * chose, with status 110, or 210 where the nickname was rewritten ("include a status code of "210" in the presence
 * broadcast that it sends to the new occupant"). A step sending presence to `${room/Nick}` (the loader marks it:
 * `enters`) waits here for that self-presence, and where it names another nickname, `${room/Nick}` is that JID for
 * the rest of the case: a case means the occupant who asked for Nick, whatever the room called it. `${room}/Nick`
 * stays the nickname asked for.
 */
export class Entries {
  private pending: { key: string; room: string; nick: string; inbox: Arrivals; from: number }[] = [];
  /** Whose each placeholder is: the session that entered as it first (another's attempt at the nickname is no entry). */
  private readonly owners = new Map<string, Arrivals>();

  /** `key` ("lobby/Bob") was asked for on the session whose arrivals these are, as `room`/Nick. */
  expect(key: string, room: string, inbox: Arrivals): void {
    if ((this.owners.get(key) ?? inbox) !== inbox) return;
    this.owners.set(key, inbox);
    const nick = key.slice(key.indexOf("/") + 1);
    this.pending = [...this.pending.filter((p) => p.key !== key), { key, room, nick, inbox, from: inbox.items.length }];
  }

  /**
   * Binds each entry whose self-presence has come from another nickname than the one asked for; an entry the room
   * refused (a presence error) binds nothing.
   */
  settle(bindings: Bindings): void {
    if (this.pending.length === 0) return;
    this.pending = this.pending.filter((p) => {
      const answer = p.inbox.items.slice(p.from).find(({ el }) => {
        const from = String(el.attrs.from ?? "");
        if (el.name !== "presence" || (from !== p.room && !from.startsWith(`${p.room}/`))) return false;
        if (el.attrs.type === "error") return true;
        // 110 marks the self-presence; 210 (the room changed the nickname) is sent to the new occupant alone, so it
        // marks it too where a room leaves 110 out (MUC-JOIN-06's breach, not the case's to be misled by).
        return el.attrs.type === undefined && (el.getChild("x", NS.mucUser)?.getChildren("status") ?? []).some((s) => s.attrs.code === "110" || s.attrs.code === "210");
      });
      if (!answer) return true;
      const from = String(answer.el.attrs.from);
      if (answer.el.attrs.type === undefined && from !== `${p.room}/${p.nick}`) bindings[p.key] = from;
      return false;
    });
  }
}
