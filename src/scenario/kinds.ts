import { z } from "zod";
import { expectShape, oneLine, StepIssue } from "./step-issue.ts";
import { streamVerbs } from "./stream-steps.ts";
import { httpVerbs } from "./http-steps.ts";
import { boshVerbs } from "./bosh-steps.ts";
import type { ExpectKind, Step } from "./types.ts";
import type { Common, Verb } from "./verb.ts";

export type { Verb } from "./verb.ts";

/**
 * Every step kind in one table, typed over every kind so the compiler refuses a kind left out: how it is
 * written (its verbs: the shape of the value, and how it is read), whether it checks what arrived or acts,
 * where it may stand (raw connections only, for a user of the remote server, inside 'one of'), the XML and
 * other text it holds (placeholders, well-formedness), the stanzas it requires to arrive (the addressing
 * guard), what the audit table shows of it, and the stanzas whose addresses make a case cross servers.
 * Everything before the run that needs to know a kind asks here; the run's handlers are the one other table
 * (src/run/case/steps.ts), typed over the same kinds. Adding a step kind is one entry here and its handler.
 */
export interface KindInfo<K extends Step["kind"]> {
  /** The verbs that write this kind ('receives', 'receives in order', …); none for kinds the loader makes. */
  verbs: Record<string, Verb<K>>;
  /** Checks what arrived (proves the case's requirements unless it names its own), or acts (proves only what it names). */
  checks: boolean;
  /** An expectation of what arrives on its sessions: a miss leaves them with an expectation unmet. */
  settles: boolean;
  /** Judged only on sessions with no unmet expectation (what else arrived is known only once nothing more is expected there). */
  needsSettled: boolean;
  /** Stream level: for raw connections only (RFC 6120, docs/stream-steps.md). */
  stream: boolean;
  /** For BOSH connections only (XEP-0124), which take no other kind. */
  bosh?: true;
  /** A user of the harness's scripted remote server may take it (it only sends and receives). */
  remote: boolean;
  /** May be an alternative's step inside 'one of' (what only looks at what arrived). */
  inOneOf: K extends ExpectKind ? true : false;
  /** Expects the server to end the raw connection: once it holds, that end is the case's outcome, not an early close. */
  endsStream: boolean;
  /**
   * An action that sends the server an IQ request of its own and waits for the answer itself (a 'binds'): no answer
   * at all is RFC 6120 §8.2.3's failure (STANZA-IQ-01), not a precondition the server did not give.
   */
  awaitsOwnAnswer?: true;
  /** The XML it sends or expects: placeholders and captures are followed, well-formedness checked. */
  xml(step: Step & { kind: K }): string[];
  /** Other text of the step that may hold placeholders (raw bytes, attribute values). */
  texts(step: Step & { kind: K }): string[];
  /** The stanza patterns it requires to arrive: the addressing guard checks them. */
  positives(step: Step & { kind: K }): string[];
  /** What the audit table shows: a verb and the patterns it asserts. */
  audit(step: Step & { kind: K }): { verb: string; patterns: string[] }[];
  /** Stanzas whose top-level to/from make a case cross servers when they name an account of the other side. */
  addressed(step: Step & { kind: K }): string[];
  /** The stanzas it sends, as written: the requests whose ids its own and later expectations may assert. */
  sends(step: Step & { kind: K }): string[];
  /** A check that takes one of several named outcomes: each credits its own requirements, else the step's. */
  outcomes?(step: Step & { kind: K }): { name: string; requirements?: string[] }[];
}

const xmlString = z.string().min(1);
const xmlList = z.array(xmlString).min(1);
const noValue = z.null().optional();
const nothing = () => [];

/** What an expectation of arriving stanzas shows in the audit table. */
const arrives = (verb: string, patterns: string[]) => [{ verb, patterns }];

const receiveVerb = (mode: "one" | "in-order" | "all-of"): Verb<"receive"> => ({
  value: mode === "one" ? xmlString : xmlList,
  what: mode === "one" ? "a stanza pattern, as XML" : "a list of stanza patterns",
  valueless: false,
  read: (value, common) => {
    const patterns = mode === "one" ? [value as string] : (value as string[]);
    const verb = mode === "one" ? "receives" : mode === "in-order" ? "receives in order" : "receives all of";
    return { ...common, kind: "receive", mode, patterns, text: mode === "one" ? `${common.actor} receives ${oneLine(patterns[0])}` : `${common.actor} ${verb} ${patterns.length} stanzas` };
  },
});

