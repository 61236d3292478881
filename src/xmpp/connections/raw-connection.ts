import { createHash } from "node:crypto";
import { escapeXML, parse, type Element } from "ltx";
import { plainAllowed, type Endpoint } from "../wire/endpoint.ts";
import { barrierIn, markerMessage } from "../protocol/markers.ts";
import { Inbox, type ReadByServer, type Received } from "./inbox.ts";
import type { Credentials } from "./session.ts";
import { scramMechanism, type ScramName } from "../protocol/scram.ts";
import { authenticateXml, htInitialResponse, type Sasl2Request } from "../protocol/sasl2.ts";
import { channelBindingData, type ChannelBindingType } from "../protocol/channel-binding.ts";
import type { TLSSocket } from "node:tls";
import { probeTls, secure, tcpConnect, type TlsOffer, type TlsOutcome } from "../wire/tls.ts";
import { PIECE, XmlReader } from "../wire/xml-reader.ts";
import { WebSocketReader, type Frame } from "../wire/websocket-reader.ts";
import { connectWebSocket } from "../wire/websocket.ts";
import type { Transcript } from "./transcript.ts";
import { NS } from "../wire/ns.ts";
import { headerXml, openTag, openXml, readHeader, type HeaderOptions, type StreamError, type StreamHeader } from "../wire/stream-header.ts";
import { streamLimits, type StreamLimits } from "../protocol/stream-limits.ts";
import { unreadInKernels } from "../wire/unread-bytes.ts";

const STANZAS = new Set(["iq", "message", "presence"]);

/** Where in the negotiation a <stream:features/> arrived. */
export type FeaturesPhase = "initial" | "after-tls" | "after-sasl";

/**
 * SASL mechanisms the connection can run itself (for other mechanisms the scenario sends the payloads): PLAIN,
 * SCRAM with and without channel binding, and XEP-0484's HT-SHA-256-NONE (the password is then the token).
 */
export type SaslMechanism = "PLAIN" | ScramName | `${ScramName}-PLUS` | "HT-SHA-256-NONE";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/**
 * A connection a scenario drives from the first byte: it chooses the stream header, negotiates STARTTLS, SASL
 * and resource binding step by step (or not), sends raw bytes (well-formed or not), and sees everything the
 * server sends: its stream headers, features, SASL and TLS answers, stanzas (kept in an inbox shaped like a
 * Session's, so the same expectations apply), a stream error and whether the stream and the TCP connection
 * were closed. Everything in and out goes to the case transcript (SASL payloads redacted by the transcript).
 *
 * After binding it can take part in barriers like a Session: ping, markers and waitUntil have the same shape.
 */
export class RawConnection {
  /** The stanzas (message, presence, iq) among the elements: what "receives nothing" looks at, as on a session. Its waits last while the server reads what was sent. */
  readonly inbox = new Inbox(() => this.readByServer());
  /** Every first-level element received, stanzas included, in arrival order; steps consume what they match. */
  readonly elements: Received[] = [];
  /** The server's stream headers, one per stream (restarts included). */
  readonly headers: StreamHeader[] = [];
  /** Features in the order they arrived, with the phase of the negotiation they belong to. */
  readonly features: { phase: FeaturesPhase; el: Element; seq: number }[] = [];
  /** Where the latest SASL <success/> arrived (-1: none): features before it are the login's, not what follows it. */
  private successSeq = -1;
  /** Where the connection sent its latest stream header (in arrival order): what arrives from there on answers it. */
  private openedAt = 0;
  streamError?: StreamError;
  /** The server sent its closing stream tag. */
  streamClosed = false;
  /** The TCP (or TLS) connection is closed, by either side. */
  tcpClosed = false;
  /** Bytes after the server's closing tag, or XML the harness could not parse: a note for the failure message. */
  serverProblem?: string;
  tlsDone = false;
  /** What the latest handshake a step negotiated (`negotiates tls`) gave. */
  tls?: TlsOutcome;
  authenticated = false;
  /** The full JID once bound. */
  jid = "";
  /** Why the connection ended, once it has (the same field a Session has). */
  closedReason?: string;

