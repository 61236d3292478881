import net from "node:net";
import tls from "node:tls";
import Parser from "@xmpp/xml/lib/Parser.js";
import type { Element } from "ltx";

/** One client connection through the proxy, as far as the proxy has seen it. */
export interface ProxiedConnection {
  readonly id: number;
  /** The full JID the server bound, once it has. */
  jid?: string;
  /** The client sent available presence (and not unavailable since). */
  available: boolean;
  priority: number;
  /** The client sent a roster get: an interested resource. */
  interested: boolean;
  /** The client sent a roster get with 'ver': roster versioning is enabled for it (RFC 6121 §2.6). */
  versioning: boolean;
  /** The client's latest stream header, as it sent it. */
  clientHeader?: string;
  /** How many stream headers the server has sent on this connection (1, then one per restart). */
  serverHeaders: number;
  /** Writes a stanza to this client as if the server had sent it. */
  deliver(el: Element): void;
  /** Writes a stanza to the server as if this client had sent it (after what the client sent so far). */
  send?(el: Element): void;
  /** Ends this client's connection as if the server had: `tail` written (a closing stream tag, or nothing), then the TCP connection closed. */
  end?(tail: string): void;
}

export interface FaultContext {
  conn: ProxiedConnection;
  /** The other live connections of the same test case (accounts of one case share a name prefix). */
  peers(): ProxiedConnection[];
}

/**
 * What happens to a stanza the server sends: passed, dropped, the connection cut, or these sent instead
 * (a string is written as it is: raw XML, whitespace between stanzas).
 */
export type FaultAction = "pass" | "drop" | "disconnect" | (Element | string)[];
export type Fault = (stanza: Element, ctx: FaultContext) => FaultAction;

/**
 * A fault in the stream itself (RFC 6120): the server's stream headers, every first-level element whether the
 * connection is bound or not (features, SASL and bind answers, stream errors), and its closing tag.
 */
export interface StreamFault {
  /** The server's stream header (the open tag as sent) → what the client gets instead. */
  header?: (raw: string, ctx: FaultContext) => string;
  element?: Fault;
  /** The server's closing tag → what the client gets instead ("" for none). */
  close?: (ctx: FaultContext) => string;
  /** Sees what each client sends (forwarded unchanged): for faults that depend on how a stanza was addressed. */
  fromClient?: (el: Element, ctx: FaultContext) => void;
  /** The server closed the TCP connection → whether the client's stays open (a server that never disconnects it). */
  holdOpen?: (ctx: FaultContext) => boolean;
}

const bare = (jid = "") => jid.split("/")[0];
/** Accounts are named xc-<run>-<case>-<name>: the case is the scope a leak is injected into. */
const caseOf = (jid = "") => /^(xc-[0-9a-f]+-\d+)-/.exec(jid)?.[1];

/**
 * Splits one direction of an XMPP stream into stanzas. Each (re)started stream gets a fresh parser: after
 * SASL both sides send a new <stream:stream> header on the same connection.
 */
class StreamReader {
  private parser: Parser;

  constructor(
    private readonly onHeader: (raw: string) => void,
    private readonly onElement: (el: Element) => void,
    private readonly onEnd: () => void,
  ) {
    this.parser = this.fresh();
  }

  private fresh(): Parser {
    const parser = new Parser();
    parser.on("element", (el: Element) => this.onElement(el));
    parser.on("end", () => this.onEnd());
    parser.on("error", () => {});
    return parser;
  }

  feed(chunk: string): void {
    const at = chunk.indexOf("<stream:stream");
    if (at < 0) return this.write(chunk);
    if (at > 0) this.write(chunk.slice(0, at));
    const end = chunk.indexOf(">", at) + 1;
    this.onHeader(chunk.slice(0, end).replace(/^[^<]*/, ""));
    this.parser = this.fresh();
    this.write(chunk.slice(at, end));
    this.feed(chunk.slice(end));
  }

  /** The parser throws on some bad input (an unknown entity) instead of emitting an error: bad input is what some cases send. */
  private write(text: string): void {
    try {
      this.parser.write(text);
    } catch {
      /* the server answers it; the proxy only reads along */
    }
  }
}

