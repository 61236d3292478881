import { randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { makeRunCa, type RunCa } from "./cert.ts";
import { S2S_PORT, waitForPort } from "./federation.ts";
import type { FederationOptions, LocalTargetOptions, Target } from "./types.ts";

export type Starter = (opts: LocalTargetOptions) => Promise<Target>;

/** The domains of a pair, and a name mapped to an address nobody listens on (for the unreachable-domain cases). */
export const PAIR_DOMAINS = { a: "a.test", b: "b.test", dead: "dead.test" } as const;

/**
 * 127.X.Y.2 (a), .3 (b) and .9 (dead), X and Y random: two pairs on one machine (parallel test runs) almost
 * never share addresses, and a clash shows as a bind failure that the caller retries with new ones.
 */
function addresses(): { a: string; b: string; dead: string } {
  const net = `127.${randomInt(1, 255)}.${randomInt(1, 255)}`;
  return { a: `${net}.2`, b: `${net}.3`, dead: `${net}.9` };
}

function federation(self: "a" | "b", ip: ReturnType<typeof addresses>, tls: boolean): FederationOptions {
  const other = self === "a" ? "b" : "a";
  return {
    domain: PAIR_DOMAINS[self],
    s2sIp: ip[self],
    peers: [{ domain: PAIR_DOMAINS[other], ip: ip[other] }, { domain: PAIR_DOMAINS.dead, ip: ip.dead }],
    ...(tls && { tls }),
  };
}

/** Starts both servers in parallel; if either fails, the other is stopped before the error is thrown. */
async function startBoth(first: Starter, second: Starter, opts: LocalTargetOptions): Promise<Target> {
  const ip = addresses();
  const tls = opts.s2s === "tls";
  const started = await Promise.allSettled([first({ ...opts, federation: federation("a", ip, tls) }), second({ ...opts, federation: federation("b", ip, tls) })]);
  const up = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const stop = async () => void (await Promise.all(up.map((t) => t.stop())));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  const [a, b] = up;
  try {
    await Promise.all([a, b].map((t, i) => waitForPort(i === 0 ? ip.a : ip.b, S2S_PORT, { deadlineMs: 20_000, describe: () => `${t.name} log: ${t.logFile}` })));
  } catch (err) {
    await stop();
    throw err;
  }
  const { stop: _a, peer: _p, s2sLinks: _l, ...side } = b;
  return {
    ...a,
    name: `${a.name}+${b.name.replace(/^local:/, "")}`,
    peer: side,
    s2s: opts.s2s ?? "dialback",
    s2sLinks: () => [...(a.s2sLinks?.() ?? []), ...(b.s2sLinks?.() ?? [])],
    stop,
  };
}

/**
 * A pair of local servers federating: domain a.test (first) and b.test (second), each with c2s on a free
 * 127.0.0.1 port and s2s on port 5269 of its own loopback address. `s2s`: Server Dialback over plain TCP
 * (the default), or TLS with certificates from a CA made for the pair, which both servers trust. Prosody's
 * mod_tls serves clients and servers alike, so with s2s TLS the clients get STARTTLS too (required, or
 * TLS from the first byte with `tls: "direct"`), with the same CA. A bind failure (an address in use) gets
 * fresh addresses, a few times.
 */
export async function startPair(first: Starter, second: Starter, opts: LocalTargetOptions): Promise<Target> {
  if (opts.tls && opts.s2s !== "tls") throw new Error("a pair serves TLS to clients only with TLS between its servers (--s2s tls): Prosody cannot offer one without the other");
  let ca: RunCa | undefined;
  if (opts.s2s === "tls") ca = await makeRunCa(mkdtempSync(path.join(tmpdir(), "xmpp-conform-ca-")));
  const removeCa = () => ca && rmSync(ca.dir, { recursive: true, force: true });
  const each: LocalTargetOptions = { ...opts, ...(ca && { ca, tls: opts.tls ?? "starttls" }) };
  for (let attempt = 1; ; attempt++) {
    try {
      const pair = await startBoth(first, second, each);
      return { ...pair, stop: async () => (await pair.stop(), removeCa()) };
    } catch (err) {
      const bind = /EADDRINUSE|address already in use|eaddrinuse|Failed to open server port|did not accept connections/i.test((err as Error).message);
      if (!bind || attempt === 3) {
        removeCa();
        throw err;
      }
      opts.log(`s2s address in use, retrying with other loopback addresses (${(err as Error).message.split("\n")[0]})`);
    }
  }
}