  private reader?: XmlReader | WebSocketReader;
  private lastHeader: HeaderOptions | { raw: string } = {};
  private seq = 0;
  /** The arrival count when something was last sent: elements from then on came after it. */
  private sentAt = 0;
  private actionAt = 0;
  private actionBefore = 0;
  /** The harness's pings awaiting their reply (undefined until it comes). */
  private readonly pending = new Map<string, Element | undefined>();
  /** Bytes written so far, and how many of them the server had read when last looked at. */
  private written = 0;
  private read = 0;
  /**
   * A large send (more than the reader hands the socket at once) that the server may not have read yet: only
   * then is its progress looked at (a look reads the machine's socket table, thousands of rows during a run);
   * a smaller send a server reads within a timeout even at a few kB/s.
   */
  private watching = false;
  private readonly markers = new Set<string>();
  private static ids = 0;

  constructor(
    readonly label: string,
    private readonly endpoint: Endpoint,
    private readonly transcript: Transcript,
    /** Over the endpoint's WebSocket (RFC 7395) instead of TCP: one message per element, <open/> and <close/>. */
    readonly overWebSocket = false,
    /**
     * An external component (XEP-0114) on the server's component port: its header is in 'jabber:component:accept'
     * with no version, its stanzas carry a 'from' (the XEP requires one), and it takes part in barriers once its
     * handshake is accepted, as its domain.
     */
    readonly asComponent = false,
  ) {}

  /** The content namespace of the stream's stanzas. */
  private get contentNs(): string {
    return this.asComponent ? NS.componentAccept : NS.client;
  }

  /** Over WebSocket: every message the server sent, with the framing rules it breaks. */
  get frames(): Frame[] | undefined {
    return this.reader instanceof WebSocketReader ? this.reader.frames : undefined;
  }

  /** Over WebSocket, once closed: the close code (1006: cut without the closing handshake). */
  get closeCode(): number | undefined {
    return this.reader instanceof WebSocketReader ? this.reader.closeCode : undefined;
  }

  /** The TCP reader, for what only TCP has (STARTTLS, TLS handshakes, the kernel's socket queues). */
  private tcp(what: string): XmlReader {
    if (this.reader instanceof XmlReader) return this.reader;
    throw new Error(`${this.label}: ${what} is for TCP connections, and this one is over WebSocket`);
  }

  /** Bytes sent end inside an element (half a stanza): pings and markers would land inside it. */
  midElement = false;

  /** Open for stanzas (and barriers): bound, not in the middle of an element, and neither the stream nor the connection closed. */
  get isOpen(): boolean {
    return Boolean(this.jid) && !this.midElement && !this.streamClosed && !this.tcpClosed;
  }

  /** The latest response stream header. */
  get header(): StreamHeader | undefined {
    return this.headers.at(-1);
  }

  /** XEP-0478: the limits the server announced in its latest features (they may change with each). */
  get limits(): StreamLimits | undefined {
    const latest = this.features.at(-1);
    return latest && streamLimits(latest.el);
  }

  /**
   * How many of the bytes sent the server has read so far: all but those the harness has not handed to the
   * kernel yet and those the kernels hold unread (see unreadInKernels). Waits on this connection, and for what
   * comes after its sends, look at it to tell a server that reads slowly from one that stopped.
   */
  readByServer(): number {
    if (!this.watching || !this.reader || this.tcpClosed) return this.read;
    const unread = this.reader.unsent + (this.reader instanceof XmlReader ? unreadInKernels(this.reader.socket) : 0);
    this.read = Math.max(this.read, this.written - unread);
    if (unread === 0) this.watching = false;
    return this.read;
  }

  /** The features of a phase (the latest, if a phase had several). */
  featuresOf(phase: FeaturesPhase): Element | undefined {
    return this.features.filter((f) => f.phase === phase).at(-1)?.el;
  }

  /** TCP (and, for direct TLS, the handshake unless a step negotiates it: `handshake: false`); nothing is sent yet. */
  async connect(timeoutMs: number, opts: { handshake?: boolean } = {}): Promise<void> {
    if (this.overWebSocket) {
      const url = this.endpoint.websocket!;
      this.reader = new WebSocketReader(await connectWebSocket({ url, domain: this.endpoint.domain, ...(this.endpoint.security && { security: this.endpoint.security }) }, timeoutMs), this.events);
      this.tlsDone = url.startsWith("wss:");
      this.note(`connected to ${url}`);
      return;
    }
    const tcp = await tcpConnect(this.endpoint, timeoutMs);
    const direct = this.endpoint.security?.tls === "direct" && opts.handshake !== false;
    this.reader = new XmlReader(direct ? await secure(tcp, this.endpoint, timeoutMs) : tcp, this.events);
    this.tlsDone = direct;
    this.note(`connected to ${this.endpoint.host}:${this.endpoint.port}${direct ? " over TLS" : ""}`);
  }

