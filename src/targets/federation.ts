import net from "node:net";
import { setTimeout as pause } from "node:timers/promises";

/** Each server of a pair has its own loopback address, so all of them can use the standard s2s port. */
export const S2S_PORT = 5269;

/**
 * Polls until `host:port` accepts a TCP connection. For s2s a connect is the only signal we can get without
 * speaking dialback ourselves; c2s readiness (a real stream) has been checked before, so the server is up.
 */
export async function waitForPort(host: string, port: number, opts: { deadlineMs: number; describe: () => string }): Promise<void> {
  const end = Date.now() + opts.deadlineMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = net.connect({ host, port });
        socket.setTimeout(1000, () => socket.destroy(new Error("connect timed out")));
        socket.once("connect", () => (socket.destroy(), resolve()));
        socket.once("error", reject);
      });
      return;
    } catch (err) {
      last = err;
    }
    await pause(20);
  }
  throw new Error(`s2s ${host}:${port} did not accept connections within ${opts.deadlineMs} ms (${(last as Error)?.message})\n${opts.describe()}`);
}
