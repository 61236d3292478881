import { z } from "zod";
import { RawScenario, StepMeta } from "./schema.ts";
import { ACTOR, ONE_OF, VERBS } from "./steps.ts";

/**
 * A JSON Schema for scenario files, for editors (yaml-language-server and the like): generated from the zod
 * schema the loader checks with (schema.ts) and the step verbs (steps.ts), so a new key or verb reaches it.
 * docs/scenario.schema.json is this, written by `npm run schema`. It checks shape only: references
 * (accounts, placeholders, matrix variables) are left to `xmpp-conform validate`.
 */
type Json = Record<string, unknown>;

/** In a matrix scenario any value may be ${m.NAME}, substituted before the loader checks it. */
const PLACEHOLDER = "\\$\\{m\\.[a-z][a-z0-9_]*\\}";
const placeholderString = { type: "string", pattern: PLACEHOLDER };

/** Lets a checked scalar, or a key (an account a room affiliates), also be, or contain, a matrix placeholder. */
function allowPlaceholders(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowPlaceholders);
  if (!node || typeof node !== "object") return node;
  const n = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, allowPlaceholders(v)])) as Json;
  const checkedScalar = n.enum !== undefined || ["integer", "number", "boolean"].includes(n.type as string) || (n.type === "string" && n.pattern !== undefined);
  return checkedScalar ? { anyOf: [n, placeholderString] } : n;
}

const schemaOf = (t: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(t, { io: "input", target: "draft-7" }) as Json;
  return rest;
};

/** An actor as a step key may name it: account, account/resource, or a matrix placeholder standing for either part (or for the account, with a resource). */
const ACTOR_KEY = `(?:${ACTOR}|(?:[a-z][a-z0-9]*/)?${PLACEHOLDER}(?:/[A-Za-z0-9_-]+)?)`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function stepSchema(): Json {
  const verbs = Object.entries(VERBS);
  const meta = schemaOf(StepMeta) as { properties: Record<string, Json> };
  const valueless = verbs.filter(([, v]) => v.valueless).map(([name]) => escape(name));
  return {
    description: "A step: 'ACTOR VERB: value' (ACTOR is account or account/resource), a valueless verb as a plain string, or 'one of' outcomes across sessions.",
    anyOf: [
      { type: "string", pattern: `^${ACTOR_KEY} (?:${valueless.join("|")})$`, description: "a valueless step, e.g. 'juliet/balcony receives nothing'" },
      {
        type: "object",
        minProperties: 1,
        properties: {
          ...meta.properties,
          [ONE_OF]: {
            description: "named alternatives, each a list of 'receives' / 'receives nothing' steps; the first whose expectations all hold is taken",
            type: "object",
            minProperties: 2,
            additionalProperties: { type: "array", minItems: 1, items: { $ref: "#/$defs/step" } },
          },
        },
        patternProperties: Object.fromEntries(verbs.map(([name, v]) => [`^${ACTOR_KEY} ${escape(name)}$`, { ...schemaOf(v.value), description: `${name}: ${v.what}` }])),
        additionalProperties: false,
      },
    ],
    // Step keys start with the actor, so editors cannot complete them from the pattern: offer one snippet per verb.
    defaultSnippets: [
      ...verbs.map(([name, v]) => ({
        label: name,
        description: v.what,
        body: v.valueless
          ? `\${1:juliet/balcony} ${name}`
          : { [`\${1:juliet/balcony} ${name}`]: name.includes("one of") ? { "${2:name}": "${3:<pattern/>}" } : name.includes(" of") || name.includes("order") ? ["${2:<pattern/>}"] : "${2:<xml/>}" },
      })),
      { label: ONE_OF, description: "outcomes across sessions", body: { [ONE_OF]: { "${1:name}": ["${2:juliet/balcony} receives: ${3:<pattern/>}"] } } },
    ],
  };
}

export function scenarioJsonSchema(): Json {
  const base = schemaOf(RawScenario) as Json & { properties: Json };
  const schema = allowPlaceholders({ ...base, properties: { ...base.properties, steps: { type: "array", minItems: 1, items: { $ref: "#/$defs/step" } } } }) as Json;
  return {
    // Draft 7: the version editors' YAML and JSON language services support best.
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "xmpp-conform scenario",
    description:
      "One scenario per YAML document: a case (or a matrix of cases) of the XMPP conformance suite, checking one specification (spec:, RFC 6121 by default). See the README's scenario language.",
    ...schema,
    $defs: { step: allowPlaceholders(stepSchema()) },
  };
}
