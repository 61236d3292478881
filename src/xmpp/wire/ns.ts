/** The XML namespaces the harness itself speaks (scenarios spell theirs out in their XML). */
export const NS = {
  stream: "http://etherx.jabber.org/streams",
  streamErrors: "urn:ietf:params:xml:ns:xmpp-streams",
  stanzas: "urn:ietf:params:xml:ns:xmpp-stanzas",
  tls: "urn:ietf:params:xml:ns:xmpp-tls",
  sasl: "urn:ietf:params:xml:ns:xmpp-sasl",
  bind: "urn:ietf:params:xml:ns:xmpp-bind",
  /** RFC 7395 §3.3.2: <open/> and <close/> replace the stream header and footer. */
  framing: "urn:ietf:params:xml:ns:xmpp-framing",
  client: "jabber:client",
  /** XEP-0114: the content namespace of a stream the server accepts from an external component. */
  componentAccept: "jabber:component:accept",
  server: "jabber:server",
  dialback: "jabber:server:dialback",
  dialbackFeature: "urn:xmpp:features:dialback",
  ping: "urn:xmpp:ping",
  /** XEP-0478: the limits a server announces in its stream features. */
  streamLimits: "urn:xmpp:stream-limits:0",
  roster: "jabber:iq:roster",
  register: "jabber:iq:register",
  version: "jabber:iq:version",
  discoInfo: "http://jabber.org/protocol/disco#info",
  discoItems: "http://jabber.org/protocol/disco#items",
  /** XEP-0045: joining (muc), what the service says about occupants (#user), a room's owner (#owner) and admin (#admin) use cases. */
  muc: "http://jabber.org/protocol/muc",
  mucUser: "http://jabber.org/protocol/muc#user",
  mucOwner: "http://jabber.org/protocol/muc#owner",
  mucAdmin: "http://jabber.org/protocol/muc#admin",
  dataForms: "jabber:x:data",
  /** XEP-0388 SASL2, XEP-0386 Bind 2, XEP-0484 FAST. */
  sasl2: "urn:xmpp:sasl:2",
  bind2: "urn:xmpp:bind:0",
  fast: "urn:xmpp:fast:0",
  /** XEP-0198 stream management. */
  sm: "urn:xmpp:sm:3",
  caps: "http://jabber.org/protocol/caps",
  commands: "http://jabber.org/protocol/commands",
  /** XEP-0363 HTTP File Upload. */
  upload: "urn:xmpp:http:upload:0",
  admin: "http://jabber.org/protocol/admin",
} as const;
