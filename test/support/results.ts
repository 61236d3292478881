import { SCHEMA_VERSION, type CaseResult, type RunResult } from "../../src/results/schema.ts";

/** A results record built in memory: what the reporters read, without running anything. */
export function makeCase(over: Partial<CaseResult> & Pick<CaseResult, "id">): CaseResult {
  return {
    title: `the ${over.id} case`,
    pos: { file: `scenarios/${over.id}.yaml`, line: 1, col: 1 },
    spec: "rfc6121",
    rfc: "2.3.2",
    level: "MUST",
    requirements: ["ROSTER-ADD-01"],
    tags: ["roster"],
    verdict: "pass",
    failures: [],
    choices: [],
    durationMs: 12,
    transcript: [],
    ...over,
  };
}

export function makeRun(cases: CaseResult[], over: Partial<RunResult> = {}): RunResult {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: "xmpp-conform", version: "0.0.0" },
    target: { name: "local:prosody", host: "127.0.0.1", port: 5222, domain: "localhost", software: { name: "Prosody", version: "0.12.3" } },
    startedAt: "2026-01-01T10:00:00.000Z",
    options: { timeoutMs: 3000 },
    durationMs: 1000,
    cases,
    accounts: { created: 4, notRemoved: 0 },
    interrupted: false,
    ...over,
  };
}

/**
 * A case's verdict for comparing servers that differ in ways the text allows: a skip because the case judged
 * nothing (every outcome it took credits none of its rules) breaks no rule, as a pass does not.
 */
export const brokeNothing = (c: { verdict: string; reason?: string }) => (c.verdict === "skip" && /^judged nothing/.test(c.reason ?? "") ? "pass" : c.verdict);
