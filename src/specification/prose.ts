/**
 * Quotes in the prose of YAML files (a scenario's description, a profile entry's rfc text), checked against
 * the specification texts and located as "file:line:col" at the quote itself.
 */
import { readFileSync } from "node:fs";
import { isMap, isScalar, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";
import { findSpec, type SpecEntry } from "./registry.ts";
import { checkQuote, quotesIn } from "./quotes.ts";

export interface ProseProblem {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** Where the character at `offset` of a scalar's value is in the file (block scalars start on the next line). */
function position(text: string, lines: LineCounter, node: Node, value: string, offset: number): { line: number; col: number } {
  const start = node.range?.[0] ?? 0;
  const before = value.slice(0, offset);
  const row = before.split("\n").length - 1;
  const col = before.length - (before.lastIndexOf("\n") + 1);
  const at = lines.linePos(start);
  if (text[start] === "|" || text[start] === ">") {
    const first = text.indexOf("\n", start) + 1;
    const indent = /^ */.exec(text.slice(first))![0].length;
    return { line: at.line + 1 + row, col: indent + col + 1 };
  }
  return row === 0 ? { line: at.line, col: at.col + col + 1 } : { line: at.line + row, col: col + 1 };
}

/**
 * The quotes of some fields of every YAML document of a file that do not hold. `fields` picks, per document,
 * the prose to check: the path of a scalar, the specification it means by default and the sections a quote
 * before any citation is of.
 */
export function yamlProseProblems(file: string, fields: (doc: Record<string, unknown>) => { path: (string | number)[]; spec: SpecEntry; sections: string[] }[]): ProseProblem[] {
  const text = readFileSync(file, "utf8");
  const lines = new LineCounter();
  const problems: ProseProblem[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines }) as Document[]) {
    const js = doc.toJS() as Record<string, unknown> | null;
    if (!js || typeof js !== "object" || !isMap(doc.contents)) continue;
    for (const f of fields(js)) {
      const node = doc.getIn(f.path, true) as Node | undefined;
      if (!node || !isScalar(node) || typeof node.value !== "string") continue;
      const value = node.value;
      for (const q of quotesIn(value, f.spec, f.sections)) {
        const why = checkQuote(q);
        if (why) problems.push({ file, ...position(text, lines, node, value, q.offset), message: why });
      }
    }
  }
  return problems;
}

/** A scenario document's description: its own specification (spec:, rfc6121 by default) and section. */
export const scenarioProse = (doc: Record<string, unknown>) => {
  const spec = findSpec(String(doc.spec ?? "rfc6121"));
  return spec && typeof doc.description === "string" ? [{ path: ["description"], spec, sections: (doc.section ?? doc.rfc) ? [String(doc.section ?? doc.rfc)] : [] }] : [];
};

/** A profile's entries' rfc texts: they name their RFC and section ("RFC 6121 §2.2: …"). */
export const profileProse = (doc: Record<string, unknown>) => {
  const entries = Array.isArray(doc.deviations) ? doc.deviations : [];
  const spec = findSpec("rfc6121")!;
  return entries.flatMap((e, i) => (e && typeof e === "object" && typeof (e as { rfc?: unknown }).rfc === "string" ? [{ path: ["deviations", i, "rfc"], spec, sections: [] }] : []));
};
