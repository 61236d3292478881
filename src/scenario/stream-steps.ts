import { z } from "zod";
import { FRAME_CHECKS, TLS_FIELDS, type FrameCheck, type RawBytes, type SaslSpec, type Step, type StreamHeaderSpec, type TlsOfferSpec } from "./types.ts";
import { oneLine, StepIssue } from "./step-issue.ts";
import type { Common, Verb } from "./verb.ts";

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
    prefix: z
      .string()
      .regex(/^(?:[A-Za-z_][\w.-]*)?$/, 'expected an XML prefix, or "" for none')
      .optional(),
    attrs: z.record(z.string().regex(/^[A-Za-z_][\w.:-]*$/, "expected an attribute name"), attrValue).optional(),
    declaration: z.boolean().optional(),
    // A header the server may refuse with a stream error sent without a header of its own: the next steps judge which.
    expect: z.literal("either").optional(),
  }),
]);

const Sasl = z.strictObject({
  mechanism: z.enum(["PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256-PLUS", "HT-SHA-256-NONE"]).optional(),
  password: attrValue.optional(),
  authzid: attrValue.optional(),
  until: z.literal("challenge").optional(),
  expect: z.enum(["success", "failure"]).optional(),
  // XEP-0388: SASL2's <authenticate/>, and what it carries (XEP-0386's bind, XEP-0484's token request and <fast/>).
  profile: z.literal("sasl2").optional(),
  // XEP-0440: a type, or a type whose data is wrong (another channel's: a man in the middle's), which a server that checks it refuses.
  "channel-binding": z.union([z.enum(["tls-exporter", "tls-server-end-point", "y"]), z.strictObject({ type: z.enum(["tls-exporter", "tls-server-end-point"]), data: z.literal("wrong") })]).optional(),
  "user-agent": z.union([z.literal("none"), z.strictObject({ id: attrValue.optional(), software: attrValue.optional(), device: attrValue.optional() })]).optional(),
  bind: z
    .union([
      z.literal(true),
      z.strictObject({
        tag: attrValue.optional(),
        enable: z
          .array(z.enum(["carbons", "sm", "csi-inactive"]))
          .min(1)
          .optional(),
      }),
    ])
    .optional(),
  "request-token": z
    .string()
    .regex(/^HT-[A-Z0-9-]+$/, "expected a FAST mechanism such as HT-SHA-256-NONE")
    .optional(),
  invalidate: z.literal(true).optional(),
  // XEP-0198 §9.2: resumption inside SASL2, with the SM-ID captured from <enabled/> and the client's count.
  resume: z.strictObject({ previd: attrValue, h: attrValue }).optional(),
});

/** An authenticates step's value as the runner takes it: SASL2's parts gathered, and what only SASL2 or only some mechanisms have checked. */
function saslSpec(v: z.infer<typeof Sasl>, at: Parameters<Verb<"authenticate">["read"]>[2]): SaslSpec {
  const { profile, "channel-binding": cb, "user-agent": userAgent, bind, "request-token": requestToken, invalidate, resume, ...rest } = v;
  const fast = v.mechanism === "HT-SHA-256-NONE";
  const binding = typeof cb === "object" ? cb.type : cb;
  if (!profile && (userAgent || bind || requestToken || invalidate || resume || fast))
    throw new StepIssue("user-agent, bind, request-token, invalidate, resume and the FAST mechanism HT-SHA-256-NONE are SASL2's: add profile: sasl2", at);
  // Without a mechanism, the run takes the strongest offered that the binding fits (a -PLUS one, or for "y" one without).
  if (binding && v.mechanism !== undefined && !(binding === "y" ? /^SCRAM-SHA-\d+$/ : /-PLUS$/).test(v.mechanism))
    throw new StepIssue("channel-binding is a -PLUS mechanism's type, or y with SCRAM without -PLUS", at);
  if (invalidate && !fast) throw new StepIssue("invalidate is for a FAST token (mechanism HT-SHA-256-NONE)", at);
  if (fast && v.password === undefined) throw new StepIssue("HT-SHA-256-NONE authenticates with a token: give it as password (a captured ${token})", at);
  return {
    ...rest,
    ...(binding && { binding }),
    ...(typeof cb === "object" && { bindingData: cb.data }),
    ...(profile && {
      sasl2: {
        ...(userAgent && { userAgent }),
        ...(bind && { bind: bind === true ? {} : bind }),
        ...(requestToken && { requestToken }),
        ...(resume && { resume }),
        // XEP-0484 §3.4: a request that authenticates with a token carries <fast/>.
        ...(fast && { fast: { ...(invalidate && { invalidate: true }) } }),
      },
    }),
  };
}

