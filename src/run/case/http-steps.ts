import { matchValue, type Captures } from "../../match/pattern.ts";
import type { HttpStage, Step } from "../../scenario/types.ts";
import { fill } from "../../match/template.ts";
import { HttpFailure, httpGetFollowing, httpRequest, slotOf, type HttpAnswer, type Slot } from "../../xmpp/protocol/upload.ts";
import type { CaseScope } from "./scope.ts";
import { keep, oneLine, timeoutOf, type Handler, type Holds } from "./step-kit.ts";

/** The slot (XEP-0363 §4) among the IQ results the actor received whose put URL this is. */
function slotFor(scope: CaseScope, actor: string, put: string): Slot | undefined {
  for (const r of scope.participant(actor).inbox.items) {
    const slot = slotOf(r.el);
    if (slot?.put === put) return slot;
  }
  return undefined;
}

/** How far a request that got no HTTP answer went, as the transcript and a step's message say it. */
const STAGES: Record<HttpStage, string> = {
  connect: "no connection made",
  tls: "connected, no TLS handshake completed",
  http: "connected and, for https, its TLS handshake completed; no HTTP answer",
};
const failure = (f: HttpFailure) => `the request failed (${f.stage}: ${STAGES[f.stage]}): ${f.message}`;

const shown = (a: HttpAnswer | HttpFailure) =>
  a instanceof HttpFailure
    ? failure(a)
    : `HTTP ${a.status}${a.body.length > 0 ? ` (${a.body.length} bytes: ${oneLine(a.body.toString("utf8"), 80)})` : ""}${a.redirects ? `, after redirects to ${a.redirects.join(", ")}` : ""}`;

/** How many redirects a `gets` step follows unless it says `follow:`. */
const GET_REDIRECTS = 5;

/** The HTTP steps of XEP-0363's uploads (docs/scenario-language.md): a request, and what its response holds. */
export const httpHandlers: { http: Handler<"http">; "receive-http": Handler<"receive-http"> } = {
  async http(step, scope) {
    const r = step.request;
    const filled = (v: string) => fill(v, scope.bindings, false);
    const url = filled(r.url);
    const slot = r.method === "PUT" ? slotFor(scope, step.actor, r.slot === undefined ? url : filled(r.slot)) : undefined;
    const headers = {
      ...(r.slotHeaders !== false && slot ? slot.headers : {}),
      ...(r.contentType !== undefined && { "content-type": filled(r.contentType) }),
      ...Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k, filled(v)])),
    };
    const body = r.body === undefined ? undefined : Buffer.from(filled(r.body), "utf8");
    // Credentials stay out of the transcript: the slot's Authorization and Cookie are named, not shown.
    const fields = Object.entries(headers).map(([k, v]) => (/^(authorization|cookie)$/i.test(k) ? `${k}: [redacted]` : `${k}: ${v}`));
    scope.transcript.add(step.actor, "out", `HTTP ${r.method} ${url}${body ? ` (${body.length} bytes)` : ""}${fields.length ? ` with ${fields.join(", ")}` : ""}`);
    const ca = scope.ctx.httpsCa && { ca: scope.ctx.httpsCa };
    // A GET follows a few redirects (same origin or loopback, no credentials onward): XEP-0363 §2's "Anyone who knows the URL".
    // A step may say fewer (follow: 0, the URL's own answer: what a browser checks first for CORS).
    const request =
      r.method === "GET"
        ? httpGetFollowing(url, { headers, ...ca, timeoutMs: timeoutOf(scope, step), follow: r.follow ?? GET_REDIRECTS })
        : httpRequest(r.method, url, { ...(body && { body }), headers, ...ca, timeoutMs: timeoutOf(scope, step) });
    // Anything else `httpGetFollowing` rejects with is a URL that is none: no connection was tried.
    const answer = await request.catch((err: Error) => (err instanceof HttpFailure ? err : new HttpFailure("connect", err.message)));
    scope.transcript.add(step.actor, "in", shown(answer));
    scope.httpAnswers.set(step.actor, answer);
    return undefined;
  },

  async "receive-http"(step, scope) {
    const judged = judgeHttp(scope, step);
    const at = scope.transcript.now();
    if ("reason" in judged) return { message: judged.reason, expected: [step.text], closest: [], at };
    if (judged.problems.length === 0) return void keep(scope, judged.caps);
    const closest = [{ xml: shown(judged.answer), problems: judged.problems, at }];
    return { message: `${step.actor}'s HTTP response differs: ${judged.problems.join("; ")}`, expected: [step.text], closest, at };
  },
};

/** An alternative of 'one of': whether the actor's latest HTTP response matches now (it came with its request). */
export const httpHolds: Holds<"receive-http"> = (scope, step, caps) => {
  const judged = judgeHttp(scope, step, caps);
  return "reason" in judged || judged.problems.length > 0 ? undefined : { picked: [], captures: judged.caps };
};

/**
 * The actor's latest HTTP response against the step's patterns: what differs, with the captures it made. A request
 * that got no answer matches only `failed:`, a pattern for the stage it failed at; an answer never does.
 */
function judgeHttp(
  scope: CaseScope,
  step: Step & { kind: "receive-http" },
  captures: Captures = scope.bindings,
): { reason: string } | { answer: HttpAnswer | HttpFailure; problems: string[]; caps: Captures } {
  const answer = scope.httpAnswers.get(step.actor);
  if (answer === undefined) return { reason: `${step.actor} made no HTTP request` };
  const caps = { ...captures };
  const e = step.expect;
  if (answer instanceof HttpFailure) {
    if (e.failed === undefined) return { reason: `${step.actor}: ${failure(answer)}` };
    return { answer, problems: matchValue(e.failed, answer.stage, caps) ? [`failed: expected ${e.failed}, got ${answer.stage}`] : [], caps };
  }
  if (e.failed !== undefined) return { answer, problems: [`expected a request that failed (${e.failed}), got HTTP ${answer.status}`], caps };
  const problems = [
    e.status !== undefined && matchValue(e.status, String(answer.status), caps) && `status: expected ${e.status}, got ${answer.status}`,
    e.body !== undefined && matchValue(fill(e.body, captures, false), answer.body.toString("utf8"), caps) && `body: expected ${oneLine(e.body, 80)}, got ${oneLine(answer.body.toString("utf8"), 80)}`,
    ...Object.entries(e.headers ?? {}).map(([k, v]) => matchValue(v, answer.headers[k], caps) && `${k}: expected ${v}, got ${answer.headers[k] ?? "(none)"}`),
  ].filter((p): p is string => typeof p === "string");
  return { answer, problems, caps };
}
