import { z } from "zod";
import type { RawBytes, SaslSpec, Step, StreamHeaderSpec } from "./types.ts";
import { expectShape, oneLine, StepIssue } from "./step-issue.ts";



/** What every step carries beside its kind: position, actor, requirements, level, timeout. */
type Common = Pick<Step, "pos" | "actor" | "requirements" | "level" | "timeoutMs">;

const attrValue = z.union([z.string(), z.number()]).transform(String);
const optionalAttr = z.union([attrValue, z.null()]).optional();

const Header = z.union([
  z.strictObject({ raw: z.string().min(1) }),
  z.strictObject({
    to: optionalAttr,
    from: optionalAttr,
    version: optionalAttr,
    lang: optionalAttr,
    id: optionalAttr,
    xmlns: optionalAttr,
    "stream-ns": z.string().min(1).optional(),
    prefix: z.string().regex(/^(?:[A-Za-z_][\w.-]*)?$/, "expected an XML prefix, or \"\" for none").optional(),
    attrs: z.record(z.string().regex(/^[A-Za-z_][\w.:-]*$/, "expected an attribute name"), attrValue).optional(),
    declaration: z.boolean().optional(),
  }),
]);

const Sasl = z.strictObject({
  mechanism: z.enum(["PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"]).optional(),
  password: attrValue.optional(),
  authzid: attrValue.optional(),
  until: z.literal("challenge").optional(),
  expect: z.enum(["success", "failure"]).optional(),
});

const Bytes = z.union([
  z.string().min(1),
  z.strictObject({ before: z.string(), repeat: z.string().min(1), times: z.number().int().positive().max(50_000_000), after: z.string() }),
]);

/** The stream error conditions RFC 6120 §4.9.3 defines; "any" in a step stands for every one of them. */
export const STREAM_ERROR_CONDITIONS = [
  "bad-format", "bad-namespace-prefix", "conflict", "connection-timeout", "host-gone", "host-unknown", "improper-addressing",
  "internal-server-error", "invalid-from", "invalid-namespace", "invalid-xml", "not-authorized", "not-well-formed", "policy-violation",
  "remote-connection-failed", "reset", "resource-constraint", "restricted-xml", "see-other-host", "system-shutdown",
  "undefined-condition", "unsupported-encoding", "unsupported-feature", "unsupported-stanza-type", "unsupported-version",
] as const;

const condition = z.string().regex(/^[a-z]+(?:-[a-z]+)*$/, "expected a condition name like not-well-formed (or any)");
const StreamError = z.union([
  condition,
  z.strictObject({ condition: z.union([condition, z.array(condition).min(1)]), text: z.string().optional() }),
]);

const none = z.null().optional();

/**
 * The stream-level verbs of raw connections (docs/stream-steps.md): "c1 opens stream: {to: …}",
 * "c1 receives stream error: not-well-formed", … with the shape of each value, for the parser below and
 * the JSON Schema for editors (steps.ts joins them with the session verbs).
 */
export const STREAM_VERBS = {
  "opens stream": { value: Header.nullable().optional(), what: "stream header attributes, or { raw: '<stream:stream …>' }", valueless: true },
  "receives stream header": { value: z.record(z.string(), attrValue), what: "the header's attributes to check", valueless: false },
  "receives features": { value: z.string().min(1), what: "a <features> pattern", valueless: false },
  "starts tls": { value: none, what: "no value", valueless: true },
  authenticates: { value: Sasl.nullable().optional(), what: "SASL choices, or no value", valueless: true },
  "aborts sasl": { value: none, what: "no value", valueless: true },
  binds: { value: attrValue.nullable().optional(), what: "the resourcepart to request, or no value", valueless: true },
  "sends raw": { value: Bytes, what: "bytes to send", valueless: false },
  "receives stream error": { value: StreamError, what: "a stream error condition, or { condition, text }", valueless: false },
  "closes stream": { value: none, what: "no value", valueless: true },
  "receives stream close": { value: none, what: "no value", valueless: true },
} as const;
export type StreamVerb = keyof typeof STREAM_VERBS;

const noValue = (value: unknown) => value === undefined || value === null;

