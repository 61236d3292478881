import net from "node:net";
import Parser from "@xmpp/xml/lib/Parser.js";
import type { Element } from "ltx";
import type { Endpoint } from "./session.ts";
import { withTimeout } from "../util/time.ts";

/**
 * A bare XMPP stream on a plain socket, up to the stream features and no further: enough to check that a
 * server is ready and for in-band registration, without a client library's login machinery.
 */
export interface RawStream {
  features: Element;
  request(iq: string, id: string): Promise<Element>;
  close(): void;
}

export async function openRawStream(endpoint: Endpoint, timeoutMs: number): Promise<RawStream> {
  const socket = net.connect({ host: endpoint.host, port: endpoint.port });
  const parser = new Parser();
  const replies = new Map<string, (el: Element) => void>();
  let fail: (err: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});
  let onFeatures: (el: Element) => void = () => {};
  const features = new Promise<Element>((resolve) => (onFeatures = resolve));

  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => parser.write(chunk));
  socket.on("error", (err) => fail(err));
  socket.on("close", () => fail(new Error(`${endpoint.host}:${endpoint.port} closed the connection`)));
  parser.on("error", (err: Error) => fail(err));
  parser.on("element", (el: Element) => {
    if (el.is("features", "http://etherx.jabber.org/streams")) onFeatures(el);
    else if (el.is("error", "http://etherx.jabber.org/streams")) fail(new Error(`stream error: ${el.children.map((c) => (c as Element).name).join(" ")}`));
    else if (el.name === "iq" && replies.has(el.attrs.id)) replies.get(el.attrs.id)!(el);
  });
  socket.on("connect", () =>
    socket.write(`<?xml version='1.0'?><stream:stream to='${endpoint.domain}' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`),
  );

  const close = () => {
    socket.removeAllListeners("close");
    socket.on("close", () => {});
    socket.destroy();
  };
  try {
    const el = await withTimeout(Promise.race([features, failed]), timeoutMs, `no stream features from ${endpoint.host}:${endpoint.port}`);
    return {
      features: el,
      request(iq, id) {
        const reply = new Promise<Element>((resolve) => replies.set(id, resolve));
        socket.write(iq);
        return withTimeout(Promise.race([reply, failed]), timeoutMs, `no reply to <iq id='${id}'>`);
      },
      close,
    };
  } catch (err) {
    close();
    throw err;
  }
}
