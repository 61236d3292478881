import { EventEmitter } from "node:events";
import http from "node:http";
import https from "node:https";
import { randomInt } from "node:crypto";
import { Element, parse } from "ltx";
import ConnectionWebSocket from "@xmpp/websocket/lib/Connection.js";
import type { Security } from "./endpoint.ts";
import { openFramedStream, type FramedStream } from "./framed-stream.ts";
import { NS } from "./ns.ts";

/**
 * XMPP over BOSH (XEP-0124, XEP-0206) for xmpp.js sessions and raw streams. npm has no BOSH transport for
 * xmpp.js, and the clients that speak BOSH (strophe.js, stanza) are whole clients built for browsers, not a
 * transport the harness's sessions can use; so this is a small one on node:http.
 *
 * The BOSH socket shows xmpp.js what a WebSocket would (RFC 7395's framing: <open/> answered by <open/>, one
 * element per message, <close/>), so @xmpp/websocket's connection and framed parser drive it unchanged. What
 * the client writes becomes BOSH requests: its first <open/> the session creation request, a later one the
 * XEP-0206 restart request, <close/> the terminate request, stanzas the payloads of the next request. Each
 * answer's payloads come back as messages, in 'rid' order.
 */

const HTTPBIND = "http://jabber.org/protocol/httpbind";
const XBOSH = "urn:xmpp:xbosh";

/** Where a BOSH session goes: the http:// or https:// URL, and for https:// the CAs to trust or none (--insecure). */
export interface BoshEndpoint {
  url: string;
  domain: string;
  security?: Pick<Security, "ca" | "insecure">;
}

/** The socket's parameters: the URL, its TLS trust, and how long an answer may take beyond the session's 'wait'. */
interface BoshParameters {
  url: string;
  security?: BoshEndpoint["security"];
  timeoutMs: number;
}

/**
 * How long the connection manager may hold a request (XEP-0124 §7.1 'wait', in seconds): short, so that a
 * closing session is not held up, and so that a session whose connections were cut ends soon: ejabberd notices
 * the cut only when it answers the held request, and ends the session 'inactivity' later (the user's contacts
 * then get its unavailable presence within a step's timeout, as over TCP); and one request held at a time
 * ('hold'), as a client that reuses connections.
 */
const WAIT_S = 4;

/**
 * How long a request is out before the next one may follow it, unless it is answered first. Requests on
 * different connections may reach the connection manager out of 'rid' order, which §14.2 lets a client do; but
 * ejabberd (23.01, and its ejabberd_bosh.erl today) keeps a request that arrives before an earlier one until
 * the earlier one is answered with something for the client: where it holds the earlier one (nothing to say
 * yet), the session stalls and ends with 'other-request' after 'inactivity'. No answer says that a held request
 * has arrived, so its age stands for that: on loopback or a LAN far longer than the delivery of a request
 * takes. Payloads written meanwhile go together in the next request.
 */
const HEAD_START_MS = 100;

/**
 * How long after an answer the empty request waits for the client's next payloads: a client that answers what it
 * got (the steps of a login, a reply) then sends them with nothing before them, so without a head start to wait
 * for. Payloads from the server wait for it at most that long.
 */
const EMPTY_REQUEST_DELAY_MS = 50;

type Queued = { kind: "payload"; xml: string } | { kind: "open"; to: string; lang?: string } | { kind: "close" };

