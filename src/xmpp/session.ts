import "./scram.ts";
import { client, xml } from "@xmpp/client";
import type { Element } from "ltx";
import type { Transcript } from "./transcript.ts";
import { withTimeout } from "../util/time.ts";

/** Namespace of the harness's own barrier markers; never shown to scenarios. */
export const BARRIER_NS = "urn:xmpp-conform:barrier";

export interface Endpoint {
  host: string;
  port: number;
  domain: string;
}

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
const isLoopback = (host: string) => host === "localhost" || host === "::1" || host.startsWith("127.");

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
  /** Why the session ended, once it has. */
  closedReason?: string;

  private readonly xmpp: ReturnType<typeof client>;
  private readonly pending = new Map<string, { resolve: (el: Element) => void; reject: (err: Error) => void }>();
  private readonly waiters = new Set<() => void>();
  private readonly markers = new Set<string>();
  private readonly harnessOut = new WeakSet<object>();
  private online = false;
  private seq = 0;
  private static ids = 0;

  constructor(
    readonly label: string,
    private readonly endpoint: Endpoint,
    private readonly creds: Credentials,
    resource: string,
    private readonly transcript: Transcript,
  ) {
    const plainOk = isLoopback(endpoint.host);
    this.xmpp = client({
      service: `xmpp://${endpoint.host}:${endpoint.port}`,
      domain: endpoint.domain,
      resource,
      credentials: (async (authenticate: (c: unknown, m: string) => Promise<void>, mechanisms: string[]) => {
        const mechanism = plainOk && mechanisms.includes("PLAIN") ? "PLAIN" : "SCRAM-SHA-1";
        if (!mechanisms.includes(mechanism)) throw new Error(`the server offers none of PLAIN on loopback or SCRAM-SHA-1 (offered: ${mechanisms.join(", ")})`);
        await authenticate({ username: creds.username, password: creds.password }, mechanism);
      }) as never,
    });
    this.xmpp.reconnect.stop();
    // @xmpp/connection throws from a socket event (uncaught) when bytes arrive after the stream closed.
    const conn = this.xmpp as unknown as { _onData(d: Buffer): void; parser: unknown };
    const onData = conn._onData;
    conn._onData = function (this: typeof conn, d: Buffer) {
      if (this.parser) onData.call(this, d);
    };
    // Nagle plus delayed ACK on loopback turns many hops into ~40 ms steps.
    this.xmpp.on("connect", () => (this.xmpp as unknown as { socket: { setNoDelay(v: boolean): void } }).socket.setNoDelay(true));
    this.xmpp.iqCallee.set("jabber:iq:roster", "query", () => true);
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
    try {
      const address = await withTimeout(this.xmpp.start(), timeoutMs, "no session");
      this.jid = String(address);
      this.online = true;
      this.transcript.add(this.label, "note", `online as ${this.jid}`, true);
    } catch (err) {
      await this.close();
      const e = err as Error & { condition?: string };
      throw new Error(`cannot log in as ${who} at ${this.endpoint.host}:${this.endpoint.port}: ${e.condition ?? e.message}`);
    }
  }

  private onElement(el: Element): void {
    if (!this.online) {
      if (el.is("features", "http://etherx.jabber.org/streams")) this.features = el;
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
    (this.xmpp as unknown as { socket?: { destroy(): void } }).socket?.destroy();
  }

  /** Cuts the TCP connection without closing the stream, as a crashed client would. */
  drop(): void {
    this.end("connection dropped by the harness");
    (this.xmpp as unknown as { socket?: { destroy(): void } }).socket?.destroy();
  }
}
