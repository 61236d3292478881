/** The scenario model every later stage works on: plain data, produced by load.ts. */
export { LEVELS, type Level } from "../specification/levels.ts";
import type { Level } from "../specification/levels.ts";

/**
 * What decides that an expected stanza is not coming: "barrier" (as soon as a barrier over the case's
 * sessions completes without it) or "timeout" (only the timeout: for stanzas no barrier orders, such as what
 * crosses to another server or what a server sends on a timer).
 */
export const WAITS = ["barrier", "timeout"] as const;
export type Wait = (typeof WAITS)[number];

export { FEATURES } from "../families/index.ts";
export type { DiscoAt, FeatureShape, ProbeShape, StreamFeatureShape, TransportShape } from "../families/index.ts";
import type { FEATURES } from "../families/index.ts";
import type { FeatureShape } from "../families/index.ts";

/** Optional server features a case can need (each family declares its own); a target that does not advertise one skips the case. */
export type Feature = keyof typeof FEATURES;

/** A feature a case needs, with how the server shows it offers it (the loader looks the shape up once). */
export interface NeededFeature {
  name: Feature;
  shape: FeatureShape;
}

export { SourcePos } from "../util/yaml-file.ts";
import type { SourcePos } from "../util/yaml-file.ts";

export interface PresenceSpec {
  priority?: number;
  show?: string;
  status?: string;
}

export interface ResourceSpec {
  name: string;
  /** Fetches the roster at set-up (an "interested resource", RFC 6121 §2.2). */
  roster: boolean;
  /** Sends initial presence at set-up (an "available resource"); undefined = stays connected only. */
  presence?: PresenceSpec;
  /** Connected at set-up; false = only by a later "connects" step. */
  online: boolean;
  /** Answers roster pushes with a result, as clients should; false leaves them to the steps (RFC 6121 §2.1.6). */
  acks: boolean;
  /**
   * Answers other IQ requests with service-unavailable, as a plain client does; false leaves them to the steps (a case
   * that answers a query itself, so that its answer is the only one: RFC 6120 §8.2.3).
   */
  answers: boolean;
  /** XEP-0115: features the resource advertises (its presence's `<c/>`, its disco#info answers); none: it answers disco#info with an error. */
  caps?: string[];
}

export interface AccountSpec {
  name: string;
  /**
   * a: the target's domain; b: the second domain of a pair target (the case is skipped without one);
   * remote: a user of the harness's scripted remote server (src/remote/), skipped on targets without one.
   */
  domain: "a" | "b" | "remote";
  /** A remote account's resources only name full JIDs (${bob/r1}): nothing connects. */
  resources: ResourceSpec[];
  /** "by-case": the case registers the account itself; the harness only names it and removes it afterwards if it exists. */
  registered: "by-harness" | "by-case";
  /** The case cancels the account or changes its password (to its ${name|newpassword}): never an existing account. */
  disposable: boolean;
}

/**
 * A raw connection (docs/stream-steps.md): the steps drive it from the first byte. Under an account
 * (`resources: { c1: { raw: true } }`) it has the account's credentials; at the top level (`connections:`) none.
 */
export interface RawConnectionSpec {
  /** The step actor: "juliet/c1", or "c2" for a top-level connection. */
  label: string;
  name: string;
  account?: string;
  /** TCP-connected at set-up; false = only by a later "connects" step. */
  online: boolean;
  /** Left before STARTTLS on a STARTTLS target: the case's first stream header is the stream's first (so is every connection of a case that needs starttls). */
  plaintext?: true;
  /** No TLS before its steps: a 'negotiates tls' step makes the handshake (every connection of a case that needs tls or direct-tls). */
  tlsByStep?: true;
  /** Over the target's WebSocket endpoint (RFC 7395) instead of TCP: every connection of a case that needs websocket. */
  webSocket?: true;
  /** An external component (XEP-0114) on the target's component port, its stream header addressed to the component's domain. */
  component?: true;
  /** An HTTP client of the target's BOSH endpoint (XEP-0124): its steps post the `<body/>` requests the case writes. */
  bosh?: true;
}

