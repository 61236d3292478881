import net from "node:net";
import { readFileSync } from "node:fs";
import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { Inbox } from "../xmpp/connections/inbox.ts";
import { barrierIn } from "../xmpp/protocol/markers.ts";
import { Transcript } from "../xmpp/connections/transcript.ts";
import { DialbackKeys } from "./dialback.ts";
import { RemoteAccount, type RemoteRelay } from "./remote-account.ts";
import type { XmlStream, Trace } from "./xml-stream.ts";
import { acceptStream } from "./accept.ts";
import { dialStream } from "./dial.ts";
import { bare, domainOf, type RemoteLink, type RemoteServerOptions, type S2sHost } from "./s2s.ts";
import { NS } from "../xmpp/wire/ns.ts";

/**
 * The harness playing a remote XMPP server on loopback (RFC 6120 s2s): it accepts the targets' s2s streams
 * (Server Dialback, XEP-0220, taken on trust as receiving server; SASL EXTERNAL over TLS with a certificate
 * from the run CA), answers <db:verify/> for its own keys correctly (the targets check the keys it sends
 * when it originates), and opens streams to the targets to send stanzas from remote users, any stanza at
 * all. Nothing is answered on a remote user's behalf: what the target sends stays in the inbox for the
 * scenario to look at.
 */
export class RemoteServer implements RemoteRelay {
  readonly domain: string;
  /** Everything the targets sent to the remote domain, in arrival order (an account's inbox has its own entries for its stanzas). */
  readonly inbox: Inbox;
  readonly transcript: Transcript;
  readonly links: RemoteLink[] = [];

  private readonly keys = new DialbackKeys();
  private readonly accounts = new Map<string, RemoteAccount>();
  private readonly streams = new Set<XmlStream>();
  private readonly outgoing = new Map<string, Promise<XmlStream>>();
  private readonly pending = new Map<string, (el: Element) => void>();
  private ids = 0;
  /** What accepting and dialling streams (accept.ts, dial.ts) use of this server. */
  private readonly host: S2sHost;

  private constructor(
    private readonly opts: RemoteServerOptions,
    private readonly listener: net.Server,
  ) {
    this.domain = opts.domain;
    this.transcript = opts.transcript ?? new Transcript();
    this.inbox = new Inbox();
    this.host = {
      domain: this.domain,
      opts,
      ...(opts.tls && { secureContext: { cert: readFileSync(opts.tls.certificate.cert), key: readFileSync(opts.tls.certificate.key), ca: opts.tls.ca } }),
      external: opts.tls?.external !== false,
      keys: this.keys,
      transcript: this.transcript,
      track: (stream) => this.track(stream),
      trace: (label) => this.trace(label),
      deliver: (el) => this.deliver(el),
      noteLink: (link) => this.noteLink(link),
    };
    listener.on("connection", (socket) => acceptStream(this.host, socket));
  }

  static async start(opts: RemoteServerOptions): Promise<RemoteServer> {
    const listener = net.createServer();
    await new Promise<void>((resolve, reject) => listener.once("error", reject).listen(opts.port, opts.host, resolve));
    return new RemoteServer(opts, listener);
  }

  /**
   * A remote user, e.g. account("bob") is bob@remote.test, or with a resource one of its full JIDs (which
   * receives only what is sent to that full JID, while the bare JID's account receives everything for the
   * user); its stanzas go to `transcript` (the case's).
   */
  account(localpart: string, transcript: Transcript, opts: { resource?: string; label?: string } = {}): RemoteAccount {
    const jid = `${localpart}@${this.domain}${opts.resource ? `/${opts.resource}` : ""}`;
    const account = new RemoteAccount(jid, this, transcript, opts.label);
    this.accounts.set(jid, account);
    return account;
  }

  /** Forgets an account (end of a case): later stanzas to it land in the server's inbox only. */
  release(account: RemoteAccount): void {
    this.accounts.delete(account.jid);
    account.inbox.close("the case ended");
  }

  /** Sends a stanza over the (authenticated) stream to the domain of its 'to', opening that stream first if needed. */
  async sendRaw(el: Element): Promise<void> {
    const to = domainOf(el.attrs.to);
    let stream = this.outgoing.get(to);
    if (!stream) {
      stream = dialStream(this.host, to);
      this.outgoing.set(to, stream);
      stream.catch(() => this.outgoing.delete(to));
    }
    const s = await stream;
    if (s.closedReason) {
      this.outgoing.delete(to);
      return this.sendRaw(el);
    }
    s.write(el.toString());
  }

  /** An IQ from the remote domain itself; resolves with its result or error (undefined after `timeoutMs`). */
  async request(iq: Element, timeoutMs: number): Promise<Element | undefined> {
    const id = (iq.attrs.id ??= `rs${++this.ids}`);
    iq.attrs.from ??= this.domain;
    const reply = new Promise<Element | undefined>((resolve) => {
      const timer = setTimeout(() => (this.pending.delete(id), resolve(undefined)), timeoutMs);
      this.pending.set(id, (el) => (clearTimeout(timer), resolve(el)));
    });
    this.transcript.add(this.domain, "out", iq.toString(), true);
    await this.sendRaw(iq);
    return reply;
  }

  /** XEP-0199 pings to every domain it has a route to, in parallel; rejects when one goes unanswered. */
  async pingAll(timeoutMs: number): Promise<Element> {
    const replies = await Promise.all(this.opts.routes.map((r) => this.request(xml("iq", { type: "get", to: r.domain }, xml("ping", { xmlns: NS.ping })), timeoutMs)));
    const missing = this.opts.routes.filter((_, i) => !replies[i]);
    if (missing.length > 0) throw new Error(`${this.domain}: no answer to a ping from ${missing.map((r) => r.domain).join(", ")} within ${timeoutMs} ms`);
    return replies[replies.length - 1]!;
  }

  async stop(): Promise<void> {
    for (const s of this.streams) s.close();
    for (const a of this.accounts.values()) a.inbox.close("the remote server stopped");
    this.inbox.close("the remote server stopped");
    await new Promise((resolve) => this.listener.close(resolve));
  }

  /** Keeps the streams that are still open (stop() closes them). */
  private track(stream: XmlStream): void {
    for (const s of this.streams) if (s.closedReason) this.streams.delete(s);
    this.streams.add(stream);
  }

  private trace(label: string): Trace {
    return (dir, xml) => this.transcript.add(label, dir, xml, true);
  }

  /** A stanza from the target: into the server's inbox, and the addressed account's. */
  private deliver(el: Element): void {
    const reply = el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") && this.pending.get(el.attrs.id);
    if (reply && el.attrs.to === this.domain) {
      this.pending.delete(el.attrs.id);
      return reply(el);
    }
    const full = el.attrs.to !== bare(el.attrs.to) ? this.accounts.get(el.attrs.to) : undefined;
    const account = this.accounts.get(bare(el.attrs.to));
    if (!barrierIn(el)) this.inbox.push(el, this.transcript.now());
    // To a full JID: its own account and the user's; the transcript has it once.
    full?.arrived(el);
    account?.arrived(el, !full);
  }

  private noteLink(link: RemoteLink): void {
    if (!this.links.some((l) => l.direction === link.direction && l.domain === link.domain && l.encrypted === link.encrypted && l.auth === link.auth)) this.links.push(link);
  }
}
