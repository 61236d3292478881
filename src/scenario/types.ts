/** The scenario model every later stage works on: plain data, produced by load.ts. */
export const LEVELS = ["MUST", "SHOULD", "MAY"] as const;
export type Level = (typeof LEVELS)[number];

/** Optional server features a case can need; a target that does not advertise one skips the case. */
export const FEATURES = {
  rosterver: { ns: "urn:xmpp:features:rosterver", name: "ver" },
  "pre-approval": { ns: "urn:xmpp:features:pre-approval", name: "sub" },
} as const;
export type Feature = keyof typeof FEATURES;

export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

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
}

export interface AccountSpec {
  name: string;
  /** a: the target's domain; b: the second domain of a pair target (the case is skipped without one). */
  domain: "a" | "b";
  resources: ResourceSpec[];
}

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
  /**
   * Addressing attributes the step's patterns assert although RFC 6120 §8.1 does not require them of the
   * server: the rule the step cites, or the case's own precondition, needs them (the description says which).
   */
  asserts?: AddressAttr[];
}

export type Step =
  | (StepBase & { kind: "send"; xml: string })
  | (StepBase & { kind: "receive"; mode: "one" | "in-order" | "all-of"; patterns: string[] })
  | (StepBase & { kind: "receive-one-of"; alternatives: { name: string; patterns: string[] }[] })
  | (StepBase & { kind: "receive-nothing"; pattern?: string })
  | (StepBase & { kind: "connect" | "disconnect" | "drop" })
  /** Outcomes across sessions, judged after one barrier: the first alternative whose expectations all hold. */
  | (StepBase & { kind: "one-of"; alternatives: { name: string; steps: ExpectStep[] }[] });

/** The steps that only look at what arrived (allowed inside "one of"). */
export type ExpectStep = Extract<Step, { kind: "receive" | "receive-nothing" }>;

export interface Scenario {
  id: string;
  title: string;
  description?: string;
  /** RFC 6121 section, e.g. "2.3.2". */
  rfc: string;
  level: Level;
  requirements: string[];
  tags: string[];
  needs: Feature[];
  accounts: AccountSpec[];
  roster: RosterItemSpec[];
  subscriptions: SubscriptionSpec[];
  steps: Step[];
  /** For a case expanded from a matrix: its cell's values. */
  cell?: Record<string, string>;
  pos: SourcePos;
}