/** The initial stream header of an "opens stream" step: attributes (null leaves one out) or literal bytes. */
/** An HTTP request of a 'puts' or 'gets' step. */
export interface HttpRequestSpec {
  method: "PUT" | "GET";
  url: string;
  body?: string;
  contentType?: string;
  /** Header fields beside the slot's (PUT) or instead of none (GET). */
  headers?: Record<string, string>;
  /** PUT: send the slot's <header/> fields (default true). */
  slotHeaders?: boolean;
  /** PUT: the put URL of the slot whose header fields go along (default: `url`). */
  slot?: string;
  /** GET: how many redirects (same origin or loopback) it follows (default 5; 0: the URL's own answer). */
  follow?: number;
}

/**
 * How far an HTTP request that got no HTTP answer went: no connection was made (`connect`); connected, but no TLS
 * handshake completed (`tls`, https only); or connected, with the TLS handshake done for https, but no whole HTTP
 * answer came (`http`: the host closed or reset the connection, or the deadline passed).
 */
export const HTTP_STAGES = ["connect", "tls", "http"] as const;
export type HttpStage = (typeof HTTP_STAGES)[number];

/**
 * What 'receives http' checks of the latest response: patterns for the status, the body and header fields (lowercase
 * names); or, alone, `failed`: a pattern for the `HttpStage` at which a request that got no HTTP answer failed,
 * which no answer matches.
 */
export interface HttpExpectSpec {
  status?: string;
  body?: string;
  headers?: Record<string, string>;
  failed?: string;
}

/**
 * A 'posts' request of a BOSH connection (XEP-0124): the `<body/>` as written (of BOSH's namespace unless it names
 * another, its payloads 'jabber:client' unless they name theirs), and header fields (lowercase names) beside
 * Content-Type: text/xml; charset=utf-8, which they may replace.
 */
export interface BoshPostSpec {
  body: string;
  headers?: Record<string, string>;
}

/**
 * What 'receives body' checks of the answer to one request of a BOSH connection: which request (`of`: its 'rid' as
 * written; else the oldest whose answer no step took), and patterns for the HTTP status, header fields (lowercase
 * names) and the `<body/>` (an XML pattern, its payloads read as XEP-0206 §2 says).
 */
export interface BoshExpectSpec {
  of?: string;
  status?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The answer came no sooner than this many milliseconds after its request went (the connection manager held it). */
  heldMs?: number;
  /** The request got no HTTP answer at all (the connection closed or failed); it stands alone. */
  failed?: true;
}

/**
 * What 'receives answers' checks of every answer a BOSH connection got (XEP-0124 §5, §6, §7.2, §8, §9.1, §14.2;
 * XEP-0206 §2): every request answered in HTTP (none failed), HTTP 200 with a `<body/>` of the BOSH namespace
 * (`ok`), well-formed XML 1.0 (`well-formed`, of an answer that starts as a `<body/>`), no character data of its own, no comment, processing instruction or DTD, no chunked transfer coding,
 * the session creation's attributes on no other answer, answers in 'rid' order, 'ack' on the creation response and on
 * every later answer but one to the latest request the client had made, the 'stream' prefix declared on the `<body/>`
 * that carries `<stream:features/>` or `<stream:error/>`, payloads in one of XEP-0206 §2's forms (stream features,
 * one SASL element, stanzas, stanzas and a stream error), and a stream error last.
 */
export const ANSWER_CHECKS = [
  "http",
  "ok",
  "well-formed",
  "no-character-data",
  "no-markup-declarations",
  "not-chunked",
  "session-attributes-once",
  "in-rid-order",
  "ack-throughout",
  "stream-namespace-on-body",
  "xmpp-payloads",
  "stream-error-last",
] as const;
export type AnswerCheck = (typeof ANSWER_CHECKS)[number];

/** What a 'negotiates tls' step offers: versions (lowest, highest), an OpenSSL cipher list, key exchange groups, ALPN protocols. */
export interface TlsOfferSpec {
  versions?: [string, string];
  ciphers?: string;
  groups?: string;
  alpn?: string[];
}

/**
 * What 'receives frames' checks of every message a connection over WebSocket got (RFC 7395 §3.2, §3.3.3, §3.8),
 * and `closing-handshake`: the connection ended with the WebSocket closing handshake, not cut (§3.6).
 */
export const FRAME_CHECKS = ["text", "standalone", "starts-with-lt", "one-element", "no-declaration", "no-whitespace", "closing-handshake"] as const;
export type FrameCheck = (typeof FRAME_CHECKS)[number];

