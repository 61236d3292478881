import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { matchStanza, matchValue, parsePattern, type Captures } from "../../match/pattern.ts";
import { fill } from "../../match/template.ts";
import type { ExpectKind, PlannedStep, RawBytes, SaslSpec, Step, TlsField } from "../../scenario/types.ts";
import { plainAllowed } from "../../xmpp/wire/endpoint.ts";
import { NS } from "../../xmpp/wire/ns.ts";
import type { RawConnection, SaslMechanism } from "../../xmpp/connections/raw-connection.ts";
import type { SecureVersion } from "node:tls";
import type { TlsOutcome } from "../../xmpp/wire/tls.ts";
import { FRAME_RULES } from "../../xmpp/wire/websocket-reader.ts";
import type { HeaderOptions, StreamHeader } from "../../xmpp/wire/stream-header.ts";
import type { CaseScope } from "./scope.ts";
import { HarnessError } from "./errors.ts";
import { keep, oneLine, StreamEnded, timeoutOf, type Handler, type Holds, type Miss } from "./step-kit.ts";

/** The stream-level step kinds (RFC 6120, docs/stream-steps.md): raw connections only. */
type StreamKind =
  | "open-stream"
  | "receive-stream-header"
  | "receive-features"
  | "start-tls"
  | "negotiate-tls"
  | "receive-tls"
  | "receive-frames"
  | "authenticate"
  | "handshake"
  | "abort-sasl"
  | "bind"
  | "send-raw"
  | "receive-stream-error"
  | "close-stream"
  | "receive-stream-close"
  | "receive-disconnect";

/** How a raw connection ended, for failure messages ("" while it is open); over WebSocket, a message that is no document of its own first. */
export function ending(c: RawConnection): string {
  const unframed = c.frames?.find((f) => f.broken.includes("standalone"));
  const framing = unframed ? `; the server sent a message that is not a standalone XML document with its namespaces declared (RFC 7395 §3.3.3): ${oneLine(unframed.text, 160)}` : "";
  return framing + ended(c);
}

function ended(c: RawConnection): string {
  const e = c.streamError;
  if (e) return `; the server sent a stream error <${e.condition || "(no defined condition)"}/>${e.text ? ` (${oneLine(e.text, 80)})` : ""}`;
  if (c.streamClosed) return "; the server closed the stream";
  if (c.tcpClosed) return `; ${c.closedReason ?? "the connection closed"}`;
  return "";
}

/**
 * The raw connection a stream step acts on. One the network cut, or the server ended where the case expected it,
 * is no verdict on the rule the step is about: the case's set-up is retried, or it is an error with the reason
 * (a scenario that expected the end and acts on anyway is the scenario's mistake). A stream the server ended
 * unasked (a stream error or close) under a step that proves something is that step's miss: its rule needed the
 * stream to go on, and the server decided otherwise, whether the end came before the action or after it.
 */
export function actOn(scope: CaseScope, step: PlannedStep): { c: RawConnection } {
  const c = scope.raw(step.actor);
  if (!c.tcpClosed && !c.streamClosed && !c.streamError) return { c };
  if (serversEnd(scope, c, step)) throw new StreamEnded(endedMiss(scope, c, step));
  const why = `${c.label} cannot carry out '${step.text}': ${c.closedReason ?? "the stream ended"}${ending(c)}`;
  throw new HarnessError(scope.endExpected.has(c) ? why : `${why} before the step's action was sent: it answers nothing the case did`);
}

const serversEnd = (scope: CaseScope, c: RawConnection, step: PlannedStep) => step.plan.role === "proof" && !scope.endExpected.has(c) && Boolean(c.streamError || c.streamClosed);

const endedMiss = (scope: CaseScope, c: RawConnection, step: PlannedStep): Miss => ({
  message: `${c.label}: the server ended the stream before '${oneLine(step.text, 100)}' could be answered${ending(c)}`,
  expected: ["the stream left open for the step"],
  closest: lastArrivals(c),
  at: scope.transcript.now(),
});

/**
 * A step's action went unanswered because the server had ended the stream before it was sent (a stream error
 * that arrived before the action): for a step that proves something, its miss; else no verdict on its rule.
 */
function endedBefore(scope: CaseScope, c: RawConnection, step: PlannedStep): void {
  const e = c.streamError;
  if (!e || !c.arrivedBeforeAction(e.seq)) return;
  if (serversEnd(scope, c, step)) throw new StreamEnded(endedMiss(scope, c, step));
  throw new HarnessError(`${c.label}: the server ended the stream with <${e.condition || "(no defined condition)"}/> before '${step.text}' was sent, so it answers nothing the case did`);
}

