import type { Credentials } from "../xmpp/session.ts";
import type { Provisioner } from "./types.ts";

/**
 * Every account the run created and has not removed yet, so that an interrupted or crashed case still
 * gets its accounts removed at the end, and the report can say how many could not be.
 */
export class AccountLedger {
  private readonly open = new Set<Credentials>();
  created = 0;
  notRemoved = 0;

  constructor(private readonly provisioner: Provisioner) {}

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
