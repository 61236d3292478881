import http from "node:http";
import https from "node:https";
import tls from "node:tls";
import type { Element } from "ltx";
import type { HttpStage } from "../../scenario/types.ts";
import { NS } from "../wire/ns.ts";

/** XEP-0363 §4: a slot's URLs, and the header fields the PUT must carry. */
export interface Slot {
  put: string;
  get: string;
  /** The <header/> fields of the <put/> a client copies: §4 allows only these names; a client ignores the others. */
  headers: Record<string, string>;
}

const ALLOWED = new Set(["authorization", "cookie", "expires"]);

/** The slot of an IQ result (<slot xmlns='urn:xmpp:http:upload:0'> with a <put url/> and a <get url/>), if it holds one. */
export function slotOf(el: Element): Slot | undefined {
  const slot = el.name === "iq" && el.attrs.type === "result" ? el.getChild("slot", NS.upload) : undefined;
  const put = slot?.getChild("put");
  const get = slot?.getChild("get");
  if (!put?.attrs.url || !get?.attrs.url) return undefined;
  // §4: "the requesting entity MUST strip any newline characters from the header name and value".
  const headers = Object.fromEntries(
    put
      .getChildren("header")
      .filter((h) => ALLOWED.has(String(h.attrs.name ?? "").toLowerCase()))
      .map((h) => [String(h.attrs.name).replace(/[\r\n]/g, ""), h.getText().replace(/[\r\n]/g, "")]),
  );
  return { put: String(put.attrs.url), get: String(get.attrs.url), headers };
}

/** An HTTP response as a case sees it. */
export interface HttpAnswer {
  status: number;
  /** Lowercase names. */
  headers: Record<string, string>;
  body: Buffer;
  /** The URLs a GET was redirected to, in order (the answer is the last one's). */
  redirects?: string[];
}

/** Why a request got no HTTP answer, and at which stage: what `httpRequest` rejects with. */
export class HttpFailure extends Error {
  constructor(
    readonly stage: HttpStage,
    message: string,
  ) {
    super(message);
    this.name = "HttpFailure";
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIALS = new Set(["authorization", "cookie", "proxy-authorization"]);
const loopback = (u: URL) => u.hostname === "localhost" || u.hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(u.hostname);

/**
 * A GET that follows at most `follow` redirects (3xx with a Location), each to the same origin or to a loopback
 * host only, and sends no credential header (Authorization, Cookie, Proxy-Authorization) onward: XEP-0363 §2 asks
 * that "Anyone who knows the URL" can access the file, which a URL that redirects to it allows. A redirect it
 * does not follow (elsewhere, or one too many) is the answer. Any other request: `httpRequest`.
 */
export async function httpGetFollowing(url: string, opts: { headers?: Record<string, string>; ca?: string; timeoutMs: number; follow: number }): Promise<HttpAnswer> {
  const redirects: string[] = [];
  let current = new URL(url);
  let headers = opts.headers;
  // One deadline for the request and every redirect it follows.
  const until = Date.now() + opts.timeoutMs;
  for (;;) {
    const answer = await httpRequest("GET", current.href, { ...(headers && { headers }), ...(opts.ca && { ca: opts.ca }), timeoutMs: Math.max(1, until - Date.now()) });
    const location = answer.headers.location;
    // A Location that is no URL is a redirect it does not follow: that answer is the answer.
    const next = REDIRECTS.has(answer.status) && location && URL.canParse(location, current) ? new URL(location, current) : undefined;
    if (!next || redirects.length >= opts.follow || !/^https?:$/.test(next.protocol) || !(next.origin === current.origin || loopback(next))) {
      return redirects.length > 0 ? { ...answer, redirects } : answer;
    }
    redirects.push(next.href);
    current = next;
    headers = headers && Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIALS.has(k.toLowerCase())));
  }
}

/**
 * One HTTP request with node's own client: https with the system's CAs and `ca` beside them, a deadline for the
 * whole exchange, no redirect followed, no credentials but the headers given. Rejects with an `HttpFailure`: why
 * it failed, and how far it went (a socket an agent reused had connected, and completed its handshake, before).
 */
export function httpRequest(method: "PUT" | "GET", url: string, opts: { body?: Buffer; headers?: Record<string, string>; ca?: string; timeoutMs: number }): Promise<HttpAnswer> {
  const u = new URL(url);
  const client = u.protocol === "https:" ? https : u.protocol === "http:" ? http : undefined;
  if (!client) return Promise.reject(new HttpFailure("connect", `not an http or https URL: ${url}`));
  return new Promise((resolve, fail) => {
    let stage: HttpStage = "connect";
    const reject = (err: Error) => fail(new HttpFailure(stage, err.message));
    const req = client.request(
      u,
      {
        method,
        headers: { ...(opts.body && { "content-length": String(opts.body.length) }), ...opts.headers },
        // The system's CAs, and the run's beside them.
        ...(opts.ca && u.protocol === "https:" && { ca: [...tls.rootCertificates, opts.ca] }),
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(", ") : String(v ?? "")])),
            body: Buffer.concat(chunks),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("socket", (socket) => {
      // A socket an agent reused connected, and for https completed its handshake, for an earlier request.
      if (!socket.connecting) return void (stage = "http");
      const connected = () => (stage = u.protocol === "https:" ? "tls" : "http");
      const secured = () => (stage = "http");
      socket.once("connect", connected).once("secureConnect", secured);
      // The agent may keep the socket for later requests: no listener of this one stays on it.
      req.once("close", () => socket.off("connect", connected).off("secureConnect", secured));
    });
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on("close", () => clearTimeout(deadline));
    req.on("timeout", () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on("error", reject);
    req.end(opts.body);
  });
}
