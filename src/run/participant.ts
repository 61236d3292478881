import type { ReadByServer, Received } from "../xmpp/connections/inbox.ts";

/**
 * What barriers and expectations use of a party to a case: a logged-in session, a bound raw connection, or
 * any other party that can ping the server, send and recognise markers and wait on what it received.
 */
export interface Participant {
  readonly label: string;
  /** The full JID markers are sent to. */
  readonly jid: string;
  /** Can take part in a barrier: bound, and its stream still open. */
  readonly isOpen: boolean;
  /** Why it ended, once it has. */
  readonly closedReason?: string;
  /** The stream error the server ended it with, when it did: its condition, and how people read it. */
  readonly endedBy?: { condition: string; said: string };
  /** The stanzas it received for the scenario's expectations. */
  readonly inbox: { readonly items: Received[] };
  /**
   * Re-evaluates `probe` on every arrival until it returns a value, the party ends, `until` settles, or time
   * runs out: the timeout counts from the server's latest progress in reading what is `behind` (see Inbox.waitFor).
   */
  waitUntil<T>(probe: () => T | undefined, timeoutMs: number, until?: Promise<unknown>, behind?: ReadByServer): Promise<T | undefined>;
  /** How many bytes of what it sent the server has read (a raw connection, whose sends may be large): what comes after them waits on it. */
  readByServer?(): number;
  /**
   * A round trip to its server (or to domain `to`, through its server): everything the server queued for it
   * before the reply has arrived, and what it sent to `to` before has been read there.
   */
  ping(timeoutMs: number, to?: string): Promise<unknown>;
  sendMarker(to: string, token: string): Promise<void>;
  hasMarker(token: string): boolean;
}
