import type net from "node:net";
import xml, { XMLError } from "@xmpp/xml";
import type { Element } from "ltx";
import { clientCaps, HARNESS_CAPS_NODE, type ClientCaps } from "../protocol/caps.ts";
import { assembleClient, type AssembledClient, type Middleware } from "./client.ts";
import { PLAINTEXT, saslMechanisms, type Endpoint } from "../wire/endpoint.ts";
import { Inbox, type ReadByServer } from "./inbox.ts";
import { IqMatcher } from "../protocol/iq-match.ts";
import { markerMessage, Markers } from "../protocol/markers.ts";
import { negotiateStartTls } from "./raw-stream.ts";
import { describeTlsError, isTlsError, secure, tcpConnect } from "../wire/tls.ts";
import type { Transcript } from "./transcript.ts";
import { harnessTransport, SERVICE } from "../wire/transport.ts";
import { webSocketTransport } from "../wire/websocket-transport.ts";
import { boshTransport } from "../wire/bosh.ts";
import { withTimeout } from "../../util/time.ts";
import { NS } from "../wire/ns.ts";
import { describeStreamError, streamErrorCondition } from "../wire/stream-error.ts";

export type { Endpoint } from "../wire/endpoint.ts";
export type { Received } from "./inbox.ts";

export interface Credentials {
  username: string;
  password: string;
}

const STANZAS = new Set(["iq", "message", "presence"]);

/**
 * One connected resource of one account: an xmpp.js client (src/xmpp/client.ts) with the harness's
 * middleware: every element in and out goes to the transcript, barrier markers and replies to the
 * harness's own IQs are taken aside, and every other stanza goes to the inbox the expectations read.
 * It answers roster pushes (unless told not to), disco#info when it has capabilities (XEP-0115: `caps`), and any
 * other IQ with service-unavailable, as a plain client does, and never reconnects.
 */
/** A login that failed, with the server's answer when it gave one: a SASL failure or a stream error condition. */
export class LoginFailure extends Error {
  sasl?: string;
  stream?: string;
}

export class Session {
  readonly inbox = new Inbox();
  /** Full JID once bound. */
  jid = "";
  /** Stream features offered after authentication. */
  features?: Element;
  /** Stream features offered before authentication (after TLS, when there is TLS). */
  featuresBeforeAuth?: Element;
  /** With STARTTLS: the features offered before TLS. */
  featuresBeforeTls?: Element;
  /** The SASL mechanism the session logged in with. */
  mechanism?: string;
  /** XEP-0115: what the resource advertises (its initial presence carries `caps.element()`). */
  readonly caps?: ClientCaps;

  private readonly client: AssembledClient;
  private iq!: IqMatcher;
  private readonly markers = new Markers();
  private readonly harnessOut = new WeakSet<object>();
  /** Ids of the server's unanswered queries of our caps node (the harness's business, like its own IQs), with their counts (ids repeat). */
  private readonly capsQueries = new Map<string, number>();
  private online = false;
  /** IQ requests go to the steps only (the resource's `answers: false`). */
  private readonly leavesToSteps: boolean;

  constructor(
    readonly label: string,
    private readonly endpoint: Endpoint,
    private readonly creds: Credentials,
    resource: string,
    private readonly transcript: Transcript,
    opts: { ackPushes?: boolean; answers?: boolean; timeoutMs?: number; caps?: readonly string[] } = {},
  ) {
    const timeoutMs = opts.timeoutMs ?? 3000;
    this.leavesToSteps = opts.answers === false;
    this.client = assembleClient({
      domain: endpoint.domain,
      resource,
      timeoutMs,
      // Over WebSocket (RFC 7395) and BOSH (XEP-0206) TLS is the URL's (wss://, https://); over TCP the harness opens the socket itself.
      transport: endpoint.websocket
        ? { service: endpoint.websocket, Transport: webSocketTransport({ security: endpoint.security }, timeoutMs) }
        : endpoint.bosh
          ? { service: endpoint.bosh, Transport: boshTransport({ ...(endpoint.security && { security: endpoint.security }) }, timeoutMs) }
          : { service: SERVICE, Transport: harnessTransport(() => this.open(timeoutMs)) },
      credentials: async (authenticate, offered) => {
        const mechanism = saslMechanisms(endpoint).find((m) => offered.includes(m));
        if (!mechanism) throw new Error(`no acceptable SASL mechanism: the server offers ${offered.join(", ") || "none"}; PLAIN is used only over TLS, on loopback or with --allow-plain`);
        this.mechanism = mechanism;
        await authenticate({ username: creds.username, password: creds.password }, mechanism);
      },
      first: (middleware) => this.watch(middleware),
    });
    const { entity } = this.client;
    // A push left unanswered (acks: false) gets no reply at all: the steps answer it, or nothing does.
    this.client.iqCallee.set(NS.roster, "query", () => (opts.ackPushes === false ? new Promise(() => {}) : true));
    if (opts.caps) {
      const caps = (this.caps = clientCaps(opts.caps));
      this.client.iqCallee.get(NS.discoInfo, "query", (ctx) => caps.info((ctx as unknown as { element: Element }).element.attrs.node as string | undefined) as never);
    }
    entity.on("error", (err: Error & { element?: Element }) => {
      this.transcript.add(this.label, "note", `error: ${err.message}`);
      if (err.element?.is("error", NS.stream)) this.endedBy ??= { condition: streamErrorCondition(err.element), said: describeStreamError(err.element, this.endpoint.domain) };
      if (err instanceof XMLError) this.socket()?.stopReading?.();
    });
    entity.on("status", (status: string) => {
      if (status === "close") this.socket()?.stopReading?.();
      if (status === "disconnect") this.end("the connection closed");
    });
  }

