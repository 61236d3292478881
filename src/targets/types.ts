/** Where the harness connects, and how to give it back. */
export interface Target {
  /** What the user asked for, e.g. "local:prosody" or "127.0.0.1:5222". */
  name: string;
  host: string;
  port: number;
  /** The XMPP domain accounts live on. */
  domain: string;
  /** Server software when the harness started it itself (remote servers are asked over XMPP instead). */
  software?: { name: string; version: string };
  /** How a server the harness started protects its streams; absent: plaintext, or not known (remote). */
  tls?: "starttls" | "direct";
  /** The self-signed certificate of a local TLS server (its own CA), trusted unless --ca or --insecure says otherwise. */
  caFile?: string;
  /** The server's own account commands (prosodyctl, ejabberdctl), for local servers. */
  accountCommands?: AccountCommands;
  /** Files worth keeping when something goes wrong (the server's log). */
  logFile?: string;
  /** The server process's PID file, for a server the harness started (its CPU time is read from /proc for the figures). */
  pidFile?: string;
  /** A pair target's second server (domain b, reached from domain a over s2s); absent: a single server. */
  peer?: PeerSide;
  /** Stops and forgets a server the harness started; a no-op for servers it did not start. */
  stop(): Promise<void>;
}

/** The second side of a pair: where its c2s is, its domain, and what a provisioner needs to make accounts there. */
export type PeerSide = Pick<Target, "name" | "host" | "port" | "domain" | "software" | "tls" | "caFile" | "accountCommands" | "logFile">;

/**
 * How a server of a pair federates: its own domain, s2s on port 5269 of its own loopback address, and the
 * addresses of the other names it may reach (resolved without DNS: each server has its own mapping).
 */
export interface FederationOptions {
  domain: string;
  s2sIp: string;
  peers: { domain: string; ip: string }[];
}

export interface AccountCommands {
  register(username: string, password: string): Promise<void>;
  remove(username: string): Promise<void>;
  /** The usernames that exist on the domain. */
  list(): Promise<string[]>;
}

export interface LocalTargetOptions {
  /** Install the server from Debian's packages when it is missing (needs root). */
  install: boolean;
  /** Progress lines for the user (stderr). */
  log: (line: string) => void;
  /** Serve STARTTLS (required) or TLS from the first byte, with a self-signed certificate made for the run. */
  tls?: "starttls" | "direct";
  /** Bare JIDs allowed to run XEP-0133 admin commands (add-user, delete-user). */
  admins?: string[];
  /** Serve this domain and federate (Server Dialback over plain TCP) instead of a lone "localhost". */
  federation?: FederationOptions;
  /** Extra lines for the server's global configuration, after the harness's own (later settings win): tests of refusals. */
  extraConfig?: string[];
}
