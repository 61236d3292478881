import { z } from "zod";
import { catalogSpecs } from "../specification/registry.ts";
import { ADDRESS_ATTRS, AFFILIATIONS, FEATURES, LEVELS, SUBSCRIPTION_STATES, WAITS } from "./types.ts";

/** The YAML shape of a scenario file, before steps are parsed (step.ts) and references checked (load.ts). */
const priority = z.number().int().min(-128).max(127);

const Presence = z.union([
  z.boolean(),
  priority,
  z.strictObject({
    priority: priority.optional(),
    show: z.enum(["away", "chat", "dnd", "xa"]).optional(),
    status: z.string().optional(),
  }),
]);

const Resource = z.strictObject({
  roster: z.boolean().optional(),
  presence: Presence.optional(),
  online: z.boolean().optional(),
  acks: z.boolean().optional(),
  /** false: IQ requests to the resource (but roster pushes and caps queries) are left to the steps, not answered service-unavailable. */
  answers: z.boolean().optional(),
  /**
   * XEP-0115: the features the resource advertises beyond disco#info and caps (e.g. urn:xmpp:avatar:metadata+notify):
   * its initial presence carries their `<c/>`, and it answers disco#info with them. Needs presence.
   */
  caps: z.array(z.string().min(1)).optional(),
  /** A raw connection with the account's credentials (docs/stream-steps.md); excludes roster, presence, acks and answers. */
  raw: z.boolean().optional(),
});

/**
 * A raw connection without an account. plaintext: the steps start before any STARTTLS, so the case's own first
 * header is the stream's first (its 'to' is what the case is about). component: an external component (XEP-0114)
 * on the target's component port. bosh: an HTTP client of the target's BOSH endpoint (XEP-0124), posting the
 * `<body/>` requests its steps write.
 */
const Connection = z.strictObject({ online: z.boolean().optional(), plaintext: z.boolean().optional(), component: z.boolean().optional(), bosh: z.boolean().optional() });

const Account = z.strictObject({
  /**
   * Which server the account lives on: a (the first, default), b (the second of a pair), or remote (a user of
   * the harness's scripted remote server: nothing logs in, its steps are what that server sends and receives).
   */
  domain: z.enum(["a", "b", "remote"]).optional(),
  resources: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, "expected a resource name of letters, digits, _ and -"), Resource.nullable()).optional(),
  /**
   * by-harness (default): made before the case. by-case: the case registers it itself (XEP-0077), with the
   * name and password the harness chose (${carol|local}, ${carol|password}); nothing logs in at set-up, and it
   * is removed after the case if it exists. Either way the case is skipped with existing accounts (--accounts file).
   */
  registered: z.enum(["by-harness", "by-case"]).optional(),
  /**
   * The case cancels the account or changes its password (${alice|newpassword}, a second password the harness
   * chose): always one the harness made (skipped with --accounts file), removed afterwards with either password.
   */
  disposable: z.literal(true).optional(),
});

export const REQUIREMENT_ID = /^[A-Z]+(?:-[A-Z0-9]+)+(?:\/[a-z]+)?$/;
/** A requirement ID, or a matrix placeholder standing for one (in a key, where editors see it before the loader fills it in). */
const REQUIREMENT_ID_OR_CELL = /^(?:[A-Z]+(?:-[A-Z0-9]+)+(?:\/[a-z]+)?|\$\{m\.[a-z][a-z0-9_]*\})$/;

const matrixValue = z.union([z.string(), z.number()]).transform(String);

const afterEntry = z.string().regex(/^[a-z][a-z0-9-]*(?:\/[\w-]+(?:\|[\w-]+)*)?$/, "expected a label, label/alternative or label/one|other");

