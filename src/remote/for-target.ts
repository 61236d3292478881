import { readFileSync } from "node:fs";
import type { Target } from "../targets/types.ts";
import type { Transcript } from "../xmpp/connections/transcript.ts";
import { RemoteServer } from "./remote-server.ts";

/**
 * Starts the scripted remote server where a federating local target expects it (its remote slot), able to
 * send to every server of the target; with s2s TLS, with its certificate from the run CA.
 */
export async function startRemoteServer(target: Target, opts: { timeoutMs: number; transcript?: Transcript; external?: boolean }): Promise<RemoteServer> {
  const slot = target.remote;
  if (!slot) throw new Error(`${target.name} has no place for a scripted remote server (federating local targets do)`);
  const routes = [target, target.peer].flatMap((t) => (t?.s2sAddress ? [{ domain: t.domain, host: t.s2sAddress, port: slot.port }] : []));
  const tls = slot.certificate && target.caFile ? { certificate: slot.certificate, ca: readFileSync(target.caFile, "utf8"), ...(opts.external === false && { external: false }) } : undefined;
  return RemoteServer.start({ domain: slot.domain, host: slot.host, port: slot.port, routes, timeoutMs: opts.timeoutMs, ...(tls && { tls }), ...(opts.transcript && { transcript: opts.transcript }) });
}
