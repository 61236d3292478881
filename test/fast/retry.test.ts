import { test } from "node:test";
import assert from "node:assert/strict";
import { retry, type Retrying } from "../../src/run/case/retry.ts";
import { MID_CASE_ATTEMPTS, RETRY_BACKOFF_MS } from "../../src/util/retry.ts";
import { Transcript } from "../../src/xmpp/connections/transcript.ts";

const retrying = (): Retrying => ({ signal: new AbortController().signal, transcript: new Transcript(), reasons: [] });
/** An operation that fails its first `n` attempts, as a server that kills those connections. */
const failing = (n: number) => {
  let calls = 0;
  return async () => {
    if (++calls <= n) throw new Error(`killed ${calls}`);
    return calls;
  };
};

test("set-up work is tried as often as the schedule is long, then fails naming how many attempts there were", async () => {
  const r = retrying();
  assert.equal(await retry("set-up", r, failing(RETRY_BACKOFF_MS.length - 1)), RETRY_BACKOFF_MS.length);
  assert.equal(r.reasons.length, RETRY_BACKOFF_MS.length - 1);
  await assert.rejects(retry("set-up", retrying(), failing(RETRY_BACKOFF_MS.length)), /killed 6 \(set-up: 6 attempts\)/);
});

test("a login in the middle of a case, which cannot start over on fresh accounts, gets more attempts", async () => {
  assert.ok(MID_CASE_ATTEMPTS > RETRY_BACKOFF_MS.length);
  const r = retrying();
  assert.equal(await retry("bob/b2 logging in", r, failing(MID_CASE_ATTEMPTS - 1), MID_CASE_ATTEMPTS), MID_CASE_ATTEMPTS);
  await assert.rejects(retry("bob/b2 logging in", retrying(), failing(MID_CASE_ATTEMPTS), MID_CASE_ATTEMPTS), /\(bob\/b2 logging in: 10 attempts\)/);
});