/** What 'receives tls' can look at in a handshake's outcome. */
export const TLS_FIELDS = ["version", "cipher", "alpn", "key-type", "key-bits", "ephemeral-type", "ephemeral-bits", "trusted", "names-domain", "refused"] as const;
export type TlsField = (typeof TLS_FIELDS)[number];

export type StreamHeaderSpec =
  | { raw: string }
  | {
      to?: string | null;
      from?: string | null;
      version?: string | null;
      lang?: string | null;
      id?: string | null;
      xmlns?: string | null;
      streamNs?: string;
      prefix?: string;
      attrs?: Record<string, string>;
      declaration?: boolean;
    };

/** An "authenticates" step's choices; every field absent: the account's credentials, the strongest mechanism offered. */
export interface SaslSpec {
  mechanism?: "PLAIN" | "SCRAM-SHA-1" | "SCRAM-SHA-256" | "SCRAM-SHA-1-PLUS" | "SCRAM-SHA-256-PLUS" | "HT-SHA-256-NONE";
  /** Another password; for HT-SHA-256-NONE the FAST token (XEP-0484). */
  password?: string;
  /** XEP-0388's <authenticate/> instead of RFC 6120's <auth/>, with what it asks for (see Sasl2Request). */
  sasl2?: {
    userAgent?: { id?: string; software?: string; device?: string } | "none";
    bind?: { tag?: string; enable?: ("carbons" | "sm" | "csi-inactive")[] };
    requestToken?: string;
    fast?: { invalidate?: boolean };
    resume?: { previd: string; h: string };
  };
  /** A -PLUS mechanism's channel-binding type (XEP-0440), default tls-exporter; "y": SCRAM's GS2 flag for a client that saw no channel binding offered. */
  binding?: "tls-exporter" | "tls-server-end-point" | "y";
  /** "wrong": the -PLUS binding's data with one bit flipped, as a man in the middle's other channel would give it (XEP-0440 §3). */
  bindingData?: "wrong";
  authzid?: string;
  /** Stop after the server's first challenge (for "aborts sasl"). */
  until?: "challenge";
  /** "failure": the outcome is left to the next "receives" step; default: anything but success fails the step. */
  expect?: "success" | "failure";
}

/**
 * Bytes to send as they are; a repeated middle makes large payloads without large files: repeated `times`,
 * or as often as makes the whole exceed the max-bytes the server announced on the stream (XEP-0478).
 */
export type RawBytes = { text: string } | ({ before: string; repeat: string; after: string } & ({ times: number } | { exceed: "max-bytes" }));

/**
 * Subscription states of RFC 6121 Appendix A, from the user's point of view towards the contact.
 * "pre-approved" is None with a pre-approval (§3.4), which needs the server's pre-approval feature.
 */
export const SUBSCRIPTION_STATES = ["none", "none+pending-out", "none+pending-in", "none+pending-out+in", "to", "to+pending-in", "from", "from+pending-out", "both", "pre-approved"] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

/** A roster item the owner has before the steps start (created by a roster set at set-up). */
export interface RosterItemSpec {
  owner: string;
  /** An account name of the scenario, or a JID (placeholders allowed). */
  jid: string;
  name?: string;
  groups: string[];
}

/** Two accounts put into a subscription state before the steps start, waiting for every push it causes. */
export interface SubscriptionSpec {
  user: string;
  contact: string;
  state: SubscriptionState;
}

/** An affiliation with a room (XEP-0045 §5.2) its owner grants at set-up. */
export const AFFILIATIONS = ["owner", "admin", "member", "outcast"] as const;
export type Affiliation = (typeof AFFILIATIONS)[number];

/**
 * A multi-user chat room of the case (XEP-0045), fresh as its accounts are: ${NAME} is its JID on the target's
 * MUC service (a name unique to the case), ${NAME/Nick} an occupant's. Unless the case creates it itself, the
 * owner creates it at set-up (persistent, so that it waits empty for the steps), configures it (`config`: the
 * owner's form fields) and grants the affiliations; after the case the owner destroys it either way.
 */
