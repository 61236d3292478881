import { randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { issueCertificate, makeRunCa, type RunCa } from "./cert.ts";
import { serviceSubdomains } from "../families/index.ts";
import { S2S_PORT, waitForPort } from "./federation.ts";
import { ADDRESS_IN_USE, startingAgain } from "./ready.ts";
import type { FederationOptions, LocalTargetOptions, Target } from "./types.ts";

export type Starter = (opts: LocalTargetOptions) => Promise<Target>;

/**
 * The domains of federating targets: a (first server), b (second), remote (the harness's scripted remote
 * server), and a name mapped to an address nobody listens on (for the unreachable-domain cases).
 */
export const PAIR_DOMAINS = { a: "a.test", b: "b.test", dead: "dead.test", remote: "remote.test" } as const;

type Addresses = Record<keyof typeof PAIR_DOMAINS, string>;

/**
 * 127.X.Y.2 (a), .3 (b), .5 (remote) and .9 (dead), X and Y random: two federations on one machine (parallel
 * test runs) almost never share addresses, and a clash shows as a bind failure that the caller retries with new ones.
 */
function addresses(): Addresses {
  const net = `127.${randomInt(1, 255)}.${randomInt(1, 255)}`;
  return { a: `${net}.2`, b: `${net}.3`, remote: `${net}.5`, dead: `${net}.9` };
}

/**
 * Each server maps every other domain of the federation (the other server, if any, the remote one, the dead one)
 * to its address, and the other server's service subdomains too (an occupant on b enters a room on a's MUC service).
 */
function federation(self: "a" | "b", sides: ("a" | "b")[], ip: Addresses, tls: boolean): FederationOptions {
  const others = [...sides.filter((d) => d !== self), "remote", "dead"] as const;
  const services = sides.filter((d) => d !== self).flatMap((d) => serviceSubdomains().map((sub) => ({ domain: `${sub}.${PAIR_DOMAINS[d]}`, ip: ip[d] })));
  return {
    domain: PAIR_DOMAINS[self],
    s2sIp: ip[self],
    peers: [...others.map((d) => ({ domain: PAIR_DOMAINS[d], ip: ip[d] })), ...services],
    ...(tls && { tls }),
  };
}

/** Starts the servers in parallel; if one fails, the others are stopped before the error is thrown. */
async function startAll(starters: Starter[], opts: LocalTargetOptions, ca: RunCa | undefined): Promise<Target> {
  const ip = addresses();
  const tls = opts.s2s === "tls";
  const sides = (["a", "b"] as ("a" | "b")[]).slice(0, starters.length);
  const started = await Promise.allSettled(starters.map((start, i) => start({ ...opts, federation: federation(sides[i], sides, ip, tls) })));
  const up = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const stop = async () => void (await Promise.all(up.map((t) => t.stop())));
  const abandon = () =>
    up
      .map((t) => t.abandon?.())
      .filter(Boolean)
      .join("; ");
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  try {
    await Promise.all(up.map((t, i) => waitForPort(ip[sides[i]], S2S_PORT, { deadlineMs: 20_000, describe: () => `${t.name} log: ${t.logFile}` })));
  } catch (err) {
    await stop();
    throw err;
  }
  const certificate = ca && (await issueCertificate(ca, ca.dir, PAIR_DOMAINS.remote));
  const [a, b] = up;
  const remote = { domain: PAIR_DOMAINS.remote, host: ip.remote, port: S2S_PORT, ...(certificate && { certificate }) };
  const links = () => up.flatMap((t) => t.s2sLinks?.() ?? []);
  if (!b) return { ...a, name: `${a.name}+remote`, s2s: opts.s2s ?? "dialback", s2sLinks: links, remote, stop, abandon };
  const { stop: _a, abandon: _b, peer: _p, s2sLinks: _l, ...side } = b;
  return { ...a, name: `${a.name}+${b.name.replace(/^local:/, "")}`, peer: side, s2s: opts.s2s ?? "dialback", s2sLinks: links, remote, stop, abandon };
}

/**
 * Local servers federating with each other and with the harness's scripted remote server (remote.test, on an
 * address of its own): each with c2s on a free 127.0.0.1 port and s2s on port 5269 of its own loopback
 * address. `s2s`: Server Dialback over plain TCP (the default), or TLS with certificates from a CA made for
 * the run, which every server (and the remote server's certificate) shares. Prosody's mod_tls serves clients
 * and servers alike, so with s2s TLS the clients get STARTTLS too (required, or TLS from the first byte with
 * `tls: "direct"`), with the same CA. A bind failure (an address in use) gets fresh addresses, a few times.
 */
async function startFederation(starters: Starter[], opts: LocalTargetOptions): Promise<Target> {
  if (opts.tls && opts.s2s !== "tls") throw new Error("federating servers serve TLS to clients only with TLS between servers (--s2s tls): Prosody cannot offer one without the other");
  const ca = opts.s2s === "tls" ? await makeRunCa(mkdtempSync(path.join(tmpdir(), "xmpp-conform-ca-"))) : undefined;
  const removeCa = () => ca && rmSync(ca.dir, { recursive: true, force: true });
  const each: LocalTargetOptions = { ...opts, ...(ca && { ca, tls: opts.tls ?? "starttls" }) };
  try {
    // An s2s address in use shows as a server that did not accept connections on it: other loopback addresses then.
    const inUse = new RegExp(`${ADDRESS_IN_USE.source}|did not accept connections`, "i");
    const target = await startingAgain(() => startAll(starters, each, ca), opts.log, inUse);
    return { ...target, stop: async () => (await target.stop(), removeCa()), abandon: () => [target.abandon?.(), (removeCa(), ca && `${ca.dir} removed`)].filter(Boolean).join("; ") };
  } catch (err) {
    removeCa();
    throw err;
  }
}

/** A pair: domain a.test (first) and b.test (second), federating with each other (and with remote.test). */
export const startPair = (first: Starter, second: Starter, opts: LocalTargetOptions) => startFederation([first, second], opts);

/** One server on a.test whose only federating partner is the harness's scripted remote server (remote.test). */
export const startWithRemote = (only: Starter, opts: LocalTargetOptions) => startFederation([only], opts);
