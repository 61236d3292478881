// Packages of xmpp.js that DefinitelyTyped does not cover; these are the parts the harness uses.
declare module "@xmpp/connection-tcp" {
  import Connection from "@xmpp/connection";
  import type { Element } from "@xmpp/xml";
  /** The TCP stream transport: a Connection with the stream framing of RFC 6120; a transport sets its Socket. */
  export default class ConnectionTCP extends Connection {
    headerElement(): Element;
    socketParameters(service: string): unknown;
  }
}

declare module "@xmpp/sasl-plain" {
  import type SASLFactory from "saslmechanisms";
  /** Registers SASL PLAIN with a mechanism factory. */
  export default function saslPlain(factory: SASLFactory): void;
}
