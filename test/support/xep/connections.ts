import type { FrameFault, Message } from "../websocket-proxy.ts";
import type { TlsFaultDef } from "../tls-proxy.ts";

/**
 * The connections family's faults and variations (RFC 7395, XEP-0368): made by proxies of their own, since the
 * fault proxy reads TCP streams in the clear. Server bugs of the WebSocket binding, each made by the WebSocket
 * proxy (../websocket-proxy.ts), and of a direct TLS port, made by the TLS proxy (../tls-proxy.ts), each tied to
 * the requirement IDs whose cases must notice it: test/connections.test.ts runs each against a real Prosody.
 */
export interface WebSocketFaultDef {
  id: string;
  requirements: string[];
  /** The cases that cite those requirements and must now fail. */
  cases: string[];
  fault: FrameFault;
}

const text = (t: string): Message => ({ text: t, binary: false });
const isOpen = (m: Message) => /^<open[\s/>]/.test(m.text);
const isError = (m: Message) => /^<(stream:)?error[\s>]/.test(m.text);
const isClose = (m: Message) => /^<close[\s/>]/.test(m.text);
/** One more message right after the server's <open/> of the stream after SASL. */
const afterRestart =
  (extra: Message): FrameFault =>
  (m, ctx) =>
    isOpen(m) && ctx.opens === 2 ? [m, extra] : "pass";

