import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { isAlias, LineCounter, parseAllDocuments, visit, type Document } from "yaml";
import { RawScenario } from "./schema.ts";
import { locate, type Path } from "../util/yaml-file.ts";
import { traceIssue } from "./trace.ts";
import { ScenarioError } from "./error.ts";
import { cellsOf, substitute, type Cell } from "./matrix-cells.ts";
import { readParties } from "./parties.ts";
import { readSteps } from "./flow.ts";
import { grantsJudgedBy } from "./room-lists.ts";
import { compiledOnce } from "./compiled-cache.ts";
import { FEATURES, type Feature, type FeatureShape, type Scenario, type SourcePos } from "./types.ts";

export { ScenarioError };

function docPos(doc: Document, lines: LineCounter, file: string): SourcePos {
  const { line, col } = lines.linePos(doc.contents?.range?.[0] ?? 0);
  return { file, line, col };
}

/**
 * The document as plain data. An alias whose anchor is not set before it in the same document (anchors do not
 * cross '---') is named at its line and column, not thrown as the library's error.
 */
function plainData(doc: Document, lines: LineCounter, file: string): unknown {
  const anchors = new Set<string>();
  let unresolved: { name: string; at: number } | undefined;
  visit(doc, (_key, node) => {
    const anchor = (node as { anchor?: string } | null)?.anchor; // null: a key without a value ({ a })
    if (anchor) anchors.add(anchor);
    if (!unresolved && isAlias(node) && !anchors.has(node.source)) unresolved = { name: node.source, at: node.range?.[0] ?? 0 };
  });
  if (unresolved) {
    const { line, col } = lines.linePos(unresolved.at);
    throw new ScenarioError(
      { file, line, col },
      `*${unresolved.name} names no anchor set before it in this document: write &${unresolved.name} on an earlier value of the same document (anchors do not cross '---')`,
    );
  }
  return doc.toJS();
}

/** Reads one scenario document: one case, or one case per matrix cell. */
function readDocument(doc: Document, lines: LineCounter, file: string): Scenario[] {
  const js = plainData(doc, lines, file) as Record<string, unknown> | null;
  if (!js || typeof js !== "object" || Array.isArray(js)) {
    throw new ScenarioError(docPos(doc, lines, file), `not a scenario: expected a YAML map with ${requiredKeys()}, got ${Array.isArray(js) ? "a list" : `a ${typeof js}`}`);
  }
  const matrix = js.matrix;
  if (matrix === undefined) return [readScenario(doc, lines, file, js)];
  const shape = RawScenario.shape.matrix.safeParse(matrix);
  if (!shape.success) throw new ScenarioError(locate(doc, lines, file, ["matrix"]), `matrix: expected variables with lists of values, or a list of cells (${shape.error.issues[0]?.message})`);
  return cellsOf(shape.data).map((cell) => {
    const sc = readScenario(doc, lines, file, substitute(js, cell), cell);
    // Listed cells are named by their `name` (or first value); combinations by all their values.
    const named = Array.isArray(shape.data) && cell.name !== undefined;
    const parts = Array.isArray(shape.data) ? [cell.name ?? Object.values(cell)[0]] : Object.values(cell);
    // A case id is typed on the command line and compared across runs: a placeholder or a blank in it cannot be, and a
    // value's own '/' (a JID's resource, a URL) would read as another cell's (a listed cell's name may use it on purpose).
    const odd = parts.map(String).find((v) => /\$\{|\s/.test(v) || (!named && v.includes("/")));
    if (odd !== undefined && !String(js.id).includes("${m."))
      throw new ScenarioError(
        locate(doc, lines, file, ["matrix"]),
        `matrix: the value '${odd}' would name a case ${String(js.id)}/${odd}, and a case id holds no placeholder, '/' or blank: list the cells with a name ([{ name: short-name, ${Object.keys(cell).find((k) => String(cell[k]) === odd) ?? "var"}: "..." }, ...])`,
      );
    const suffix = parts.join("/");
    return { ...sc, id: String(js.id).includes("${m.") ? sc.id : `${sc.id}/${suffix}`, cell };
  });
}

/** Reads one case: shape, then steps, then every reference and every XML snippet. */
function readScenario(doc: Document, lines: LineCounter, file: string, js: unknown, cell?: Cell): Scenario {
  const where = (p: Path, key?: string) => locate(doc, lines, file, p, key);
  const shape = RawScenario.safeParse(js);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    const p = issue.path.map((x) => (typeof x === "symbol" ? String(x) : x));
    const keys = issue.code === "unrecognized_keys" ? issue.keys : undefined;
    const detail = keys ? `unknown key '${keys[0]}' at ${p.join(".") || "top level"}; expected one of: ${knownKeys(p)}` : `${p.join(".") || "scenario"}: ${issue.message}`;
    throw new ScenarioError(where(p, keys?.[0]), detail);
  }
  const raw = shape.data;
  if (Boolean(raw.section) === Boolean(raw.rfc))
    throw new ScenarioError(
      where(raw.rfc ? ["rfc"] : []),
      raw.rfc ? "section and rfc name the same thing: keep section" : "expected section: the section of the specification the case checks, like 2.3.2",
    );
  const untraced = traceIssue(raw, js);
  if (untraced)
    throw new ScenarioError(
      where(untraced.path),
      `${untraced.message}${
        cell
          ? ` (matrix cell ${Object.entries(cell)
              .map(([k, v]) => `${k}=${v}`)
              .join(", ")})`
          : ""
      }`,
    );
  const parties = readParties(raw, where);
  const { accounts, roster, subscriptions, rooms } = parties;
  // A case about STARTTLS itself starts every raw connection before it; one about the handshake leaves it to its steps.
  const transport = (f: string) => {
    const shape = FEATURES[f as Feature];
    return "transport" in shape ? shape.transport : undefined;
  };
  const byStep = raw.needs?.some((f) => transport(f) === "tls" || transport(f) === "direct-tls");
  const webSocket = raw.needs?.some((f) => transport(f) === "websocket");
  // A component connection (XEP-0114) keeps to its own port and stream, and a BOSH one to HTTP, whatever the case's client connections do.
  const connections = parties.connections.map((c) =>
    c.component || c.bosh
      ? c
      : webSocket
        ? { ...c, webSocket: true as const }
        : raw.needs?.includes("starttls") || byStep
          ? { ...c, plaintext: true as const, ...(byStep && { tlsByStep: true as const }) }
          : c,
  );
  // A disco#info feature, a probe or a stream feature offered after authentication is asked over a logged-in session of the case.
  const asked = (raw.needs ?? []).find((f) => {
    const want: FeatureShape = FEATURES[f as Feature];
    return !("ns" in want || "transport" in want) || ("ns" in want && want.afterAuth);
  });
  const session = accounts.some((a) => a.domain !== "remote" && a.resources.some((r) => r.online !== false)) || roster.length + subscriptions.length + rooms.length > 0;
  if (asked && !session)
    throw new ScenarioError(where(["needs"]), `needs: ${asked} is asked of the server over a logged-in session, and this case has none online at set-up: give an account a resource`);
  const kept = readSteps(raw, parties, where, cell);
  return {
    id: raw.id,
    title: raw.title,
    ...(raw.description && { description: raw.description.trim() }),
    spec: raw.spec ?? "rfc6121",
    rfc: (raw.section ?? raw.rfc)!,
    level: raw.level,
    requirements: raw.requirements,
    tags: raw.tags ?? [],
    // A case with rooms needs a MUC service, one with a component connection a component, and one with a BOSH
    // connection a BOSH endpoint, whether or not it says so.
    needs: [
      ...new Set([
        ...(rooms.length > 0 ? ["muc"] : []),
        ...(connections.some((c) => c.component) ? ["component"] : []),
        ...(connections.some((c) => c.bosh) ? ["bosh"] : []),
        ...(raw.needs ?? []),
      ] as Feature[]),
    ].map((name) => ({
      name,
      shape: FEATURES[name],
    })),
    ...(raw.wait && { wait: raw.wait }),
    accounts,
    connections,
    roster,
    subscriptions,
    rooms: rooms.map((r) => ({ ...r, grantsJudged: grantsJudgedBy(r, kept) })),
    steps: kept,
    pos: docPos(doc, lines, file),
  };
}

