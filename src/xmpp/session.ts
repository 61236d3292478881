import net from "node:net";
import { client, xml } from "@xmpp/client";
import type { Element } from "ltx";
import type { Transcript } from "./transcript.ts";
import { PLAINTEXT, plainAllowed, type Endpoint } from "./endpoint.ts";
import { negotiateStartTls } from "./raw-stream.ts";
import { scramMechanism } from "./scram.ts";
import { describeTlsError, isTlsError, tcpConnect, tlsOptions } from "./tls.ts";
import { withTimeout } from "../util/time.ts";

export type { Endpoint } from "./endpoint.ts";

/** Namespace of the harness's own barrier markers; never shown to scenarios. */
export const BARRIER_NS = "urn:xmpp-conform:barrier";

export interface Credentials {
  username: string;
  password: string;
}

/** A stanza that arrived on a session, in arrival order; expectations consume it once matched. */
export interface Received {
  el: Element;
  at: number;
  seq: number;
  consumed: boolean;
}

const STANZAS = new Set(["iq", "message", "presence"]);
/** Strongest first; PLAIN only where plainAllowed() says so. */
const SCRAM = ["SCRAM-SHA-256", "SCRAM-SHA-1"] as const;

/**
 * One connected resource of one account. Wraps @xmpp/client: records every element in and out, keeps an
 * inbox of stanzas for expectations, answers roster pushes, matches IQ replies by id (the library's own
 * IQ caller has a race that turns error replies into unhandled rejections), and never reconnects.
 */
export class Session {
  readonly inbox: Received[] = [];
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
  /** Why the session ended, once it has. */
  closedReason?: string;

  private readonly xmpp: ReturnType<typeof client>;
  private readonly pending = new Map<string, { resolve: (el: Element) => void; reject: (err: Error) => void }>();
  private readonly waiters = new Set<() => void>();
  private readonly markers = new Set<string>();
  private readonly harnessOut = new WeakSet<object>();
  private online = false;
  /** What the TLS transport's tls.connect() gets: the socket start() connected (and upgraded with STARTTLS). */
  private tlsParameters?: ReturnType<typeof tlsOptions>;
  private seq = 0;
  private static ids = 0;

  constructor(
    readonly label: string,
    private readonly endpoint: Endpoint,
    private readonly creds: Credentials,
    resource: string,
    private readonly transcript: Transcript,
    opts: { ackPushes?: boolean } = {},
  ) {
    const security = endpoint.security ?? PLAINTEXT;
    this.xmpp = client({
      // TLS sessions get a socket the harness connected itself (see start()): @xmpp/client takes no TLS options.
      service: `${security.tls === "none" ? "xmpp" : "xmpps"}://${endpoint.host}:${endpoint.port}`,
      domain: endpoint.domain,
      resource,
      credentials: (async (authenticate: (c: unknown, m: string) => Promise<void>, mechanisms: string[]) => {
        const acceptable = [...SCRAM, ...(plainAllowed(endpoint) ? ["PLAIN"] : [])];
        const mechanism = acceptable.find((m) => mechanisms.includes(m));
        if (!mechanism) throw new Error(`no acceptable SASL mechanism: the server offers ${mechanisms.join(", ") || "none"}; PLAIN is used only over TLS, on loopback or with --allow-plain`);
        this.mechanism = mechanism;
        await authenticate({ username: creds.username, password: creds.password }, mechanism);
      }) as never,
    });
    this.xmpp.reconnect.stop();
    // Ours first: the factory creates the first registered mechanism of a name, and the library's SCRAM-SHA-1 is slow.
    const factory = (this.xmpp as unknown as { saslFactory: { _mechs: { name: string; mech: unknown }[] } }).saslFactory;
    factory._mechs.unshift(...SCRAM.map((name) => ({ name, mech: scramMechanism(name) })));
    // @xmpp/connection throws from a socket event (uncaught) when bytes arrive after the stream closed.
    const conn = this.xmpp as unknown as { _onData(d: Buffer): void; parser: unknown; socketParameters(): unknown };
    const onData = conn._onData;
    conn._onData = function (this: typeof conn, d: Buffer) {
      if (this.parser) onData.call(this, d);
    };
    if (security.tls !== "none") conn.socketParameters = () => this.tlsParameters;
    // Nagle plus delayed ACK on loopback turns many hops into ~40 ms steps (TLS sockets come from tcpConnect, which sets it).
    this.xmpp.on("connect", () => {
      const socket = (this.xmpp as unknown as { socket: unknown }).socket;
      if (socket instanceof net.Socket) socket.setNoDelay(true);
    });
    // A push left unanswered (ackPushes: false) gets no reply at all: the steps answer it, or nothing does.
    this.xmpp.iqCallee.set("jabber:iq:roster", "query", () => (opts.ackPushes === false ? new Promise(() => {}) : true));
    this.xmpp.on("error", (err: Error) => this.transcript.add(this.label, "note", `error: ${err.message}`));
    this.xmpp.on("element", (el: Element) => this.onElement(el));
    this.xmpp.on("send", (el: Element) => {
      const harness = !this.online || this.harnessOut.has(el);
      this.transcript.add(this.label, "out", el.toString(), harness);
    });
    this.xmpp.on("disconnect", () => this.end("the connection closed"));
    this.xmpp.on("offline", () => this.end("the session went offline"));
  }

