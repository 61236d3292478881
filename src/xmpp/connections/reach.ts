import { readFileSync } from "node:fs";
import { openRawStream } from "./raw-stream.ts";
import type { Endpoint, Security } from "../wire/endpoint.ts";
import { NS } from "../wire/ns.ts";
import { pauseBefore, RETRY_BACKOFF_MS } from "../../util/retry.ts";

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
 * wss:// is TLS from the first byte, ws:// none, and the readiness check is an RFC 7395 stream; over BOSH
 * (`at.bosh`, XEP-0206) likewise with https:// and http://. Errors say
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
  } else if (at.bosh) {
    const https = at.bosh.startsWith("https:");
    if (!https && req.tls !== "auto") throw new Error(`TLS was asked for (--tls ${req.tls}), but ${at.bosh} is plain HTTP: over BOSH TLS is the URL's (https://)`);
    tls = https ? "direct" : "none";
  } else if (req.tls === "auto") {
    const plain = await features(at, timeoutMs);
    if (plain.getChild("starttls", NS.tls)) tls = "starttls";
  }
  const endpoint: Endpoint = { ...at, security: { tls, ...(ca && { ca }), ...(req.insecure && { insecure: true }), ...(req.allowPlain && { allowPlain: true }) } };
  await features(endpoint, timeoutMs);
  return endpoint;
}

/** A connection the server reset or closed before its features: a loaded server's, asked again. */
const DROPPED = /ECONNRESET|EPIPE|closed the connection|the connection closed|stream error/;

/**
 * The server's stream features on a new stream. A reset or a dropped stream is retried on the set-up schedule;
 * a refused connection, a timeout or a TLS failure is an answer, and thrown at once.
 */
async function features(at: Omit<Endpoint, "security"> | Endpoint, timeoutMs: number) {
  for (let n = 1; ; n++) {
    try {
      const stream = await openRawStream(at, timeoutMs);
      stream.close();
      return stream.features;
    } catch (err) {
      if (n >= RETRY_BACKOFF_MS.length || !DROPPED.test((err as Error).message)) throw err;
      await pauseBefore(n + 1);
    }
  }
}