const requiredKeys = () =>
  Object.entries(RawScenario.shape)
    .filter(([, v]) => !v.safeParse(undefined).success)
    .map(([k]) => k)
    .join(", ");

function knownKeys(p: Path): string {
  if (p.length === 0) return Object.keys(RawScenario.shape).join(", ");
  if (p[0] === "accounts" && p.length === 2) return "domain, resources, registered, disposable";
  if (p[0] === "accounts" && p.length === 4) return "roster, presence, online, acks, answers, caps, raw";
  if (p[0] === "connections" && p.length === 2) return "online";
  if (p[0] === "accounts" && p.length === 5) return "priority, show, status";
  return "see the README's scenario language";
}

/** Reads a scenario file (one scenario per YAML document). Throws ScenarioError for the first problem. */
export function loadScenarioFile(file: string): Scenario[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ScenarioError({ file, line: 1, col: 1 }, `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return compiledOnce(file, text, () => compileFile(file, text));
}

function compileFile(file: string, text: string): Scenario[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const lp = err.linePos?.[0] ?? { line: 1, col: 1 };
      throw new ScenarioError({ file, line: lp.line, col: lp.col }, `invalid YAML: ${err.message.split("\n")[0]}`);
    }
  }
  if (list.length === 0 || list.every((d) => d.contents === null)) throw new ScenarioError({ file, line: 1, col: 1 }, "expected a scenario, the file is empty");
  return list.filter((d) => d.contents !== null).flatMap((doc) => readDocument(doc, lines, file));
}

/** Every .yaml/.yml file below the given folders, sorted for a stable order, and every file named itself whatever its name. */
export function scenarioFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, named: boolean) => {
    // An entry that vanished or cannot be read while walking is no scenario file.
    const stat = statSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of readdirSync(p).sort()) walk(path.join(p, entry), false);
    } else if (named || /\.ya?ml$/.test(p)) {
      out.push(p);
    }
  };
  for (const p of paths) walk(p, true);
  return out;
}

export interface Suite {
  scenarios: Scenario[];
  errors: ScenarioError[];
}

/** Loads every scenario file; collects every file's first error, and duplicate ids, instead of stopping. */
export function loadSuite(paths: string[]): Suite {
  const scenarios: Scenario[] = [];
  const errors: ScenarioError[] = [];
  const seen = new Map<string, SourcePos>();
  for (const dir of paths.filter((p) => statSync(p).isDirectory())) {
    if (scenarioFiles([dir]).length === 0) errors.push(new ScenarioError({ file: dir, line: 1, col: 1 }, "no scenario files (.yaml, .yml) in this folder"));
  }
  for (const file of scenarioFiles(paths)) {
    try {
      for (const s of loadScenarioFile(file)) {
        const first = seen.get(s.id);
        if (first) {
          errors.push(new ScenarioError(s.pos, `duplicate scenario id '${s.id}' (first at ${first.file}:${first.line})`));
          continue;
        }
        seen.set(s.id, s.pos);
        scenarios.push(s);
      }
    } catch (err) {
      if (err instanceof ScenarioError) errors.push(err);
      else throw err;
    }
  }
  return { scenarios, errors };
}
