import { parse, type Element } from "ltx";
import { Inbox, type ReadByServer } from "../xmpp/connections/inbox.ts";
import { markerMessage, Markers } from "../xmpp/protocol/markers.ts";
import type { Transcript } from "../xmpp/connections/transcript.ts";

/** What a remote user needs of the remote server: stanzas sent on its streams, and a ping to every domain. */
export interface RemoteRelay {
  sendRaw(el: Element): Promise<void>;
  pingAll(timeoutMs: number): Promise<Element>;
}

/**
 * A remote user (its bare JID), or one full JID of it: what the target sent to it, and stanzas sent as it. It
 * takes part in barriers the way a session does (markers both ways, a ping), so "receives nothing" works with
 * remote observers and actors.
 */
export class RemoteAccount {
  readonly inbox: Inbox;
  private readonly markers = new Markers();

  constructor(
    readonly jid: string,
    private readonly server: RemoteRelay,
    readonly transcript: Transcript,
    /** How steps and barrier messages name it (a scenario's "bob" or "bob/r1"); the JID by default. */
    readonly label: string = jid,
  ) {
    this.inbox = new Inbox();
  }

  get isOpen(): boolean {
    return !this.inbox.closedReason;
  }

  get closedReason(): string | undefined {
    return this.inbox.closedReason;
  }

  /** Sends a stanza as this user: 'from' is this JID (bare, or the full JID it stands for) unless the stanza says otherwise (wrong values included). */
  async send(stanza: Element | string): Promise<void> {
    const el = typeof stanza === "string" ? parse(stanza) : stanza;
    el.attrs.from ??= this.jid;
    this.transcript.add(this.jid, "out", el.toString());
    await this.server.sendRaw(el);
  }

  /** A barrier marker to `to` (RFC 6120 §10.1: it arrives after everything this user sent before to the same recipient). */
  async sendMarker(to: string, token: string): Promise<void> {
    const el = markerMessage(to, token);
    el.attrs.from = this.jid; // between servers a stanza names its sender
    this.transcript.add(this.jid, "out", el.toString(), true);
    await this.server.sendRaw(el);
  }

  hasMarker(token: string): boolean {
    return this.markers.has(token);
  }

  waitUntil<T>(probe: () => T | undefined, timeoutMs: number, until?: Promise<unknown>, behind?: ReadByServer): Promise<T | undefined> {
    return this.inbox.waitUntil(probe, timeoutMs, until, behind);
  }

  /** Marks everything received so far as seen (set-up traffic is not for the scenario's expectations). */
  consumeAll(): void {
    this.inbox.consumeAll();
  }

  /** XEP-0199 ping from the remote domain to every domain it reaches: what they queued for it before has arrived. */
  ping(timeoutMs: number): Promise<Element> {
    return this.server.pingAll(timeoutMs);
  }

  /** A stanza the target sent to this user (barrier markers are taken out of the stream); `record`: into the transcript too. */
  arrived(el: Element, record = true): void {
    const marker = this.markers.take(el);
    if (record) this.transcript.add(this.jid, "in", el.toString(), marker);
    if (!marker) return void this.inbox.push(el, this.transcript.now());
    this.inbox.wake();
  }
}
