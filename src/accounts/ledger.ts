import { randomBytes } from "node:crypto";
import type { Credentials, Session } from "../xmpp/connections/session.ts";
import type { AccountJournal } from "./journal.ts";
import { AccountsRefused, isRefusal, type Refusal } from "./refusal.ts";
import { removeAccount } from "./removal.ts";
import type { Provisioner } from "./types.ts";

/** How long the end of a run tries to remove the accounts its cases left, at most. */
export const CLEANUP_MS = 15_000;

/** An account the run could not remove (or, for an existing one, clean), and why. */
export interface LeftAccount {
  jid: string;
  reason: string;
}

/**
 * Every account the run created and has not removed yet, so that an interrupted or crashed case still
 * gets its accounts removed at the end, and the report can name those that could not be. With a journal
 * the accounts also outlive a crash of the harness itself. For a provisioner with a fixed set of accounts
 * it also hands out turns, so that concurrent cases never wait on each other.
 */
export class AccountLedger {
  /** The accounts not removed yet, with their JIDs and the second password a case may have changed theirs to. */
  private readonly open = new Map<Credentials, { jid: string; spare?: string }>();
  private readonly queue: { count: number; admit: () => void; refuse: (why: string) => void }[] = [];
  /** Accounts promised to running cases (counted only when the provisioner has a limit). */
  private promised = 0;
  created = 0;
  /** Accounts that could not be removed (the journal keeps them for `cleanup`). */
  readonly left: LeftAccount[] = [];
  /** Set once the server refused to make accounts; create() then fails at once with it. */
  refused?: Refusal;
  private readonly journal?: AccountJournal;
  /** Aborted (with the reason) once removing is no use: the server is gone, or cleanup ran out of time. */
  private readonly giveUp = new AbortController();
  /** Given up without a reason: the accounts go with the server (a local one's folder), so none is left. */
  private forget = false;
  /** Removals under way: not removed yet either. */
  private removing = 0;

  constructor(
    private readonly provisioner: Provisioner,
    opts: { journal?: AccountJournal } = {},
  ) {
    this.journal = opts.journal;
  }

  get notRemoved(): number {
    return this.left.length;
  }

  /** How many accounts cases can hold at once: the provisioner's set of existing ones, else no limit. */
  get capacity(): number {
    return this.provisioner.limit?.().accounts ?? Infinity;
  }

  /**
   * Waits until `count` accounts can be had at once and reserves them for one case; resolves with the
   * function that gives them back, or with the reason the case cannot have them (the case is skipped).
   * Reserving all of a case's accounts in one step means two cases never hold half of what each needs.
   */
  admit(count: number): Promise<(() => void) | string> {
    if (!this.provisioner.limit) return Promise.resolve(() => {});
    const refused = this.refusal(count);
    if (refused) return Promise.resolve(refused);
    return new Promise((resolve) => {
      this.queue.push({ count, admit: () => resolve(() => this.giveBack(count)), refuse: resolve });
      this.serve();
    });
  }

  private refusal(count: number): string | undefined {
    const limit = this.provisioner.limit!();
    return count > limit.accounts ? `needs ${count} accounts at once; ${limit.why}` : undefined;
  }

  private giveBack(count: number): void {
    this.promised -= count;
    this.serve();
  }

  /** First come, first served: a case needing many accounts is not overtaken forever by small ones. */
  private serve(): void {
    while (this.queue.length > 0) {
      const next = this.queue[0];
      const refused = this.refusal(next.count);
      if (!refused && this.promised + next.count > this.provisioner.limit!().accounts) return;
      this.queue.shift();
      if (refused) {
        next.refuse(refused);
      } else {
        this.promised += next.count;
        next.admit();
      }
    }
  }

  /** A room an account of this ledger owns (made, or `gone`): journalled so that `cleanup` destroys what a killed run left. */
  ownsRoom(creds: Credentials, room: string, gone = false): void {
    this.journal?.room(`${creds.username}@${this.provisioner.domain}`, room, gone);
  }

