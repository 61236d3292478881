import { z } from "zod";
import { LEVELS } from "../scenario/types.ts";
import type { RunResult } from "./types.ts";

/**
 * The results record (types.ts) as a zod schema: it checks results files that tools hand back to the
 * harness (matrix, merge) and is the source of docs/results.schema.json. The type check at the bottom
 * keeps it identical to the TypeScript types: a field added there and not here fails `tsc`.
 */
const Level = z.enum(LEVELS);

const SourcePos = z.object({
  file: z.string().describe("the scenario file"),
  line: z.number().int(),
  col: z.number().int(),
});

const TranscriptEntry = z.object({
  at: z.number().describe("milliseconds since the case started"),
  session: z.string().describe("the session label, account/resource"),
  dir: z.enum(["in", "out", "note"]),
  xml: z.string().describe("the stanza as sent or received (SASL payloads and passwords redacted), or a note"),
  harness: z.boolean().optional().describe("harness traffic (set-up, barriers), not part of the scenario's steps"),
});

const StepFailure = z.object({
  step: z.string().describe("the step as written, in one line"),
  pos: SourcePos,
  level: Level,
  requirements: z.array(z.string()),
  message: z.string().describe("what was expected and did not happen, in one line"),
  expected: z.array(z.string()).describe("the patterns, with placeholders filled in"),
  closest: z
    .array(z.object({ xml: z.string(), problems: z.array(z.string()) }))
    .describe("stanzas that did arrive on that session, closest to the pattern first"),
});

const Verdict = z
  .enum(["pass", "fail", "warn", "skip", "error", "xfail", "xpass"])
  .describe("pass; fail: a MUST broken; warn: a SHOULD broken; skip: cannot run here; error: the harness or network failed; xfail/xpass: as the server's profile expected / not");

const CaseResult = z.object({
  id: z.string(),
  title: z.string(),
  pos: SourcePos,
  rfc: z.string().describe("RFC 6121 section, e.g. 2.3.2"),
  level: Level,
  requirements: z.array(z.string()).describe("requirement catalog IDs"),
  tags: z.array(z.string()),
  verdict: Verdict,
  reason: z.string().optional().describe("why, in one line, for every verdict but pass"),
  failures: z.array(StepFailure).describe("unmet expectations: the failure, and SHOULD/MAY ones recorded along the way"),
  choices: z.array(z.object({ step: z.string(), alternative: z.string() })).describe("which alternative matched, for each 'receives one of'"),
  durationMs: z.number(),
  transcript: z.array(TranscriptEntry),
  deviation: z
    .object({
      source: z.string().describe("the profile entry, file:line"),
      reason: z.string(),
      link: z.string().optional(),
      verdict: Verdict.describe("the verdict without the profile"),
    })
    .optional()
    .describe("for xfail and xpass: the known deviation the server's profile documents"),
  flaky: z.array(Verdict).optional().describe("with --repeat: every verdict the case had, when they were not all the same"),
});

const ServerInfo = z.object({
  identity: z.object({ category: z.string(), type: z.string(), name: z.string().optional() }).optional().describe("disco#info identity of the domain"),
  version: z.object({ name: z.string(), version: z.string(), os: z.string().optional() }).optional().describe("XEP-0092 software version, when offered"),
  discoFeatures: z.array(z.string()).describe("disco#info features of the domain"),
  streamFeatures: z
    .object({ beforeTls: z.array(z.string()).optional(), beforeAuth: z.array(z.string()), afterAuth: z.array(z.string()) })
    .describe("each stream feature as the server wrote it"),
});

const Transport = z.object({
  tls: z.enum(["none", "starttls", "direct"]),
  certificateVerified: z.boolean().optional().describe("with TLS: false only with --insecure"),
  ca: z.string().optional().describe("the CA file trusted for the server's certificate"),
  sasl: z.string().optional().describe("the SASL mechanism the harness logged in with"),
});

export const RunResultSchema = z
  .object({
    schemaVersion: z.literal(1),
    tool: z.object({ name: z.string(), version: z.string() }).describe("the harness that wrote the file"),
    target: z.object({
      name: z.string().describe("local:prosody, or the --server given"),
      host: z.string(),
      port: z.number().int(),
      domain: z.string(),
      software: z.object({ name: z.string(), version: z.string() }).optional().describe("the server software, when known"),
      server: ServerInfo.optional().describe("what the server said it is"),
      transport: Transport.optional().describe("how the harness reached the server"),
      peer: z
        .object({
          name: z.string(),
          host: z.string(),
          port: z.number().int(),
          domain: z.string(),
          software: z.object({ name: z.string(), version: z.string() }).optional(),
        })
        .optional()
        .describe("a pair target's second server (domain b of the scenarios, reached over s2s)"),
    }),
    startedAt: z.string().describe("ISO 8601"),
    options: z.record(z.string(), z.unknown()).describe("the options that can change verdicts: accounts, concurrency, timeoutMs, quietWindowMs, strict"),
    profile: z.object({ file: z.string(), server: z.string(), version: z.string() }).optional().describe("the server profile applied; absent: raw verdicts"),
    notes: z.array(z.string()).optional().describe("what a reader must know: an unchecked certificate, a fallback profile, an unidentified server"),
    durationMs: z.number(),
    cases: z.array(CaseResult),
    accounts: z.object({
      created: z.number().int(),
      notRemoved: z.number().int(),
      left: z.array(z.object({ jid: z.string(), reason: z.string() })).optional().describe("the accounts that could not be removed (or cleaned), by JID"),
      refused: z.string().optional().describe("set when the server stopped giving accounts mid-run: why, and what to use instead"),
    }),
    targetError: z.string().optional().describe("set when the run could not reach the target at all"),
    interrupted: z.boolean(),
  })
  .meta({ title: "xmpp-conform results", description: "The results record of one run (reports/results.json); see docs/results.md." });

// Identical, not just mutually assignable: an optional field on one side only must fail too.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same: Equal<z.infer<typeof RunResultSchema>, RunResult> = true;
void same;

/** docs/results.schema.json (JSON Schema 2020-12), written by write-schema.ts and compared with this in the tests. */
export const resultsJsonSchema = () => z.toJSONSchema(RunResultSchema);
