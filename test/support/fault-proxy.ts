import net from "node:net";
import Parser from "@xmpp/xml/lib/Parser.js";
import type { Element } from "ltx";

/** One client connection through the proxy, as far as the proxy has seen it. */
export interface ProxiedConnection {
  /** The full JID the server bound, once it has. */
  jid?: string;
}

/** Decides, per stanza the server sends to a client: pass it, drop it, cut the connection, or send these instead. */
export type Fault = (stanza: Element, conn: ProxiedConnection) => "pass" | "drop" | "disconnect" | Element[];

/**
 * A TCP proxy between the harness and a real server (plaintext only) that parses what the server sends,
 * stanza by stanza, and lets a fault drop stanzas: a server that breaks a rule, made from one that keeps it.
 * Client-to-server bytes pass untouched. With no fault it is transparent.
 */
export class FaultProxy {
  fault: Fault | undefined;
  private readonly server = net.createServer((client) => this.pipe(client));
  private readonly sockets = new Set<net.Socket>();

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
    const conn: ProxiedConnection = {};
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
      s.on("error", () => {});
    }
    client.on("data", (d) => upstream.write(d));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());

    let parser = this.newParser(client, conn);
    upstream.setEncoding("utf8");
    upstream.on("data", (chunk: string) => {
      // Each (re)started stream gets a fresh parser: the server sends a new <stream:stream> after SASL.
      const at = chunk.indexOf("<stream:stream");
      if (at < 0) return parser.write(chunk);
      if (at > 0) parser.write(chunk.slice(0, at));
      const end = chunk.indexOf(">", at) + 1;
      client.write(chunk.slice(0, end).replace(/^[^<]*/, ""));
      parser = this.newParser(client, conn);
      parser.write(chunk.slice(at, end));
      parser.write(chunk.slice(end));
    });
  }

  private newParser(client: net.Socket, conn: ProxiedConnection): Parser {
    const parser = new Parser();
    parser.on("element", (el: Element) => {
      const bound = el.name === "iq" && el.getChild("bind", "urn:ietf:params:xml:ns:xmpp-bind")?.getChildText("jid");
      if (bound) conn.jid = bound;
      const action = this.fault?.(el, conn) ?? "pass";
      if (action === "disconnect") client.destroy();
      else if (action === "pass") client.write(el.toString());
      else if (action !== "drop") for (const x of action) client.write(x.toString());
    });
    parser.on("end", () => client.write("</stream:stream>"));
    return parser;
  }
}
