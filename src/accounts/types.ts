import type { Credentials, Endpoint } from "../xmpp/session.ts";

/** Creates and removes accounts on the target. One file per way of doing it, registered in index.ts. */
export interface Provisioner {
  readonly name: string;
  /** Creates a fresh account with this localpart (unique to the run) and returns how to log in. */
  create(localpart: string): Promise<Credentials>;
  /** Removes an account that create() made. */
  remove(creds: Credentials): Promise<void>;
}

export interface ProvisionerContext {
  endpoint: Endpoint;
  timeoutMs: number;
}
