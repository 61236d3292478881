/**
 * Pauses before each attempt of a retried operation (set-up, a removal, the preflight): short, doubling,
 * bounded: six attempts, under a second of waiting in all. A server that kills one connection in five still
 * fails an operation for good less than once in 15,000.
 */
export const RETRY_BACKOFF_MS = [0, 25, 50, 100, 200, 400] as const;
