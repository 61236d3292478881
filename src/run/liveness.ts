import { setTimeout as pause } from "node:timers/promises";
import { whyNoAnswer } from "../xmpp/connections/answers.ts";
import type { Endpoint } from "../xmpp/wire/endpoint.ts";

/** How often each server is asked whether it is there while the run goes, and after a failed probe. */
const EVERY_MS = 1000;
const AGAIN_MS = 500;
/** A probe that gets no byte in this long has failed. */
const PROBE_TIMEOUT_MS = 4000;
/**
 * A server is gone once this many probes in a row have failed over at least this long: a server restarting
 * in a second, or one that resets a share of new connections (under load, or by policy), is not gone.
 */
const GONE_AFTER = { probes: 4, ms: 3000 };

/** What set-up asks before it tries again: whether the servers answer now (see Liveness.answering). */
export interface Health {
  answering(signal: AbortSignal): Promise<void>;
}

/** One server's probes: whether the latest failed, and who waits for one to succeed. */
class Watch {
  failing?: { since: number; count: number; why: string };
  /** Probes started so far: a waiter needs one that started after it came. */
  started = 0;
  readonly waiters = new Set<{ after: number; resolve: () => void }>();
  /** Cuts the pause between probes short when someone waits. */
  wake = new AbortController();

  constructor(
    readonly name: string,
    readonly endpoint: Endpoint,
  ) {}
}

/**
 * Watches that the run's servers are there: a probe connection every second (whyNoAnswer), and a server that
 * refuses, resets or ignores new connections for a few seconds is gone. `onGone` hears it once, with the
 * server and what showed it; nothing else in the run has to guess from its own failures. Set-up that failed
 * waits for a fresh answer before it tries again (answering), so nothing spins against a server that is gone.
 */
export class Liveness implements Health {
  private readonly stopping = new AbortController();
  private readonly watches: Watch[];
  private gone = false;

  constructor(
    servers: { name: string; endpoint: Endpoint }[],
    private readonly onGone: (detail: string) => void,
  ) {
    this.watches = servers.map((s) => new Watch(s.name, s.endpoint));
  }

  start(): void {
    for (const w of this.watches) void this.watch(w);
  }

  stop(): void {
    this.stopping.abort();
  }

  /**
   * Resolves once every server has answered a probe made after the call (one round trip when they are there);
   * while one does not, it waits, until the run stops (`signal`, aborted once the server is gone).
   */
  answering(signal: AbortSignal): Promise<void> {
    return Promise.all(
      this.watches.map(
        (w) =>
          new Promise<void>((resolve) => {
            const done = () => {
              w.waiters.delete(waiter);
              signal.removeEventListener("abort", done);
              resolve();
            };
            const waiter = { after: w.started, resolve: done };
            if (signal.aborted) return done();
            w.waiters.add(waiter);
            signal.addEventListener("abort", done, { once: true });
            w.wake.abort();
          }),
      ),
    ).then(() => undefined);
  }

  private async watch(w: Watch): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted && !this.gone) {
      const probe = ++w.started;
      const why = await whyNoAnswer(w.endpoint, PROBE_TIMEOUT_MS);
      if (signal.aborted || this.gone) return;
      w.failing = why === undefined ? undefined : { since: w.failing?.since ?? Date.now(), count: (w.failing?.count ?? 0) + 1, why };
      if (!w.failing) for (const waiter of w.waiters) if (waiter.after < probe) waiter.resolve();
      if (w.failing && w.failing.count >= GONE_AFTER.probes && Date.now() - w.failing.since >= GONE_AFTER.ms) {
        this.gone = true;
        return this.onGone(`${w.name} stopped answering: ${w.failing.why}`);
      }
      // The pause between probes is a poll interval, not a wait for the server (stop() ends it). A waiter cuts it
      // short while the server answers; while it fails, the probes keep their pace.
      if (w.wake.signal.aborted) w.wake = new AbortController();
      if (w.failing) await pause(AGAIN_MS, undefined, { signal }).catch(() => {});
      else if (w.waiters.size === 0) await pause(EVERY_MS, undefined, { signal: AbortSignal.any([signal, w.wake.signal]) }).catch(() => {});
    }
  }
}