const Bytes = z.union([
  z.string().min(1),
  z.strictObject({ before: z.string(), repeat: z.string().min(1), times: z.number().int().positive().max(50_000_000), after: z.string() }),
  z.strictObject({ before: z.string(), repeat: z.string().min(1), exceed: z.literal("max-bytes"), after: z.string() }),
]);

/** The stream error conditions RFC 6120 §4.9.3 defines; "any" in a step stands for every one of them. */
export const STREAM_ERROR_CONDITIONS = [
  "bad-format",
  "bad-namespace-prefix",
  "conflict",
  "connection-timeout",
  "host-gone",
  "host-unknown",
  "improper-addressing",
  "internal-server-error",
  "invalid-from",
  "invalid-namespace",
  "invalid-xml",
  "not-authorized",
  "not-well-formed",
  "policy-violation",
  "remote-connection-failed",
  "reset",
  "resource-constraint",
  "restricted-xml",
  "see-other-host",
  "system-shutdown",
  "undefined-condition",
  "unsupported-encoding",
  "unsupported-feature",
  "unsupported-stanza-type",
  "unsupported-version",
] as const;

const condition = z.string().regex(/^[a-z]+(?:-[a-z]+)*$/, "expected a condition name like not-well-formed (or any)");
const StreamError = z.union([
  condition,
  z.strictObject({
    condition: z.union([condition, z.array(condition).min(1)]),
    text: z.string().optional(),
    // RFC 6120 §4.9.4: an application-specific condition beside the defined one (XEP-0198's <handled-count-too-high/>).
    element: z.string().optional(),
    // What is judged around the error: by default the closing tag and the TCP close after it; `none`: the error
    // alone; `header`: the server's opening tag before it and its closing tag after it (RFC 6120 §4.9.1.2, XEP-0114 §3).
    framing: z.enum(["none", "header"]).optional(),
  }),
]);

const TLS_VERSIONS = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;
const TlsOffer = z.strictObject({
  versions: z.union([z.enum(TLS_VERSIONS), z.tuple([z.enum(TLS_VERSIONS), z.enum(TLS_VERSIONS)])]).optional(),
  ciphers: z.string().min(1).optional(),
  groups: z.string().min(1).optional(),
  alpn: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
});
const TlsExpect = z.union([z.literal("refused"), z.partialRecord(z.enum(TLS_FIELDS), attrValue)]);

const none = z.null().optional();

const noValue = (value: unknown) => value === undefined || value === null;
const text = (common: Common, verb: string, rest = "") => `${common.actor} ${verb}${rest}`;

/** A verb that takes no value. */
const bare = <K extends "start-tls" | "abort-sasl" | "close-stream" | "receive-stream-close" | "receive-disconnect">(kind: K, verb: string): Verb<K> => ({
  value: none,
  what: "no value",
  valueless: true,
  read: (value, common, at) => {
    if (!noValue(value)) throw new StepIssue(`'${verb}' takes no value`, at);
    return { ...common, kind, text: text(common, verb) } as Step & { kind: K };
  },
});

/**
 * The stream-level verbs of raw connections (docs/stream-steps.md): "c1 opens stream: {to: …}",
 * "c1 receives stream error: not-well-formed", … each with the shape of its value and how it is read; the
 * step kinds' table (kinds.ts) puts them under their kinds.
 */
