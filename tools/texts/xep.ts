/**
 * Renders a XEP's source (the XSF's public `xeps` repository: xep-NNNN.xml, with the entities of xep.ent) as
 * plain text with its section numbers, the form the quote test reads (spec/texts/). Headings are "2.1.  Title"
 * at the start of a line, numbered as the published XEP numbers its section1..section4; examples are
 * "Example N. caption" and keep their lines; footnotes (<note>) are left out, so a reference reads as its link
 * text. The words are the source's own.
 */
import { parse, type Element } from "ltx";
import { wrap } from "./xml2rfc.ts";

type Node = Element | string;

/** The general entities of xep.ent (references, authors, the legal notice): name → replacement text. */
export function readEntities(ent: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of ent.matchAll(/<!ENTITY\s+([\w.-]+)\s+(?:"([^"]*)"|'([^']*)')\s*>/g)) out.set(m[1], m[2] ?? m[3]);
  return out;
}

const BUILT_IN = new Set(["lt", "gt", "amp", "quot", "apos"]);

/** Replaces entity references until none of the map's is left (entities refer to entities). */
function expand(xml: string, entities: Map<string, string>): string {
  for (let i = 0; i < 10; i++) {
    const next = xml.replace(/&([\w.-]+);/g, (all, name: string) => (BUILT_IN.has(name) || !entities.has(name) ? all : entities.get(name)!));
    if (next === xml) return xml;
    xml = next;
  }
  return xml;
}

const BLOCKS = new Set(["p", "ul", "ol", "dl", "example", "code", "table", "blockquote", "div", "section2", "section3", "section4"]);

function inline(node: Node): string {
  if (typeof node === "string") return node;
  if (node.name === "note") return "";
  if (node.name === "br") return "\n";
  // A power, written as the text means it: 2<sup>32</sup> (or <span class='super'>) is 2^32, not 232.
  if (node.name === "sup" || (node.name === "span" && node.attrs.class === "super")) return `^${node.children.map(inline).join("")}`;
  return node.children.map(inline).join("");
}

const textOf = (el: Element) => el.children.map((c) => (typeof c === "string" ? c : c.toString())).join("");

interface State {
  example: number;
}

function blocks(el: Element, indent: number, state: State): string[] {
  const out: string[] = [];
  let run: Node[] = [];
  const flush = () => {
    const text = run.map(inline).join("");
    if (text.trim()) out.push(...wrap(text, indent), "");
    run = [];
  };
  for (const c of el.children) {
    if (typeof c === "string" || !BLOCKS.has(c.name)) {
      run.push(c);
      continue;
    }
    flush();
    out.push(...block(c, indent, state));
  }
  flush();
  return out;
}

function block(c: Element, indent: number, state: State): string[] {
  switch (c.name) {
    case "p":
    case "div":
    case "blockquote":
      return blocks(c, indent, state);
    case "ul":
    case "ol":
      return c.getChildren("li").flatMap((li, i) => {
        const mark = c.name === "ol" ? `${i + 1}. ` : "- ";
        const lines = blocks(li, indent + mark.length, state);
        if (lines.length > 0) lines[0] = " ".repeat(indent) + mark + lines[0].trimStart();
        return lines;
      });
    case "dl":
      return c.getChildren("di").flatMap((di) => [...wrap(inline(di.getChild("dt") ?? ""), indent), ...blocks(di.getChild("dd") ?? di, indent + 3, state)]);
    case "example":
    case "code": {
      const head =
        c.name === "example" ? [`${" ".repeat(indent)}Example ${++state.example}. ${c.attrs.caption ?? ""}`.trimEnd(), ""] : c.attrs.caption ? [`${" ".repeat(indent)}${c.attrs.caption}`, ""] : [];
      const body = textOf(c).replace(/^\n+|\s+$/g, "");
      return [...head, ...body.split("\n").map((l) => (l.trim() ? " ".repeat(indent) + l : "")), ""];
    }
    case "table": {
      const caption = c.attrs.caption ? [`${" ".repeat(indent)}${c.attrs.caption}`, ""] : [];
      const rows = c.getChildren("tr").map(
        (tr) =>
          `${" ".repeat(indent)}| ${tr.children
            .filter((x): x is Element => typeof x !== "string")
            .map((cell) => inline(cell).replace(/\s+/g, " ").trim())
            .join(" | ")} |`,
      );
      return [...caption, ...rows, ""];
    }
    default:
      return section(c, indent, state, "");
  }
}

function section(s: Element, indent: number, state: State, number: string): string[] {
  const out = number ? [`${number}.  ${String(s.attrs.topic ?? "").replace(/\s+/g, " ")}`, ""] : [];
  const level = Number(/^section(\d)$/.exec(s.name)?.[1] ?? 1);
  let sub = 0;
  let run: Element = new (s.constructor as new (name: string) => Element)("div");
  const flush = () => {
    out.push(...blocks(run, indent, state));
    run = new (s.constructor as new (name: string) => Element)("div");
  };
  for (const c of s.children) {
    if (typeof c !== "string" && c.name === `section${level + 1}`) {
      flush();
      out.push(...section(c, indent, state, `${number}.${++sub}`));
    } else run.children.push(c);
  }
  flush();
  return out;
}

/** The XEP's source parsed, its entities (and those of its own DOCTYPE) expanded. */
function parseXep(xml: string, entities: Map<string, string>): Element {
  // A XEP may declare entities of its own in its DOCTYPE's internal subset.
  const doctype = /<!DOCTYPE[\s\S]*?\]>/.exec(xml)?.[0] ?? "";
  const all = new Map([...entities, ...readEntities(doctype)]);
  // Footnotes are left out with the space before them, so "(XEP-0115)." reads as the published sentence.
  const source = expand(xml.replace(doctype, "").replace(/<\?xml-stylesheet[^>]*\?>/, ""), all).replace(/\s*<note>[\s\S]*?<\/note>/g, "");
  return parse(source) as Element;
}

/**
 * Each numbered section's anchor on the published page ("6.1" → "recommended-rules"): the source's own
 * anchor attribute, as xep.xsl writes it; sections without one get a generated id that changes, so none.
 */
export function xepAnchors(xml: string, entities: Map<string, string>): Record<string, string> {
  const anchors: Record<string, string> = {};
  const walk = (s: Element, number: string, level: number) => {
    if (s.attrs.anchor) anchors[number] = s.attrs.anchor;
    s.getChildren(`section${level + 1}`).forEach((c, i) => walk(c, `${number}.${i + 1}`, level + 1));
  };
  parseXep(xml, entities)
    .getChildren("section1")
    .forEach((s, i) => walk(s, String(i + 1), 1));
  return anchors;
}

/** The whole XEP as text: its number, title, version and date, abstract, then every section in order. */
export function renderXep(xml: string, entities: Map<string, string>): string {
  const xep = parseXep(xml, entities);
  const header = xep.getChild("header")!;
  const latest = header.getChildren("revision")[0];
  const out = [
    `XEP-${header.getChildText("number")}: ${header.getChildText("title")!.replace(/\s+/g, " ")}`,
    `Version ${latest?.getChildText("version") ?? ""} (${latest?.getChildText("date") ?? ""})`,
    "",
    ...wrap(inline(header.getChild("abstract")!), 3),
    "",
  ];
  const state: State = { example: 0 };
  xep.getChildren("section1").forEach((s, i) => out.push(...section(s, 3, state, String(i + 1))));
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
