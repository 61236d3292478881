import { z } from "zod";
import type { ExpectStep, Step } from "./types.ts";
import { StepMeta } from "./schema.ts";
import { KINDS, readVerb, VERBS } from "./kinds.ts";
import { expectShape, StepIssue } from "./step-issue.ts";

export { StepIssue } from "./step-issue.ts";
export { VERBS } from "./kinds.ts";

/**
 * Steps read as sentences: "juliet/balcony sends: <xml/>", "juliet/chamber receives nothing". The key names
 * the session and the verb; a step may add requirements, level, timeout, asserts, setup, refused, also, given, order, earliest, unanswered, since, label,
 * after and when beside it. The verbs and how each is read are the step kinds' table's (kinds.ts).
 */
const VERB_NAMES = Object.keys(VERBS);
/** Who acts: an account, or account/resource (a session or a raw connection). */
export const ACTOR = "[a-z][a-z0-9]*(?:/[A-Za-z0-9_-]+)?";
/** Outcomes across sessions: named alternatives, each a list of 'receives' steps. */
export const ONE_OF = "one of";
// Longer verbs first, so "receives nothing" is not read as "receives", "sends raw" not as "sends".
const STEP_KEY = new RegExp(`^(?:(${ACTOR}) (${[...VERB_NAMES].sort((a, b) => b.length - a.length).join("|")})|${ONE_OF})$`);

/** Matrix cells a step belongs to (its `when:`), as variable -> allowed values. */
export type When = Record<string, string[]>;

export interface StepContext {
  pos: Step["pos"];
  /** Resolves "juliet" to "juliet/balcony" (or a raw connection's label). */
  actorOf: (name: string) => string;
}

/**
 * A further pattern for the stanza a 'receives' step matched, proving one requirement (the step's `also:`), or, with
 * none, the case's precondition (the step's `given:`).
 */
export interface AlsoEntry {
  requirement?: string;
  pattern: string;
}

/** Parses one step (a string or a one-verb map). `actorOf` resolves "juliet" to "juliet/balcony". */
/** `inAlternative`: a step of a 'one of' alternative, where `requirements: []` marks an outcome that proves none of its rules. */
export function parseStep(raw: unknown, base: StepContext, inAlternative = false): { step: Step; when?: When; also?: AlsoEntry[] } {
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
        verbs.length === 0 ? `expected a step like 'juliet/balcony sends: <xml/>' (verbs: ${VERB_NAMES.join(", ")}), got '${unknown?.[0] ?? entries[0]?.[0]}'` : "expected exactly one verb per step",
        unknown ? [unknown[0]] : [],
      );
    }
    [key, value] = verbs[0];
    const rest = Object.fromEntries(entries.filter(([k]) => k !== key));
    meta = expectShape(StepMeta, rest, [], "only requirements, level, timeout, wait, asserts, setup, refused, also, given, order, earliest, unanswered, since, label, after and when beside the verb");
  }
  if (meta.requirements?.length === 0 && !inAlternative)
    throw new StepIssue("'requirements: []' belongs to a step of a 'one of' alternative (an outcome that proves none of its rules); a step that proves nothing says 'setup: true'", ["requirements"]);
  const m = STEP_KEY.exec(key);
  if (!m) throw new StepIssue(`expected a step like 'juliet/chamber receives nothing' (verbs: ${VERB_NAMES.join(", ")}), got '${key}'`);
  const when = meta.when && Object.fromEntries(Object.entries(meta.when).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  const step = key === ONE_OF ? oneOf(value, meta, base) : verbStep(raw, m[1], m[2], value, meta, base);
  if (meta.also && !(step.kind === "receive" && step.mode === "one")) throw new StepIssue("'also' checks the stanza of a 'receives' step with one pattern", ["also"]);
  if (meta.also && meta.setup) throw new StepIssue("a set-up step checks nothing, so it has no 'also'", ["also"]);
  if (meta.given && !(step.kind === "receive" && step.mode === "one")) throw new StepIssue("'given' checks the stanza of a 'receives' step with one pattern", ["given"]);
  if (meta.given && meta.setup) throw new StepIssue("'given' is the precondition a proving step's stanza must meet; a set-up step's pattern says it itself", ["given"]);
  if (meta.refused && !(step.kind === "receive" && step.mode === "one")) throw new StepIssue("'refused' belongs to a 'receives' step with one pattern (the answer to a request)", ["refused"]);
  if (meta.order && !(step.kind === "receive" && step.mode === "in-order")) throw new StepIssue("'order' belongs to a 'receives in order' step (the requirement its order proves)", ["order"]);
  if (meta.earliest && !(step.kind === "receive" && step.mode === "in-order"))
    throw new StepIssue("'earliest' belongs to a 'receives in order' step (each pattern taken by its first stanza)", ["earliest"]);
  // A 'receives one of' judges its miss on its first alternative's pattern: that one names the request's id.
  const answerPattern = step.kind === "receive" && step.mode === "one" ? step.patterns[0] : step.kind === "receive-one-of" ? step.alternatives[0]?.patterns[0] : undefined;
  if (meta.unanswered && step.kind !== "one-of" && !(answerPattern !== undefined && /^\s*<iq\b[^>]*\sid=/.test(answerPattern)))
    throw new StepIssue(
      "'unanswered' belongs to a 'one of', or to a 'receives' (or 'receives one of') step whose (first) pattern is an IQ answer with an id (the rule a request left unanswered breaks)",
      ["unanswered"],
    );
  if (meta.unanswered && meta.setup) throw new StepIssue("a set-up step checks nothing, so it has no 'unanswered'", ["unanswered"]);
  if (meta.since === "action" && step.kind !== "receive") throw new StepIssue("'since' belongs to a 'receives' step (what arrived after the step's preceding action)", ["since"]);
  if (meta.since && meta.since !== "action" && step.kind !== "receive-nothing" && step.kind !== "receive")
    throw new StepIssue("'since: LABEL' belongs to a 'receives' or 'receives nothing' step (what arrived after the stanzas the labelled step matched)", ["since"]);
  const entries: AlsoEntry[] = [...Object.entries(meta.also ?? {}).map(([requirement, pattern]) => ({ requirement, pattern })), ...(meta.given ? [{ pattern: meta.given }] : [])];
  const also = entries.length > 0 ? entries : undefined;
  return { step, ...(when && { when }), ...(also && { also }) };
}