export interface RoomSpec {
  name: string;
  owner: string;
  /** muc#roomconfig fields the owner submits (a reserved room, §10.1.3); none: the default configuration (§10.1.2). */
  config: Record<string, string | string[]>;
  affiliations: Record<string, Affiliation>;
  /** The case creates it in its steps: set-up only reserves the name; it is destroyed after the case if it exists. */
  byCase: boolean;
  /** Set-up reads the configuration form back (the case skips where a field is not shown applied); false: the steps judge the form. */
  readBack: boolean;
  /** The accounts whose grant the case's steps judge on the list they ask for (room-lists.ts): set-up does not read those back. */
  grantsJudged: string[];
}

/** Addressing attributes (RFC 6120 §8.1) a step may say it asserts on purpose. */
export const ADDRESS_ATTRS = ["to", "from", "id"] as const;
export type AddressAttr = (typeof ADDRESS_ATTRS)[number];

interface StepBase {
  pos: SourcePos;
  /** One line for people: "juliet/chamber receives <iq type='set'>…". */
  text: string;
  /** The session label "account/resource". */
  actor: string;
  requirements?: string[];
  level?: Level;
  timeoutMs?: number;
  wait?: Wait;
  /**
   * Addressing attributes the step's patterns assert although RFC 6120 §8.1 does not require them of the
   * server: the rule the step cites, or the case's own precondition, needs them (the description says which).
   */
  asserts?: AddressAttr[];
  /**
   * A set-up step: it checks no requirement, and its failure makes the case an error. (An action step that names
   * no requirements of its own proves nothing either: see checksOf in kinds.ts.)
   */
  setup?: boolean;
  /** Why an error answer to the step's request is a deployment's allowed refusal: the case is skipped then. */
  refused?: string;
  /** 'receives in order': the requirement the order proves, apart from the stanzas' arriving. */
  order?: string;
  /** 'receives in order': each pattern is taken by the first stanza that matches it (an early copy breaks the order). */
  earliest?: true;
  /** 'receives' of an IQ answer: the requirement a request left unanswered breaks, apart from what the answer proves. */
  unanswered?: string;
  /**
   * 'receives': "action", only what arrived after the step's preceding action counts (the answer to it).
   * 'receives nothing': a label, only what arrived after the last stanza the 'receives' step so labelled matched.
   */
  since?: string;
  /** Its name, for a later step's `after`. */
  label?: string;
  /** Judged only when each step so labelled held, or (with alternatives) its 'one of' took one of them. */
  after?: { label: string; alternatives?: string[] }[];
}

