import { WebSocket, WebSocketServer, type RawData } from "ws";

/** A message from the server, as the proxy forwards it (or not). */
export interface Message {
  text: string;
  binary: boolean;
}

/** What a fault does with a message from the server: pass it, drop it, send these instead, or cut the connection. */
export type FrameAction = "pass" | "drop" | "cut" | Message[];

/** What a fault knows of its connection: how many <open/> the server sent so far, and what it held back. */
export interface FrameContext {
  opens: number;
  held?: Message;
}

export type FrameFault = (m: Message, ctx: FrameContext) => FrameAction;

/**
 * The fault proxy of the WebSocket binding (RFC 7395): a WebSocket endpoint on loopback in front of a real
 * server's, forwarding every message both ways as it came (subprotocol 'xmpp' both ways), and giving each
 * message from the server to `fault`, which may rewrite, split, merge, drop it or cut the connection without the
 * closing handshake. Its faults are in xep/connections.ts.
 */
export class WebSocketFaultProxy {
  fault?: FrameFault;
  /**
   * Which connections the fault applies to, by the client's first message. The default: raw connections of cases,
   * whose <open/> puts 'to' first (or is not in the framing namespace at all); the harness's own sessions
   * (xmpp.js: 'version' first) and readiness checks ('xmlns' first) are left alone, so that a fault breaks the
   * case, not the run's set-up.
   */
  scope: (first: string) => boolean = (first) => /^<open to=/.test(first) || !/xmlns=(['"])urn:ietf:params:xml:ns:xmpp-framing\1/.test(first);
  private server?: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly upstream: string) {}

  /** Listens on a free loopback port; resolves with the ws:// URL to give the harness. */
  async listen(): Promise<string> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0, handleProtocols: (p) => (p.has("xmpp") ? "xmpp" : false) });
    this.server = server;
    await new Promise<void>((resolve) => server.once("listening", resolve));
    server.on("connection", (client) => this.pipe(client));
    const { port } = server.address() as { port: number };
    return `ws://127.0.0.1:${port}${new URL(this.upstream).pathname}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private pipe(client: WebSocket): void {
    const upstream = new WebSocket(this.upstream, ["xmpp"]);
    const ctx: FrameContext = { opens: 0 };
    const early: RawData[] = [];
    let faulty: boolean | undefined;
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => this.sockets.delete(s));
    }
    upstream.on("open", () => early.splice(0).forEach((d) => upstream.send(d.toString())));
    client.on("message", (data) => {
      faulty ??= this.scope(data.toString());
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data.toString());
      else early.push(data);
    });
    upstream.on("message", (data, binary) => {
      const m = { text: data.toString(), binary };
      if (/^<open[\s/>]/.test(m.text)) ctx.opens++;
      const action = (faulty && this.fault?.(m, ctx)) || "pass";
      if (action === "cut") return void client.terminate();
      if (action === "drop") return;
      for (const x of action === "pass" ? [m] : action) client.send(x.text, { binary: x.binary });
    });
    client.on("close", () => upstream.close());
    upstream.on("close", (code) => client.close(code === 1005 || code === 1006 ? 1000 : code));
  }
}