export class BoshSocket extends EventEmitter {
  /** https://: the client then names itself in <open/> (RFC 6120 §4.7.1), as over TLS. */
  secure = false;
  private params!: BoshParameters;
  private agent!: http.Agent;
  private sid?: string;
  /** XEP-0124 §14.1: a large random initial 'rid', one more for each request. */
  private rid = randomInt(1, 2 ** 40);
  /** The next 'rid' whose answer is handed on: answers go on in request order (§14.2). */
  private nextAnswer = this.rid;
  private readonly answers = new Map<number, Element | Error>();
  /** The 'rid's of restart requests: their answers begin a new stream (XEP-0206 §5). */
  private readonly restarts = new Set<number>();
  private readonly outstanding = new Set<http.ClientRequest>();
  private readonly queue: Queued[] = [];
  /** The connection manager's 'requests' (§7.2): how many requests may be open at once. */
  private requests = 2;
  private creating = false;
  /** A request not yet written out on a connected socket: the next one waits for it (its head start begins then). */
  private writing = false;
  /** The empty request about to go (see pump()). */
  private polling?: NodeJS.Timeout;
  /** The latest request, while unanswered, and since when it is on its way (see HEAD_START_MS). */
  private latest?: { rid: number; since: number };
  /** Wakes pump() when the latest request's head start is over. */
  private headStart?: NodeJS.Timeout;
  private ending = false;
  private over = false;

  connect(params: BoshParameters): void {
    this.params = params;
    this.secure = params.url.startsWith("https:");
    this.agent = this.secure
      ? new https.Agent({ keepAlive: true, ...(params.security?.ca && { ca: params.security.ca }), rejectUnauthorized: !params.security?.insecure })
      : new http.Agent({ keepAlive: true });
    // Nothing to connect before the first request: the session is made by the first <open/>.
    queueMicrotask(() => this.emit("connect"));
  }

  /** Takes one framed element from xmpp.js (or a raw stream): <open/>, <close/> or a payload. */
  write(data: string, done?: (err?: Error) => void): void {
    if (this.over) return done?.(new Error("the BOSH session is over"));
    let el: Element;
    try {
      el = parse(data) as Element;
    } catch (err) {
      return done?.(err as Error);
    }
    if (el.is("open", NS.framing)) this.queue.push({ kind: "open", to: String(el.attrs.to), ...(el.attrs["xml:lang"] && { lang: String(el.attrs["xml:lang"]) }) });
    else if (el.is("close", NS.framing)) this.queue.push({ kind: "close" });
    else this.queue.push({ kind: "payload", xml: data });
    this.pump();
    done?.();
  }

  /** After <close/>: nothing is left to do but forget the connections. */
  end(): void {
    this.finish(false);
  }

  /** Cuts every connection without terminating the session, as a crashed client would. */
  destroy(): void {
    this.finish(true);
  }

  /** Sends what is due: the session creation first, then one request per control element or run of payloads, within 'requests'. */
  private pump(): void {
    if (this.over || this.ending || this.writing) return;
    if (!this.sid) {
      const first = this.queue[0];
      if (!this.creating && first?.kind === "open") {
        this.queue.shift();
        this.creating = true;
        this.post({ to: first.to, ...(first.lang && { "xml:lang": first.lang }), ver: "1.11", wait: String(WAIT_S), hold: "1", "xmpp:version": "1.0", "xmlns:xmpp": XBOSH }, "");
      }
      return;
    }
    for (;;) {
      const next = this.queue[0];
      // §11: one request beyond 'requests' is allowed to terminate the session.
      if (this.ending || this.writing || this.outstanding.size >= this.requests + (next?.kind === "close" ? 1 : 0)) return;
      if (next && this.latest) {
        const wait = this.latest.since + HEAD_START_MS - Date.now();
        if (wait > 0) {
          this.headStart ??= setTimeout(() => {
            this.headStart = undefined;
            this.pump();
          }, wait);
          return;
        }
      }
      if (next?.kind === "open") {
        this.queue.shift();
        this.restarts.add(this.post({ to: next.to, ...(next.lang && { "xml:lang": next.lang }), "xmpp:restart": "true", "xmlns:xmpp": XBOSH }, ""));
      } else if (next?.kind === "close") {
        this.queue.shift();
        this.ending = true;
        this.post({ type: "terminate" }, "");
      } else if (next) {
        const payloads: string[] = [];
        while (this.queue[0]?.kind === "payload") payloads.push((this.queue.shift() as { xml: string }).xml);
        this.post({}, payloads.join(""));
      } else if (this.outstanding.size === 0 && !this.polling) {
        // XEP-0124 §10: a request is always with the connection manager, for it to answer with what arrives.
        // It goes once the client has had its turn with the last answer (EMPTY_REQUEST_DELAY_MS).
        this.polling = setTimeout(() => {
          this.polling = undefined;
          if (this.outstanding.size === 0 && this.queue.length === 0 && !this.over && !this.ending && !this.writing && this.sid) this.post({}, "");
          else this.pump();
        }, EMPTY_REQUEST_DELAY_MS);
        return;
      } else return;
    }
  }

