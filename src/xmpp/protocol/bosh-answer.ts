import { parse, type Element } from "ltx";
import { SaxesParser } from "saxes";
import type { AnswerCheck } from "../../scenario/types.ts";
import type { BoshAnswer, BoshExchange } from "../connections/bosh-client.ts";
import { standalone } from "../wire/bosh.ts";
import { NS } from "../wire/ns.ts";

export const HTTPBIND = "http://jabber.org/protocol/httpbind";

/** XEP-0124 §7.2: the attributes of the session creation response, which "SHOULD NOT be included in any other responses". */
const SESSION_ATTRIBUTES = ["sid", "wait", "requests", "ver", "polling", "inactivity", "hold"];

/**
 * How an answer's text reads as XML 1.0 (a strict parser: ltx takes a repeated attribute or a comment without a
 * word), and what XEP-0124 §6 forbids in a `<body/>`'s content: comments, processing instructions, DTD subsets.
 * Namespaces in XML are only a SHOULD there, so prefixes are not resolved.
 */
function readXml(text: string): { error?: string; markup: string[]; characterData: boolean } {
  const markup: string[] = [];
  let depth = 0;
  let characterData = false;
  const p = new SaxesParser({ xmlns: false });
  p.on("comment", () => markup.push("a comment"));
  p.on("processinginstruction", (pi) => markup.push(`a processing instruction <?${pi.target}?>`));
  p.on("doctype", () => markup.push("a DTD"));
  p.on("opentag", () => depth++);
  p.on("closetag", () => depth--);
  p.on("text", (t) => (characterData ||= depth === 1 && t.length > 0));
  try {
    p.write(text).close();
    return { markup, characterData };
  } catch (err) {
    return { error: (err as Error).message, markup, characterData };
  }
}

/**
 * The answer's `<body/>` as patterns match it: its payloads read as XEP-0206 §2 says (a stanza without a namespace
 * of its own is 'jabber:client', the wrapper's prefix declarations carried down); why not, when it is no XML.
 */
export function bodyOf(answer: BoshAnswer): Element | string {
  let el: Element;
  try {
    el = parse(answer.text) as Element;
  } catch (err) {
    return `the answer is no XML document (${(err as Error).message})`;
  }
  const body = parse(el.toString()) as Element;
  body.children = el.children.map((c) => (typeof c === "string" ? c : standalone(c, el)));
  return body;
}

/**
 * A request as a case wrote it, made what it means: of BOSH's namespace unless it names another, its unqualified
 * payloads 'jabber:client' (XEP-0206 §2). What does not parse goes as written.
 */
export function boshRequest(text: string): string {
  let el: Element;
  try {
    el = parse(text) as Element;
  } catch {
    return text;
  }
  if (el.attrs.xmlns === undefined && !el.name.includes(":")) el.attrs.xmlns = HTTPBIND;
  for (const c of el.children) if (typeof c !== "string" && c.attrs.xmlns === undefined && !c.name.includes(":")) c.attrs.xmlns = NS.client;
  return el.toString();
}

/**
 * A `<body/>` pattern as written, read the way answers are: BOSH's namespace unless it names another, its payloads
 * 'jabber:client' unless they name theirs.
 */
export function bodyPattern(pattern: Element): Element {
  if (pattern.attrs.xmlns === undefined && !pattern.name.includes(":")) pattern.attrs.xmlns = HTTPBIND;
  pattern.children = pattern.children.map((c) => (typeof c === "string" ? c : standalone(c, pattern)));
  return pattern;
}

/** The start of a `<body/>` element (any prefix), after an XML declaration if there is one. */
const BODY_START = /^\s*(<\?xml\b[^>]*\?>\s*)?<([A-Za-z_][\w.-]*:)?body[\s/>]/;

/**
 * Why an answer is no `<body/>` of BOSH's namespace (XEP-0124 §8: "an HTTP 200 OK response with a <body/> element"),
 * or undefined. An answer that starts as a `<body/>` but is not XML is §6's to judge ('well-formed'), not this rule's.
 */
function notBody(answer: BoshAnswer): string | undefined {
  const el = bodyOf(answer);
  if (typeof el !== "string") return el.is("body", HTTPBIND) ? undefined : `<${el.name}/> of ${el.getNS() ?? "no namespace"}, not a <body/> of ${HTTPBIND}`;
  if (BODY_START.test(answer.text)) return undefined;
  return answer.text.trim() === "" ? "an empty entity, no <body/> element" : `no <body/> element: ${el}`;
}

type Answered = BoshExchange & { answer: BoshAnswer };
const answered = (e: BoshExchange): e is Answered => e.answer !== undefined && !("failed" in e.answer);

