import type { Target } from "../targets/types.ts";
import type { Credentials, Endpoint, Session } from "../xmpp/connections/session.ts";

/** Creates and removes accounts on the target. One file per way of doing it, registered in index.ts. */
export interface Provisioner {
  readonly name: string;
  /** The domain its accounts live on. */
  readonly domain: string;
  /** Gets ready before the first case (logs an admin in, checks existing accounts); throws when it cannot. */
  open?(): Promise<void>;
  /**
   * An account for a case: a fresh one with this localpart (unique to the run) and password, or a free
   * existing one. Throws AccountsRefused (refusal.ts) when the server refuses to make accounts at all.
   */
  create(localpart: string, password: string): Promise<Credentials>;
  /** Removes an account create() made (or, for an existing one, cleans it and hands it back). */
  remove(creds: Credentials): Promise<void>;
  /**
   * Removes an account through a session of its own that is still open, where this way can: a case's
   * own session saves the server a login. The server ends the account's sessions itself.
   */
  removeWith?(creds: Credentials, session: Session): Promise<void>;
  /** Checks that a removed account is gone (true), still there (false); throws when it cannot tell. */
  gone?(creds: Credentials): Promise<boolean>;
  /** The usernames on the domain, where this way can list them (for cleanup). */
  list?(): Promise<string[]>;
  /** Ends what open() started. */
  close?(): Promise<void>;
  /**
   * For a fixed set of existing accounts: how many there are to hand out, and why that many. Cases that
   * need more are skipped with that reason; without a limit, create() makes as many as asked.
   */
  limit?(): { accounts: number; why: string };
}

export interface ProvisionerContext {
  endpoint: Endpoint;
  timeoutMs: number;
  /** The server the harness started itself, if it did (its own account commands). */
  target?: Target;
  /** --admin: the account that may run XEP-0133 admin commands. */
  admin?: Credentials & { jid: string };
  /** --accounts-file, already read and checked. */
  existing?: ExistingAccounts;
}

export interface ExistingAccounts {
  file: string;
  accounts: (Credentials & { jid: string })[];
  /** Run with the accounts that work when some of the file's cannot be used (else that stops the run). */
  allowUnusable?: boolean;
}
