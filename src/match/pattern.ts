import contentType from "content-type";
import { parse, type Element } from "ltx";
import { capsVer } from "../xmpp/protocol/caps.ts";
import { NS } from "../xmpp/wire/ns.ts";

/**
 * Stanza patterns: XML as people read it in the RFC, matched against what arrived, as XML: an element is its
 * namespace and local name, whatever prefix either side used (<r:query xmlns:r='jabber:iq:roster'/> is
 * <query xmlns='jabber:iq:roster'/>), and an attribute is its namespace and local name; attribute order,
 * quoting and the empty-element form are the parser's business.
 * - element names and namespaces must match (namespaces are inherited; stanzas default to jabber:client);
 * - listed attributes must match, unlisted ones are ignored;
 * - children are a subset in any order; text is compared trimmed, and only when the pattern has text.
 * Values may be tokens: {any} (present), {absent}, {optional:V} (absent or V), {not:V} (present and not V),
 * {re:REGEX}, {min:N}, {uint} / {uint:N} / {uint-min:N} (an xs:unsignedInt in any lexical form / one whose value is
 * N's / at least N's), {int} /
 * {int:N} (the same for an xs:int), {optional:{TOKEN}} (absent or a value the token takes), {media:TYPE} (an HTTP media type as HTTP compares them), {after:DATETIME} (a XEP-0082
 * DateTime later than that one), {now:SECONDS} (a XEP-0082 DateTime within that many seconds of the check's clock),
 * {epoch-now:SECONDS} (digits that read as the check's clock since 1970 in s, ms, µs or ns, within that many seconds),
 * {capture:NAME}.
 * Pattern-only attributes: xc:children='exact' (no other children allowed), xc:children='some' (at least one
 * child element or text; with xc:absent on it: no such element has children), xc:children='only:a b c' (no
 * child of the element's own namespace but those names), xc:absent='' on a child (no child may match it),
 * xc:most='N' on a child (at most N children may match it: XEP-0359 §3's "at most one <stanza-id/>" per 'by'),
 * xc:caps='sha-1 VER' on a disco#info <query/> (its identities, features and forms hash to VER as XEP-0115 §5.1 says);
 * xc:capture='NAME' keeps the matched element as a whole; xc:same='${NAME}' requires the element to be the same,
 * xc:other='${NAME}' another. Beside them, xc:compare='a b[x,y] c/d' compares only the element's children of those names
 * (of b, only its attributes x and y, each distinct b once; of c, only its own d children), and
 * xc:order='ignore' its children in any order (the capture and the comparison must say the same). xc:text='raw'
 * compares the element's own text untrimmed (base64 with no whitespace around it, XEP-0388 §2.2).
 */
export type Captures = Record<string, string>;

export interface MatchResult {
  ok: boolean;
  captures: Captures;
  /** How much of the pattern matched, 0..1: used to show the closest stanzas when nothing matched. */
  closeness: number;
  /** What differed, for people: "query/item@subscription: expected 'remove', got 'none'". */
  problems: string[];
}

const META = "xc:";

/** The pattern-only attributes (see above); any other xc: attribute is a typo that would silently check nothing. */
export const PATTERN_ATTRS = ["absent", "most", "children", "capture", "same", "other", "compare", "order", "text", "prefix", "caps"] as const;

/**
 * The first xc: attribute in the pattern that is not one of PATTERN_ATTRS, by its local name, an xc:most whose value
 * is no whole number (a limit that is NaN never fails), as "most='…'", or an xc:compare that names no children, as "compare='…'".
 */
export function unknownPatternAttr(el: Element): string | undefined {
  for (const name of Object.keys(el.attrs)) {
    if (name.startsWith(META) && !(PATTERN_ATTRS as readonly string[]).includes(name.slice(META.length))) return name.slice(META.length);
  }
  const most = el.attrs[`${META}most`];
  if (most !== undefined && !/^\d+$/.test(String(most))) return `most='${most}'`;
  const compare = el.attrs[`${META}compare`];
  if (
    compare !== undefined &&
    !String(compare)
      .trim()
      .split(/\s+/)
      .every((n) => COMPARED.test(n))
  )
    return `compare='${compare}'`;
  for (const c of el.children) {
    const found = typeof c === "string" ? undefined : unknownPatternAttr(c);
    if (found) return found;
  }
  return undefined;
}