/**
 * Set-up chaos: what servers in the wild do to connections that are being set up (a new stream killed with
 * <internal-server-error/> just after another account was removed, a reset under load). A chosen share of
 * the connections is killed before it is bound to a resource (registration streams, logins, the login of
 * an account's removal): at the accept, or in place of the n-th element the server sends. Bound
 * connections, where the steps run, are never touched: a kill there is a verdict, not set-up.
 */
export interface Chaos {
  /** Share of new connections to kill, 0..1. */
  rate: number;
  /** Seed of the choices, so a run can be repeated exactly. */
  seed: number;
}

/** mulberry32: a small seeded generator, enough for reproducible choices. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";

const INTERNAL_ERROR = "<stream:error><internal-server-error xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>";

/**
 * A TCP proxy between the harness and a real server (plaintext, or STARTTLS when given a certificate: it then
 * ends TLS on both sides at <proceed/> and goes on reading in the clear): a server that breaks one rule, made
 * from one that keeps it. It reads both directions stanza by stanza, knows each connection's bound JID,
 * presence, priority and roster interest, and lets a fault drop, rewrite, duplicate or cut what the server
 * sends, or inject stanzas into other connections of the same case (leaks). Without a fault it only
 * re-serialises what passes, which the transparent-proxy test shows changes no verdict.
 */
export class FaultProxy {
  fault: Fault | undefined;
  streamFault: StreamFault | undefined;
  /**
   * Bytes per second the proxy reads from each client, as a server with rate limits does (Prosody's
   * mod_limits, ejabberd's shapers): after each chunk it takes from the socket it stops reading for as long
   * as the chunk is worth. Undefined: it reads as fast as the client sends.
   */
  throttle: number | undefined;
  /** Set-up chaos (see Chaos); undefined: none. */
  private chaos?: { rate: number; random: () => number };
  /** Connections seen, those chaos killed (by stream error, by reset) since chaos was set, and the server's elements a fault changed, dropped or cut at. */
  readonly stats = { connections: 0, killed: 0, streamErrors: 0, resets: 0, altered: 0 };
  /** What faults threw, as they threw it: close() fails on any. */
  private readonly thrown: string[] = [];
  private readonly server = net.createServer((client) => this.pipe(client));
  private readonly sockets = new Set<net.Socket>();
  private readonly live = new Set<ProxiedConnection>();
  private ids = 0;

  constructor(
    private readonly upstream: { host: string; port: number },
    /** The domain's key and certificate (PEM, from the run's CA): the proxy takes part in STARTTLS (RFC 6120 §5) instead of passing it on. */
    private readonly tlsCert?: { key: string; cert: string },
  ) {}

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  setChaos(chaos: Chaos | undefined): void {
    this.chaos = chaos && { rate: chaos.rate, random: seeded(chaos.seed) };
    Object.assign(this.stats, { connections: 0, killed: 0, streamErrors: 0, resets: 0 });
  }

