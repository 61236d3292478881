/**
 * Placeholders in scenario XML: ${juliet} (bare JID), ${juliet/balcony} (full JID), ${domain},
 * ${uid} (unique to the case) and ${NAME} for values captured earlier with {capture:NAME}.
 */
const PLACEHOLDER = /\$\{([^}]*)\}/g;

export type Bindings = Record<string, string>;

export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&apos;").replace(/"/g, "&quot;");

/**
 * Fills placeholders, escaping values for XML (`escape` false: values as they are, for text that is not XML,
 * such as a stream header's attribute values). Unknown names are a scenario bug: load.ts rejects them first.
 */
export function fill(text: string, bindings: Bindings, escape = true): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = bindings[name];
    if (value === undefined) throw new Error(`unknown placeholder ${whole}`);
    return escape ? escapeXml(value) : value;
  });
}

/** Names a pattern captures with {capture:NAME}. */
export function capturesIn(text: string): string[] {
  return [...text.matchAll(/\{capture:([A-Za-z_][\w-]*)\}/g)].map((m) => m[1]);
}
