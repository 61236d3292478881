import { escapeXML, escapeXMLText, parse, type Element } from "ltx";

/**
 * A stanza indented for people: one element per line, text-only elements kept on one line. Anything that
 * is not a single well-formed element (notes, a stream header) comes back as it was.
 */
export function prettyXml(xml: string): string {
  let el: Element;
  try {
    el = parse(xml);
  } catch {
    return xml;
  }
  return render(el, "");
}

function render(el: Element, indent: string): string {
  const attrs = Object.entries(el.attrs as Record<string, unknown>)
    .map(([k, v]) => ` ${k}="${escapeXML(String(v))}"`)
    .join("");
  const children = el.children.filter((c) => typeof c !== "string" || c.trim() !== "");
  if (children.length === 0) return `${indent}<${el.name}${attrs}/>`;
  if (children.every((c) => typeof c === "string")) return `${indent}<${el.name}${attrs}>${escapeXMLText(children.join(""))}</${el.name}>`;
  const inner = children.map((c) => (typeof c === "string" ? `${indent}  ${escapeXMLText(c.trim())}` : render(c, `${indent}  `)));
  return [`${indent}<${el.name}${attrs}>`, ...inner, `${indent}</${el.name}>`].join("\n");
}
