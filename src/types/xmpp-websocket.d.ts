// @xmpp/websocket ships no types; these are its RFC 7395 connection (framing: <open/>, <close/>, xmlns on
// every stanza) and its framed parser (one element per message), which the harness reuses with its own socket.
declare module "@xmpp/websocket/lib/Connection.js" {
  import Connection from "@xmpp/connection";
  export default class ConnectionWebSocket extends Connection {
    headerElement(): import("ltx").Element;
    socketParameters(service: string): unknown;
  }
}

declare module "@xmpp/websocket/lib/FramedParser.js" {
  import type { Element } from "ltx";
  export default class FramedParser {
    write(data: string): void;
    end(data?: string): void;
    on(event: "start" | "element" | "end", listener: (el: Element) => void): this;
    on(event: "error", listener: (err: Error) => void): this;
  }
}