export const streamVerbs = {
  "opens stream": {
    value: Header.nullable().optional(),
    what: "stream header attributes (to, from, version, lang, id, xmlns, stream-ns, prefix, attrs, declaration; expect: either, where the server may refuse it with a stream error and no header of its own) or { raw: '<stream:stream …>' }",
    valueless: true,
    read: (value, common) => {
      if (noValue(value)) return { ...common, kind: "open-stream", header: {}, text: text(common, "opens stream") };
      const h = value as z.infer<typeof Header>;
      if ("raw" in h) return { ...common, kind: "open-stream", header: { raw: h.raw }, text: text(common, "opens stream", ` ${oneLine(h.raw)}`) };
      const { "stream-ns": streamNs, expect, ...rest } = h;
      const header: StreamHeaderSpec = { ...rest, ...(streamNs !== undefined && { streamNs }) };
      const shown = Object.entries(h)
        .filter(([k]) => k !== "expect")
        .map(([k, v]) => `${k}=${v === null ? "(none)" : typeof v === "object" ? JSON.stringify(v) : v}`)
        .join(", ");
      const either = expect ? `${shown ? "; " : ""}a header or a stream error` : "";
      return { ...common, kind: "open-stream", header, ...(expect && { either: true as const }), text: text(common, "opens stream", shown || either ? ` (${shown}${either})` : "") };
    },
  } satisfies Verb<"open-stream">,
  "receives stream header": {
    value: z.record(z.string().regex(/^[A-Za-z_][\w.:-]*$/, "expected an attribute name or 'prefix'"), attrValue),
    what: "the header's attributes to check, e.g. { from: '${domain}', id: '{re:.+}', to: '{absent}' }",
    valueless: false,
    read: (value, common, at) => {
      const attrs = value as Record<string, string>;
      if (Object.keys(attrs).length === 0) throw new StepIssue("expected at least one attribute to check", at);
      return {
        ...common,
        kind: "receive-stream-header",
        attrs,
        text: text(
          common,
          "receives stream header",
          ` ${Object.entries(attrs)
            .map(([k, v]) => `${k}=${v}`)
            .join(", ")}`,
        ),
      };
    },
  } satisfies Verb<"receive-stream-header">,
  "receives features": {
    value: z.string().min(1),
    what: "a <features> pattern, e.g. <features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></features>",
    valueless: false,
    read: (value, common, at) => {
      const pattern = value as string;
      if (!/^\s*<features[\s/>]/.test(pattern)) throw new StepIssue("expected the pattern's root to be <features> (without a prefix): its children are matched against the server's features", at);
      return { ...common, kind: "receive-features", pattern, text: text(common, "receives features", ` ${oneLine(pattern)}`) };
    },
  } satisfies Verb<"receive-features">,
  "starts tls": bare("start-tls", "starts tls"),
  "negotiates tls": {
    value: TlsOffer.nullable().optional(),
    what: "what the handshake offers: versions (one, or [lowest, highest] of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3), ciphers (an OpenSSL cipher list), groups (the key exchange groups, in order: 'secp160r1:prime256v1'), alpn (a protocol or a list)",
    valueless: true,
    read: (value, common) => {
      const v = (value ?? {}) as z.infer<typeof TlsOffer>;
      const offer: TlsOfferSpec = {
        ...(v.versions && { versions: typeof v.versions === "string" ? [v.versions, v.versions] : v.versions }),
        ...(v.ciphers && { ciphers: v.ciphers }),
        ...(v.groups && { groups: v.groups }),
        ...(v.alpn && { alpn: typeof v.alpn === "string" ? [v.alpn] : v.alpn }),
      };
      const shown = Object.entries(offer).map(([k, x]) => `${k}=${Array.isArray(x) ? x.join("..") : x}`);
      return { ...common, kind: "negotiate-tls", offer, text: text(common, "negotiates tls", shown.length ? ` (${shown.join(", ")})` : "") };
    },
  } satisfies Verb<"negotiate-tls">,
  "receives frames": {
    value: z.array(z.enum(FRAME_CHECKS)).min(1).nullable().optional(),
    what: `the checks every message from the server must pass (${FRAME_CHECKS.join(", ")}); none named: text, standalone, starts-with-lt, one-element`,
    valueless: true,
    read: (value, common) => {
      const checks: FrameCheck[] = (value as FrameCheck[] | null | undefined) ?? ["text", "standalone", "starts-with-lt", "one-element"];
      return { ...common, kind: "receive-frames", checks, text: text(common, "receives frames", ` (${checks.join(", ")})`) };
    },
  } satisfies Verb<"receive-frames">,
  "receives tls": {
    value: TlsExpect,
    what: `refused, or fields of the handshake's outcome (${TLS_FIELDS.join(", ")}) with pattern values, e.g. { version: "{re:TLSv1\\.[23]}" }`,
    valueless: false,
    read: (value, common) => {
      const attrs: Record<string, string> = value === "refused" ? { refused: "{any}" } : (value as Record<string, string>);
      const shown =
        value === "refused"
          ? " refused"
          : ` ${Object.entries(attrs)
              .map(([k, x]) => `${k}=${x}`)
              .join(", ")}`;
      return { ...common, kind: "receive-tls", attrs, text: text(common, "receives tls", shown) };
    },
  } satisfies Verb<"receive-tls">,
  authenticates: {
    value: Sasl.nullable().optional(),
    what: "SASL choices: mechanism (PLAIN, SCRAM-SHA-1, SCRAM-SHA-256, SCRAM-SHA-1-PLUS, SCRAM-SHA-256-PLUS, HT-SHA-256-NONE), password (a FAST token for HT-SHA-256-NONE), authzid, until: challenge, expect: success | failure; profile: sasl2 with user-agent, bind: { tag, enable: [carbons, sm, csi-inactive] }, request-token, invalidate, resume: { previd, h }; channel-binding (tls-exporter, tls-server-end-point, or { type, data: wrong })",
    valueless: true,
    read: (value, common, at) => {
      const v = noValue(value) ? {} : (value as z.infer<typeof Sasl>);
      const sasl = saslSpec(v, at);
      const shown = Object.entries(v)
        .filter(([k]) => k !== "password")
        .map(([k, x]) => `${k}=${typeof x === "object" ? JSON.stringify(x) : x}`)
        .concat(v.password !== undefined ? [v.mechanism === "HT-SHA-256-NONE" ? "a token" : "another password"] : []);
      return { ...common, kind: "authenticate", sasl, text: text(common, "authenticates", shown.length ? ` (${shown.join(", ")})` : "") };
    },
  } satisfies Verb<"authenticate">,
  handshakes: {
    value: z
      .union([z.strictObject({ secret: attrValue.pipe(z.string().min(1)) }), z.strictObject({ expect: z.literal("either") })])
      .nullable()
      .optional(),
    what: "nothing (the target's shared secret: the handshake must be accepted), { secret: another } (only sent, on a stream the server left open: the next steps check the refusal), or { expect: either } (the target's secret, accepted or refused: the next steps say which)",
    valueless: true,
    read: (value, common) => {
      const v = noValue(value) ? {} : (value as { secret?: string; expect?: "either" });
      const shown = v.secret !== undefined ? " with another secret" : v.expect ? " (accepted or refused)" : "";
      return { ...common, kind: "handshake", ...(v.secret !== undefined && { secret: v.secret }), ...(v.expect && { either: true as const }), text: text(common, "handshakes", shown) };
    },
  } satisfies Verb<"handshake">,
  "aborts sasl": bare("abort-sasl", "aborts sasl"),
  binds: {
    value: attrValue.pipe(z.string().min(1)).nullable().optional(),
    what: "the resourcepart to request (or no value: the server generates one)",
    valueless: true,
    read: (value, common) => {
      if (noValue(value)) return { ...common, kind: "bind", text: `${common.actor} binds a resource the server generates` };
      const resource = value as string;
      return { ...common, kind: "bind", resource, text: text(common, "binds", ` ${resource.length > 40 ? `${resource.slice(0, 40)}… (${Buffer.byteLength(resource)} octets)` : resource}`) };
    },
  } satisfies Verb<"bind">,
  "sends raw": {
    value: Bytes,
    what: "bytes to send: a string, or { before, repeat, times, after }, or { before, repeat, exceed: max-bytes, after }",
    valueless: false,
    read: (value, common) => {
      const b = value as z.infer<typeof Bytes>;
      const bytes: RawBytes = typeof b === "string" ? { text: b } : b;
      const count = "text" in bytes ? "" : "times" in bytes ? `${bytes.times} ×` : "past max-bytes,";
      const shown = "text" in bytes ? oneLine(bytes.text) : `${oneLine(bytes.before)}…(${count} '${bytes.repeat}')…${oneLine(bytes.after)}`;
      return { ...common, kind: "send-raw", bytes, text: text(common, "sends raw", ` ${shown}`) };
    },
  } satisfies Verb<"send-raw">,
  "receives stream error": {
    value: StreamError,
    what: "a stream error condition, or { condition: [one, or, several], text: pattern, element: <application-specific-condition/> pattern, framing: none | header }",
    valueless: false,
    read: (value, common, at) => {
      const e = value as z.infer<typeof StreamError>;
      const named = typeof e === "string" ? [e] : Array.isArray(e.condition) ? e.condition : [e.condition];
      const unknown = named.find((c) => c !== "any" && !(STREAM_ERROR_CONDITIONS as readonly string[]).includes(c));
      if (unknown) throw new StepIssue(`'${unknown}' is not a stream error condition of RFC 6120 §4.9.3 (${STREAM_ERROR_CONDITIONS.join(", ")}, or any)`, at);
      const conditions = named.includes("any") ? [...STREAM_ERROR_CONDITIONS] : named;
      const errText = typeof e === "string" ? undefined : e.text;
      const errElement = typeof e === "string" ? undefined : e.element;
      const framing = typeof e === "string" ? undefined : e.framing;
      const framed = framing === "none" ? ", framing aside" : framing === "header" ? ", between the server's header and its closing tag" : "";
      return {
        ...common,
        kind: "receive-stream-error",
        conditions,
        ...(named.includes("any") && { anyCondition: true as const }),
        ...(errText !== undefined && { errorText: errText }),
        ...(errElement !== undefined && { errorElement: errElement }),
        ...(framing && { framing }),
        text: text(common, "receives stream error", ` ${named.includes("any") ? "(any defined condition)" : conditions.join(" | ")}${framed}`),
      };
    },
  } satisfies Verb<"receive-stream-error">,
  "closes stream": bare("close-stream", "closes stream"),
  "receives stream close": bare("receive-stream-close", "receives stream close"),
  "receives disconnect": bare("receive-disconnect", "receives disconnect"),
};
