import type { Element } from "ltx";
import { NS } from "../wire/ns.ts";

/** The parts of an <iq type='error'>'s <error/> (RFC 6120 §8.3): defined condition, type and text. */
export function stanzaError(el: Element): { condition: string; type: string; text?: string } {
  const error = el.getChild("error");
  if (!error) return { condition: "no <error/>", type: "no type" };
  // By namespace, whatever prefix the server chose for it.
  const condition = error.getChildElements().find((c) => c.getNS() === NS.stanzas && c.getName() !== "text");
  const text = error.getChildText("text", NS.stanzas);
  return { condition: condition?.getName() ?? "unknown-condition", type: String(error.attrs.type ?? "no type"), ...(text && { text }) };
}

/** "conflict (cancel): User already exists" for an <iq type='error'>, for messages people read. */
export function describeStanzaError(el: Element): string {
  if (!el.getChild("error")) return "error without <error/>";
  const { condition, type, text } = stanzaError(el);
  return `${condition} (${type})${text ? `: ${text}` : ""}`;
}
