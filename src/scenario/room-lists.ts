import { NS } from "../xmpp/wire/ns.ts";
import { positivesOf, sentBy } from "./kinds.ts";
import { rootElement } from "./root-element.ts";
import type { Affiliation, RoomSpec, Step } from "./types.ts";

/** The muc#admin items of an IQ, written as a pattern or as a request. */
const adminItems = (xml: string) => rootElement(xml)?.getChild("query", NS.mucAdmin)?.getChildren("item") ?? [];

/**
 * The grants of room `room` that the case's own steps judge: the accounts granted an affiliation whose list the steps
 * ask the room for (XEP-0045 §9, §10: an IQ get with a muc#admin <item affiliation='...'/>) and whose JID an item of
 * a list they expect names. Set-up does not read those back as the precondition of its grants: a list leaving one out is
 * then the case's failure, not a skip. The others are still read back (a case that only rests on them), and so are those
 * whose affiliation a step asks to change: the list then judges that request, not the grant.
 */
export function grantsJudgedBy(room: Pick<RoomSpec, "name" | "affiliations">, steps: Step[]): string[] {
  const asked = new Set<Affiliation>();
  // Accounts whose affiliation a step asks to change: a list naming one of them judges that request (granted or
  // refused) against the set-up grant, which set-up must then have shown made (muc-admin-auth's refused revocation).
  const changed = new Set<string>();
  for (const xml of steps.flatMap(sentBy)) {
    const el = rootElement(xml);
    if (el?.name !== "iq" || el.attrs.to !== `\${${room.name}}`) continue;
    if (el.attrs.type === "get") for (const item of adminItems(xml)) asked.add(item.attrs.affiliation as Affiliation);
    if (el.attrs.type === "set") for (const item of adminItems(xml)) changed.add(item.attrs.jid);
  }
  // The lists the case expects: the JIDs its muc#admin items name ('one of' gives its alternatives' patterns). An item
  // the list must not hold (xc:absent) judges a grant lifted, which set-up must then have shown made.
  const named = new Set(
    steps
      .flatMap(positivesOf)
      .flatMap(adminItems)
      .filter((item) => item.attrs["xc:absent"] === undefined)
      .map((item) => item.attrs.jid),
  );
  return Object.entries(room.affiliations)
    .filter(([account, affiliation]) => asked.has(affiliation) && named.has(`\${${account}}`) && !changed.has(`\${${account}}`))
    .map(([account]) => account);
}