  /** Closes the proxy; a fault or variation that threw meanwhile (its stanza passed unchanged) fails the closing. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
    if (this.thrown.length > 0) throw new Error(`a fault threw on ${this.thrown.length} stanzas, which passed unchanged: ${[...new Set(this.thrown)].join("; ")}`);
  }

  private pipe(client: net.Socket): void {
    this.stats.connections++;
    // Set-up chaos: this connection dies at its n-th element from the server (0: at once), unless bound by then.
    const doom = this.chaos && this.chaos.random() < this.chaos.rate ? { at: Math.floor(this.chaos.random() * 6), reset: this.chaos.random() < 0.5 } : undefined;
    const kill = () => {
      this.stats.killed++;
      if (doom!.reset) {
        this.stats.resets++;
        client.resetAndDestroy();
      } else {
        this.stats.streamErrors++;
        client.end(INTERNAL_ERROR);
      }
    };
    if (doom?.at === 0) {
      client.on("error", () => {});
      this.stats.killed++;
      this.stats.resets++;
      client.resetAndDestroy();
      return;
    }
    let fromServerCount = 0;
    const upstream = net.connect(this.upstream);
    // The sockets the XML goes through: after STARTTLS, the TLS sockets over the two TCP ones.
    let toClient: net.Socket = client;
    let toServer: net.Socket = upstream;
    const conn: ProxiedConnection = {
      id: ++this.ids,
      available: false,
      priority: 0,
      interested: false,
      versioning: false,
      serverHeaders: 0,
      deliver: (el) => toClient.write(el.toString()),
      send: (el) => toServer.write(el.toString()),
      end: (tail) => {
        if (tail) toClient.write(tail);
        // Once what was written has gone, the connection is cut (no wait for the client's own close).
        toClient.end(() => client.destroy());
      },
    };
    this.live.add(conn);
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
      s.on("error", () => {});
    }
    client.on("close", () => {
      this.live.delete(conn);
      upstream.destroy();
    });
    upstream.on("close", () => {
      if (!this.streamFault?.holdOpen?.(ctx)) client.destroy();
    });

    const ctx: FaultContext = {
      conn,
      peers: () => [...this.live].filter((c) => c !== conn && c.jid && caseOf(c.jid) === caseOf(conn.jid)),
    };
    // Client to server: forwarded byte for byte, read only to know the connection's state.
    const fromClient = new StreamReader(
      (header) => (conn.clientHeader = header),
      (el) => {
        this.observe(conn, el);
        this.streamFault?.fromClient?.(el, ctx);
      },
      () => {},
    );
    const onClientData = (chunk: string) => {
      toServer.write(chunk);
      fromClient.feed(chunk);
      if (!this.throttle) return;
      const from = toClient;
      from.pause();
      setTimeout(() => from.resume(), (Buffer.byteLength(chunk) / this.throttle) * 1000);
    };
    client.setEncoding("utf8");
    client.on("data", onClientData);

    const fromServer = new StreamReader(
      (header) => {
        conn.serverHeaders++;
        toClient.write(this.streamFault?.header?.(header, ctx) ?? header);
      },
      (el) => {
        if (doom && !conn.jid && ++fromServerCount === doom.at) {
          kill();
          upstream.destroy();
          return;
        }
        const bound = el.name === "iq" && el.getChild("bind", "urn:ietf:params:xml:ns:xmpp-bind")?.getChildText("jid");
        if (bound) conn.jid = bound;
        // The parser's callers swallow what a callback throws (bad input is what some cases send): a fault that
        // throws is told at close, and its stanza passes as it came.
        let action: FaultAction;
        try {
          action = this.streamFault?.element?.(el, ctx) ?? ((conn.jid && this.fault?.(el, ctx)) || "pass");
        } catch (e) {
          this.thrown.push(String(e));
          action = "pass";
        }
        if (action !== "pass") this.stats.altered++;
        if (action === "disconnect") client.destroy();
        else if (action === "pass") toClient.write(el.toString());
        else if (action !== "drop") for (const x of action) toClient.write(typeof x === "string" ? x : x.toString());
        if (this.tlsCert && action === "pass" && el.name === "proceed" && el.attrs.xmlns === TLS_NS) startTls();
      },
      () => toClient.write(this.streamFault?.close?.(ctx) ?? "</stream:stream>"),
    );
    const onServerData = (chunk: string) => fromServer.feed(chunk);
    upstream.setEncoding("utf8");
    upstream.on("data", onServerData);

    // After <proceed/> both sides start TLS: the proxy is the server to the client (with the domain's certificate
    // of the run's CA) and a client to the server, and reads the streams inside as before.
    const startTls = () => {
      client.off("data", onClientData);
      upstream.off("data", onServerData);
      const secure = [new tls.TLSSocket(client, { isServer: true, secureContext: tls.createSecureContext(this.tlsCert) }), tls.connect({ socket: upstream, rejectUnauthorized: false })] as const;
      [toClient, toServer] = secure;
      for (const s of secure) {
        this.sockets.add(s);
        s.on("error", () => s.destroy());
        s.setEncoding("utf8");
      }
      secure[0].on("data", onClientData);
      secure[1].on("data", onServerData);
    };
  }

  private observe(conn: ProxiedConnection, el: Element): void {
    if (el.name === "presence" && !el.attrs.to) {
      conn.available = el.attrs.type === undefined;
      conn.priority = Number(el.getChildText("priority") ?? 0) || 0;
    } else if (el.name === "iq" && el.attrs.type === "get" && el.getChild("query", "jabber:iq:roster")) {
      conn.interested = true;
      if (el.getChild("query", "jabber:iq:roster")!.attrs.ver !== undefined) conn.versioning = true;
    }
  }
}

export { bare, caseOf };