export type Step =
  /** `enters`: a presence to `${room/Nick}` ("lobby/Bob"), which binds it to the occupant JID the room gives (run/case/entries.ts). */
  | (StepBase & { kind: "send"; xml: string; enters?: string })
  | (StepBase & { kind: "receive"; mode: "one" | "in-order" | "all-of"; patterns: string[] })
  /**
   * Alternatives credit the step's requirements, unless one names its own (`requirements: []`: an allowed answer
   * that proves none); one of a single pattern may have `also:` checks of the stanza it matched.
   */
  | (StepBase & { kind: "receive-one-of"; alternatives: { name: string; patterns: string[]; requirements?: string[]; also?: Record<string, string> }[] })
  /**
   * A further check of the stanza the 'receives' step before it matched (its `also:`; of one alternative's), for one
   * requirement; after a 'one of', of the stanza its alternative's step number `inner` matched.
   */
  | (StepBase & { kind: "also"; pattern: string; alternative?: string; inner?: number })
  | (StepBase & { kind: "receive-nothing"; pattern?: string })
  /**
   * An IQ get asked again, for a state the server reaches in its own time with no stanza to say so: `until` its
   * answer matches, or the timeout (a room destroyed once its last occupant left); `while` every answer matches,
   * until the timeout (a state it must never reach, even late). A get changes nothing, so asking twice is harmless.
   */
  | (StepBase & { kind: "poll"; ask: string } & ({ until: string; while?: undefined } | { while: string; until?: undefined }))
  | (StepBase & { kind: "connect" | "disconnect" | "drop" })
  /**
   * Outcomes across sessions, judged after one barrier: the first alternative whose expectations all hold. A
   * `receives` of one pattern in an alternative may have `also:` checks of its stanza (`step`: its index there).
   */
  | (StepBase & { kind: "one-of"; alternatives: { name: string; steps: ExpectStep[]; also?: { step: number; requirement: string; pattern: string }[] }[] })
  // Stream-level steps, for raw connections only (docs/stream-steps.md).
  /** `either`: the server may answer with a stream error and no header; the step waits for either and judges neither. */
  | (StepBase & { kind: "open-stream"; header: StreamHeaderSpec; either?: true })
  /** Attribute name (and "prefix") → pattern value, e.g. { id: "{re:.+}", to: "{absent}" }. */
  | (StepBase & { kind: "receive-stream-header"; attrs: Record<string, string> })
  /** A <features> pattern whose children are matched against the features that followed the latest header. */
  | (StepBase & { kind: "receive-features"; pattern: string })
  | (StepBase & { kind: "start-tls" | "abort-sasl" | "close-stream" })
  /** TLS with this offer, by STARTTLS or directly as the endpoint is (RFC 7590, XEP-0368); its outcome is for 'receives tls'. */
  | (StepBase & { kind: "negotiate-tls"; offer: TlsOfferSpec })
  /** The latest negotiated handshake: outcome field (TLS_FIELDS) → pattern value; `refused` present: it must have failed. */
  | (StepBase & { kind: "receive-tls"; attrs: Record<string, string> })
  /** Over WebSocket: every message so far passes these checks (the first four when none are named). */
  | (StepBase & { kind: "receive-frames"; checks: FrameCheck[] })
  | (StepBase & { kind: "receive-stream-close" })
  /** The server ended the connection (TCP or WebSocket closed), whatever came before it: a stream error, a closing tag, or neither. */
  | (StepBase & { kind: "receive-disconnect" })
  | (StepBase & { kind: "authenticate"; sasl: SaslSpec })
  /**
   * XEP-0114 §3, a component connection's handshake: with the target's shared secret it must be accepted (an empty
   * <handshake/>); with another `secret` it is only sent, its outcome left to the next steps.
   */
  | (StepBase & { kind: "handshake"; secret?: string; either?: true })
  /**
   * XEP-0363 §7: an HTTP request of the actor's to a URL (one a slot gave, captured from it: the step then depends
   * on that slot); a PUT carries the header fields of the slot whose put URL it is, a GET no credentials.
   */
  | (StepBase & { kind: "http"; request: HttpRequestSpec })
  /** The actor's latest HTTP response: its status, body and headers against patterns. */
  | (StepBase & { kind: "receive-http"; expect: HttpExpectSpec })
  /** XEP-0124, a BOSH connection's HTTP POST of a `<body/>` the case writes: it goes at once, its answer is awaited by 'receives body'. */
  | (StepBase & { kind: "bosh-post"; post: BoshPostSpec })
  /** The answer to one request of a BOSH connection, waited for up to the timeout. */
  | (StepBase & { kind: "bosh-receive"; expect: BoshExpectSpec })
  /** The answer to one request (or to one of several) matching one of named expectations: each credits its own requirements, else the step's. */
  | (StepBase & { kind: "bosh-receive-one-of"; alternatives: { name: string; expect: BoshExpectSpec; requirements?: string[] }[] })
  /** Every answer a BOSH connection got so far passes these checks. */
  | (StepBase & { kind: "bosh-answers"; checks: AnswerCheck[] })
  | (StepBase & { kind: "bind"; resource?: string })
  | (StepBase & { kind: "send-raw"; bytes: RawBytes })
  /**
   * One of the conditions (qualified by urn:ietf:params:xml:ns:xmpp-streams; errorText: a pattern for its <text/>;
   * errorElement: one for an application-specific condition beside it), then the closing tag and the TCP close.
   * anyCondition: the scenario said `any` (conditions then lists every condition of RFC 6120 §4.9.3).
   */
  /** `framing`: none, the error alone; header, the server's opening tag before it and closing tag after it; absent, the closing tag and the TCP close after it. */
  | (StepBase & { kind: "receive-stream-error"; conditions: string[]; anyCondition?: true; errorText?: string; errorElement?: string; framing?: "none" | "header" });

/** A requirement a step proves, and what a failure of it is worth there (see compile.ts). */
export interface Proof {
  id: string;
  level: Level;
}

/**
 * What a step is for and what it depends on, decided once by the loader (compile.ts) from the scenario: the
 * run executes it and never works it out again.
 */