export function parsePattern(xml: string): Element {
  return parse(xml) as Element;
}

const XML_NS = "http://www.w3.org/XML/1998/namespace";

/** The element's namespace, resolving a prefix through the xmlns:prefix declarations up the tree. */
const namespaceOf = (el: Element, fallback: string): string => el.getNS() ?? fallback;

/** Attributes by namespace and local name: "xml:lang" and "x:lang" with xmlns:x='…/XML/1998/namespace' are one. */
function expandedAttr(el: Element, name: string): string {
  const colon = name.indexOf(":");
  if (colon < 0) return name;
  const prefix = name.slice(0, colon);
  return `{${prefix === "xml" ? XML_NS : (el.findNS(prefix) ?? prefix)}}${name.slice(colon + 1)}`;
}

const isDeclaration = (name: string) => name === "xmlns" || name.startsWith("xmlns:");

function attrValue(el: Element, expanded: string): string | undefined {
  for (const [name, value] of Object.entries(el.attrs)) {
    if (!isDeclaration(name) && expandedAttr(el, name) === expanded) return value as string;
  }
  return undefined;
}

/** The element's own text, trimmed unless `raw` (xc:text='raw': whitespace around the text is part of what is judged). */
const ownText = (el: Element, raw = false) => {
  const text = el.children.filter((c): c is string => typeof c === "string").join("");
  return raw ? text : text.trim();
};
const childElements = (el: Element) => el.children.filter((c): c is Element => typeof c !== "string");

type Token =
  | { kind: "literal"; value: string }
  | { kind: "any" }
  | { kind: "absent" }
  | { kind: "optional"; value: string }
  | { kind: "not"; value: string }
  | { kind: "re"; source: string }
  | { kind: "min"; min: number }
  | { kind: "integer"; type: IntegerType; value: string | undefined; atLeast?: true }
  | { kind: "media"; value: string }
  | { kind: "after"; value: string }
  | { kind: "now"; seconds: number }
  | { kind: "epoch-now"; seconds: number }
  | { kind: "capture"; name: string };

export function parseToken(v: string): Token {
  const m = /^\{(any|absent|optional:|not:|re:|min:|uint-min:|uint:|uint|int:|int|media:|after:|now:|epoch-now:|capture:)(.*)\}$/s.exec(v);
  if (!m) return { kind: "literal", value: v };
  switch (m[1]) {
    case "any":
      return m[2] ? { kind: "literal", value: v } : { kind: "any" };
    case "absent":
      return m[2] ? { kind: "literal", value: v } : { kind: "absent" };
    case "optional:":
      return { kind: "optional", value: m[2] };
    case "not:":
      return { kind: "not", value: m[2] };
    case "re:":
      return { kind: "re", source: m[2] };
    case "min:":
      return /^\d+$/.test(m[2]) ? { kind: "min", min: Number(m[2]) } : { kind: "literal", value: v };
    case "uint-min:":
      return { kind: "integer", type: "uint", value: m[2], atLeast: true };
    case "uint:":
    case "int:":
      return { kind: "integer", type: m[1] === "uint:" ? "uint" : "int", value: m[2] };
    case "uint":
    case "int":
      return m[2] ? { kind: "literal", value: v } : { kind: "integer", type: m[1], value: undefined };
    case "media:":
      return { kind: "media", value: m[2] };
    case "after:":
      return { kind: "after", value: m[2] };
    case "now:":
    case "epoch-now:":
      return /^\d+$/.test(m[2]) ? { kind: m[1] === "now:" ? "now" : "epoch-now", seconds: Number(m[2]) } : { kind: "literal", value: v };
    default:
      return { kind: "capture", name: m[2] };
  }
}

/**
 * A {re:REGEX} value as a regular expression over the whole value, in characters: with the 'u' flag a character
 * outside the BMP (a surrogate pair in UTF-16) is one, as XML counts characters, so `[\s\S]{1,128}` is at most 128
 * characters (XEP-0421 §4.1's length, §8's maxLength), not 128 UTF-16 code units; with 's', `.` is any character.
 * Compiled when a value is checked, not when the token is read: the loader reads tokens whose placeholders are not
 * filled yet, and a '${…}' is no regular expression in 'u' mode.
 */