  /**
   * A fresh account (or a free existing one), journalled before it is made, so that a crash of the harness
   * leaves a record for `cleanup`. Once the server has refused to make accounts (registration off or
   * throttled, add-user forbidden), every later call fails at once with that refusal: a run does not ask
   * hundreds of times for what the server has said it will not give.
   */
  async create(localpart: string, opts: { spare?: string } = {}): Promise<Credentials> {
    if (this.refused) throw new AccountsRefused(this.refused);
    const password = randomBytes(12).toString("hex");
    // Existing accounts are journalled once handed out (their names are known only then), without their passwords.
    const existing = Boolean(this.provisioner.limit);
    const jid = `${localpart}@${this.provisioner.domain}`;
    if (!existing) this.journal?.add({ jid, way: this.provisioner.name, password, ...(opts.spare && { spare: opts.spare }) });
    let creds: Credentials;
    try {
      creds = await this.provisioner.create(localpart, password);
    } catch (err) {
      if (isRefusal(err)) {
        this.refused ??= err.refusal;
        this.journal?.drop(jid);
      } else if (!existing) {
        // No answer, or one after the server may have made it: removed (or found gone) with the rest.
        this.open.set({ username: localpart, password }, { jid, ...opts });
      }
      throw err;
    }
    this.created++;
    const made = `${creds.username}@${this.provisioner.domain}`;
    if (existing) this.journal?.add({ jid: made, way: this.provisioner.name });
    this.open.set(creds, { jid: made, ...opts });
    return creds;
  }

  /**
   * Names a fresh account a case will register itself (XEP-0077): journalled and removed with the others if it
   * exists by then, never made here. Only for a provisioner that makes accounts (the pool skips such cases otherwise).
   */
  expect(localpart: string): Credentials {
    const creds = { username: localpart, password: randomBytes(12).toString("hex") };
    const jid = `${localpart}@${this.provisioner.domain}`;
    this.journal?.add({ jid, way: this.provisioner.name, password: creds.password });
    this.open.set(creds, { jid });
    return creds;
  }

  /**
   * Removes the accounts, retried and checked (removal.ts); one that stays is named in `left`, never thrown
   * (cleanup must not hide the verdict). `via` gives an open session of an account, to remove it through.
   */
  async remove(list: Credentials[], via?: (c: Credentials) => Session | undefined): Promise<void> {
    const signal = this.giveUp.signal;
    await Promise.all(
      list
        .filter((c) => this.open.has(c))
        .map(async (c) => {
          const { jid, spare } = this.open.get(c)!;
          this.open.delete(c);
          this.removing++;
          let result = await removeAccount(this.provisioner, c, via?.(c), signal);
          // Refused with its first password, it may carry the second one a case changed it to.
          if (!result.removed && result.gone && spare) result = await removeAccount(this.provisioner, { ...c, password: spare }, undefined, signal);
          this.removing--;
          if (result.removed || result.gone) this.journal?.drop(jid);
          else if (!(signal.aborted && this.forget)) this.left.push({ jid, reason: result.why });
        }),
    );
  }

  /**
   * Stops removing accounts: no attempt starts from now on, and what is not removed stays in the journal for
   * `cleanup`, with `why`. Without a reason the accounts go with the server itself (a local server's folder): none is left.
   */
  abandon(why?: string): void {
    this.forget = why === undefined;
    this.giveUp.abort(why ?? "the server's accounts go with it");
  }

  /** The accounts made and not removed yet: what a run that quits now leaves. */
  get notRemovedYet(): number {
    return this.open.size + this.removing;
  }

  /**
   * Whatever is left (cases that never reached their own cleanup), for at most `deadlineMs`; then the journal
   * is closed (deleted when empty).
   */
  async removeAll(deadlineMs = CLEANUP_MS): Promise<void> {
    const late = setTimeout(() => this.abandon(`not removed within ${deadlineMs / 1000} s of cleanup`), deadlineMs);
    try {
      await this.remove([...this.open.keys()]);
    } finally {
      clearTimeout(late);
      this.journal?.close();
    }
  }
}

/** What results.json says about the accounts of a run's ledgers (the target's and a pair's second server's). */
export function accountsSummary(ledgers: (AccountLedger | undefined)[]): { created: number; notRemoved: number; left?: LeftAccount[]; refused?: string } {
  const present = ledgers.filter((l): l is AccountLedger => Boolean(l));
  const left = present.flatMap((l) => l.left);
  const refused = present.find((l) => l.refused)?.refused?.message;
  return { created: present.reduce((n, l) => n + l.created, 0), notRemoved: left.length, ...(left.length > 0 && { left }), ...(refused && { refused }) };
}
