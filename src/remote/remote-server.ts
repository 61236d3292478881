import net from "node:net";
import { randomUUID, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type tls from "node:tls";
import xml from "@xmpp/xml";
import { escapeXML as esc, type Element } from "ltx";
import type { CertificateFiles } from "../targets/cert.ts";
import { Inbox } from "../xmpp/inbox.ts";
import { BARRIER_NS } from "../xmpp/markers.ts";
import { Transcript } from "../xmpp/transcript.ts";
import { DialbackKeys } from "./dialback.ts";
import { RemoteAccount, type RemoteRelay } from "./remote-account.ts";
import { XmlStream, type Trace } from "./xml-stream.ts";
import { NS } from "../xmpp/ns.ts";

/** Where a domain the remote server sends to accepts s2s: a target's s2s address. */
export interface Route {
  domain: string;
  host: string;
  port: number;
}

export interface RemoteServerOptions {
  /** The remote domain the harness plays, e.g. remote.test. */
  domain: string;
  /** Where it listens: the address the targets map the domain to (no DNS), and their s2s port. */
  host: string;
  port: number;
  /** Where the domains it sends to accept s2s connections. */
  routes: Route[];
  /**
   * TLS: STARTTLS offered and required on streams in, taken on streams out, with a certificate for the domain
   * (from the run CA, which `ca` is), presented both as server and as client; SASL EXTERNAL where the other
   * side's certificate checks out, Server Dialback otherwise.
   */
  tls?: {
    certificate: CertificateFiles;
    ca: string;
    /** false: SASL EXTERNAL is neither offered nor used, so both directions authenticate with dialback over TLS. */
    external?: boolean;
  };
  /** Limit for each exchange on an outgoing stream. */
  timeoutMs: number;
  /** Stream-level traffic (headers, TLS, dialback) of every stream; stanzas go to each account's transcript. */
  transcript?: Transcript;
}

/** What the remote server saw of one s2s stream once it carried stanzas: which way, with whom, how secured. */
/** An s2s stream the remote server exchanged stanzas on with the target (the results record's RemoteLink has this shape). */
export interface RemoteLink {
  /** in: the target's stream to the remote server; out: the remote server's to the target. */
  direction: "in" | "out";
  /** The target's domain. */
  domain: string;
  encrypted: boolean;
  auth: "certificate" | "dialback";
}

const STANZAS = new Set(["message", "presence", "iq"]);
const bare = (jid: string | undefined) => (jid ?? "").split("/")[0];
const domainOf = (jid: string | undefined) => bare(jid).split("@").pop() ?? "";
const header = (from: string, to: string | undefined, id?: string) =>
  `<?xml version='1.0'?><stream:stream xmlns='${NS.server}' xmlns:stream='${NS.stream}' xmlns:db='${NS.dialback}' from='${esc(from)}'${to ? ` to='${esc(to)}'` : ""}${id ? ` id='${id}'` : ""} version='1.0'>`;

/**
 * Whether the certificate the other end presented as TLS client was signed by `caPem`, is valid now and names
 * `domain` (RFC 6120 §13.7.2.1 as far as a run CA's certificates go: the SAN DNS entry). A TLSSocket made
 * from a connected socket does not check client certificates itself.
 */
function certifies(socket: tls.TLSSocket, domain: string, caPem: string): boolean {
  const peer = socket.getPeerX509Certificate();
  const ca = new X509Certificate(caPem);
  const now = Date.now();
  return Boolean(peer && peer.checkIssued(ca) && peer.verify(ca.publicKey) && Date.parse(peer.validFrom) <= now && now <= Date.parse(peer.validTo) && peer.checkHost(domain));
}

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
  private readonly secureContext?: tls.SecureContextOptions;
  private readonly external: boolean;

  private constructor(
    private readonly opts: RemoteServerOptions,
    private readonly listener: net.Server,
  ) {
    this.domain = opts.domain;
    this.transcript = opts.transcript ?? new Transcript();
    this.inbox = new Inbox();
    this.external = opts.tls?.external !== false;
    if (opts.tls) this.secureContext = { cert: readFileSync(opts.tls.certificate.cert), key: readFileSync(opts.tls.certificate.key), ca: opts.tls.ca };
    listener.on("connection", (socket) => this.accept(socket));
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
      stream = this.connect(to);
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
    if (!el.getChild("barrier", BARRIER_NS)) this.inbox.push(el, this.transcript.now());
    // To a full JID: its own account and the user's; the transcript has it once.
    full?.arrived(el);
    account?.arrived(el, !full);
  }

  /**
   * A stream in (the target originating, or verifying a key we sent): header and features, STARTTLS when we
   * have TLS, then SASL EXTERNAL (offered when the target's certificate checks out for its domain) or
   * dialback; stanzas from an authenticated domain are delivered.
   */
  private accept(socket: net.Socket): void {
    const authenticated = new Map<string, RemoteLink["auth"]>();
    let from = "";
    const stream: XmlStream = new XmlStream(socket, (dir, xml) => this.transcript.add(`${this.domain} <- ${from || stream.header?.attrs.from || "?"}`, dir, xml, true));
    this.track(stream);
    const certificateOk = () => Boolean(from && stream.secure && this.opts.tls && this.external && certifies(stream.secure, from, this.opts.tls.ca));
    stream.onHeader = (head) => {
      from = head.attrs.from ?? from;
      const tlsOffer = this.secureContext && !stream.secure ? `<starttls xmlns='${NS.tls}'><required/></starttls>` : "";
      const external = !tlsOffer && certificateOk() && !authenticated.has(from) ? `<mechanisms xmlns='${NS.sasl}'><mechanism>EXTERNAL</mechanism></mechanisms>` : "";
      const dialback = tlsOffer ? "" : `<dialback xmlns='${NS.dialbackFeature}'><errors/></dialback>`;
      stream.write(`${header(this.domain, from || undefined, randomUUID())}<stream:features>${tlsOffer}${external}${dialback}</stream:features>`);
    };
    stream.onElement = (el) => {
      if (el.is("starttls", NS.tls) && this.secureContext && !stream.secure) {
        stream.write(`<proceed xmlns='${NS.tls}'/>`);
        stream.upgrade({ ...this.secureContext, requestCert: true, rejectUnauthorized: false }, true, this.opts.timeoutMs).catch(() => stream.close());
      } else if (el.is("auth", NS.sasl) && el.attrs.mechanism === "EXTERNAL") {
        const authzid = Buffer.from(el.text().replace(/^=$/, ""), "base64").toString("utf8");
        if (!certificateOk() || (authzid && authzid !== from)) return stream.write(`<failure xmlns='${NS.sasl}'><not-authorized/></failure>`);
        authenticated.set(from, "certificate");
        stream.write(`<success xmlns='${NS.sasl}'/>`);
        stream.restart();
      } else if (el.is("result", NS.dialback)) {
        // Receiving server: the key is taken on trust (no <db:verify/> back to the target's authoritative server).
        authenticated.set(el.attrs.from, "dialback");
        stream.write(`<db:result from='${esc(this.domain)}' to='${esc(el.attrs.from)}' type='valid'/>`);
      } else if (el.is("verify", NS.dialback)) {
        // Authoritative server: was this our key, for that receiving server and stream?
        const valid = this.keys.verify(el.text(), el.attrs.from, this.domain, el.attrs.id);
        stream.write(`<db:verify from='${esc(this.domain)}' to='${esc(el.attrs.from)}' id='${esc(el.attrs.id)}' type='${valid ? "valid" : "invalid"}'/>`);
      } else if (STANZAS.has(el.name)) {
        const auth = authenticated.get(domainOf(el.attrs.from));
        if (!auth) return this.transcript.add(`${this.domain} <- ${from}`, "note", `dropped: a stanza from a domain this stream has not authenticated: ${el.toString()}`, true);
        this.noteLink({ direction: "in", domain: domainOf(el.attrs.from), encrypted: Boolean(stream.secure), auth });
        this.deliver(el);
      }
    };
  }

  /** A stream out to `domain`, ready for stanzas: STARTTLS when we have TLS and it is offered, then SASL EXTERNAL if offered, else dialback. */
  private async connect(domain: string): Promise<XmlStream> {
    const route = this.opts.routes.find((r) => r.domain === domain);
    if (!route) throw new Error(`the remote server has no route to ${domain}: it sends only to ${this.opts.routes.map((r) => r.domain).join(", ")}`);
    const socket = net.connect({ host: route.host, port: route.port });
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    const label = `${this.domain} -> ${domain}`;
    const stream = new XmlStream(socket, this.trace(label));
    this.track(stream);
    const t = this.opts.timeoutMs;
    const open = async () => {
      const head = stream.next((el) => el.is("stream", NS.stream), t, `${label}: no stream header`);
      const features = stream.next((el) => el.is("features", NS.stream), t, `${label}: no stream features`);
      stream.write(header(this.domain, domain));
      return { id: (await head).attrs.id as string, features: await features };
    };
    try {
      let { id, features } = await open();
      if (this.secureContext && features.getChild("starttls", NS.tls)) {
        const proceed = stream.next((el) => el.attrs.xmlns === NS.tls, t, `${label}: no answer to <starttls/>`);
        stream.write(`<starttls xmlns='${NS.tls}'/>`);
        if ((await proceed).name !== "proceed") throw new Error(`${label}: STARTTLS refused`);
        await stream.upgrade({ ...this.secureContext, servername: domain }, false, t);
        ({ id, features } = await open());
      }
      const mechanisms = features.getChild("mechanisms", NS.sasl)?.getChildren("mechanism").map((m) => m.text()) ?? [];
      let auth: RemoteLink["auth"];
      if (stream.secure && this.external && mechanisms.includes("EXTERNAL")) {
        const outcome = stream.next((el) => el.attrs.xmlns === NS.sasl, t, `${label}: no SASL EXTERNAL outcome`);
        stream.write(`<auth xmlns='${NS.sasl}' mechanism='EXTERNAL'>${Buffer.from(this.domain).toString("base64")}</auth>`);
        if ((await outcome).name !== "success") throw new Error(`${label}: SASL EXTERNAL failed: ${(await outcome).toString()}`);
        stream.restart();
        await open();
        auth = "certificate";
      } else {
        const result = stream.next((el) => el.is("result", NS.dialback), t, `${label}: no dialback result`);
        stream.write(`<db:result from='${esc(this.domain)}' to='${esc(domain)}'>${this.keys.key(domain, this.domain, id)}</db:result>`);
        const r = await result;
        if (r.attrs.type !== "valid") throw new Error(`${label}: dialback refused: ${r.toString()}`);
        auth = "dialback";
      }
      this.noteLink({ direction: "out", domain, encrypted: Boolean(stream.secure), auth });
      stream.onElement = (el) => STANZAS.has(el.name) && this.deliver(el);
      return stream;
    } catch (err) {
      stream.close();
      throw err;
    }
  }

  private noteLink(link: RemoteLink): void {
    if (!this.links.some((l) => l.direction === link.direction && l.domain === link.domain && l.encrypted === link.encrypted && l.auth === link.auth)) this.links.push(link);
  }
}