/** The latest arrivals on a raw connection, for a failure's "closest". */
export const lastArrivals = (c: RawConnection): Miss["closest"] => c.elements.slice(-3).map((r) => ({ xml: r.el.toString(), problems: [], at: r.at }));

/** Whether bytes are whole elements (or none): a stanza, several, or whitespace. */
function wellFormed(bytes: string): boolean {
  try {
    parsePattern(`<x>${bytes}</x>`);
    return true;
  } catch {
    return false;
  }
}

/** Whether bytes sent after half an element end with its closing tag (the rest of a stanza). */
const completes = (bytes: string) => /<\/[\w:.-]+>\s*$/.test(bytes);

/** A value of a stream-level step with placeholders filled, as text (not XML). */
const text = (scope: CaseScope, v: string) => fill(v, { ...scope.bindings, ...scope.counters() }, false);

/** The header options of an "opens stream" step. */
function headerOptions(scope: CaseScope, step: Step & { kind: "open-stream" }): HeaderOptions | { raw: string } {
  const h = step.header;
  if ("raw" in h) return { raw: fill(h.raw, scope.bindings) };
  const value = (v: string | null | undefined) => (typeof v === "string" ? text(scope, v) : v);
  const opts: HeaderOptions = {};
  if (h.to !== undefined) opts.to = value(h.to);
  if (h.from !== undefined) opts.from = value(h.from);
  if (h.version !== undefined) opts.version = value(h.version);
  if (h.lang !== undefined) opts.lang = value(h.lang);
  if (h.id !== undefined) opts.id = value(h.id);
  if (h.xmlns !== undefined) opts.contentNs = value(h.xmlns);
  if (h.streamNs !== undefined) opts.streamNs = text(scope, h.streamNs);
  if (h.prefix !== undefined) opts.prefix = h.prefix;
  if (h.attrs) opts.attrs = Object.fromEntries(Object.entries(h.attrs).map(([k, v]) => [k, text(scope, v)]));
  if (h.declaration !== undefined) opts.declaration = h.declaration;
  return opts;
}

/** A response header's value for a "receives stream header" key: an attribute, a namespace declaration (xmlns, xmlns:p) or the prefix. */
function headerValue(h: StreamHeader, key: string): string | undefined {
  if (key === "prefix") return h.prefix;
  if (key === "xmlns") return h.namespaces[""];
  if (key.startsWith("xmlns:")) return h.namespaces[key.slice(6)];
  return h.attrs[key];
}

/** What differs between a response header and the step's attribute patterns; captures go to `caps`. */
function headerProblems(h: StreamHeader, attrs: Record<string, string>, caps: Captures): string[] {
  return Object.entries(attrs).flatMap(([k, v]) => {
    const problem = matchValue(fill(v, caps, false), headerValue(h, k), caps);
    return problem ? [`${k}: ${problem}`] : [];
  });
}

/** The response header as it arrived, for failure messages. */
const showHeader = (h: StreamHeader) =>
  `<${h.name}${Object.entries(h.namespaces)
    .map(([p, ns]) => ` ${p ? `xmlns:${p}` : "xmlns"}='${ns}'`)
    .join("")}${Object.entries(h.attrs)
    .map(([k, v]) => ` ${k}='${v}'`)
    .join("")}>`;

/** The features that followed the latest header, if they came. */
function featuresNow(c: RawConnection): Element | undefined {
  const after = c.header?.seq ?? -1;
  return c.features.find((f) => f.seq > after)?.el;
}

/** The features' children against a <features> pattern, and the prefix the header declared for the stream namespace (RFC 6120 §4.8.5). */
function featuresProblems(c: RawConnection, features: Element, pattern: Element, caps: Captures): { problems: string[]; caps: Captures } {
  const prefix = features.name.includes(":") ? features.name.split(":")[0] : "";
  const declared = c.header?.prefix ?? "stream";
  // Over WebSocket every message declares its own prefixes (RFC 7395 §3.3.3: 'receives frames' checks that).
  const problems = c.overWebSocket || prefix === declared ? [] : [`the features element is <${features.name}>, but the stream header declared the prefix '${declared}'`];
  const actual = xml("features", {}, ...features.getChildElements().map((k) => parsePattern(k.toString())));
  const m = matchStanza(pattern, actual, caps);
  return { problems: [...problems, ...m.problems], caps: m.ok ? m.captures : caps };
}

