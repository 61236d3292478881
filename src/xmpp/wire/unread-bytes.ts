import { readFileSync } from "node:fs";
import net from "node:net";
import { endianness } from "node:os";

/**
 * Bytes the kernel took from a socket that the other end's application has not read yet, as far as this
 * machine can see: what our kernel holds unacknowledged (sent, or waiting for the other end's window:
 * `tx_queue` in /proc/net/tcp) and, when the other end is a socket on this machine (a local server), what
 * its kernel received and its application has not read (its `rx_queue`). A server that throttles its reading
 * (Prosody's mod_limits, ejabberd's shapers) shows its progress here: the sum falls as it reads. Bytes the
 * other end received and has not acknowledged yet count in both queues for that moment; outside Linux nothing
 * is seen (0); over TLS the figures count ciphertext: a measure of progress, not a count of stanza bytes.
 */
export function unreadInKernels(socket: net.Socket): number {
  const local = socket.localAddress && socket.localPort ? key(socket.localAddress, socket.localPort) : undefined;
  const remote = socket.remoteAddress && socket.remotePort ? key(socket.remoteAddress, socket.remotePort) : undefined;
  if (!local || !remote) return 0;
  let unread = 0;
  for (const row of tcpRows()) {
    if (row.local === local && row.remote === remote) unread += row.tx;
    else if (row.local === remote && row.remote === local) unread += row.rx;
  }
  return unread;
}

interface TcpRow {
  local: string;
  remote: string;
  /** Bytes sent and not acknowledged, or not sent yet. */
  tx: number;
  /** Bytes received and not read by the application. */
  rx: number;
}

/** The TCP sockets of this machine's network namespace, IPv4 and IPv6; none outside Linux. */
function tcpRows(): TcpRow[] {
  return ["/proc/net/tcp", "/proc/net/tcp6"].flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return [];
    }
    // "  0: 0100007F:1F90 0100007F:A2C4 01 00000000:00000000 ...": slot, local, remote, state, tx_queue:rx_queue.
    return text
      .split("\n")
      .slice(1)
      .flatMap((line) => {
        const f = line.trim().split(/\s+/);
        if (f.length < 5) return [];
        const [tx, rx] = f[4].split(":").map((h) => parseInt(h, 16));
        return [{ local: procKey(f[1]), remote: procKey(f[2]), tx, rx }];
      });
  });
}

/** An address and port as one comparable string: the address's 16 bytes (IPv4 as ::ffff:a.b.c.d) in hex, then the port. */
const key = (address: string, port: number) => `${hex16(address)}:${port}`;

/** "0100007F:1F90": the address as the kernel prints it (32-bit words in the host's byte order), then the port in hex. */
function procKey(field: string): string {
  const [addr, port] = field.split(":");
  const words = addr.match(/.{8}/g) ?? [];
  const bytes = words
    .map((w) => (endianness() === "LE" ? w.match(/../g)!.reverse().join("") : w))
    .join("")
    .toLowerCase();
  return `${bytes.length === 8 ? V4_MAPPED + bytes : bytes}:${parseInt(port, 16)}`;
}

const V4_MAPPED = "00000000000000000000ffff";

/** An IP address as text (IPv4, IPv6 with "::", an IPv4 tail or a zone) → its 16 bytes in hex. */
function hex16(address: string): string {
  const ip = address.replace(/%.*$/, "");
  if (net.isIPv4(ip)) return V4_MAPPED + v4hex(ip);
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  const groups = (tail ? `${ip.slice(0, tail.index)}${v4hex(tail[1]).replace(/^(.{4})/, "$1:")}` : ip).split("::");
  const part = (s: string) => (s ? s.split(":").map((g) => g.padStart(4, "0")) : []);
  const head = part(groups[0]);
  const rest = groups.length > 1 ? part(groups[1]) : [];
  return [...head, ...Array(8 - head.length - rest.length).fill("0000"), ...rest].join("").toLowerCase();
}

const v4hex = (ip: string) =>
  ip
    .split(".")
    .map((n) => Number(n).toString(16).padStart(2, "0"))
    .join("");
