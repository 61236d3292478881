import xml from "@xmpp/xml";
import { parse, type Element } from "ltx";
import { bare, type Fault, type FaultAction, type StreamFault } from "./fault-proxy.ts";
import { XEP_VARIATIONS } from "./xep/index.ts";

/**
 * Behaviours a correct server may show that Prosody and ejabberd happen not to, each made by the fault proxy
 * from a real server and each tied to the rule that allows it. The suite must give the same verdicts with
 * them as without: an assertion that fails on one of them asserts more than the RFC requires.
 */
export interface Variation {
  id: string;
  /** What the server does differently, and the rule that allows it. */
  description: string;
  fault: Fault;
  /**
   * What it must see of what clients send (a room's configuration form, a message it refuses), for a variation
   * that cannot tell its case from what the server sends: bench/try-case.ts applies it with `fault`; the runs of
   * every variation at once do not, and such a variation's `fault` then changes nothing.
   */
  stream?: StreamFault;
  /** Set where it changes what only that server sends: the other server's run is not expected to use it. */
  only?: Server;
}

export type Server = "Prosody" | "ejabberd";

const ROSTER = "jabber:iq:roster";

const copyOf = (el: Element) => parse(el.toString()) as Element;
const elements = (el: Element) => el.children.filter((c): c is Element => typeof c !== "string");
/** Sent by the server itself or on behalf of an account (no 'from', a domain, a bare JID), not routed from a client. */
const serverMade = (el: Element) => !String(el.attrs.from ?? "").includes("/");
const isPush = (el: Element) => el.name === "iq" && el.attrs.type === "set" && Boolean(el.getChild("query", ROSTER)) && serverMade(el);
const rosterQuery = (el: Element) => (el.name === "iq" ? el.getChild("query", ROSTER) : undefined);
const edit =
  (test: (el: Element) => boolean, change: (copy: Element) => void): Fault =>
  (el) => {
    if (!test(el)) return "pass";
    const copy = copyOf(el);
    change(copy);
    return [copy];
  };

/** Moves an element and its descendants in its own namespace to a prefix declared on it (or on `declareOn`). */
function prefixed(el: Element, prefix: string, declareOn: Element = el): void {
  const ns = el.attrs.xmlns as string;
  const rename = (e: Element) => {
    if (e.attrs.xmlns !== undefined && e !== el) return; // a child in another namespace keeps its own
    e.name = `${prefix}:${e.name}`;
    for (const c of elements(e)) rename(c);
  };
  delete el.attrs.xmlns;
  declareOn.attrs[`xmlns:${prefix}`] = ns;
  rename(el);
}

/** XML text of an element written differently from ltx: attributes reversed in single quotes, empty elements opened and closed. */
function rewritten(el: Element): string {
  const esc = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/'/g, "&apos;");
  const attrs = Object.entries(el.attrs)
    .filter(([, v]) => v !== undefined && v !== null)
    .reverse()
    .map(([k, v]) => ` ${k}='${esc(String(v))}'`)
    .join("");
  const inner = el.children.map((c) => (typeof c === "string" ? c.replace(/&/g, "&amp;").replace(/</g, "&lt;") : rewritten(c))).join("");
  return `<${el.name}${attrs}>${inner}</${el.name}>`;
}

