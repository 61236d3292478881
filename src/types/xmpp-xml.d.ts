// @xmpp/xml ships no types for its stream parser; this is the part the harness uses.
declare module "@xmpp/xml/lib/Parser.js" {
  import type { Element } from "ltx";
  export default class Parser {
    write(data: string): void;
    on(event: "start" | "element" | "end", listener: (el: Element) => void): this;
    on(event: "error", listener: (err: Error) => void): this;
  }
}
