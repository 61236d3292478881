import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { LineCounter, parseAllDocuments, type Document } from "yaml";
import { parse as parseXml } from "ltx";
import { RawScenario } from "./schema.ts";
import { FileError, locate, type Path } from "../util/yaml-file.ts";
import { parseStep, StepIssue, type AlsoEntry, type When } from "./steps.ts";
import { findRequirement } from "../catalog/index.ts";
import { capturesIn, fill, placeholdersIn, unknownFilters } from "./template.ts";
import { allTextsOf, checksOf, REMOTE_KINDS, STREAM_KINDS, textsOfStep as textsOf, xmlOfStep as xmlOf } from "./kinds.ts";
import { traceIssue } from "./trace.ts";
import { guardIssue } from "./guard.ts";
import { LEVELS, type AccountSpec, type Feature, type Level, type RawConnectionSpec, type RosterItemSpec, type Scenario, type SourcePos, type Step, type SubscriptionSpec } from "./types.ts";

/** The weaker of two levels. */
const lower = (a: Level, b: Level): Level => (LEVELS.indexOf(a) > LEVELS.indexOf(b) ? a : b);

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
 * only a placeholder for an integer becomes that number, so `presence: "${m.priority}"` stays a priority (a
 * section such as "8.4" stays text).
 */
function substitute(value: unknown, cell: Cell): unknown {
  const alone = typeof value === "string" ? /^\$\{m\.([a-z][a-z0-9_]*)\}$/.exec(value) : null;
  if (alone && cell[alone[1]] !== undefined && /^-?\d+$/.test(cell[alone[1]])) return Number(cell[alone[1]]);
  if (typeof value === "string") return value.replace(/\$\{m\.([a-z][a-z0-9_]*)\}/g, (whole, name: string) => cell[name] ?? whole);
  if (Array.isArray(value)) return value.map((v) => substitute(v, cell));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k, cell) as string, substitute(v, cell)]));
  return value;
}

