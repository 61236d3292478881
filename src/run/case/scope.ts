import { destroyRoom, roomJid } from "../rooms.ts";
import type { Received } from "../../xmpp/connections/inbox.ts";
import type { Element } from "ltx";
import type { AccountLedger } from "../../accounts/ledger.ts";
import { parsePattern } from "../../match/pattern.ts";
import type { CaseResult } from "../../results/schema.ts";
import { randomBytes } from "node:crypto";
import { fill, secretKey, type Bindings } from "../../match/template.ts";
import type { AccountSpec, RawConnectionSpec, ResourceSpec, RoomSpec, Scenario, Step, Wait } from "../../scenario/types.ts";
import { RawConnection } from "../../xmpp/connections/raw-connection.ts";
import { Session, type Credentials, type Endpoint } from "../../xmpp/connections/session.ts";
import type { ComponentEndpoint } from "../../xmpp/wire/endpoint.ts";
import { BoshClient } from "../../xmpp/connections/bosh-client.ts";
import type { HttpAnswer, HttpFailure } from "../../xmpp/protocol/upload.ts";
import type { Transcript } from "../../xmpp/connections/transcript.ts";
import type { RemoteAccount } from "../../remote/remote-account.ts";
import type { RemoteServer } from "../../remote/remote-server.ts";
import { barrier } from "../barrier.ts";
import type { Participant } from "../participant.ts";
import { retry, type Retrying } from "./retry.ts";
import { connectRaw, startSession } from "./connect.ts";
import { HarnessError } from "./errors.ts";
import { Entries } from "./entries.ts";
import { waitOf } from "./wait-policy.ts";
import type { Health } from "../liveness.ts";

/** One server's c2s and the accounts made on it. */
export interface Side {
  endpoint: Endpoint;
  ledger: AccountLedger;
}

/** What a case needs from the run around it. */
export interface CaseContext extends Side {
  /** The second server of a pair target (domain b); absent on a single server. */
  peer?: Side;
  /** The harness's scripted remote server (domain remote); absent where the target has none. */
  remote?: RemoteServer;
  /** Unique to this case within the run; account names and ${uid} derive from it. */
  uid: string;
  /** How long a "receives" waits at most, and the limit for harness round trips. */
  timeoutMs: number;
  /** Extra fixed window after each barrier (0 = barriers only). */
  quietMs: number;
  /** What decides that an expected stanza is not coming, unless a scenario or step says otherwise. */
  wait: Wait;
  signal: AbortSignal;
  /** Whether the servers answer (the run's liveness watch): set-up asks before it tries again. */
  health?: Health;
  /** The target's multi-user chat service (XEP-0045), found when the run started: a case's rooms live there. */
  muc?: string;
  /** XEP-0114: where a component connection goes, the name it serves and its shared secret. */
  component?: ComponentEndpoint;
  /** XEP-0363: the target's upload service, found when the run started. */
  upload?: string;
  /** The CA (PEM) an HTTPS request of a case trusts beside the system's: the run's CA, or --ca. */
  httpsCa?: string;
}

/**
 * What one attempt at a case owns: its accounts, its sessions, its raw connections and the placeholder
 * bindings, and how to reach them. Every step handler works on it; close() gives everything back.
 */
