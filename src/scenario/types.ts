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

/**
 * How a feature is known to be offered: a stream feature (`afterAuth`: offered only to a logged-in session), a
 * XEP-0030 feature of the server or of the user's bare JID, or a probe IQ get answered with a result (sent to the
 * user's own account, or `at` the server; `holds`: a pattern the result must match).
 */
export type StreamFeatureShape = { ns: string; name: string; mechanism?: string; afterAuth?: true };
export type ProbeShape = { probe: string; at?: "server"; holds?: string };
export type FeatureShape = StreamFeatureShape | { disco: string; at: "server" | "account" } | ProbeShape;

/** Optional server features a case can need; a target that does not advertise one skips the case. */
export const FEATURES = {
  rosterver: { ns: "urn:xmpp:features:rosterver", name: "ver" },
  "pre-approval": { ns: "urn:xmpp:features:pre-approval", name: "sub" },
  /** Offered before TLS (RFC 6120 §5): STARTTLS cases run only where it is, so on plaintext and direct-TLS targets they skip. */
  starttls: { ns: "urn:ietf:params:xml:ns:xmpp-tls", name: "starttls" },
  /** XEP-0478 stream limits: the stanza size a server accepts, advertised. */
  "stream-limits": { ns: "urn:xmpp:stream-limits:0", name: "limits" },
  /** A SASL mechanism offered (RFC 6120 §6.4.1): a case that must use that one skips where it is not. */
  "sasl-plain": { ns: "urn:ietf:params:xml:ns:xmpp-sasl", name: "mechanisms", mechanism: "PLAIN" },
  "sasl-scram-sha-1": { ns: "urn:ietf:params:xml:ns:xmpp-sasl", name: "mechanisms", mechanism: "SCRAM-SHA-1" },
  "sasl-scram-sha-256": { ns: "urn:ietf:params:xml:ns:xmpp-sasl", name: "mechanisms", mechanism: "SCRAM-SHA-256" },
  /** Any SCRAM mechanism the harness speaks: a case that needs a challenge (RFC 6120 §6.4.3) whatever the hash. */
  "sasl-scram": { ns: "urn:ietf:params:xml:ns:xmpp-sasl", name: "mechanisms", mechanism: "SCRAM-SHA-1|SCRAM-SHA-256" },
  /** XEP-0077 §3: in-band registration offered as a stream feature (before authentication). */
  register: { ns: "http://jabber.org/features/iq-register", name: "register" },
  /** XEP-0115 §6.3: the server's own capabilities, a `<c/>` among the stream features (after authentication). */
  "server-caps": { ns: "http://jabber.org/protocol/caps", name: "c", afterAuth: true },
  // XEP-0030 features: asked of the server's domain ("server") or of the user's own bare JID ("account"), where
  // the XEP says the feature is advertised, from the case's first session before its steps start.
  /** XEP-0280 §3. */
  carbons: { disco: "urn:xmpp:carbons:2", at: "server" },
  /** XEP-0280 §6.2: the eligibility rules of §6.1 are then REQUIRED. */
  "carbons-rules": { disco: "urn:xmpp:carbons:rules:0", at: "server" },
  /** XEP-0313 §6.1: a user's archive is discovered on the user's bare JID. */
  mam: { disco: "urn:xmpp:mam:2", at: "account" },
  /** XEP-0313 §6.1.1: before-id, after-id and ids in queries. */
  "mam-extended": { disco: "urn:xmpp:mam:2#extended", at: "account" },
  /** XEP-0191 §4. */
  blocking: { disco: "urn:xmpp:blocking", at: "server" },
  /** XEP-0054 §4 (vcard-temp as a feature of the server). */
  "vcard-temp": { disco: "vcard-temp", at: "server" },
  /** XEP-0077 §3 (registration also offered to a logged-in user: password change and cancel). */
  "iq-register": { disco: "jabber:iq:register", at: "server" },
  /** XEP-0199 §5, XEP-0092 §2, XEP-0012 §6, XEP-0202 §3: the small entity queries, as features of the server. */
  ping: { disco: "urn:xmpp:ping", at: "server" },
  version: { disco: "jabber:iq:version", at: "server" },
  last: { disco: "jabber:iq:last", at: "server" },
  time: { disco: "urn:xmpp:time", at: "server" },
  /** XEP-0163 §1 (PEP: the account is a pubsub service; its publish feature). */
  pep: { disco: "http://jabber.org/protocol/pubsub#publish", at: "account" },
  /** XEP-0060 §7.1.5 publish options (XEP-0223, XEP-0402 rely on them). */
  "pep-publish-options": { disco: "http://jabber.org/protocol/pubsub#publish-options", at: "account" },
  /** XEP-0402 §5.3, §6: the server keeps XEP-0048 private-storage bookmarks and PEP bookmarks in step. */
  "bookmarks-compat": { disco: "urn:xmpp:bookmarks:1#compat", at: "account" },
  /** XEP-0402 §5.3: the server keeps the XEP-0048 'storage:bookmarks' PEP node and PEP bookmarks in step. */
  "bookmarks-compat-pep": { disco: "urn:xmpp:bookmarks:1#compat-pep", at: "account" },
  /** XEP-0398 §4: the server converts between XEP-0084 and XEP-0153 avatars. */
  "avatar-conversion": { disco: "urn:xmpp:pep-vcard-conversion:0", at: "account" },
  /** XEP-0215 §5. */
  extdisco: { disco: "urn:xmpp:extdisco:2", at: "server" },
  // XEP-0215: what the server's list holds (a deployment may list no service, or none restricted): a case whose
  // precondition is such a service skips without one.
  /** XEP-0215 §2: the server lists at least one external service. */
  "extdisco-services": { probe: "<services xmlns='urn:xmpp:extdisco:2'/>", at: "server", holds: "<iq><services xmlns='urn:xmpp:extdisco:2'><service/></services></iq>" },
  /** XEP-0215 §2, §3.3: the server lists a restricted service (one whose credentials are requested). */
  "extdisco-restricted": { probe: "<services xmlns='urn:xmpp:extdisco:2'/>", at: "server", holds: "<iq><services xmlns='urn:xmpp:extdisco:2'><service restricted='{re:true|1}'/></services></iq>" },
  // A XEP without a discovery feature: offered when the server answers this IQ get (sent to the user's own
  // account) with a result.
  /** XEP-0049: a get of a namespace of the harness's own, which a server with private storage answers. */
  private: { probe: "<query xmlns='jabber:iq:private'><probe xmlns='urn:xmpp-conform:probe'/></query>" },
  /** XEP-0012 §3: last activity answered for accounts, not only the server's uptime (Prosody's mod_uptime lists
   *  jabber:iq:last on the domain without mod_lastactivity): a get of the user's own, online account. */
  "last-user": { probe: "<query xmlns='jabber:iq:last'/>" },
} as const satisfies Record<string, FeatureShape>;
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
}

