import { setTimeout as pause } from "node:timers/promises";

/**
 * Pauses before each attempt of a retried operation (set-up, a removal, the preflight): short, doubling,
 * bounded: six attempts, under a second of waiting in all. A server that kills one connection in five still
 * fails an operation for good less than once in 15,000.
 */
export const RETRY_BACKOFF_MS = [0, 25, 50, 100, 200, 400] as const;

/**
 * Attempts of a login a step asks for (`bob/b2 connects`) and of an account's removal: neither can start over on
 * fresh accounts as set-up does (a run removes hundreds, so six attempts left one behind now and then), so they get more, at the schedule's last pause (about 2.4 s of waiting in all). Against a server
 * that kills one connection in five it fails for good about once in ten million.
 */
export const MID_CASE_ATTEMPTS = 10;

/**
 * Waits before attempt `n` (from 1) of a retried operation: a backoff after a failure, not a wait for the
 * server. Jittered, so cases retrying together do not hit the server in step; an abort ends it early.
 */
export async function pauseBefore(n: number, signal?: AbortSignal): Promise<void> {
  const wait = n <= 1 ? 0 : RETRY_BACKOFF_MS[Math.min(n, RETRY_BACKOFF_MS.length) - 1];
  if (wait > 0) await pause(wait * (0.5 + Math.random()), undefined, { signal }).catch(() => {});
}