export class CaseScope {
  readonly sessions = new Map<string, Session>();
  /** Raw connections (docs/stream-steps.md) by label; they join barriers once bound. */
  readonly raws = new Map<string, RawConnection>();
  /** BOSH connections (XEP-0124) by label: HTTP clients of the target's BOSH endpoint; they take no part in barriers. */
  readonly boshes = new Map<string, BoshClient>();
  /** Each actor's latest HTTP response (XEP-0363 uploads), or why and at which stage its request failed. */
  readonly httpAnswers = new Map<string, HttpAnswer | HttpFailure>();
  /** Raw connections a step said would end (a stream error or close it expects, a disconnect): a later step on one is the scenario's mistake. */
  readonly endExpected = new Set<RawConnection>();
  /** Raw connections that sent their closing stream tag. */
  readonly closingSent = new Set<RawConnection>();
  /** Users of the harness's remote server by label: "bob" (the bare JID) and "bob/r1" for each resource it names. */
  readonly remotes = new Map<string, RemoteAccount>();
  readonly bindings: Bindings;
  readonly choices: CaseResult["choices"] = [];
  /** When the latest action step ran (transcript time): stanzas before it cannot be the answer to it. */
  lastActionAt = 0;
  /** The occupant JIDs rooms gave the case's entries: what `${room/Nick}` stands for once the room answered. */
  readonly entries = new Entries();
  /** The stanza the latest single-pattern 'receives' matched: what its `also:` steps check. */
  lastReceived?: Received;
  /** What each step of the alternative the latest 'one of' took matched, by its index there (its `also:` steps check these). */
  lastOutcome: (Received | undefined)[] = [];
  /** What each labelled 'receives' step matched: a 'receives nothing' with `since: LABEL` looks only after it. */
  readonly pickedBy = new Map<string, Received[]>();
  private readonly credentials = new Map<string, { creds: Credentials; side: Side }>();
  private readonly resources: Map<string, ResourceSpec>;
  private readonly connections: Map<string, RawConnectionSpec>;

  constructor(
    readonly sc: Scenario,
    readonly ctx: CaseContext,
    readonly transcript: Transcript,
    /** Names this attempt's accounts: a retried set-up gets fresh ones. */
    readonly uid: string,
    /** Set-up retries, counted across the attempts of the case. */
    readonly retrying: Retrying,
  ) {
    this.bindings = {
      domain: ctx.endpoint.domain,
      ...(ctx.component && { component: ctx.component.domain }),
      ...(ctx.upload && { upload: ctx.upload }),
      ...(ctx.peer && { "domain.b": ctx.peer.endpoint.domain }),
      ...(ctx.remote && { "domain.remote": ctx.remote.domain }),
      uid: ctx.uid,
    };
    // Rooms on the MUC service (a case with rooms is skipped without one, so the placeholder never leaves the harness).
    if (sc.rooms.length > 0 || sc.needs.some((n) => n.name === "muc")) {
      const service = ctx.muc ?? "no-muc-service.invalid";
      this.bindings.muc = service;
      for (const r of sc.rooms) {
        this.bindings[r.name] = roomJid(r.name, uid, service);
        this.bindings[`${r.name}/*`] = "occupants";
      }
    }
    this.resources = new Map(sc.accounts.filter((a) => a.domain !== "remote").flatMap((a) => a.resources.map((r) => [`${a.name}/${r.name}`, r] as const)));
    this.connections = new Map(sc.connections.map((c) => [c.label, c]));
  }

  /**
   * Records that a room of the case may exist (before set-up makes it, or before the steps, for one the case
   * makes) or, `gone`, no longer does: the journal lets `cleanup` destroy what a killed run left.
   */
  ownsRoom(room: RoomSpec, gone = false): void {
    const owner = this.credentials.get(room.owner);
    if (owner) owner.side.ledger.ownsRoom(owner.creds, this.bindings[room.name], gone);
  }

  /** Rooms the set-up created (or the case may have): each owner destroys its own after the case, before the accounts go. */
  private async destroyRooms(): Promise<void> {
    if (this.sc.rooms.length === 0 || !this.ctx.muc) return;
    for (const room of this.sc.rooms) {
      if (!this.credentials.has(room.owner)) continue;
      const jid = this.bindings[room.name];
      try {
        const open = this.all.find((s) => s.isOpen && s.label.startsWith(`${room.owner}/`));
        const owner = open ?? (await this.login(`${room.owner}/teardown`, { name: `teardown-${this.uid}`, roster: false, online: false, acks: true, answers: true }, new Map()));
        const left = await destroyRoom(owner, jid, this.ctx.timeoutMs);
        if (left) this.transcript.add("harness", "note", `the room ${jid} could not be destroyed: ${left}`, true);
        else this.ownsRoom(room, true);
        if (!open) await owner.close();
      } catch (err) {
        this.transcript.add("harness", "note", `the room ${jid} could not be destroyed: ${(err as Error).message}`, true);
      }
    }
  }

