import type { Element } from "ltx";

/**
 * A bare XMPP stream, up to the stream features and no further: enough to check that a server is ready,
 * to negotiate STARTTLS and for in-band registration, without a client library's login machinery. Over TCP
 * (raw-stream.ts) or WebSocket (websocket.ts).
 */
export interface RawStream {
  features: Element;
  /** With STARTTLS: the features offered before TLS. */
  featuresBeforeTls?: Element;
  /** Sends `data` and resolves with the first element `pick` accepts. */
  exchange(data: string, pick: (el: Element) => boolean, what: string): Promise<Element>;
  request(iq: string, id: string): Promise<Element>;
  close(): void;
}
