import { Client } from "@xmpp/client-core";
import iqCaller from "@xmpp/iq/caller.js";
import iqCallee from "@xmpp/iq/callee.js";
import middleware from "@xmpp/middleware";
import resourceBinding from "@xmpp/resource-binding";
import sasl from "@xmpp/sasl";
import plain from "@xmpp/sasl-plain";
import streamFeatures from "@xmpp/stream-features";
import SASLFactory from "saslmechanisms";
import { scramMechanism, type ScramName } from "../protocol/scram.ts";

/** Strongest first. */
export const SCRAM: ScramName[] = ["SCRAM-SHA-256", "SCRAM-SHA-1"];

/** How the client reaches the server: an xmpp.js transport class and the service it answers to. */
export interface TransportChoice {
  service: string;
  Transport: unknown;
}

export interface ClientOptions {
  domain: string;
  resource: string;
  /** The limit for each step of the login (the library's own default is 2 s, too short for a loaded server). */
  timeoutMs: number;
  transport: TransportChoice;
  /** Picks the mechanism among those offered and authenticates (see Session). */
  credentials: (authenticate: (creds: { username: string; password: string }, mechanism: string) => Promise<void>, offered: string[]) => Promise<void>;
  /** The caller's own middleware, ahead of the library's: it sees every element first (the transcript). */
  first: (middleware: Middleware) => void;
}

export type Middleware = ReturnType<typeof middleware>;

/**
 * An XMPP client assembled from xmpp.js's own packages, the way @xmpp/client assembles its own, with only
 * what a conformance harness wants: the harness's transport (a socket it opens itself, or RFC 7395 WebSocket), SASL with the
 * harness's SCRAM (Node's native PBKDF2) and PLAIN, resource binding, IQ caller (for binding) and callee
 * (for answering the server). No reconnection, no stream management, no SASL2/FAST/Bind2: a session
 * that drops stays dropped, and the stream carries only what the scenario and RFC 6120 put there.
 */
export function assembleClient(opts: ClientOptions) {
  const entity = new Client({ service: opts.transport.service, domain: opts.domain, timeout: opts.timeoutMs } as never);
  entity.transports.push(opts.transport.Transport as never);
  const mw = middleware({ entity });
  opts.first(mw);
  const features = streamFeatures({ middleware: mw });
  const caller = iqCaller({ middleware: mw, entity });
  const callee = iqCallee({ middleware: mw, entity });
  const factory = new SASLFactory();
  for (const name of SCRAM) factory.use(name, scramMechanism(name) as never);
  plain(factory as never);
  sasl({ streamFeatures: features, saslFactory: factory }, opts.credentials as never);
  // Binding is the caller's one use: with the login's limit, not the library's 30 s, whose timer would keep the
  // process alive that long after a server that never answers.
  const binding = { set: (el: unknown) => caller.set(el as never, undefined as never, opts.timeoutMs as never) };
  resourceBinding({ streamFeatures: features, iqCaller: binding as never }, opts.resource);
  return { entity, middleware: mw, iqCallee: callee };
}

export type AssembledClient = ReturnType<typeof assembleClient>;
