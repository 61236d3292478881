import http from "node:http";
import https from "node:https";
import type net from "node:net";
import WebSocket from "ws";
import { tcpConnect, secure } from "../wire/tls.ts";
import { PLAINTEXT, type Endpoint } from "../wire/endpoint.ts";
import { webSocketOptions } from "../wire/websocket.ts";
import { NS } from "../wire/ns.ts";
import { withTimeout } from "../../util/time.ts";

/**
 * Whether a server is there: a new connection that the server answers with anything at all (its stream
 * header, a stream error, a TLS handshake, a WebSocket upgrade, an HTTP response at its BOSH URL). It asks for nothing else, so a server that
 * limits or refuses new streams still counts as there; only a refused or reset connection, or one that
 * gets no byte within `timeoutMs`, does not. Resolves with why not, or undefined when it answered; the
 * connection is gone either way.
 */
export async function whyNoAnswer(endpoint: Endpoint, timeoutMs: number): Promise<string | undefined> {
  const open = new Set<{ destroy(): void }>();
  try {
    await withTimeout(answer(endpoint, timeoutMs, open), timeoutMs, `${endpoint.websocket ?? endpoint.bosh ?? `${endpoint.host}:${endpoint.port}`} sent nothing`);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    for (const c of open) c.destroy();
  }
}

async function answer(endpoint: Endpoint, timeoutMs: number, open: Set<{ destroy(): void }>): Promise<void> {
  if (endpoint.bosh) {
    // An HTTP server answers an HTTP request (whatever its status), not a stream header.
    const url = endpoint.bosh;
    const security = endpoint.security ?? PLAINTEXT;
    await new Promise<void>((resolve, reject) => {
      const req = (url.startsWith("https:") ? https : http).request(url, {
        method: "GET",
        agent: false,
        ...(url.startsWith("https:") && { ...(security.ca && { ca: security.ca }), rejectUnauthorized: !security.insecure }),
      });
      open.add(req);
      req.once("response", (res) => {
        res.resume();
        resolve();
      });
      req.once("error", reject);
      req.end();
    });
    return;
  }
  if (endpoint.websocket) {
    const ws = new WebSocket(endpoint.websocket, ["xmpp"], webSocketOptions(endpoint.security, timeoutMs));
    ws.on("error", () => {});
    open.add({ destroy: () => ws.terminate() });
    await new Promise<void>((resolve, reject) =>
      ws
        .once("open", resolve)
        .once("unexpected-response", () => resolve())
        .once("error", reject),
    );
    return;
  }
  const socket: net.Socket = await tcpConnect(endpoint, timeoutMs);
  // Direct TLS: the handshake is the server's answer. Only the TLS socket is ended then: destroying the socket
  // under it as well crashes Node.
  if ((endpoint.security ?? PLAINTEXT).tls === "direct") return void open.add(await secure(socket, endpoint, timeoutMs));
  open.add(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("data", () => resolve());
    socket.once("close", () => reject(new Error(`${endpoint.host}:${endpoint.port} closed the connection without a byte`)));
    socket.write(`<?xml version='1.0'?><stream:stream to='${endpoint.domain}' version='1.0' xmlns='${NS.client}' xmlns:stream='${NS.stream}'>`);
  });
}