const wholeValue = (source: string): RegExp => new RegExp(`^(?:${source})$`, "su");

/**
 * Whether decimal digits read as the time of the check, in seconds, milliseconds, microseconds or nanoseconds since
 * 1970, within `seconds` either way: what an id made from the clock gives away (XEP-0359 §6). Relative to the
 * clock, so a scenario names no window of years that runs out.
 */
function readsAsNow(value: string, seconds: number): boolean {
  if (!/^\d{1,30}$/.test(value)) return false;
  const [n, nowMs, slackMs] = [BigInt(value), BigInt(Date.now()), BigInt(seconds) * 1_000n];
  return [1n, 1_000n, 1_000_000n, 1_000_000_000n].some((perSecond) => {
    const ms = (n * 1_000n) / perSecond;
    return ms >= nowMs - slackMs && ms <= nowMs + slackMs;
  });
}

/**
 * XML Schema's integer types a pattern compares by value (Part 2 §3.3.17 int, §3.3.22 unsignedInt): XEP-0198's 'h' is
 * an xs:unsignedInt, XEP-0059's 'index' and <count/> are xs:int, so '+05', '05' and '5' are one value (fifty-eighth
 * and fifty-ninth audits).
 */
const INTEGER_TYPES = {
  uint: { name: "xs:unsignedInt", min: 0n, max: 4294967295n },
  int: { name: "xs:int", min: -2147483648n, max: 2147483647n },
} as const;
type IntegerType = keyof typeof INTEGER_TYPES;

/**
 * The value of `v` as such a type in any of its lexical forms (an optional sign, decimal digits, leading zeros
 * allowed, whiteSpace collapse so blanks around it), or undefined where the text is none or out of the type's range.
 */
function xsInteger(v: string, type: IntegerType): bigint | undefined {
  const m = /^[ \t\r\n]*([+-]?)([0-9]+)[ \t\r\n]*$/.exec(v);
  if (!m) return undefined;
  const n = m[1] === "-" ? -BigInt(m[2]) : BigInt(m[2]);
  return n < INTEGER_TYPES[type].min || n > INTEGER_TYPES[type].max ? undefined : n;
}

/** Checks one value; returns a problem text or undefined. `caps` receives captures. */
function checkValue(token: Token, actual: string | undefined, caps: Captures): string | undefined {
  const got = actual === undefined ? "absent" : `'${actual}'`;
  switch (token.kind) {
    case "literal":
      return actual === token.value ? undefined : `expected '${token.value}', got ${got}`;
    case "any":
      return actual !== undefined ? undefined : "expected a value, got absent";
    case "absent":
      return actual === undefined ? undefined : `expected absent, got ${got}`;
    case "optional": {
      // {optional:{TOKEN}}: absent, or a value that token takes (e.g. {optional:{int:1}}).
      const inner = /^\{.*\}$/s.test(token.value) ? parseToken(token.value) : undefined;
      if (inner && inner.kind !== "literal") {
        const problem = actual === undefined ? undefined : checkValue(inner, actual, caps);
        return problem === undefined ? undefined : `${problem} (or absent)`;
      }
      return actual === undefined || actual === token.value ? undefined : `expected '${token.value}' or absent, got ${got}`;
    }
    case "not":
      return actual !== undefined && actual !== token.value ? undefined : `expected a value other than '${token.value}', got ${got}`;
    case "re":
      return actual !== undefined && wholeValue(token.source).test(actual) ? undefined : `expected to match ${token.source}, got ${got}`;
    case "min":
      return actual !== undefined && /^\d+$/.test(actual) && Number(actual) >= token.min ? undefined : `expected a whole number of at least ${token.min}, got ${got}`;
    case "integer": {
      const name = INTEGER_TYPES[token.type].name;
      const [want, have] = [token.value === undefined ? undefined : xsInteger(token.value, token.type), actual === undefined ? undefined : xsInteger(actual, token.type)];
      const relation = token.atLeast ? "at least" : "equal to";
      if (token.value !== undefined && want === undefined) return `expected an ${name} ${relation} '${token.value}', which is none`;
      const holds = have !== undefined && (want === undefined || (token.atLeast ? have >= want : have === want));
      return holds ? undefined : `expected an ${name}${want === undefined ? "" : ` whose value is ${token.atLeast ? "at least " : ""}${want}`}, got ${got}`;
    }
    case "media":
      return actual !== undefined && sameMediaType(token.value, actual) ? undefined : `expected the media type ${token.value}, got ${got}`;
    case "after":
      return actual !== undefined && later(actual, token.value) ? undefined : `expected a date and time later than ${token.value}, got ${got}`;
    case "now":
      return actual !== undefined && nearNow(actual, token.seconds) ? undefined : `expected a date and time within ${token.seconds} s of now (${new Date().toISOString()}), got ${got}`;
    case "epoch-now":
      return actual !== undefined && readsAsNow(actual, token.seconds) ? undefined : `expected digits that read as the time now since 1970 (s, ms, µs or ns, within ${token.seconds} s), got ${got}`;
    case "capture":
      if (actual === undefined) return "expected a value to capture, got absent";
      caps[token.name] = actual;
      return undefined;
  }
}

