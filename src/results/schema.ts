import { z } from "zod";
import { LEVELS, SourcePos } from "../scenario/types.ts";

/**
 * The results record: what every reporter reads, what results.json holds, and what tools hand back to the
 * harness (diff, matrix, merge). This zod schema is its one source: the TypeScript types below are inferred
 * from it, and docs/results.schema.json is generated from it. It imports nothing of the run, the targets,
 * the transports or the remote server: what they produce is checked against these types where the run puts
 * it into the record, so reading a results file loads none of them.
 */
const Level = z.enum(LEVELS);

/** The version of the record this release writes; read.ts upgrades older ones. */
export const SCHEMA_VERSION = 3;

export const TranscriptEntry = z.object({
  at: z.number().describe("milliseconds since the case started"),
  session: z.string().describe("the session label, account/resource"),
  dir: z.enum(["in", "out", "note"]),
  xml: z.string().describe("the stanza as sent or received (SASL payloads and passwords redacted), or a note"),
  harness: z.boolean().optional().describe("harness traffic (set-up, barriers), not part of the scenario's steps"),
  teardown: z
    .boolean()
    .optional()
    .describe("after the case's steps: the harness removing its accounts and closing its sessions (harness traffic; what the server says then answers the harness, not the case)"),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;

export const S2sLink = z.object({
  from: z.string().describe("the originating server's domain"),
  to: z.string().describe("the receiving server's domain (whose log this is)"),
  encrypted: z.boolean(),
  auth: z.enum(["certificate", "dialback"]).describe("certificate: SASL EXTERNAL with a certificate the receiver checked; dialback: XEP-0220 (over TLS when encrypted)"),
});
export type S2sLink = z.infer<typeof S2sLink>;

export const RemoteLink = z.object({
  direction: z.enum(["in", "out"]).describe("in: the target's stream to the remote server; out: the remote server's to the target"),
  domain: z.string().describe("the target's domain"),
  encrypted: z.boolean(),
  auth: z.enum(["certificate", "dialback"]),
});
export type RemoteLink = z.infer<typeof RemoteLink>;

export const Verdict = z
  .enum(["pass", "fail", "warn", "skip", "error", "xfail", "xpass", "not-run"])
  .describe(
    "pass; fail: a MUST broken; warn: a SHOULD broken; skip: cannot run here, or judged none of its requirements (the server's outcomes credit nothing); error: the harness or network failed; xfail/xpass: as the server's profile expected / not; not-run: the run stopped (an interrupt, a closed output, the server gone) before the case ran or while it ran, so it says nothing of the server",
  );
export type Verdict = z.infer<typeof Verdict>;

const Arrival = z.object({
  xml: z.string(),
  problems: z.array(z.string()).describe("what differs from the expected pattern"),
  at: z.number().optional().describe("when it arrived, ms since the case started"),
  early: z.boolean().optional().describe("it arrived before the step's action, so it cannot be the server's answer to it"),
});

/** A request the server answered with an error where the step expected it to succeed: an IQ error carrying the request's id. */
export const Refusal = z.object({
  condition: z.string().describe("the error's defined condition (RFC 6120 §8.3.3), or '' when it has none"),
  stanza: z.string().describe("the error as it arrived"),
});
export type Refusal = z.infer<typeof Refusal>;

/** What the server would not give a case: the set-up it refused (a skip, or the reason for the verdict it has). */
export const Precondition = z.object({
  step: z.string().describe("the set-up step or fixture, in one line"),
  answer: z.string().describe("the server's answer (the error as it arrived), or what did not come"),
  allowed: z.string().optional().describe("a request the text lets a deployment refuse (the step's `refused`): why it may"),
});
export type Precondition = z.infer<typeof Precondition>;

export const StepFailure = z.object({
  step: z.string().describe("the step as written, in one line"),
  pos: SourcePos,
  level: Level.describe("what the failure is worth: the step's level, at most SHOULD when all its requirements are derived"),
  requirements: z.array(z.string()),
  message: z.string().describe("what was expected and did not happen, in one line"),
  expected: z.array(z.string()).describe("the patterns, with placeholders filled in"),
  closest: z.array(Arrival).describe("stanzas on that session: those that arrived after the step's action first, closest to the pattern first"),
  decidedBy: z.enum(["barrier", "timeout"]).optional().describe("what proved the stanza was not coming: a completed barrier, or the timeout"),
  at: z.number().optional().describe("when the step was decided, ms since the case started"),
  refusal: Refusal.optional().describe("the step expected its request to succeed, and the server answered it with an error"),
  unanswered: z.boolean().optional().describe("the step expected an answer to its request, and no IQ answer with the request's id came at all: what fails is the requirement the step names for that"),
  outOfOrder: z.boolean().optional().describe("every stanza the step expected came, in another order than it asserts: what fails is the requirement the order proves"),
  unwanted: z.boolean().optional().describe("the step expected nothing (matching its pattern), and what `closest` shows came"),
});
export type StepFailure = z.infer<typeof StepFailure>;

export const RequirementResult = z.object({
  id: z.string(),
  verdict: z.enum(["pass", "fail", "warn", "xfail", "xpass", "not-reached"]).describe("what the steps citing it showed; not-reached: every step checking it came after a failure it depends on"),
  derived: z.boolean().optional().describe("the catalog marks it as implied by the RFC, not stated in one sentence"),
});
export type RequirementResult = z.infer<typeof RequirementResult>;

/** How a case moved since the baseline the run was compared with (see diff.ts). */
export const Change = z.enum(["worse", "lost", "better", "changed", "same", "new"]);
export type Change = z.infer<typeof Change>;

export const Deviation = z.object({
  source: z.string().describe("the profile entry, file:line"),
  reason: z.string(),
  link: z.string().optional(),
  verdict: Verdict.describe("the verdict without the profile"),
});
export type Deviation = z.infer<typeof Deviation>;

export const CaseResult = z.object({
  id: z.string(),
  title: z.string(),
  pos: SourcePos,
  spec: z.string().describe("the specification the case checks, e.g. rfc6121"),
  rfc: z.string().describe("section of that specification, e.g. 2.3.2"),
  level: Level,
  requirements: z.array(z.string()).describe("requirement catalog IDs"),
  tags: z.array(z.string()),
  verdict: Verdict,
  reason: z.string().optional().describe("why, in one line, for every verdict but pass"),
  failures: z.array(StepFailure).describe("unmet expectations, in step order"),
  requirementResults: z.array(RequirementResult).optional().describe("a verdict per requirement the case checks, from the steps that check it"),
  choices: z.array(z.object({ step: z.string(), alternative: z.string() })).describe("which alternative matched, for each 'receives one of' / 'one of'"),
  unmet: z.array(z.string()).optional().describe("for a skip: the features (needs:) the server did not offer, or the run's way of reaching it did not (tls, direct-tls, websocket)"),
  precondition: Precondition.optional().describe(
    "the server refused what the case needs, the same way on two attempts (or as its text allows, once): a skip that names it, or, after a failure, why the later steps were not reached",
  ),
  setupRetries: z
    .array(z.string())
    .optional()
    .describe("why each earlier attempt at the case's set-up failed (the server dropped a connection, refused a login...): a set-up failure is retried, not a verdict"),
  durationMs: z.number(),
  transcript: z.array(TranscriptEntry).optional().describe("absent when transcripts were kept for failures only and the case passed"),
  deviation: Deviation.optional().describe("for xfail and xpass: the known deviation the server's profile documents"),
  baseline: z
    .object({ verdict: Verdict.optional().describe("the case's verdict in the baseline, without a profile (absent: a new case)"), change: Change })
    .optional()
    .describe("with --baseline: how the case moved since (worse, lost: observed then and skipped now, better, changed, same, new)"),
  flaky: z.array(Verdict).optional().describe("with --repeat: every verdict the case had, when they were not all the same"),
  besideOthers: z
    .object({ verdict: Verdict, reason: z.string().optional() })
    .optional()
    .describe(
      "the case had a request refused, waited past the timeout, or received what it says must no longer come, while other cases ran, and gave another verdict when it ran again alone: what it gave beside the others (the verdict is the lone run's)",
    ),
  variant: z
    .object({ name: z.literal("cross"), of: z.string().describe("the single-server case"), moved: z.array(z.string()).describe("the accounts on domain b") })
    .optional()
    .describe("a cross-domain variant (--cross-domain): the case 'of' with every account but the first on the pair's second server"),
});
export type CaseResult = z.infer<typeof CaseResult>;

const Software = z.object({ name: z.string(), version: z.string() });

export const ServerInfo = z.object({
  identity: z.object({ category: z.string(), type: z.string(), name: z.string().optional() }).optional().describe("disco#info identity of the domain"),
  version: z.object({ name: z.string(), version: z.string(), os: z.string().optional() }).optional().describe("XEP-0092 software version, when offered"),
  discoFeatures: z.array(z.string()).describe("disco#info features of the domain"),
  accountDiscoFeatures: z.array(z.string()).optional().describe("disco#info features of a user's bare JID, answered by the server for the account (XEP-0313 and PEP are advertised there)"),
  streamFeatures: z.object({ beforeTls: z.array(z.string()).optional(), beforeAuth: z.array(z.string()), afterAuth: z.array(z.string()) }).describe("each stream feature as the server wrote it"),
  caps: z
    .object({
      node: z.string(),
      hash: z.string(),
      ver: z.string(),
      verified: z.boolean().describe("the disco#info answered for node#ver hashes to ver (XEP-0115 §5.1)"),
      computed: z.string().optional().describe("what that disco#info hashes to, when it could be asked and hashed"),
      reason: z.string().optional().describe("why it is not verified"),
    })
    .optional()
    .describe("XEP-0115 §6.3: the server's own capabilities in its stream features, checked against its disco#info"),
  muc: z
    .object({ jid: z.string(), features: z.array(z.string()) })
    .optional()
    .describe("XEP-0045 §6.1: the multi-user chat service among the domain's disco#items (or named with --muc-service), and its disco#info features"),
  upload: z
    .object({ jid: z.string(), features: z.array(z.string()) })
    .optional()
    .describe("XEP-0363 §3: the upload service among the domain's disco#items, and its disco#info features"),
});
export type ServerInfo = z.infer<typeof ServerInfo>;

export const Transport = z.object({
  websocket: z.string().optional().describe("RFC 7395: the ws:// or wss:// URL the harness reached the server at; absent: a TCP stream"),
  bosh: z.string().optional().describe("XEP-0206: the http:// or https:// BOSH URL the harness reached the server at; absent: a TCP stream"),
  tls: z.enum(["none", "starttls", "direct"]).describe("over WebSocket: direct for wss://, none for ws://; over BOSH: direct for https://, none for http://"),
  certificateVerified: z.boolean().optional().describe("with TLS: false only with --insecure"),
  ca: z.string().optional().describe("the CA file trusted for the server's certificate"),
  sasl: z.string().optional().describe("the SASL mechanism the harness logged in with"),
  component: z.string().optional().describe("XEP-0114: the component name the harness connected as, at the server's component port (NAME@HOST:PORT); absent: none known"),
});
export type Transport = z.infer<typeof Transport>;

export const PeerInfo = z.object({
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  domain: z.string(),
  software: Software.optional(),
});
export type PeerInfo = z.infer<typeof PeerInfo>;

export const S2sInfo = z.object({
  mode: z.enum(["dialback", "tls"]).describe("what was asked for (--s2s): Server Dialback over plain TCP, or TLS with certificates from the run's CA"),
  links: z.array(S2sLink).optional().describe("the s2s streams the servers accepted during the run, each distinct one once, from their logs at the end of the run (absent in the run's first event)"),
});
export type S2sInfo = z.infer<typeof S2sInfo>;

/** How the harness configured a local server it started: its own configuration, or the package's as shipped. */
export const ServerConfig = z.enum(["harness", "shipped"]);
export type ServerConfig = z.infer<typeof ServerConfig>;

const ProfileInfo = z.object({ file: z.string(), server: z.string(), version: z.string() });

/** Why a run stopped before every case had run, and when: the cases it had not run then are not-run. */
export const Stopped = z.object({
  why: z
    .enum(["interrupted", "output-closed", "server-gone"])
    .describe("interrupted: Ctrl-C or SIGTERM; output-closed: the reader of the output went away (| head); server-gone: the server stopped answering"),
  at: z.string().describe("ISO 8601"),
  detail: z.string().optional().describe("for server-gone: what showed it (connect ECONNREFUSED, no answer for 15 s)"),
});
export type Stopped = z.infer<typeof Stopped>;

/** What is known when the first case starts: the run's metadata. */
export const RunInfo = z.object({
  tool: Software.describe("the harness that wrote the file"),
  target: z.object({
    name: z.string().describe("local:prosody, or the --server given"),
    host: z.string(),
    port: z.number().int(),
    domain: z.string(),
    software: Software.optional().describe("the software a profile is chosen by: XEP-0092, else the disco#info identity, else the local package"),
    config: ServerConfig.optional().describe(
      "a local server: started with the harness's configuration or the package's as shipped (profile entries with a config apply only then); absent: a running server, configuration not known",
    ),
    server: ServerInfo.optional().describe("what the server said it is"),
    transport: Transport.optional().describe("how the harness reached the server"),
    peer: PeerInfo.optional().describe("a pair target's second server (domain b of the scenarios, reached over s2s)"),
    s2s: S2sInfo.optional().describe("federating targets: how their servers talk to each other, asked for and negotiated"),
    remote: z
      .object({ domain: z.string(), links: z.array(RemoteLink).optional().describe("each s2s stream it exchanged stanzas on with the target, at the end of the run") })
      .optional()
      .describe("the harness's scripted remote server, when cases had accounts there"),
  }),
  startedAt: z.string().describe("ISO 8601"),
  options: z.record(z.string(), z.unknown()).describe("the options that can change verdicts: accounts, concurrency, timeoutMs, wait, strict, ..."),
  profile: ProfileInfo.optional().describe("the server profile applied; absent: raw verdicts"),
  peerProfile: ProfileInfo.optional().describe("a pair target: the second server's profile, whose side-b entries apply to the cross-domain variants"),
  notes: z.array(z.string()).optional().describe("what a reader must know: an unchecked certificate, a fallback profile, an unidentified server"),
  baseline: z
    .object({ label: z.string().describe("the baseline file and the run it was taken from"), gone: z.array(z.string()).describe("cases of the baseline this run did not have") })
    .optional()
    .describe("with --baseline: what the run was compared with; each case says how it moved"),
  shard: z.object({ k: z.number().int(), n: z.number().int() }).optional().describe("with --shard k/n: which part of the selection this run is (merge needs all n)"),
  suite: z
    .record(z.string(), z.number().int())
    .optional()
    .describe("the cases per specification of the suite the run's cases were selected from: a run of some of them gives the compliance suites no verdict (absent: judged as a whole run)"),
});
export type RunInfo = z.infer<typeof RunInfo>;

export const RunResult = RunInfo.extend({
  schemaVersion: z.literal(SCHEMA_VERSION).describe("3 since a case can be not-run (version 2: every case has its spec); read.ts upgrades versions 1 and 2"),
  durationMs: z.number(),
  cases: z.array(CaseResult),
  accounts: z.object({
    created: z.number().int(),
    notRemoved: z.number().int(),
    left: z
      .array(z.object({ jid: z.string(), reason: z.string() }))
      .optional()
      .describe("the accounts that could not be removed (or cleaned), by JID, and why ('xmpp-conform cleanup' removes them later)"),
    refused: z.string().optional().describe("set when the server stopped giving accounts mid-run: why, and what to use instead"),
  }),
  concurrency: z
    .object({
      settled: z.number().int().describe("the limit held longest"),
      lowest: z.number().int(),
      highest: z.number().int(),
    })
    .optional()
    .describe("with --concurrency auto: the cases at once the run settled on, and the range it took"),
  targetError: z.string().optional().describe("set when the run could not start: the target could not be reached, or no accounts could be had there"),
  interrupted: z.boolean().describe("the run stopped before every case had run: stopped says why"),
  stopped: Stopped.optional().describe("why and when the run stopped early (absent: it ran every case, or was written before version 3)"),
}).meta({ title: "xmpp-conform results", description: "The results record of one run (reports/results.json); see docs/results.md." });
export type RunResult = z.infer<typeof RunResult>;

/** docs/results.schema.json (JSON Schema 2020-12), written by write-schema.ts and compared with this in the tests. */
export const resultsJsonSchema = () => z.toJSONSchema(RunResult);
