import { existsSync, readFileSync } from "node:fs";

/** An s2s stream a server accepted, as its log tells it: who came in, over TLS or not, and how they proved their domain. */
/** An s2s stream a server's log shows it accepted (the results record's S2sLink has this shape). */
export interface S2sLink {
  /** The originating server's domain. */
  from: string;
  /** The receiving server's domain (whose log this is). */
  to: string;
  encrypted: boolean;
  /** certificate: SASL EXTERNAL with a certificate the receiver checked; dialback: XEP-0220 (over TLS when encrypted). */
  auth: "certificate" | "dialback";
}

/** Each distinct link once, in the order first seen (a server may accept several streams from one peer). */
export function distinctLinks(links: S2sLink[]): S2sLink[] {
  const seen = new Map(links.map((l) => [`${l.from} ${l.to} ${l.encrypted} ${l.auth}`, l]));
  return [...seen.values()];
}

const lines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n") : []);

/**
 * Prosody at level info: "Stream encrypted" and "Incoming s2s connection X->Y complete" under the session's
 * id, and "Accepting SASL EXTERNAL identity from X" (under the host) just before the completion of a link
 * authenticated by certificate; a completion without it was dialback.
 */
export function prosodyS2sLinks(logFile: string): S2sLink[] {
  const encrypted = new Set<string>();
  const external = new Set<string>();
  const links: S2sLink[] = [];
  for (const line of lines(logFile)) {
    const [, source, text] = /^\S+ \d+ [\d:]+ (\S+)\s+info\s+(.*)$/.exec(line) ?? [];
    if (!text) continue;
    if (text.startsWith("Stream encrypted")) encrypted.add(source);
    const ext = /^Accepting SASL EXTERNAL identity from (\S+)/.exec(text);
    if (ext) external.add(ext[1]);
    const done = /^Incoming s2s connection (\S+)->(\S+) complete/.exec(text);
    if (done) links.push({ from: done[1], to: done[2], encrypted: encrypted.has(source), auth: external.delete(done[1]) ? "certificate" : "dialback" });
  }
  return links;
}

/** ejabberd at level info: "(tls|<pid>) Accepted inbound s2s EXTERNAL authentication X -> Y", or "(tcp|...) ... dialback ...". */
export function ejabberdS2sLinks(logFile: string): S2sLink[] {
  return lines(logFile).flatMap((line) => {
    const m = /\((tls|tcp)\|[^)]*\) Accepted inbound s2s (\S+) authentication (\S+) -> (\S+)/.exec(line);
    return m ? [{ from: m[3], to: m[4], encrypted: m[1] === "tls", auth: m[2] === "EXTERNAL" ? ("certificate" as const) : ("dialback" as const) }] : [];
  });
}
