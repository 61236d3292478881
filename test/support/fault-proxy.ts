import net from "node:net";
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
  /** Writes a stanza to this client as if the server had sent it. */
  deliver(el: Element): void;
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

const bare = (jid = "") => jid.split("/")[0];
/** Accounts are named xc-<run>-<case>-<name>: the case is the scope a leak is injected into. */
const caseOf = (jid = "") => /^(xc-[0-9a-f]+-\d+)-/.exec(jid)?.[1];

/**
 * Splits one direction of an XMPP stream into stanzas. Each (re)started stream gets a fresh parser: after
 * SASL both sides send a new <stream:stream> header on the same connection.
 */
class StreamReader {
  private parser: Parser;

  constructor(private readonly onHeader: (raw: string) => void, private readonly onElement: (el: Element) => void, private readonly onEnd: () => void) {
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
    if (at < 0) return this.parser.write(chunk);
    if (at > 0) this.parser.write(chunk.slice(0, at));
    const end = chunk.indexOf(">", at) + 1;
    this.onHeader(chunk.slice(0, end).replace(/^[^<]*/, ""));
    this.parser = this.fresh();
    this.parser.write(chunk.slice(at, end));
    this.feed(chunk.slice(end));
  }
}

/**
 * A TCP proxy between the harness and a real server (plaintext only): a server that breaks one rule, made
 * from one that keeps it. It reads both directions stanza by stanza, knows each connection's bound JID,
 * presence, priority and roster interest, and lets a fault drop, rewrite, duplicate or cut what the server
 * sends, or inject stanzas into other connections of the same case (leaks). Without a fault it only
 * re-serialises what passes, which the transparent-proxy test shows changes no verdict.
 */
export class FaultProxy {
  fault: Fault | undefined;
  private readonly server = net.createServer((client) => this.pipe(client));
  private readonly sockets = new Set<net.Socket>();
  private readonly live = new Set<ProxiedConnection>();
  private ids = 0;

  constructor(private readonly upstream: { host: string; port: number }) {}

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private pipe(client: net.Socket): void {
    const upstream = net.connect(this.upstream);
    const conn: ProxiedConnection = {
      id: ++this.ids,
      available: false,
      priority: 0,
      interested: false,
      versioning: false,
      deliver: (el) => client.write(el.toString()),
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
    upstream.on("close", () => client.destroy());

    // Client to server: forwarded byte for byte, read only to know the connection's state.
    const fromClient = new StreamReader(() => {}, (el) => this.observe(conn, el), () => {});
    client.setEncoding("utf8");
    client.on("data", (chunk: string) => {
      upstream.write(chunk);
      fromClient.feed(chunk);
    });

    const ctx: FaultContext = {
      conn,
      peers: () => [...this.live].filter((c) => c !== conn && c.jid && caseOf(c.jid) === caseOf(conn.jid)),
    };
    const fromServer = new StreamReader(
      (header) => client.write(header),
      (el) => {
        const bound = el.name === "iq" && el.getChild("bind", "urn:ietf:params:xml:ns:xmpp-bind")?.getChildText("jid");
        if (bound) conn.jid = bound;
        const action = (conn.jid && this.fault?.(el, ctx)) || "pass";
        if (action === "disconnect") client.destroy();
        else if (action === "pass") client.write(el.toString());
        else if (action !== "drop") for (const x of action) client.write(typeof x === "string" ? x : x.toString());
      },
      () => client.write("</stream:stream>"),
    );
    upstream.setEncoding("utf8");
    upstream.on("data", (chunk: string) => fromServer.feed(chunk));
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
