/**
 * Quotes of a specification in prose (a catalog's Quote cell, a scenario's description, a profile's `rfc`),
 * found and checked against the text in spec/texts/.
 *
 * How prose cites: "RFC 6120 §6.4.5: "…"" or "§8.3.1: the id "MUST match …"". A double-quoted passage is a
 * quote of the sections cited since the previous quote (all of them: "§8.5.1 and §8.5.3.2.3: "…""), else of
 * those the previous quote was checked against, else of the context's own sections (a catalog row's
 * sections, a case's section). A bare "§" means the specification named last ("RFC 7622 §3.3.1", "XEP-0280
 * §6"), else the context's. "§6.4.2-6.4.6" cites every section from the first to the last. Quotes may nest in
 * pairs ("of type "subscribed" and "unsubscribed""); "…" (or "...") joins fragments that appear in this
 * order (so do "[…]" and "[...]"); words that are not the specification's go in single quotes or backticks.
 */
import { findSpec, type SpecEntry } from "./registry.ts";
import { normalise, specText } from "./text.ts";

export interface Citation {
  /** Undefined when the prose names a specification the registry does not have ("RFC 3921"). */
  spec?: SpecEntry;
  name: string;
  /** One section, or a range "6.4.2"-"6.4.6". */
  from: string;
  to: string;
}

export interface Quote {
  /** The quoted words as written. */
  text: string;
  /** Offset of the opening quote in the prose. */
  offset: number;
  citations: Citation[];
}

export interface QuoteProblem {
  quote: Quote;
  /** Offset in the prose, for a position. */
  offset: number;
  message: string;
}

const SPEC_NAME = /\b(RFC ?\d{4}|XEP-\d{4})\b/g;
const CITE = /(?:\b(RFC ?\d{4}|XEP-\d{4}) )?§ ?((?:\d+|[A-Z])(?:\.\d+)*)(?:\s?[-–]\s?((?:\d+|[A-Z])(?:\.\d+)*))?/g;

/**
 * The double-quoted passages of prose: an opening quote at the start or after a space or ( [ : — and a
 * closing one before a non-word character, with an even number of quotes between (nested pairs).
 */
