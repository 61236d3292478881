import type { Element } from "ltx";

/** A stanza that arrived on a session, in arrival order; expectations consume it once matched. */
export interface Received {
  el: Element;
  /** ms since the case started (the transcript's clock). */
  at: number;
  seq: number;
  consumed: boolean;
  /** A 'receives nothing' already reported it: not again by another, though a 'receives' may still match it (it came). */
  reported?: boolean;
}

/**
 * How many bytes the server has read so far of what the harness sent it, where what a wait is for is queued
 * behind those bytes (a stanza after a large one, a marker, the server's answer to it). It only ever grows.
 */
export type ReadByServer = () => number;

/**
 * The stanzas a connection received for the scenario's expectations, and the waits on them (sessions, raw
 * connections and the remote server's accounts alike). Waits are woken by arrivals and by the end of the
 * connection: no polling, no sleeps.
 */
export class Inbox {
  readonly items: Received[] = [];
  /** Why the session ended, once it has: waits end then. */
  closedReason?: string;
  private readonly waiters = new Set<() => void>();
  private seq = 0;

  /** `readByServer`: what this connection's own waits are queued behind (a raw connection's sends). */
  constructor(private readonly readByServer?: ReadByServer) {}

  push(el: Element, at: number): void {
    this.add({ el, at, seq: this.seq++, consumed: false });
  }

  /** An arrival its owner numbered (a raw connection numbers headers and elements in one order). */
  add(r: Received): void {
    this.items.push(r);
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
   * time runs out (undefined then). A failed `until` proves nothing; `behind` as for waitFor.
   */
  waitUntil<T>(probe: () => T | undefined, timeoutMs: number, until?: Promise<unknown>, behind?: ReadByServer): Promise<T | undefined> {
    return this.waitFor(() => probe() ?? (this.closedReason ? null : undefined), timeoutMs, until, behind);
  }

  /**
   * The one wait of every connection kind: re-evaluates `probe` on every arrival and on the end of the connection
   * until it returns a value (null ends the wait early, with undefined), time runs out, or `proof` resolves: then
   * it is evaluated once more. A `proof` that rejects ends nothing: a failed barrier proves nothing, so the wait
   * goes on.
   *
   * Time runs out when the timeout passes without the server reading any more of what the awaited answer is
   * queued behind (`behind`, else the connection's own sends): a server that reads slowly (rate limits) is
   * waited for while it reads, one more timeout after it has read everything, and one that stopped reading ends
   * the wait within two timeouts. The count is looked at only when the timeout passes: no polling.
   */
  waitFor<T>(probe: () => T | null | undefined, timeoutMs: number, proof?: Promise<unknown>, behind = this.readByServer): Promise<T | undefined> {
    const first = probe();
    if (first !== undefined) return Promise.resolve(first ?? undefined);
    return new Promise((resolve) => {
      let done = false;
      let timer: NodeJS.Timeout;
      let read = behind?.() ?? 0;
      const finish = (v: T | null | undefined) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(v ?? undefined);
      };
      const check = () => {
        const v = probe();
        if (v !== undefined) finish(v);
      };
      const expire = () => {
        const now = behind?.() ?? 0;
        if (now <= read) return finish(undefined);
        read = now;
        timer = setTimeout(expire, timeoutMs);
      };
      timer = setTimeout(expire, timeoutMs);
      this.waiters.add(check);
      proof?.then(
        () => finish(probe()),
        () => {},
      );
    });
  }
}
