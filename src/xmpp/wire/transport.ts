import { EventEmitter } from "node:events";
import type net from "node:net";
import ConnectionTCP from "@xmpp/connection-tcp";
import { NS } from "./ns.ts";

/** How a session gets its byte stream: the harness connects it (TCP, TLS from the first byte, or after STARTTLS). */
export type Opener = () => Promise<net.Socket>;

/**
 * The socket xmpp.js reads and writes: a stream the harness opened itself, so that the harness decides about
 * TLS (its own CA, --insecure, STARTTLS negotiated before the library starts) and TCP_NODELAY, and can cut
 * it like a crashed client would. After the stream has ended (the server's </stream:stream>, a stream
 * error, a parse error) it stops handing bytes to the library, which has no parser left for them.
 */
class HarnessSocket extends EventEmitter {
  secure = false;
  private socket?: net.Socket;
  private reading = true;

  connect({ open }: { open: Opener }): void {
    open().then(
      (socket) => {
        this.socket = socket;
        this.secure = "encrypted" in socket;
        socket.on("data", (data: Buffer) => {
          if (!this.reading) return;
          try {
            this.emit("data", data);
          } catch (err) {
            // The library's parser throws on XML it cannot take (an element after a stream error): the stream is
            // over, and the session ends with the reason instead of the process with an uncaught exception.
            this.reading = false;
            this.emit("error", err);
            socket.destroy();
          }
        });
        socket.on("error", (err: Error) => this.emit("error", err));
        socket.on("close", () => this.emit("close"));
        this.emit("connect");
      },
      (err: Error) => this.emit("error", err),
    );
  }

  write(data: string, done: (err?: Error | null) => void): void {
    if (!this.socket || this.socket.destroyed) return done(new Error("the connection is closed"));
    this.socket.write(data, done);
  }

  end(): void {
    this.socket?.end();
  }

  /** The stream is over: whatever still arrives is not read. */
  stopReading(): void {
    this.reading = false;
  }

  /** Cuts the connection without closing the stream. */
  destroy(): void {
    this.reading = false;
    this.socket?.destroy();
  }
}

/**
 * An xmpp.js transport (the extension point @xmpp/tcp and @xmpp/websocket use: a Connection class with its
 * Socket, registered in the client's transports) whose socket is opened by `open`. One class per session,
 * so the opener travels with it.
 */
export function harnessTransport(open: Opener) {
  class HarnessTransport extends ConnectionTCP {
    socketParameters(service: string) {
      return service === SERVICE ? { open } : undefined;
    }
  }
  Object.assign(HarnessTransport.prototype, { Socket: HarnessSocket, NS: NS.client });
  return HarnessTransport;
}

/** The service name the harness's transport answers to: sessions never resolve or dial by themselves. */
export const SERVICE = "xmpp-conform:";

export type { HarnessSocket };
