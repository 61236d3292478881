import { readFileSync } from "node:fs";
import { specFile, type SpecEntry } from "./registry.ts";

/** A section of a specification's text: its own words and those of its subsections. */
export interface Section {
  number: string;
  title: string;
  /** The normalised text from its heading to the next heading that is not below it. */
  text: string;
  /** Where it starts in the whole normalised text, and where it ends. */
  start: number;
  end: number;
}

export interface SpecText {
  spec: SpecEntry;
  sections: Map<string, Section>;
  /** Every section number in the order of the text. */
  order: string[];
  /** The whole text, normalised as quotes are (see normalise). */
  whole: string;
}

/** "4.8.1.  Title", "Appendix A.  Title", "A.2.1.  Title": a heading line of spec/texts/. */
const HEADING = /^(?:Appendix )?((?:\d+|[A-Z])(?:\.\d+)*)\.  (.+)$/;

/**
 * What a quote and a text are compared as: one space for any run of whitespace, straight quotes and
 * apostrophes, and "..." for the ellipsis.
 */
export const normalise = (s: string) =>
  s
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, " ")
    .trim();

const below = (child: string, parent: string) => child === parent || child.startsWith(`${parent}.`);

const cache = new Map<string, SpecText>();

/** The text of a specification, read from spec/texts/ once. */
export function specText(spec: SpecEntry): SpecText {
  const cached = cache.get(spec.id);
  if (cached) return cached;
  const raw = readFileSync(specFile(spec.text), "utf8");
  // The whole text normalised line by line (the same as normalising it at once), remembering where each heading starts.
  const heads: { number: string; title: string; at: number }[] = [];
  const parts: string[] = [];
  let length = 0;
  for (const line of raw.split("\n")) {
    const words = normalise(line);
    if (!words) continue;
    const at = length === 0 ? 0 : length + 1;
    const h = HEADING.exec(line);
    if (h) heads.push({ number: h[1], title: h[2], at });
    parts.push(words);
    length = at + words.length;
  }
  const whole = parts.join(" ");
  const sections = new Map<string, Section>();
  heads.forEach((h, i) => {
    let j = i + 1;
    while (j < heads.length && below(heads[j].number, h.number)) j++;
    const end = j < heads.length ? heads[j].at - 1 : whole.length;
    sections.set(h.number, { number: h.number, title: h.title, text: whole.slice(h.at, end), start: h.at, end });
  });
  const text: SpecText = { spec, sections, order: heads.map((h) => h.number), whole };
  cache.set(spec.id, text);
  return text;
}
