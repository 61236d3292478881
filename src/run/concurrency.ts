import type { CaseResult } from "../results/schema.ts";

/**
 * How many cases run at once: a fixed number (--concurrency N), or a controller (--concurrency auto) fed with
 * each case's end. The pool starts a case whenever fewer than `limit` run; a limit that drops only stops new
 * starts, it never cancels a running case. Cases share nothing, so no limit changes a verdict.
 */
export interface Concurrency {
  readonly limit: number;
  /** The most `limit` can become. */
  readonly max: number;
  completed(c: Completion): void;
}

/** One case's end, as the controller sees it; times in ms on one clock (performance.now()). */
export interface Completion {
  startedAt: number;
  endedAt: number;
  /** Its set-up time per session it logged in (setupPaceOf); absent when it logged none in. */
  paceMs?: number;
  /** The server dropped, reset or refused a connection during set-up (retried), or refused to give accounts. */
  trouble: boolean;
}

/** The limit a run settled on (held longest) and the range it took. */
export interface Settled {
  settled: number;
  lowest: number;
  highest: number;
}

export const fixedConcurrency = (n: number): Concurrency => ({ limit: n, max: n, completed: () => {} });

/** Where auto starts (the fixed default before it) and the bounds it stays within. */
export const AUTO = { start: 4, min: 1, max: 32 };

/** A limit grows by this much while cases per second rise. */
const STEP = 2;
/** Growth counts as a rise when cases per second went up by at least this factor; less is flat. */
const GAIN = 1.05;
/** A window's set-up pace over this many times the window's before at the same limit: the server slows down. */
const SLOW = 2;
/** A back-off multiplies the limit by this (and lowers it by one at least). */
const BACK_OFF = 0.75;
/** Windows held at the highest limit allowed before probing above it again (the load on the server changes). */
const CALM_WINDOWS = 3;

/**
 * --concurrency auto: grows the number of cases at once while cases per second rise and the server answers
 * promptly, and backs off when it does not. Cases differ too much (a raw stream against a dozen logins with
 * roster fixtures) for cases per second or case durations to compare from one part of the plan to the next,
 * so it measures the server by the pace of set-up: a case's set-up time per session it logged in (the
 * server's round trips: SASL, bind, roster, fixtures, a barrier). A window is the next max(10, 2 x limit)
 * cases that logged sessions in and started under the current limit; its median pace p gives cases per
 * second up to a constant (Little's law: limit / p). After each window it
 * - steps back to the limit before when the last growth did not raise limit / p by 5%, and holds there;
 * - backs off (x0.75) when p is over twice the window's before at the same limit;
 * - grows by 2 otherwise, up to a ceiling that a back-off or a step back lowered; after three calm windows
 *   at the ceiling it is lifted, so that room the server gains later in the run is found.
 * It backs off at once, down to one case at a time, when a case started under the current limit had its
 * set-up retried (the server dropped or refused a connection) or accounts were refused. Otherwise it stays
 * at or above where it started: a pace that varies with what runs alongside is no reason to go below the
 * concurrency that served before auto.
 */
export class AutoConcurrency implements Concurrency {
  limit: number;
  readonly max: number;
  private readonly min: number;
  private readonly start: number;
  private ceiling: number;
  private changedAt = -Infinity;
  private window: number[] = [];
  /** The pace and limit / pace of the latest window before this one (at the limit before a growth, or this one). */
  private reference?: { limit: number; paceMs: number; rate: number };
  private calm = 0;
  /** Each limit and when it took effect, for how long each was held; the last ends at the latest case end. */
  private readonly spans: { limit: number; from: number }[] = [];
  private lastEnd = 0;

  constructor(bounds: { start: number; min: number; max: number } = AUTO) {
    this.max = Math.max(1, bounds.max);
    this.min = Math.min(bounds.min, this.max);
    this.start = this.limit = Math.min(Math.max(bounds.start, this.min), this.max);
    this.ceiling = this.max;
  }

  completed(c: Completion): void {
    if (this.spans.length === 0) this.spans.push({ limit: this.limit, from: c.startedAt });
    this.lastEnd = Math.max(this.lastEnd, c.endedAt);
    // A case started under an earlier limit measures that one.
    if (c.startedAt < this.changedAt) return;
    if (c.trouble) return this.backOff(this.min, c.endedAt);
    if (c.paceMs === undefined) return;
    this.window.push(c.paceMs);
    if (this.window.length >= Math.max(10, 2 * this.limit)) this.judgeWindow(c.endedAt);
  }

  /** The limit held longest, and the range the limit took. */
  summary(): Settled {
    const held = new Map<number, number>();
    this.spans.forEach((s, i) => held.set(s.limit, (held.get(s.limit) ?? 0) + (this.spans[i + 1]?.from ?? this.lastEnd) - s.from));
    const limits = this.spans.length > 0 ? this.spans.map((s) => s.limit) : [this.limit];
    const settled = [...held].reduce((a, b) => (b[1] > a[1] ? b : a), [this.limit, -Infinity])[0];
    return { settled, lowest: Math.min(...limits), highest: Math.max(...limits) };
  }

  private judgeWindow(now: number): void {
    const paceMs = median(this.window);
    this.window = [];
    const rate = this.limit / paceMs;
    const ref = this.reference;
    if (ref && this.limit > ref.limit && rate < ref.rate * GAIN) {
      this.ceiling = this.limit - 1;
      this.reference = undefined;
      return this.set(ref.limit, now);
    }
    if (ref && this.limit === ref.limit && paceMs > SLOW * ref.paceMs) return this.backOff(this.start, now);
    this.reference = { limit: this.limit, paceMs, rate };
    if (this.limit >= this.ceiling && ++this.calm >= CALM_WINDOWS) {
      this.ceiling = this.max;
      this.calm = 0;
    }
    if (this.limit < this.ceiling) this.set(Math.min(this.ceiling, this.limit + STEP), now);
  }

  /** Multiplicatively down, not below `floor`; the limit backed off from is not tried again until calm. */
  private backOff(floor: number, now: number): void {
    this.ceiling = Math.max(floor, this.limit - 1);
    this.reference = undefined;
    this.calm = 0;
    this.set(Math.max(Math.min(floor, this.limit), Math.min(this.limit - 1, Math.floor(this.limit * BACK_OFF))), now);
  }

  private set(limit: number, now: number): void {
    this.changedAt = now;
    this.window = [];
    if (limit === this.limit) return;
    this.limit = limit;
    this.spans.push({ limit, from: now });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** When a case's set-up was done, ms after it started, from the harness's note in its transcript. */
export const setupMsOf = (c: CaseResult) => c.transcript?.find((e) => e.session === "harness" && e.xml === "set-up done")?.at;

/**
 * A case's set-up time per session it logged in (the sessions' "online as" notes before set-up done): a
 * measure of how fast the server answers that depends little on the case's shape. Absent for a case whose
 * set-up logged no session in (raw connections only) or did not finish.
 */
export function setupPaceOf(c: CaseResult): number | undefined {
  const done = setupMsOf(c);
  if (done === undefined) return undefined;
  const logins = (c.transcript ?? []).filter((e) => e.at <= done && e.dir === "note" && e.xml.startsWith("online as ")).length;
  return logins > 0 ? done / logins : undefined;
}
