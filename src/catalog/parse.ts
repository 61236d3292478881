/**
 * Reads a requirement catalog (Markdown) into the requirements the harness loads, at run time (check.ts is
 * the command that checks a catalog and rewrites its summary).
 *
 * The catalog's title names its RFC ("# RFC 6120 …"). Every table whose first column is "ID" and whose IDs fall
 * in an area of §1's summary table is a requirement table; RFC 6121's message delivery table (columns
 * normal/chat/groupchat/headline/error) also gives cells named "<row ID>/<type>". The result is checked against
 * §1's own counts (rows, levels, derived rows, testability per area, and the number of cells where the catalog
 * states one) and refused when they differ (updateSummary rewrites §1 from the tables). A derived row (the rule
 * is implied, not stated in a sentence with a keyword) is at most SHOULD: the catalog cannot make a server fail
 * on a rule the RFC does not state. That, and whether each row's quote is the RFC's and its level the
 * quote's, is checked row by row in check-rows.ts.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { LEVELS, type Level } from "../specification/levels.ts";
import { catalogSpecs, findSpec, type SpecEntry } from "../specification/registry.ts";
import type { Area, Catalog, Observable, Requirement } from "./types.ts";

interface Table {
  heading: string;
  header: string[];
  rows: string[][];
  /** The source line (1-based) of each row. */
  lines: number[];
  /** The line of the header row. */
  line: number;
}

const MESSAGE_TYPES = ["normal", "chat", "groupchat", "headline", "error"];

/** A table row's cells; "\\|" is a pipe inside a cell (a quoted RFC table row). */
const splitRow = (line: string) =>
  line
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, "|"));

function parseTables(md: string): Table[] {
  const tables: Table[] = [];
  const lines = md.split("\n");
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const h = /^#{2,4} (.*)$/.exec(lines[i]);
    if (h) heading = h[1];
    if (!lines[i].startsWith("|") || !/^\|[-| ]+$/.test(lines[i + 1]?.trim() ?? "")) continue;
    const table: Table = { heading, header: splitRow(lines[i]), rows: [], lines: [], line: i + 1 };
    for (i += 2; lines[i]?.startsWith("|"); i++) {
      table.rows.push(splitRow(lines[i]));
      table.lines.push(i + 1);
    }
    tables.push(table);
  }
  return tables;
}