/**
 * Two HTTP media types (a Content-Type's value) as HTTP compares them: type, subtype and parameter names in any
 * case, whitespace and quoting as the grammar allows, and a charset's value in any case (RFC 2046 §4.1.2).
 */
function sameMediaType(expected: string, actual: string): boolean {
  const read = (v: string) => {
    try {
      const { type, parameters } = contentType.parse(v);
      return { type, parameters: Object.fromEntries(Object.entries(parameters).map(([k, x]) => [k, k === "charset" ? x.toLowerCase() : x])) };
    } catch {
      return undefined;
    }
  };
  const [e, a] = [read(expected), read(actual)];
  return e !== undefined && a !== undefined && e.type === a.type && JSON.stringify(Object.entries(e.parameters).sort()) === JSON.stringify(Object.entries(a.parameters).sort());
}

/** Whether a XEP-0082 DateTime is later than another (both readable as such). */
/** A XEP-0082 DateTime within `seconds` of the check's clock, either way. */
function nearNow(value: string, seconds: number): boolean {
  const at = Date.parse(value);
  return /^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(at) && Math.abs(at - Date.now()) <= seconds * 1000;
}

function later(value: string, than: string): boolean {
  const [a, b] = [Date.parse(value), Date.parse(than)];
  return /^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(a) && !Number.isNaN(b) && a > b;
}

/** One value (an attribute that is not in an element, e.g. of a stream header) against a pattern value; returns a problem or undefined. */
export function matchValue(pattern: string, actual: string | undefined, caps: Captures): string | undefined {
  return checkValue(parseToken(pattern), actual, caps);
}

/** Whether an IQ pattern's 'type' takes only a response (RFC 6120 §8.2.3): 'result', 'error', or a token that takes no 'get' or 'set' (`{re:result|error}`). */
export const takesOnlyResponses = (type: string): boolean => ["get", "set"].every((t) => matchValue(type, t, {}) !== undefined);

interface Partial {
  ok: boolean;
  score: number;
  total: number;
  problems: string[];
  caps: Captures;
}