export const StepMeta = z.strictObject({
  // Empty only on a step of a 'one of' alternative (parseStep says so elsewhere).
  requirements: z.array(z.string().regex(REQUIREMENT_ID, "expected a requirement ID like ROSTER-SET-ERR-02")).optional(),
  level: z.enum(LEVELS).optional(),
  timeout: z.number().int().positive().optional(),
  /** What decides that an expected stanza is not coming: a barrier (the default) or only the timeout. */
  wait: z.enum(WAITS).optional(),
  /** Addressing attributes asserted on purpose (see guard.ts). */
  asserts: z.array(z.enum(ADDRESS_ATTRS)).min(1).optional(),
  /**
   * The step only brings a connection to where the case's rule applies (a login, the features before the stanza
   * under test): it checks no requirement; when the server does not give it, the same way twice, the case is
   * skipped naming the refused precondition.
   */
  setup: z.literal(true).optional(),
  /**
   * On a single-pattern 'receives': the text lets a deployment refuse the step's request (a policy, e.g. XEP-0077
   * §11 on registration), so an error answer to it skips the case with this reason instead of judging it.
   */
  refused: z.string().min(1).optional(),
  /**
   * On a single-pattern 'receives': requirement ID → a pattern the very stanza the step received must also
   * match, each judged alone at its requirement's own level (for a row of mixed levels, the step's part).
   */
  also: z.record(z.string().regex(REQUIREMENT_ID_OR_CELL, "expected a requirement ID like ERR-SYN-01"), z.string().min(1)).optional(),
  /**
   * On a single-pattern 'receives': a pattern the very stanza the step received must also match for the case to
   * apply (a role the case needs of an occupant whose entry the step proves): where it does not, the case is
   * skipped naming it, as for a set-up step the server did not give; it proves nothing.
   */
  given: z.string().min(1).optional(),
  /**
   * On 'receives in order': the requirement the order itself proves, judged alone at its own level: every
   * stanza arriving, in another order, fails only it; a stanza that does not arrive fails the step's.
   */
  order: z.string().regex(REQUIREMENT_ID_OR_CELL, "expected a requirement ID like SUB-APPROVE-05").optional(),
  /**
   * On 'receives in order': each pattern is matched by the first stanza that matches it, so a stanza that also came
   * too early breaks the order although a later copy of it comes in order ("MUST NOT be sent until ...").
   */
  earliest: z.literal(true).optional(),
  /**
   * On a single-pattern 'receives' of an IQ answer (`<iq ... id='...'/>`): the requirement a request left
   * unanswered breaks (RFC 6120 §8.2.3's STANZA-IQ-01), judged alone at its own level: when no IQ with the id came
   * at all, only it fails and the step's own requirements are not reached; any answer passes it.
   */
  unanswered: z.string().regex(REQUIREMENT_ID_OR_CELL, "expected a requirement ID like STANZA-IQ-01").optional(),
  /**
   * On a 'receives': `action`, only what arrived after the step's preceding action counts, the answer to it
   * (XEP-0198 §4's <a/> answering an <r/>, where the server may also send an <a/> unasked before it). On a
   * 'receives nothing': the label of an earlier 'receives' step of the same actor, only what arrived after the last
   * stanza that step matched counts (XEP-0352 §5.1: nothing an <active/> flushes may come after the answer to the
   * client's next request).
   */
  since: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, "expected 'action' or the label of an earlier 'receives' step")
    .optional(),
  /** A name for the step, for a later step's `after:`. */
  label: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, "expected a name of lower-case letters, digits and dashes")
    .optional(),
  /**
   * The step is judged only when the step labelled so held ('LABEL'), or when that 'one of' took the named
   * alternative ('LABEL/ALTERNATIVE') or one of several ('LABEL/ONE|OTHER'); a list asks all of its entries. Otherwise
   * it is not reached: a rule that applies only after something happened is not judged where it did not.
   */
  after: z.union([afterEntry, z.array(afterEntry).min(1)]).optional(),
  /** Matrix cells this step belongs to: every named variable must have (one of) the given value(s). */
  when: z.record(z.string(), z.union([matrixValue, z.array(matrixValue).min(1)])).optional(),
});

