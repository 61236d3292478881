import type net from "node:net";
import type tls from "node:tls";
import { StringDecoder } from "node:string_decoder";
import Parser from "@xmpp/xml/lib/Parser.js";
import { Element } from "ltx";

/** What a reader tells the connection that owns it. */
export interface ReaderEvents {
  /** The other end's stream header: the open tag of each stream (the first, and each restart). */
  header?(el: Element): void;
  /** Each first-level element of the stream. */
  element(el: Element): void;
  /** The other end's closing stream tag. */
  end?(): void;
  /** What the other end sent that the reader cannot take: XML that is not well-formed, bytes after its closing tag. */
  problem(message: string): void;
  /** The socket failed (its close follows). */
  error?(err: Error): void;
  /** The connection closed, from either side. */
  closed(): void;
}

/**
 * The stream parser: a document's root is the other end's stream header only when it is a <stream> element (any
 * prefix). Any other root (a <stream:error> sent "merely" as a stream error element, with no header before it:
 * XEP-0114 §3, RFC 6120 §4.9.1.2) is a first-level element of its own, handed on whole once it ends; a closing stream
 * tag after it ends the stream. The plain parser took such a root for the header and its children for first-level
 * elements.
 */
class StreamParser extends Parser {
  /** The root is no stream header. */
  private bare = false;

  override onStartElement(name: string, attrs: Record<string, string>): void {
    if (!this.root && name.split(":").at(-1) !== "stream") {
      this.root = this.cursor = new Element(name, attrs);
      this.bare = true;
      return;
    }
    if (this.bare && this.cursor === this.root) {
      const el = new Element(name, attrs);
      this.root!.append(el);
      this.cursor = el;
      return;
    }
    super.onStartElement(name, attrs);
  }

  override onEndElement(name: string): void {
    if (!this.root) {
      if (name.split(":").at(-1) === "stream") this.emit("end");
      else this.emit("error", new Parser.XMLError(`</${name}> closes no element.`));
      return;
    }
    if (this.bare && this.cursor === this.root && name === this.root.name) {
      const el = this.root;
      this.root = this.cursor = null;
      this.bare = false;
      this.emit("element", el);
      return;
    }
    super.onEndElement(name);
  }
}

/** How much of a large payload is handed to the socket at once. */
export const PIECE = 16 * 1024;

/**
 * The one XML reader of every connection the harness holds (raw client connections, the bare streams of
 * readiness checks and registration, the scripted remote server's streams): bytes from a socket, decoded as
 * UTF-8 across chunks, parsed one stream document at a time. restart() begins a new document (RFC 6120 §4.3.3);
 * upgrade() is the one way a connection moves onto TLS (after <proceed/>, in either role).
 */
export class XmlReader {
  private parser!: Parser;
  private decoder = new StringDecoder("utf8");
  /** The other end closed its stream: any more bytes are a problem. */
  private ended = false;
  /** What write() was given and the socket has not taken yet, in pieces (see write). */
  private readonly queue: Buffer[] = [];
  private queued = 0;

  constructor(
    private current: net.Socket,
    private readonly on: ReaderEvents,
  ) {
    this.listen(current);
    this.restart();
  }

  /** The socket the stream runs on now (the TLS socket once upgraded). */
  get socket(): net.Socket {
    return this.current;
  }

  /** A fresh parser: the next bytes start a new stream. */
  restart(): void {
    const parser = new StreamParser();
    this.ended = false;
    parser.on("start", (el: Element) => this.on.header?.(el));
    parser.on("element", (el: Element) => this.on.element(el));
    parser.on("end", () => {
      this.ended = true;
      this.on.end?.();
    });
    parser.on("error", (err: Error) => {
      // Whitespace before the other end's header is allowed (and the parser's only complaint about it).
      if (/^\s*must be a child\.$/.test(err.message)) return;
      this.on.problem(`XML the harness cannot parse: ${err.message}`);
    });
    this.parser = parser;
  }

  /**
   * Sends bytes in order. A large payload goes to the socket a piece at a time, each once the one before has
   * drained into the kernel: Node counts a write as pending until all of it is in the kernel, so one large
   * write would hide, until its end, how much the other end has read (see unsent).
   */
  write(data: string): void {
    const bytes = Buffer.from(data, "utf8");
    for (let at = 0; at < bytes.length; at += PIECE) this.queue.push(bytes.subarray(at, at + PIECE));
    this.queued += bytes.length;
    this.pump();
  }

  /** Bytes written that the kernel has not taken yet (at most one piece more than that: the one being written). */
  get unsent(): number {
    return this.queued + this.current.writableLength;
  }

  private readonly pump = () => {
    while (this.queue.length > 0 && this.current.writableLength < PIECE && !this.current.destroyed) {
      const piece = this.queue.shift()!;
      this.queued -= piece.length;
      this.current.write(piece);
    }
  };

  /** Stops reading the socket and hands it over (to a client library that takes the connection from here). */
  release(): net.Socket {
    this.current.off("data", this.onData);
    this.current.off("error", this.onError);
    this.current.off("close", this.onClose);
    this.current.off("drain", this.pump);
    return this.current;
  }

  /** TLS on the same connection: `handshake` gets the plain socket and settles with the TLS socket, which the reader reads from then on. */
  async upgrade<S extends tls.TLSSocket>(handshake: (plain: net.Socket) => Promise<S>): Promise<S> {
    const secure = await handshake(this.release());
    this.current = secure;
    this.decoder = new StringDecoder("utf8");
    this.listen(secure);
    return secure;
  }

  private listen(socket: net.Socket): void {
    socket.on("data", this.onData);
    socket.on("error", this.onError);
    socket.on("close", this.onClose);
    socket.on("drain", this.pump);
  }

  private readonly onData = (chunk: Buffer) => {
    const text = this.decoder.write(chunk);
    if (this.ended && text.trim()) this.on.problem(`data after the closing stream tag: ${text.slice(0, 200)}`);
    try {
      this.parser.write(text);
    } catch (err) {
      // The parser throws on some input (an unknown entity) instead of emitting an error.
      this.on.problem(`XML the harness cannot parse: ${(err as Error).message}`);
    }
  };
  private readonly onError = (err: Error) => this.on.error?.(err);
  private readonly onClose = () => this.on.closed();
}