function matchElement(p: Element, a: Element, path: string, caps: Captures, pNs: string, aNs: string): Partial {
  const here = path ? `${path}/${p.getName()}` : p.getName();
  const ns = { p: namespaceOf(p, pNs), a: namespaceOf(a, aNs) };
  if (p.getName() !== a.getName() || ns.p !== ns.a) {
    return { ok: false, score: 0, total: 1, problems: [`${here}: expected <${p.getName()} xmlns='${ns.p}'>, got <${a.getName()} xmlns='${ns.a}'>`], caps };
  }
  const out: Partial = { ok: true, score: 1, total: 1, problems: [], caps: { ...caps } };
  const fail = (problem: string) => {
    out.ok = false;
    out.problems.push(problem);
  };
  for (const [name, value] of Object.entries(p.attrs)) {
    if (isDeclaration(name) || name.startsWith(META)) continue;
    out.total++;
    const problem = checkValue(parseToken(String(value)), attrValue(a, expandedAttr(p, name)), out.caps);
    if (problem) fail(`${here}@${name}: ${problem}`);
    else out.score++;
  }
  // xc:prefix='none': the element as it was written has no namespace prefix (RFC 6120 §4.8.5 for the content namespace).
  if (p.attrs[`${META}prefix`] !== undefined) {
    out.total++;
    if (a.name.includes(":")) fail(`${here}: expected no namespace prefix, got <${a.name}>`);
    else out.score++;
  }
  // xc:same='${NAME}': the element is the one captured with xc:capture='NAME' (the same XML, attribute order and
  // whitespace between elements aside).
  const view = viewOf(p);
  const same = p.attrs[`${META}same`];
  if (same !== undefined) {
    out.total++;
    if (canonical(a, "", view) !== String(same)) fail(`${here}: expected the same element as before (${oneLineXml(String(same))}), got ${oneLineXml(canonical(a, "", view))}`);
    else out.score++;
  }
  // xc:other='${NAME}': the element differs from the one captured (its children in another order count, unless xc:order='ignore').
  const other = p.attrs[`${META}other`];
  if (other !== undefined) {
    out.total++;
    if (canonical(a, "", view) === String(other)) fail(`${here}: expected another element than before, got the same: ${oneLineXml(canonical(a, "", view))}`);
    else out.score++;
  }
  const capsAttr = p.attrs[`${META}caps`];
  if (capsAttr !== undefined) {
    out.total++;
    const [hash, ver] = String(capsAttr).trim().split(/\s+/);
    const got = capsVer(a, hash);
    if (got === undefined) fail(`${here}: xc:caps names a hash function the harness cannot compute: '${hash}'`);
    else if (got !== ver) fail(`${here}: expected the identities, features and forms to hash (${hash}, XEP-0115 §5.1) to '${ver}', got '${got}'`);
    else out.score++;
  }
  const text = ownText(p);
  if (text) {
    out.total++;
    const token = parseToken(text);
    const problem = checkValue(token, ownText(a, p.attrs[`${META}text`] === "raw"), out.caps);
    if (problem) {
      fail(`${here} text: ${problem}`);
      // Other literal text (a body) makes it another element, not a near one: it scores below one that has the
      // text and differs elsewhere, e.g. by a child the pattern forbids.
      if (token.kind === "literal") out.score = 0;
    } else out.score++;
  }
  const kids = matchChildren(p, a, here, out.caps, ns);
  out.score += kids.score;
  out.total += kids.total;
  if (!kids.ok) {
    out.ok = false;
    out.problems.push(...kids.problems);
  } else {
    out.caps = kids.caps;
  }
  // xc:capture='NAME': the element as a whole, for a later xc:same='${NAME}'.
  const capture = p.attrs[`${META}capture`];
  if (out.ok && capture !== undefined) out.caps[String(capture)] = canonical(a, "", view);
  return out;
}

/**
 * An element as XML that compares equal when the element is the same: names and attributes by namespace
 * (attribute order and prefixes aside), children in order, text trimmed, whitespace between elements dropped.
 */
interface View {
  /**
   * xc:compare='a b[x,y]': only the element's own children of those names count (its text does not); a name with
   * attributes in brackets counts only those attributes of each such child (no text, no children), each distinct one
   * once: XEP-0030 §6.3's "the same <identity/> element (category+type)".
   */
  only?: Map<string, string[] | undefined>;
  /** xc:compare='c/d': of each child c, only its own d children count (SASL2's mechanisms, not its inline features). */
  within?: Map<string, string>;
  /** xc:order='ignore': children in any order, at every level. */
  unordered?: boolean;
}

/** One name of xc:compare: `identity`, `identity[category,type]` or `authentication/mechanism`. */
const COMPARED = /^([^\s[\]/]+)(?:\[([^\s[\]]+)\]|\/([^\s[\]/]+))?$/;

const viewOf = (p: Element): View => {
  const only = p.attrs[`${META}compare`];
  const names =
    only === undefined
      ? undefined
      : String(only)
          .trim()
          .split(/\s+/)
          .map((n) => COMPARED.exec(n));
  return {
    ...(names && { only: new Map(names.filter((m) => m !== null).map((m) => [m[1], m[2]?.split(",")])) }),
    ...(names?.some((m) => m?.[3]) && { within: new Map(names.filter((m) => m?.[3]).map((m) => [m![1], m![3]])) }),
    ...(p.attrs[`${META}order`] === "ignore" && { unordered: true }),
  };
};

