import { z } from "zod";
import { ANSWER_CHECKS, type AnswerCheck, type BoshExpectSpec, type BoshPostSpec } from "./types.ts";
import { oneLine, StepIssue } from "./step-issue.ts";
import type { Verb } from "./verb.ts";

const text = z.union([z.string(), z.number()]).transform(String);
const Headers = z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "expected an HTTP header name"), z.string());
const Post = z.union([z.string().min(1), z.strictObject({ body: z.string().min(1), headers: Headers.optional() })]);
const ExpectFields = z.strictObject({
  of: text.optional(),
  status: text.optional(),
  headers: Headers.optional(),
  body: z.string().min(1).optional(),
  held: z.number().int().positive().optional(),
  failed: z.literal(true).optional(),
});
/** `failed: true` matches a request that got no HTTP answer, so there is nothing else to match. */
const alone = (e: z.infer<typeof ExpectFields>) => e.failed === undefined || (e.status === undefined && e.headers === undefined && e.body === undefined && e.held === undefined);
const aloneMessage = "failed: a request that got no answer has no status, headers, body or hold time to match";
const ExpectMap = ExpectFields.refine(alone, aloneMessage);
const Expect = z.union([z.string().min(1), ExpectMap]);
const Alternative = z.union([z.string().min(1), ExpectFields.extend({ requirements: z.array(z.string()).optional() }).refine(alone, aloneMessage)]);

/** An expectation as written: a `<body/>` pattern alone, or a map (header names in lower case). */
function expectOf(v: z.infer<typeof Expect>): BoshExpectSpec {
  if (typeof v === "string") return { body: v };
  const { of, status, headers, body, held, failed } = v;
  return {
    ...(of !== undefined && { of }),
    ...(status !== undefined && { status }),
    ...(headers && { headers: Object.fromEntries(Object.entries(headers).map(([k, x]) => [k.toLowerCase(), x])) }),
    ...(body !== undefined && { body }),
    ...(held !== undefined && { heldMs: held }),
    ...(failed && { failed }),
  };
}

/** What an expectation is, in a step's text. */
const described = (e: BoshExpectSpec) =>
  [
    e.of !== undefined && `of rid ${e.of}`,
    e.failed && "no HTTP answer",
    e.heldMs !== undefined && `held ${e.heldMs} ms`,
    e.status !== undefined && `status ${e.status}`,
    ...Object.entries(e.headers ?? {}).map(([k, x]) => `${k}: ${x}`),
    e.body !== undefined && oneLine(e.body),
  ]
    .filter(Boolean)
    .join(", ");

/** The 'rid' a `<body/>` as written carries, for the step's text. */
const ridOf = (body: string) => /\brid=(['"])([^'"]*)\1/.exec(body)?.[2];

/**
 * The verbs of a BOSH connection (XEP-0124; docs/stream-steps.md): "h posts: <body rid='1' …/>", "h receives body:
 * <body sid='{capture:sid}'/>" (or a map: of, status, headers, body), "h receives answers: [ok, well-formed, …]";
 * the step kinds' table (kinds.ts) puts them under their kinds.
 */
export const boshVerbs = {
  posts: {
    value: Post,
    what: "the <body/> to post, as XML, or { body: <body/>, headers: { content-type: …, accept-encoding: … } } (Content-Type text/xml; charset=utf-8 unless given)",
    valueless: false,
    read: (value, common) => {
      const v = value as z.infer<typeof Post>;
      const headers = typeof v === "string" || !v.headers ? undefined : Object.fromEntries(Object.entries(v.headers).map(([k, x]) => [k.toLowerCase(), x]));
      const post: BoshPostSpec = { body: typeof v === "string" ? v : v.body, ...(headers && { headers }) };
      const rid = ridOf(post.body);
      const fields = Object.entries(headers ?? {}).map(([k, x]) => `${k}: ${x}`);
      return { ...common, kind: "bosh-post", post, text: `${common.actor} posts ${rid === undefined ? oneLine(post.body) : `rid ${rid}`}${fields.length ? ` with ${fields.join(", ")}` : ""}` };
    },
  } satisfies Verb<"bosh-post">,
  "receives body": {
    value: Expect,
    what: "a <body/> pattern for the answer to the oldest request whose answer no step took, or { of: RID, status, headers: {name: pattern}, body: <body/>, held: MS } (of: the latest request with that 'rid', taken or not; held: it came no sooner than MS after the request), or { of: RID, failed: true } (the request got no HTTP answer: the connection closed or failed)",
    valueless: false,
    read: (value, common) => {
      const expect = expectOf(value as z.infer<typeof Expect>);
      return { ...common, kind: "bosh-receive", expect, text: `${common.actor} receives body ${described(expect)}` };
    },
  } satisfies Verb<"bosh-receive">,
  "receives body one of": {
    value: z.record(z.string(), Alternative),
    what: "named alternatives, each a <body/> pattern or { of, status, headers, body, held, requirements }, or { of, failed: true, requirements } for a request that got no HTTP answer (requirements: what that outcome credits; none: [])",
    valueless: false,
    read: (value, common, at) => {
      const alternatives = Object.entries(value as Record<string, z.infer<typeof Alternative>>).map(([name, a]) => {
        const { requirements, ...expect } = typeof a === "string" ? { requirements: undefined, body: a } : a;
        return { name, expect: expectOf(expect), ...(requirements && { requirements }) };
      });
      if (alternatives.length < 2) throw new StepIssue("expected at least two alternatives", at);
      return { ...common, kind: "bosh-receive-one-of", alternatives, text: `${common.actor} receives body one of: ${alternatives.map((a) => a.name).join(" | ")}` };
    },
  } satisfies Verb<"bosh-receive-one-of">,
  "receives answers": {
    value: z.array(z.enum(ANSWER_CHECKS)).min(1),
    what: `the checks every answer so far must pass (${ANSWER_CHECKS.join(", ")})`,
    valueless: false,
    read: (value, common) => {
      const checks = value as AnswerCheck[];
      return { ...common, kind: "bosh-answers", checks, text: `${common.actor} receives answers (${checks.join(", ")})` };
    },
  } satisfies Verb<"bosh-answers">,
};