/** `after: label`, `label/alternative`, `label/one|other`, or a list of those (each must hold), read once. */
function afterOf(raw: string | string[]): NonNullable<Step["after"]> {
  return [raw].flat().map((entry) => {
    const [label, alternatives] = entry.split("/");
    return { label, ...(alternatives !== undefined && { alternatives: alternatives.split("|") }) };
  });
}

function oneOf(value: unknown, meta: z.infer<typeof StepMeta>, base: StepContext): Step {
  const alts = expectShape(z.record(z.string(), z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).min(1)), value, [ONE_OF], "named alternatives, each a list of 'receives…' steps");
  const alternatives = Object.entries(alts).map(([name, list]) => {
    // A `receives` of one pattern may check more of its stanza (`also:`), judged once its alternative is the outcome.
    const alsos: { step: number; requirement: string; pattern: string }[] = [];
    const steps = list.map((raw, i) => {
      const { step, when, also } = parseStep(raw, base, true);
      for (const a of also ?? []) {
        if (a.requirement === undefined) throw new StepIssue(`alternative '${name}', step ${i}: 'given' belongs to a 'receives' step outside 'one of'`, [ONE_OF]);
        alsos.push({ step: i, requirement: a.requirement, pattern: a.pattern });
      }
      if (step.since) throw new StepIssue(`alternative '${name}', step ${i}: 'since' belongs to a 'receives' step outside 'one of'`, [ONE_OF]);
      if (!KINDS[step.kind].inOneOf || when)
        throw new StepIssue(
          `alternative '${name}', step ${i}: only 'receives…' steps (receives, receives nothing, receives stream header, receives features, receives stream error, receives stream close, receives disconnect; without when:) can be alternatives`,
          [ONE_OF],
        );
      return step as ExpectStep;
    });
    return { name, steps, ...(alsos.length > 0 && { also: alsos }) };
  });
  if (alternatives.length < 2) throw new StepIssue("expected at least two alternatives", [ONE_OF]);
  if (meta.setup && alternatives.some((a) => a.also)) throw new StepIssue("a set-up step checks nothing, so its alternatives have no 'also'", [ONE_OF]);
  return {
    pos: base.pos,
    actor: [...new Set(alternatives.flatMap((a) => a.steps.map((s) => s.actor)))].join(", "),
    ...(meta.requirements && { requirements: meta.requirements }),
    ...(meta.level && { level: meta.level }),
    ...(meta.timeout && { timeoutMs: meta.timeout }),
    ...(meta.wait && { wait: meta.wait }),
    ...(meta.asserts && { asserts: meta.asserts }),
    ...(meta.setup && { setup: true }),
    ...(meta.label && { label: meta.label }),
    ...(meta.after && { after: afterOf(meta.after) }),
    ...(meta.unanswered && { unanswered: meta.unanswered }),
    kind: "one-of",
    alternatives,
    text: `one of: ${alternatives.map((a) => a.name).join(" | ")}`,
  };
}

function verbStep(raw: unknown, who: string, verb: string, value: unknown, meta: z.infer<typeof StepMeta>, base: StepContext): Step {
  const key = `${who} ${verb}`;
  if (typeof raw === "string" && !VERBS[verb].valueless) throw new StepIssue(`'${verb}' needs a value: '${key}: <xml/>'`);
  const actor = base.actorOf(who);
  const common = {
    pos: base.pos,
    actor,
    ...(meta.requirements && { requirements: meta.requirements }),
    ...(meta.level && { level: meta.level }),
    ...(meta.timeout && { timeoutMs: meta.timeout }),
    ...(meta.wait && { wait: meta.wait }),
    ...(meta.asserts && { asserts: meta.asserts }),
    ...(meta.setup && { setup: true }),
    ...(meta.refused && { refused: meta.refused }),
    ...(meta.order && { order: meta.order }),
    ...(meta.earliest && { earliest: true as const }),
    ...(meta.unanswered && { unanswered: meta.unanswered }),
    ...(meta.since && { since: meta.since }),
    ...(meta.label && { label: meta.label }),
    ...(meta.after && { after: afterOf(meta.after) }),
  };
  return readVerb(verb, value, common, [key]);
}