  /** The runner skips a case with domain-b accounts when there is no peer, so ctx.peer! holds where it is used. */
  sideOf(account: string): Side {
    return this.sc.accounts.find((a) => a.name === account)?.domain === "b" ? this.ctx.peer! : this.ctx;
  }

  /**
   * A connection was cut under the case (a `drops` step): the server learns of it when it learns of it, and
   * what it sends then (the unavailable presence it generates) is ordered by no barrier.
   */
  dropped = false;

  /** What decides a step's wait (see wait-policy.ts). */
  waitOf(step: Pick<Step, "wait">): Wait {
    return waitOf(step, this.sc, { run: this.ctx.wait, dropped: this.dropped });
  }

  /**
   * Registers the case's accounts; a registration the server drops is retried under a new name (the first may
   * exist). An account the case registers itself is only named (and removed afterwards if it exists).
   */
  async createAccounts(): Promise<void> {
    for (const a of this.sc.accounts) {
      if (a.domain === "remote") {
        this.addRemote(a);
        continue;
      }
      const side = this.sideOf(a.name);
      const spare = a.disposable ? randomBytes(12).toString("hex") : undefined;
      let attempt = 0;
      const creds =
        a.registered === "by-case"
          ? side.ledger.expect(`xc-${this.uid}-${a.name}`)
          : await retry(`registering ${a.name}`, this.retrying, () => side.ledger.create(`xc-${this.uid}-${a.name}${++attempt > 1 ? `-${attempt}` : ""}`, { spare }));
      this.credentials.set(a.name, { creds, side });
      this.bindings[a.name] = `${creds.username}@${side.endpoint.domain}`;
      this.bindings[`${a.name}.domain`] = side.endpoint.domain;
      this.bindings[secretKey(a.name, "password")] = creds.password;
      this.bindings[secretKey(a.name, "plain")] = Buffer.from(`\0${creds.username}\0${creds.password}`).toString("base64");
      if (spare) this.bindings[secretKey(a.name, "newpassword")] = spare;
      for (const r of a.resources) this.bindings[`${a.name}/${r.name}`] = `${this.bindings[a.name]}/${r.name}`;
    }
  }

  /** A user of the remote server: nothing to register, the server answers for any localpart; its full JIDs by resource. */
  private addRemote(a: AccountSpec): void {
    const remote = this.ctx.remote!; // the runner skips such a case without one
    const localpart = `xc-${this.uid}-${a.name}`;
    const user = remote.account(localpart, this.transcript, { label: a.name });
    this.remotes.set(a.name, user);
    this.bindings[a.name] = user.jid;
    this.bindings[`${a.name}.domain`] = remote.domain;
    for (const r of a.resources) {
      const label = `${a.name}/${r.name}`;
      const full = remote.account(localpart, this.transcript, { resource: r.name, label });
      this.remotes.set(label, full);
      this.bindings[label] = full.jid;
    }
  }

  resource(label: string): ResourceSpec {
    return this.resources.get(label)!;
  }

  get onlineResources(): [string, ResourceSpec][] {
    return [...this.resources].filter(([, r]) => r.online);
  }

  /**
   * Logs a resource in with its set-up: the roster fetched, initial presence sent, as its spec says.
   * Connecting is set-up, not what a case checks: a login the server drops or refuses is retried (more often
   * in the middle of a case, which cannot start over: MID_CASE_ATTEMPTS).
   */
  connect(label: string, spec: ResourceSpec, into = this.sessions, attempts?: number): Promise<Session> {
    return retry(
      `${label} logging in`,
      this.retrying,
      async () => {
        await into.get(label)?.close();
        return this.login(label, spec, into);
      },
      attempts,
    );
  }