/** The initial stream header of an "opens stream" step: attributes (null leaves one out) or literal bytes. */
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
  mechanism?: "PLAIN" | "SCRAM-SHA-1" | "SCRAM-SHA-256";
  password?: string;
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
export const SUBSCRIPTION_STATES = [
  "none", "none+pending-out", "none+pending-in", "none+pending-out+in", "to", "to+pending-in", "from", "from+pending-out", "both", "pre-approved",
] as const;
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
}

export type Step =
  | (StepBase & { kind: "send"; xml: string })
  | (StepBase & { kind: "receive"; mode: "one" | "in-order" | "all-of"; patterns: string[] })
  /**
   * Alternatives credit the step's requirements, unless one names its own (`requirements: []`: an allowed answer
   * that proves none); one of a single pattern may have `also:` checks of the stanza it matched.
   */
  | (StepBase & { kind: "receive-one-of"; alternatives: { name: string; patterns: string[]; requirements?: string[]; also?: Record<string, string> }[] })
  /** A further check of the stanza the 'receives' step before it matched (its `also:`; of one alternative's), for one requirement. */
  | (StepBase & { kind: "also"; pattern: string; alternative?: string })
  | (StepBase & { kind: "receive-nothing"; pattern?: string })
  | (StepBase & { kind: "connect" | "disconnect" | "drop" })
  /** Outcomes across sessions, judged after one barrier: the first alternative whose expectations all hold. */
  | (StepBase & { kind: "one-of"; alternatives: { name: string; steps: ExpectStep[] }[] })
  // Stream-level steps, for raw connections only (docs/stream-steps.md).
  | (StepBase & { kind: "open-stream"; header: StreamHeaderSpec })
  /** Attribute name (and "prefix") → pattern value, e.g. { id: "{re:.+}", to: "{absent}" }. */
  | (StepBase & { kind: "receive-stream-header"; attrs: Record<string, string> })
  /** A <features> pattern whose children are matched against the features that followed the latest header. */
  | (StepBase & { kind: "receive-features"; pattern: string })
  | (StepBase & { kind: "start-tls" | "abort-sasl" | "close-stream" })
  | (StepBase & { kind: "receive-stream-close" })
  | (StepBase & { kind: "authenticate"; sasl: SaslSpec })
  | (StepBase & { kind: "bind"; resource?: string })
  | (StepBase & { kind: "send-raw"; bytes: RawBytes })
  /** One of the conditions (qualified by urn:ietf:params:xml:ns:xmpp-streams; errorText: a pattern for its <text/>), then the closing tag and the TCP close. */
  | (StepBase & { kind: "receive-stream-error"; conditions: string[]; errorText?: string });

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
  /** 'one of', 'receives one of': what each alternative credits when it is the one that happened. */
  alternatives?: { name: string; proves: Proof[] }[];
  /** Names it captures, and names earlier steps capture that it uses (not reached when one was not captured). */
  captures: string[];
  uses: string[];
  /** A check: the index of the action it answers (not reached when that action was not). */
  answers?: number;
  /** An `also`: the 'receives' whose stanza it checks, by index, and for an alternative's, which (not reached unless that matched). */
  of?: { step: number; alternative?: string };
  /** Sessions whose expectations must all have been met for it to be judged ('receives nothing', 'one of'). */
  settledOn: string[];
  /** Sessions a miss of it leaves with an expectation unmet. */
  unsettles: string[];
}

/** A step as the run takes it: as written, with its plan. */
export type PlannedStep = Step & { plan: StepPlan };

/** The kinds that only look at what arrived, allowed inside "one of" (the step kinds' table, kinds.ts, agrees). */
export type ExpectKind = "receive" | "receive-nothing" | "receive-stream-header" | "receive-features" | "receive-stream-error" | "receive-stream-close";
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
