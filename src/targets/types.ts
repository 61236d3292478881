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
  /** Files worth keeping when something goes wrong (the server's log). */
  logFile?: string;
  /** Stops and forgets a server the harness started; a no-op for servers it did not start. */
  stop(): Promise<void>;
}

export interface LocalTargetOptions {
  /** Install the server from Debian's packages when it is missing (needs root). */
  install: boolean;
  /** Progress lines for the user (stderr). */
  log: (line: string) => void;
}
