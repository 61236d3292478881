import { CROSS } from "../scenario/ids.ts";
import { placeholdersIn } from "../match/template.ts";
import { addressedBy } from "../scenario/kinds.ts";
import type { Scenario, Step } from "../scenario/types.ts";

/**
 * Cross-domain variants (docs/scenario-language.md, Two servers): the single-server cases again with the contact on the second
 * server of a pair, generated here rather than written twice.
 *
 * - The first account is the user whose server the case is about; every other account moves to domain b.
 *   Both directions come from running both pair orders, not from more variants.
 * - A variant exists only where a stanza crosses: a step sends a stanza to an account of the other side or
 *   expects one from it, or a subscription fixture joins the two sides. Roster items that merely name the
 *   contact do not count: roster management (RFC 6121 §2) never contacts the item's server.
 * - JIDs built from ${domain} are no accounts and stay on a.
 */

/** A case and its variant, or the reason it has none (for people: `list --cross-domain`). */
export type CrossDomain = { variant: Scenario } | { why: string };

/** The account a placeholder names: ${bob} and ${bob/b1} name bob; ${domain} or a capture none. */
const accountOf = (placeholder: string, accounts: Set<string>) => {
  const name = placeholder.split("/")[0];
  return accounts.has(name) ? name : undefined;
};

/** The accounts and rooms named in the `to` and `from` of a stanza's top-level element (not in its children: a roster item names, it does not route). */
function addressed(xml: string, accounts: Set<string>): string[] {
  const attrs = /^\s*<[^\s>/]+([^>]*)>/.exec(xml)?.[1] ?? "";
  return [...attrs.matchAll(/\b(?:to|from)\s*=\s*(['"])(.*?)\1/g)].flatMap((m) => placeholdersIn(m[2]).flatMap((p) => accountOf(p, accounts) ?? []));
}

/** Whether a stanza of the steps goes between an actor on one side and an account on the other. */
function crosses(steps: Step[], sideOf: (account: string) => string, accounts: Set<string>): boolean {
  return steps.some((step) => {
    if (step.kind === "one-of")
      return crosses(
        step.alternatives.flatMap((a) => a.steps),
        sideOf,
        accounts,
      );
    const actors = step.actor.split(", ").map((a) => a.split("/")[0]);
    return addressedBy(step).some((xml) => addressed(xml, accounts).some((other) => actors.some((actor) => sideOf(actor) !== sideOf(other))));
  });
}

/** The cross-domain variant of a case, or why it has none. */
export function crossDomain(sc: Scenario): CrossDomain {
  if (sc.accounts.some((a) => a.domain === "remote")) return { why: "its contact is a user of the harness's scripted remote server" };
  if (sc.accounts.some((a) => a.domain !== "a")) return { why: "written for two servers already" };
  if (sc.connections.length > 0) return { why: "a stream-level case (raw connections): about one server's streams" };
  if (sc.accounts.length < 2) return { why: "one account: nothing to put on another server (JIDs built from ${domain} are not accounts)" };
  const [user, ...moved] = sc.accounts.map((a) => a.name);
  // A room is on the MUC service of the user's server: an occupant on b enters and talks to it across.
  const rooms = new Set(sc.rooms.map((r) => r.name));
  const sideOf = (name: string) => (name === user || rooms.has(name) ? "a" : "b");
  const named = new Set([...sc.accounts.map((a) => a.name), ...rooms]);
  const joined = sc.subscriptions.some((s) => sideOf(s.user) !== sideOf(s.contact)) || sc.rooms.some((r) => sideOf(r.owner) !== "a");
  if (!joined && !crosses(sc.steps, sideOf, named)) {
    return { why: "no stanza would cross: the other accounts are only named (roster items), never sent to or heard from" };
  }
  return {
    variant: {
      ...sc,
      id: `${sc.id}${CROSS}`,
      accounts: sc.accounts.map((a) => (a.name === user ? a : { ...a, domain: "b" })),
      variant: { name: "cross", of: sc.id, moved },
    },
  };
}

/** The plan with each case followed by its variant, where it has one (the verdicts side by side in every report). */
export function withCrossDomain(plan: Scenario[]): Scenario[] {
  return plan.flatMap((sc) => {
    const x = crossDomain(sc);
    return "variant" in x ? [sc, x.variant] : [sc];
  });
}
