import http from "node:http";
import type { Socket } from "node:net";

/** One request as the proxy saw it, and what it knows of its session. */
export interface BoshRequest {
  text: string;
  rid?: string;
  sid?: string;
  /** A session creation request (no 'sid'). */
  creation: boolean;
  /** A request of a session a case's BOSH connection made (its creation had a 'rid' the case wrote, below a million), not of the harness's own sessions. */
  ofCase: boolean;
  /** The request's HTTP header fields (lowercase names), as the client sent them. */
  headers: Record<string, string>;
}

/** The connection manager's answer, as the proxy passes it on. */
export interface BoshReply {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * A bug of a connection manager: it may change a request before it goes on (`request`), change the answer
 * (`answer`, which may wait: the proxy sends what it resolves to), or write bytes of its own instead of the
 * answer (`raw`: no HTTP answer at all, or one whose body is binary, a compressed one). State lives in the fault's closure.
 */
export interface BoshFault {
  request?: (r: BoshRequest) => string;
  answer?: (r: BoshRequest, a: BoshReply) => BoshReply | Promise<BoshReply>;
  raw?: (r: BoshRequest, a: BoshReply) => string | Buffer | undefined;
}

/**
 * An HTTP proxy in front of a local server's BOSH endpoint: every POST goes on as a request of its own (held
 * requests stay held), and the fault may change what passes. Only the sessions of the cases' BOSH connections
 * are touched: the run's own sessions log in through the proxy too, and their 'rid's are large random numbers.
 */
export class BoshFaultProxy {
  fault: BoshFault | undefined;
  private readonly server: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly caseSids = new Set<string>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly upstream: string) {
    this.server = http.createServer((req, res) => void this.pass(req, res));
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  /** Listens on a free loopback port; the URL to give the run instead of the upstream's. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}${new URL(this.upstream).pathname}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.agent.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async pass(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const attr = (name: string) => new RegExp(`^\\s*<body\\b[^>]*?\\b${name}=(['"])([^'"]*)\\1`).exec(text)?.[2];
    const [rid, sid] = [attr("rid"), attr("sid")];
    const creation = sid === undefined;
    const r: BoshRequest = {
      text,
      ...(rid !== undefined && { rid }),
      ...(sid !== undefined && { sid }),
      creation,
      ofCase: creation ? Number(rid) < 1e6 : this.caseSids.has(sid),
      headers: flat(req.headers),
    };
    const fault = r.ofCase ? this.fault : undefined;
    const body = fault?.request?.(r) ?? text;
    const headers = { ...req.headers, "content-length": String(Buffer.byteLength(body)) };
    const up = http.request(this.upstream, { method: req.method, headers, agent: this.agent }, async (u) => {
      const got: Buffer[] = [];
      for await (const c of u) got.push(c as Buffer);
      const a: BoshReply = { status: u.statusCode ?? 502, headers: flat(u.headers), text: Buffer.concat(got).toString("utf8") };
      delete a.headers["content-length"];
      delete a.headers["transfer-encoding"];
      delete a.headers.connection;
      delete a.headers["keep-alive"];
      if (creation && r.ofCase) {
        const made = /\bsid=(['"])([^'"]*)\1/.exec(a.text)?.[2];
        if (made) this.caseSids.add(made);
      }
      const raw = fault?.raw?.(r, a);
      if (raw !== undefined) {
        res.socket?.end(raw);
        return;
      }
      const out = fault?.answer ? await fault.answer(r, a) : a;
      res.writeHead(out.status, { ...out.headers, "content-length": String(Buffer.byteLength(out.text)) });
      res.end(out.text);
    });
    up.on("error", () => {
      if (!res.headersSent) res.writeHead(502).end();
    });
    up.end(body);
  }
}

const flat = (h: http.IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).flatMap(([k, v]) => (v === undefined ? [] : [[k.toLowerCase(), Array.isArray(v) ? v.join(", ") : v]])));
