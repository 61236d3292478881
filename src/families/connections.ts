import { rfc, xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/**
 * How clients reach the server: TLS (RFC 7590, which makes RFC 7525's practices binding), direct TLS (XEP-0368)
 * WebSocket (RFC 7395, its cases on raw connections over the target's WebSocket endpoint: `needs:
 * [websocket]`, run with --websocket) and BOSH (XEP-0124 with XEP-0206, run with --bosh: the run's sessions go
 * over it, and its cases' BOSH connections post the bodies they write to it). The TLS cases look at handshakes the
 * harness makes itself (`negotiates tls`), so they need the run to reach the server over TLS (`--tls starttls` or
 * `--tls direct`); the direct TLS cases need `--tls direct`. Nothing to load: the local targets serve TLS,
 * WebSocket and BOSH when asked (mod_tls, mod_websocket, mod_bosh; ejabberd's starttls and tls listeners,
 * ejabberd_http_ws, mod_bosh).
 */
export const connections = family({
  id: "connections",
  title: "TLS, direct TLS, WebSocket and BOSH",
  specs: [
    rfc("7590", "Use of Transport Layer Security (TLS) in the Extensible Messaging and Presence Protocol (XMPP)", "June 2015", true),
    xep("0368", "SRV records for XMPP over TLS", "1.1.0 (2019-08-20)", true),
    rfc("7395", "An Extensible Messaging and Presence Protocol (XMPP) Subprotocol for WebSocket", "October 2014", true),
    xep("0124", "Bidirectional-streams Over Synchronous HTTP (BOSH)", "1.11.2 (2021-05-22)", true),
    xep("0206", "XMPP Over BOSH", "1.4 (2014-04-09)", true),
  ],
  features: {
    /** The run reaches the server over TLS (STARTTLS or direct TLS), not over WebSocket: a case makes its own handshakes. */
    tls: { transport: "tls" },
    /** The run reaches the server over TLS from the first byte (XEP-0368). */
    "direct-tls": { transport: "direct-tls" },
    /** The run has the server's WebSocket endpoint (RFC 7395): raw connections go over it. */
    websocket: { transport: "websocket" },
    /** The run has the server's BOSH endpoint (XEP-0206): a case's BOSH connections post to it. */
    bosh: { transport: "bosh" },
  },
  prosody: {
    modules: [],
    lacks: {
      tls: "served where the target is asked for TLS (--tls starttls or --tls direct)",
      "direct-tls": "served where the target is asked for direct TLS (--tls direct)",
      websocket: "served where the target is asked for WebSocket (--websocket)",
      bosh: "served where the target is asked for BOSH (--bosh)",
    },
  },
  ejabberd: {
    modules: {},
    lacks: {
      tls: "served where the target is asked for TLS (--tls starttls or --tls direct)",
      "direct-tls": "served where the target is asked for direct TLS (--tls direct)",
      websocket: "served where the target is asked for WebSocket (--websocket)",
      bosh: "served where the target is asked for BOSH (--bosh)",
    },
  },
} as const);