/** The stream error against an expected condition list and text pattern. */
function streamErrorProblems(c: RawConnection, conditions: string[], errorText: string | undefined, caps: Captures, errorElement?: string): string[] {
  const e = c.streamError!;
  const defined = e.el.getChildElements().filter((k) => k.attrs.xmlns === NS.streamErrors && k.name !== "text");
  const problems: string[] = [];
  if (defined.length !== 1) problems.push(`expected exactly one defined condition qualified by '${NS.streamErrors}', got ${defined.length}`);
  if (!conditions.includes(e.condition)) problems.push(`expected ${conditions.map((x) => `<${x}/>`).join(" or ")}, got ${e.condition ? `<${e.condition}/>` : "no defined condition"}`);
  if (errorText !== undefined) {
    const p = matchValue(errorText, e.text, caps);
    if (p) problems.push(`text: ${p}`);
  }
  if (errorElement !== undefined) {
    // RFC 6120 §4.9.4: an application-specific condition is a child of another namespace than the streams one.
    const pattern = parsePattern(errorElement);
    const specific = e.el.getChildElements().filter((k) => k.attrs.xmlns !== NS.streamErrors);
    if (!specific.some((k) => matchStanza(pattern, k, caps).ok))
      problems.push(`expected the application-specific condition ${oneLine(errorElement)}, got ${specific.length === 0 ? "none" : specific.map((k) => k.toString()).join(", ")}`);
  }
  return problems;
}

/** Sends our closing stream tag once the server has closed its stream (RFC 6120 §4.4), then waits for the TCP connection to close. */
async function awaitTcpClose(scope: CaseScope, c: RawConnection, timeoutMs: number): Promise<boolean> {
  if (!c.tcpClosed && !scope.closingSent.has(c)) {
    scope.closingSent.add(c);
    c.send(c.closingTag, true);
  }
  return c.waitClosed(timeoutMs);
}

/**
 * How far past the announced max-bytes an `exceed: max-bytes` payload goes. A server checks the size as it
 * reads, a chunk at a time (Prosody 13: after each read of up to 8 KiB), so a stanza that ends within the
 * read that crosses the limit can be taken whole; one large read buffer past the limit is over it however
 * the server reads.
 */
const PAST_MAX_BYTES = 64 * 1024;

/** A payload with a repeated middle: `times` over, or as often as takes it past the max-bytes the server announced on the connection. */
function repeated(scope: CaseScope, c: RawConnection, what: string, b: Exclude<RawBytes, { text: string }>): string {
  const before = fill(b.before, scope.bindings);
  const after = fill(b.after, scope.bindings);
  const unit = fill(b.repeat, scope.bindings);
  if ("times" in b) return before + unit.repeat(b.times) + after;
  const max = c.limits?.maxBytes;
  if (max === undefined) throw new HarnessError(`${c.label}: '${what}' is sized from the max-bytes the server announces (XEP-0478), and its latest stream features announce none`);
  const size = (s: string) => Buffer.byteLength(s);
  return before + unit.repeat(Math.max(1, Math.ceil((max + PAST_MAX_BYTES - size(before) - size(after)) / size(unit)))) + after;
}

/** A SASL2 request with the placeholders of its user agent and tag filled. */
function filled(scope: CaseScope, req: NonNullable<SaslSpec["sasl2"]>): NonNullable<SaslSpec["sasl2"]> {
  const ua = req.userAgent;
  const fill = (o: Record<string, string | undefined>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === undefined ? v : text(scope, v)]));
  return {
    ...req,
    ...(ua && ua !== "none" && { userAgent: fill(ua) }),
    ...(req.bind?.tag !== undefined && { bind: { ...req.bind, tag: text(scope, req.bind.tag) } }),
    ...(req.resume && { resume: { previd: text(scope, req.resume.previd), h: text(scope, req.resume.h) } }),
  };
}

/**
 * The strongest SASL mechanism offered on a raw connection, as for sessions: SCRAM-SHA-256, SCRAM-SHA-1, then PLAIN
 * where PLAIN is allowed; for SASL2, among those its <authentication/> lists. With a channel-binding type, the
 * strongest SCRAM-*-PLUS (XEP-0440); with "y" (a client that saw none), SCRAM without it.
 */
/**
 * The features that offer this stream's mechanisms: those that follow the latest header, or, where a SASL2 success
 * came after them (its own features list none: a second <authenticate/> on the stream), the latest since the
 * header that list them.
 */
