import { readFileSync } from "node:fs";
import { openRawStream } from "./raw-stream.ts";
import type { Endpoint, Security } from "../wire/endpoint.ts";
import { NS } from "../wire/ns.ts";

/** What the user asked for on the command line. */
export interface TlsRequest {
  /** auto: STARTTLS when the server offers it, plaintext when it does not. */
  tls: "auto" | "starttls" | "direct";
  /** --ca: a PEM file of the CAs to trust instead of the system's. */
  caFile?: string;
  insecure?: boolean;
  allowPlain?: boolean;
}

/**
 * Settles how to reach the server and proves that way works before anything else runs: `auto` asks the
 * server whether it offers STARTTLS; over TLS the handshake (and the certificate check) must succeed and
 * the server must answer with stream features. Over WebSocket (`at.websocket`, RFC 7395) the URL decides:
 * wss:// is TLS from the first byte, ws:// none, and the readiness check is an RFC 7395 stream. Errors say
 * what to change.
 */
export async function reach(at: Omit<Endpoint, "security">, req: TlsRequest, timeoutMs: number): Promise<Endpoint> {
  let ca: string | undefined;
  if (req.caFile) {
    try {
      ca = readFileSync(req.caFile, "utf8");
    } catch (err) {
      throw new Error(`cannot read --ca ${req.caFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  let tls: Security["tls"] = req.tls === "auto" ? "none" : req.tls;
  if (at.websocket) {
    const wss = at.websocket.startsWith("wss:");
    if (!wss && req.tls !== "auto") throw new Error(`TLS was asked for (--tls ${req.tls}), but ${at.websocket} is plain WebSocket: over WebSocket TLS is the URL's (wss://)`);
    tls = wss ? "direct" : "none";
  } else if (req.tls === "auto") {
    const plain = await openRawStream(at, timeoutMs);
    plain.close();
    if (plain.features.getChild("starttls", NS.tls)) tls = "starttls";
  }
  const endpoint: Endpoint = { ...at, security: { tls, ...(ca && { ca }), ...(req.insecure && { insecure: true }), ...(req.allowPlain && { allowPlain: true }) } };
  (await openRawStream(endpoint, timeoutMs)).close();
  return endpoint;
}