  /** Sends one request; returns its 'rid'. */
  private post(attrs: Record<string, string>, payloads: string): number {
    const rid = this.rid++;
    const body = new Element("body", { rid: String(rid), ...(this.sid && { sid: this.sid }), xmlns: HTTPBIND, ...attrs }).toString().replace(/\/>$/, `>${payloads}</body>`);
    const req = (this.secure ? https : http).request(this.params.url, {
      method: "POST",
      agent: this.agent,
      headers: { "Content-Type": "text/xml; charset=utf-8", "Content-Length": Buffer.byteLength(body) },
      // The connection manager holds a request up to 'wait' seconds (§8); anything longer is a broken connection.
      timeout: WAIT_S * 1000 + this.params.timeoutMs,
    });
    this.outstanding.add(req);
    this.writing = true;
    // 'finish' alone is too early: on a socket still connecting, the request waits in its buffer.
    const written = () => {
      this.writing = false;
      this.latest = { rid, since: Date.now() };
      this.pump();
    };
    req.on("socket", (socket) => req.on("finish", () => (socket.connecting ? socket.once("connect", written) : written())));
    const settle = (answer: Element | Error) => {
      if (!this.outstanding.delete(req)) return;
      if (this.latest?.rid === rid) this.latest = undefined;
      this.answers.set(rid, answer);
      this.deliver();
    };
    req.on("timeout", () => req.destroy(new Error(`no answer to BOSH request rid ${rid} within ${WAIT_S} s and ${this.params.timeoutMs} ms`)));
    req.on("error", (err) => settle(err));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (err) => settle(err));
      // Taken once the agent has the connection back (it frees it on a later tick): the next request reuses it
      // rather than opening one more (see HEAD_START_MS on requests that overtake each other).
      res.on("end", () =>
        setImmediate(() => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode !== 200) return settle(new Error(`${this.params.url} answered HTTP ${res.statusCode} to BOSH request rid ${rid}`));
          try {
            settle(parse(text) as Element);
          } catch (err) {
            settle(new Error(`${this.params.url}: an answer that is no XML document (${(err as Error).message}): ${text.slice(0, 200)}`));
          }
        }),
      );
    });
    req.end(body);
    return rid;
  }

  /** Hands on the answers that are next in 'rid' order. */
  private deliver(): void {
    while (!this.over && this.answers.has(this.nextAnswer)) {
      const rid = this.nextAnswer++;
      const answer = this.answers.get(rid)!;
      this.answers.delete(rid);
      if (answer instanceof Error) return this.fail(answer);
      this.take(answer, this.restarts.delete(rid));
      // The client's turn with this answer starts now: the empty request waits for it anew.
      clearTimeout(this.polling);
      this.polling = undefined;
    }
    this.pump();
  }

  /** One <body/>: the session's attributes, <open/> for a new stream, its payloads, and the session's end. */
  private take(body: Element, restarted: boolean): void {
    if (!body.is("body", HTTPBIND)) return this.fail(new Error(`${this.params.url} answered with <${body.name}/>, not a BOSH <body/>`));
    const created = !this.sid && body.attrs.sid;
    if (created) {
      this.sid = String(body.attrs.sid);
      if (body.attrs.requests) this.requests = Math.max(1, Number(body.attrs.requests));
    }
    // A new stream (session creation, or a restart: XEP-0206 §5) is told as RFC 7395's <open/>.
    if (created || restarted)
      this.message(
        new Element("open", {
          xmlns: NS.framing,
          version: String(body.attrs["xmpp:version"] ?? "1.0"),
          ...(body.attrs.from && { from: String(body.attrs.from) }),
          ...(body.attrs.authid && { id: String(body.attrs.authid) }),
        }),
      );
    for (const child of body.children) if (typeof child !== "string") this.message(standalone(child, body));
    if (body.attrs.type === "terminate") {
      if (this.ending) {
        this.message(new Element("close", { xmlns: NS.framing }));
        return this.finish(false);
      }
      // A stream error came as its payload (remote-stream-error, XEP-0206 §6): the client has it; else the condition says why.
      if (!body.getChild("error", NS.stream)) this.emit("error", new Error(`${this.params.url} terminated the BOSH session (condition '${body.attrs.condition ?? "none"}')`));
      this.finish(true);
    }
  }

  private message(el: Element): void {
    try {
      this.emit("data", Buffer.from(el.toString()));
    } catch {
      // After the stream's end @xmpp/connection has no parser left (it throws): nothing a session reads.
    }
  }

  private fail(err: Error): void {
    if (this.over) return;
    this.emit("error", err);
    this.finish(true);
  }

  private finish(dirty: boolean): void {
    if (this.over) return;
    this.over = true;
    clearTimeout(this.headStart);
    clearTimeout(this.polling);
    for (const req of this.outstanding) req.destroy();
    this.outstanding.clear();
    this.agent?.destroy();
    this.emit("close", dirty);
  }
}