async function offering(c: RawConnection, sasl2: boolean, timeoutMs: number): Promise<Element | undefined> {
  const latest = await c.waitFeatures(timeoutMs);
  const lists = (el: Element) => Boolean(el.getChild(sasl2 ? "authentication" : "mechanisms", sasl2 ? NS.sasl2 : NS.sasl));
  if (latest && lists(latest)) return latest;
  const since = c.header?.seq ?? -1;
  return [...c.features].reverse().find((f) => f.seq > since && lists(f.el))?.el ?? latest;
}

function strongest(scope: CaseScope, c: RawConnection, account: string, features: Element | undefined, sasl2: boolean, binding: SaslSpec["binding"]): SaslMechanism {
  const offered =
    features
      ?.getChild(sasl2 ? "authentication" : "mechanisms", sasl2 ? NS.sasl2 : NS.sasl)
      ?.getChildren("mechanism")
      .map((m) => m.text()) ?? [];
  const scram = ["SCRAM-SHA-256", "SCRAM-SHA-1"] as const;
  const usable: SaslMechanism[] =
    binding === undefined ? [...scram, ...(plainAllowed(scope.sideOf(account).endpoint) ? (["PLAIN"] as const) : [])] : binding === "y" ? [...scram] : scram.map((m) => `${m}-PLUS` as const);
  const m = usable.find((x) => offered.includes(x));
  if (!m) throw new HarnessError(`${c.label}: no SASL mechanism the harness can use is offered (offered: ${offered.join(", ") || "none"})`);
  return m;
}

