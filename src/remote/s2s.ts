import type tls from "node:tls";
import type { Element } from "ltx";
import { escapeXML as esc } from "ltx";
import type { CertificateFiles } from "../targets/cert.ts";
import { NS } from "../xmpp/wire/ns.ts";
import type { Transcript } from "../xmpp/connections/transcript.ts";
import type { DialbackKeys } from "./dialback.ts";
import type { Trace, XmlStream } from "./xml-stream.ts";

/** Where a domain the remote server sends to accepts s2s: a target's s2s address. */
export interface Route {
  domain: string;
  host: string;
  port: number;
}

export interface RemoteServerOptions {
  /** The remote domain the harness plays, e.g. remote.test. */
  domain: string;
  /** Where it listens: the address the targets map the domain to (no DNS), and their s2s port. */
  host: string;
  port: number;
  /** Where the domains it sends to accept s2s connections. */
  routes: Route[];
  /**
   * TLS: STARTTLS offered and required on streams in, taken on streams out, with a certificate for the domain
   * (from the run CA, which `ca` is), presented both as server and as client; SASL EXTERNAL where the other
   * side's certificate checks out, Server Dialback otherwise.
   */
  tls?: {
    certificate: CertificateFiles;
    ca: string;
    /** false: SASL EXTERNAL is neither offered nor used, so both directions authenticate with dialback over TLS. */
    external?: boolean;
  };
  /** Limit for each exchange on an outgoing stream. */
  timeoutMs: number;
  /** Stream-level traffic (headers, TLS, dialback) of every stream; stanzas go to each account's transcript. */
  transcript?: Transcript;
}

/** An s2s stream the remote server exchanged stanzas on with the target (the results record's RemoteLink has this shape). */
export interface RemoteLink {
  /** in: the target's stream to the remote server; out: the remote server's to the target. */
  direction: "in" | "out";
  /** The target's domain. */
  domain: string;
  encrypted: boolean;
  auth: "certificate" | "dialback";
}

/** What accepting and dialling streams need of the remote server. */
export interface S2sHost {
  readonly domain: string;
  readonly opts: RemoteServerOptions;
  /** The certificate and key for TLS, when the server has TLS. */
  readonly secureContext?: tls.SecureContextOptions;
  /** Whether SASL EXTERNAL is offered and used. */
  readonly external: boolean;
  readonly keys: DialbackKeys;
  readonly transcript: Transcript;
  /** A stream opened in either direction (stop() closes it). */
  track(stream: XmlStream): void;
  /** The stream-level transcript of a stream. */
  trace(label: string): Trace;
  /** A stanza from a target, for the inboxes. */
  deliver(el: Element): void;
  /** A stream that carried stanzas: which way, with whom, how secured. */
  noteLink(link: RemoteLink): void;
}

export const STANZAS = new Set(["message", "presence", "iq"]);
export const bare = (jid: string | undefined) => (jid ?? "").split("/")[0];
export const domainOf = (jid: string | undefined) => bare(jid).split("@").pop() ?? "";
/** A server-to-server stream header (the dialback namespace declared, for <db:result/> and <db:verify/>). */
export const streamHeader = (from: string, to: string | undefined, id?: string) =>
  `<?xml version='1.0'?><stream:stream xmlns='${NS.server}' xmlns:stream='${NS.stream}' xmlns:db='${NS.dialback}' from='${esc(from)}'${to ? ` to='${esc(to)}'` : ""}${id ? ` id='${id}'` : ""} version='1.0'>`;
