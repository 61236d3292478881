import { escapeXML } from "ltx";

/**
 * Placeholders in scenario XML: ${juliet} (bare JID), ${juliet/balcony} (full JID), ${domain},
 * ${uid} (unique to the case) and ${NAME} for values captured earlier with {capture:NAME}. Filters after a
 * '|' change the value: ${juliet|local|upper} is the upper-cased localpart (for RFC 7622's case rules).
 */
const PLACEHOLDER = /\$\{([^}|]*)((?:\|[a-z]+)*)\}/g;

const FILTERS: Record<string, (v: string) => string> = {
  upper: (v) => v.toUpperCase(),
  local: (v) => (v.includes("@") ? v.split("@")[0] : ""),
};

export type Bindings = Record<string, string>;

/** The names placeholders use (without their filters). */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Filters named in placeholders that do not exist (a scenario bug the loader reports). */
export function unknownFilters(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].flatMap((m) => m[2].split("|").filter((f) => f && !FILTERS[f]));
}

/**
 * Fills placeholders, escaping values for XML (`escape` false: values as they are, for text that is not XML,
 * such as a stream header's attribute values). Unknown names are a scenario bug: load.ts rejects them first.
 */
export function fill(text: string, bindings: Bindings, escape = true): string {
  return text.replace(PLACEHOLDER, (whole, name: string, filters: string) => {
    const raw = bindings[name];
    if (raw === undefined) throw new Error(`unknown placeholder ${whole}`);
    const value = filters.split("|").filter(Boolean).reduce((v, f) => FILTERS[f](v), raw);
    return escape ? escapeXML(value) : value;
  });
}

/** Names a pattern captures with {capture:NAME}. */
export function capturesIn(text: string): string[] {
  return [...text.matchAll(/\{capture:([A-Za-z_][\w-]*)\}/g)].map((m) => m[1]);
}
