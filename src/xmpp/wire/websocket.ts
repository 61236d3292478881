import WebSocket from "ws";
import FramedParser from "@xmpp/websocket/lib/FramedParser.js";
import type { Element } from "ltx";
import type { Security } from "./endpoint.ts";
import { describeTlsError, isTlsError } from "./tls.ts";
import type { RawStream } from "./stream.ts";
import { withTimeout } from "../../util/time.ts";
import { NS } from "./ns.ts";
import { describeStreamError } from "./stream-error.ts";

/** Where an RFC 7395 stream goes: the ws:// or wss:// URL, and the XMPP domain (the 'to' of <open/>). */
export interface WebSocketEndpoint {
  url: string;
  domain: string;
  /** For wss://: the CAs to trust (--ca), or no certificate check at all (--insecure). */
  security?: Pick<Security, "ca" | "insecure">;
}

/**
 * The ws options of a connection: subprotocol negotiation is ws's (it refuses a server that does not select
 * "xmpp", RFC 7395 §3.1), and wss:// checks the certificate against the URL's host as any HTTPS client does.
 * No compression: RFC 7395 says nothing of it and servers differ.
 */
export function webSocketOptions(s: WebSocketEndpoint["security"], timeoutMs: number): WebSocket.ClientOptions {
  return { handshakeTimeout: timeoutMs, perMessageDeflate: false, ...(s?.ca && { ca: s.ca }), rejectUnauthorized: !s?.insecure };
}

/** Opens the WebSocket with subprotocol "xmpp" and resolves once the HTTP upgrade is done. */
export async function connectWebSocket(endpoint: WebSocketEndpoint, timeoutMs: number): Promise<WebSocket> {
  const ws = new WebSocket(endpoint.url, ["xmpp"], webSocketOptions(endpoint.security, timeoutMs));
  try {
    await withTimeout(new Promise<void>((resolve, reject) => ws.once("open", resolve).once("error", reject)), timeoutMs, `no WebSocket handshake with ${endpoint.url}`);
  } catch (err) {
    ws.terminate();
    const e = err as Error & { code?: string };
    // For wss:// the certificate names the URL's host (an HTTPS URL), not necessarily the XMPP domain.
    const { hostname, port } = new URL(endpoint.url);
    const why = isTlsError(e) ? describeTlsError(e, { host: hostname, port: Number(port || 443), domain: hostname, security: { tls: "direct", ...endpoint.security } }) : e.message;
    throw new Error(`WebSocket ${endpoint.url}: ${why}`);
  }
  ws.on("error", () => {}); // later failures show as a close, which the stream reports
  return ws;
}

/** A raw RFC 7395 stream: the server's <open/> as well as what a TCP raw stream gives, and the stream restart after SASL. */
export interface WebSocketStream extends RawStream {
  /** The server's <open/> answering ours. */
  opened: Element;
  /** RFC 7395 §3.5 (after SASL success): a new <open/> on the same WebSocket; resolves with the new features. */
  restart(): Promise<Element>;
}

/**
 * Opens an RFC 7395 stream up to the stream features: every element in its own message (§3.3.3), <open/>
 * answered by <open/> (§3.4). For readiness checks, in-band registration and tests, without a client library.
 */
export async function openWebSocketStream(endpoint: WebSocketEndpoint, timeoutMs: number): Promise<WebSocketStream> {
  const ws = await connectWebSocket(endpoint, timeoutMs);
  const waiting = new Set<{ pick: (el: Element) => boolean; resolve: (el: Element) => void }>();
  let fail: (err: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});
  const deliver = (el: Element) => {
    for (const w of waiting) {
      if (!w.pick(el)) continue;
      waiting.delete(w);
      return w.resolve(el);
    }
  };
  const parser = new FramedParser();
  parser.on("start", deliver);
  parser.on("element", (el) => {
    if (el.is("error", NS.stream)) return fail(new Error(describeStreamError(el, endpoint.domain)));
    deliver(el);
  });
  parser.on("end", () => fail(new Error(`${endpoint.url} closed the stream (<close/>)`)));
  parser.on("error", (err) => fail(err));
  ws.on("message", (data) => parser.write(data.toString()));
  ws.on("close", (code) => fail(new Error(`${endpoint.url} closed the WebSocket (code ${code})`)));

  const next = (pick: (el: Element) => boolean, what: string) => withTimeout(Promise.race([new Promise<Element>((resolve) => waiting.add({ pick, resolve })), failed]), timeoutMs, what);
  const exchange = (data: string, pick: (el: Element) => boolean, what: string) => {
    const reply = next(pick, what);
    ws.send(data);
    return reply;
  };
  const open = async () => {
    const opened = next((el) => el.is("open", NS.framing), `no <open/> from ${endpoint.url}`);
    const features = next((el) => el.is("features", NS.stream), `no stream features from ${endpoint.url}`);
    ws.send(`<open xmlns='${NS.framing}' to='${endpoint.domain}' version='1.0'/>`);
    // Both awaited together: when <open/> times out, the features' own timeout must not reject unhandled.
    const [o, f] = await Promise.all([opened, features]);
    return { opened: o, features: f };
  };
  const close = () => {
    if (ws.readyState === WebSocket.OPEN) ws.send(`<close xmlns='${NS.framing}'/>`);
    ws.close();
  };
  try {
    const first = await open();
    const stream: WebSocketStream = {
      ...first,
      exchange,
      request: (iq, id) => exchange(iq, (r) => r.name === "iq" && r.attrs.id === id, `no reply to <iq id='${id}'>`),
      restart: async () => (stream.features = (await open()).features),
      close,
    };
    return stream;
  } catch (err) {
    ws.terminate();
    throw err;
  }
}