  private async login(label: string, spec: ResourceSpec, into: Map<string, Session>): Promise<Session> {
    const account = label.split("/")[0];
    const { creds, side } = this.credentials.get(account)!;
    const session = new Session(label, side.endpoint, creds, spec.name, this.transcript, {
      ackPushes: spec.acks,
      answers: spec.answers,
      timeoutMs: this.ctx.timeoutMs,
      caps: spec.caps?.map((c) => fill(c, this.bindings, false)),
    });
    into.set(label, session);
    await startSession(session, spec, this.ctx.timeoutMs);
    return session;
  }

  /** Whether a step's actor is a raw connection (else a session). */
  isRaw(label: string): boolean {
    return this.connections.has(label);
  }

  get onlineConnections(): RawConnectionSpec[] {
    return [...this.connections.values()].filter((c) => c.online && !c.bosh);
  }

  /** Makes the case's BOSH connections: nothing goes out before their steps post. */
  openBosh(): void {
    const url = this.ctx.endpoint.bosh;
    for (const c of this.connections.values()) if (c.bosh && url) this.boshes.set(c.label, new BoshClient(c.label, url, this.transcript, this.ctx.endpoint.security));
  }

  bosh(label: string): BoshClient {
    const c = this.boshes.get(label);
    if (!c) throw new HarnessError(`${label} is no BOSH connection of this run (it reaches no BOSH endpoint)`);
    return c;
  }

  /**
   * TCP-connects a raw connection (TLS from the first byte with --tls direct): nothing is sent, its steps open
   * the stream. A connection under an account reaches that account's server, a top-level one the target.
   */
  async openRaw(label: string): Promise<RawConnection> {
    const spec = this.connections.get(label)!;
    this.raws.get(label)?.drop();
    if (spec.component) {
      // A component's stream is plaintext on its own port (XEP-0114 defines no TLS), addressed to its name.
      const { host, port, domain } = this.ctx.component!;
      const conn = new RawConnection(label, { host, port, domain }, this.transcript, false, true);
      this.raws.set(label, conn);
      await conn.connect(this.ctx.timeoutMs);
      return conn;
    }
    const side = spec.account ? this.sideOf(spec.account) : this.ctx;
    const conn = new RawConnection(label, side.endpoint, this.transcript, Boolean(spec.webSocket));
    this.raws.set(label, conn);
    await connectRaw(conn, side.endpoint, { beforeStartTls: Boolean(spec.plaintext), tlsByStep: Boolean(spec.tlsByStep), timeoutMs: this.ctx.timeoutMs });
    return conn;
  }

  raw(label: string): RawConnection {
    const c = this.raws.get(label);
    if (!c) throw new HarnessError(`${label} is not connected (declare it online, or add a '${label} connects' step)`);
    return c;
  }

  /** The credentials the ledger made for a case account (for a raw connection's SASL steps). */
  credentialsOf(account: string): Credentials {
    return this.credentials.get(account)!.creds;
  }

  /** A step's actor as barriers and expectations see it: a session, or a raw connection. */
  participant(label: string): Participant {
    return this.remotes.get(label) ?? (this.isRaw(label) ? this.raw(label) : this.session(label));
  }

  session(label: string): Session {
    const s = this.sessions.get(label);
    if (!s) throw new HarnessError(`${label} is not connected (declare it online, or add a '${label} connects' step)`);
    return s;
  }

  get all(): Session[] {
    return [...this.sessions.values()];
  }

  /** Who sends a step's stanza: a session, or the remote server as that user ('from' as written, else its JID). */
  sender(label: string): { send(el: Element): Promise<void> } {
    return this.remotes.get(label) ?? this.session(label);
  }

