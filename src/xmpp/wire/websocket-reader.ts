import type WebSocket from "ws";
import FramedParser from "@xmpp/websocket/lib/FramedParser.js";
import type { Element } from "ltx";
import type { ReaderEvents } from "./xml-reader.ts";

/** What RFC 7395 asks of every message a server sends (§3.2, §3.3.3, §3.8), each judged frame by frame. */
export const FRAME_RULES = {
  text: "a text message (RFC 7395 §3.2), not binary",
  standalone: "parsable as a standalone XML document, with every namespace prefix it uses declared (§3.3.3)",
  "starts-with-lt": "its first character '<' (§3.3.3)",
  "one-element": "exactly one element (§3.3.3)",
  "no-declaration": "no XML declaration (§3.3.3)",
  "no-whitespace": "not whitespace alone: no whitespace keepalive (§3.8)",
} as const;
export type FrameRule = keyof typeof FRAME_RULES;

/** One message from the server, and the rules it breaks. */
export interface Frame {
  text: string;
  broken: FrameRule[];
}

/** The namespace prefixes an element and its descendants use without declaring them (xml: is always declared). */
function undeclared(el: Element, inScope: Set<string>): string[] {
  const scope = new Set(inScope);
  for (const k of Object.keys(el.attrs)) if (k === "xmlns") scope.add("");
  for (const k of Object.keys(el.attrs)) if (k.startsWith("xmlns:")) scope.add(k.slice(6));
  const prefixOf = (name: string) => (name.includes(":") ? name.split(":")[0] : "");
  const used = [
    prefixOf(el.name),
    ...Object.keys(el.attrs)
      .filter((k) => k.includes(":") && !k.startsWith("xmlns"))
      .map(prefixOf),
  ].filter((p) => p !== "xml");
  const missing = used.filter((p) => (p === "" ? !scope.has("") : !scope.has(p))).map((p) => (p === "" ? `<${el.name}> has no namespace` : `prefix '${p}' undeclared`));
  return [...missing, ...el.children.flatMap((c) => (typeof c === "string" ? [] : undeclared(c, scope)))];
}

/** Each message on its own, as RFC 7395 §3.3.3 has it: the elements it holds and the rules it breaks. */
export function readFrame(text: string, binary: boolean): { elements: Element[]; frame: Frame; error?: string } {
  const elements: Element[] = [];
  let error: string | undefined;
  const parser = new FramedParser();
  for (const ev of ["start", "element", "end"] as const) parser.on(ev, (el: Element) => elements.push(el));
  // Whitespace around the root element is allowed in a document (the parser's only complaint about it).
  parser.on("error", (err: Error) => {
    if (!/^\s*must be a child\.$/.test(err.message)) error ??= err.message;
  });
  try {
    parser.write(text);
    parser.end();
  } catch (err) {
    error ??= (err as Error).message;
  }
  const broken: FrameRule[] = [];
  if (binary) broken.push("text");
  if (error || elements.some((el) => undeclared(el, new Set()).length > 0)) broken.push("standalone");
  if (!text.startsWith("<")) broken.push("starts-with-lt");
  if (elements.length !== 1) broken.push("one-element");
  if (/^\s*<\?xml/.test(text)) broken.push("no-declaration");
  if (text.trim() === "") broken.push("no-whitespace");
  return { elements, frame: { text, broken }, ...(error && { error }) };
}

/**
 * The reader of a raw connection over WebSocket (RFC 7395): one message, one document. The server's <open/> is
 * the stream header, <close/> its closing tag, anything else a first-level element; every message is kept with
 * the framing rules it breaks (`frames`), and how the connection closed (`closeCode`: 1006 when the server cut it
 * without the WebSocket closing handshake).
 */
export class WebSocketReader {
  readonly frames: Frame[] = [];
  closeCode?: number;

  constructor(
    private readonly ws: WebSocket,
    private readonly on: ReaderEvents,
  ) {
    ws.on("message", (data: Buffer, binary: boolean) => this.onMessage(data.toString("utf8"), binary));
    ws.on("error", (err: Error) => on.error?.(err));
    ws.on("close", (code: number) => {
      this.closeCode = code;
      on.closed();
    });
  }

  private onMessage(text: string, binary: boolean): void {
    const { elements, frame, error } = readFrame(text, binary);
    this.frames.push(frame);
    if (error) this.on.problem(`a WebSocket message that is not a standalone XML document (${error}): ${text.slice(0, 200)}`);
    for (const el of elements) {
      // An <open/> in another namespace is still the server's answer to ours: a step judges its namespace.
      if (el.getName() === "open") this.on.header?.(el);
      else if (el.is("close", "urn:ietf:params:xml:ns:xmpp-framing")) this.on.end?.();
      else this.on.element(el);
    }
  }

  /** Every frame is a document of its own: nothing to restart. */
  restart(): void {}

  /** One message per write (RFC 7395 §3.3.3). */
  write(data: string): void {
    this.ws.send(data);
  }

  get unsent(): number {
    return this.ws.bufferedAmount;
  }

  /** Starts the WebSocket closing handshake. */
  close(): void {
    this.ws.close(1000);
  }

  /** Cuts the connection without the closing handshake. */
  destroy(): void {
    this.ws.terminate();
  }
}