/** Parses the value of a stream-level step into its Step. */
export function parseStreamStep(verb: StreamVerb, value: unknown, common: Common, at: string[]): Step {
  const text = (rest = "") => `${common.actor} ${verb}${rest}`;
  switch (verb) {
    case "opens stream": {
      if (noValue(value)) return { ...common, kind: "open-stream", header: {}, text: text() };
      const h = expectShape(Header, value, at, "stream header attributes (to, from, version, lang, id, xmlns, stream-ns, prefix, attrs, declaration) or { raw: '<stream:stream …>' }");
      if ("raw" in h) return { ...common, kind: "open-stream", header: { raw: h.raw }, text: text(` ${oneLine(h.raw)}`) };
      const { "stream-ns": streamNs, ...rest } = h;
      const header: StreamHeaderSpec = { ...rest, ...(streamNs !== undefined && { streamNs }) };
      const shown = Object.entries(h).map(([k, v]) => `${k}=${v === null ? "(none)" : typeof v === "object" ? JSON.stringify(v) : v}`).join(", ");
      return { ...common, kind: "open-stream", header, text: text(shown ? ` (${shown})` : "") };
    }
    case "receives stream header": {
      const attrs = expectShape(z.record(z.string().regex(/^[A-Za-z_][\w.:-]*$/, "expected an attribute name or 'prefix'"), attrValue), value, at, "the header's attributes to check, e.g. { from: '${domain}', id: '{re:.+}', to: '{absent}' }");
      if (Object.keys(attrs).length === 0) throw new StepIssue("expected at least one attribute to check", at);
      return { ...common, kind: "receive-stream-header", attrs, text: text(` ${Object.entries(attrs).map(([k, v]) => `${k}=${v}`).join(", ")}`) };
    }
    case "receives features": {
      const pattern = expectShape(z.string().min(1), value, at, "a <features> pattern, e.g. <features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></features>");
      if (!/^\s*<features[\s/>]/.test(pattern)) throw new StepIssue("expected the pattern's root to be <features> (without a prefix): its children are matched against the server's features", at);
      return { ...common, kind: "receive-features", pattern, text: text(` ${oneLine(pattern)}`) };
    }
    case "authenticates": {
      const sasl: SaslSpec = noValue(value) ? {} : expectShape(Sasl, value, at, "SASL choices: mechanism (PLAIN, SCRAM-SHA-1, SCRAM-SHA-256), password, authzid, until: challenge, expect: success | failure");
      const shown = Object.entries(sasl).filter(([k]) => k !== "password").map(([k, v]) => `${k}=${v}`).concat(sasl.password !== undefined ? ["another password"] : []);
      return { ...common, kind: "authenticate", sasl, text: text(shown.length ? ` (${shown.join(", ")})` : "") };
    }
    case "binds": {
      if (noValue(value)) return { ...common, kind: "bind", text: `${common.actor} binds a resource the server generates` };
      const resource = expectShape(attrValue.pipe(z.string().min(1)), value, at, "the resourcepart to request (or no value: the server generates one)");
      return { ...common, kind: "bind", resource, text: text(` ${resource.length > 40 ? `${resource.slice(0, 40)}… (${Buffer.byteLength(resource)} octets)` : resource}`) };
    }
    case "sends raw": {
      const b = expectShape(Bytes, value, at, "bytes to send: a string, or { before, repeat, times, after }");
      const bytes: RawBytes = typeof b === "string" ? { text: b } : b;
      const shown = "text" in bytes ? oneLine(bytes.text) : `${oneLine(bytes.before)}…(${bytes.times} × '${bytes.repeat}')…${oneLine(bytes.after)}`;
      return { ...common, kind: "send-raw", bytes, text: text(` ${shown}`) };
    }
    case "receives stream error": {
      const e = expectShape(StreamError, value, at, "a stream error condition, or { condition: [one, or, several], text: pattern }");
      const named = typeof e === "string" ? [e] : Array.isArray(e.condition) ? e.condition : [e.condition];
      const unknown = named.find((c) => c !== "any" && !(STREAM_ERROR_CONDITIONS as readonly string[]).includes(c));
      if (unknown) throw new StepIssue(`'${unknown}' is not a stream error condition of RFC 6120 §4.9.3 (${STREAM_ERROR_CONDITIONS.join(", ")}, or any)`, at);
      const conditions = named.includes("any") ? [...STREAM_ERROR_CONDITIONS] : named;
      const errText = typeof e === "string" ? undefined : e.text;
      return { ...common, kind: "receive-stream-error", conditions, ...(errText !== undefined && { errorText: errText }), text: text(` ${named.includes("any") ? "(any defined condition)" : conditions.join(" | ")}`) };
    }
    case "starts tls":
    case "aborts sasl":
    case "closes stream":
    case "receives stream close": {
      if (!noValue(value)) throw new StepIssue(`'${verb}' takes no value`, at);
      const kind = ({ "starts tls": "start-tls", "aborts sasl": "abort-sasl", "closes stream": "close-stream", "receives stream close": "receive-stream-close" } as const)[verb];
      return { ...common, kind, text: text() };
    }
  }
}