  /**
   * Every party that can take part in a barrier: the sessions, the bound raw connections, and each remote
   * user once (its bare JID).
   */
  get participants(): Participant[] {
    return [...this.all, ...[...this.raws.values()].filter((c) => c.jid), ...this.remoteUsers];
  }

  /** Each user of the remote server once, as its bare JID. */
  get remoteUsers(): RemoteAccount[] {
    return this.sc.accounts.filter((a) => a.domain === "remote").map((a) => this.remotes.get(a.name)!);
  }

  /** Cuts every connection at once (an interrupt). */
  dropAll(): void {
    this.all.forEach((s) => s.drop());
    this.raws.forEach((c) => c.drop());
  }

  /** A pattern or stanza of the scenario with its placeholders filled (a room's occupants as the room named them). */
  parse(text: string, bindings: Bindings = this.bindings, counters: Bindings = this.counters()): Element {
    this.entries.settle(this.bindings);
    return parsePattern(fill(text, { ...bindings, ...counters }));
  }

  /** ${c1.sent} and ${c1.received}: a raw connection's XEP-0198 counters as they stand (see RawConnection.sm). */
  counters(): Bindings {
    const out: Bindings = {};
    for (const [label, c] of this.raws) {
      if (c.sm.sent !== undefined) out[`${label}.sent`] = String(c.sm.sent);
      if (c.sm.received !== undefined) out[`${label}.received`] = String(c.sm.received);
    }
    return out;
  }

  /**
   * How many bytes of what the case's raw connections sent the server has read: whatever a step waits for may
   * be queued behind a large send, so the step waits while the server reads it.
   */
  readonly readByServer = (): number => [...this.raws.values()].reduce((n, c) => n + c.readByServer(), 0);

  /** A barrier from every participant of the case (or the given actors) to the observers (see barrier.ts). */
  barrier(observers: Participant[], signal?: AbortSignal, actors: Participant[] = this.participants): Promise<void> {
    // A case's rooms and its upload service speak for themselves: each is pinged too (their answers follow what they sent).
    const rooms = this.ctx.muc ? this.sc.rooms.map((r) => this.bindings[r.name]) : [];
    // Every need asked of the upload service (its feature, or its disco#info alone), not the feature only.
    const upload = this.ctx.upload && this.sc.needs.some((n) => "at" in n.shape && n.shape.at === "upload") ? [this.ctx.upload] : [];
    return barrier(observers, actors, this.ctx.timeoutMs, this.ctx.quietMs, signal, [...rooms, ...upload]);
  }

  /**
   * Removes the accounts, then cuts every session and raw connection; never throws (cleanup must not hide
   * the verdict). An account with a session still open is removed through it (the server then ends its
   * sessions), which saves the server a login per account; the others log in to be removed.
   */
  async close(): Promise<void> {
    this.transcript.teardown();
    await this.destroyRooms();
    const made = [...this.credentials].map(([account, m]) => ({ ...m, open: this.all.find((s) => s.isOpen && s.label.startsWith(`${account}/`)) }));
    const via = (c: Credentials) => made.find((m) => m.creds === c)?.open;
    // Each ledger removes only the accounts it made.
    await Promise.all(
      [this.ctx.ledger, this.ctx.peer?.ledger].map((l) =>
        l?.remove(
          made.map((m) => m.creds),
          via,
        ),
      ),
    );
    this.transcript.add("harness", "note", "accounts removed", true);
    // The case is over and its accounts are gone: the connections are cut, not closed (no round trip left to wait for).
    for (const s of this.all) s.drop();
    for (const c of this.raws.values()) c.drop();
    for (const c of this.boshes.values()) c.close();
    for (const user of new Set(this.remotes.values())) this.ctx.remote?.release(user);
    this.transcript.add("harness", "note", "sessions closed", true);
  }
}