export interface StepPlan {
  /**
   * proof: it proves `proves` (a check, or an action that names requirements); set-up: it only brings the case
   * to its rule (a failure that repeats is the server refusing the case's precondition); act: an action that
   * proves nothing (its failure is the harness's or the network's).
   */
  role: "proof" | "setup" | "act";
  /** Before the first proof: retried with the case's set-up, on fresh accounts, when it fails. */
  prelude: boolean;
  /** Checks only look at what arrived; an action moves the point after which arrivals count as its answer. */
  checks: boolean;
  /** What it proves: credited when it holds, failed (each at its level) when it does not. */
  proves: Proof[];
  /** 'receives in order' with `order`: what the order proves, failed alone when every stanza came in another order. */
  order?: Proof;
  /**
   * 'receives' of an IQ answer (with `unanswered`, or the answer to the session's own request): what no answer at all
   * fails alone (the step's own proofs then not reached); any answer passes it. `implied`: the loader's attribution
   * of a silence, for a rule the case does not cite, recorded only when it fails. A 'one of' fails it when none of
   * its outcomes happened and a session it awaits answers on (`awaits`) received none of them: an element of that
   * name (and namespace), an IQ answer (a result or an error) of that id.
   */
  unanswered?: Proof & { implied?: true; awaits?: { actor: string; answers: Answer[] }[] };
  /** 'one of', 'receives one of': what each alternative credits when it is the one that happened, and the raw connections it expects the server to end. */
  alternatives?: { name: string; proves: Proof[]; ends?: string[] }[];
  /** Names it captures, and names earlier steps capture that it uses (not reached when one was not captured). */
  captures: string[];
  uses: string[];
  /**
   * A check: the index of the action it answers (not reached when that action was not): the action before it, or,
   * where that one has an `after:`, the one that sent the request whose answer it awaits.
   */
  answers?: number;
  /** An `also`: the 'receives' whose stanza it checks, by index, and for an alternative's, which (not reached unless that matched). */
  of?: { step: number; alternative?: string };
  /** Its `after`: the steps (by index) that must have held, each or with one of the alternatives its 'one of' must have taken (not reached otherwise). */
  after?: { step: number; alternatives?: string[] }[];
  /** Sessions whose expectations must all have been met for it to be judged ('receives nothing', 'one of'). */
  settledOn: string[];
  /** Sessions a miss of it leaves with an expectation unmet. */
  unsettles: string[];
}

/** A step as the run takes it: as written, with its plan. */
export type PlannedStep = Step & { plan: StepPlan };

/** The kinds that only look at what arrived, allowed inside "one of" (the step kinds' table, kinds.ts, agrees). */
export type ExpectKind =
  "receive" | "receive-nothing" | "receive-stream-header" | "receive-features" | "receive-stream-error" | "receive-stream-close" | "receive-disconnect" | "receive-tls" | "receive-http";
/** What a session awaits as an answer: an element of that name (and namespace, where the pattern names one); with `id`, an IQ answer (a result or an error) of that id. */
export interface Answer {
  name: string;
  xmlns?: string;
  id?: string;
}

export type ExpectStep = Extract<Step, { kind: ExpectKind }>;

export interface Scenario {
  id: string;
  title: string;
  description?: string;
  /** The specification it checks: one of the registry's with a catalog (src/specification/registry.ts), e.g. rfc6121. */
  spec: string;
  /** Section of that specification, e.g. "2.3.2" (RFC 6121) or "4.7.3" (RFC 6120). */
  rfc: string;
  level: Level;
  requirements: string[];
  tags: string[];
  needs: NeededFeature[];
  /** For every step that does not say: what decides that an expected stanza is not coming. */
  wait?: Wait;
  accounts: AccountSpec[];
  /** Raw connections, under accounts and at the top level. */
  connections: RawConnectionSpec[];
  roster: RosterItemSpec[];
  subscriptions: SubscriptionSpec[];
  rooms: RoomSpec[];
  steps: PlannedStep[];
  /** For a case expanded from a matrix: its cell's values. */
  cell?: Record<string, string>;
  /** A variant the plan made of a case (src/plan/cross-domain.ts), not a case of the files. */
  variant?: Variant;
  pos: SourcePos;
}

/** A cross-domain variant: the case `of`, with the accounts `moved` to domain b (the first account, the user, stays on a). */
export interface Variant {
  name: "cross";
  of: string;
  moved: string[];
}
