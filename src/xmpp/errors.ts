import type { Element } from "ltx";

const STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/** The parts of an <iq type='error'>'s <error/> (RFC 6120 §8.3): defined condition, type and text. */
export function stanzaError(el: Element): { condition: string; type: string; text?: string } {
  const error = el.getChild("error");
  if (!error) return { condition: "no <error/>", type: "no type" };
  const condition = error.children.find((c) => typeof c !== "string" && c.attrs.xmlns === STANZAS_NS && c.name !== "text") as Element | undefined;
  const text = error.getChildText("text", STANZAS_NS);
  return { condition: condition?.name ?? "unknown-condition", type: String(error.attrs.type ?? "no type"), ...(text && { text }) };
}

/** "conflict (cancel): User already exists" for an <iq type='error'>, for messages people read. */
export function describeStanzaError(el: Element): string {
  if (!el.getChild("error")) return "error without <error/>";
  const { condition, type, text } = stanzaError(el);
  return `${condition} (${type})${text ? `: ${text}` : ""}`;
}