export const WEBSOCKET_FAULTS: WebSocketFaultDef[] = [
  {
    id: "ws-open-other-namespace",
    requirements: ["WS-NS-01"],
    cases: ["ws-open-answered"],
    fault: (m) => (isOpen(m) ? [text(m.text.replace(/xmlns=(['"])urn:ietf:params:xml:ns:xmpp-framing\1/, "xmlns='jabber:client'"))] : "pass"),
  },
  {
    id: "ws-open-without-id",
    requirements: ["WS-OPEN-02"],
    cases: ["ws-open-answered"],
    fault: (m) => (isOpen(m) ? [text(m.text.replace(/\sid=(['"])[^'"]*\1/, ""))] : "pass"),
  },
  {
    id: "ws-starttls-offered",
    requirements: ["WS-TLS-02"],
    cases: ["ws-open-answered"],
    fault: (m) => (/^<stream:features[\s>]/.test(m.text) ? [text(m.text.replace(/<\/stream:features>$/, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>"))] : "pass"),
  },
  { id: "ws-binary-message", requirements: ["WS-MSG-01"], cases: ["ws-open-answered"], fault: afterRestart({ text: "<message xmlns='jabber:client'/>", binary: true }) },
  { id: "ws-undeclared-namespace", requirements: ["WS-FRAME-01", "WS-FRAME-05"], cases: ["ws-open-answered"], fault: afterRestart(text("<message><body>no namespace</body></message>")) },
  { id: "ws-leading-space", requirements: ["WS-FRAME-03"], cases: ["ws-open-answered"], fault: afterRestart(text(" <message xmlns='jabber:client'/>")) },
  { id: "ws-two-in-one", requirements: ["WS-FRAME-04"], cases: ["ws-open-answered"], fault: afterRestart(text("<message xmlns='jabber:client'/><message xmlns='jabber:client'/>")) },
  { id: "ws-whitespace-keepalive", requirements: ["WS-PING-01"], cases: ["ws-open-answered"], fault: afterRestart(text(" ")) },
  // A <close/> right after SASL success: the stream ends at the restart instead of being implicitly closed.
  {
    id: "ws-close-at-restart",
    requirements: ["WS-RESTART-02"],
    cases: ["ws-restart"],
    fault: (m) => (/^<success[\s>]/.test(m.text) ? [m, text("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>")] : "pass"),
  },
  {
    id: "ws-error-with-open",
    requirements: ["WS-ERR-02"],
    cases: ["ws-error-while-opening"],
    // The server's <open/> held back, and sent in the stream error's message.
    fault: (m, ctx) => {
      if (isOpen(m) && ctx.opens === 1) {
        ctx.held = m;
        return "drop";
      }
      const held = ctx.held;
      ctx.held = undefined;
      if (!held) return "pass";
      return isError(m) ? [text(held.text + m.text)] : [held, m];
    },
  },
  {
    id: "ws-error-split",
    requirements: ["WS-ERR-01"],
    cases: ["ws-error-while-opening"],
    fault: (m) => (isError(m) ? [text(m.text.slice(0, 12)), text(m.text.slice(12))] : "pass"),
  },
  {
    id: "ws-cut-after-error",
    requirements: ["WS-ERR-03", "WS-CLOSE-03"],
    cases: ["ws-error-while-opening"],
    fault: (m) => (isClose(m) ? "cut" : "pass"),
  },
  {
    id: "ws-namespace-error-condition",
    requirements: ["WS-NS-03"],
    cases: ["ws-open-wrong-namespace"],
    fault: (m) => (isError(m) ? [text(m.text.replace(/invalid-namespace/g, "bad-format"))] : "pass"),
  },
  {
    id: "ws-namespace-ignored",
    requirements: ["WS-NS-02"],
    cases: ["ws-open-wrong-namespace"],
    fault: (m) => (isError(m) || isClose(m) ? "drop" : "pass"),
  },
  {
    id: "ws-restart-without-features",
    requirements: ["WS-RESTART-01"],
    cases: ["ws-restart"],
    fault: (m, ctx) => (/^<stream:features[\s>]/.test(m.text) && ctx.opens === 2 ? "drop" : "pass"),
  },
];

/** A legitimate difference RFC 7395 allows: a rewrite of one message's text that must change no verdict. */
export interface WebSocketVariationDef {
  id: string;
  /** Why the RFC allows it. */
  allowed: string;
  rewrite: (text: string) => string;
}

export const WEBSOCKET_VARIATIONS: WebSocketVariationDef[] = [
  {
    id: "ws-unprefixed-features",
    allowed: "RFC 7395 §3.3.3: 'the stream prefix MUST be declared or use an unprefixed form'",
    // The element's own default namespace goes (its children carry theirs); the stream namespace becomes the default.
    rewrite: (t) => {
      const m = /^<stream:(features)((?:\s+[\w:-]+=(['"])[^'"]*\3)*)\s*>([\s\S]*)<\/stream:\1>$/.exec(t);
      if (!m || !/xmlns:stream=(['"])http:\/\/etherx\.jabber\.org\/streams\1/.test(m[2])) return t;
      const rest = m[2].replace(/\s+xmlns(?::stream)?=(['"])[^'"]*\1/g, "");
      return `<${m[1]} xmlns='http://etherx.jabber.org/streams'${rest}>${m[4]}</${m[1]}>`;
    },
  },
  {
    id: "ws-other-prefix-stream-error",
    allowed: "RFC 7395 §3.3.3: any declared prefix will do (the example's 'stream' is one)",
    rewrite: (t) =>
      /^<stream:error[\s>]/.test(t)
        ? t
            .replace(/^<stream:error/, "<s:error")
            .replace(/xmlns:stream=/, "xmlns:s=")
            .replace(/<\/stream:error>$/, "</s:error>")
        : t,
  },
  {
    id: "ws-open-attribute-order",
    allowed: "XML: attribute order and quoting carry no meaning",
    rewrite: (t) => {
      const m = /^<open\s+([^>]*?)\s*\/>$/.exec(t);
      if (!m) return t;
      const attrs = [...m[1].matchAll(/([\w:-]+)=(['"])(.*?)\2/g)].map((a) => `${a[1]}="${a[3]}"`);
      return `<open ${attrs.reverse().join(" ")}/>`;
    },
  },
];

export const TLS_FAULTS: TlsFaultDef[] = [
  {
    id: "dtls-starttls-offered",
    requirements: ["DTLS-STARTTLS-01"],
    cases: ["dtls-no-starttls"],
    rewrite: (t) => t.replace("</stream:features>", "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>"),
  },
  {
    id: "dtls-alpn-refused",
    requirements: ["DTLS-ALPN-01"],
    cases: ["dtls-alpn"],
    // A handshake offering ALPN is refused (no_application_protocol): 'xmpp-client' is not taken.
    alpn: () => undefined,
  },
  {
    // An RSA certificate, and the client's order of suites followed where it lists static RSA key transport first:
    // no forward secrecy (RFC 7525 §4.1).
    id: "tls-static-rsa-preferred",
    requirements: ["TLSBCP-FS-01"],
    cases: ["tls-forward-secrecy"],
    handshake: { rsa: true, ciphers: "AES128-GCM-SHA256:AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384", honorCipherOrder: false },
  },
  {
    // The client's order of groups followed where it lists a 160-bit curve first (RFC 7525 §4.3).
    id: "tls-small-curve-preferred",
    requirements: ["TLSBCP-KEY-03"],
    cases: ["tls-ecdhe-curve"],
    handshake: { ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:@SECLEVEL=0", groups: "secp160r1:prime256v1", honorCipherOrder: false },
  },
];

export const PROXY_FAULTS: { id: string; requirements: string[] }[] = [...WEBSOCKET_FAULTS, ...TLS_FAULTS];
