import type { Credentials } from "../xmpp/session.ts";
import type { Provisioner } from "./types.ts";

/**
 * Every account the run created and has not removed yet, so that an interrupted or crashed case still
 * gets its accounts removed at the end, and the report can say how many could not be. For a provisioner
 * with a fixed set of accounts it also hands out turns, so that concurrent cases never wait on each other.
 */
export class AccountLedger {
  private readonly open = new Set<Credentials>();
  private readonly queue: { count: number; admit: () => void; refuse: (why: string) => void }[] = [];
  /** Accounts promised to running cases (counted only when the provisioner has a limit). */
  private promised = 0;
  created = 0;
  notRemoved = 0;

  constructor(private readonly provisioner: Provisioner) {}

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

  async create(localpart: string): Promise<Credentials> {
    const creds = await this.provisioner.create(localpart);
    this.created++;
    this.open.add(creds);
    return creds;
  }

  /** Removes the accounts; a failure is counted, never thrown (cleanup must not hide the verdict). */
  async remove(list: Credentials[]): Promise<void> {
    await Promise.all(
      list.filter((c) => this.open.has(c)).map(async (c) => {
        this.open.delete(c);
        try {
          await this.provisioner.remove(c);
        } catch {
          this.notRemoved++;
        }
      }),
    );
  }

  /** Whatever is left (cases that never reached their own cleanup). */
  removeAll(): Promise<void> {
    return this.remove([...this.open]);
  }
}
