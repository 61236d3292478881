import type { Element } from "ltx";
import type { Received } from "./session.ts";

/**
 * Stanzas in arrival order, and waiting for one: `waitUntil` re-evaluates a probe on every arrival until it
 * returns a value, the inbox is closed or time runs out (no polling, no sleeps). A session's inbox has this
 * shape; so has the scripted remote server's, per remote account.
 */
export class Inbox {
  readonly items: Received[] = [];
  /** Why nothing more will arrive, once that is so. */
  closedReason?: string;
  private readonly waiters = new Set<() => void>();
  private seq = 0;

  constructor(private readonly now: () => number) {}

  push(el: Element): Received {
    const r = { el, at: this.now(), seq: this.seq++, consumed: false };
    this.items.push(r);
    this.wake();
    return r;
  }

  close(reason: string): void {
    this.closedReason ??= reason;
    this.wake();
  }

  waitUntil<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const first = probe();
    if (first !== undefined || this.closedReason) return Promise.resolve(first);
    return new Promise((resolve) => {
      const finish = (v: T | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(v);
      };
      const check = () => {
        const v = probe();
        if (v !== undefined || this.closedReason) finish(v);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      this.waiters.add(check);
    });
  }

  /** The first unconsumed stanza `pick` accepts, marked consumed; waits for it up to `timeoutMs`. */
  async take(pick: (el: Element) => boolean, timeoutMs: number): Promise<Element | undefined> {
    const r = await this.waitUntil(() => this.items.find((i) => !i.consumed && pick(i.el)), timeoutMs);
    if (r) r.consumed = true;
    return r?.el;
  }

  /** Marks everything received so far as seen. */
  consumeAll(): void {
    for (const r of this.items) r.consumed = true;
  }

  /** Re-evaluates the waiting probes: something they look at besides the stanzas has changed (a barrier marker arrived). */
  wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