const RFC_VARIATIONS: Variation[] = [
  {
    id: "stored-without-delay",
    description: "messages kept in offline storage are delivered without an XEP-0203 <delay/> (RFC 6121 §8.5.2.2.1: the server SHOULD 'add the message to offline storage'; no stamp is asked for)",
    // Offline storage only: a multi-user chat room's history is XEP-0045 §7.2.13's, whose <delay/> is a rule.
    fault: edit(
      (el) => el.name === "message" && el.attrs.type !== "groupchat" && Boolean(el.getChild("delay", "urn:xmpp:delay")),
      (c) => c.remove(c.getChild("delay", "urn:xmpp:delay")!),
    ),
  },
  {
    id: "no-to-on-generated",
    description: "results, errors and roster pushes the server makes itself carry no 'to' (RFC 6120 §8.1.1.1: a stanza the server generates MAY include a 'to' address)",
    // Not a request of the server's own (XEP-0115 §6.2 wants the 'to' of its caps queries): what the description says.
    fault: edit(
      (el) => el.name === "iq" && serverMade(el) && el.attrs.to !== undefined && (el.attrs.type === "result" || el.attrs.type === "error" || Boolean(rosterQuery(el))),
      (c) => delete c.attrs.to,
    ),
  },
  {
    id: "account-from-either-way",
    description:
      "IQs the server sends on behalf of the user's account carry the account's bare JID as 'from' where the server left it out, and none where it put it (RFC 6120 §8.1.2.1 rule 2: \"the stanza MUST either (a) not include a 'from' attribute or (b) include a 'from' attribute whose value is the account's bare JID\")",
    fault: (el, ctx) =>
      edit(
        (x) => x.name === "iq" && (x.attrs.from === undefined || x.attrs.from === bare(ctx.conn.jid)),
        (c) => {
          if (c.attrs.from === undefined) c.attrs.from = bare(ctx.conn.jid);
          else delete c.attrs.from;
        },
      )(el, ctx),
  },
  {
    id: "ver-only-when-versioning",
    description: "roster results and pushes carry 'ver' only for a resource that enabled versioning by sending 'ver' (RFC 6121 §2.6.3: a MUST when versioning is enabled, a SHOULD otherwise)",
    fault: (el, { conn }) => {
      const q = rosterQuery(el);
      if (!q || conn.versioning || q.attrs.ver === undefined) return "pass";
      const copy = copyOf(el);
      delete rosterQuery(copy)!.attrs.ver;
      return [copy];
    },
  },
  {
    id: "prefixed-namespaces",
    description: "the roster <query/>, stanza error conditions and delay stamps use a namespace prefix instead of a default namespace (XML Namespaces: an element is its namespace and local name)",
    fault: (el) => {
      const targets = (c: Element) => [
        ...(rosterQuery(c) ? [{ e: rosterQuery(c)!, p: "r", on: c }] : []),
        ...(c
          .getChild("error")
          ?.children.filter((x): x is Element => typeof x !== "string" && x.attrs.xmlns === "urn:ietf:params:xml:ns:xmpp-stanzas")
          .map((e) => ({ e, p: "s", on: e })) ?? []),
        ...(c.getChild("delay", "urn:xmpp:delay") ? [{ e: c.getChild("delay", "urn:xmpp:delay")!, p: "d", on: c }] : []),
      ];
      if (targets(el).length === 0) return "pass";
      const copy = copyOf(el);
      // the roster prefix is declared on the <iq/>, the others on the element itself
      for (const { e, p, on } of targets(copy)) prefixed(e, p, on);
      return [copy];
    },
  },
  {
    id: "other-ids-on-generated",
    description: "roster pushes carry ids of the server's own making (RFC 6120 §8.1.3: the originating entity chooses the 'id')",
    fault: (() => {
      let n = 0;
      return edit(isPush, (c) => (c.attrs.id = `variation-push-${++n}`));
    })(),
  },
  {
    // 'priority' was compared as a string ('0', a captured value, 300), though RFC 6120's schema types it xs:byte,
    // whose lexical forms include a sign and leading zeros. Compared by value now ({int:N}).
    id: "priority-lexical",
    description:
      "every <priority/> the server sends is written with a sign and a leading zero, its value unchanged (RFC 6120's schema: <xs:element name='priority' type='xs:byte'/>; XML Schema's byte allows an optional sign and leading zeros)",
    fault: edit(
      (el) => el.name === "presence" && /^-?[0-9]+$/.test(el.getChildText("priority") ?? ""),
      (c) => {
        const p = c.getChild("priority")!;
        const v = p.getText();
        p.children = [v.startsWith("-") ? `-0${v.slice(1)}` : `+0${v}`];
      },
    ),
  },
  {
    id: "subscribe-ack",
    description: "the contact's server acknowledges a subscription request with unavailable presence from the contact's bare JID (RFC 6121 §3.1.3: it MAY)",
    fault: (el, { conn, peers }) => {
      if (el.name !== "presence" || el.attrs.type !== "subscribe") return "pass";
      for (const p of peers()) {
        if (bare(p.jid) === bare(el.attrs.from) && p.available) p.deliver(xml("presence", { from: bare(conn.jid), to: bare(p.jid), type: "unavailable" }));
      }
      return [el];
    },
  },
];

