/**
 * Renders an RFC's xml2rfc (v2) source as plain text with its section numbers, the form the quote test reads
 * (spec/texts/). Headings are "4.8.1.  Title" (appendices "Appendix A.  Title", "A.2.1.  Title") at the start
 * of a line, as in the published text; cross-references read "Section 4.2" and "[XML]"; examples keep their
 * lines. The words are the source's own: nothing is reworded, so a quote that is not in this text is not in
 * the RFC source either.
 */
import { parse, type Element } from "ltx";

type Node = Element | string;

const WIDTH = 72;

/** Entities the rfc2629 DTD (and xml2rfc, for &rfc.number;) defines and a plain XML parser does not know. */
const DTD_ENTITIES: Record<string, string> = { nbhy: "-", nbsp: " ", wj: "", zwsp: "" };

interface Numbered {
  number: string;
  title: string;
}

/** Section numbers by anchor: the middle's sections 1..n, then the references, then the appendices A, B, … */
function numberSections(rfc: Element): Map<string, Numbered> {
  const numbers = new Map<string, Numbered>();
  const walk = (sections: Element[], prefix: (i: number) => string) =>
    sections.forEach((s, i) => {
      const number = prefix(i);
      const anchor = s.attrs.anchor as string | undefined;
      if (anchor) numbers.set(anchor, { number, title: s.attrs.title as string });
      walk(s.getChildren("section"), (j) => `${number}.${j + 1}`);
    });
  const middle = rfc.getChild("middle")!.getChildren("section");
  walk(middle, (i) => String(i + 1));
  const back = rfc.getChild("back");
  const refs = back?.getChildren("references") ?? [];
  const refNumber = middle.length + 1;
  refs.forEach((r, i) => {
    for (const ref of r.getChildren("reference")) numbers.set(ref.attrs.anchor as string, { number: `[${ref.attrs.anchor}]`, title: "" });
    if (r.attrs.anchor) numbers.set(r.attrs.anchor as string, { number: refs.length > 1 ? `${refNumber}.${i + 1}` : String(refNumber), title: r.attrs.title as string });
  });
  walk(back?.getChildren("section") ?? [], (i) => String.fromCharCode(65 + i));
  return numbers;
}

/** A section number as the text writes it in a heading and in a cross-reference. */
const sectionWord = (n: string) => (/^[A-Z]/.test(n) ? "Appendix " : "Section ") + n;

function inline(node: Node, numbers: Map<string, Numbered>): string {
  if (typeof node === "string") return node;
  switch (node.name) {
    case "xref": {
      const target = numbers.get(node.attrs.target as string);
      const own = node.children.map((c) => inline(c, numbers)).join("");
      if (!target) return own || `[${node.attrs.target}]`;
      if (target.number.startsWith("[")) return own ? `${own} ${target.number}` : target.number;
      const ref = node.attrs.format === "counter" ? target.number : sectionWord(target.number);
      return own ? `${own} (${ref})` : ref;
    }
    case "eref":
      return node.children.length > 0 ? `${node.children.map((c) => inline(c, numbers)).join("")} <${node.attrs.target}>` : `<${node.attrs.target}>`;
    case "vspace":
      return "\n";
    case "cref":
      return "";
    default:
      return node.children.map((c) => inline(c, numbers)).join("");
  }
}

export function wrap(text: string, indent: number, first = " ".repeat(indent)): string[] {
  const lines: string[] = [];
  for (const para of text.split("\n")) {
    const words = para.replace(/\s+/g, " ").trim().split(" ").filter(Boolean);
    let line = lines.length === 0 ? first : " ".repeat(indent);
    let empty = true;
    for (const w of words) {
      if (!empty && line.length + 1 + w.length > WIDTH) {
        lines.push(line);
        line = " ".repeat(indent);
        empty = true;
      }
      line += (empty ? "" : " ") + w;
      empty = false;
    }
    lines.push(line);
  }
  return lines;
}