  /**
   * The session's own middleware, ahead of the library's: the transcript sees everything, then markers
   * and replies to the harness's IQs are taken aside, and the scenario's stanzas go to the inbox.
   */
  private watch(middleware: Middleware): void {
    middleware.use((ctx, next) => {
      const el = ctx.stanza as unknown as Element;
      const marker = this.online && this.markers.take(el);
      const capsQuery = this.isCapsQuery(el);
      if (capsQuery) this.capsQueries.set(String(el.attrs.id), (this.capsQueries.get(String(el.attrs.id)) ?? 0) + 1);
      this.record(el, marker || capsQuery);
      if (marker) return this.inbox.wake();
      return next();
    });
    this.iq = new IqMatcher(middleware as never);
    middleware.use((ctx, next) => {
      const el = ctx.stanza as unknown as Element;
      if (this.online && STANZAS.has(el.name) && !this.isCapsQuery(el)) this.inbox.push(el, this.transcript.now());
      // answers: false: a request the steps answer never reaches the library, which would answer it first.
      const request = el.name === "iq" && (el.attrs.type === "get" || el.attrs.type === "set");
      if (this.leavesToSteps && request && !el.getChild("query", NS.roster) && !this.isCapsQuery(el)) return undefined;
      return next();
    });
    middleware.filter((ctx, next) => {
      const el = ctx.stanza as unknown as Element;
      const capsAnswer = el.name === "iq" && this.answeredCapsQuery(String(el.attrs.id));
      this.transcript.add(this.label, "out", el.toString(), !this.online || this.harnessOut.has(el) || capsAnswer);
      return next();
    });
  }

  /** A disco#info query of the node#ver our presence advertised (XEP-0115 §6.2): how a server learns our caps. */
  private isCapsQuery(el: Element): boolean {
    const node = this.caps && el.name === "iq" && el.attrs.type === "get" ? el.getChild("query", NS.discoInfo)?.attrs.node : undefined;
    return node === `${HARNESS_CAPS_NODE}#${this.caps?.ver}`;
  }

  /** Whether an IQ we send with this id answers a caps query (counted off once). */
  private answeredCapsQuery(id: string): boolean {
    const n = this.capsQueries.get(id);
    if (!n) return false;
    if (n === 1) this.capsQueries.delete(id);
    else this.capsQueries.set(id, n - 1);
    return true;
  }

  get isOpen(): boolean {
    return this.online && !this.closedReason;
  }

  /** The stream error the server ended the session with, when it did. */
  endedBy?: { condition: string; said: string };

  /** Why the session ended, once it has. */
  get closedReason(): string | undefined {
    return this.inbox.closedReason;
  }

  async start(timeoutMs: number): Promise<void> {
    const who = `${this.creds.username}@${this.endpoint.domain}`;
    try {
      this.jid = await withTimeout(this.login(), timeoutMs, "no session");
      this.online = true;
      this.transcript.add(this.label, "note", `online as ${this.jid}`, true);
    } catch (err) {
      await this.close();
      const e = err as Error & { condition?: string; code?: string };
      const why = isTlsError(e) ? describeTlsError(e, this.endpoint) : e.condition || e.message || e.name || String(err);
      // RFC 6120 §6.5: what each SASL failure condition means for someone holding the credentials.
      const meaning: Record<string, string> = {
        "not-authorized": "the server refused the credentials (a wrong password, or no such account)",
        "account-disabled": "the account is disabled",
        "credentials-expired": "the password has expired",
        "invalid-mechanism": "the server does not offer that SASL mechanism",
        "encryption-required": "the server requires TLS first (--tls starttls)",
        "temporary-auth-failure": "the server could not check the credentials just now (try again)",
      };
      const failure = new LoginFailure(`cannot log in as ${who} at ${this.endpoint.host}:${this.endpoint.port}: ${meaning[why] ? `${meaning[why]} (SASL ${why})` : why}`);
      // What the server answered, for those who decide on it (a refusal of fresh accounts, a connection limit).
      if (e.name === "SASLError" && e.condition) failure.sasl = e.condition;
      else if (e.name === "StreamError" && e.condition) failure.stream = e.condition;
      throw failure;
    }
  }

