import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { parsePattern } from "../match/pattern.ts";
import type { Scenario, SubscriptionState } from "../scenario/types.ts";
import type { Session } from "../xmpp/connections/session.ts";
import type { Participant } from "./participant.ts";
import { describeStanzaError } from "../xmpp/protocol/errors.ts";
import { barrier } from "./barrier.ts";
import { consume, findNow, waitFor } from "./expect.ts";
import { NS } from "../xmpp/wire/ns.ts";
import { PreconditionFailed } from "./case/errors.ts";

/** One side's view of a subscription, as RFC 6121 Appendix A keeps it (a pre-approval shows only in pushes the scenario checks). */
interface Side {
  to: boolean;
  from: boolean;
  ask: boolean;
}

type Act = { kind: "subscribe" | "subscribed"; by: "user" | "contact" } | { kind: "pre-approve"; by: "user" };
const subscribe = (by: "user" | "contact"): Act => ({ kind: "subscribe", by });
const approve = (by: "user" | "contact"): Act => ({ kind: "subscribed", by });

/** How each state is reached from none: the exchanges a client would make, in order (RFC 6121 §3). */
const RECIPES: Record<SubscriptionState, Act[]> = {
  none: [],
  "none+pending-out": [subscribe("user")],
  "none+pending-in": [subscribe("contact")],
  "none+pending-out+in": [subscribe("user"), subscribe("contact")],
  to: [subscribe("user"), approve("contact")],
  "to+pending-in": [subscribe("user"), approve("contact"), subscribe("contact")],
  from: [subscribe("contact"), approve("user")],
  "from+pending-out": [subscribe("contact"), approve("user"), subscribe("user")],
  both: [subscribe("user"), approve("contact"), subscribe("contact"), approve("user")],
  "pre-approved": [{ kind: "pre-approve", by: "user" }],
};

const subscription = (s: Side) => (s.to && s.from ? "both" : s.to ? "to" : s.from ? "from" : "none");

/** The state an owner's item for `jid` is in after an exchange, as RFC 6121 Appendix A says (for messages only). */
function stateOf(side: Side): string {
  const sub = subscription(side);
  return `subscription='${sub}'${side.ask ? " ask='subscribe'" : ""}`;
}

/**
 * The push that shows the server processed an exchange: a roster push for the item, whatever it says. What it
 * must say (subscription, ask) is what the subscription cases judge; set-up must not wait for it, or a server
 * that gets it wrong would make every case that starts from a subscription an error instead of a verdict.
 */
const pushFor = (jid: string) => `<iq type='set'><query xmlns='${NS.roster}'><item jid='${jid}'/></query></iq>`;

/** A party to the fixtures: a set-up session, or a user of the harness's remote server (it sends, it has no roster). */
type FixtureParty = Participant & { send(el: Element): Promise<void> };

/**
 * Puts the scenario's accounts where the RFC text starts: roster items first (so a later subscription
 * keeps their name and groups), then each subscription state, waiting for every push each exchange causes.
 * `setup` holds one connected, roster-interested session per account involved (no presence sent), or for a
 * user of the remote server that user: its acts are stanzas the remote server sends, and it gets no pushes.
 */
export async function applyFixtures(sc: Scenario, setup: Map<string, Session | FixtureParty>, jids: Record<string, string>, timeoutMs: number): Promise<void> {
  const fail = (what: string) => {
    throw new Error(`set-up: ${what}`);
  };
  // The server's answer, the same on every attempt: a precondition it did not give (a skip naming it), not the harness's error.
  const notGiven = (step: string, what: string, signature: string) => {
    throw new PreconditionFailed({ step, answer: what }, signature, `the server did not give the precondition '${step}': ${what}`);
  };
  const remote = new Set(sc.accounts.filter((a) => a.domain === "remote").map((a) => a.name));
  for (const item of sc.roster) {
    const jid = jids[item.jid] ?? item.jid;
    const el = xml(
      "iq",
      { type: "set" },
      xml("query", { xmlns: NS.roster }, xml("item", { jid, ...(item.name !== undefined && { name: item.name }) }, ...item.groups.map((g) => xml("group", {}, g)))),
    );
    const reply = await (setup.get(item.owner) as Session).request(el, timeoutMs); // the loader keeps roster owners off the remote server
    if (reply.attrs.type !== "result") fail(`${item.owner} could not add ${jid} to the roster: ${describeStanzaError(reply)}`);
  }
  for (const sub of sc.subscriptions) {
    const sides = { user: { to: false, from: false, ask: false }, contact: { to: false, from: false, ask: false } };
    const name = { user: sub.user, contact: sub.contact };
    // Decided by a barrier from both set-up sessions: a push that is not coming fails the set-up at once.
    const expectPush = async (who: "user" | "contact", why: string) => {
      if (remote.has(name[who])) return; // the remote server keeps no roster: nothing is pushed to it
      const other = who === "user" ? "contact" : "user";
      const s = setup.get(name[who])!;
      const pattern = parsePattern(pushFor(jids[name[other]]));
      const { found } = await waitFor(
        s,
        () => findNow(s.inbox.items, [pattern], "one", {}),
        timeoutMs,
        (signal) => barrier([s], [...setup.values()], timeoutMs, 0, signal),
      );
      if (found) return consume(found);
      const last = s.inbox.items.filter((r) => !r.consumed).at(-1);
      notGiven(
        `${why}: ${name[who]} gets a roster push for ${name[other]} (${stateOf(sides[who])})`,
        `no roster push came${last ? `; last stanza: ${last.el.toString()}` : ""}`,
        `fixture ${why} ${who}`,
      );
    };
    for (const act of RECIPES[sub.state]) {
      const by = act.by;
      const other = by === "user" ? "contact" : "user";
      const [from, to] = [setup.get(name[by])!, setup.get(name[other])!];
      const why = `reaching '${sub.state}' for ${sub.user} -> ${sub.contact}, ${name[by]} sent ${act.kind === "pre-approve" ? "subscribed (pre-approval)" : act.kind}`;
      if (act.kind === "subscribe") {
        await from.send(xml("presence", { to: jids[name[other]], type: "subscribe" }));
        sides[by].ask = true;
        await expectPush(by, why);
        // The contact's pending-in is invisible: a marker from the requester proves the server processed it.
        await barrier([to], [from], timeoutMs);
      } else if (act.kind === "subscribed") {
        await from.send(xml("presence", { to: jids[name[other]], type: "subscribed" }));
        sides[by].from = true;
        sides[other].to = true;
        sides[other].ask = false;
        await expectPush(by, why);
        await expectPush(other, why);
      } else {
        await from.send(xml("presence", { to: jids[name[other]], type: "subscribed" }));
        await expectPush(by, why);
      }
    }
  }
}
