import type net from "node:net";
import tls from "node:tls";
import { StringDecoder } from "node:string_decoder";
import Parser from "@xmpp/xml/lib/Parser.js";
import type { Element } from "ltx";
import { withTimeout } from "../util/time.ts";
import { NS } from "../xmpp/ns.ts";


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

  private parser!: Parser;
  private decoder = new StringDecoder("utf8");
  private readonly waiting = new Set<{ pick: (el: Element) => boolean; resolve: (el: Element) => void; reject: (e: Error) => void }>();
  private readonly onData = (chunk: Buffer) => this.parser.write(this.decoder.write(chunk));
  private readonly onClose = () => this.end("the connection closed");

  constructor(private socket: net.Socket | tls.TLSSocket, private readonly trace: Trace) {
    socket.setNoDelay?.(true);
    this.listen(socket);
    this.restart();
  }

  private listen(socket: net.Socket): void {
    socket.on("data", this.onData);
    socket.on("close", this.onClose);
    socket.on("error", (err) => this.end(err.message));
  }

  /** A fresh parser: the next bytes start a new stream (RFC 6120 §4.3.3). */
  restart(): void {
    this.header = undefined;
    this.decoder = new StringDecoder("utf8");
    this.parser = new Parser();
    this.parser.on("start", (el) => {
      this.header = el;
      this.trace("in", el.toString().replace(/\/>$/, ">"));
      this.deliver(el);
    });
    this.parser.on("element", (el) => {
      this.trace("in", el.toString());
      if (el.is("error", NS.stream)) this.end(`stream error: ${el.children.map((c) => (c as Element).name).join(" ")}`);
      this.deliver(el);
    });
    this.parser.on("end", () => {
      this.trace("in", "</stream:stream>");
      this.write("</stream:stream>"); // RFC 6120 §4.4: close our stream too
      this.end("the other end closed the stream");
      this.socket.end();
    });
    this.parser.on("error", (err) => this.end(`not well-formed: ${err.message}`));
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
    this.socket.write(xml);
  }

  /** The next element (or stream header) `pick` accepts. */
  next(pick: (el: Element) => boolean, timeoutMs: number, what: string): Promise<Element> {
    if (this.closedReason) return Promise.reject(new Error(`${what}: ${this.closedReason}`));
    const arrived = new Promise<Element>((resolve, reject) => this.waiting.add({ pick, resolve, reject }));
    return withTimeout(arrived, timeoutMs, what);
  }

  /** TLS on the connection (after <proceed/>), as client or server; the stream restarts on top of it. */
  async upgrade(options: tls.TLSSocketOptions & tls.ConnectionOptions, server: boolean, timeoutMs: number): Promise<tls.TLSSocket> {
    const raw = this.socket as net.Socket;
    raw.off("data", this.onData);
    raw.off("close", this.onClose);
    const secure = server ? new tls.TLSSocket(raw, { ...options, isServer: true }) : tls.connect({ ...options, socket: raw });
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        secure.once(server ? "secure" : "secureConnect", resolve);
        secure.once("error", reject);
      }),
      timeoutMs,
      "no TLS handshake",
    );
    this.socket = secure;
    this.secure = secure;
    this.listen(secure);
    this.restart();
    const peer = secure.getPeerX509Certificate();
    this.trace("note", `TLS ${secure.getProtocol()}; the other end's certificate: ${peer ? peer.subjectAltName : "none"}${server ? "" : " (verified)"}`);
    return secure;
  }

  /** Closes the stream (</stream:stream>) and the connection. */
  close(): void {
    this.write("</stream:stream>");
    this.end("closed by the harness");
    this.socket.end();
  }

  private end(reason: string): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    this.trace("note", `stream ended: ${reason}`);
    for (const w of this.waiting) w.reject(new Error(reason));
    this.waiting.clear();
  }
}
