import type { Element } from "ltx";
import { waitOn } from "./wait.ts";

/** A stanza that arrived on a session, in arrival order; expectations consume it once matched. */
export interface Received {
  el: Element;
  /** ms since the case started (the transcript's clock). */
  at: number;
  seq: number;
  consumed: boolean;
}

/**
 * The stanzas a session received for the scenario's expectations, and the waits on them. Waits are woken
 * by arrivals and by the end of the session: no polling, no sleeps.
 */
export class Inbox {
  readonly items: Received[] = [];
  /** Why the session ended, once it has: waits end then. */
  closedReason?: string;
  private readonly waiters = new Set<() => void>();
  private seq = 0;

  push(el: Element, at: number): void {
    this.items.push({ el, at, seq: this.seq++, consumed: false });
    this.wake();
  }

  /** Re-evaluates the waits (an arrival the inbox does not keep, such as a barrier marker, may settle one). */
  wake(): void {
    for (const wake of [...this.waiters]) wake();
  }

  close(reason: string): void {
    this.closedReason ??= reason;
    this.wake();
  }

  /** Marks everything received so far as seen (set-up traffic is not for the scenario's expectations). */
  consumeAll(): void {
    for (const r of this.items) r.consumed = true;
  }

  /**
   * Re-evaluates `probe` on every arrival until it returns a value, the session ends, `until` resolves, or
   * time runs out (undefined then). A failed `until` proves nothing (see waitOn).
   */
  waitUntil<T>(probe: () => T | undefined, timeoutMs: number, until?: Promise<unknown>): Promise<T | undefined> {
    return waitOn(this.waiters, () => probe() ?? (this.closedReason ? null : undefined), timeoutMs, until);
  }
}
