/** Where a session connects, and how it protects the stream. */
export interface Endpoint {
  host: string;
  port: number;
  /** The XMPP domain: stream 'to', the accounts' domain, and the name the TLS certificate must carry. */
  domain: string;
  /** Plaintext when absent (local throwaway servers on loopback). */
  security?: Security;
  /** RFC 7395: the ws:// or wss:// URL to reach the server over WebSocket instead of TCP (host and port are the URL's). */
  websocket?: string;
  /** XEP-0206: the http:// or https:// URL to reach the server over BOSH instead of TCP (host and port are the URL's). */
  bosh?: string;
}

/** Where an external component (XEP-0114) connects: the server's component port, the name it serves, the shared secret. */
export interface ComponentEndpoint {
  host: string;
  port: number;
  domain: string;
  secret: string;
}

/**
 * How the stream is protected: STARTTLS (RFC 6120 §5) or TLS from the first byte (XEP-0368), the CAs to
 * trust, and where SASL PLAIN is acceptable.
 */
export interface Security {
  tls: "none" | "starttls" | "direct";
  /** PEM of the CAs to trust instead of the system's (--ca). */
  ca?: string;
  /** Accept any certificate (--insecure): only ever on the user's explicit request. */
  insecure?: boolean;
  /** Allow SASL PLAIN on an unencrypted stream to a host that is not loopback (--allow-plain). */
  allowPlain?: boolean;
}

export const PLAINTEXT: Security = { tls: "none" };

export const isLoopback = (host: string) => host === "localhost" || host === "::1" || host.startsWith("127.");

/** Whether SASL PLAIN may carry the password on this endpoint's streams: over TLS, on loopback, or when allowed. */
export function plainAllowed(endpoint: Endpoint): boolean {
  const s = endpoint.security ?? PLAINTEXT;
  return s.tls !== "none" || isLoopback(endpoint.host) || Boolean(s.allowPlain);
}

/** The SASL mechanisms the harness logs in with on this endpoint, strongest first. */
export function saslMechanisms(endpoint: Endpoint): string[] {
  return ["SCRAM-SHA-256", "SCRAM-SHA-1", ...(plainAllowed(endpoint) ? ["PLAIN"] : [])];
}