  /**
   * TLS with what `offer` says, whatever it takes on this endpoint: on a STARTTLS one a stream, its features,
   * <starttls/> and <proceed/> first (undefined outcome and no handshake when those do not come: the step's
   * answer says why), on a direct TLS one the handshake at once. The outcome is kept for `receives tls`; a
   * refused handshake leaves the connection closed.
   */
  async negotiateTls(offer: TlsOffer, timeoutMs = 3000): Promise<TlsOutcome | undefined> {
    if (this.endpoint.security?.tls === "starttls") {
      if (!(await this.openStream({}, timeoutMs)) || !(await this.waitFeatures(timeoutMs))) return undefined;
      const answer = await this.exchange(`<starttls xmlns='${NS.tls}'/>`, (el) => el.attrs.xmlns === NS.tls, timeoutMs);
      if (answer?.name !== "proceed") return undefined;
    }
    let outcome: TlsOutcome = {};
    try {
      await this.tcp("a TLS handshake").upgrade(async (plain) => {
        const got = await probeTls(plain, this.endpoint, offer, timeoutMs);
        outcome = got.outcome;
        if (!got.secure) throw new Error(got.outcome.refused ?? got.outcome.stalled);
        return got.secure;
      });
      this.tlsDone = true;
    } catch (err) {
      if (!outcome.refused && !outcome.stalled) throw err;
      this.tcpClosed = true;
      this.closedReason = outcome.refused ? `the TLS handshake failed: ${outcome.refused}` : `the TLS handshake stalled: ${outcome.stalled}`;
    }
    this.tls = outcome;
    this.note(
      `TLS ${
        outcome.refused
          ? `refused: ${outcome.refused}`
          : outcome.stalled
            ? `stalled: ${outcome.stalled}`
            : Object.entries(outcome)
                .map(([k, v]) => `${k}=${v}`)
                .join(", ")
      }`,
    );
    return outcome;
  }

  /**
   * Sends an initial stream header (built from `opts`, or `raw` bytes as they are) on a fresh parser, and waits
   * for the server's response header. Undefined when none came: the stream error, or the close, says why.
   */
  async openStream(opts: HeaderOptions | { raw: string } = {}, timeoutMs = 3000): Promise<StreamHeader | undefined> {
    this.lastHeader = opts;
    this.reader?.restart();
    this.openedAt = this.seq;
    const before = this.headers.length;
    const header = "raw" in opts || !this.asComponent ? opts : { contentNs: NS.componentAccept, version: null, ...opts };
    this.write("raw" in header ? header.raw : this.overWebSocket ? openXml(header, this.endpoint.domain) : headerXml(header, this.endpoint.domain));
    return this.inbox.waitFor(() => this.headers[before] ?? (this.streamError || this.tcpClosed ? null : undefined), timeoutMs);
  }

  /**
   * The response header of the stream the connection opened last, where it arrived before the element at `seq`
   * (a stream error): the opening tag RFC 6120 §4.9.1.2 and XEP-0114 §3 ask for before a stream error.
   */
  headerBefore(seq: number): StreamHeader | undefined {
    return this.headers.find((h) => h.seq >= this.openedAt && h.seq < seq);
  }

  /** The same header again, as after STARTTLS and SASL (RFC 6120 §4.3.3). */
  restart(timeoutMs = 3000): Promise<StreamHeader | undefined> {
    return this.openStream(this.lastHeader, timeoutMs);
  }

  /**
   * The features that follow the latest header, or the latest SASL <success/> when it came later: a SASL2 success
   * is followed by new features on the same stream (XEP-0388 §2.6.1: "Note that no stream restart occurs"), which
   * are the ones a step after it means, not those the login began with.
   */
  async waitFeatures(timeoutMs = 3000): Promise<Element | undefined> {
    const after = Math.max(this.header?.seq ?? -1, this.successSeq);
    const f = await this.inbox.waitFor(() => this.features.find((x) => x.seq > after) ?? (this.isDone() ? null : undefined), timeoutMs);
    return f?.el;
  }