/** Reads one scenario document: one case, or one case per matrix cell. */
function readDocument(doc: Document, lines: LineCounter, file: string): Scenario[] {
  const js = doc.toJS() as Record<string, unknown> | null;
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
    const suffix = Array.isArray(shape.data) ? (cell.name ?? Object.values(cell)[0]) : Object.values(cell).join("/");
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
    const detail = keys
      ? `unknown key '${keys[0]}' at ${p.join(".") || "top level"}; expected one of: ${knownKeys(p)}`
      : `${p.join(".") || "scenario"}: ${issue.message}`;
    throw new ScenarioError(where(p, keys?.[0]), detail);
  }
  const raw = shape.data;
  const untraced = traceIssue(raw, js);
  if (untraced) throw new ScenarioError(where(untraced.path), `${untraced.message}${cell ? ` (matrix cell ${Object.entries(cell).map(([k, v]) => `${k}=${v}`).join(", ")})` : ""}`);
  // A remote account's resources only name full JIDs: the harness's remote server plays it, nothing logs in.
  for (const [name, a] of Object.entries(raw.accounts)) {
    if (a?.domain !== "remote") continue;
    for (const [res, r] of Object.entries(a.resources ?? {})) {
      const extra = (["roster", "presence", "online", "acks", "raw"] as const).find((k) => r?.[k] !== undefined);
      if (extra) throw new ScenarioError(where(["accounts", name, "resources", res], extra), `accounts.${name}.resources.${res}: ${name} is a user of the harness's remote server, where nothing logs in: '${extra}' does not apply (a resource only names a full JID, \${${name}/${res}})`);
    }
  }
  const remotes = new Set(Object.entries(raw.accounts).filter(([, a]) => a?.domain === "remote").map(([name]) => name));
  const accounts: AccountSpec[] = Object.entries(raw.accounts).map(([name, a]) => ({
    name,
    domain: a?.domain ?? "a",
    resources: Object.entries(a?.resources ?? {}).filter(([, r]) => !r?.raw).map(([res, r]) => {
      if (remotes.has(name)) return { name: res, roster: false, online: false, acks: true };
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
  // Raw connections (docs/stream-steps.md): under an account (its credentials), or at the top level (none).
  const connections: RawConnectionSpec[] = [
    ...Object.entries(raw.accounts).flatMap(([account, a]) =>
      Object.entries(a?.resources ?? {}).filter(([, r]) => r?.raw).map(([name, r]) => {
        const extra = (["roster", "presence", "acks"] as const).find((k) => r?.[k] !== undefined);
        if (extra) throw new ScenarioError(where(["accounts", account, "resources", name], extra), `accounts.${account}.resources.${name}: a raw connection does only what its steps say; '${extra}' does not apply`);
        return { label: `${account}/${name}`, name, account, online: r?.online ?? true };
      }),
    ),
    ...Object.entries(raw.connections ?? {}).map(([name, c]) => {
      if (name in raw.accounts) throw new ScenarioError(where(["connections"], name), `connections.${name}: '${name}' is also an account; name the connection differently`);
      return { label: name, name, online: c?.online ?? true };
    }),
  ];
  const rawLabels = new Set(connections.map((c) => c.label));
  const sessions = new Set(accounts.flatMap((a) => a.resources.map((r) => `${a.name}/${r.name}`)));
  const actorOf = (name: string) => {
    if (name.includes("/")) {
      if (!sessions.has(name) && !rawLabels.has(name)) throw new StepIssue(`no resource '${name}' is declared under accounts`);
      return name;
    }
    if (rawLabels.has(name)) return name;
    const account = accounts.find((a) => a.name === name);
    if (!account) throw new StepIssue(`no account or connection '${name}' is declared`);
    // A remote user acts and receives as its bare JID unless a step names one of its resources.
    if (remotes.has(name)) return name;
    const labels = [...account.resources.map((r) => `${name}/${r.name}`), ...connections.filter((c) => c.account === name).map((c) => c.label)];
    if (labels.length !== 1) throw new StepIssue(`account '${name}' has ${labels.length} resources: name one, e.g. '${labels[0] ?? `${name}/res`}'`);
    return labels[0];
  };

  const names = new Set(accounts.map((a) => a.name));
  const roster: RosterItemSpec[] = Object.entries(raw.roster ?? {}).flatMap(([owner, items]) => {
    if (!names.has(owner)) throw new ScenarioError(where(["roster"], owner), `roster: no account '${owner}' is declared under accounts`);
    if (remotes.has(owner)) throw new ScenarioError(where(["roster"], owner), `roster: ${owner} is a user of the harness's remote server, which keeps no roster`);
    return items.map((it) => ({ owner, jid: it.jid, ...(it.name !== undefined && { name: it.name }), groups: it.groups ?? [] }));
  });
  const subscriptions: SubscriptionSpec[] = (raw.subscriptions ?? []).map((sub, i) => {
    for (const who of [sub.user, sub.contact]) {
      if (!names.has(who)) throw new ScenarioError(where(["subscriptions", i]), `subscriptions[${i}]: no account '${who}' is declared under accounts`);
    }
    if (sub.user === sub.contact) throw new ScenarioError(where(["subscriptions", i]), `subscriptions[${i}]: user and contact must differ`);
    if (remotes.has(sub.user) && remotes.has(sub.contact)) throw new ScenarioError(where(["subscriptions", i]), `subscriptions[${i}]: both are users of the harness's remote server; one must be on the target`);
    if (sub.state === "pre-approved" && remotes.has(sub.user)) throw new ScenarioError(where(["subscriptions", i]), `subscriptions[${i}]: a pre-approval is the user's server's; ${sub.user} is a user of the harness's remote server`);
    if (sub.state === "pre-approved" && !(raw.needs ?? []).includes("pre-approval")) {
      throw new ScenarioError(where(["subscriptions", i]), `subscriptions[${i}]: state pre-approved needs 'needs: [pre-approval]' (servers without the feature must skip the case)`);
    }
    return sub;
  });

  // Names a placeholder may use, growing with each step's captures.
  // ${domain.b} only where an account lives on b: such a case is skipped on a single server, where it has no value.
  const secondDomain = accounts.some((a) => a.domain === "b") ? ["domain.b"] : [];
  const remoteDomain = remotes.size > 0 ? ["domain.remote"] : [];
  const known = new Set(["domain", "uid", ...accounts.map((a) => a.name), ...sessions, ...secondDomain, ...remoteDomain]);
  // Raw connections bound by an earlier step: only these take part in barriers, and name a full JID.
  const bound = new Set<string>();
  const kept: Step[] = [];
  const sent: { actor: string; xml: string }[] = [];
  raw.steps.forEach((rawStep, i) => {
    let step: Step;
    let when: When | undefined;
    let also: AlsoEntry[] | undefined;
    try {
      ({ step, when, also } = parseStep(rawStep, { pos: where(["steps", i]), actorOf }));
      if (when && !cell) throw new StepIssue("'when' needs a matrix");
      for (const name of Object.keys(when ?? {})) {
        if (!(name in cell!)) throw new StepIssue(`'when' names '${name}', which is not a matrix variable (${Object.keys(cell!).join(", ")})`, ["when"]);
      }
      checkActors(step, rawLabels, connections, bound, remotes);
    } catch (err) {
      if (!(err instanceof StepIssue)) throw err;
      throw new ScenarioError(where(["steps", i], typeof err.path[0] === "string" ? err.path[0] : undefined), `steps[${i}]: ${err.message}`);
    }
    const key = typeof rawStep === "string" ? undefined : Object.keys(rawStep).find((k) => k === "one of" || k.startsWith(step.actor.split("/")[0]));
    const xmlPos = key ? where(["steps", i, key]) : step.pos;
    const placeholders = (texts: string[], names: Set<string>) => {
      for (const text of texts) {
        for (const name of placeholdersIn(text)) {
          if (!names.has(name)) throw new ScenarioError(xmlPos, `steps[${i}]: unknown placeholder \${${name}}; known here: ${[...names].join(", ")}`);
        }
        for (const f of unknownFilters(text)) throw new ScenarioError(xmlPos, `steps[${i}]: unknown placeholder filter '|${f}' (filters: upper, local)`);
      }
    };
    /** Checks placeholders and well-formedness; a capture is known to the patterns after the one that makes it. */
    const check = (xmls: string[], names: Set<string>) => {
      placeholders(xmls, names);
      for (const xml of xmls) {
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
          placeholders(textsOf(st), names);
          for (const xml of [...xmlOf(st), ...textsOf(st)]) for (const c of capturesIn(xml)) names.add(c);
        }
        return names;
      });
      for (const name of per[0]) if (per.every((names) => names.has(name))) known.add(name);
    } else {
      check(xmlOf(step), known);
      placeholders(textsOf(step), known);
      for (const xml of [...xmlOf(step), ...textsOf(step)]) for (const c of capturesIn(xml)) known.add(c);
      if (step.kind === "bind") {
        bound.add(step.actor);
        known.add(step.actor);
      }
    }
    // `also:` entries become steps of their own right after it: each proves its one requirement.
    const unknownAlso = (also ?? []).find((a) => !findRequirement(a.requirement));
    if (unknownAlso) throw new ScenarioError(where(["steps", i, "also"], unknownAlso.requirement), `steps[${i}].also: ${unknownAlso.requirement} is not a requirement of any catalog (spec/*-requirements.md)`);
    const further = (also ?? []).map((a): Step => ({
      pos: where(["steps", i, "also", a.requirement]),
      actor: step.actor,
      kind: "also",
      pattern: a.pattern,
      requirements: [a.requirement],
      level: lower(step.level ?? raw.level, findRequirement(a.requirement)?.level ?? "MAY"),
      ...(step.asserts && { asserts: step.asserts }),
      ...(step.timeoutMs && { timeoutMs: step.timeoutMs }),
      text: `${step.actor}'s stanza also matches ${a.pattern.replace(/\s+/g, " ").trim().slice(0, 100)} (${a.requirement})`,
    }));
    for (const f of further) {
      check(xmlOf(f), known);
      for (const c of allTextsOf(f).flatMap(capturesIn)) known.add(c);
    }
    if (when && !Object.entries(when).every(([name, values]) => values.includes(cell![name]))) return;
    for (const st of [step, ...further]) {
      const guarded = guardIssue(st, { level: raw.level, requirements: raw.requirements, sent });
      if (guarded) throw new ScenarioError(st === step ? xmlPos : st.pos, `steps[${i}]: ${guarded}`);
    }
    if (step.kind === "send") sent.push({ actor: step.actor, xml: step.xml });
    kept.push(step, ...further);
  });
  if (kept.length === 0) throw new ScenarioError(where(["steps"]), "no step applies to this matrix cell");
  // Every requirement the case cites is proved by some step (set-up proves none, an action only what it names).
  const proved = new Set(kept.flatMap((st) => (st.kind === "one-of" ? [st, ...st.alternatives.flatMap((a) => a.steps)] : [st]).flatMap((s) => checksOf(raw, s))));
  const unproved = raw.requirements.filter((id) => !proved.has(id));
  if (unproved.length > 0) {
    throw new ScenarioError(where(["requirements"]), `requirements: no step checks ${unproved.join(", ")}: name it in the requirements of the step that proves it, or drop it (a check without requirements of its own checks the case's; a set-up step checks none; an action such as 'authenticates' or 'binds' checks only the requirements it names)`);
  }
  for (const item of roster) {
    for (const name of placeholdersIn(item.jid)) {
      if (!known.has(name)) throw new ScenarioError(where(["roster", item.owner]), `roster: unknown placeholder \${${name}} in '${item.jid}'`);
    }
  }

  return {
    id: raw.id,
    title: raw.title,
    ...(raw.description && { description: raw.description.trim() }),
    spec: raw.spec ?? "rfc6121",
    rfc: raw.rfc,
    level: raw.level,
    requirements: raw.requirements,
    tags: raw.tags ?? [],
    needs: (raw.needs ?? []) as Feature[],
    ...(raw.wait && { wait: raw.wait }),
    accounts,
    connections,
    roster,
    subscriptions,
    steps: kept,
    pos: docPos(doc, lines, file),
  };
}

const requiredKeys = () => Object.entries(RawScenario.shape).filter(([, v]) => !v.safeParse(undefined).success).map(([k]) => k).join(", ");

function knownKeys(p: Path): string {
  if (p.length === 0) return Object.keys(RawScenario.shape).join(", ");
  if (p[0] === "accounts" && p.length === 2) return "domain, resources";
  if (p[0] === "accounts" && p.length === 4) return "roster, presence, online, acks, raw";
  if (p[0] === "connections" && p.length === 2) return "online";
  if (p[0] === "accounts" && p.length === 5) return "priority, show, status";
  return "see the README's scenario language";
}

/**
 * Stream-level steps are for raw connections; authenticating needs an account; 'receives nothing' on a raw
 * connection needs it bound (barriers); a remote user only sends and receives.
 */
function checkActors(step: Step, rawLabels: Set<string>, connections: RawConnectionSpec[], bound: Set<string>, remotes: Set<string>): void {
  const actors = step.kind === "one-of" ? step.alternatives.flatMap((a) => a.steps) : [step];
  for (const st of actors) {
    const remote = st.actor.split(", ").map((a) => a.split("/")[0]).find((a) => remotes.has(a));
    if (remote && !REMOTE_KINDS.has(st.kind)) throw new StepIssue(`'${st.text}': ${remote} is a user of the harness's remote server: its steps only send and receive (nothing connects, disconnects or drops there)`);
    const isRaw = rawLabels.has(st.actor);
    if (STREAM_KINDS.has(st.kind) && !isRaw) throw new StepIssue(`'${st.text}': stream-level steps are for raw connections ('${st.actor}' is a session; declare one with 'raw: true' or under connections:)`);
    if (st.kind === "authenticate" && !connections.find((c) => c.label === st.actor)?.account) throw new StepIssue(`'${st.text}': '${st.actor}' has no account, so no credentials: declare it under an account with 'raw: true'`);
    if (st.kind === "receive-nothing" && isRaw && !bound.has(st.actor)) throw new StepIssue(`'${st.text}': 'receives nothing' needs a barrier, which a raw connection joins only once bound: add a '${st.actor} binds' step before it`);
  }
}


/** Reads a scenario file (one scenario per YAML document). Throws ScenarioError for the first problem. */
export function loadScenarioFile(file: string): Scenario[] {
  const lines = new LineCounter();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ScenarioError({ file, line: 1, col: 1 }, `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
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
