import { z } from "zod";
import type { ExpectStep, Step } from "./types.ts";
import { StepMeta } from "./schema.ts";

/**
 * Steps read as sentences: "juliet/balcony sends: <xml/>", "juliet/chamber receives nothing".
 * The key names the session and the verb; a step may add requirements, level, timeout and asserts beside it.
 */
const VERBS = ["sends", "receives in order", "receives all of", "receives one of", "receives nothing", "receives", "connects", "disconnects", "drops"] as const;
type Verb = (typeof VERBS)[number];
const VALUELESS = new Set<Verb>(["receives nothing", "connects", "disconnects", "drops"]);
const STEP_KEY = new RegExp(`^(?:([a-z][a-z0-9]*(?:/[A-Za-z0-9_-]+)?) (${VERBS.join("|")})|one of)$`);
const ONE_OF = "one of";

/** Matrix cells a step belongs to (its `when:`), as variable -> allowed values. */
export type When = Record<string, string[]>;

/** A problem in one step, with the path below steps[i] where it sits. */
export class StepIssue extends Error {
  constructor(message: string, readonly path: (string | number)[] = []) {
    super(message);
  }
}

const xmlString = z.string().min(1);
const xmlList = z.array(xmlString).min(1);

function expectShape<T>(schema: z.ZodType<T>, value: unknown, path: (string | number)[], what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new StepIssue(`expected ${what}`, [...path, ...(r.error.issues[0]?.path ?? []).map((p) => (typeof p === "symbol" ? String(p) : p))]);
  return r.data;
}

const oneLine = (xml: string) => xml.replace(/\s+/g, " ").trim().slice(0, 100);

/** Parses one step (a string or a one-verb map). `actorOf` resolves "juliet" to "juliet/balcony". */
export function parseStep(raw: unknown, base: { pos: Step["pos"]; actorOf: (name: string) => string }): { step: Step; when?: When } {
  let key: string;
  let value: unknown;
  let meta: z.infer<typeof StepMeta> = {};
  if (typeof raw === "string") {
    key = raw;
  } else {
    const entries = Object.entries(raw as Record<string, unknown>);
    const verbs = entries.filter(([k]) => STEP_KEY.test(k));
    if (verbs.length !== 1) {
      const unknown = entries.find(([k]) => !STEP_KEY.test(k) && !(k in StepMeta.shape));
      throw new StepIssue(
        verbs.length === 0
          ? `expected a step like 'juliet/balcony sends: <xml/>' (verbs: ${VERBS.join(", ")}), got '${unknown?.[0] ?? entries[0]?.[0]}'`
          : "expected exactly one verb per step",
        unknown ? [unknown[0]] : [],
      );
    }
    [key, value] = verbs[0];
    const rest = Object.fromEntries(entries.filter(([k]) => k !== key));
    meta = expectShape(StepMeta, rest, [], "only requirements, level, timeout, asserts and when beside the verb");
  }
  const m = STEP_KEY.exec(key);
  if (!m) throw new StepIssue(`expected a step like 'juliet/chamber receives nothing' (verbs: ${VERBS.join(", ")}), got '${key}'`);
  const when = meta.when && Object.fromEntries(Object.entries(meta.when).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  const step = key === ONE_OF ? oneOf(value, meta, base) : verbStep(raw, m[1], m[2] as Verb, value, meta, base);
  return { step, ...(when && { when }) };
}

function oneOf(value: unknown, meta: z.infer<typeof StepMeta>, base: Parameters<typeof parseStep>[1]): Step {
  const alts = expectShape(z.record(z.string(), z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).min(1)), value, [ONE_OF], "named alternatives, each a list of 'receives' / 'receives nothing' steps");
  const alternatives = Object.entries(alts).map(([name, list]) => ({
    name,
    steps: list.map((raw, i) => {
      const { step, when } = parseStep(raw, base);
      if ((step.kind !== "receive" && step.kind !== "receive-nothing") || when) throw new StepIssue(`alternative '${name}', step ${i}: only 'receives…' and 'receives nothing' steps (without when:) can be alternatives`, [ONE_OF]);
      return step as ExpectStep;
    }),
  }));
  if (alternatives.length < 2) throw new StepIssue("expected at least two alternatives", [ONE_OF]);
  return {
    pos: base.pos,
    actor: [...new Set(alternatives.flatMap((a) => a.steps.map((s) => s.actor)))].join(", "),
    ...(meta.requirements && { requirements: meta.requirements }),
    ...(meta.level && { level: meta.level }),
    ...(meta.asserts && { asserts: meta.asserts }),
    kind: "one-of",
    alternatives,
    text: `one of: ${alternatives.map((a) => a.name).join(" | ")}`,
  };
}

function verbStep(raw: unknown, who: string, verb: Verb, value: unknown, meta: z.infer<typeof StepMeta>, base: Parameters<typeof parseStep>[1]): Step {
  const key = `${who} ${verb}`;
  if (typeof raw === "string" && !VALUELESS.has(verb)) throw new StepIssue(`'${verb}' needs a value: '${key}: <xml/>'`);
  const actor = base.actorOf(who);
  const common = {
    pos: base.pos,
    actor,
    ...(meta.requirements && { requirements: meta.requirements }),
    ...(meta.level && { level: meta.level }),
    ...(meta.timeout && { timeoutMs: meta.timeout }),
    ...(meta.asserts && { asserts: meta.asserts }),
  };
  const at = [key];
  switch (verb) {
    case "sends": {
      const xml = expectShape(xmlString, value, at, "the stanza to send, as XML");
      return { ...common, kind: "send", xml, text: `${actor} sends ${oneLine(xml)}` };
    }
    case "receives": {
      const xml = expectShape(xmlString, value, at, "a stanza pattern, as XML");
      return { ...common, kind: "receive", mode: "one", patterns: [xml], text: `${actor} receives ${oneLine(xml)}` };
    }
    case "receives in order":
    case "receives all of": {
      const patterns = expectShape(xmlList, value, at, "a list of stanza patterns");
      return { ...common, kind: "receive", mode: verb === "receives in order" ? "in-order" : "all-of", patterns, text: `${actor} ${verb} ${patterns.length} stanzas` };
    }
    case "receives one of": {
      const alts = expectShape(z.record(z.string(), z.union([xmlString, xmlList])), value, at, "named alternatives: 'name: <pattern/>' or 'name: [<pattern/>, ...]'");
      const alternatives = Object.entries(alts).map(([name, p]) => ({ name, patterns: Array.isArray(p) ? p : [p] }));
      if (alternatives.length < 2) throw new StepIssue("expected at least two alternatives", at);
      return { ...common, kind: "receive-one-of", alternatives, text: `${actor} receives one of: ${alternatives.map((a) => a.name).join(" | ")}` };
    }
    case "receives nothing": {
      const pattern = value === undefined || value === null ? undefined : expectShape(xmlString, value, at, "a stanza pattern, as XML (or no value: nothing at all)");
      return { ...common, kind: "receive-nothing", ...(pattern && { pattern }), text: `${actor} receives nothing${pattern ? ` matching ${oneLine(pattern)}` : ""}` };
    }
    case "connects":
    case "disconnects":
    case "drops":
      if (value !== undefined && value !== null) throw new StepIssue(`'${verb}' takes no value`, at);
      return { ...common, kind: verb === "connects" ? "connect" : verb === "disconnects" ? "disconnect" : "drop", text: `${actor} ${verb}` };
  }
}
