import http from "node:http";
import https from "node:https";
import { gunzipSync, inflateSync } from "node:zlib";
import type { Security } from "../wire/endpoint.ts";
import type { Transcript } from "./transcript.ts";
import { unreadInKernels } from "../wire/unread-bytes.ts";

/** What the connection manager answered to one request: the HTTP status, header fields, the body's text, and when. */
export interface BoshAnswer {
  status: number;
  /** Lowercase names; a repeated field joined with ", " as node:http does. */
  headers: Record<string, string>;
  text: string;
  /** Arrival order over the connection's answers, from 1. */
  seq: number;
  at: number;
}

/** One request of a BOSH connection and, once it came, its answer (or why none can come). */
export interface BoshExchange {
  /** The 'rid' as the case wrote it, if any. */
  rid?: string;
  body: string;
  /** When it went (transcript time). */
  postedAt: number;
  answer?: BoshAnswer | { failed: string };
  /** A 'receives body' step took this answer. */
  taken: boolean;
}

/**
 * A BOSH connection of a case (XEP-0124): an HTTP client of the target's BOSH endpoint that posts the `<body/>`
 * requests the steps write, as written, each at once on a connection of its own (a held request keeps its
 * connection), and keeps every answer in the order requests were made, with the order answers arrived in. No
 * 'rid' or 'sid' of its own, no request it was not told to make: the case is the client.
 */
export class BoshClient {
  readonly exchanges: BoshExchange[] = [];
  private readonly agent: http.Agent;
  private readonly outstanding = new Set<http.ClientRequest>();
  private readonly waiters = new Set<() => void>();
  private arrivals = 0;

  constructor(
    readonly label: string,
    private readonly url: string,
    private readonly transcript: Transcript,
    security?: Pick<Security, "ca" | "insecure">,
  ) {
    const secure = url.startsWith("https:");
    this.agent = secure ? new https.Agent({ keepAlive: true, ...(security?.ca && { ca: security.ca }), rejectUnauthorized: !security?.insecure }) : new http.Agent({ keepAlive: true });
  }

  /**
   * Posts one request with these header fields (lowercase names); its answer comes to `exchanges`. Resolves once the
   * connection manager has read the whole request (the kernels hold none of it unread), or at `timeoutMs`: a request
   * posted next comes after it, so a case decides the order in which they arrive.
   */
  async post(body: string, headers: Record<string, string>, timeoutMs: number): Promise<BoshExchange> {
    const exchange: BoshExchange = { ...(ridOf(body) !== undefined && { rid: ridOf(body) }), body, postedAt: this.transcript.now(), taken: false };
    this.exchanges.push(exchange);
    const fields = Object.entries(headers).filter(([k, v]) => !(k === "content-type" && v === DEFAULT_CONTENT_TYPE));
    this.transcript.add(this.label, "out", `POST ${fields.length ? `(${fields.map(([k, v]) => `${k}: ${v}`).join(", ")}) ` : ""}${body}`);
    const req = (this.url.startsWith("https:") ? https : http).request(this.url, {
      method: "POST",
      agent: this.agent,
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
    });
    this.outstanding.add(req);
    const settle = (answer: BoshExchange["answer"]) => {
      if (!this.outstanding.delete(req)) return;
      exchange.answer = answer;
      const type = answer && !("failed" in answer) ? answer.headers["content-type"] : undefined;
      this.transcript.add(
        this.label,
        "in",
        "failed" in answer!
          ? `no answer to rid ${exchange.rid ?? "(none)"}: ${answer.failed}`
          : `HTTP ${answer!.status} (${type ?? "no Content-Type"}) to rid ${exchange.rid ?? "(none)"}: ${answer!.text}`,
      );
      for (const wake of this.waiters) wake();
    };
    req.on("error", (err) => settle({ failed: err.message }));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (err) => settle({ failed: err.message }));
      res.on("end", () => {
        const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v)]));
        const raw = Buffer.concat(chunks);
        // A compressed answer (XEP-0124 §5's MAY) is read as the coding it names; one that is not that coding fails.
        const coding = (headers["content-encoding"] ?? "").trim().toLowerCase();
        let text: string;
        try {
          text = (coding === "gzip" || coding === "x-gzip" ? gunzipSync(raw) : coding === "deflate" ? inflateSync(raw) : raw).toString("utf8");
        } catch (err) {
          return settle({ failed: `an answer with Content-Encoding: ${coding} that is not: ${(err as Error).message}` });
        }
        settle({ status: res.statusCode ?? 0, headers, text, seq: ++this.arrivals, at: this.transcript.now() });
      });
    });
    const read = new Promise<void>((resolve) => {
      const deadline = Date.now() + timeoutMs;
      req.once("socket", (socket) => {
        const check = () => {
          if (exchange.answer || Date.now() > deadline || (!socket.connecting && socket.writableLength === 0 && req.writableFinished && unreadInKernels(socket) === 0)) return resolve();
          setTimeout(check, 1);
        };
        req.once("finish", check);
      });
      req.once("error", () => resolve());
    });
    req.end(body);
    await read;
    return exchange;
  }

  /** Waits until `probe` holds (an answer came), or `timeoutMs`; every answer wakes it. */
  async waitUntil<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const now = probe();
    if (now !== undefined) return now;
    return new Promise((resolve) => {
      const wake = () => {
        const found = probe();
        if (found === undefined) return;
        done(found);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const done = (found: T | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(found);
      };
      this.waiters.add(wake);
    });
  }

  /** Cuts every request still held: the case is over (the connection manager ends the session after its inactivity). */
  close(): void {
    for (const req of this.outstanding) req.destroy();
    this.outstanding.clear();
    this.agent.destroy();
    for (const wake of this.waiters) wake();
  }
}

export const DEFAULT_CONTENT_TYPE = "text/xml; charset=utf-8";

const ridOf = (body: string) => /^\s*<body\b[^>]*?\brid=(['"])([^'"]*)\1/.exec(body)?.[2];