/** Why an answer breaks each check of 'receives answers' (XEP-0124 §5, §6, §7.2, §8, §14.2), or undefined. */
export const ANSWER_PROBLEMS: Record<AnswerCheck, (exchange: Answered, all: BoshExchange[]) => string | undefined> = {
  http: (_, all) => {
    const failed = all.find((e) => e.answer !== undefined && "failed" in e.answer);
    return failed && failed.answer && "failed" in failed.answer ? `the request rid ${failed.rid ?? "(none)"} got no HTTP answer: ${failed.answer.failed}` : undefined;
  },
  // XEP-0124 §8: both halves, the status and the <body/> (an answer that is none has no XML of a <body/> to judge
  // under §6 either: 'well-formed' leaves it to this check, so that it fails one rule).
  ok: ({ answer }) => (answer.status === 200 ? notBody(answer) : `HTTP ${answer.status}, not 200 OK`),
  // XEP-0124 §6: "The <body/> element and its content together MUST conform to the specifications set out in XML
  // 1.0", of an answer that is a <body/> (its start tag); whether it is one at all is §8's ('ok').
  "well-formed": ({ answer }) => {
    if (!BODY_START.test(answer.text)) return undefined;
    const { error } = readXml(answer.text);
    return error ? `not well-formed XML 1.0: ${error}` : undefined;
  },
  "no-character-data": ({ answer }) => (readXml(answer.text).characterData ? "character data directly inside <body/>" : undefined),
  "no-markup-declarations": ({ answer }) => {
    const { markup } = readXml(answer.text);
    return markup.length > 0 ? `${markup[0]} in the answer` : undefined;
  },
  "not-chunked": ({ answer }) => (/\bchunked\b/i.test(answer.headers["transfer-encoding"] ?? "") ? `Transfer-Encoding: ${answer.headers["transfer-encoding"]}` : undefined),
  "session-attributes-once": (exchange, all) => {
    if (exchange === all.find(answered)) return undefined;
    const el = bodyOf(exchange.answer);
    const extra = typeof el === "string" ? [] : SESSION_ATTRIBUTES.filter((n) => el.attrs[n] !== undefined);
    return extra.length > 0 ? `'${extra.join("', '")}' on an answer after the session creation response` : undefined;
  },
  "ack-throughout": (exchange, all) => {
    const ack = (e: Answered) => {
      const el = bodyOf(e.answer);
      return typeof el === "string" ? undefined : el.attrs.ack;
    };
    const acking = all.filter(answered).filter((e) => ack(e) !== undefined);
    if (acking.length === 0) return undefined;
    const creation = all.find(answered);
    if (creation && ack(creation) === undefined) return `'ack' on the answer to rid ${acking[0].rid ?? "(none)"} but not on the session creation response`;
    if (ack(exchange) !== undefined || exchange === creation) return undefined;
    // §9.1's one exception: no 'ack' where it would be the 'rid' being answered (no later request had been made).
    const later = all.find((e) => Number(e.rid) > Number(exchange.rid) && e.postedAt < exchange.answer.at);
    return later ? `no 'ack', though rid ${later.rid} had been posted before this answer came` : undefined;
  },
  "stream-namespace-on-body": ({ answer }) => {
    let el: Element;
    try {
      el = parse(answer.text) as Element;
    } catch {
      return undefined;
    }
    const streamChild = el.children.find((c): c is Element => typeof c !== "string" && c.getNS() === NS.stream);
    return streamChild && el.attrs["xmlns:stream"] !== NS.stream ? `<${streamChild.name}/> in a <body/> that does not declare xmlns:stream='${NS.stream}'` : undefined;
  },
  "xmpp-payloads": ({ answer }) => {
    const el = bodyOf(answer);
    if (typeof el === "string") return undefined;
    const kids = el.children.filter((c): c is Element => typeof c !== "string");
    if (kids.length === 0) return undefined;
    const kind = (c: Element) =>
      c.getNS() === NS.stream && c.getName() === "features"
        ? "features"
        : c.getNS() === NS.stream && c.getName() === "error"
          ? "error"
          : c.getNS() === NS.sasl
            ? "sasl"
            : c.getNS() === NS.client && ["message", "presence", "iq"].includes(c.getName())
              ? "stanza"
              : "other";
    const kinds = kids.map(kind);
    // XEP-0206 §2's forms: the features alone, one SASL element, stanzas, or stanzas and then a stream error.
    const stanzas = (ks: string[]) => ks.every((k) => k === "stanza");
    const fits = (kinds.length === 1 && (kinds[0] === "features" || kinds[0] === "sasl")) || stanzas(kinds) || (kinds.at(-1) === "error" && stanzas(kinds.slice(0, -1)));
    return fits ? undefined : `payloads that are none of XEP-0206 §2's forms: ${kids.map((c) => `<${c.name}/>`).join(", ")}`;
  },
  "stream-error-last": ({ answer }) => {
    const el = bodyOf(answer);
    if (typeof el === "string") return undefined;
    const kids = el.children.filter((c): c is Element => typeof c !== "string");
    const at = kids.findIndex((c) => c.getNS() === NS.stream && c.getName() === "error");
    return at >= 0 && at !== kids.length - 1 ? `<stream:error/> followed by <${kids[at + 1].name}/>` : undefined;
  },
  "in-rid-order": (exchange, all) => {
    const later = all.filter(answered).find((e) => Number(e.rid) > Number(exchange.rid) && e.answer.seq < exchange.answer.seq);
    return later ? `answered after rid ${later.rid}, a later request` : undefined;
  },
};

/** The exchanges whose answer came (not a failed request), in request order. */
export const answeredExchanges = (all: BoshExchange[]): Answered[] => all.filter(answered);