function canonical(el: Element, inherited = "", view: View = {}, attrsOnly?: string[]): string {
  const ns = namespaceOf(el, inherited);
  const attrs = Object.keys(el.attrs)
    .filter((n) => !isDeclaration(n) && (!attrsOnly || attrsOnly.includes(n)))
    .map((n) => `${expandedAttr(el, n)}=${JSON.stringify(String(el.attrs[n]))}`)
    .sort();
  if (attrsOnly) return `<{${ns}}${el.getName()}${attrs.map((x) => ` ${x}`).join("")}/>`;
  const kids = view.only ? el.children.filter((c): c is Element => typeof c !== "string" && view.only!.has(c.getName())) : el.children;
  const inner = (c: Element): View => {
    const keep = view.within?.get(c.getName());
    return { ...(view.unordered && { unordered: true }), ...(keep !== undefined && { only: new Map([[keep, undefined]]) }) };
  };
  const parts = kids.map((c) => (typeof c === "string" ? c.trim() : canonical(c, ns, inner(c), view.only?.get(c.getName()))));
  const distinct = view.only && [...view.only.values()].some(Boolean) ? [...new Set(parts)] : parts;
  const body = (view.unordered ? distinct.filter(Boolean).sort() : distinct).join("");
  return `<{${ns}}${el.getName()}${attrs.map((x) => ` ${x}`).join("")}>${body}</>`;
}

const oneLineXml = (s: string) => (s.length > 120 ? `${s.slice(0, 120)}…` : s);

/** How many actual children a pattern child may match: xc:absent='' none, xc:most='N' at most N; otherwise it is wanted. */
function limitOf(c: Element): number | undefined {
  if (c.attrs[`${META}absent`] !== undefined) return 0;
  const most = c.attrs[`${META}most`];
  return most === undefined ? undefined : Number(most);
}

/** Each wanted pattern child must match a distinct actual child (backtracking: lists are short). */
function matchChildren(p: Element, a: Element, path: string, caps: Captures, ns: { p: string; a: string }): Partial {
  const pattern = childElements(p);
  const wanted = pattern.filter((c) => limitOf(c) === undefined);
  const limited = pattern.filter((c) => limitOf(c) !== undefined);
  const actual = childElements(a);
  const problems: string[] = [];

  const assign = (i: number, used: Set<number>, c: Captures): Captures | undefined => {
    if (i === wanted.length) return c;
    for (let j = 0; j < actual.length; j++) {
      if (used.has(j)) continue;
      const r = matchElement(wanted[i], actual[j], path, c, ns.p, ns.a);
      if (!r.ok) continue;
      used.add(j);
      const rest = assign(i + 1, used, r.caps);
      if (rest) return rest;
      used.delete(j);
    }
    return undefined;
  };
  const assigned = assign(0, new Set(), caps);

  // Scores for the "closest stanza" display: each wanted child against its best candidate.
  let score = 0;
  let total = 0;
  for (const w of wanted) {
    // The child the pattern names: same name and literal attributes (field var='ids') before any that merely scores higher.
    const tries = actual.map((x) => ({ id: sameIdentity(w, x), r: matchElement(w, x, path, {}, ns.p, ns.a) }));
    const best = tries.sort((x, y) => y.id - x.id || y.r.score / y.r.total - x.r.score / x.r.total)[0]?.r;
    const size = matchElement(w, w, path, {}, ns.p, ns.p).total;
    total += size;
    if (best) score += best.ok ? size : (best.score / best.total) * size;
    if (!assigned) problems.push(...(best ? best.problems : [`${path}: missing ${shortTag(w)}`]));
  }
  // Each wanted child matches some child, but not each a different one (two patterns, one element): say so.
  if (!assigned && problems.length === 0) {
    const matching = actual.filter((x) => wanted.some((w) => matchElement(w, x, path, {}, ns.p, ns.a).ok)).length;
    problems.push(`${path}: expected ${wanted.length} different child elements (${wanted.map(shortTag).join(", ")}), got ${matching} that match them`);
  }
  let ok = Boolean(assigned);
  for (const f of limited) {
    total++;
    const most = limitOf(f)!;
    const hits = actual.filter((x) => matchElement(f, x, path, {}, ns.p, ns.a).ok);
    if (hits.length > most) {
      ok = false;
      problems.push(
        most === 0 ? `${path}: expected no ${shortTag(f)}${holding(f)}, got ${hits[0].toString()}` : `${path}: expected at most ${most} ${shortTag(f)}, got ${hits.length}: ${hits.join(" ")}`,
      );
    } else score++;
  }
  if (p.attrs[`${META}children`] === "exact") {
    total++;
    if (actual.length !== wanted.length) {
      ok = false;
      problems.push(`${path}: expected exactly ${wanted.length} child element(s), got ${actual.length}`);
    } else score++;
  }
  if (p.attrs[`${META}children`] === "some") {
    // At least one child, an element or text: with xc:absent='' on it, "no such element has any child" (XEP-0030
    // §3.1: a <feature/> "MUST NOT have any children").
    total++;
    if (actual.length === 0 && a.getText().trim() === "") {
      ok = false;
      problems.push(`${path}: expected a child, got none`);
    } else score++;
  }
  const only = /^only:(.+)$/s.exec(String(p.attrs[`${META}children`] ?? ""));
  if (only) {
    // A protocol's closed set of element names (XEP-0077 §4: "A host MUST NOT add new fields"); children in
    // other namespaces (a data form) are extensions, not fields.
    total++;
    const names = new Set(only[1].trim().split(/\s+/));
    const extra = actual.filter((x) => namespaceOf(x, ns.a) === ns.a && !names.has(x.getName()));
    if (extra.length > 0) {
      ok = false;
      problems.push(`${path}: expected no child of its own namespace but ${[...names].join(", ")}, got ${extra.map((x) => `<${x.getName()}/>`).join(", ")}`);
    } else score++;
  }
  return { ok, score, total, problems: ok ? [] : [...new Set(problems)], caps: assigned ?? caps };
}

