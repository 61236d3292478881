import dgram from "node:dgram";
import { readFileSync } from "node:fs";
import net from "node:net";
import { setTimeout as pause } from "node:timers/promises";
import type { Endpoint } from "../xmpp/wire/endpoint.ts";
import { openRawStream } from "../xmpp/connections/raw-stream.ts";
import { openWebSocketStream, type WebSocketEndpoint } from "../xmpp/wire/websocket.ts";
import { openBoshStream, type BoshEndpoint } from "../xmpp/wire/bosh.ts";

/**
 * The kernel's ephemeral range ("low high" in /proc), which every outgoing connection on the machine draws its
 * local port from. A port the kernel picked there for us can be taken by someone's outgoing connection between our
 * release and the server's bind (seen: ejabberd's listener refused with eaddrinuse while another test file ran).
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch {
    // Not Linux: fall back to the IANA dynamic range, which is what others use.
  }
  return [49152, 65535];
}

/** Whether `port` on 127.0.0.1 can be bound now, for TCP or for UDP. */
async function bindable(port: number, transport: "tcp" | "udp"): Promise<boolean> {
  if (transport === "udp") {
    const socket = dgram.createSocket("udp4");
    return new Promise((resolve) => {
      socket.once("error", () => (socket.close(), resolve(false)));
      socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
    });
  }
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A free port on 127.0.0.1 for a local server to listen on, chosen at random below the ephemeral range, where no
 * outgoing connection takes it before the server binds it. Falls back to one the kernel picks.
 */
export async function freePort(transport: "tcp" | "udp" = "tcp"): Promise<number> {
  const [low, high] = ephemeralRange();
  const [from, to] = low > 11_024 ? [10_000, low - 1] : [high + 1, 65_535];
  for (let tries = 0; to > from && tries < 50; tries++) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    if (await bindable(port, transport)) return port;
  }
  return kernelPort(transport);
}

/** A free port the kernel picks for `transport`. */
async function kernelPort(transport: "tcp" | "udp"): Promise<number> {
  if (transport === "udp") {
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve, reject) => socket.once("error", reject).bind(0, "127.0.0.1", resolve));
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(resolve));
    return port;
  }
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A start-up that failed on an address in use (ejabberd's, Erlang's or Prosody's words for it). */
export const ADDRESS_IN_USE = /EADDRINUSE|address already in use|eaddrinuse|Failed to open server port/i;

/**
 * Runs `start` again where it failed on an address in use: another process took a port between its choice
 * (freePorts, racing the other servers the machine starts) and the server's bind. Each attempt chooses its ports
 * afresh and removes what it made; three attempts at most, so a server that cannot bind at all fails after the
 * third with the third's reason, within three start-up deadlines.
 */
export async function startingAgain<T>(start: () => Promise<T>, log: (line: string) => void, inUse: RegExp = ADDRESS_IN_USE): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      const line = (err as Error).message.split("\n").find((l) => inUse.test(l));
      if (!line || attempt === 3) throw err;
      log(`an address was in use at start-up (${line.trim()}): starting again with other addresses`);
    }
  }
}

/** `n` distinct free ports. */
export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/** The ports of a local server: c2s, RFC 7395 WebSocket and XEP-0206 BOSH when asked for, and XEP-0114 components when a family wants one. */
export interface Ports {
  c2s: number;
  websocket?: number;
  bosh?: number;
  component?: number;
  /** HTTPS for the families' services (XEP-0363's slots), with the run CA's certificate. */
  https?: number;
}

/** Where a local server serves RFC 7395: the path both Prosody and ejabberd document. */
export const websocketUrl = (secure: boolean, port: number) => `${secure ? "wss" : "ws"}://127.0.0.1:${port}/xmpp-websocket`;

/**
 * A local server's BOSH inactivity limit (XEP-0124 §10), in seconds: a client cut off mid-session is noticed after
 * it, as a cut TCP connection is at once. The harness's sessions always keep a request held, so it never ends a live one.
 */
export const BOSH_INACTIVITY_S = 3;

/** Where a local server serves XEP-0206: Prosody's default path, given to ejabberd's mod_bosh too. */
export const boshUrl = (secure: boolean, port: number) => `${secure ? "https" : "http"}://127.0.0.1:${port}/http-bind`;

/**
 * Polls until the server answers a stream with its features: a listening port is not enough (a broken
 * Prosody keeps its port open). Polling every 20 ms is the only signal a starting server gives;
 * `exited` makes a crashed server fail at once instead of at the deadline. With `websocket`, an RFC 7395
 * stream must open as well; with `bosh`, a BOSH session.
 */
export async function waitUntilReady(
  endpoint: Endpoint,
  opts: { deadlineMs: number; exited: Promise<unknown>; describe: () => string; websocket?: WebSocketEndpoint; bosh?: BoshEndpoint },
): Promise<void> {
  let dead = false;
  void opts.exited.then(() => (dead = true));
  const end = Date.now() + opts.deadlineMs;
  let last: unknown;
  while (Date.now() < end) {
    if (dead) throw new Error(`the server exited during start-up\n${opts.describe()}`);
    try {
      (await openRawStream(endpoint, 2000)).close();
      if (opts.websocket) (await openWebSocketStream(opts.websocket, 2000)).close();
      if (opts.bosh) (await openBoshStream(opts.bosh, 2000)).close();
      return;
    } catch (err) {
      last = err;
    }
    await pause(20);
  }
  throw new Error(`the server was not ready within ${opts.deadlineMs} ms (${(last as Error)?.message})\n${opts.describe()}`);
}