/** One handler per stream-level step kind. */
export const streamHandlers: { [K in StreamKind]: Handler<K> } = {
  async "open-stream"(step, scope) {
    // A stream the server ended since the case's previous action (a <close/> at a restart: that action found it
    // open) is what a header step that proves something judges: its miss, not the harness's.
    const ended = scope.raw(step.actor);
    if (step.plan.role === "proof" && (ended.streamError || ended.streamClosed || ended.tcpClosed))
      return {
        message: `${ended.label}: the server ended the stream before a new one could be opened${ending(ended)}`,
        expected: ["the stream left open for the new header"],
        closest: lastArrivals(ended),
        at: scope.transcript.now(),
      };
    const got = actOn(scope, step);
    const { c } = got;
    c.consumeAll(); // what the replaced stream carried is not an answer on the new one
    if (await c.openStream(headerOptions(scope, step), timeoutOf(scope, step))) return undefined;
    endedBefore(scope, c, step);
    // A header the server may refuse without one of its own: whatever it answered (or not) is the next steps' to judge.
    if (step.either) return undefined;
    return {
      message: `${c.label} received no response stream header within ${timeoutOf(scope, step)} ms${ending(c)}`,
      expected: ["a response stream header <stream:stream …>"],
      closest: lastArrivals(c),
      decidedBy: "timeout",
      at: scope.transcript.now(),
    };
  },

  async "receive-stream-header"(step, scope) {
    const c = scope.raw(step.actor);
    const h = c.header;
    if (!h) return { message: `${c.label} has no response stream header${ending(c)}`, expected: [JSON.stringify(step.attrs)], closest: lastArrivals(c), at: scope.transcript.now() };
    const caps = { ...scope.bindings };
    const problems = headerProblems(h, step.attrs, caps);
    if (problems.length === 0) return void keep(scope, caps);
    return {
      message: `${c.label}'s response stream header differs: ${problems.join("; ")}`,
      expected: [
        Object.entries(step.attrs)
          .map(([k, v]) => `${k}=${v}`)
          .join(", "),
      ],
      closest: [{ xml: showHeader(h), problems, at: 0 }],
      at: scope.transcript.now(),
    };
  },

  async "receive-features"(step, scope) {
    const c = scope.raw(step.actor);
    const features = await c.waitFeatures(timeoutOf(scope, step));
    const pattern = scope.parse(step.pattern);
    if (!features)
      return {
        message: `${c.label} received no stream features after the latest stream header (or SASL <success/>) within ${timeoutOf(scope, step)} ms${ending(c)}`,
        expected: [pattern.toString()],
        closest: lastArrivals(c),
        decidedBy: "timeout",
        at: scope.transcript.now(),
      };
    const { problems, caps } = featuresProblems(c, features, pattern, { ...scope.bindings });
    if (problems.length === 0) {
      c.elements.filter((r) => r.el === features).forEach((r) => (r.consumed = true)); // seen: not "additional" features for a later "receives nothing"
      return void keep(scope, caps);
    }
    return { message: `${c.label}'s stream features differ: ${problems[0]}`, expected: [pattern.toString()], closest: [{ xml: features.toString(), problems, at: 0 }], at: scope.transcript.now() };
  },

  async "start-tls"(step, scope) {
    const got = actOn(scope, step);
    const { c } = got;
    const answer = await c.startTls(timeoutOf(scope, step));
    if (answer?.name === "proceed") return undefined;
    endedBefore(scope, c, step);
    return {
      message: `${c.label}: <starttls/> was answered with ${answer ? oneLine(answer.toString()) : "nothing"}${ending(c)}`,
      expected: [`<proceed xmlns='${NS.tls}'/>`],
      closest: lastArrivals(c),
      at: scope.transcript.now(),
    };
  },

  async "negotiate-tls"(step, scope) {
    const { c } = actOn(scope, step);
    const { versions, ...rest } = step.offer;
    const outcome = await c.negotiateTls({ ...rest, ...(versions && { versions: versions as [SecureVersion, SecureVersion] }) }, timeoutOf(scope, step));
    if (outcome) return undefined;
    endedBefore(scope, c, step);
    return {
      message: `${c.label}: no TLS to negotiate: the stream did not get to <proceed/>${ending(c)}`,
      expected: [`<proceed xmlns='${NS.tls}'/>`],
      closest: lastArrivals(c),
      at: scope.transcript.now(),
    };
  },

  async "receive-tls"(step, scope) {
    const c = scope.raw(step.actor);
    const expected = [tlsExpected(step.attrs)];
    if (!c.tls) return { message: `${c.label}: no TLS handshake was negotiated before this step`, expected, closest: [], at: scope.transcript.now() };
    const problems = tlsProblems(c.tls, step.attrs, { ...scope.bindings });
    if (problems.length === 0) return undefined;
    return { message: `${c.label}'s TLS handshake: ${problems[0]}`, expected, closest: [{ xml: tlsShown(c.tls), problems, at: 0 }], at: scope.transcript.now() };
  },

  async "receive-frames"(step, scope) {
    const c = scope.raw(step.actor);
    const frames = c.frames;
    const expected = step.checks.map((k) => (k === "closing-handshake" ? "the connection closed with the WebSocket closing handshake" : `every message ${FRAME_RULES[k]}`));
    if (!frames) return { message: `${c.label} is not over WebSocket: it has no frames`, expected, closest: [], at: scope.transcript.now() };
    const bad = frames.find((f) => f.broken.some((b) => (step.checks as string[]).includes(b)));
    if (bad) {
      const broken = bad.broken.filter((b) => (step.checks as string[]).includes(b));
      return {
        message: `${c.label}: a message from the server is not ${broken.map((b) => FRAME_RULES[b]).join("; nor ")}`,
        expected,
        closest: [{ xml: bad.text.slice(0, 2000), problems: broken.map((b) => `not ${FRAME_RULES[b]}`), at: 0 }],
        at: scope.transcript.now(),
      };
    }
    if (step.checks.includes("closing-handshake")) {
      const t = timeoutOf(scope, step);
      scope.endExpected.add(c);
      if (!(await awaitTcpClose(scope, c, t)))
        return { message: `${c.label}: the WebSocket connection did not close within ${t} ms`, expected, closest: lastArrivals(c), decidedBy: "timeout", at: scope.transcript.now() };
      if (c.closeCode === 1006)
        return { message: `${c.label}: the server cut the connection without the WebSocket closing handshake (close code 1006)`, expected, closest: lastArrivals(c), at: scope.transcript.now() };
    }
    return undefined;
  },

  async authenticate(step, scope) {
    const got = actOn(scope, step);
    const { c } = got;
    const { sasl } = step;
    const account = scope.sc.connections.find((x) => x.label === step.actor)!.account!;
    const creds = { ...scope.credentialsOf(account), ...(sasl.password !== undefined && { password: text(scope, sasl.password) }) };
    const mechanism = sasl.mechanism ?? strongest(scope, c, account, await offering(c, sasl.sasl2 !== undefined, timeoutOf(scope, step)), sasl.sasl2 !== undefined, sasl.binding);
    const answer = await c.authenticate(creds, mechanism, {
      ...(sasl.authzid !== undefined && { authzid: text(scope, sasl.authzid) }),
      ...(sasl.until && { until: sasl.until }),
      ...(sasl.sasl2 && { sasl2: filled(scope, sasl.sasl2) }),
      ...(sasl.binding && { binding: sasl.binding }),
      ...(sasl.bindingData && { bindingData: sasl.bindingData }),
      timeoutMs: timeoutOf(scope, step),
    });
    // The outcome the scenario checks itself stays for its "receives" steps; SASL2's always (what its success carries is what its cases check).
    if (answer && (sasl.expect === "failure" || sasl.sasl2 || (sasl.until === "challenge" && answer.name !== "challenge"))) c.release(answer);
    // XEP-0386, XEP-0198 §9.2: a success that bound a resource or resumed a session makes the connection that full JID for the next steps.
    if (answer?.name === "success" && sasl.sasl2 && c.jid) scope.bindings[step.actor] = c.jid;
    if (sasl.expect === "failure" || (sasl.until === "challenge" && answer)) return undefined;
    if (answer?.name === "success") return undefined;
    endedBefore(scope, c, step);
    return {
      message: `${c.label}: SASL ${mechanism} did not succeed: ${answer ? oneLine(answer.toString()) : `no answer within ${timeoutOf(scope, step)} ms`}${ending(c)}`,
      expected: [`<success xmlns='${NS.sasl}'/>`],
      closest: lastArrivals(c),
      at: scope.transcript.now(),
    };
  },

  async handshake(step, scope) {
    // A handshake accepted or refused as the next steps check: a server that already ended the stream (refusing the
    // name in the header) gave the refusal. Another secret must reach the server: a stream it already ended is no
    // refusal of that handshake (actOn makes the case an error).
    const ended = scope.raw(step.actor);
    if (step.either && (ended.streamError || ended.streamClosed || ended.tcpClosed)) {
      ended.unmarkAction();
      return undefined;
    }
    const { c } = actOn(scope, step);
    const t = timeoutOf(scope, step);
    const answer = await c.handshake(step.secret === undefined ? scope.ctx.component!.secret : text(scope, step.secret), t);
    if (answer && answer.children.length === 0 && step.secret === undefined) {
      scope.bindings[step.actor] = c.jid;
      // Either outcome is the next steps' to judge: the accepted <handshake/> stays for a 'receives' too.
      if (step.either) c.release(answer);
      return undefined;
    }
    // Another secret's outcome, or either outcome, is for the next steps to check (a stream error, the close).
    if (step.secret !== undefined || step.either) {
      if (answer) c.release(answer);
      return undefined;
    }
    endedBefore(scope, c, step);
    return {
      message: `${c.label}: the handshake was not accepted: ${answer ? oneLine(answer.toString()) : `no answer within ${t} ms`}${ending(c)}`,
      expected: ["<handshake/>"],
      closest: lastArrivals(c),
      at: scope.transcript.now(),
    };
  },

  async "abort-sasl"(step, scope) {
    const got = actOn(scope, step);
    got.c.send(`<abort xmlns='${NS.sasl}'/>`);
    return undefined;
  },

  async bind(step, scope) {
    const got = actOn(scope, step);
    const { c } = got;
    const reply = await c.bind(step.resource === undefined ? undefined : text(scope, step.resource), timeoutOf(scope, step));
    if (!reply) endedBefore(scope, c, step);
    if (!reply)
      return {
        message: `${c.label}: no reply to the bind request within ${timeoutOf(scope, step)} ms${ending(c)}`,
        expected: ["<iq type='result'/> or <iq type='error'/>"],
        closest: lastArrivals(c),
        at: scope.transcript.now(),
        // Silence on a stream the server left open; ending it is an answer.
        ...(!c.streamError && !c.streamClosed && !c.tcpClosed && { unanswered: true }),
      };
    c.release(reply); // for a "receives" step
    if (c.jid) scope.bindings[step.actor] = c.jid;
    return undefined;
  },

  async "send-raw"(step, scope) {
    const got = actOn(scope, step);
    const b = step.bytes;
    const bytes = "text" in b ? fill(b.text, scope.bindings) : repeated(scope, got.c, step.text, b);
    got.c.send(bytes, false, true);
    // Half a stanza keeps the connection out of barriers until the rest is sent.
    if ("text" in b) got.c.midElement = got.c.midElement ? !completes(bytes) : !wellFormed(bytes);
    return undefined;
  },

  async "receive-stream-error"(step, scope) {
    const c = scope.raw(step.actor);
    const t = timeoutOf(scope, step);
    scope.endExpected.add(c);
    const expected = [`<stream:error><${step.conditions.join("/> or <")} xmlns='${NS.streamErrors}'/>${step.errorElement ?? ""}</stream:error></stream:stream>`];
    const at = () => scope.transcript.now();
    if (!(await c.waitStreamError(t))) {
      return {
        message: `${c.label} received no stream error (${step.anyCondition ? "any condition" : step.conditions.join(" or ")}) within ${t} ms${ending(c) || "; the stream is still open"}`,
        expected,
        closest: lastArrivals(c),
        decidedBy: "timeout",
        at: at(),
      };
    }
    // A stream error the server sent before the case's latest action on the connection answers nothing the case did.
    endedBefore(scope, c, step);
    if (step.framing === "header" && !c.headerBefore(c.streamError!.seq))
      return {
        message: `${c.label} received <${c.streamError!.condition || "(no defined condition)"}/> with no stream header of the server's own before it: merely a stream error element`,
        expected,
        closest: [{ xml: c.streamError!.el.toString(), problems: ["no opening stream tag before it"], at: c.streamError!.at }],
        at: at(),
      };
    const caps = { ...scope.bindings };
    const problems = streamErrorProblems(
      c,
      step.conditions,
      step.errorText === undefined ? undefined : fill(step.errorText, caps, false),
      caps,
      step.errorElement === undefined ? undefined : fill(step.errorElement, caps),
    );
    const seen = [{ xml: c.streamError!.el.toString(), problems, at: c.streamError!.at }];
    if (problems.length > 0) return { message: `${c.label}'s stream error differs: ${problems.join("; ")}`, expected, closest: seen, at: at() };
    if (step.conditions.length > 1) scope.choices.push({ step: step.text, alternative: c.streamError!.condition });
    keep(scope, caps);
    if (step.framing === "none") return undefined;
    if (!(await c.waitStreamClosed(t)))
      return {
        message: `${c.label} received <${c.streamError!.condition}/>, but the server did not close its stream (no closing tag) within ${t} ms`,
        expected,
        closest: seen,
        decidedBy: "timeout",
        at: at(),
      };
    if (step.framing === "header") {
      // The opening tag, the error, the closing tag: what the rule asks. Ours follows (RFC 6120 §4.4); the close is not judged here.
      if (!c.tcpClosed && !scope.closingSent.has(c)) {
        scope.closingSent.add(c);
        c.send(c.closingTag, true);
      }
      return c.serverProblem ? { message: `${c.label}: ${c.serverProblem}`, expected, closest: seen, at: at() } : undefined;
    }
    if (!(await awaitTcpClose(scope, c, t)))
      return {
        message: `${c.label}: after the stream error and both closing tags the server did not close the TCP connection within ${t} ms`,
        expected,
        closest: seen,
        decidedBy: "timeout",
        at: at(),
      };
    if (c.serverProblem) return { message: `${c.label}: ${c.serverProblem}`, expected, closest: seen, at: at() };
    return undefined;
  },

  async "close-stream"(step, scope) {
    const got = actOn(scope, step);
    scope.endExpected.add(got.c);
    scope.closingSent.add(got.c);
    got.c.send(got.c.closingTag);
    return undefined;
  },

  async "receive-stream-close"(step, scope) {
    const c = scope.raw(step.actor);
    const t = timeoutOf(scope, step);
    scope.endExpected.add(c);
    const expected = [c.overWebSocket ? "<close/>, then the WebSocket closed" : "</stream:stream>, then the TCP connection closed"];
    const at = () => scope.transcript.now();
    if (!(await c.waitStreamClosed(t)))
      return { message: `${c.label}: the server did not close its stream within ${t} ms${ending(c)}`, expected, closest: lastArrivals(c), decidedBy: "timeout", at: at() };
    if (c.streamError)
      return {
        message: `${c.label}: the server closed the stream with a stream error <${c.streamError.condition}/>`,
        expected,
        closest: [{ xml: c.streamError.el.toString(), problems: [], at: c.streamError.at }],
        at: at(),
      };
    // RFC 7395 §3.6: the party that closed the stream first starts the WebSocket closing handshake; over TCP the
    // server closes the connection once both streams are closed.
    if (c.overWebSocket && scope.closingSent.has(c)) c.closeWebSocket();
    if (!(await awaitTcpClose(scope, c, t)))
      return { message: `${c.label}: after both closing tags the server did not close the connection within ${t} ms`, expected, closest: [], decidedBy: "timeout", at: at() };
    if (c.serverProblem) return { message: `${c.label}: ${c.serverProblem}`, expected, closest: lastArrivals(c), at: at() };
    return undefined;
  },

  async "receive-disconnect"(step, scope) {
    const c = scope.raw(step.actor);
    const t = timeoutOf(scope, step);
    const until = Date.now() + t;
    scope.endExpected.add(c);
    const expected = [c.overWebSocket ? "the WebSocket closed by the server" : "the TCP connection closed by the server"];
    // The server's closing tag asks for ours before it closes the connection (RFC 6120 §4.4; over WebSocket the
    // server, having closed first, starts the closing handshake, RFC 7395 §3.6); nothing else does: a stream error
    // left open is no disconnection, and the client never ends the connection itself.
    await c.waitStreamClosed(t);
    if (c.streamClosed && !c.tcpClosed && !scope.closingSent.has(c)) {
      scope.closingSent.add(c);
      c.send(c.closingTag, true);
    }
    if (!(await c.waitClosed(Math.max(0, until - Date.now()))))
      return {
        message: `${c.label}: the server did not close the connection within ${t} ms${ending(c) || "; the stream is still open"}`,
        expected,
        closest: lastArrivals(c),
        decidedBy: "timeout",
        at: scope.transcript.now(),
      };
    return undefined;
  },
};

