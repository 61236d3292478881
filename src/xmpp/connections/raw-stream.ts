import type net from "node:net";
import { escapeXML, type Element } from "ltx";
import { PLAINTEXT, type Endpoint } from "../wire/endpoint.ts";
import { secure, tcpConnect } from "../wire/tls.ts";
import type { RawStream } from "../wire/stream.ts";
import { openWebSocketStream } from "../wire/websocket.ts";
import { openBoshStream } from "../wire/bosh.ts";
import { withTimeout } from "../../util/time.ts";
import { NS } from "../wire/ns.ts";
import { XmlReader } from "../wire/xml-reader.ts";
import { describeStreamError } from "../wire/stream-error.ts";

export type { RawStream } from "../wire/stream.ts";

/**
 * Opens a stream as the endpoint says: over WebSocket (RFC 7395), BOSH (XEP-0206), or TCP with plaintext, STARTTLS,
 * or TLS from the first byte. `from`: over TCP the header names that JID, as a SASL2 client's does (XEP-0388 §2.1).
 */
export async function openRawStream(endpoint: Endpoint, timeoutMs: number, from?: string): Promise<RawStream> {
  if (endpoint.websocket) return openWebSocketStream({ url: endpoint.websocket, domain: endpoint.domain, ...(endpoint.security && { security: endpoint.security }) }, timeoutMs);
  if (endpoint.bosh) return openBoshStream({ url: endpoint.bosh, domain: endpoint.domain, ...(endpoint.security && { security: endpoint.security }) }, timeoutMs);
  const tls = (endpoint.security ?? PLAINTEXT).tls;
  if (tls === "none") return openStream(await tcpConnect(endpoint, timeoutMs), endpoint, timeoutMs, { from });
  if (tls === "direct") return openStream(await secure(await tcpConnect(endpoint, timeoutMs), endpoint, timeoutMs), endpoint, timeoutMs, { from });
  const { socket, features } = await negotiateStartTls(endpoint, timeoutMs);
  const stream = await openStream(await secure(socket, endpoint, timeoutMs), endpoint, timeoutMs, { from });
  return { ...stream, featuresBeforeTls: features };
}

/**
 * RFC 6120 §5.4 up to <proceed/>: returns the socket, ready for the TLS handshake, and the features
 * offered before it. A server that does not offer STARTTLS is an error: the user asked for TLS.
 */
export async function negotiateStartTls(endpoint: Endpoint, timeoutMs: number): Promise<{ socket: net.Socket; features: Element }> {
  const socket = await tcpConnect(endpoint, timeoutMs);
  const stream = await openStream(socket, endpoint, timeoutMs, { keepSocket: true });
  try {
    if (!stream.features.getChild("starttls", NS.tls)) throw new Error(`${endpoint.host}:${endpoint.port} does not offer STARTTLS (features: ${featureNames(stream.features)})`);
    const answer = await stream.exchange(`<starttls xmlns='${NS.tls}'/>`, (el) => el.attrs.xmlns === NS.tls, "no answer to <starttls/>");
    if (answer.name !== "proceed") throw new Error(`${endpoint.host}:${endpoint.port} refused STARTTLS: ${answer.toString()}`);
    stream.close();
    return { socket, features: stream.features };
  } catch (err) {
    socket.destroy();
    throw err;
  }
}

export const featureNames = (features: Element) => features.children.map((c) => (typeof c === "string" ? "" : c.name)).join(" ") || "none";

/** Opens a stream on a connected socket and waits for the features. `keepSocket`: close() only stops reading. */
async function openStream(socket: net.Socket, endpoint: Endpoint, timeoutMs: number, opts: { keepSocket?: boolean; from?: string } = {}): Promise<RawStream> {
  const waiting = new Set<{ pick: (el: Element) => boolean; resolve: (el: Element) => void }>();
  let fail: (err: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});
  let onFeatures: (el: Element) => void = () => {};
  const features = new Promise<Element>((resolve) => (onFeatures = resolve));

  const reader = new XmlReader(socket, {
    element: (el) => {
      if (el.is("features", NS.stream)) return onFeatures(el);
      if (el.is("error", NS.stream)) return fail(new Error(describeStreamError(el, endpoint.domain)));
      for (const w of waiting) {
        if (!w.pick(el)) continue;
        waiting.delete(w);
        return w.resolve(el);
      }
    },
    problem: (message) => fail(new Error(`${endpoint.host}:${endpoint.port} sent ${message}`)),
    error: (err) => fail(err),
    closed: () => fail(new Error(`${endpoint.host}:${endpoint.port} closed the connection`)),
  });
  reader.write(`<?xml version='1.0'?><stream:stream to='${endpoint.domain}'${opts.from ? ` from='${escapeXML(opts.from)}'` : ""} version='1.0' xmlns='${NS.client}' xmlns:stream='${NS.stream}'>`);

  const close = () => {
    const released = reader.release();
    if (opts.keepSocket) return;
    released.on("error", () => {});
    released.destroy();
  };
  const exchange = (data: string, pick: (el: Element) => boolean, what: string) => {
    const reply = new Promise<Element>((resolve) => waiting.add({ pick, resolve }));
    reader.write(data);
    return withTimeout(Promise.race([reply, failed]), timeoutMs, what);
  };
  try {
    const el = await withTimeout(Promise.race([features, failed]), timeoutMs, `no stream features from ${endpoint.host}:${endpoint.port}`);
    return {
      features: el,
      exchange,
      request: (iq, id) => exchange(iq, (r) => r.name === "iq" && r.attrs.id === id, `no reply to <iq id='${id}'>`),
      close,
    };
  } catch (err) {
    close();
    socket.destroy();
    throw err;
  }
}
