// @xmpp/xml ships no types for its stream parser; this is the part the harness uses.
declare module "@xmpp/xml/lib/Parser.js" {
  import type { Element } from "ltx";
  export default class Parser {
    static XMLError: new (message: string) => Error;
    /** The document's root (the stream header) once it started, and the element being built. */
    protected root: Element | null;
    protected cursor: Element | null;
    onStartElement(name: string, attrs: Record<string, string>): void;
    onEndElement(name: string): void;
    write(data: string): void;
    on(event: "start" | "element" | "end", listener: (el: Element) => void): this;
    on(event: "error", listener: (err: Error) => void): this;
    emit(event: string, ...args: unknown[]): boolean;
  }
}
