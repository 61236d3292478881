import type { Element } from "ltx";

const STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/** "conflict (cancel): User already exists" for an <iq type='error'>, for messages people read. */
export function describeStanzaError(el: Element): string {
  const error = el.getChild("error");
  if (!error) return "error without <error/>";
  const condition = error.children.find((c) => typeof c !== "string" && c.attrs.xmlns === STANZAS_NS && c.name !== "text") as Element | undefined;
  const text = error.getChildText("text", STANZAS_NS);
  return `${condition?.name ?? "unknown-condition"} (${error.attrs.type ?? "no type"})${text ? `: ${text}` : ""}`;
}
