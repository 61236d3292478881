/** Pauses before each attempt of a retried step: short, growing, bounded (three attempts, about 0.4 s of waiting in all). */
export const RETRY_BACKOFF_MS = [0, 100, 300] as const;
