import { z } from "zod";
import { HTTP_STAGES, type HttpExpectSpec, type HttpRequestSpec } from "./types.ts";
import { oneLine } from "./step-issue.ts";
import type { Verb } from "./verb.ts";

const text = z.union([z.string(), z.number()]).transform(String);
const Headers = z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "expected an HTTP header name"), text);
const Request = z.strictObject({
  url: z.string().min(1),
  body: text.optional(),
  "content-type": z.string().min(1).optional(),
  headers: Headers.optional(),
  "slot-headers": z.boolean().optional(),
  slot: z.string().min(1).optional(),
});
/** A GET may say how many redirects it follows (default 5; 0: the GET URL's own answer is judged). */
const GetRequest = Request.extend({ follow: z.number().int().min(0).max(5).optional() });
/** `failed`: a pattern for the stage a request that got no HTTP answer failed at; it stands alone (no answer to look at). */
const Failed = z
  .string()
  .min(1)
  .refine((v) => v.startsWith("{") || (HTTP_STAGES as readonly string[]).includes(v), `expected a stage (${HTTP_STAGES.join(", ")}) or a pattern of them`);
const Expect = z
  .strictObject({ status: text.optional(), body: text.optional(), headers: Headers.optional(), failed: Failed.optional() })
  .refine((e) => e.failed === undefined || (e.status === undefined && e.body === undefined && e.headers === undefined), "failed: a request that got no answer has no status, body or headers to match");

const request = (method: HttpRequestSpec["method"], verb: string): Verb<"http"> => ({
  value: method === "GET" ? GetRequest : Request,
  what:
    method === "GET"
      ? "{ url: '${get}', headers: {Name: value}, follow: 0 } (the URL a slot gave, captured from it; follow: how many redirects to the same origin or loopback it follows, 0 to 5, by default 5)"
      : "{ url: '${put}', body, content-type, headers: {Name: value}, slot-headers: false, slot: '${put}' } (the URL a slot gave, captured from it; a PUT carries the header fields of the slot whose put URL is 'slot', by default the URL)",
  valueless: false,
  read: (value, common) => {
    const v = value as z.infer<typeof GetRequest>;
    const spec: HttpRequestSpec = {
      method,
      url: v.url,
      ...(v.body !== undefined && { body: v.body }),
      ...(v["content-type"] !== undefined && { contentType: v["content-type"] }),
      ...(v.headers && { headers: v.headers }),
      ...(v["slot-headers"] !== undefined && { slotHeaders: v["slot-headers"] }),
      ...(v.slot !== undefined && { slot: v.slot }),
      ...(v.follow !== undefined && { follow: v.follow }),
    };
    const where = oneLine(v.url);
    const body = v.body === undefined ? "" : `, ${Buffer.byteLength(v.body)} bytes`;
    return { ...common, kind: "http", request: spec, text: `${common.actor} ${verb} ${where}${body}` };
  },
});

/**
 * The HTTP verbs of XEP-0363's uploads: "alice puts: { url: '${put}', body: … }", "alice gets: { url: '${get}' }",
 * "alice receives http: { status: '201' }"; the step kinds' table (kinds.ts) puts them under their kinds.
 */
export const httpVerbs = {
  puts: request("PUT", "puts to"),
  gets: request("GET", "gets"),
  "receives http": {
    value: Expect,
    what: "patterns for the latest response's status, body and headers, e.g. { status: '201' } or { status: '{re:4\\d\\d}' }; or, alone, failed: the stage at which a request that got no answer failed (connect, tls, http), e.g. { failed: http } or { failed: '{re:connect|tls}' }",
    valueless: false,
    read: (value, common) => {
      const expect = value as HttpExpectSpec;
      const shown = [
        expect.status !== undefined && `status ${expect.status}`,
        expect.body !== undefined && `body ${oneLine(expect.body)}`,
        ...Object.entries(expect.headers ?? {}).map(([k, x]) => `${k}: ${x}`),
        expect.failed !== undefined && `no answer, failed at ${expect.failed}`,
      ].filter(Boolean);
      return {
        ...common,
        kind: "receive-http",
        expect: { ...expect, ...(expect.headers && { headers: Object.fromEntries(Object.entries(expect.headers).map(([k, x]) => [k.toLowerCase(), x])) }) },
        text: `${common.actor} receives http ${shown.join(", ")}`,
      };
    },
  } satisfies Verb<"receive-http">,
};