const bare = <K extends "connect" | "disconnect" | "drop">(kind: K, verb: string): Verb<K> => ({
  value: noValue,
  what: "no value",
  valueless: true,
  read: (value, common, at) => {
    if (value !== undefined && value !== null) throw new StepIssue(`'${verb}' takes no value`, at);
    return { ...common, kind, text: `${common.actor} ${verb}` } as Step & { kind: K };
  },
});

/** Session and raw steps that act: nothing to show in the audit table, nothing that must arrive. */
const action = {
  checks: false,
  settles: false,
  needsSettled: false,
  stream: false,
  remote: false,
  inOneOf: false,
  endsStream: false,
  xml: nothing,
  texts: nothing,
  positives: nothing,
  audit: nothing,
  addressed: nothing,
  sends: nothing,
} as const;
/** Stream-level steps (raw connections). */
const streamAction = { ...action, stream: true } as const;

/** An IQ get with an id, as XML: what 'polls' may ask again (its answer is found by the id). */
const askedAgain = /^\s*<iq\b(?=[^>]*\btype=(['"])get\1)(?=[^>]*\bid=(['"])[^'"]+\2)/;

export const KINDS: { [K in Step["kind"]]: KindInfo<K> } = {
  send: {
    ...action,
    remote: true,
    verbs: {
      sends: {
        value: xmlString,
        what: "the stanza to send, as XML",
        valueless: false,
        read: (value, common) => ({ ...common, kind: "send", xml: value as string, text: `${common.actor} sends ${oneLine(value as string)}` }),
      },
    },
    xml: (s) => [s.xml],
    addressed: (s) => [s.xml],
    sends: (s) => [s.xml],
  },
  receive: {
    checks: true,
    settles: true,
    needsSettled: false,
    stream: false,
    remote: true,
    inOneOf: true,
    endsStream: false,
    verbs: { "receives in order": receiveVerb("in-order"), "receives all of": receiveVerb("all-of"), receives: receiveVerb("one") },
    xml: (s) => s.patterns,
    texts: nothing,
    positives: (s) => s.patterns,
    audit: (s) => arrives(s.mode === "one" ? "receives" : s.mode === "in-order" ? "receives in order (the order is asserted)" : "receives all of (any order)", s.patterns),
    addressed: (s) => s.patterns,
    sends: nothing,
  },
  "receive-one-of": {
    checks: true,
    settles: true,
    needsSettled: false,
    stream: false,
    remote: true,
    inOneOf: false,
    endsStream: false,
    verbs: {
      "receives one of": {
        value: z.record(
          z.string(),
          z.union([xmlString, xmlList, z.strictObject({ receives: z.union([xmlString, xmlList]), requirements: z.array(z.string()).optional(), also: z.record(z.string(), xmlString).optional() })]),
        ),
        what: "named alternatives: 'name: <pattern/>', 'name: [<pattern/>, ...]', or 'name: { receives: <pattern/>, requirements: [...], also: {...} }' for one that credits only those (none: []) or checks more of its stanza",
        valueless: false,
        read: (value, common, at) => {
          type Alt = string | string[] | { receives: string | string[]; requirements?: string[]; also?: Record<string, string> };
          const alternatives = Object.entries(value as Record<string, Alt>).map(([name, a]) => {
            const full = typeof a === "object" && !Array.isArray(a) ? a : undefined;
            const p = full ? full.receives : (a as string | string[]);
            const patterns = Array.isArray(p) ? p : [p];
            if (full?.also && patterns.length !== 1) throw new StepIssue(`alternative '${name}': 'also' checks the stanza of an alternative with one pattern`, at);
            return { name, patterns, ...(full?.requirements && { requirements: full.requirements }), ...(full?.also && { also: full.also }) };
          });
          if (alternatives.length < 2) throw new StepIssue("expected at least two alternatives", at);
          return { ...common, kind: "receive-one-of", alternatives, text: `${common.actor} receives one of: ${alternatives.map((a) => a.name).join(" | ")}` };
        },
      },
    },
    xml: (s) => s.alternatives.flatMap((a) => a.patterns),
    texts: nothing,
    positives: (s) => s.alternatives.flatMap((a) => a.patterns),
    audit: (s) => s.alternatives.map((a) => ({ verb: `receives one of: ${a.name}`, patterns: a.patterns })),
    addressed: (s) => s.alternatives.flatMap((a) => a.patterns),
    sends: nothing,
    outcomes: (s) => s.alternatives,
  },
  also: {
    checks: true,
    settles: false,
    needsSettled: false,
    stream: false,
    remote: true,
    inOneOf: false,
    endsStream: false,
    verbs: {},
    xml: (s) => [s.pattern],
    texts: nothing,
    positives: (s) => [s.pattern],
    audit: (s) => arrives("and that stanza also", [s.pattern]),
    addressed: (s) => [s.pattern],
    sends: nothing,
  },
  poll: {
    checks: true,
    settles: false,
    needsSettled: false,
    stream: false,
    remote: false,
    inOneOf: false,
    endsStream: false,
    verbs: {
      polls: {
        value: z.union([z.strictObject({ ask: xmlString, until: xmlString }), z.strictObject({ ask: xmlString, while: xmlString })]),
        what: "{ ask: <iq type='get' id='…'/>, until: <a pattern of its answer/> } or { ask, while: <a pattern every answer matches/> }",
        valueless: false,
        read: (value, common, at) => {
          const v = value as { ask: string } & ({ until: string } | { while: string });
          if (!askedAgain.test(v.ask)) throw new StepIssue("'polls' asks with an <iq type='get'> that has an id (asking again must change nothing; its answer is found by the id)", [...at, "ask"]);
          return "until" in v
            ? { ...common, kind: "poll", ask: v.ask, until: v.until, text: `${common.actor} polls ${oneLine(v.ask)} until ${oneLine(v.until)}` }
            : { ...common, kind: "poll", ask: v.ask, while: v.while, text: `${common.actor} polls ${oneLine(v.ask)} while ${oneLine(v.while)}` };
        },
      },
    },
    xml: (s) => [s.ask, s.until ?? s.while],
    texts: nothing,
    positives: (s) => [s.until ?? s.while],
    audit: (s) =>
      s.until !== undefined
        ? arrives("polls until (the request asked again until its answer matches, or the timeout)", [s.until])
        : arrives("polls while (the request asked again until the timeout, every answer matching)", [s.while]),
    addressed: (s) => [s.ask],
    sends: (s) => [s.ask],
  },
  "receive-nothing": {
    checks: true,
    settles: false,
    needsSettled: true,
    stream: false,
    remote: true,
    inOneOf: true,
    endsStream: false,
    verbs: {
      "receives nothing": {
        value: xmlString.nullable().optional(),
        what: "a stanza pattern, as XML (or no value: nothing at all)",
        valueless: true,
        read: (value, common) => {
          const pattern = (value as string | null | undefined) ?? undefined;
          return { ...common, kind: "receive-nothing", ...(pattern && { pattern }), text: `${common.actor} receives nothing${pattern ? ` matching ${oneLine(pattern)}` : ""}` };
        },
      },
    },
    xml: (s) => (s.pattern ? [s.pattern] : []),
    texts: nothing,
    // Only what must arrive is guarded: a 'receives nothing' pattern that says more forbids less.
    positives: nothing,
    audit: (s) => arrives("receives nothing", s.pattern ? [s.pattern] : ["(any stanza)"]),
    addressed: (s) => (s.pattern ? [s.pattern] : []),
    sends: nothing,
  },
  connect: { ...action, verbs: { connects: bare("connect", "connects") } },
  disconnect: { ...action, verbs: { disconnects: bare("disconnect", "disconnects") } },
  drop: { ...action, verbs: { drops: bare("drop", "drops") } },
  "one-of": {
    checks: true,
    settles: false,
    needsSettled: true,
    stream: false,
    remote: true,
    inOneOf: false,
    endsStream: false,
    // Written as the key 'one of' (steps.ts), not ACTOR VERB.
    verbs: {},
    xml: (s) => s.alternatives.flatMap((a) => a.steps.flatMap((st) => xmlOfStep(st))),
    texts: (s) => s.alternatives.flatMap((a) => a.steps.flatMap((st) => textsOfStep(st))),
    positives: (s) => s.alternatives.flatMap((a) => a.steps.flatMap((st) => positivesOf(st))),
    audit: (s) => s.alternatives.flatMap((a) => a.steps.flatMap((st) => auditOf(st).map((w) => ({ verb: `one of ${a.name}: ${st.actor} ${w.verb}`, patterns: w.patterns })))),
    addressed: nothing,
    sends: nothing,
  },
  "open-stream": {
    ...streamAction,
    verbs: { "opens stream": streamVerbs["opens stream"] },
    texts: (s) => {
      const h = s.header;
      if ("raw" in h) return [h.raw];
      return [h.to, h.from, h.version, h.lang, h.id, h.xmlns, h.streamNs, ...Object.values(h.attrs ?? {})].filter((v): v is string => typeof v === "string");
    },
  },
  "receive-stream-header": {
    ...streamAction,
    checks: true,
    inOneOf: true,
    endsStream: false,
    verbs: { "receives stream header": streamVerbs["receives stream header"] },
    texts: (s) => Object.values(s.attrs),
  },
  "receive-features": {
    ...streamAction,
    checks: true,
    inOneOf: true,
    endsStream: false,
    verbs: { "receives features": streamVerbs["receives features"] },
    xml: (s) => [s.pattern],
  },
  "start-tls": { ...streamAction, verbs: { "starts tls": streamVerbs["starts tls"] } },
  "negotiate-tls": {
    ...streamAction,
    verbs: { "negotiates tls": streamVerbs["negotiates tls"] },
    texts: (s) => [s.offer.ciphers ?? "", s.offer.groups ?? "", ...(s.offer.alpn ?? [])].filter(Boolean),
  },
  "receive-frames": { ...streamAction, checks: true, verbs: { "receives frames": streamVerbs["receives frames"] } },
  "receive-tls": { ...streamAction, checks: true, inOneOf: true, verbs: { "receives tls": streamVerbs["receives tls"] }, texts: (s) => Object.values(s.attrs) },
  "abort-sasl": { ...streamAction, verbs: { "aborts sasl": streamVerbs["aborts sasl"] } },
  "close-stream": { ...streamAction, verbs: { "closes stream": streamVerbs["closes stream"] } },
  "receive-stream-close": { ...streamAction, checks: true, inOneOf: true, endsStream: true, verbs: { "receives stream close": streamVerbs["receives stream close"] } },
  "receive-disconnect": { ...streamAction, checks: true, inOneOf: true, endsStream: true, verbs: { "receives disconnect": streamVerbs["receives disconnect"] } },
  authenticate: {
    ...streamAction,
    verbs: { authenticates: streamVerbs.authenticates },
    texts: (s) => {
      const ua = s.sasl.sasl2?.userAgent;
      const resume = s.sasl.sasl2?.resume;
      return [s.sasl.password, s.sasl.authzid, ...(ua && ua !== "none" ? [ua.id, ua.software, ua.device] : []), s.sasl.sasl2?.bind?.tag, resume?.previd, resume?.h].filter(
        (v): v is string => v !== undefined,
      );
    },
  },
  http: {
    ...action,
    verbs: { puts: httpVerbs.puts, gets: httpVerbs.gets },
    texts: (s) => [s.request.url, s.request.slot, s.request.body, s.request.contentType, ...Object.values(s.request.headers ?? {})].filter((v): v is string => v !== undefined),
  },
  "receive-http": {
    ...action,
    checks: true,
    inOneOf: true,
    verbs: { "receives http": httpVerbs["receives http"] },
    texts: (s) => [s.expect.status, s.expect.body, ...Object.values(s.expect.headers ?? {}), s.expect.failed].filter((v): v is string => v !== undefined),
    audit: (s) => [{ verb: "receives http", patterns: [JSON.stringify(s.expect)] }],
  },
  "bosh-post": {
    ...action,
    bosh: true,
    verbs: { posts: boshVerbs.posts },
    xml: (s) => [s.post.body],
    texts: (s) => Object.values(s.post.headers ?? {}),
  },
  "bosh-receive": {
    ...action,
    bosh: true,
    checks: true,
    verbs: { "receives body": boshVerbs["receives body"] },
    xml: (s) => (s.expect.body === undefined ? [] : [s.expect.body]),
    texts: (s) => [s.expect.of, s.expect.status, ...Object.values(s.expect.headers ?? {})].filter((v): v is string => v !== undefined),
    audit: (s) => [{ verb: "receives body", patterns: [JSON.stringify(s.expect)] }],
  },
  "bosh-receive-one-of": {
    ...action,
    bosh: true,
    checks: true,
    verbs: { "receives body one of": boshVerbs["receives body one of"] },
    xml: (s) => s.alternatives.flatMap((a) => (a.expect.body === undefined ? [] : [a.expect.body])),
    texts: (s) => s.alternatives.flatMap((a) => [a.expect.of, a.expect.status, ...Object.values(a.expect.headers ?? {})].filter((v): v is string => v !== undefined)),
    audit: (s) => s.alternatives.map((a) => ({ verb: `receives body one of: ${a.name}`, patterns: [JSON.stringify(a.expect)] })),
    outcomes: (s) => s.alternatives,
  },
  "bosh-answers": {
    ...action,
    bosh: true,
    checks: true,
    verbs: { "receives answers": boshVerbs["receives answers"] },
    audit: (s) => [{ verb: "receives answers", patterns: s.checks }],
  },
  handshake: { ...streamAction, verbs: { handshakes: streamVerbs.handshakes }, texts: (s) => (s.secret === undefined ? [] : [s.secret]) },
  bind: { ...streamAction, awaitsOwnAnswer: true, verbs: { binds: streamVerbs.binds }, texts: (s) => (s.resource === undefined ? [] : [s.resource]) },
  "send-raw": {
    ...streamAction,
    verbs: { "sends raw": streamVerbs["sends raw"] },
    texts: (s) => ("text" in s.bytes ? [s.bytes.text] : [s.bytes.before, s.bytes.repeat, s.bytes.after]),
  },
  "receive-stream-error": {
    ...streamAction,
    checks: true,
    inOneOf: true,
    endsStream: true,
    verbs: { "receives stream error": streamVerbs["receives stream error"] },
    xml: (s) => (s.errorElement === undefined ? [] : [s.errorElement]),
    texts: (s) => [...(s.errorText === undefined ? [] : [s.errorText]), ...(s.errorElement === undefined ? [] : [s.errorElement])],
  },
};

const info = <K extends Step["kind"]>(step: Step & { kind: K }) => KINDS[step.kind] as unknown as KindInfo<K>;

/** The XML a step sends or expects (checked for well-formedness by the loader). */
export const xmlOfStep = (step: Step): string[] => info(step).xml(step);
/** Text of a step that may hold placeholders but is not XML to check (raw bytes, attribute values). */
export const textsOfStep = (step: Step): string[] => info(step).texts(step);
/** Everything of a step that may hold placeholders or captures. */
export const allTextsOf = (step: Step): string[] => [...xmlOfStep(step), ...textsOfStep(step)];
/** The patterns a step requires to arrive, for the addressing guard. */
export const positivesOf = (step: Step): string[] => info(step).positives(step);
/** What the audit table shows of a step. */
export const auditOf = (step: Step): { verb: string; patterns: string[] }[] => info(step).audit(step);
/** The stanzas whose addresses decide whether a case crosses servers. */
export const addressedBy = (step: Step): string[] => info(step).addressed(step);
/** The named outcomes a single check takes one of ('receives one of', 'receives body one of'); none for other kinds. */
export const outcomesOf = (step: Step): { name: string; requirements?: string[] }[] | undefined => info(step).outcomes?.(step);
/** The stanzas a step sends, as written. */
export const sentBy = (step: Step): string[] => info(step).sends(step);

/** The stream-level kinds, for raw connections only. */
export const STREAM_KINDS = new Set((Object.keys(KINDS) as Step["kind"][]).filter((k) => KINDS[k].stream));
/** The kinds for BOSH connections, which take no other. */
export const BOSH_KINDS = new Set((Object.keys(KINDS) as Step["kind"][]).filter((k) => KINDS[k].bosh));
/** What a user of the harness's remote server can do in a step. */
export const REMOTE_KINDS = new Set((Object.keys(KINDS) as Step["kind"][]).filter((k) => KINDS[k].remote));

/** Every verb, with the kind it writes: the parser and the editors' JSON Schema read this. */
export const VERBS: Record<string, Verb<Step["kind"]> & { kind: Step["kind"] }> = Object.fromEntries(
  (Object.keys(KINDS) as Step["kind"][]).flatMap((kind) => Object.entries(KINDS[kind].verbs as Record<string, Verb<Step["kind"]>>).map(([name, v]) => [name, { ...v, kind }])),
);

/** Reads the value of a verb into its step. */
export function readVerb(verb: string, value: unknown, common: Common, at: string[]): Step {
  const v = VERBS[verb];
  const checked = expectShape(v.value, value, at, v.what);
  return v.read(checked, common, at);
}
