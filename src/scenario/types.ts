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
}

export interface AccountSpec {
  name: string;
  resources: ResourceSpec[];
}

interface StepBase {
  pos: SourcePos;
  /** One line for people: "juliet/chamber receives <iq type='set'>…". */
  text: string;
  /** The session label "account/resource". */
  actor: string;
  requirements?: string[];
  level?: Level;
  timeoutMs?: number;
}

export type Step =
  | (StepBase & { kind: "send"; xml: string })
  | (StepBase & { kind: "receive"; mode: "one" | "in-order" | "all-of"; patterns: string[] })
  | (StepBase & { kind: "receive-one-of"; alternatives: { name: string; patterns: string[] }[] })
  | (StepBase & { kind: "receive-nothing"; pattern?: string })
  | (StepBase & { kind: "connect" | "disconnect" });

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
  steps: Step[];
  pos: SourcePos;
}
