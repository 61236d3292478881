/**
 * Rejects with `what` when `promise` has not settled within `ms`. The timer stays referenced: when the
 * awaited work can no longer finish (a socket destroyed mid-login by Ctrl-C), it is what ends the wait; an
 * unreferenced one let the loop empty under a pending top-level await (exit code 13).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} (no answer within ${ms} ms)`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
