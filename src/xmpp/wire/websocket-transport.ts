import { EventEmitter } from "node:events";
import WebSocket from "ws";
import ConnectionWebSocket from "@xmpp/websocket/lib/Connection.js";
import { webSocketOptions, type WebSocketEndpoint } from "./websocket.ts";

/** What the socket connects with: the URL (the client's service) and the ws options (TLS trust, handshake limit). */
interface SocketParameters {
  url: string;
  options: WebSocket.ClientOptions;
}

/**
 * The socket @xmpp/connection drives, on ws instead of a global WebSocket (Node 20 has none, and a browser
 * WebSocket takes no TLS options): "connect" once upgraded, "data" once per message (RFC 7395 §3.3.3: one
 * element per message, which the framed parser relies on), "close" with whether it was unclean, "error".
 */
export class WsSocket extends EventEmitter {
  /** wss://: the client then names itself in <open/> (RFC 6120 §4.7.1), as over TLS. */
  secure = false;
  private ws?: WebSocket;

  connect({ url, options }: SocketParameters): void {
    this.secure = url.startsWith("wss:");
    const ws = new WebSocket(url, ["xmpp"], options);
    this.ws = ws;
    ws.on("open", () => this.emit("connect"));
    ws.on("message", (data: Buffer) => {
      // A message after the server's <close/> finds @xmpp/connection without its parser (it throws): the stream
      // is over, and the message is nothing a session reads.
      try {
        this.emit("data", data);
      } catch {
        /* after the stream's end */
      }
    });
    ws.on("error", (err) => this.emit("error", err));
    // 1000: a normal closure (RFC 6455 §7.4.1); anything else, or no close frame at all (1005, 1006), is unclean.
    ws.on("close", (code, reason) => this.emit("close", code !== 1000, { code, reason: reason.toString() }));
  }

  /** Starts the WebSocket closing handshake (after <close/>, RFC 7395 §3.6). */
  end(): void {
    this.ws?.close(1000);
  }

  write(data: string, done?: (err?: Error) => void): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return done?.(new Error("the WebSocket is not open"));
    this.ws.send(data, done);
  }

  /** Cuts the connection without any closing handshake, as a crashed client would. */
  destroy(): void {
    this.ws?.terminate();
  }
}

/**
 * An xmpp.js transport for RFC 7395 (ws:// and wss:// services) with this endpoint's TLS trust: the framing
 * (<open/>, <close/>, xmlns on every element) and the framed parser are @xmpp/websocket's, the socket is
 * WsSocket. socketParameters() runs on the prototype (the client picks a transport before it makes one), so
 * the TLS options are bound into a class per endpoint. Register it before the client's own WebSocket transport:
 * `xmpp.transports.unshift(webSocketTransport(endpoint, timeoutMs))`.
 */
export function webSocketTransport(endpoint: Pick<WebSocketEndpoint, "security">, timeoutMs: number): typeof ConnectionWebSocket {
  class Transport extends ConnectionWebSocket {
    socketParameters(service: string): SocketParameters | undefined {
      if (!/^wss?:\/\//.test(service)) return undefined;
      return { url: service, options: webSocketOptions(endpoint.security, timeoutMs) };
    }
  }
  Transport.prototype.Socket = WsSocket;
  return Transport;
}