/** A <t>: its text, with any <list> inside rendered as indented items. */
function paragraph(t: Element, indent: number, numbers: Map<string, Numbered>, first?: string): string[] {
  const out: string[] = [];
  let run: Node[] = [];
  let lead = first;
  const flush = () => {
    const text = run.map((c) => inline(c, numbers)).join("");
    if (text.trim()) out.push(...wrap(text, indent, lead), "");
    else if (lead && lead.trim()) out.push(lead.trimEnd(), "");
    lead = undefined;
    run = [];
  };
  for (const c of t.children) {
    if (typeof c !== "string" && c.name === "list") {
      flush();
      out.push(...list(c, indent + 3, numbers));
    } else run.push(c);
  }
  flush();
  return out;
}

function list(l: Element, indent: number, numbers: Map<string, Numbered>): string[] {
  const style = (l.attrs.style as string | undefined) ?? "empty";
  const out: string[] = [];
  l.getChildren("t").forEach((t, i) => {
    const mark = style === "numbers" ? `${i + 1}.` : style === "symbols" ? "o" : style === "hanging" ? ((t.attrs.hangText as string | undefined) ?? "") : "";
    const first = " ".repeat(indent) + (mark ? `${mark}  ` : "");
    out.push(...paragraph(t, mark && style !== "hanging" ? indent + mark.length + 2 : style === "hanging" ? indent + 3 : indent, numbers, first));
  });
  return out;
}

function figure(f: Element, indent: number, numbers: Map<string, Numbered>): string[] {
  const out: string[] = [];
  const pre = f.getChild("preamble");
  if (pre) out.push(...paragraph(pre, indent, numbers));
  const art = f.getChild("artwork");
  if (art) {
    const text = art.children
      .map((c) => (typeof c === "string" ? c : c.toString()))
      .join("")
      .replace(/^\n+|\s+$/g, "");
    out.push(...text.split("\n").map((l) => (l.trim() ? " ".repeat(indent) + l : "")), "");
  }
  const post = f.getChild("postamble");
  if (post) out.push(...paragraph(post, indent, numbers));
  return out;
}

function section(s: Element, numbers: Map<string, Numbered>, number: string): string[] {
  const heading = /^[A-Z]$/.test(number) ? `Appendix ${number}.  ${s.attrs.title}` : `${number}.  ${s.attrs.title}`;
  const out = [heading, ""];
  let sub = 0;
  for (const c of s.children) {
    if (typeof c === "string") continue;
    if (c.name === "t") out.push(...paragraph(c, 3, numbers));
    else if (c.name === "figure") out.push(...figure(c, 3, numbers));
    else if (c.name === "section") out.push(...section(c, numbers, `${number}.${++sub}`));
  }
  return out;
}

/** The whole RFC as text: a title block, then every section of the middle and the appendices, in order. */
export function renderRfc(xml: string): string {
  const number = /<rfc [^>]*number=["'](\d+)/.exec(xml)?.[1] ?? "";
  const source = xml
    .replace(/<!DOCTYPE[^>]*>/, "")
    .replace(/&rfc\.number;/g, number)
    .replace(/&(nbhy|nbsp|wj|zwsp);/g, (_, e: string) => DTD_ENTITIES[e]);
  const rfc = parse(source) as Element;
  const numbers = numberSections(rfc);
  const front = rfc.getChild("front")!;
  const date = front.getChild("date")!;
  const out = [
    `RFC ${rfc.attrs.number}: ${front.getChildText("title")!.replace(/\s+/g, " ")}`,
    `${date.attrs.month ?? ""} ${date.attrs.year}`.trim(),
    "",
    ...paragraph(front.getChild("abstract")!.getChild("t")!, 3, numbers),
  ];
  const middle = rfc.getChild("middle")!.getChildren("section");
  middle.forEach((s, i) => out.push(...section(s, numbers, String(i + 1))));
  const back = rfc.getChild("back");
  const refs = back?.getChildren("references") ?? [];
  if (refs.length > 0) {
    const n = middle.length + 1;
    out.push(`${n}.  References`, "");
    refs.forEach((r, i) => {
      out.push(`${refs.length > 1 ? `${n}.${i + 1}` : n}.  ${r.attrs.title ?? "References"}`, "");
      for (const ref of r.getChildren("reference")) {
        const title = ref.getChild("front")?.getChildText("title") ?? "";
        out.push(...wrap(`[${ref.attrs.anchor}] ${title}`, 3), "");
      }
    });
  }
  (back?.getChildren("section") ?? []).forEach((s, i) => out.push(...section(s, numbers, String.fromCharCode(65 + i))));
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