  /** STARTTLS up to the handshake: <proceed/> is followed by TLS on the same socket; <failure/> is returned as it is. */
  async startTls(timeoutMs = 3000): Promise<Element | undefined> {
    const answer = await this.exchange(`<starttls xmlns='${NS.tls}'/>`, (el) => el.attrs.xmlns === NS.tls, timeoutMs);
    if (answer?.name !== "proceed") return answer;
    await this.tcp("STARTTLS").upgrade((plain) => secure(plain, this.endpoint, timeoutMs));
    this.tlsDone = true;
    this.note("TLS established");
    return answer;
  }

  /** Sends <auth/> with an initial response (base64 as given: "=" is the empty response; undefined sends none) and returns the answer. */
  auth(mechanism: string, initialResponse?: string, timeoutMs = 3000): Promise<Element | undefined> {
    const body = initialResponse === undefined ? "" : initialResponse;
    return this.exchange(`<auth xmlns='${NS.sasl}' mechanism='${escapeXML(mechanism)}'>${body}</auth>`, isSasl, timeoutMs).then((a) => this.settleSasl(a));
  }

  /** Sends a <response/> (base64 as given) and returns the next challenge, success or failure. */
  respond(payload: string, timeoutMs = 3000): Promise<Element | undefined> {
    return this.exchange(`<response xmlns='${NS.sasl}'>${payload}</response>`, isSasl, timeoutMs).then((a) => this.settleSasl(a));
  }

  /** Sends <abort/> and returns the answer (RFC 6120 §6.4.4: <failure><aborted/></failure>). */
  abort(timeoutMs = 3000): Promise<Element | undefined> {
    return this.exchange(`<abort xmlns='${NS.sasl}'/>`, isSasl, timeoutMs);
  }

  /**
   * A whole SASL exchange with the account's credentials: the final <success/> or <failure/> (or SASL2's
   * <continue/>). `until: "challenge"` stops at the server's first challenge (to abort there); PLAIN with an
   * authzid asks to act as that identity. `sasl2`: XEP-0388's <authenticate/> with what it asks for, instead of
   * RFC 6120's <auth/>. A -PLUS mechanism binds to the TLS channel with `binding` (default tls-exporter); "y" with
   * SCRAM without -PLUS says the client could have bound (RFC 5802's GS2 flag); `bindingData: "wrong"` binds with
   * the data's first bit flipped (another channel's, XEP-0440 §3's attack).
   */
  async authenticate(
    creds: Credentials,
    mechanism: SaslMechanism,
    opts: { authzid?: string; until?: "challenge"; timeoutMs?: number; sasl2?: Sasl2Request; binding?: ChannelBindingType | "y"; bindingData?: "wrong" } = {},
  ): Promise<Element | undefined> {
    const t = opts.timeoutMs ?? 3000;
    const { sasl2 } = opts;
    const first = (payload: string) => (sasl2 ? this.exchange(authenticateXml(mechanism, payload, sasl2), isSasl2, t).then((a) => this.settleSasl(a)) : this.auth(mechanism, payload, t));
    const next = (payload: string) => (sasl2 ? this.exchange(`<response xmlns='${NS.sasl2}'>${payload}</response>`, isSasl2, t).then((a) => this.settleSasl(a)) : this.respond(payload, t));
    if (mechanism === "PLAIN") return first(b64(`${opts.authzid ?? ""}\0${creds.username}\0${creds.password}`));
    if (mechanism === "HT-SHA-256-NONE") return first(htInitialResponse(creds.username, creds.password));
    const type = opts.binding === "y" ? "tls-exporter" : (opts.binding ?? "tls-exporter");
    const data = mechanism.endsWith("-PLUS") ? channelBindingData(this.tlsSocket(), type) : undefined;
    // "wrong": another channel's data, as a man in the middle would bind to (its first bit flipped).
    if (data && opts.bindingData === "wrong") data[0] ^= 0x80;
    const binding = data ? { type, data } : opts.binding === "y" ? ("y" as const) : undefined;
    const Scram = scramMechanism(mechanism.replace(/-PLUS$/, "") as ScramName, binding);
    const scram = new Scram();
    let answer = await first(b64(await scram.response(creds)));
    if (answer?.name !== "challenge" || opts.until === "challenge") return answer;
    scram.challenge(Buffer.from(answer.text(), "base64").toString("utf8"));
    answer = await next(b64(await scram.response(creds)));
    return answer;
  }

  /** The TLS socket the stream runs on, for channel binding. */
  private tlsSocket(): TLSSocket {
    const socket = this.tcp("channel binding").socket;
    if (!this.tlsDone || !("exportKeyingMaterial" in socket)) throw new Error(`${this.label}: channel binding needs TLS, and this stream has none`);
    return socket as TLSSocket;
  }