  get isOpen(): boolean {
    return this.online && !this.closedReason;
  }

  async start(timeoutMs: number): Promise<void> {
    const who = `${this.creds.username}@${this.endpoint.domain}`;
    // The library limits each login step to 2 s of its own; a loaded server (a thousand logins at once) needs the caller's limit.
    (this.xmpp as unknown as { timeout: number }).timeout = timeoutMs;
    try {
      await this.connectTls(timeoutMs);
      this.jid = await withTimeout(this.startStream(), timeoutMs, "no session");
      this.online = true;
      this.transcript.add(this.label, "note", `online as ${this.jid}`, true);
    } catch (err) {
      await this.close();
      const e = err as Error & { condition?: string; code?: string };
      const why = isTlsError(e) ? describeTlsError(e, this.endpoint) : e.condition || e.message || e.name || String(err);
      throw new Error(`cannot log in as ${who} at ${this.endpoint.host}:${this.endpoint.port}: ${why}`);
    }
  }

  /**
   * What @xmpp/connection's start() does, with one difference: its "online" promise rejects on the first
   * "error" event, and when that comes (a refused login) before the stream's "open" is awaited, nothing
   * handles it and Node ends the process. Here it is handled from the start.
   */
  private async startStream(): Promise<string> {
    const conn = this.xmpp as unknown as { options: { service: string; domain: string }; connect(service: string): Promise<void>; open(o: { domain: string }): Promise<void> };
    let settle = (_: string | Error) => {};
    const online = new Promise<string>((resolve, reject) => {
      const onOnline = (jid: unknown) => settle(String(jid));
      const onError = (err: Error) => settle(err);
      settle = (v) => {
        this.xmpp.off("online", onOnline);
        this.xmpp.off("error", onError);
        if (v instanceof Error) reject(v);
        else resolve(v);
      };
      this.xmpp.on("online", onOnline);
      this.xmpp.on("error", onError);
    });
    online.catch(() => {});
    await conn.connect(conn.options.service);
    await conn.open({ domain: conn.options.domain });
    return online;
  }

  /** For TLS: connects, negotiates STARTTLS when asked to, and leaves the handshake to the library's TLS transport. */
  private async connectTls(timeoutMs: number): Promise<void> {
    const tls = this.endpoint.security?.tls ?? "none";
    if (tls === "none") return;
    if (tls === "starttls") {
      const { socket, features } = await negotiateStartTls(this.endpoint, timeoutMs);
      this.featuresBeforeTls = features;
      this.transcript.add(this.label, "note", "STARTTLS negotiated", true);
      this.tlsParameters = tlsOptions(this.endpoint, socket);
    } else {
      this.tlsParameters = tlsOptions(this.endpoint, await tcpConnect(this.endpoint, timeoutMs));
    }
  }

