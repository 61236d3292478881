import type { Captures } from "../../match/pattern.ts";
import { matchStanza, matchValue } from "../../match/pattern.ts";
import { fill } from "../../match/template.ts";
import type { BoshExpectSpec } from "../../scenario/types.ts";
import { DEFAULT_CONTENT_TYPE, type BoshClient, type BoshExchange } from "../../xmpp/connections/bosh-client.ts";
import { ANSWER_PROBLEMS, answeredExchanges, bodyOf, bodyPattern, boshRequest } from "../../xmpp/protocol/bosh-answer.ts";
import { HarnessError } from "./errors.ts";
import type { CaseScope } from "./scope.ts";
import { keep, oneLine, timeoutOf, type Handler, type Miss } from "./step-kit.ts";

const shown = (e: BoshExchange) => (e.answer === undefined ? "no answer" : "failed" in e.answer ? `no answer: ${e.answer.failed}` : `HTTP ${e.answer.status}: ${oneLine(e.answer.text, 200)}`);
const ridText = (e: BoshExchange) => `rid ${e.rid ?? "(none)"}`;

/** The request an expectation is about: the latest with its `of` rid (taken or not), else the oldest whose answer no step took. */
function exchangeFor(c: BoshClient, e: BoshExpectSpec, scope: CaseScope): BoshExchange {
  const of = e.of === undefined ? undefined : fill(e.of, scope.bindings, false);
  const x = of === undefined ? c.exchanges.find((r) => !r.taken) : [...c.exchanges].reverse().find((r) => r.rid === of);
  if (!x) throw new HarnessError(`${c.label} posted no request ${of === undefined ? "whose answer no step took" : `with rid ${of}`}`);
  return x;
}

/** What differs between an answer and an expectation (nothing: it holds, and `caps` has what it captured). */
function differences(exchange: BoshExchange, e: BoshExpectSpec, scope: CaseScope, caps: Captures): string[] {
  const answer = exchange.answer;
  if (answer === undefined) return [`no answer to ${ridText(exchange)}`];
  if ("failed" in answer) return e.failed ? [] : [`the request ${ridText(exchange)} failed: ${answer.failed}`];
  if (e.failed) return [`expected the request ${ridText(exchange)} to get no HTTP answer, got HTTP ${answer.status}`];
  const held = answer.at - exchange.postedAt;
  const problems: string[] = [
    ...(e.heldMs !== undefined && held < e.heldMs ? [`answered ${Math.round(held)} ms after the request, sooner than ${e.heldMs} ms`] : []),
    ...(e.status !== undefined && matchValue(e.status, String(answer.status), caps) ? [`status: expected ${e.status}, got ${answer.status}`] : []),
    ...Object.entries(e.headers ?? {}).flatMap(([k, v]) => (matchValue(fill(v, scope.bindings, false), answer.headers[k], caps) ? [`${k}: expected ${v}, got ${answer.headers[k] ?? "(none)"}`] : [])),
  ];
  if (e.body === undefined) return problems;
  const body = bodyOf(answer);
  if (typeof body === "string") return [...problems, body];
  const m = matchStanza(bodyPattern(scope.parse(e.body)), body, caps);
  if (m.ok) Object.assign(caps, m.captures);
  return [...problems, ...m.problems.map((p) => `body: ${p}`)];
}

/** Waits for the answers to these requests, up to the step's timeout; whether they all came. */
async function answers(c: BoshClient, exchanges: BoshExchange[], timeoutMs: number): Promise<boolean> {
  return Boolean(await c.waitUntil(() => (exchanges.every((x) => x.answer !== undefined) ? true : undefined), timeoutMs));
}

/** The steps of BOSH connections (XEP-0124; docs/stream-steps.md): a request as written, the answer to one, and checks of them all. */
export const boshHandlers: { [K in "bosh-post" | "bosh-receive" | "bosh-receive-one-of" | "bosh-answers"]: Handler<K> } = {
  async "bosh-post"(step, scope) {
    const filled = (v: string) => fill(v, scope.bindings, false);
    const headers = Object.fromEntries(Object.entries(step.post.headers ?? {}).map(([k, v]) => [k, filled(v)]));
    await scope.bosh(step.actor).post(boshRequest(fill(step.post.body, scope.bindings)), { "content-type": DEFAULT_CONTENT_TYPE, ...headers }, timeoutOf(scope, step));
    return undefined;
  },

  async "bosh-receive"(step, scope) {
    const c = scope.bosh(step.actor);
    const exchange = exchangeFor(c, step.expect, scope);
    exchange.taken = true;
    const came = await answers(c, [exchange], timeoutOf(scope, step));
    const caps = { ...scope.bindings };
    const problems = differences(exchange, step.expect, scope, caps);
    if (problems.length === 0) return void keep(scope, caps);
    const at = scope.transcript.now();
    if (!came) return { message: `${step.actor} got no answer to ${ridText(exchange)} within ${timeoutOf(scope, step)} ms`, expected: [step.text], closest: [], decidedBy: "timeout", at };
    return { message: `${step.actor}'s answer to ${ridText(exchange)} differs: ${problems[0]}`, expected: [step.text], closest: [{ xml: shown(exchange), problems, at }], at };
  },

  /** The first alternative whose answer matches, once every answer they name came (or the timeout). */
  async "bosh-receive-one-of"(step, scope) {
    const c = scope.bosh(step.actor);
    const picks = step.alternatives.map((a) => ({ a, exchange: exchangeFor(c, a.expect, scope) }));
    for (const p of picks) p.exchange.taken = true;
    const held = (p: (typeof picks)[number]) => {
      const caps = { ...scope.bindings };
      return differences(p.exchange, p.a.expect, scope, caps).length === 0 ? caps : undefined;
    };
    // Decided as soon as one holds; else when every answer is in, or at the timeout.
    await c.waitUntil(() => (picks.some(held) || picks.every((p) => p.exchange.answer !== undefined) ? true : undefined), timeoutOf(scope, step));
    for (const p of picks) {
      const caps = held(p);
      if (!caps) continue;
      keep(scope, caps);
      scope.choices.push({ step: step.text, alternative: p.a.name });
      return undefined;
    }
    const why = picks.map((p) => `${p.a.name}: ${differences(p.exchange, p.a.expect, scope, {})[0]}`);
    const miss: Miss = {
      message: `${step.actor} received none of the alternatives (${why.join("; ")})`,
      expected: step.alternatives.map((a) => `${a.name}: ${JSON.stringify(a.expect)}`),
      closest: [...new Set(picks.map((p) => p.exchange))].map((x) => ({ xml: shown(x), problems: [], at: scope.transcript.now() })),
      at: scope.transcript.now(),
    };
    return picks.some((p) => p.exchange.answer === undefined) ? { ...miss, decidedBy: "timeout" } : miss;
  },

  async "bosh-answers"(step, scope) {
    const all = scope.bosh(step.actor).exchanges;
    for (const exchange of answeredExchanges(all)) {
      for (const check of step.checks) {
        const problem = ANSWER_PROBLEMS[check](exchange, all);
        if (problem)
          return {
            message: `${step.actor}'s answer to ${ridText(exchange)} breaks '${check}': ${problem}`,
            expected: [step.text],
            closest: [{ xml: shown(exchange), problems: [problem], at: exchange.answer.at }],
            at: scope.transcript.now(),
          };
      }
    }
    return undefined;
  },
};