  /** RFC 6120 §7: binds the requested resourcepart, or lets the server generate one; returns the IQ reply. */
  async bind(resource?: string, timeoutMs = 3000): Promise<Element | undefined> {
    const id = `bind${++RawConnection.ids}`;
    const payload = resource === undefined ? `<bind xmlns='${NS.bind}'/>` : `<bind xmlns='${NS.bind}'><resource>${escapeXML(resource)}</resource></bind>`;
    const reply = await this.exchange(`<iq type='set' id='${id}'>${payload}</iq>`, (el) => el.name === "iq" && el.attrs.id === id, timeoutMs);
    const jid = reply?.attrs.type === "result" ? reply.getChild("bind", NS.bind)?.getChildText("jid") : undefined;
    if (jid) {
      this.jid = jid;
      this.note(`bound as ${jid}`);
    }
    return reply;
  }

  /**
   * XEP-0114 §3: sends the lowercase hex SHA-1 of the stream ID and `secret`, and waits for the answer (the
   * server's `<handshake/>`; undefined when none came: a stream error or the close says why). An empty
   * `<handshake/>` makes the connection its domain's, for barriers and the 'from' of its pings and markers.
   */
  async handshake(secret: string, timeoutMs = 3000): Promise<Element | undefined> {
    const digest = createHash("sha1")
      .update(`${this.header?.attrs.id ?? ""}${secret}`)
      .digest("hex");
    const answer = await this.exchange(`<handshake>${digest}</handshake>`, (el) => el.name === "handshake", timeoutMs);
    if (answer && answer.children.length === 0) {
      this.jid = this.endpoint.domain;
      this.note(`accepted as the component ${this.jid}`);
    }
    return answer;
  }

  /** TLS where the endpoint asks for it, a header, SASL with the strongest mechanism offered, restart, bind: a raw connection ready for stanzas. */
  async login(creds: Credentials, opts: { resource?: string; header?: HeaderOptions; timeoutMs?: number } = {}): Promise<void> {
    const t = opts.timeoutMs ?? 3000;
    const fail = (what: string) => new Error(`${this.label}: ${what}${this.streamError ? ` (stream error ${this.streamError.condition})` : this.tcpClosed ? " (connection closed)" : ""}`);
    if (!this.reader) await this.connect(t);
    if (!(await this.openStream(opts.header ?? {}, t))) throw fail("no response stream header");
    let features = await this.waitFeatures(t);
    if (this.endpoint.security?.tls === "starttls" && !this.tlsDone && !this.overWebSocket) {
      if ((await this.startTls(t))?.name !== "proceed") throw fail("STARTTLS refused");
      await this.restart(t);
      features = await this.waitFeatures(t);
    }
    const offered =
      features
        ?.getChild("mechanisms", NS.sasl)
        ?.getChildren("mechanism")
        .map((m) => m.text()) ?? [];
    // As for sessions: PLAIN only over TLS, on loopback or with --allow-plain.
    const mechanism = (["SCRAM-SHA-256", "SCRAM-SHA-1", ...(plainAllowed(this.endpoint) ? (["PLAIN"] as const) : [])] as const).find((m) => offered.includes(m));
    if (!mechanism) throw fail(`no usable SASL mechanism (offered: ${offered.join(", ") || "none"})`);
    const outcome = await this.authenticate(creds, mechanism, { timeoutMs: t });
    if (outcome?.name !== "success") throw fail(`SASL ${mechanism} failed: ${outcome?.toString() ?? "no answer"}`);
    await this.restart(t);
    await this.waitFeatures(t);
    const bound = await this.bind(opts.resource, t);
    if (bound?.attrs.type !== "result") throw fail(`bind failed: ${bound?.toString() ?? "no answer"}`);
  }

  /**
   * XEP-0198 counters, as the client keeps them: stanzas sent since it sent `<enable/>` (or `<resume/>`), and
   * stanzas received since the server's `<enabled/>` (or `<resumed/>`), mod 2^32; undefined before. What a
   * case sends with `sends raw` counts only when it is one whole stanza.
   */
  readonly sm: { sent?: number; received?: number } = {};
  /** The SM-ID a `<resume/>` this connection sent names. */
  private resuming?: string;