  /** Connects, opens the stream and resolves with the bound JID, or rejects with the first error (a refused login). */
  private async login(): Promise<string> {
    const { entity } = this.client;
    let settle = (_: string | Error) => {};
    const online = new Promise<string>((resolve, reject) => {
      const onOnline = (jid: unknown) => settle(String(jid));
      const onError = (err: Error) => settle(err);
      const onEnd = () => settle(new Error(this.closedReason ?? "the connection closed"));
      settle = (v) => {
        entity.off("online", onOnline);
        entity.off("error", onError);
        entity.off("disconnect", onEnd);
        if (v instanceof Error) reject(v);
        else resolve(v);
      };
      entity.on("online", onOnline);
      entity.on("error", onError);
      entity.on("disconnect", onEnd);
    });
    online.catch(() => {});
    await entity.connect(entity.options.service!);
    await entity.open({ domain: this.endpoint.domain } as never);
    return online;
  }

  /** The byte stream the session runs on: plaintext, STARTTLS negotiated up to <proceed/> then TLS, or TLS from the first byte. */
  private async open(timeoutMs: number): Promise<net.Socket> {
    const tls = (this.endpoint.security ?? PLAINTEXT).tls;
    if (tls === "none") return tcpConnect(this.endpoint, timeoutMs);
    if (tls === "direct") return secure(await tcpConnect(this.endpoint, timeoutMs), this.endpoint, timeoutMs);
    const { socket, features } = await negotiateStartTls(this.endpoint, timeoutMs);
    this.featuresBeforeTls = features;
    this.transcript.add(this.label, "note", "STARTTLS negotiated", true);
    return secure(socket, this.endpoint, timeoutMs);
  }

  private record(el: Element, marker: boolean): void {
    if (!this.online && el.is("features", NS.stream)) {
      this.featuresBeforeAuth ??= el;
      this.features = el;
    }
    this.transcript.add(this.label, "in", el.toString(), !this.online || marker || this.iq.expects(el));
  }

  /** The transport's socket (ours, or the WebSocket one): both can be cut, ours also stops reading. */
  private socket(): { destroy(): void; stopReading?(): void } | undefined {
    return (this.client.entity.socket ?? undefined) as { destroy(): void; stopReading?(): void } | undefined;
  }

  private end(reason: string): void {
    if (this.closedReason) return;
    this.inbox.close(reason);
    this.iq.failAll(`${this.label}: ${reason}`);
  }

  /** Sends a stanza as the scenario wrote it. */
  async send(el: Element): Promise<void> {
    if (!this.isOpen) throw new Error(`${this.label} cannot send: ${this.closedReason ?? "not connected"}`);
    await this.client.entity.send(el as never);
  }

  /** Sends an IQ on the harness's behalf (or the scenario's, `harness` false) and resolves with its reply, result or error alike. */
  request(el: Element, timeoutMs: number, harness = true): Promise<Element> {
    if (!this.isOpen) return Promise.reject(new Error(`${this.label} cannot send: ${this.closedReason ?? "not connected"}`));
    if (harness) this.harnessOut.add(el);
    return this.iq.request(el, (x) => this.client.entity.send(x as never), timeoutMs, this.label);
  }

  /** XEP-0199 ping to the server (or another domain, through it): everything the server queued for us before the reply has arrived. */
  ping(timeoutMs: number, to = this.endpoint.domain): Promise<Element> {
    return this.request(xml("iq", { type: "get", to }, xml("ping", { xmlns: NS.ping })), timeoutMs);
  }

  async sendMarker(to: string, token: string): Promise<void> {
    const el = markerMessage(to, token);
    this.harnessOut.add(el);
    await this.send(el);
  }

  hasMarker(token: string): boolean {
    return this.markers.has(token);
  }

  /** See Inbox.waitUntil: every expectation waits this way. */
  waitUntil<T>(probe: () => T | undefined, timeoutMs: number, until?: Promise<unknown>, behind?: ReadByServer): Promise<T | undefined> {
    return this.inbox.waitUntil(probe, timeoutMs, until, behind);
  }

  /** Marks everything received so far as seen (set-up traffic is not for the scenario's expectations). */
  consumeAll(): void {
    this.inbox.consumeAll();
  }

  /** Closes the stream politely (the server then sends unavailable presence on our behalf). */
  async close(): Promise<void> {
    this.end("closed by the harness");
    try {
      await withTimeout(this.client.entity.stop(), 2000, "stream close");
    } catch {
      /* already gone */
    }
    this.socket()?.destroy();
  }

  /** Cuts the TCP connection without closing the stream, as a crashed client would. */
  drop(): void {
    this.end("connection dropped by the harness");
    this.socket()?.destroy();
  }
}
