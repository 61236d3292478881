import type net from "node:net";
import tls from "node:tls";
import type { Element } from "ltx";
import { withTimeout } from "../util/time.ts";
import { NS } from "../xmpp/wire/ns.ts";
import { XmlReader } from "../xmpp/wire/xml-reader.ts";
import { describeStreamError } from "../xmpp/wire/stream-error.ts";

/** What a stream tells its owner: each element in or out, and stream-level events, for a transcript. */
export type Trace = (dir: "in" | "out" | "note", xml: string) => void;

/**
 * One server-to-server XML stream on a TCP connection, from either end: the header and each top-level
 * element as they arrive, waiting for a particular one, the restarts RFC 6120 asks for (after TLS, after
 * SASL), and the STARTTLS upgrade in either role.
 */
export class XmlStream {
  /** The other end's latest stream header. */
  header?: Element;
  /** Elements nobody waits for go here (set by the owner), and stream headers to onHeader. */
  onElement: (el: Element) => void = () => {};
  onHeader: (el: Element) => void = () => {};
  /** The TLS socket once upgraded: its peer certificate and whether the handshake checked it. */
  secure?: tls.TLSSocket;
  closedReason?: string;

  private readonly reader: XmlReader;
  private readonly waiting = new Set<{ pick: (el: Element) => boolean; resolve: (el: Element) => void; reject: (e: Error) => void }>();

  constructor(
    socket: net.Socket,
    private readonly trace: Trace,
  ) {
    socket.setNoDelay?.(true);
    this.reader = new XmlReader(socket, {
      header: (el) => {
        this.header = el;
        this.trace("in", el.toString().replace(/\/>$/, ">"));
        this.deliver(el);
      },
      element: (el) => {
        this.trace("in", el.toString());
        if (el.is("error", NS.stream)) this.end(describeStreamError(el));
        this.deliver(el);
      },
      end: () => {
        this.trace("in", "</stream:stream>");
        this.write("</stream:stream>"); // RFC 6120 §4.4: close our stream too
        this.end("the other end closed the stream");
        this.reader.socket.end();
      },
      problem: (message) => this.end(`the other end sent ${message}`),
      error: (err) => this.end(err.message),
      closed: () => this.end("the connection closed"),
    });
  }

  /** A fresh parser: the next bytes start a new stream (RFC 6120 §4.3.3). */
  restart(): void {
    this.header = undefined;
    this.reader.restart();
  }

  private deliver(el: Element): void {
    for (const w of this.waiting) {
      if (!w.pick(el)) continue;
      this.waiting.delete(w);
      return w.resolve(el);
    }
    if (el.is("stream", NS.stream)) this.onHeader(el);
    else this.onElement(el);
  }

  write(xml: string): void {
    if (this.closedReason) return;
    this.trace("out", xml);
    this.reader.write(xml);
  }

  /** The next element (or stream header) `pick` accepts. */
  next(pick: (el: Element) => boolean, timeoutMs: number, what: string): Promise<Element> {
    if (this.closedReason) return Promise.reject(new Error(`${what}: ${this.closedReason}`));
    const arrived = new Promise<Element>((resolve, reject) => this.waiting.add({ pick, resolve, reject }));
    return withTimeout(arrived, timeoutMs, what);
  }

  /** TLS on the connection (after <proceed/>), as client or server; the stream restarts on top of it. */
  async upgrade(options: tls.TLSSocketOptions & tls.ConnectionOptions, server: boolean, timeoutMs: number): Promise<tls.TLSSocket> {
    const secure = await this.reader.upgrade(async (raw) => {
      const secure = server ? new tls.TLSSocket(raw, { ...options, isServer: true }) : tls.connect({ ...options, socket: raw });
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          secure.once(server ? "secure" : "secureConnect", resolve);
          secure.once("error", reject);
        }),
        timeoutMs,
        "no TLS handshake",
      );
      return secure;
    });
    this.secure = secure;
    this.restart();
    const peer = secure.getPeerX509Certificate();
    this.trace("note", `TLS ${secure.getProtocol()}; the other end's certificate: ${peer ? peer.subjectAltName : "none"}${server ? "" : " (verified)"}`);
    return secure;
  }

  /** Closes the stream (</stream:stream>) and the connection. */
  close(): void {
    this.write("</stream:stream>");
    this.end("closed by the harness");
    this.reader.socket.end();
  }

  private end(reason: string): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    this.trace("note", `stream ended: ${reason}`);
    for (const w of this.waiting) w.reject(new Error(reason));
    this.waiting.clear();
  }
}
