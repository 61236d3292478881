import WebSocket from "ws";
import type { Security } from "./endpoint.ts";
import { describeTlsError, isTlsError } from "./tls.ts";
import { openFramedStream, type FramedChannel, type FramedStream } from "./framed-stream.ts";
import { withTimeout } from "../../util/time.ts";

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

/** A raw RFC 7395 stream (framed-stream.ts). */
export type WebSocketStream = FramedStream;

/**
 * Opens an RFC 7395 stream up to the stream features: every element in its own message (§3.3.3), <open/>
 * answered by <open/> (§3.4). For readiness checks, in-band registration and tests, without a client library.
 */
export async function openWebSocketStream(endpoint: WebSocketEndpoint, timeoutMs: number): Promise<WebSocketStream> {
  const ws = await connectWebSocket(endpoint, timeoutMs);
  const channel: FramedChannel = {
    name: endpoint.url,
    send: (data) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(data);
    },
    close: () => ws.close(),
    destroy: () => ws.terminate(),
    onMessage: (listener) => ws.on("message", (data) => listener(data.toString())),
    onClosed: (listener) => ws.on("close", (code) => listener(`closed the WebSocket (code ${code})`)),
  };
  return openFramedStream(channel, endpoint.domain, timeoutMs);
}
