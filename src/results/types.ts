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
}

export interface RunInfo {
  target: { name: string; host: string; port: number; domain: string; software?: { name: string; version: string } };
  startedAt: string;
  options: Record<string, unknown>;
}

export interface RunResult extends RunInfo {
  schemaVersion: 1;
  tool: { name: string; version: string };
  durationMs: number;
  cases: CaseResult[];
  accounts: { created: number; notRemoved: number };
  /** Set when the run could not reach the target at all. */
  targetError?: string;
  interrupted: boolean;
}