/** Last: it writes the stanza as text, which the variations after it would no longer see. */
const SERIALISATION: Variation = {
  id: "serialisation",
  description:
    "stanzas written with attributes in another order, in single quotes, empty elements as start and end tags, and whitespace between stanzas (XML 1.0; RFC 6120 §11.7 allows whitespace between stanzas)",
  fault: (el) => [`\n  ${rewritten(el)}\n`],
};

export const VARIATIONS: Variation[] = [...RFC_VARIATIONS, ...XEP_VARIATIONS, SERIALISATION];

/** The variations combined, each counted in `used` whenever it changes a stanza (a variation never used proves nothing). */
export function combineCounted(variations: Variation[], used: Map<string, number>): Fault {
  return combine(
    variations.map((v) => (el, ctx) => {
      const action = v.fault(el, ctx);
      if (action !== "pass") used.set(v.id, (used.get(v.id) ?? 0) + 1);
      return action;
    }),
  );
}

/** The variations one after another on each stanza: each sees what the previous ones made of it. */
export function combine(faults: Fault[]): Fault {
  return (stanza, ctx) => {
    let out: (Element | string)[] = [stanza];
    for (const fault of faults) {
      out = out.flatMap((x): (Element | string)[] => {
        if (typeof x === "string") return [x];
        const action: FaultAction = fault(x, ctx);
        if (action === "pass") return [x];
        if (action === "drop" || action === "disconnect") throw new Error(`a variation may not ${action}`);
        return action;
      });
    }
    return out;
  };
}

/**
 * The variations combined with their stream parts (bench/variations.ts): every one sees what clients send and the
 * server's headers and closing tags in turn, and each element as the previous ones left it, through its stream's
 * element hook where it has one, else its stanza fault (on a bound session only, as the proxy applies it). A
 * variation that drops an element ends its way. Each is counted in `used` whenever it changes something.
 */
export function combineStreams(variations: Variation[], used: Map<string, number>): StreamFault {
  const count = (v: Variation) => used.set(v.id, (used.get(v.id) ?? 0) + 1);
  return {
    fromClient: (el, ctx) => variations.forEach((v) => v.stream?.fromClient?.(el, ctx)),
    header: (raw, ctx) => variations.reduce((h, v) => v.stream?.header?.(h, ctx) ?? h, raw),
    close: (ctx) => variations.reduce<string | undefined>((c, v) => v.stream?.close?.(ctx) ?? c, undefined) ?? "</stream:stream>",
    holdOpen: (ctx) => variations.some((v) => v.stream?.holdOpen?.(ctx)),
    element: (stanza, ctx) => {
      let out: (Element | string)[] = [stanza];
      for (const v of variations) {
        const step = v.stream?.element ?? (ctx.conn.jid ? v.fault : undefined);
        if (!step) continue;
        const next: (Element | string)[] = [];
        for (const x of out) {
          if (typeof x === "string") {
            next.push(x);
            continue;
          }
          const action = step(x, ctx);
          if (action === "pass") next.push(x);
          else {
            count(v);
            if (action === "disconnect") return action;
            if (action !== "drop") next.push(...action);
          }
        }
        out = next;
      }
      return out.length === 1 && out[0] === stanza ? "pass" : out;
    },
  };
}