  /**
   * Sends bytes as given: a stanza, half of one, or anything else. Over WebSocket a stanza is a document of its own (RFC 7395 §3.3.3), so one written without
   * its namespace gets 'jabber:client' declared, as a client library does; `raw` bytes go as written.
   */
  send(data: string, harness = false, raw = false): void {
    if (this.tcpClosed) throw new Error(`${this.label} cannot send: ${this.closedReason}`);
    this.write(this.overWebSocket && !raw ? data.replace(/^<(iq|message|presence)(?=[\s/>])(?![^>]*\sxmlns=)/, `<$1 xmlns='${NS.client}'`) : data, harness);
    this.countSent(data);
  }

  private countSent(data: string): void {
    let el: Element;
    try {
      el = parse(data) as Element;
    } catch {
      return;
    }
    // XEP-0198 §9.2: a <resume/> may also come inside SASL2's <authenticate/>.
    const resume = el.name === "resume" && el.attrs.xmlns === NS.sm ? el : el.name === "authenticate" && el.attrs.xmlns === NS.sasl2 ? el.getChild("resume", NS.sm) : undefined;
    if (resume) this.resuming = String(resume.attrs.previd ?? "");
    if ((el.name === "enable" && el.attrs.xmlns === NS.sm) || resume) this.sm.sent = 0;
    else if (this.sm.sent !== undefined && STANZAS.has(el.name)) this.sm.sent = (this.sm.sent + 1) % 2 ** 32;
  }

  /** The first unconsumed element (stanza or not) that `pick` accepts, waiting up to the timeout; it is consumed. */
  async next(pick: (el: Element) => boolean, timeoutMs: number): Promise<Element | undefined> {
    const r = await this.inbox.waitFor(() => this.elements.find((x) => !x.consumed && pick(x.el)) ?? (this.isDone() ? null : undefined), timeoutMs);
    if (!r) return undefined;
    r.consumed = true;
    return r.el;
  }

