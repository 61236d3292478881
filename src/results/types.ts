import type { Level, SourcePos } from "../scenario/types.ts";
import type { TranscriptEntry } from "../xmpp/transcript.ts";

/**
 * The results record: what every reporter reads. Plain data, JSON-serialisable.
 * pass; fail (a MUST broken); warn (a SHOULD broken); skip (the case cannot run here, with the reason);
 * error (the harness or the network failed, not the server); xfail / xpass (as the server's profile expected / not).
 */
export type Verdict = "pass" | "fail" | "warn" | "skip" | "error" | "xfail" | "xpass";

export interface StepFailure {
  step: string;
  pos: SourcePos;
  level: Level;
  requirements: string[];
  /** One line: what was expected and did not happen. */
  message: string;
  /** The patterns as filled in for this run. */
  expected: string[];
  /** Stanzas that did arrive on that session, closest to the pattern first. */
  closest: { xml: string; problems: string[] }[];
}

export interface CaseResult {
  id: string;
  title: string;
  pos: SourcePos;
  rfc: string;
  level: Level;
  requirements: string[];
  tags: string[];
  verdict: Verdict;
  /** Why, in one line, for every verdict but pass. */
  reason?: string;
  /** Unmet expectations: the failure, and SHOULD/MAY ones recorded along the way. */
  failures: StepFailure[];
  /** Which alternative matched, for each "receives one of". */
  choices: { step: string; alternative: string }[];
  durationMs: number;
  transcript: TranscriptEntry[];
  /** For xfail and xpass: the profile entry that expected the case to fail, and the verdict it would have had. */
  deviation?: Deviation;
  /** With --repeat: every verdict the case had, when they were not all the same. */
  flaky?: Verdict[];
}

/** A known deviation of the server from the RFC, as its profile (profiles/*.yaml) documents it. */
export interface Deviation {
  /** The profile entry, file:line. */
  source: string;
  reason: string;
  link?: string;
  /** The verdict without the profile. */
  verdict: Verdict;
}

/** What the server said it is: disco#info on the domain, XEP-0092 when offered, and the stream features it advertised. */
export interface ServerInfo {
  identity?: { category: string; type: string; name?: string };
  version?: { name: string; version: string; os?: string };
  discoFeatures: string[];
  /** Each feature as the server wrote it; beforeTls only with STARTTLS. */
  streamFeatures: { beforeTls?: string[]; beforeAuth: string[]; afterAuth: string[] };
}

/** How the harness reached the server. */
export interface Transport {
  tls: "none" | "starttls" | "direct";
  /** With TLS: false only with --insecure (the certificate was not checked). */
  certificateVerified?: boolean;
  /** The --ca file (or the local TLS server's own certificate). */
  ca?: string;
  /** The SASL mechanism the harness logged in with. */
  sasl?: string;
}

export interface PeerInfo {
  name: string;
  host: string;
  port: number;
  domain: string;
  software?: { name: string; version: string };
}

export interface RunInfo {
  target: {
    name: string;
    host: string;
    port: number;
    domain: string;
    /** The software a profile is chosen by: XEP-0092, else the disco#info identity, else the local package. */
    software?: { name: string; version: string };
    server?: ServerInfo;
    transport?: Transport;
    /** A pair target's second server: domain b of the scenarios, reached from the first over s2s. */
    peer?: PeerInfo;
  };
  startedAt: string;
  options: Record<string, unknown>;
  /** The profile applied (absent: none, the verdicts are raw). */
  profile?: { file: string; server: string; version: string };
  /** What a reader must know about the run: an unchecked certificate, a fallback profile, an unidentified server. */
  notes?: string[];
}

export interface RunResult extends RunInfo {
  schemaVersion: 1;
  tool: { name: string; version: string };
  durationMs: number;
  cases: CaseResult[];
  accounts: {
    created: number;
    notRemoved: number;
    /** The accounts that could not be removed (or cleaned), by JID: what `xmpp-conform cleanup` is for. */
    left?: { jid: string; reason: string }[];
    /** Set when the server stopped giving accounts mid-run (e.g. registration throttled): why, and what to use instead. */
    refused?: string;
  };
  /** Set when the run could not reach the target at all. */
  targetError?: string;
  interrupted: boolean;
}