/** Bold, code and escapes are Markdown, not text. */
const plain = (s: string) => s.replace(/\*\*/g, "").replace(/`/g, "").replace(/\\\*/g, "*");

const SECTION = /^(?:((?:RFC|XEP-)\s?\d+) §)?((?:[A-D]|\d+)(?:\.\d+)*)/;

/** The specification a name in a catalog cell means ("RFC 6120", "XEP-0297"), by its registry id. */
const idOf = (name: string) => findSpec(name)?.id ?? name.toLowerCase().replace(/\s/g, "");

/**
 * "2.3.3 (bad-request #1), 2.1.5" → the catalog's own specification, [2.3.3, 2.1.5]; "RFC 6120 §8.3.3.8" →
 * rfc6120, [8.3.3.8]; "2.5 / 3.4.2" → [2.5, 3.4.2]. Sections of another specification than the first are left
 * out. Without a cell: the heading's section, or every section its "RFC a, b, c" (or "XEP a, b") list names.
 */
function sectionsOf(cell: string | undefined, heading: string, own: SpecEntry): { statedIn: string; section: string; sections: string[] } {
  const parts = (cell ?? "")
    .split(/[,/]/)
    .map((p) => SECTION.exec(p.trim()))
    .filter((m) => m !== null);
  if (parts.length > 0) {
    const statedIn = parts[0][1] ? idOf(parts[0][1]) : own.id;
    const sections = [...new Set(parts.filter((m) => (m[1] ? idOf(m[1]) : own.id) === statedIn).map((m) => m[2]))];
    return { statedIn, section: sections[0], sections };
  }
  const appendix = /^([A-D](?:\.\d+)+) /.exec(heading);
  const kind = own.kind === "rfc" ? "RFC" : "XEP";
  const list = new RegExp(`\\b${kind} (?:${own.name.replace(/^\S+ /, "")} §)?((?:[A-D]|\\d+)(?:\\.\\d+)*(?:, (?:[A-D]|\\d+)(?:\\.\\d+)*)*)`).exec(heading);
  const sections = appendix ? [appendix[1]] : (list?.[1].split(", ") ?? []);
  if (sections.length === 0) throw new Error(`no section for a row under "${heading}"`);
  return { statedIn: own.id, section: sections[0], sections };
}

/**
 * RFC 6121's message delivery table (§8.5.4) sums up rules the text states in §8.5.1 - §8.5.3: a row also gets
 * the section of its rule, from its condition and address, so cases can point at the sentence they quote.
 */
function messageRuleSection(condition: string, to: string): string {
  if (condition === "NOACCT") return "8.5.1";
  if (to === "bare") return condition === "0RES" ? "8.5.2.2.1" : "8.5.2.1.1";
  return to === "full match" ? "8.5.3.1" : "8.5.3.2.1";
}

/**
 * "(reviewed: why)" in a Level cell: why the level is not the first keyword of the row's quote. The note may hold
 * parentheses of its own ("(XEP-0060)"), so it ends at the one that closes it: a keyword after an inner ")" is the
 * note's, not the row's level.
 */
function reviewedNote(cell: string): { note: string; rest: string } | undefined {
  const start = cell.indexOf("(reviewed: ");
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start; i < cell.length; i++) {
    if (cell[i] === "(") depth++;
    else if (cell[i] === ")" && --depth === 0) return { note: cell.slice(start + "(reviewed: ".length, i), rest: cell.slice(0, start) + cell.slice(i + 1) };
  }
  return { note: cell.slice(start + "(reviewed: ".length), rest: cell.slice(0, start) };
}
const levelWords = (cell: string) => reviewedNote(cell)?.rest ?? cell;
const firstLevel = (cell: string): Level | null => (/\b(MUST|SHOULD|MAY)\b/.exec(levelWords(cell))?.[1] as Level | undefined) ?? null;
const strongestLevel = (cell: string): Level | null => LEVELS.find((l) => new RegExp(`\\b${l}\\b`).test(levelWords(cell))) ?? null;
const weakestLevel = (cell: string): Level | null => [...LEVELS].reverse().find((l) => new RegExp(`\\b${l}\\b`).test(levelWords(cell))) ?? null;

/** "SHOULD (normal, chat) / MUST (others)": the level of one message type's cell. */
function cellLevel(cell: string, type: string): Level | null {
  let others: Level | undefined;
  for (const part of levelWords(cell).split(" / ")) {
    const m = /^(MUST|SHOULD|MAY)(?: NOT)? \(([^)]*)\)$/.exec(part.trim());
    const names = m?.[2].split(",").map((n) => n.trim()) ?? [];
    if (names.includes(type)) return m![1] as Level;
    if (names.includes("others")) others = m![1] as Level;
  }
  return others ?? firstLevel(cell);
}

function parseAreas(tables: Table[]): { areas: Area[]; expected: Map<string, number[]> } {
  const summary = tables.find((t) => t.header[0] === "Area (ID prefix)");
  if (!summary) throw new Error("no summary table (§1) with an 'Area (ID prefix)' column");
  // Columns by name: Rows, MUST, SHOULD, MAY, N/A…, derived, then testability "yes / partly / no (+n n/a)".
  const counted = ["Rows", "MUST", "SHOULD", "MAY", "N/A", "derived", "Client-only testable"].map((name) => {
    const i = summary.header.findIndex((h) => h.startsWith(name));
    if (i < 0) throw new Error(`summary table (§1): no '${name}' column`);
    return i;
  });
  const testableCol = counted.pop()!;
  const areas: Area[] = [];
  const expected = new Map<string, number[]>();
  for (const row of summary.rows) {
    const name = plain(row[0]);
    const testable = /(\d+) \/ (\d+) \/ (\d+)(?: \(\+(\d+) n\/a\))?/.exec(row[testableCol]);
    if (!testable) throw new Error(`summary row ${name}: cannot read '${row[testableCol]}'`);
    expected.set(name, [...counted.map((i) => Number(plain(row[i]))), ...testable.slice(1).map((n) => Number(n ?? 0))]);
    if (name !== "Total") areas.push({ name, prefixes: name.split("/"), scope: row[1] });
  }
  return { areas, expected };
}

function requirementsOf(table: Table, areaOf: (id: string) => string | undefined, spec: SpecEntry): Requirement[] {
  const col = (name: string) => {
    const i = table.header.findIndex((h) => h.startsWith(name));
    return i < 0 ? undefined : i;
  };
  const [rfcCol, levelCol, clientCol, textCol, quoteCol] = [col("RFC") ?? col("XEP") ?? col("§"), col("Level"), col("Client-only?"), col("Requirement") ?? col("Description"), col("Quote")];
  const title = table.heading.replace(/^[\dA-D.]+ /, "").replace(/ \(.*$/, "");
  const described = table.header.map((h, i) => ({ h, i })).filter(({ h }) => !/^(ID|Level|Client-only\?|Test |Quote)/.test(h));
  const out: Requirement[] = [];
  for (const [r, row] of table.rows.entries()) {
    const id = row[0];
    const area = areaOf(id);
    if (!area) continue;
    const levelCell = levelCol === undefined ? "" : row[levelCol];
    const observableCell = clientCol === undefined ? undefined : /^(yes|partly|no|n\/a)(?![\w/])/.exec(row[clientCol])?.[1]?.replace("/", "-");
    if (clientCol !== undefined && !observableCell) throw new Error(`${id}: cannot read Client-only? '${row[clientCol]}'`);
    // Tables without the column: §1 counts the conformance list (the table that names the rows covering each
    // feature) as n/a and the delivery tables as testable with client connections.
    const observable = (observableCell ?? (col("Covered by") !== undefined ? "n-a" : "yes")) as Observable;
    const text = textCol === undefined ? `${title}: ${described.map(({ h, i }) => `${h}: ${row[i]}`).join("; ")}` : row[textCol];
    const quote = quoteCol === undefined ? "" : row[quoteCol];
    const reviewed = reviewedNote(levelCell)?.note.trim();
    const req: Requirement = {
      id,
      spec: spec.id,
      area,
      ...sectionsOf(rfcCol === undefined ? undefined : row[rfcCol], table.heading, spec),
      level: firstLevel(levelCell),
      maxLevel: strongestLevel(levelCell),
      minLevel: weakestLevel(levelCell),
      derived: /\bderived\b/.test(levelWords(levelCell)),
      observable,
      text: plain(text),
      ...(quote && { quote }),
      ...(reviewed && { reviewed }),
      line: table.lines[r],
    };
    if (req.level === null && !/^N\/A\b/.test(levelCell)) throw new Error(`${id}: no level in '${levelCell}'`);
    out.push(req);
    if (!MESSAGE_TYPES.every((t) => table.header.includes(t))) continue;
    req.sections.push(messageRuleSection(row[col("Condition")!], row[col("To")!]));
    for (const type of MESSAGE_TYPES) {
      const value = row[table.header.indexOf(type)];
      const where = `${row[col("Condition")!]}, to ${row[col("To")!]}`;
      const level = cellLevel(levelCell, type);
      out.push({ ...req, sections: [...req.sections], id: `${id}/${type}`, level, maxLevel: level, minLevel: level, text: plain(`${type} message (${where}): ${value}`), cellOf: id });
    }
  }
  return out;
}

/** Per area: rows, MUST, SHOULD, MAY, N/A, derived, observable yes / partly / no / n-a, as §1 counts them. */
function count(reqs: Requirement[]): number[] {
  const rows = reqs.filter((r) => !r.cellOf);
  const n = (f: (r: Requirement) => boolean) => rows.filter(f).length;
  return [
    rows.length,
    n((r) => r.level === "MUST"),
    n((r) => r.level === "SHOULD"),
    n((r) => r.level === "MAY"),
    n((r) => r.level === null),
    n((r) => r.derived),
    ...(["yes", "partly", "no", "n-a"] as const).map((o) => n((r) => r.observable === o)),
  ];
}

/** The specification a catalog describes, from its title: "# RFC 6120 (XMPP Core): …" → rfc6120, "# XEP-0280 …". */
export function specOf(md: string): SpecEntry {
  const name = /^# ((?:RFC|XEP-)\s?\d+)\b/m.exec(md)?.[1];
  const spec = name ? findSpec(name) : undefined;
  if (!spec)
    throw new Error(
      `the catalog's title must name a specification of the registry (src/specification/registry.ts: ${catalogSpecs()
        .map((s) => s.name)
        .join(", ")}), like "# RFC 6120 …", got '${md.split("\n")[0]}'`,
    );
  return spec;
}

/** The areas, the requirements (with their source lines) and what §1 says of them, read from the catalog's Markdown. */
export function read(md: string): { spec: SpecEntry; areas: Area[]; expected: Map<string, number[]>; requirements: Requirement[] } {
  const spec = specOf(md);
  const tables = parseTables(md);
  const { areas, expected } = parseAreas(tables);
  const areaOf = (id: string) => areas.find((a) => a.prefixes.includes(id.split("-")[0]))?.name;
  const requirements = tables.filter((t) => t.header[0] === "ID").flatMap((t) => requirementsOf(t, areaOf, spec));
  return { spec, areas, expected, requirements };
}

/** The catalog as JSON, or an error listing every way its tables and its own summary (§1) disagree. */
export function buildCatalog(md: string, file: string): Catalog {
  const { spec, areas, expected, requirements } = read(md);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of requirements) {
    if (seen.has(r.id)) problems.push(`${r.id} appears twice`);
    seen.add(r.id);
  }
  for (const [name, want] of expected) {
    const got = count(name === "Total" ? requirements : requirements.filter((r) => r.area === name));
    if (got.join() !== want.join()) problems.push(`${name}: §1 says ${want.join(" ")}, the tables give ${got.join(" ")} (rows MUST SHOULD MAY N/A derived yes partly no n/a)`);
  }
  // Only a catalog with a cell table states how many cells it has.
  const cells = /(\d+) message rows × (\d+) message types = \*\*(\d+) message cells/.exec(md);
  const gotCells = requirements.filter((r) => r.cellOf).length;
  if ((cells || gotCells > 0) && Number(cells?.[3]) !== gotCells) problems.push(`§1 says ${cells?.[3] ?? "nothing about"} message cells, the table gives ${gotCells}`);
  if (problems.length > 0) throw new Error(`the catalog does not add up:\n  ${problems.join("\n  ")}`);

  const sha256 = createHash("sha256").update(md).digest("hex");
  const rows = requirements.map(({ line: _, ...r }) => r);
  return { spec: spec.id, source: { file: path.basename(file), sha256 }, areas, requirements: rows };
}

/**
 * The catalog with §1's counts rewritten from its tables: after rows were added, removed or regraded. Only
 * the counted columns change (rows, levels, derived, testability); everything else of §1 stays.
 */
export function updateSummary(md: string): string {
  const { requirements } = read(md);
  const lines = md.split("\n");
  const start = lines.findIndex((l) => /^\| *Area \(ID prefix\)/.test(l));
  const header = splitRow(lines[start]);
  const at = (name: string) => header.findIndex((h) => h.startsWith(name));
  const columns = ["Rows", "MUST", "SHOULD", "MAY", "N/A", "derived"].map(at);
  const testable = at("Client-only testable");
  for (let i = start + 2; lines[i]?.startsWith("|"); i++) {
    const cells = splitRow(lines[i]);
    const name = plain(cells[0]);
    const areaName = name === "Total" ? undefined : name;
    const got = count(areaName ? requirements.filter((r) => r.area === areaName) : requirements);
    const bold = (v: string | number) => (name === "Total" ? `**${v}**` : String(v));
    columns.forEach((c, k) => {
      if (c >= 0) cells[c] = bold(got[k]);
    });
    if (testable >= 0) cells[testable] = `${got[6]} / ${got[7]} / ${got[8]}${got[9] > 0 ? ` (+${got[9]} n/a)` : ""}`;
    lines[i] = `| ${cells.join(" | ")} |`;
  }
  return lines.join("\n");
}