const accountName = z.string().regex(/^[a-z][a-z0-9]*$/, "expected an account name of lower-case letters and digits");

const RosterItem = z.strictObject({
  jid: z.string().min(1),
  name: z.string().optional(),
  groups: z.array(z.string()).optional(),
});

const Subscription = z.strictObject({
  user: accountName,
  contact: accountName,
  state: z.enum(SUBSCRIPTION_STATES),
});

const roomName = z.string().regex(/^[a-z][a-z0-9]*$/, "expected a room name of lower-case letters and digits");

const Room = z.strictObject({
  /** The account that creates, configures and (after the case) destroys it. */
  owner: accountName,
  /** muc#roomconfig fields the owner submits at creation (XEP-0045 §10.1.3); none: the default configuration. */
  config: z.record(z.string().min(1), z.union([z.string(), z.number().transform(String), z.boolean().transform((b) => (b ? "1" : "0")), z.array(z.string())])).optional(),
  /** account: affiliation, granted by the owner at set-up (XEP-0045 §9, §10). */
  affiliations: z.record(accountName, z.enum(AFFILIATIONS)).optional(),
  /** by-case: the steps create it; set-up only reserves its name. */
  created: z.enum(["by-harness", "by-case"]).optional(),
  /**
   * Who shows the configuration was applied. by-harness (default): set-up reads the form back and skips the case
   * naming a field it does not show as submitted. by-case: the case's steps judge what the form shows (§10.2).
   */
  checked: z.enum(["by-harness", "by-case"]).optional(),
});

/** Either variables with their values (every combination is a case) or a list of named cells. */
export const Matrix = z.union([z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, "expected a variable name"), z.array(matrixValue).min(1)), z.array(z.record(z.string(), matrixValue)).min(1)]);

const Section = z.union([z.string(), z.number().int().transform(String)]).pipe(z.string().regex(/^(?:\d+|[A-Z])(?:\.\d+)*$/, "expected a section of the specification like 2.3.2"));

export const RawScenario = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, "expected an id of lower-case letters, digits and dashes"),
  title: z.string().min(1),
  description: z.string().optional(),
  /** The specification the case checks (default rfc6121); `section` (or `rfc`, its older name) is a section of it. */
  spec: z
    .string()
    .refine((id) => catalogSpecs().some((s) => s.id === id), { message: `expected a specification with a requirement catalog (src/specification/registry.ts), like rfc6121` })
    .optional(),
  section: Section.optional(),
  rfc: Section.optional(),
  level: z.enum(LEVELS),
  requirements: z.array(z.string().regex(REQUIREMENT_ID, "expected a requirement ID like ROSTER-SET-ERR-02")).min(1),
  tags: z.array(z.string()).optional(),
  needs: z.array(z.enum(Object.keys(FEATURES) as [string, ...string[]])).optional(),
  /** What decides that an expected stanza is not coming, for every step (a step may say otherwise). */
  wait: z.enum(WAITS).optional(),
  /** Optional: a case of raw connections without accounts (connections:) needs none. */
  accounts: z.record(accountName, Account.nullable()).default({}),
  connections: z.record(accountName, Connection.nullable()).optional(),
  roster: z.record(accountName, z.array(RosterItem).min(1)).optional(),
  subscriptions: z.array(Subscription).optional(),
  /** Multi-user chat rooms of the case (XEP-0045): ${NAME} is the room's JID, ${NAME/Nick} an occupant's. */
  rooms: z.record(roomName, Room).optional(),
  matrix: Matrix.optional(),
  steps: z
    .array(
      z.union([z.string(), z.record(z.string(), z.unknown())], {
        error: "a step is a string ('alice sends: <message/>') or a mapping whose first key is the step (with requirements:, setup:, ... beside it)",
      }),
    )
    .min(1),
});
export type RawScenario = z.infer<typeof RawScenario>;