  private onElement(el: Element): void {
    if (!this.online) {
      if (el.is("features", "http://etherx.jabber.org/streams")) {
        this.featuresBeforeAuth ??= el;
        this.features = el;
      }
      this.transcript.add(this.label, "in", el.toString(), true);
      return;
    }
    const id = el.attrs.id as string | undefined;
    const reply = el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") && id && this.pending.get(id);
    const marker = el.name === "message" && el.getChild("barrier", BARRIER_NS);
    this.transcript.add(this.label, "in", el.toString(), Boolean(reply || marker));
    if (reply) {
      this.pending.delete(id!);
      reply.resolve(el);
    } else if (marker) {
      if (el.attrs.type !== "error") this.markers.add(String(marker.attrs.token));
    } else if (STANZAS.has(el.name)) {
      this.inbox.push({ el, at: this.transcript.now(), seq: this.seq++, consumed: false });
    } else {
      return;
    }
    for (const wake of [...this.waiters]) wake();
  }

  private end(reason: string): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    for (const { reject } of this.pending.values()) reject(new Error(`${this.label}: ${reason}`));
    this.pending.clear();
    for (const wake of [...this.waiters]) wake();
  }

  /** Sends a stanza as the scenario wrote it. */
  async send(el: Element): Promise<void> {
    if (!this.isOpen) throw new Error(`${this.label} cannot send: ${this.closedReason ?? "not connected"}`);
    await this.xmpp.send(el);
  }

  /** Sends an IQ on the harness's behalf and resolves with its reply (result or error, never a rejection for an error reply). */
  async request(el: Element, timeoutMs: number, harness = true): Promise<Element> {
    if (!this.isOpen) throw new Error(`${this.label} cannot send: ${this.closedReason ?? "not connected"}`);
    const id = (el.attrs.id ??= `xc${++Session.ids}`);
    if (harness) this.harnessOut.add(el);
    const reply = new Promise<Element>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}: no reply to <iq id='${id}'> within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
    reply.catch(() => {}); // a rejection before anyone awaits must not kill the process
    await this.xmpp.send(el);
    return reply;
  }

  /** XEP-0199 ping to the server: everything the server queued for us before the reply has arrived. */
  ping(timeoutMs: number): Promise<Element> {
    return this.request(xml("iq", { type: "get", to: this.endpoint.domain }, xml("ping", { xmlns: "urn:xmpp:ping" })), timeoutMs);
  }

  async sendMarker(to: string, token: string): Promise<void> {
    const el = xml("message", { to, id: `mk-${token}` }, xml("barrier", { xmlns: BARRIER_NS, token }));
    this.harnessOut.add(el);
    await this.send(el);
  }

  hasMarker(token: string): boolean {
    return this.markers.has(token);
  }

  /**
   * Re-evaluates `probe` on every arrival until it returns a value, the session ends or time runs out.
   * This is how every expectation waits: no polling, no sleeps.
   */
  waitUntil<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const first = probe();
    if (first !== undefined || this.closedReason) return Promise.resolve(first);
    return new Promise((resolve) => {
      const finish = (v: T | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(v);
      };
      const check = () => {
        const v = probe();
        if (v !== undefined || this.closedReason) finish(v);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Marks everything received so far as seen (set-up traffic is not for the scenario's expectations). */
  consumeAll(): void {
    for (const r of this.inbox) r.consumed = true;
  }

  /** Closes the stream politely (the server then sends unavailable presence on our behalf). */
  async close(): Promise<void> {
    this.end("closed by the harness");
    try {
      await withTimeout(this.xmpp.stop(), 2000, "stream close");
    } catch {
      /* already gone */
    }
    this.destroySocket();
  }

  /** Cuts the TCP connection without closing the stream, as a crashed client would. */
  drop(): void {
    this.end("connection dropped by the harness");
    this.destroySocket();
  }

  /** The TCP (or TLS) socket under the library's socket, which for TLS is a wrapper without destroy(). */
  private destroySocket(): void {
    const socket = (this.xmpp as unknown as { socket?: net.Socket | { socket?: net.Socket } }).socket;
    (socket instanceof net.Socket ? socket : socket?.socket)?.destroy();
    this.tlsParameters?.socket?.destroy();
  }
}
