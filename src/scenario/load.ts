import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { LineCounter, parseAllDocuments, type Document } from "yaml";
import { parse as parseXml } from "ltx";
import { RawScenario } from "./schema.ts";
import { FileError, locate, type Path } from "../util/yaml-file.ts";
import { parseStep, StepIssue, type When } from "./steps.ts";
import { capturesIn, fill, placeholdersIn } from "./template.ts";
import { traceIssue } from "./trace.ts";
import { guardIssue } from "./guard.ts";
import type { AccountSpec, Feature, RosterItemSpec, Scenario, SourcePos, Step, SubscriptionSpec } from "./types.ts";

/** A problem in a scenario file, located for people and editors: "file:line:col: message". */
export class ScenarioError extends FileError {}

function docPos(doc: Document, lines: LineCounter, file: string): SourcePos {
  const { line, col } = lines.linePos(doc.contents?.range?.[0] ?? 0);
  return { file, line, col };
}

type Cell = Record<string, string>;

/** The cells of a matrix: every combination of the variables' values, or the listed cells. */
function cellsOf(matrix: unknown): Cell[] {
  if (Array.isArray(matrix)) return matrix.map((c) => Object.fromEntries(Object.entries(c as object).map(([k, v]) => [k, String(v)])));
  return Object.entries(matrix as Record<string, unknown[]>).reduce<Cell[]>(
    (cells, [name, values]) => cells.flatMap((c) => values.map((v) => ({ ...c, [name]: String(v) }))),
    [{}],
  );
}

/**
 * ${m.NAME} replaced by the cell's value in every string of the document (keys included). A string that is
 * only a placeholder for a number becomes that number, so `presence: "${m.priority}"` stays a priority.
 */
function substitute(value: unknown, cell: Cell): unknown {
  const alone = typeof value === "string" ? /^\$\{m\.([a-z][a-z0-9_]*)\}$/.exec(value) : null;
  if (alone && cell[alone[1]] !== undefined && /^-?\d+(\.\d+)?$/.test(cell[alone[1]])) return Number(cell[alone[1]]);
  if (typeof value === "string") return value.replace(/\$\{m\.([a-z][a-z0-9_]*)\}/g, (whole, name: string) => cell[name] ?? whole);
  if (Array.isArray(value)) return value.map((v) => substitute(v, cell));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k, cell) as string, substitute(v, cell)]));
  return value;
}