function passages(prose: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let i = 0;
  while (i < prose.length) {
    const open = prose.indexOf('"', i);
    if (open < 0) break;
    if (open > 0 && !/[\s([:—]/.test(prose[open - 1])) {
      i = open + 1;
      continue;
    }
    let inner = 0;
    let close = -1;
    for (let j = open + 1; j < prose.length; j++) {
      if (prose[j] !== '"') continue;
      if (!/\w/.test(prose[j + 1] ?? "") && inner % 2 === 0) {
        close = j;
        break;
      }
      inner++;
    }
    if (close < 0) break;
    out.push({ text: prose.slice(open + 1, close), offset: open });
    i = close + 1;
  }
  return out;
}

/**
 * The quotes of a piece of prose with what each cites. `own` is the specification prose means when it names
 * none; `sections` are the context's sections, for a quote that nothing before it cites.
 */
export function quotesIn(prose: string, own: SpecEntry, sections: string[]): Quote[] {
  const quotes: Quote[] = [];
  const names = [...prose.matchAll(SPEC_NAME)].map((m) => ({ at: m.index, name: m[1].replace(/^RFC ?/, "RFC ") }));
  const nameAt = (at: number) => names.filter((n) => n.at <= at).at(-1)?.name ?? own.name;
  const cites = [...prose.matchAll(CITE)].map((m) => {
    const name = m[1] ? m[1].replace(/^RFC ?/, "RFC ") : nameAt(m.index);
    return { at: m.index, citation: { spec: findSpec(name), name, from: m[2], to: m[3] ?? m[2] } as Citation };
  });
  let previous: Citation[] = sections.map((s) => ({ spec: own, name: own.name, from: s, to: s }));
  let after = 0;
  for (const p of passages(prose)) {
    const since = cites.filter((c) => c.at >= after && c.at < p.offset).map((c) => c.citation);
    if (since.length > 0) previous = since;
    quotes.push({ text: p.text, offset: p.offset, citations: previous });
    after = p.offset + p.text.length + 2;
  }
  return quotes;
}

/** The fragments of a quote, as the text is searched for them: "…" joins fragments, edge punctuation is the writer's. */
function fragments(quote: string): string[] {
  return normalise(quote)
    .split(/\s*(?:\[…\]|\[\.\.\.\]|…|\.\.\.)\s*/)
    .map((f) => f.replace(/^[\s,;:.]+|[\s,;:.]+$/g, ""))
    .filter((f) => f.length > 0);
}

/** Where the fragments appear in order within [start, end) of the text; a first letter may change case. */
function findIn(whole: string, start: number, end: number, parts: string[]): boolean {
  let at = start;
  for (const [i, part] of parts.entries()) {
    const forms = i === 0 ? [part, part[0].toUpperCase() + part.slice(1), part[0].toLowerCase() + part.slice(1)] : [part];
    const hits = forms.map((f) => whole.indexOf(f, at)).filter((h) => h >= 0 && h < end);
    if (hits.length === 0) return false;
    const hit = Math.min(...hits);
    if (hit + part.length > end) return false;
    at = hit + part.length;
  }
  return true;
}

/** Why a quote is not in the text of what it cites, or undefined when it is. */
export function checkQuote(quote: Quote): string | undefined {
  const parts = fragments(quote.text);
  if (parts.length === 0) return undefined;
  const missing: string[] = [];
  if (quote.citations.length === 0) return `"${short(quote.text)}" cites no section: write '§N' before it`;
  for (const c of quote.citations) {
    if (!c.spec) {
      missing.push(`${c.name} is not a specification the project has the text of (spec/texts/); quote it in single quotes`);
      continue;
    }
    const text = specText(c.spec);
    const from = text.sections.get(c.from);
    const to = text.sections.get(c.to);
    if (!from || !to) {
      missing.push(`${c.name} has no section ${!from ? c.from : c.to}`);
      continue;
    }
    if (findIn(text.whole, from.start, Math.max(from.end, to.end), parts)) return undefined;
  }
  if (missing.length > 0 && missing.length === quote.citations.length) return missing.join("; ");
  const where = quote.citations.map((c) => `${c.name} §${c.from}${c.to !== c.from ? `-${c.to}` : ""}`).join(", ");
  const known = quote.citations.find((c) => c.spec)?.spec;
  const elsewhere = known ? locate(known, parts) : [];
  return `not in ${where}: "${short(quote.text)}"${elsewhere.length > 0 ? ` (it is in §${elsewhere.join(", §")})` : ""}`;
}

/** The deepest sections that hold the whole quote, to say where a misplaced one is. */
export function locate(spec: SpecEntry, parts: string[]): string[] {
  const text = specText(spec);
  const holding = text.order.filter((n) => {
    const s = text.sections.get(n)!;
    return findIn(text.whole, s.start, s.end, parts);
  });
  return holding.filter((n) => !holding.some((m) => m !== n && m.startsWith(`${n}.`)));
}

const short = (s: string) => {
  const n = normalise(s);
  return n.length > 90 ? `${n.slice(0, 87)}...` : n;
};

/** BCP 14 keywords (RFC 2119, RFC 8174: only in capitals) and the level each is. */
const KEYWORDS: [RegExp, "MUST" | "SHOULD" | "MAY"][] = [
  [/^(MUST|REQUIRED|SHALL)\b/, "MUST"],
  [/^(SHOULD|RECOMMENDED|NOT RECOMMENDED)\b/, "SHOULD"],
  [/^(MAY|OPTIONAL)\b/, "MAY"],
];

/** The level of the first BCP 14 keyword in a quote, or null when it has none. */
export function firstKeyword(quote: string): "MUST" | "SHOULD" | "MAY" | null {
  const words = /\b(MUST|REQUIRED|SHALL|SHOULD|NOT RECOMMENDED|RECOMMENDED|MAY|OPTIONAL)\b/.exec(quote);
  if (!words) return null;
  return KEYWORDS.find(([re]) => re.test(words[1]))![1];
}