/**
 * A payload as a document of its own, as RFC 7395 framing wants it: with the namespace declarations of the
 * <body/> it came in (the 'stream' prefix of <stream:features/>, XEP-0206 §2), and 'jabber:client' where it has
 * none (XEP-0206 §2's note: many connection managers leave the stanzas' namespace out).
 */
export function standalone(child: Element, body: Element): Element {
  const el = parse(child.toString()) as Element;
  for (const [name, value] of Object.entries(body.attrs)) if (name.startsWith("xmlns:") && el.attrs[name] === undefined) el.attrs[name] = value;
  if (!el.name.includes(":") && el.attrs.xmlns === undefined) el.attrs.xmlns = NS.client;
  return el;
}

/**
 * An xmpp.js transport for http:// and https:// services: @xmpp/websocket's connection (RFC 7395 framing) on
 * the BOSH socket, with this endpoint's TLS trust bound into a class of its own (socketParameters() runs on the
 * prototype). Register it before the client's own transports: `xmpp.transports.unshift(boshTransport(...))`.
 */
export function boshTransport(endpoint: Pick<BoshEndpoint, "security">, timeoutMs: number): typeof ConnectionWebSocket {
  class Transport extends ConnectionWebSocket {
    socketParameters(service: string): BoshParameters | undefined {
      if (!/^https?:\/\//.test(service)) return undefined;
      return { url: service, ...(endpoint.security && { security: endpoint.security }), timeoutMs };
    }
  }
  Transport.prototype.Socket = BoshSocket;
  return Transport;
}

/** Opens a BOSH session up to the stream features, for readiness checks, in-band registration and tests. */
export async function openBoshStream(endpoint: BoshEndpoint, timeoutMs: number): Promise<FramedStream> {
  const socket = new BoshSocket();
  socket.connect({ url: endpoint.url, ...(endpoint.security && { security: endpoint.security }), timeoutMs });
  const errors: Error[] = [];
  socket.on("error", (err: Error) => errors.push(err));
  return openFramedStream(
    {
      name: endpoint.url,
      send: (data) => socket.write(data),
      close: () => undefined,
      destroy: () => socket.destroy(),
      onMessage: (listener) => socket.on("data", (data: Buffer) => listener(data.toString())),
      // A failed request (a refused connection, an HTTP error) says why; without one the connection manager ended the session.
      onClosed: (listener) => socket.on("close", (dirty: boolean) => dirty && listener(errors.length ? `failed: ${errors.map((e) => e.message).join("; ")}` : "ended the BOSH session")),
    },
    endpoint.domain,
    timeoutMs,
  );
}
