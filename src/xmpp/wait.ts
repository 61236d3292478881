/**
 * The one wait every connection kind uses (sessions, raw connections, the scripted remote server's streams):
 * `probe` is re-evaluated whenever a waker in `waiters` runs (an arrival, the end of the connection) until it
 * returns a value (null ends the wait early, with undefined), time runs out, or `proof` resolves: then it is
 * evaluated once more. A `proof` that rejects ends nothing: a failed barrier proves nothing, so the wait goes on.
 */
export function waitOn<T>(
  waiters: Set<() => void>,
  probe: () => T | null | undefined,
  timeoutMs: number,
  proof?: Promise<unknown>,
): Promise<T | undefined> {
  const first = probe();
  if (first !== undefined) return Promise.resolve(first ?? undefined);
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: T | null | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      waiters.delete(check);
      resolve(v ?? undefined);
    };
    const check = () => {
      const v = probe();
      if (v !== undefined) finish(v);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    waiters.add(check);
    proof?.then(() => finish(probe()), () => {});
  });
}