  /** Waits until the server has closed the TCP connection; false if it has not within the timeout. */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    return Boolean(await this.inbox.waitFor(() => (this.tcpClosed ? true : undefined), timeoutMs));
  }

  /** Waits until the server has sent its closing stream tag; false if it has not within the timeout. */
  async waitStreamClosed(timeoutMs: number): Promise<boolean> {
    return Boolean(await this.inbox.waitFor(() => (this.streamClosed ? true : this.tcpClosed ? null : undefined), timeoutMs));
  }

  /** Waits for a stream error; undefined if none came within the timeout or the stream ended without one. */
  waitStreamError(timeoutMs: number): Promise<StreamError | undefined> {
    return this.inbox.waitFor(() => this.streamError ?? (this.streamClosed || this.tcpClosed ? null : undefined), timeoutMs);
  }

  /** Leaves an answer the harness read (a SASL outcome, a bind reply) for the scenario's own expectations. */
  release(el: Element): void {
    const r = this.elements.find((x) => x.el === el);
    if (r) r.consumed = false;
  }

  /** Our closing stream tag, with the prefix our header used. */
  get closingTag(): string {
    if (this.overWebSocket) return `<close xmlns='${NS.framing}'/>`;
    const prefix = "raw" in this.lastHeader ? (/<([\w.-]+):stream\b/.exec(this.lastHeader.raw)?.[1] ?? "stream") : (this.lastHeader.prefix ?? "stream");
    return prefix ? `</${prefix}:stream>` : "</stream>";
  }

  /** Closes our stream (</stream:stream>) and waits for the server to close its own and the connection. */
  async close(timeoutMs = 2000): Promise<void> {
    if (!this.tcpClosed) {
      try {
        this.write(this.closingTag, true);
      } catch {
        /* already gone */
      }
      await this.waitClosed(timeoutMs);
    }
    this.drop("closed by the harness");
  }

  /** Over WebSocket: starts the closing handshake (RFC 7395 §3.6, the closing party's), after the streams are closed. */
  closeWebSocket(): void {
    if (this.reader instanceof WebSocketReader) this.reader.close();
  }

  /** Cuts the connection without closing the stream. */
  drop(reason = "connection dropped by the harness"): void {
    this.end(reason);
    // Closed from now on: a barrier right after must not send on the dead socket.
    this.tcpClosed = true;
    if (this.reader instanceof XmlReader) this.reader.socket.destroy();
    else this.reader?.destroy();
  }

  // The surface barriers use on a Session: a ping to the server, markers from other parties, waitUntil.

  /** XEP-0199 ping to the server, answered before anything the server queued for us later (and after it read what we sent before). */
  async ping(timeoutMs: number, to = this.endpoint.domain): Promise<Element> {
    const id = `xr${++RawConnection.ids}`;
    this.pending.set(id, undefined);
    this.send(`<iq type='get'${this.fromAttr} to='${escapeXML(to)}' id='${id}'><ping xmlns='${NS.ping}'/></iq>`, true);
    const reply = await this.inbox.waitFor(() => this.pending.get(id) ?? (this.closedReason ? null : undefined), timeoutMs);
    this.pending.delete(id);
    if (!reply) throw new Error(`${this.label}: ${this.closedReason ?? `no reply to <iq id='${id}'> within ${timeoutMs} ms`}`);
    return reply;
  }

  /** A component's own stanzas name their sender (XEP-0114 §3); a client's server stamps it. */
  private get fromAttr(): string {
    return this.asComponent && this.jid ? ` from='${escapeXML(this.jid)}'` : "";
  }

  async sendMarker(to: string, token: string): Promise<void> {
    this.send(markerMessage(to, token, this.asComponent ? this.jid : undefined).toString(), true);
  }

  hasMarker(token: string): boolean {
    return this.markers.has(token);
  }

  /**
   * As on a session: re-evaluates `probe` on every arrival until it returns a value, the connection ends (the
   * server closed its stream or the connection), `until` resolves, or time runs out. A failed `until` proves nothing (see Inbox.waitFor).
   */
  waitUntil<T>(probe: () => T | undefined, timeoutMs: number, until?: Promise<unknown>, behind?: ReadByServer): Promise<T | undefined> {
    return this.inbox.waitUntil(probe, timeoutMs, until, behind);
  }

  /** Marks everything received so far as seen. */
  consumeAll(): void {
    for (const r of this.elements) r.consumed = true;
  }

  private isDone(): boolean {
    return Boolean(this.streamError) || this.streamClosed || this.tcpClosed;
  }

  private async exchange(data: string, pick: (el: Element) => boolean, timeoutMs: number): Promise<Element | undefined> {
    this.send(data);
    return this.next(pick, timeoutMs);
  }

  /**
   * A SASL outcome: authenticated on <success/>. A SASL2 success that bound a resource (XEP-0386 §3.2) makes the
   * connection that full JID (in barriers from then on), and Stream Management enabled inline starts its counters.
   * Bound is a full JID as the authorization identifier, with or without <bound/> (XEP-0388 §2.6.1: "a bare JID,
   * unless resource binding has occurred, in which case it is a full JID").
   */
  private settleSasl(answer: Element | undefined): Element | undefined {
    if (answer?.name !== "success") return answer;
    this.authenticated = true;
    const sasl2 = answer.attrs.xmlns === NS.sasl2;
    const bound = sasl2 ? answer.getChild("bound", NS.bind2) : undefined;
    const jid = answer.getChildText("authorization-identifier");
    if (sasl2 && jid?.includes("/")) {
      this.jid = jid;
      this.note(`bound as ${jid} (Bind 2)`);
    }
    const enabled = bound?.getChild("enabled", NS.sm);
    if (enabled) {
      this.sm.sent = 0;
      this.sm.received = 0;
      if (enabled.attrs.id && this.jid) SESSIONS.set(String(enabled.attrs.id), this.jid);
    }
    // XEP-0198 §9.2: a session resumed inline is that session, as after a <resumed/> of its own.
    if (answer.attrs.xmlns === NS.sasl2 && answer.getChild("resumed", NS.sm)) this.resumed();
    return answer;
  }

  /** XEP-0198 §5: the stream resumed the session it named, so it is that session's full JID (in barriers again), and counts received stanzas afresh. */
  private resumed(): void {
    this.sm.received = 0;
    if (!this.resuming || !SESSIONS.has(this.resuming)) return;
    this.jid = SESSIONS.get(this.resuming)!;
    this.note(`resumed as ${this.jid}`);
  }

  /** What the wire tells the connection: headers, elements, the server's closing tag, problems and the close. */
  private readonly events = {
    header: (el: Element) => {
      this.headers.push(readHeader(el, this.seq++));
      this.transcript.add(this.label, "in", openTag(el));
      this.inbox.wake();
    },
    element: (el: Element) => this.onElement(el),
    end: () => {
      this.streamClosed = true;
      this.transcript.add(this.label, "in", this.overWebSocket ? `<close xmlns='${NS.framing}'/>` : `</${this.header?.name ?? "stream:stream"}>`);
      this.end("the server closed the stream");
    },
    problem: (message: string) => {
      this.serverProblem ??= `the server sent ${message}`;
      this.note(`the server sent ${message}`);
      this.inbox.wake();
    },
    error: (err: Error) => this.note(`socket error: ${err.message}`),
    closed: () => {
      this.tcpClosed = true;
      this.note("the connection closed");
      this.end("the connection closed");
    },
  };

  private onElement(el: Element): void {
    if (el.name === "enabled" && el.attrs.xmlns === NS.sm) this.sm.received = 0;
    if (el.name === "enabled" && el.attrs.xmlns === NS.sm && el.attrs.id && this.jid) SESSIONS.set(String(el.attrs.id), this.jid);
    if (el.name === "resumed" && el.attrs.xmlns === NS.sm) this.resumed();
    else if (this.sm.received !== undefined && STANZAS.has(el.name) && el.getNS() === this.contentNs) this.sm.received = (this.sm.received + 1) % 2 ** 32;
    const id = el.attrs.id as string | undefined;
    const reply = el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") && id !== undefined && this.pending.has(id);
    const marker = barrierIn(el);
    this.transcript.add(this.label, "in", el.toString(), reply || Boolean(marker));
    if (reply) {
      this.pending.set(id!, el);
    } else if (marker) {
      if (marker.proves) this.markers.add(marker.token);
    } else {
      const r: Received = { el, at: this.transcript.now(), seq: this.seq++, consumed: false };
      this.elements.push(r);
      if (STANZAS.has(el.name) && el.getNS() === this.contentNs) this.inbox.add(r);
      if (el.is("features", NS.stream)) this.features.push({ phase: this.authenticated ? "after-sasl" : this.tlsDone ? "after-tls" : "initial", el, seq: r.seq });
      if (el.name === "success" && (el.attrs.xmlns === NS.sasl || el.attrs.xmlns === NS.sasl2)) this.successSeq = r.seq;
      // A stream error sent with no stream header before it declares no 'stream' prefix: the prefix is the stream namespace's.
      if (el.is("error", NS.stream) || (el.name === "stream:error" && el.getNS() === undefined)) {
        const condition = el.children.find((c): c is Element => typeof c !== "string" && c.attrs.xmlns === NS.streamErrors && c.name !== "text");
        const text = el.getChildText("text", NS.streamErrors) ?? undefined;
        this.streamError = { condition: condition?.name ?? "", ...(text && { text }), el, seq: r.seq, at: r.at };
      }
    }
    this.inbox.wake();
  }

  private write(data: string, harness = false): void {
    if (!this.reader || this.tcpClosed) throw new Error(`${this.label} is not connected`);
    // An oversized payload is what a case sends on purpose; the transcript keeps its ends and its size.
    this.transcript.add(this.label, "out", data.length > 4096 ? `${data.slice(0, 1024)}… (${Buffer.byteLength(data)} bytes in all) …${data.slice(-256)}` : data, harness);
    this.reader.write(data);
    const size = Buffer.byteLength(data);
    this.written += size;
    if (size > PIECE) this.watching = true;
    this.sentAt = this.seq;
  }

  /** A step is about to act on the connection: what arrived before now is no answer to it. */
  markAction(): void {
    this.actionBefore = this.actionAt;
    this.actionAt = this.seq;
  }

  /** The step sent nothing after all (the stream had ended): the point stays where the step before left it. */
  unmarkAction(): void {
    this.actionAt = this.actionBefore;
  }

  /** Whether an element (by its arrival order) came before the latest step that acted on the connection. */
  arrivedBeforeAction(seq: number): boolean {
    return seq < this.actionAt;
  }

  /** Whether an element arrived after the connection last sent something (in arrival order, not by the clock). */
  arrivedSinceSend(r: Received): boolean {
    return r.seq >= this.sentAt;
  }

  private note(text: string): void {
    this.transcript.add(this.label, "note", text, true);
  }

  private end(reason: string): void {
    this.closedReason ??= reason;
    // A ping the server will never answer now fails at once (its wait sees the close), as a session's does.
    this.inbox.close(reason);
  }
}

const isSasl = (el: Element) => el.attrs.xmlns === NS.sasl;
const isSasl2 = (el: Element) => el.attrs.xmlns === NS.sasl2;

/** XEP-0198: each SM-ID a raw connection was given, and the full JID of the session it stands for. */
const SESSIONS = new Map<string, string>();
