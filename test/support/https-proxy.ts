import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";

/** An HTTP exchange as the proxy passes it on: what the client asked, and the upstream's answer. */
export interface Exchange {
  method: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A bug of an upload service's HTTP side: it may answer a request itself (`respond`), close its connection after
 * the TLS handshake and the request, with no answer (`drop`), or change the upstream's answer (`answer`). State
 * (URLs put before) lives in the fault's closure.
 */
export interface HttpFault {
  respond?: (x: Exchange) => Answer | undefined;
  drop?: (x: Exchange) => boolean;
  answer?: (x: Exchange, a: Answer) => Answer;
}

/**
 * An HTTPS proxy in front of a local server's HTTPS port (its upload slots), with the same certificate: every
 * request is passed on, and the fault set now may answer it or change the answer.
 */
export class HttpsFaultProxy {
  fault: HttpFault | undefined;
  private readonly server: https.Server;

  constructor(
    private readonly upstream: { host: string; port: number; ca: string },
    tls: { cert: string; key: string },
  ) {
    this.server = https.createServer(tls, (req, res) => void this.pass(req, res));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async pass(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const x: Exchange = { method: req.method ?? "GET", path: req.url ?? "/", headers: flat(req.headers), body: Buffer.concat(chunks) };
    const fault = this.fault;
    const send = (a: Answer) => {
      res.writeHead(a.status, { ...a.headers, "content-length": String(a.body.length) });
      res.end(a.body);
    };
    if (fault?.drop?.(x)) return void req.socket.destroy();
    const own = fault?.respond?.(x);
    if (own) return send(own);
    const headers = { ...x.headers, host: `${this.upstream.host}:${this.upstream.port}` };
    const up = https.request({ host: this.upstream.host, port: this.upstream.port, method: x.method, path: x.path, headers, ca: this.upstream.ca }, async (r) => {
      const body: Buffer[] = [];
      for await (const c of r) body.push(c as Buffer);
      const a: Answer = { status: r.statusCode ?? 502, headers: flat(r.headers), body: Buffer.concat(body) };
      delete a.headers["content-length"];
      delete a.headers["transfer-encoding"];
      send(fault?.answer ? fault.answer(x, a) : a);
    });
    up.on("error", () => send({ status: 502, headers: {}, body: Buffer.alloc(0) }));
    up.end(x.body);
  }
}

const flat = (h: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(Object.entries(h).flatMap(([k, v]) => (v === undefined ? [] : [[k.toLowerCase(), Array.isArray(v) ? v.join(", ") : v]])));
