import { z } from "zod";
import { EXPECT_KINDS, type ExpectStep, type Step } from "./types.ts";
import { StepMeta } from "./schema.ts";
import { parseStreamStep, STREAM_VERBS, type StreamVerb } from "./stream-steps.ts";
import { expectShape, oneLine, StepIssue } from "./step-issue.ts";

export { StepIssue } from "./step-issue.ts";

const xmlString = z.string().min(1);
const xmlList = z.array(xmlString).min(1);

/**
 * Steps read as sentences: "juliet/balcony sends: <xml/>", "juliet/chamber receives nothing".
 * The key names the session and the verb; a step may add requirements, level and timeout beside it.
 */
const SESSION_VERBS = ["sends", "receives in order", "receives all of", "receives one of", "receives nothing", "receives", "connects", "disconnects", "drops"] as const;
// Longer verbs first: "receives stream error" before "receives", "sends raw" before "sends".
const VERBS = [...STREAM_VERBS, ...SESSION_VERBS] as const;
type Verb = (typeof VERBS)[number];
const VALUELESS = new Set<string>(["receives nothing", "connects", "disconnects", "drops"]);
const STEP_KEY = new RegExp(`^(?:([a-z][a-z0-9]*(?:/[A-Za-z0-9_-]+)?) (${VERBS.join("|")})|one of)$`);
const ONE_OF = "one of";

const isStreamVerb = (verb: Verb): verb is StreamVerb => (STREAM_VERBS as readonly string[]).includes(verb);

/** Matrix cells a step belongs to (its `when:`), as variable -> allowed values. */
export type When = Record<string, string[]>;

export interface StepContext {
  pos: Step["pos"];
  /** Resolves "juliet" to "juliet/balcony" (or a raw connection's label). */
  actorOf: (name: string) => string;
}

/** Parses one step (a string or a one-verb map). `actorOf` resolves "juliet" to "juliet/balcony". */
export function parseStep(raw: unknown, base: StepContext): { step: Step; when?: When } {
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
    meta = expectShape(StepMeta, rest, [], "only requirements, level, timeout, wait and when beside the verb");
  }
  const m = STEP_KEY.exec(key);
  if (!m) throw new StepIssue(`expected a step like 'juliet/chamber receives nothing' (verbs: ${VERBS.join(", ")}), got '${key}'`);
  const when = meta.when && Object.fromEntries(Object.entries(meta.when).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  const step = key === ONE_OF ? oneOf(value, meta, base) : verbStep(raw, m[1], m[2] as Verb, value, meta, base);
  return { step, ...(when && { when }) };
}

function oneOf(value: unknown, meta: z.infer<typeof StepMeta>, base: StepContext): Step {
  const alts = expectShape(z.record(z.string(), z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).min(1)), value, [ONE_OF], "named alternatives, each a list of 'receives…' steps");
  const alternatives = Object.entries(alts).map(([name, list]) => ({
    name,
    steps: list.map((raw, i) => {
      const { step, when } = parseStep(raw, base);
      if (!(EXPECT_KINDS as readonly string[]).includes(step.kind) || when) throw new StepIssue(`alternative '${name}', step ${i}: only 'receives…' steps (receives, receives nothing, receives stream header, receives features, receives stream error, receives stream close; without when:) can be alternatives`, [ONE_OF]);
      return step as ExpectStep;
    }),
  }));
  if (alternatives.length < 2) throw new StepIssue("expected at least two alternatives", [ONE_OF]);
  return {
    pos: base.pos,
    actor: [...new Set(alternatives.flatMap((a) => a.steps.map((s) => s.actor)))].join(", "),
    ...(meta.requirements && { requirements: meta.requirements }),
    ...(meta.level && { level: meta.level }),
    ...(meta.timeout && { timeoutMs: meta.timeout }),
    ...(meta.wait && { wait: meta.wait }),
    kind: "one-of",
    alternatives,
    text: `one of: ${alternatives.map((a) => a.name).join(" | ")}`,
  };
}

function verbStep(raw: unknown, who: string, verb: Verb, value: unknown, meta: z.infer<typeof StepMeta>, base: StepContext): Step {
  const key = `${who} ${verb}`;
  const actor = base.actorOf(who);
  const common = {
    pos: base.pos,
    actor,
    ...(meta.requirements && { requirements: meta.requirements }),
    ...(meta.level && { level: meta.level }),
    ...(meta.timeout && { timeoutMs: meta.timeout }),
    ...(meta.wait && { wait: meta.wait }),
  };
  const at = [key];
  if (isStreamVerb(verb)) return parseStreamStep(verb, value, common, at);
  if (typeof raw === "string" && !VALUELESS.has(verb)) throw new StepIssue(`'${verb}' needs a value: '${key}: <xml/>'`);
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