const STANZA_KINDS = new Set(["message", "presence", "iq"]);

/**
 * How far `actual` is the element `pattern` names: its name, then each attribute the pattern gives a literal
 * value (a field's var, an id), as a count; what tells siblings apart, before how closely their content matches.
 */
export function sameIdentity(pattern: Element, actual: Element): number {
  if (pattern.getName() !== actual.getName()) return 0;
  let n = 1;
  for (const [k, v] of Object.entries(pattern.attrs)) {
    if (k.startsWith(META) || k === "xmlns" || k.startsWith("xmlns:")) continue;
    const t = parseToken(String(v));
    if (t.kind === "literal" && actual.attrs[k] === t.value) n++;
  }
  return n;
}

/**
 * Whether a stanza can be what a stanza pattern asks for at all: the same kind (message, presence, iq), and the
 * same id where the pattern gives one. Any other element (a SASL <success/> where a <failure/> was expected) is
 * a candidate: on a stream there is nothing else to show.
 */
export function sameKind(pattern: Element, actual: Element): boolean {
  if (!STANZA_KINDS.has(pattern.getName())) return true;
  if (pattern.getName() !== actual.getName()) return false;
  const id = pattern.attrs.id === undefined ? undefined : parseToken(String(pattern.attrs.id));
  return id?.kind !== "literal" || actual.attrs.id === id.value;
}

/** What a forbidden element is forbidden for holding: " holding <identity type='{absent}'/>", or nothing. */
const holding = (el: Element): string => {
  const inner = el.getChildElements();
  return inner.length ? ` holding ${inner.map(shortTag).join("")}` : "";
};

function shortTag(el: Element): string {
  const attrs = Object.entries(el.attrs)
    .filter(([k]) => !k.startsWith(META))
    .map(([k, v]) => ` ${k}='${v}'`)
    .join("");
  return `<${el.getName()}${attrs}/>`;
}

/**
 * Matches a received stanza against a pattern (both ltx Elements). A pattern's stanza takes the content
 * namespace of the stream the stanza came on: jabber:client, jabber:server for what a server sent to the
 * harness's scripted remote server (RFC 6120 §4.8.3), or jabber:component:accept for what it sent a component
 * (XEP-0114), so one pattern serves them all.
 */
const CONTENT_NAMESPACES = new Set<string>([NS.server, NS.componentAccept]);
export function matchStanza(pattern: Element, actual: Element, captures: Captures = {}): MatchResult {
  const ns = namespaceOf(actual, NS.client);
  const content = CONTENT_NAMESPACES.has(ns) ? ns : NS.client;
  const r = matchElement(pattern, actual, "", captures, content, content);
  return { ok: r.ok, captures: r.ok ? r.caps : captures, closeness: r.score / r.total, problems: r.problems };
}