// The fields a scenario's 'receives tls' may name (scenario/types.ts) are fields of the outcome (xmpp/wire/tls.ts).
const tlsFieldsAreOutcomeFields: TlsField extends keyof TlsOutcome ? true : never = true;
void tlsFieldsAreOutcomeFields;

/** A handshake's outcome as the transcript and a failure show it. */
const tlsShown = (o: TlsOutcome) =>
  o.refused
    ? `TLS refused: ${o.refused}`
    : o.stalled
      ? `TLS stalled: ${o.stalled}`
      : `TLS ${Object.entries(o)
          .map(([k, v]) => `${k}=${v}`)
          .join(", ")}`;
const tlsExpected = (attrs: Record<string, string>) =>
  attrs.refused !== undefined
    ? "the handshake refused"
    : `TLS ${Object.entries(attrs)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")}`;

/** What differs between a handshake's outcome and the step's patterns; a handshake that failed where one was expected first. */
function tlsProblems(o: TlsOutcome, attrs: Record<string, string>, caps: Captures): string[] {
  // A handshake the server left hanging is neither completed nor refused: no expectation of it holds.
  if (o.stalled) return [`the server neither completed nor refused the handshake (${o.stalled})`];
  if (attrs.refused === undefined && o.refused) return [`the handshake failed (${o.refused})`];
  if (attrs.refused !== undefined && !o.refused) return [`the handshake completed (${tlsShown(o)}), expected it refused`];
  return Object.entries(attrs).flatMap(([field, pattern]) => {
    const problem = matchValue(pattern, o[field as keyof TlsOutcome], caps);
    return problem ? [`${field}: ${problem}`] : [];
  });
}

