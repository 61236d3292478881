import type { ServerConfig } from "../results/schema.ts";
import type { Credentials } from "../xmpp/connections/session.ts";
import type { ComponentEndpoint } from "../xmpp/wire/endpoint.ts";
import type { DebianServer } from "./debian-release.ts";
import type { CertificateFiles, RunCa } from "./cert.ts";
import type { S2sLink } from "./s2s-log.ts";

/** Where the harness connects, and how to give it back. */
export interface Target {
  /** What the user asked for, e.g. "local:prosody" or "127.0.0.1:5222". */
  name: string;
  host: string;
  port: number;
  /** The XMPP domain accounts live on. */
  domain: string;
  /** A running server given by its domain: how it was found (its SRV record, or the domain on port 5222). */
  found?: string;
  /** A server the harness started: its configuration, the harness's or the package's as shipped. */
  config?: ServerConfig;
  /** Server software when the harness started it itself (remote servers are asked over XMPP instead). */
  software?: { name: string; version: string };
  /** How a server the harness started protects its streams; absent: plaintext, or not known (remote). */
  tls?: "starttls" | "direct";
  /** The CA that signed a local server's certificates (the run's CA), trusted unless --ca or --insecure says otherwise. */
  caFile?: string;
  /**
   * RFC 7395: where the server serves XMPP over WebSocket (a local one: ws://127.0.0.1:PORT/xmpp-websocket, wss://
   * with TLS; a running one: the --websocket URL). A run reaches a target that has one over it.
   */
  websocket?: string;
  /** XEP-0206: where the server serves XMPP over BOSH (a local one: http://127.0.0.1:PORT/http-bind, https:// with TLS; a running one: the --bosh URL). A run reaches a target that has one over it. */
  bosh?: string;
  /** XEP-0114: a component name the server accepts, its shared secret, and the port it accepts components on. */
  component?: ComponentEndpoint;
  /** XEP-0363: the upload service a local server runs (upload.DOMAIN): known without discovery. */
  upload?: string;
  /** A running server named by its WebSocket (or BOSH) URL alone: host and port are the URL's, and no TCP c2s is known. */
  webSocketOnly?: true;
  /** A local server started as shipped: the admin account the harness made there, which provisions the run's accounts (XEP-0133). */
  admin?: Credentials & { jid: string };
  /** The server's own account commands (prosodyctl, ejabberdctl), for local servers. */
  accountCommands?: AccountCommands;
  /** Files worth keeping when something goes wrong (the server's log). */
  logFile?: string;
  /** The server process's PID file, for a server the harness started (its CPU time is read from /proc for the figures). */
  pidFile?: string;
  /** A pair target's second server (domain b, reached from domain a over s2s); absent: a single server. */
  peer?: PeerSide;
  /** A pair target: how its servers talk (asked for; what they negotiated is in s2sLinks). */
  s2s?: S2sMode;
  /** A federating local server (or both of a pair): the s2s streams accepted so far, from the servers' logs. */
  s2sLinks?(): S2sLink[];
  /** A federating local server: the loopback address its s2s listens on (port 5269). */
  s2sAddress?: string;
  /** Federating local servers: where the harness's scripted remote server must listen to be reached (its domain is mapped there). */
  remote?: RemoteSlot;
  /** Stops and forgets a server the harness started; a no-op for servers it did not start. */
  stop(): Promise<void>;
  /**
   * A server the harness started, given up at once and synchronously (a second Ctrl-C): its processes killed
   * and its folder removed, with nothing awaited. Says what it removed; absent for a running server.
   */
  abandon?(): string;
}

/** The second side of a pair: where its c2s is, its domain, and what a provisioner needs to make accounts there. */
export type PeerSide = Pick<Target, "name" | "host" | "port" | "domain" | "software" | "tls" | "caFile" | "websocket" | "bosh" | "s2sAddress" | "accountCommands" | "logFile">;

/** The scripted remote server's place in a federation: its domain, the address the servers map it to, and with s2s TLS its certificate from the run CA. */
export interface RemoteSlot {
  domain: string;
  host: string;
  port: number;
  certificate?: CertificateFiles;
}

/**
 * How a server of a pair federates: its own domain, s2s on port 5269 of its own loopback address, and the
 * addresses of the other names it may reach (resolved without DNS: each server has its own mapping).
 */
export interface FederationOptions {
  domain: string;
  s2sIp: string;
  peers: { domain: string; ip: string }[];
  /**
   * S2S over STARTTLS (required), the peers' certificates checked against the run CA (`ca` of the options):
   * authenticated by certificate (SASL EXTERNAL) where both servers support it, by dialback over TLS otherwise.
   */
  tls?: boolean;
}

/** Between servers: Server Dialback over plain TCP, or STARTTLS with certificates (dialback over TLS where certificates are not enough). */
export type S2sMode = "dialback" | "tls";

export interface AccountCommands {
  register(username: string, password: string): Promise<void>;
  remove(username: string): Promise<void>;
  /** The usernames that exist on the domain. */
  list(): Promise<string[]>;
}

/** A local server the harness can start: its Debian packages and how to start it. */
export interface LocalServer {
  debian: DebianServer;
  /** Starts it, again with other ports where an address was in use. */
  start(opts: LocalTargetOptions): Promise<Target>;
  /** One attempt, for a caller that starts again itself (a federation, with new addresses for every server). */
  startOnce(opts: LocalTargetOptions): Promise<Target>;
}

export interface LocalTargetOptions {
  /** Install the server from Debian's packages when it is missing (needs root). */
  install: boolean;
  /** A release other than the system's (local:prosody@13): from Debian's backports, unpacked beside it. */
  release?: string;
  /** The harness's configuration (default) or the package's as shipped. */
  config?: ServerConfig;
  /** Progress lines for the user (stderr). */
  log: (line: string) => void;
  /** Serve STARTTLS (required) or TLS from the first byte, with a certificate from `ca`. */
  tls?: "starttls" | "direct";
  /** The run's CA, shared by the servers of a pair; absent: a server that needs a certificate makes its own CA. */
  ca?: RunCa;
  /** Also serve RFC 7395 (XMPP over WebSocket) on a free loopback port: ws://, or wss:// with `tls`. */
  websocket?: boolean;
  /** Also serve XEP-0206 (XMPP over BOSH) on a free loopback port: http://, or https:// with `tls`. */
  bosh?: boolean;
  /** Bare JIDs allowed to run XEP-0133 admin commands (add-user, delete-user). */
  admins?: string[];
  /** Serve this domain and federate (Server Dialback over plain TCP, or TLS) instead of a lone "localhost". */
  federation?: FederationOptions;
  /** Extra lines for the server's global configuration, after the harness's own (later settings win): tests of refusals. */
  extraConfig?: string[];
  /** Pair targets: how their two servers talk (dialback over plain TCP by default, or TLS with the run's CA). */
  s2s?: S2sMode;
}
