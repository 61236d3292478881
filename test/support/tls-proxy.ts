import net from "node:net";
import tls from "node:tls";
import { readFileSync } from "node:fs";
import type { CertificateFiles } from "../../src/targets/cert.ts";

/** A bug of a server's direct TLS port (XEP-0368), made by the TLS proxy; `requirements` are those its cases must fail. */
export interface TlsFaultDef {
  id: string;
  requirements: string[];
  cases: string[];
  /** The ALPN protocol the proxy selects of those a client offers (none: it refuses the handshake). */
  alpn?: (offered: string[]) => string | undefined;
  /** A rewrite of what the server sends inside TLS; `conn.alpn`: the ALPN protocol the connection's handshake took (false: none). */
  rewrite?: (fromServer: string, conn: { alpn: string | false }) => string;
  /**
   * The handshake the proxy makes instead of its defaults, for the whole life of a proxy of its own (OpenSSL takes
   * these from the listening server, not per connection): an RSA certificate (static RSA suites need one), its
   * cipher list and groups, and whether it follows the client's order of them.
   */
  handshake?: { rsa?: true; ciphers?: string; groups?: string; honorCipherOrder?: boolean };
  /**
   * Whether a handshake is refused at its ClientHello (one naming a server: SNI), given how many other connections
   * to the proxy are open and have sent no byte yet (a client that connected them before its handshakes).
   */
  refuse?: (hello: { waiting: number }) => boolean;
}

/**
 * A direct TLS endpoint on loopback in front of a real server's direct TLS port: it makes the TLS handshake
 * itself (with a certificate of the run's CA for the domain, and the fault's ALPN choice), opens its own TLS
 * connection to the server, and forwards the XMPP stream both ways, rewritten as the fault says. Only connections
 * whose stream header puts 'to' first get the fault: the case's raw connections, but also the run's reach check
 * and some of the harness's own start-up streams, which write the same header (seen in the twenty-sixth audit); a
 * fault that must spare those tells the case's connection apart by `conn.alpn` (the harness's offer no ALPN).
 */
export class TlsFaultProxy {
  fault?: TlsFaultDef;
  private server?: tls.Server;
  private readonly sockets = new Set<net.Socket>();
  /** The TCP connections accepted and still open, before TLS: whether each has sent a byte. */
  private readonly accepted = new Set<net.Socket>();

  constructor(
    private readonly upstream: { host: string; port: number },
    /** The domain's certificate from the run's CA (an RSA one where the handshake fault asks for it). */
    private readonly cert: CertificateFiles,
    private readonly handshake?: TlsFaultDef["handshake"],
  ) {}

  async listen(): Promise<number> {
    const server = tls.createServer(
      // Without a fault the proxy takes the client's first ALPN protocol, as a server that negotiates ALPN does.
      {
        key: readFileSync(this.cert.key),
        cert: readFileSync(this.cert.cert),
        ...(this.handshake?.ciphers && { ciphers: this.handshake.ciphers }),
        ...(this.handshake?.groups && { ecdhCurve: this.handshake.groups }),
        ...(this.handshake?.honorCipherOrder !== undefined && { honorCipherOrder: this.handshake.honorCipherOrder }),
        ALPNCallback: ({ protocols }) => (this.fault?.alpn ? this.fault.alpn(protocols) : protocols[0]),
        // Called at the ClientHello, before ALPN; the other connections that sent nothing yet are those of the
        // accepted ones with no byte read (this one's ClientHello is in).
        SNICallback: (_name, done) => {
          const waiting = [...this.accepted].filter((s) => s.bytesRead === 0).length;
          done(this.fault?.refuse?.({ waiting }) ? new Error("handshake refused by the fault") : null, undefined);
        },
      },
      (client) => this.pipe(client),
    );
    server.on("connection", (socket: net.Socket) => {
      this.accepted.add(socket);
      socket.once("close", () => this.accepted.delete(socket));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private pipe(client: tls.TLSSocket): void {
    const upstream = tls.connect({ ...this.upstream, rejectUnauthorized: false, servername: "localhost" });
    let faulty: boolean | undefined;
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => this.sockets.delete(s));
    }
    client.on("data", (d: Buffer) => {
      faulty ??= /<stream:stream to=/.test(d.toString());
      upstream.write(d);
    });
    upstream.on("data", (d: Buffer) => client.write(faulty && this.fault?.rewrite ? this.fault.rewrite(d.toString(), { alpn: client.alpnProtocol || false }) : d));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  }
}
