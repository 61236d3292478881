import { createHash } from "node:crypto";
import { escapeXML } from "ltx";

/**
 * Placeholders in scenario XML: ${juliet} (bare JID), ${juliet/balcony} (full JID), ${domain}, a room's
 * ${lobby} and an occupant's ${lobby/Nick} (any nickname), the MUC service's ${muc},
 * ${uid} (unique to the case) and ${NAME} for values captured earlier with {capture:NAME}. Filters after a
 * '|' change the value: ${juliet|local|upper} is the upper-cased localpart (for RFC 7622's case rules).
 * ${uid|sha1} is the value's SHA-1 in base64, the form of a XEP-0115 verification string (a 'ver' new to the server).
 * ${put|origin} is a URL's scheme, host and port (a captured upload URL's server, outside every path it names).
 * ${lobby/Bob|nick} is the resourcepart of an occupant JID: the nickname the room gave the occupant who asked for
 * Bob (XEP-0045 §7.2.2 lets a room rewrite it), for an admin item's nick='…' that names the occupant.
 * ${juliet|password} and ${juliet|newpassword} are the account's password and a second one the harness chose
 * for a case that changes it (XEP-0077 §3.3): secrets of the account, bound as "juliet|password", not derived
 * from its JID, so they come first; ${juliet|plain} is SASL PLAIN's initial response with the password.
 */
const PLACEHOLDER = /\$\{([^}|]*)((?:\|[a-z0-9]+)*)\}/g;

const FILTERS: Record<string, (v: string) => string> = {
  upper: (v) => v.toUpperCase(),
  local: (v) => (v.includes("@") ? v.split("@")[0] : ""),
  sha1: (v) => createHash("sha1").update(v).digest("base64"),
  nick: (v) => (v.includes("/") ? v.slice(v.indexOf("/") + 1) : ""),
  // A URL's scheme, host and port: a path of the same server that no slot or resource of the case lies under.
  origin: (v) => (URL.canParse(v) ? new URL(v).origin : ""),
};

/**
 * The account's secrets a placeholder may name as its first filter: its password, a second one, and `plain`, SASL
 * PLAIN's initial response for it (RFC 4616: base64 of NUL, the localpart, NUL, the password) for a request the
 * case writes itself (a BOSH body).
 */
export const SECRETS = ["password", "newpassword", "plain"] as const;
const isSecret = (f: string): f is (typeof SECRETS)[number] => (SECRETS as readonly string[]).includes(f);

export type Bindings = Record<string, string>;

/** The binding of an account's secret (see SECRETS). */
export const secretKey = (account: string, secret: (typeof SECRETS)[number]) => `${account}|${secret}`;

/** The names placeholders use (without their filters). */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** The account secrets placeholders name (their bindings' keys, see secretKey). */
export function secretsIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].flatMap((m) => {
    const first = m[2].split("|")[1];
    return first !== undefined && isSecret(first) ? [secretKey(m[1], first)] : [];
  });
}

/** Filters named in placeholders that do not exist (a scenario bug the loader reports). */
export function unknownFilters(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].flatMap((m) => m[2].split("|").filter((f, i) => f && !FILTERS[f] && !(i === 1 && isSecret(f))));
}

/**
 * Fills placeholders, escaping values for XML (`escape` false: values as they are, for text that is not XML,
 * such as a stream header's attribute values). A value inside a {re:…} value is a literal of that regular
 * expression: a JID whose generated resource holds a '+' or a '.' must match itself, not what the characters
 * mean to a regular expression. Unknown names are a scenario bug: load.ts rejects them first.
 */
export function fill(text: string, bindings: Bindings, escape = true): string {
  const inRegex = regexSpans(text, escape);
  return text.replace(PLACEHOLDER, (whole, name: string, filters: string, at: number) => {
    const [first, ...rest] = filters.split("|").filter(Boolean);
    const secret = first !== undefined && isSecret(first);
    const raw = bindings[secret ? secretKey(name, first) : name] ?? occupant(name, bindings);
    if (raw === undefined) throw new Error(`unknown placeholder ${whole}`);
    const filtered = (secret ? rest : [first, ...rest].filter(Boolean)).reduce((v, f) => FILTERS[f](v), raw);
    const value = inRegex(at) ? filtered.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&") : filtered;
    return escape ? escapeXML(value) : value;
  });
}

/**
 * Whether an offset of a pattern's text lies in a {re:…} value. In XML a value ends at its attribute's quote or at
 * the next markup (neither can stand unescaped in a value); text that is not XML is one value.
 */
function regexSpans(text: string, xml: boolean): (at: number) => boolean {
  const spans = [...text.matchAll(xml ? /\{re:[^'"<]*/g : /\{re:.*/gs)].map((m) => [m.index, m.index + m[0].length]);
  return (at) => spans.some(([from, to]) => at > from && at < to);
}

/** ${lobby/Nick}: an occupant of a room bound as `lobby` (with its marker `lobby/*`), any nickname. */
function occupant(name: string, bindings: Bindings): string | undefined {
  const at = name.indexOf("/");
  if (at < 0 || bindings[`${name.slice(0, at)}/*`] === undefined) return undefined;
  return `${bindings[name.slice(0, at)]}/${name.slice(at + 1)}`;
}

/** Names a pattern captures: a value with {capture:NAME}, an element with xc:capture='NAME'. */
export function capturesIn(text: string): string[] {
  return [...text.matchAll(/\{capture:([A-Za-z_][\w-]*)\}|\bxc:capture=(['"])([A-Za-z_][\w-]*)\2/g)].map((m) => m[1] ?? m[3]);
}