/** Whether a stream-level expectation holds right now on its raw connection, with the captures it makes (it takes no stanza). */
export const streamHolds: { [K in Exclude<ExpectKind, "receive" | "receive-nothing" | "receive-http">]: Holds<K> } = {
  "receive-stream-header": (scope, st, caps) => {
    const c = scope.raw(st.actor);
    const next = { ...caps };
    return c.header && headerProblems(c.header, st.attrs, next).length === 0 ? { picked: [], captures: next } : undefined;
  },
  "receive-features": (scope, st, caps) => {
    const c = scope.raw(st.actor);
    const features = featuresNow(c);
    const got = features && featuresProblems(c, features, scope.parse(st.pattern, caps), { ...caps });
    return got && got.problems.length === 0 ? { picked: [], captures: got.caps } : undefined;
  },
  "receive-stream-error": (scope, st, caps) => {
    const c = scope.raw(st.actor);
    const next = { ...caps };
    const holds =
      c.streamError &&
      !c.arrivedBeforeAction(c.streamError.seq) &&
      (st.framing !== "header" || c.headerBefore(c.streamError.seq) !== undefined) &&
      streamErrorProblems(c, st.conditions, st.errorText === undefined ? undefined : fill(st.errorText, caps, false), next, st.errorElement === undefined ? undefined : fill(st.errorElement, caps))
        .length === 0;
    return holds ? { picked: [], captures: next } : undefined;
  },
  "receive-stream-close": (scope, st, caps) => {
    const c = scope.raw(st.actor);
    return c.streamClosed && !c.streamError ? { picked: [], captures: { ...caps } } : undefined;
  },
  // Inside 'one of' it only looks: the connection closed. It sends nothing, so a server that closed its stream first
  // and waits for ours is an alternative 'receives stream close' placed before it takes.
  "receive-disconnect": (scope, st, caps) => (scope.raw(st.actor).tcpClosed ? { picked: [], captures: { ...caps } } : undefined),
  "receive-tls": (scope, st, caps) => {
    const c = scope.raw(st.actor);
    const next = { ...caps };
    return c.tls && tlsProblems(c.tls, st.attrs, next).length === 0 ? { picked: [], captures: next } : undefined;
  },
};
