import FramedParser from "@xmpp/websocket/lib/FramedParser.js";
import type { Element } from "ltx";
import type { RawStream } from "./stream.ts";
import { withTimeout } from "../../util/time.ts";
import { NS } from "./ns.ts";
import { describeStreamError } from "./stream-error.ts";

/**
 * A connection that carries one framed element per message (RFC 7395's <open/>, <close/> and stanzas): a
 * WebSocket, or a BOSH session that the BOSH socket presents the same way (bosh.ts).
 */
export interface FramedChannel {
  /** The URL, for messages. */
  name: string;
  send(data: string): void;
  /** Ends the connection after <close/>. */
  close(): void;
  /** Cuts it. */
  destroy(): void;
  onMessage(listener: (data: string) => void): void;
  onClosed(listener: (why: string) => void): void;
}

/** A raw framed stream: the server's <open/> as well as what a TCP raw stream gives, and the stream restart after SASL. */
export interface FramedStream extends RawStream {
  /** The server's <open/> answering ours. */
  opened: Element;
  /** After SASL success (RFC 7395 §3.5, XEP-0206 §5): a new <open/>; resolves with the new features. */
  restart(): Promise<Element>;
}

/**
 * Opens a framed stream up to the stream features: <open/> answered by <open/>. For readiness checks, in-band
 * registration and tests, without a client library.
 */
export async function openFramedStream(channel: FramedChannel, domain: string, timeoutMs: number): Promise<FramedStream> {
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
    if (el.is("error", NS.stream)) return fail(new Error(describeStreamError(el, domain)));
    deliver(el);
  });
  parser.on("end", () => fail(new Error(`${channel.name} closed the stream (<close/>)`)));
  parser.on("error", (err) => fail(err));
  channel.onMessage((data) => parser.write(data));
  channel.onClosed((why) => fail(new Error(`${channel.name} ${why}`)));

  const next = (pick: (el: Element) => boolean, what: string) => withTimeout(Promise.race([new Promise<Element>((resolve) => waiting.add({ pick, resolve })), failed]), timeoutMs, what);
  const exchange = (data: string, pick: (el: Element) => boolean, what: string) => {
    const reply = next(pick, what);
    channel.send(data);
    return reply;
  };
  const open = async () => {
    const opened = next((el) => el.is("open", NS.framing), `no <open/> from ${channel.name}`);
    const features = next((el) => el.is("features", NS.stream), `no stream features from ${channel.name}`);
    channel.send(`<open xmlns='${NS.framing}' to='${domain}' version='1.0'/>`);
    // Both awaited together: when <open/> times out, the features' own timeout must not reject unhandled.
    const [o, f] = await Promise.all([opened, features]);
    return { opened: o, features: f };
  };
  const close = () => {
    channel.send(`<close xmlns='${NS.framing}'/>`);
    channel.close();
  };
  try {
    const first = await open();
    const stream: FramedStream = {
      ...first,
      exchange,
      request: (iq, id) => exchange(iq, (r) => r.name === "iq" && r.attrs.id === id, `no reply to <iq id='${id}'>`),
      restart: async () => (stream.features = (await open()).features),
      close,
    };
    return stream;
  } catch (err) {
    channel.destroy();
    throw err;
  }
}