/** Reads one scenario document: one case, or one case per matrix cell. */
function readDocument(doc: Document, lines: LineCounter, file: string): Scenario[] {
  const js = doc.toJS() as Record<string, unknown> | null;
  const matrix = js && typeof js === "object" ? js.matrix : undefined;
  if (matrix === undefined) return [readScenario(doc, lines, file, js)];
  const shape = RawScenario.shape.matrix.safeParse(matrix);
  if (!shape.success) throw new ScenarioError(locate(doc, lines, file, ["matrix"]), `matrix: expected variables with lists of values, or a list of cells (${shape.error.issues[0]?.message})`);
  return cellsOf(shape.data).map((cell) => {
    const sc = readScenario(doc, lines, file, substitute(js, cell), cell);
    // Listed cells are named by their `name` (or first value); combinations by all their values.
    const suffix = Array.isArray(shape.data) ? (cell.name ?? Object.values(cell)[0]) : Object.values(cell).join("/");
    return { ...sc, id: String(js!.id).includes("${m.") ? sc.id : `${sc.id}/${suffix}`, cell };
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
    const detail = keys
      ? `unknown key '${keys[0]}' at ${p.join(".") || "top level"}; expected one of: ${knownKeys(p)}`
      : `${p.join(".") || "scenario"}: ${issue.message}`;
    throw new ScenarioError(where(p, keys?.[0]), detail);
  }
  const raw = shape.data;
  const untraced = traceIssue(raw, js);
  if (untraced) throw new ScenarioError(where(untraced.path), `${untraced.message}${cell ? ` (matrix cell ${Object.entries(cell).map(([k, v]) => `${k}=${v}`).join(", ")})` : ""}`);
  const accounts: AccountSpec[] = Object.entries(raw.accounts).map(([name, a]) => ({
    name,
    domain: a?.domain ?? "a",
    resources: Object.entries(a?.resources ?? {}).map(([res, r]) => {
      const p = r?.presence;
      return {
        name: res,
        roster: r?.roster ?? false,
        online: r?.online ?? true,
        acks: r?.acks ?? true,
        presence: p === undefined || p === false ? undefined : p === true ? {} : typeof p === "number" ? { priority: p } : p,
      };
    }),
  }));
  const sessions = new Set(accounts.flatMap((a) => a.resources.map((r) => `${a.name}/${r.name}`)));
  const actorOf = (name: string) => {
    if (name.includes("/")) {
      if (!sessions.has(name)) throw new StepIssue(`no resource '${name}' is declared under accounts`);
      return name;
    }
    const account = accounts.find((a) => a.name === name);
    if (!account) throw new StepIssue(`no account '${name}' is declared under accounts`);
    if (account.resources.length !== 1) throw new StepIssue(`account '${name}' has ${account.resources.length} resources: name one, e.g. '${name}/${account.resources[0]?.name ?? "res"}'`);
    return `${name}/${account.resources[0].name}`;
  };

  const names = new Set(accounts.map((a) => a.name));
  const roster: RosterItemSpec[] = Object.entries(raw.roster ?? {}).flatMap(([owner, items]) => {
    if (!names.has(owner)) throw new ScenarioError(where(["roster"], owner), `roster: no account '${owner}' is declared under accounts`);
    return items.map((it) => ({ owner, jid: it.jid, ...(it.name !== undefined && { name: it.name }), groups: it.groups ?? [] }));
  });
  const subscriptions: SubscriptionSpec[] = (raw.subscriptions ?? []).map((sub, i) => {
    for (const who of [sub.user, sub.contact]) {
      if (!names.has(who)) throw new ScenarioError(where(["subscriptions", i]), `subscriptions[${i}]: no account '${who}' is declared under accounts`);
    }
    if (sub.user === sub.contact) throw new ScenarioError(where(["subscriptions", i]), `subscriptions[${i}]: user and contact must differ`);
    if (sub.state === "pre-approved" && !(raw.needs ?? []).includes("pre-approval")) {
      throw new ScenarioError(where(["subscriptions", i]), `subscriptions[${i}]: state pre-approved needs 'needs: [pre-approval]' (servers without the feature must skip the case)`);
    }
    return sub;
  });

  // Names a placeholder may use, growing with each step's captures.
  // ${domain.b} only where an account lives on b: such a case is skipped on a single server, where it has no value.
  const secondDomain = accounts.some((a) => a.domain === "b") ? ["domain.b"] : [];
  const known = new Set(["domain", "uid", ...accounts.map((a) => a.name), ...sessions, ...secondDomain]);
  const kept: Step[] = [];
  const sent: { actor: string; xml: string }[] = [];
  raw.steps.forEach((rawStep, i) => {
    let step: Step;
    let when: When | undefined;
    try {
      ({ step, when } = parseStep(rawStep, { pos: where(["steps", i]), actorOf }));
      if (when && !cell) throw new StepIssue("'when' needs a matrix");
      for (const name of Object.keys(when ?? {})) {
        if (!(name in cell!)) throw new StepIssue(`'when' names '${name}', which is not a matrix variable (${Object.keys(cell!).join(", ")})`, ["when"]);
      }
    } catch (err) {
      if (!(err instanceof StepIssue)) throw err;
      throw new ScenarioError(where(["steps", i], typeof err.path[0] === "string" ? err.path[0] : undefined), `steps[${i}]: ${err.message}`);
    }
    const key = typeof rawStep === "string" ? undefined : Object.keys(rawStep).find((k) => k === "one of" || k.startsWith(step.actor.split("/")[0]));
    const xmlPos = key ? where(["steps", i, key]) : step.pos;
    /** Checks placeholders and well-formedness; a capture is known to the patterns after the one that makes it. */
    const check = (xmls: string[], names: Set<string>) => {
      for (const xml of xmls) {
        for (const name of placeholdersIn(xml)) {
          if (!names.has(name)) throw new ScenarioError(xmlPos, `steps[${i}]: unknown placeholder \${${name}}; known here: ${[...names].join(", ")}`);
        }
        try {
          parseXml(fill(xml, Object.fromEntries([...names].map((k) => [k, "x@example.invalid"]))));
        } catch (err) {
          throw new ScenarioError(xmlPos, `steps[${i}]: expected well-formed XML (${(err as Error).message}) in: ${xml.trim().slice(0, 80)}`);
        }
      }
    };
    if (step.kind === "one-of") {
      // Each alternative's steps run in order, so a capture serves the alternative's later steps; after the
      // step only captures that every alternative makes are certain.
      const per = step.alternatives.map((alt) => {
        const names = new Set(known);
        for (const st of alt.steps) {
          check(xmlOf(st), names);
          for (const xml of xmlOf(st)) for (const c of capturesIn(xml)) names.add(c);
        }
        return names;
      });
      for (const name of per[0]) if (per.every((names) => names.has(name))) known.add(name);
    } else {
      check(xmlOf(step), known);
      for (const xml of xmlOf(step)) for (const c of capturesIn(xml)) known.add(c);
    }
    if (when && !Object.entries(when).every(([name, values]) => values.includes(cell![name]))) return;
    const guarded = guardIssue(step, { level: raw.level, requirements: raw.requirements, sent });
    if (guarded) throw new ScenarioError(xmlPos, `steps[${i}]: ${guarded}`);
    if (step.kind === "send") sent.push({ actor: step.actor, xml: step.xml });
    kept.push(step);
  });
  if (kept.length === 0) throw new ScenarioError(where(["steps"]), "no step applies to this matrix cell");
  for (const item of roster) {
    for (const name of placeholdersIn(item.jid)) {
      if (!known.has(name)) throw new ScenarioError(where(["roster", item.owner]), `roster: unknown placeholder \${${name}} in '${item.jid}'`);
    }
  }

  return {
    id: raw.id,
    title: raw.title,
    ...(raw.description && { description: raw.description.trim() }),
    rfc: raw.rfc,
    level: raw.level,
    requirements: raw.requirements,
    tags: raw.tags ?? [],
    needs: (raw.needs ?? []) as Feature[],
    accounts,
    roster,
    subscriptions,
    steps: kept,
    pos: docPos(doc, lines, file),
  };
}

function knownKeys(p: Path): string {
  if (p.length === 0) return Object.keys(RawScenario.shape).join(", ");
  if (p[0] === "accounts" && p.length === 2) return "domain, resources";
  if (p[0] === "accounts" && p.length === 4) return "roster, presence, online, acks";
  if (p[0] === "accounts" && p.length === 5) return "priority, show, status";
  return "see the README's scenario language";
}

function xmlOf(step: Step): string[] {
  switch (step.kind) {
    case "send": return [step.xml];
    case "receive": return step.patterns;
    case "receive-one-of": return step.alternatives.flatMap((a) => a.patterns);
    case "receive-nothing": return step.pattern ? [step.pattern] : [];
    case "one-of": return step.alternatives.flatMap((a) => a.steps.flatMap(xmlOf));
    default: return [];
  }
}

/** Reads a scenario file (one scenario per YAML document). Throws ScenarioError for the first problem. */
export function loadScenarioFile(file: string): Scenario[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(readFileSync(file, "utf8"), { lineCounter: lines, prettyErrors: true });
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

/** Every .yaml/.yml file below the given files and folders, sorted for a stable order. */
export function scenarioFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) {
      for (const entry of readdirSync(p).sort()) walk(path.join(p, entry));
    } else if (/\.ya?ml$/.test(p)) {
      out.push(p);
    }
  };
  for (const p of paths) walk(p);
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
