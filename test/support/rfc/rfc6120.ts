/** Faults that break RFC 6120's rules (streams, TLS, SASL, binding, stanzas, errors), for the fault proxy. */
import xml from "@xmpp/xml";
import { parse, type Element } from "ltx";
import { bare, type Fault, type FaultContext, type ProxiedConnection, type StreamFault } from "../fault-proxy.ts";
import { answering, changed, isError, STANZAS, when, iqResultFor, type FaultDef } from "../fault-kit.ts";

/** RFC 6120 helpers: stream headers are open tags, rewritten as text; stream-level elements as elements. */
const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const STREAMS = "urn:ietf:params:xml:ns:xmpp-streams";
const BIND = "urn:ietf:params:xml:ns:xmpp-bind";
const SESSION = "urn:ietf:params:xml:ns:xmpp-session";
const DISCO_INFO = "http://jabber.org/protocol/disco#info";
const STREAM_NS = "http://etherx.jabber.org/streams";
const attrOf = (tag: string, name: string) => new RegExp(`\\s${name}=(['"])(.*?)\\1`).exec(tag)?.[2];
const withoutAttr = (tag: string, name: string) => tag.replace(new RegExp(`\\s${name}=(['"]).*?\\1`), "");
const withAttr = (tag: string, name: string, value: string) => withoutAttr(tag, name).replace(/>\s*$/, ` ${name}='${value}'>`);
const isFeatures = (el: Element) => el.name.endsWith("features") && el.name !== "features";
const isStreamError = (el: Element) => el.name.endsWith(":error") && el.children.some((c) => typeof c !== "string" && c.attrs.xmlns === STREAMS);
/** Edits the stream tag itself, not the XML declaration that may come before it in the same write. */
const header = (edit: (raw: string, ctx: FaultContext) => string): StreamFault => ({
  header: (raw, ctx) => {
    const at = raw.search(/<[\w.-]*:?stream[\s>]/);
    return at < 0 ? raw : raw.slice(0, at) + edit(raw.slice(at), ctx);
  },
});
const element = (fault: Fault): StreamFault => ({ element: fault });
/** Per-connection memory of a stateful fault. */
const memory = <T>() => new WeakMap<object, T>();
const firstIds = memory<string>();
const held = memory<Element>();
/** Ids of messages clients addressed with upper-case letters in the bare JID. */
const upperCased = new Set<string>();

/** RFC 6120 helpers for stanzas: kinds, addresses, requests, errors. */
const isStanza = (el: Element) => (el.name === "message" || el.name === "presence" || el.name === "iq") && (el.attrs.xmlns === undefined || el.attrs.xmlns === "jabber:client");
const domainOf = (jid = "") => bare(jid).split("@").pop()!;
const isRequest = (el: Element) => el.name === "iq" && (el.attrs.type === "get" || el.attrs.type === "set");
const isSasl = (el: Element, name?: string) => el.attrs.xmlns === SASL && (!name || el.name === name);
const saslFailure = (condition: string) => xml("failure", { xmlns: SASL }, xml(condition));
/** A stanza error of kind `name` (message, presence, iq) with one defined condition. */
const stanzaError = (name: string, attrs: { id?: string; from?: string; to?: string }, condition: string, type = "cancel") =>
  xml(name, { type: "error", ...attrs }, xml("error", { type }, xml(condition, { xmlns: STANZAS })));
/** A copy of a stanza error whose defined condition is `condition` instead. */
const withCondition = (el: Element, condition: string) =>
  changed(el, (c) => {
    const cond = c
      .getChild("error")
      ?.getChildElements()
      .find((k) => k.attrs.xmlns === STANZAS && k.name !== "text");
    if (cond) cond.name = condition;
  });
/** The features of a stream the server serves: what a server that accepts the stream sends after its header. */
const someFeatures = () => parse(`<stream:features xmlns:stream='${STREAM_NS}'><mechanisms xmlns='${SASL}'><mechanism>PLAIN</mechanism></mechanisms></stream:features>`) as Element;
/** The prefix the client's stream header gives the stream namespace ("" for none). */
const streamPrefix = (tag = "") => /<(?:([\w.-]+):)?stream[\s>]/.exec(tag.replace(/<\?[^?]*\?>/, ""))?.[1] ?? "";
/** Bound connections by full JID, as the proxy saw them bound while a fault that keeps this was on. */
const boundByJid = new Map<string, ProxiedConnection>();
const noteBound = (ctx: FaultContext) => void (ctx.conn.jid && boundByJid.set(ctx.conn.jid, ctx.conn));

/** Errors of stanzas named `kind` sent on without their <error/> child (RFC 6120 §8.3.1, ERR-RULE-04). */
const errorChildDropped = (kind: "iq" | "message" | "presence") =>
  when(
    (el) => el.name === kind && isError(el) && Boolean(el.getChild("error")),
    (el) => changed(el, (c) => c.remove(c.getChild("error")!)),
  );

export const FAULTS: FaultDef[] = [
  // Stream headers and features (§4.3, §4.7).
  {
    id: "stream.header.no-id",
    area: "core-stream",
    requirements: ["STREAM-ID-01"],
    description: "the response stream header has no 'id'",
    stream: header((raw) => withoutAttr(raw, "id")),
  },
  {
    // Another name in 'from' is no fault: it must be "one of the receiving entity's FQDNs" (RFC 6120 §4.7.1), which a client cannot list.
    id: "stream.header.no-from",
    area: "core-stream",
    requirements: ["STREAM-FROM-01"],
    description: "the response stream header has no 'from'",
    stream: header((raw) => withoutAttr(raw, "from")),
  },
  {
    id: "stream.header.no-version",
    area: "core-stream",
    requirements: ["STREAM-VER-01"],
    description: "the response stream header leaves out 'version' for a version 1.0 client",
    stream: header((raw) => withoutAttr(raw, "version")),
  },
  {
    id: "stream.header.echoes-client-id",
    area: "core-stream",
    requirements: ["STREAM-ID-04"],
    description: "an 'id' in the client's stream header is used as the stream ID",
    stream: header((raw, { conn }) => {
      const id = conn.clientHeader && attrOf(conn.clientHeader, "id");
      return id ? withAttr(raw, "id", id) : raw;
    }),
  },
  {
    id: "stream.header.constant-id",
    area: "core-stream",
    requirements: ["STREAM-ID-02", "STREAM-RESTART-01"],
    description: "every stream gets the same stream ID",
    stream: header((raw) => withAttr(raw, "id", "0000")),
  },
  {
    id: "stream.restart.same-id",
    area: "core-stream",
    requirements: ["STREAM-RESTART-01"],
    description: "a restarted stream keeps the stream ID of the first one",
    stream: header((raw, { conn }) => {
      if (!firstIds.has(conn)) firstIds.set(conn, attrOf(raw, "id") ?? "");
      return withAttr(raw, "id", firstIds.get(conn)!);
    }),
  },
  {
    id: "stream.header.no-to-for-from",
    area: "core-stream",
    requirements: ["STREAM-TO-01"],
    description: "the response header has no 'to' when the client's header had a 'from'",
    stream: header((raw) => withoutAttr(raw, "to")),
  },
  {
    id: "stream.header.to-without-from",
    area: "core-stream",
    requirements: ["STREAM-TO-02"],
    description: "the response header has a 'to' although the client's header had no 'from'",
    stream: header((raw, { conn }) => (conn.clientHeader && !attrOf(conn.clientHeader, "from") ? withAttr(raw, "to", "someone@example.invalid") : raw)),
  },
  {
    id: "stream.header.no-lang",
    area: "core-stream",
    requirements: ["STREAM-LANG-01"],
    description: "the response stream header has no xml:lang",
    stream: header((raw) => withoutAttr(raw, "xml:lang")),
  },
  // Class sweep (2026-11-28, group L1c): stream-header-lang: the value's shape (STREAM-LANG-03) has a check of its own
  // now, apart from the attribute's presence (STREAM-LANG-01); this server sends the attribute with a value that is
  // no language tag.
  {
    id: "stream.header.lang-not-a-tag",
    area: "core-stream",
    requirements: ["STREAM-LANG-03"],
    description: "the response stream header's xml:lang is not a language tag (not even an NMTOKEN)",
    stream: header((raw) => (attrOf(raw, "xml:lang") !== undefined ? withAttr(raw, "xml:lang", "no language!") : raw)),
  },
  {
    id: "stream.features.no-mechanisms",
    area: "core-stream",
    requirements: ["SASL-ADV-01", "STREAM-NEG-01"],
    description: "the features before authentication offer no SASL mechanism",
    stream: element((el) => (isFeatures(el) && el.getChild("mechanisms", SASL) ? changed(el, (c) => c.remove(c.getChild("mechanisms", SASL)!)) : "pass")),
  },
  // Class sweep (2026-11-28, group L1c): stream-features-initial: its one features check (no requirements of its own)
  // credited STREAM-NEG-01 as well, so features without SASL (SASL-ADV-01 only: the <features/> came) failed the
  // features rule too. Only for connections opened once the harness has logged in (its own log-in needs SASL).
  {
    id: "stream.features.no-mechanisms-later",
    area: "core-stream",
    requirements: ["SASL-ADV-01"],
    description: "the features before authentication offer no SASL mechanism to connections opened after the first log-in",
    stream: (() => {
      let loggedIn = false;
      return element((el, { conn }) => {
        if (conn.jid) loggedIn = true;
        return loggedIn && !conn.jid && isFeatures(el) && el.getChild("mechanisms", SASL) ? changed(el, (c) => c.remove(c.getChild("mechanisms", SASL)!)) : "pass";
      });
    })(),
  },
  {
    id: "stream.features.sasl-again",
    area: "core-stream",
    requirements: ["SASL-ADV-02"],
    description: "the features after authentication offer SASL again",
    stream: element((el) => (isFeatures(el) && el.getChild("bind", BIND) ? changed(el, (c) => c.c("mechanisms", { xmlns: SASL }).c("mechanism").t("PLAIN")) : "pass")),
  },
  {
    id: "stream.features.no-bind",
    area: "core-stream",
    requirements: ["BIND-ADV-01"],
    description: "the features after authentication do not offer resource binding",
    stream: element((el) => (isFeatures(el) && el.getChild("bind", BIND) ? changed(el, (c) => c.remove(c.getChild("bind", BIND)!)) : "pass")),
  },
  {
    id: "stream.features.after-bind",
    area: "core-stream",
    requirements: ["STREAM-NEG-03"],
    // An empty <features/> is allowed after completion (RFC 6120 §4.3.5 "MAY send an empty <features/> element"): offer a feature again.
    description: "the server offers stream features again after the bind result",
    stream: element((el) =>
      el.name === "iq" && el.getChild("bind", BIND) ? [el, parse(`<stream:features xmlns:stream='http://etherx.jabber.org/streams'><bind xmlns='${BIND}'/></stream:features>`) as Element] : "pass",
    ),
  },
  {
    id: "stream.content-namespace-prefixed",
    area: "core-stream",
    requirements: ["STREAM-NS-04"],
    description: "messages to clients are written with a prefix for the content namespace (<client:message xmlns:client='jabber:client'>)",
    stream: element((el) => {
      if (el.name !== "message") return "pass";
      const prefixed = parse(
        el
          .toString()
          .replace(/^<message\b/, "<client:message xmlns:client='jabber:client'")
          .replace(/<\/message>$/, "</client:message>"),
      ) as Element;
      return [prefixed];
    }),
  },
  {
    id: "stream.close.no-reciprocal-tag",
    area: "core-stream",
    requirements: ["STREAM-CLOSE-02"],
    description: "the server closes the TCP connection without closing its own stream",
    stream: { close: () => "" },
  },
  {
    id: "stream.features.bind-before-auth",
    area: "core-stream",
    requirements: ["BIND-ADV-03"],
    description: "the features before authentication offer resource binding beside SASL",
    stream: element((el) => (isFeatures(el) && el.getChild("mechanisms", SASL) && !el.getChild("bind", BIND) ? changed(el, (c) => c.c("bind", { xmlns: BIND })) : "pass")),
  },
  {
    // Refusing the content namespace is allowed (RFC 6120 §4.8.3), serving the stream under it too: serving it as jabber:client is neither.
    id: "stream.content-namespace-ignored",
    area: "core-stream",
    requirements: ["STREAM-NS-02"],
    description: "a stream whose content namespace is not jabber:client is served as jabber:client (the response header says jabber:client, and features follow instead of a stream error)",
    stream: (() => {
      const foreign = ({ conn }: FaultContext) => Boolean(conn.clientHeader) && attrOf(conn.clientHeader!.replace(/<\?[^?]*\?>/, ""), "xmlns") !== "jabber:client";
      return {
        header: (raw, ctx) => (foreign(ctx) ? raw.replace(/(\sxmlns=)(['"])(?!http:\/\/etherx)[^'"]*\2/, "$1'jabber:client'") : raw),
        element: (el, ctx) => (foreign(ctx) && isStreamError(el) ? [someFeatures()] : "pass"),
      };
    })(),
  },
  {
    // Accepting another prefix and refusing it with a stream error are both allowed (RFC 6120 §4.8.5): ending the connection without either is not.
    id: "stream.prefix-other-connection-cut",
    area: "core-stream",
    requirements: ["STREAM-NS-06"],
    description: "a stream header whose stream namespace prefix is not 'stream' gets a response header, then the TCP connection is cut without features or a stream error",
    // The proxy records only headers spelled <stream:stream>: a stream without one used another prefix.
    stream: element((_el, { conn }) => (!conn.clientHeader || streamPrefix(conn.clientHeader) !== "stream" ? "disconnect" : "pass")),
  },
  {
    id: "stream.unknown-first-level-connection-cut",
    area: "core-stream",
    requirements: ["STREAM-NS-07"],
    description: "a first-level element that is no stanza (in jabber:client, or under a namespace prefix) makes the server cut the TCP connection without a stream error",
    stream: (() => {
      const hit = memory<boolean>();
      return {
        fromClient: (el, { conn }) => void (conn.jid && !isStanza(el) && (el.name.includes(":") || el.attrs.xmlns === undefined || el.attrs.xmlns === "jabber:client") && hit.set(conn, true)),
        element: (_el, { conn }) => (hit.get(conn) ? "disconnect" : "pass"),
      };
    })(),
  },
  {
    id: "stream.unknown-first-level-routed",
    area: "core-stream",
    requirements: ["STREAM-NS-07"],
    description: "a first-level element that is no stanza but has a 'to' is routed to that address like a stanza",
    stream: {
      element: (_el, ctx) => {
        noteBound(ctx);
        return "pass";
      },
      fromClient: (el, { conn }) => {
        const to = boundByJid.get(String(el.attrs.to ?? ""));
        if (conn.jid && to && !isStanza(el) && (el.name.includes(":") || el.attrs.xmlns === undefined || el.attrs.xmlns === "jabber:client")) to.deliver(el);
      },
    },
  },
  {
    id: "xml.utf8-read-as-latin1",
    area: "core-stream",
    requirements: ["XML-ENC-01"],
    description: "the server reads the client's UTF-8 as ISO-8859-1: multi-byte characters arrive double-encoded",
    fault: when(
      (el) => el.name === "message" && /[^\x00-\x7f]/.test(el.getChildText("body") ?? ""),
      (el) => changed(el, (c) => (c.getChild("body")!.children = [Buffer.from(c.getChildText("body")!, "utf8").toString("latin1")])),
    ),
  },
  // Stream errors (§4.9, §11).
  {
    id: "stream-error.wrong-condition",
    area: "core-stream-errors",
    requirements: ["XML-WF-01", "SERR-WF-01", "XML-WF-02"],
    description: "XML that is not well-formed gets bad-format instead of not-well-formed",
    stream: element((el) => (isStreamError(el) && el.getChild("not-well-formed", STREAMS) ? changed(el, (c) => (c.getChild("not-well-formed", STREAMS)!.name = "bad-format")) : "pass")),
  },
  {
    id: "stream-error.two-conditions",
    area: "core-stream-errors",
    requirements: ["SERR-SYN-01"],
    description: "a stream error carries two defined conditions",
    stream: element((el) => (isStreamError(el) ? changed(el, (c) => c.c("undefined-condition", { xmlns: STREAMS })) : "pass")),
  },
  {
    id: "stream-error.lost",
    area: "core-stream-errors",
    requirements: ["SERR-GEN-01", "XML-WF-01", "XML-RESTRICT-*", "STREAM-NS-01", "SERR-GEN-03"],
    description: "the server closes the stream without the stream error",
    stream: element((el) => (isStreamError(el) ? "drop" : "pass")),
  },
  {
    id: "stream-error.no-closing-tag",
    area: "core-stream-errors",
    requirements: ["SERR-GEN-01", "XML-WF-01"],
    description: "after a stream error the server closes the TCP connection without its closing stream tag",
    stream: { close: () => "" },
  },
  {
    id: "stream-error.undefined-condition",
    area: "core-stream-errors",
    requirements: ["SERR-HOST-01", "SERR-NS-01"],
    description: "host-unknown and invalid-namespace errors are sent as undefined-condition",
    stream: element((el) => {
      const cond = isStreamError(el) && (el.getChild("host-unknown", STREAMS) ?? el.getChild("invalid-namespace", STREAMS));
      return cond ? changed(el, (c) => (c.getChild(cond.name, STREAMS)!.name = "undefined-condition")) : "pass";
    }),
  },
  {
    // §4.9.1.3 allows the server's own FQDN or the empty string there; the name the client asked for is neither.
    id: "stream-error.header-from-unknown-host",
    area: "core-stream-errors",
    requirements: ["SERR-GEN-04"],
    description: "the header sent before host-unknown names the unknown host the client asked for in 'from'",
    stream: header((raw, { conn }) => {
      const to = conn.clientHeader && attrOf(conn.clientHeader.replace(/<\?[^?]*\?>/, ""), "to");
      return to ? withAttr(raw, "from", to) : raw;
    }),
  },
  {
    id: "stream-error.not-authorized-as-policy-violation",
    area: "core-stream-errors",
    requirements: ["SERR-NOTAUTH-02", "SASL-ERR-15", "BIND-ADV-02"],
    description: "a stanza sent before stream negotiation is complete closes the stream with policy-violation instead of not-authorized",
    stream: element((el, { conn }) =>
      !conn.jid && isStreamError(el) && el.getChild("not-authorized", STREAMS) ? changed(el, (c) => (c.getChild("not-authorized", STREAMS)!.name = "policy-violation")) : "pass",
    ),
  },
  {
    id: "stream.unnegotiated-stanza-routed",
    area: "core-stream-errors",
    requirements: ["SERR-NOTAUTH-01", "SASL-ORDER-01", "STREAM-NEG-02", "SASL-ERR-15", "BIND-ADV-02"],
    description: "a stanza sent before stream negotiation is complete (before authentication, after a failed one, before binding) is delivered before the stream is closed",
    stream: {
      element: (_el, ctx) => {
        noteBound(ctx);
        return "pass";
      },
      fromClient: (el, { conn }) => {
        const to = boundByJid.get(String(el.attrs.to ?? ""));
        if (!conn.jid && isStanza(el) && to) to.deliver(el);
      },
    },
  },
  {
    id: "xml.encoding-declaration-ignored",
    area: "core-stream-errors",
    requirements: ["XML-ENC-02"],
    description: "an XML declaration naming an encoding other than UTF-8 is ignored: the stream is served (features, no stream error)",
    stream: (() => {
      const latin = ({ conn }: FaultContext) => /<\?xml[^?]*encoding=(['"])(?!utf-?8\1)/i.test(conn.clientHeader ?? "");
      return {
        element: (el, ctx) => (latin(ctx) && isStreamError(el) ? [someFeatures()] : "pass"),
        close: (ctx) => (latin(ctx) ? "" : "</stream:stream>"),
      };
    })(),
  },
  // SASL (§6).
  {
    id: "sasl.accepts-wrong-password",
    area: "core-sasl",
    requirements: ["SASL-AUTH-01", "SASL-FAIL-02", "SASL-ERR-05"],
    description: "a wrong password is answered with success",
    stream: element((el) => (el.name === "failure" && el.attrs.xmlns === SASL && el.getChild("not-authorized") ? [parse(`<success xmlns='${SASL}'/>`) as Element] : "pass")),
  },
  {
    id: "sasl.failure-condition",
    area: "core-sasl",
    requirements: ["SASL-ERR-05", "SASL-ERR-03", "SASL-ERR-04"],
    description: "every SASL failure says temporary-auth-failure",
    stream: element((el) => (el.name === "failure" && el.attrs.xmlns === SASL ? [parse(`<failure xmlns='${SASL}'><temporary-auth-failure/></failure>`) as Element] : "pass")),
  },
  {
    id: "sasl.abort-not-aborted",
    area: "core-sasl",
    requirements: ["SASL-ABORT-01", "SASL-FAIL-01"],
    description: "an abort is answered with a failure without the aborted condition",
    stream: element((el) => (el.name === "failure" && el.attrs.xmlns === SASL && el.getChild("aborted") ? [parse(`<failure xmlns='${SASL}'/>`) as Element] : "pass")),
  },
  {
    id: "sasl.no-challenge",
    area: "core-sasl",
    requirements: ["SASL-CHAL-01", "SASL-AUTH-01"],
    description: "SCRAM challenges are lost",
    stream: element((el) => (el.name === "challenge" && el.attrs.xmlns === SASL ? "drop" : "pass")),
  },
  {
    id: "sasl.bad-base64-challenged",
    area: "core-sasl",
    requirements: ["SASL-B64-01", "SASL-ERR-01"],
    description: "an initial response with characters outside the base64 alphabet is taken as no initial response: an empty challenge instead of a failure",
    stream: (() => {
      const bad = memory<boolean>();
      return {
        fromClient: (el, { conn }) => void (isSasl(el, "auth") && !/^[A-Za-z0-9+/]*={0,2}$/.test(el.getText().trim()) && bad.set(conn, true)),
        element: (el, { conn }) => {
          if (!bad.get(conn) || !isSasl(el, "failure")) return "pass";
          bad.delete(conn);
          return [xml("challenge", { xmlns: SASL })];
        },
      };
    })(),
  },
  {
    id: "sasl.new-auth-refused-mid-handshake",
    area: "core-sasl",
    requirements: ["SASL-AUTH-03"],
    description: "an <auth/> sent while a handshake is in progress is taken as a response to it and fails (malformed-request) instead of starting a new handshake",
    stream: (() => {
      const state = memory<"open" | "restarted">();
      return {
        fromClient: (el, { conn }) => void (isSasl(el, "auth") && state.get(conn) === "open" && state.set(conn, "restarted")),
        element: (el, { conn }) => {
          if (!isSasl(el)) return "pass";
          if (state.get(conn) === "restarted") {
            state.delete(conn);
            return [saslFailure("malformed-request")];
          }
          if (el.name === "challenge") state.set(conn, "open");
          else state.delete(conn);
          return "pass";
        },
      };
    })(),
  },
  {
    id: "sasl.no-initial-response-refused",
    area: "core-sasl",
    requirements: ["SASL-AUTH-04"],
    description: "an <auth/> without an initial response fails with malformed-request instead of getting a challenge",
    stream: (() => {
      const empty = memory<boolean>();
      return {
        fromClient: (el, { conn }) => void (isSasl(el, "auth") && el.getText().trim() === "" && empty.set(conn, true)),
        element: (el, { conn }) => {
          if (!empty.get(conn) || !isSasl(el)) return "pass";
          empty.delete(conn);
          return isSasl(el, "challenge") ? [saslFailure("malformed-request")] : "pass";
        },
      };
    })(),
  },
  {
    id: "sasl.authzid-ignored",
    area: "core-sasl",
    requirements: ["SASL-AUTHZ-02", "SASL-ERR-02"],
    description: "a PLAIN authorization identity naming another account is ignored: the user is logged in as herself (success)",
    stream: (() => {
      const other = memory<boolean>();
      return {
        fromClient: (el, { conn }) => {
          if (!isSasl(el, "auth") || el.attrs.mechanism !== "PLAIN") return;
          const [authzid, authcid] = Buffer.from(el.getText().trim(), "base64").toString("utf8").split("\0");
          if (authzid && authzid.split("@")[0] !== authcid) other.set(conn, true);
        },
        element: (el, { conn }) => {
          if (!other.get(conn) || !isSasl(el, "failure")) return "pass";
          other.delete(conn);
          return [xml("success", { xmlns: SASL })];
        },
      };
    })(),
  },
  // Resource binding (§7).
  {
    // Seventieth audit (round 70): a 'binds' step waited for its answer as a precondition, so a server that never
    // answered a raw connection's bind request skipped the case (sm-resume-closed and 77 other steps of the same
    // shape); the action now fails RFC 6120 §8.2.3 on a silence: skip -> fail (STANZA-IQ-01).
    id: "bind.raw-result-dropped",
    area: "core-bind",
    requirements: ["STANZA-IQ-01"],
    description: "a bind request of a raw connection (the harness's 'binds' step, ids bind1, bind2, ...) binds the resource, but its IQ result is never sent",
    stream: element((el) => (el.name === "iq" && el.attrs.type === "result" && /^bind\d+$/.test(String(el.attrs.id)) && el.getChild("bind", BIND) ? "drop" : "pass")),
  },
  {
    id: "bind.other-account",
    area: "core-bind",
    requirements: ["BIND-GEN-04", "BIND-GEN-01"],
    description: "the bind result names another account's JID",
    stream: element((el) => {
      const jid = el.name === "iq" && el.getChild("bind", BIND)?.getChild("jid");
      return jid ? changed(el, (c) => (c.getChild("bind", BIND)!.getChild("jid")!.children = [`someone-else@${jid.text().split("@")[1]}`])) : "pass";
    }),
  },
  {
    id: "bind.same-resource",
    area: "core-bind",
    requirements: ["BIND-GEN-02"],
    description: "every generated resourcepart is the same",
    stream: element((el) => {
      const jid = el.name === "iq" && el.getChild("bind", BIND)?.getChild("jid");
      return jid ? changed(el, (c) => (c.getChild("bind", BIND)!.getChild("jid")!.children = [`${jid.text().split("/")[0]}/fixed`])) : "pass";
    }),
  },
  {
    id: "bind.replaced-without-conflict",
    area: "core-bind",
    requirements: ["BIND-CONFLICT-01", "SERR-CONFLICT-01"],
    description: "when a new stream binds a connected resource, the old stream is closed without the conflict stream error",
    stream: element((el) => (isStreamError(el) && el.getChild("conflict", STREAMS) ? "drop" : "pass")),
  },
  {
    id: "bind.requested-bare-jid",
    area: "core-bind",
    requirements: ["BIND-REQ-01"],
    description: "the bind result for a requested resourcepart names the bare JID, without a resourcepart",
    stream: answering(
      (el) => el.attrs.type === "set" && Boolean(el.getChild("bind", BIND)?.getChildText("resource")),
      (answer) => {
        const jid = answer.getChild("bind", BIND)?.getChild("jid");
        return jid ? changed(answer, (c) => (c.getChild("bind", BIND)!.getChild("jid")!.children = [bare(jid.text())])) : "pass";
      },
    ),
  },
  {
    // Processing the resourcepart into a conforming one, jid-malformed and bad-request are the allowed answers (RFC 7622 §4, RFC 6120 §7.7.2.1).
    id: "bind.long-resource-internal-error",
    area: "core-bind",
    requirements: ["ADDR-MALFORMED-02"],
    description: "a bind request with a resourcepart over 1023 octets fails with internal-server-error (it does not fit the session table)",
    stream: answering(
      (el) => (el.getChild("bind", BIND)?.getChildText("resource") ?? "").length > 1023,
      (answer) => [stanzaError("iq", { id: answer.attrs.id, to: answer.attrs.to }, "internal-server-error", "wait")],
    ),
  },
  // Stanzas and stanza errors (§8, §10).
  {
    id: "stanza.from-not-stamped",
    area: "core-stanza",
    requirements: ["STANZA-FROM-01", "STANZA-FROM-02"],
    description: "messages and presence are delivered without the sender's 'from'",
    fault: when(
      (el) => (el.name === "message" || el.name === "presence") && !el.getChild("barrier", "urn:xmpp-conform:barrier"),
      (el) => changed(el, (c) => delete c.attrs.from),
    ),
  },
  {
    id: "stanza.lang-overridden",
    area: "core-stanza",
    requirements: ["STANZA-LANG-02"],
    description: "a stanza's own xml:lang is replaced by the stream's",
    fault: when(
      (el) => el.name === "message" && el.attrs["xml:lang"] === "fr",
      (el) => changed(el, (c) => (c.attrs["xml:lang"] = "de")),
    ),
  },
  {
    id: "stanza.lang-not-added",
    area: "core-stanza",
    requirements: ["STANZA-LANG-01"],
    description: "a stanza without xml:lang does not get the stream's language",
    fault: when(
      (el) => el.name === "message" && el.attrs["xml:lang"] === "de",
      (el) => changed(el, (c) => delete c.attrs["xml:lang"]),
    ),
  },
  {
    id: "stanza.id-changed",
    area: "core-stanza",
    requirements: ["STANZA-ID-01", "STANZA-IQ-02", "ERR-RULE-03"],
    description: "stanzas and replies arrive with another 'id'",
    fault: when(
      (el) => (el.name === "message" || el.name === "iq") && Boolean(el.attrs.id) && !String(el.attrs.id).startsWith("xc") && !String(el.attrs.id).startsWith("mk-") && !el.getChild("bind", BIND),
      (el) => changed(el, (c) => (c.attrs.id = `${c.attrs.id}-x`)),
    ),
  },
  {
    id: "iq.two-replies",
    area: "core-stanza",
    requirements: ["STANZA-IQ-01"],
    description: "IQ results from the server are sent twice",
    fault: when(
      (el) => el.name === "iq" && el.attrs.type === "result" && !String(el.attrs.id).startsWith("xc") && !String(el.attrs.id).startsWith("bind"),
      (el) => [el, el],
    ),
  },
  {
    id: "iq.error-without-error",
    area: "core-stanza",
    requirements: ["STANZA-IQ-06", "ERR-RULE-04", "STANZA-EXT-02", "STANZA-IQ-04"],
    description: "IQ errors come without their <error/> child",
    fault: errorChildDropped("iq"),
  },
  // Seventy-sixth audit (round 76): a message or presence error that still refuses but lacks its <error/> child
  // breaks RFC 6120 §8.3.1 ("An error stanza MUST contain an <error/> child element", ERR-RULE-04), not the rule
  // that asks for the error. Old -> new: delivery-remote-unresolvable, delivery-msg-untyped-fullnomatch,
  // delivery-gen-error-to-known-sender and the groupchat cells of delivery-msg-{bare,fullnomatch}-{2nn,1nn,0res,
  // connonly,negonly} fail their own rule -> fail ERR-RULE-04; muc-msg-wrong-type passes (the childless error went
  // unjudged) -> fails ERR-RULE-04 (message). muc-config-members-only fails MUC-CONFIG-05 -> fails ERR-RULE-04 where
  // dave is refused (presence; neither local server refuses him: not reached there). Also message-unknown-child-to-
  // server (STANZA-EXT-03), request-malformed-jid and request-remote-unreachable (SUB-REQ-05): own rule -> ERR-RULE-04.
  {
    id: "message.error-without-error",
    area: "core-stanza",
    requirements: ["ERR-RULE-04"],
    description: "message errors come without their <error/> child",
    fault: errorChildDropped("message"),
  },
  {
    id: "presence.error-without-error",
    area: "core-stanza",
    requirements: ["ERR-RULE-04"],
    description: "presence errors come without their <error/> child",
    fault: errorChildDropped("presence"),
  },
  {
    id: "iq.error-wrong-type",
    area: "core-stanza",
    requirements: ["ERR-COND-SERVICE-UNAVAILABLE", "ERR-COND-BAD-REQUEST", "ERR-SYN-01"],
    description: "stanza errors have the type 'modify' whatever their condition, or none",
    fault: when(
      (el) => isError(el) && Boolean(el.getChild("error")),
      (el) => changed(el, (c) => (c.getChild("error")!.attrs.type = c.getChild("error")!.getChild("bad-request", STANZAS) ? "bogus" : "modify")),
    ),
  },
  {
    id: "stanza.extension-stripped",
    area: "core-stanza",
    requirements: ["STANZA-EXT-01"],
    description: "extension elements the server does not know are removed from messages",
    fault: when(
      (el) => el.name === "message" && Boolean(el.getChild("xc", "urn:xc:extension")),
      (el) => changed(el, (c) => c.remove(c.getChild("xc", "urn:xc:extension")!)),
    ),
  },
  {
    id: "route.reordered",
    area: "core-stanza",
    requirements: ["ROUTE-ORDER-01"],
    description: "two messages from one sender overtake each other",
    fault: (el, { conn }) => {
      if (el.name !== "message" || isError(el) || el.getChild("barrier", "urn:xmpp-conform:barrier")) return "pass";
      const first = held.get(conn);
      if (!first) {
        held.set(conn, el);
        return "drop";
      }
      held.delete(conn);
      return [el, first];
    },
  },
  {
    id: "stanza.account-answer-from-domain",
    area: "core-stanza",
    requirements: ["STANZA-FROM-03"],
    description: "the server's answers to IQs it handles for the account (no 'to') carry the domain as 'from'",
    stream: answering(
      (el, { conn }) => Boolean(conn.jid) && isRequest(el) && el.attrs.to === undefined && !el.getChild("session", SESSION),
      (answer, { conn }) => changed(answer, (c) => (c.attrs.from = domainOf(conn.jid))),
    ),
  },
  {
    id: "stanza.server-answer-without-from",
    area: "core-stanza",
    requirements: ["STANZA-FROM-04"],
    description: "the server's answers to IQs addressed to its domain have no 'from'",
    stream: answering(
      (el, { conn }) => Boolean(conn.jid) && isRequest(el) && el.attrs.to === domainOf(conn.jid),
      (answer) => changed(answer, (c) => delete c.attrs.from),
    ),
  },
  {
    id: "iq.result-two-children",
    area: "core-stanza",
    requirements: ["STANZA-IQ-05"],
    description: "disco#info results carry their extended information (XEP-0128 data form) beside the <query/> instead of inside it",
    stream: answering(
      (el) => el.attrs.type === "get" && Boolean(el.getChild("query", DISCO_INFO)),
      (answer) => (answer.attrs.type === "result" ? changed(answer, (c) => c.c("x", { xmlns: "jabber:x:data", type: "result" })) : "pass"),
    ),
  },
  {
    id: "iq.result-with-error-child",
    area: "core-stanza",
    requirements: ["ERR-RULE-07"],
    description: "when a disco#info handler fails the answer keeps type 'result' and carries the <error/> in place of the payload",
    stream: answering(
      (el) => el.attrs.type === "get" && Boolean(el.getChild("query", DISCO_INFO)),
      (answer) => (answer.attrs.type === "result" ? changed(answer, (c) => (c.children = [xml("error", { type: "wait" }, xml("internal-server-error", { xmlns: STANZAS }))])) : "pass"),
    ),
  },
  {
    id: "iq.bad-type-handled-as-get",
    area: "core-stanza",
    requirements: ["STANZA-IQ-08"],
    description: "an IQ whose 'type' is missing or none of get, set, result, error is handled as a get (a result) instead of getting bad-request",
    stream: answering(
      (el, { conn }) => Boolean(conn.jid) && !["get", "set", "result", "error"].includes(String(el.attrs.type)),
      (answer) => [iqResultFor(answer)],
    ),
  },
  {
    id: "iq.response-answered",
    area: "core-stanza",
    requirements: ["STANZA-IQ-03", "ERR-RULE-08", "ROUTE-NOTO-05"],
    description: "an IQ result or error that answers no request (to the server, with or without 'to', or to an address that does not exist) gets a service-unavailable error back",
    stream: unsolicitedAnswered((el) => el.attrs.type === "result" || el.attrs.type === "error"),
  },
  // Class sweep (2026-11-28, group L1c): iq-result-unsolicited: its one absence check (no requirements of its own)
  // credited all three rules, so an error back to a plain IQ result addressed to the server (STANZA-IQ-03 only: it
  // answers no error, and the result had a 'to') failed ERR-RULE-08 and ROUTE-NOTO-05 as well.
  {
    id: "iq.result-to-server-answered",
    area: "core-stanza",
    requirements: ["STANZA-IQ-03"],
    description: "an IQ result addressed to the server that answers none of its requests gets a service-unavailable error back (errors, and results without 'to', are ignored)",
    stream: unsolicitedAnswered((el) => el.attrs.type === "result" && Boolean(el.attrs.to) && !String(el.attrs.to).includes("@")),
  },
  {
    id: "message.error-bounced",
    area: "core-stanza",
    requirements: ["ERR-RULE-08"],
    description: "a message error the server cannot deliver (to the server, an unknown account or resource) is answered with a service-unavailable error",
    stream: {
      fromClient: (el, ctx) => {
        if (!ctx.conn.jid || el.name !== "message" || !isError(el) || ctx.peers().some((p) => p.jid === el.attrs.to)) return;
        ctx.conn.deliver(stanzaError("message", { id: el.attrs.id, from: el.attrs.to, to: ctx.conn.jid }, "service-unavailable"));
      },
    },
  },
  {
    id: "presence.error-bounced",
    area: "core-stanza",
    requirements: ["ERR-RULE-08"],
    description: "a presence error the server cannot deliver (to the server, an unknown account or resource) is answered with a service-unavailable error",
    stream: {
      fromClient: (el, ctx) => {
        if (!ctx.conn.jid || el.name !== "presence" || !isError(el) || ctx.peers().some((p) => p.jid === el.attrs.to)) return;
        ctx.conn.deliver(stanzaError("presence", { id: el.attrs.id, from: el.attrs.to, to: ctx.conn.jid }, "service-unavailable"));
      },
    },
  },
  {
    id: "iq.no-to-unknown-namespace-condition",
    area: "core-stanza",
    requirements: ["ROUTE-NOTO-04"],
    description: "an IQ without 'to' in a namespace the server does not understand gets feature-not-implemented instead of service-unavailable",
    stream: answering(
      (el, { conn }) => Boolean(conn.jid) && isRequest(el) && el.attrs.to === undefined,
      (answer) => (isError(answer) && answer.getChild("error")?.getChild("service-unavailable", STANZAS) ? withCondition(answer, "feature-not-implemented") : "pass"),
    ),
  },
  {
    id: "stanza-error.condition-in-streams-namespace",
    area: "core-stanza",
    requirements: ["ERR-SYN-02"],
    description: "the defined condition of stanza errors is qualified by the stream errors' namespace instead of 'urn:ietf:params:xml:ns:xmpp-stanzas'",
    fault: when(
      (el) => isError(el) && Boolean(el.getChild("error")),
      (el) =>
        changed(el, (c) => {
          for (const k of c.getChild("error")!.getChildElements()) if (k.attrs.xmlns === STANZAS) k.attrs.xmlns = STREAMS;
        }),
    ),
  },
  {
    id: "message.unknown-child-answered-with-text",
    area: "core-stanza",
    requirements: ["STANZA-EXT-03"],
    description: "a message to the server whose only child it does not understand is answered with a text message ('unknown command') instead of being ignored or refused with an error",
    stream: (() => {
      const answered = new Set<string>();
      return {
        fromClient: (el, { conn }) => {
          const only = el.getChildElements();
          if (!conn.jid || el.name !== "message" || isError(el) || el.attrs.to !== domainOf(conn.jid) || only.length !== 1 || only[0].attrs.xmlns === undefined) return;
          answered.add(`${conn.jid} ${el.attrs.id}`);
          conn.deliver(xml("message", { from: el.attrs.to, to: conn.jid, id: el.attrs.id, type: "normal" }, xml("body", {}, "Unknown command.")));
        },
        element: (el, { conn }) => (el.name === "message" && isError(el) && answered.has(`${conn.jid} ${el.attrs.id}`) ? "drop" : "pass"),
      };
    })(),
  },
  {
    id: "message.unknown-type-dropped",
    area: "core-stanza",
    requirements: ["STANZA-TYPE-01"],
    description: "a message with a 'type' the server does not know is dropped: neither delivered as normal nor refused with an error",
    stream: (() => {
      const unknown = new Set<string>();
      const known = new Set(["chat", "error", "groupchat", "headline", "normal"]);
      return {
        fromClient: (el, { conn }) => void (conn.jid && el.name === "message" && el.attrs.type !== undefined && !known.has(el.attrs.type) && unknown.add(`${conn.jid} ${el.attrs.id}`)),
        element: (el, { conn }) => (el.name === "message" && (unknown.has(`${el.attrs.from} ${el.attrs.id}`) || (isError(el) && unknown.has(`${conn.jid} ${el.attrs.id}`))) ? "drop" : "pass"),
      };
    })(),
  },
  // Routing (§10).
  {
    id: "route.no-to-message-dropped",
    area: "core-stanza",
    requirements: ["ROUTE-NOTO-01"],
    description: "a message without 'to' is taken as addressed to the server and dropped instead of going to the sender's bare JID",
    stream: (() => {
      const sent = new Set<string>();
      return {
        fromClient: (el, { conn }) => void (conn.jid && el.name === "message" && el.attrs.to === undefined && sent.add(`${conn.jid} ${el.attrs.id}`)),
        element: (el) => (el.name === "message" && !isError(el) && sent.has(`${el.attrs.from} ${el.attrs.id}`) ? "drop" : "pass"),
      };
    })(),
  },
  {
    id: "route.no-to-presence-not-broadcast",
    area: "core-stanza",
    requirements: ["ROUTE-NOTO-02"],
    description: "presence without 'to' after the initial presence (a change of show or status) is not broadcast",
    stream: (() => {
      const count = memory<number>();
      const silenced = new Set<string>();
      return {
        fromClient: (el, { conn }) => {
          if (!conn.jid || el.name !== "presence" || el.attrs.to !== undefined || el.attrs.type !== undefined) return;
          count.set(conn, (count.get(conn) ?? 0) + 1);
          if (count.get(conn)! > 1) silenced.add(conn.jid);
        },
        element: (el) => (el.name === "presence" && el.attrs.type === undefined && silenced.has(String(el.attrs.from)) ? "drop" : "pass"),
      };
    })(),
  },
  {
    id: "route.no-to-iq-unanswered",
    area: "core-stanza",
    requirements: ["ROUTE-NOTO-03"],
    description: "an IQ get or set without 'to' is routed to the account's bare JID, where nothing answers it",
    stream: answering(
      (el, { conn }) => Boolean(conn.jid) && isRequest(el) && el.attrs.to === undefined && !el.getChild("session", SESSION),
      () => "drop",
    ),
  },
  {
    id: "route.domain-resource-unanswered",
    area: "core-stanza",
    requirements: ["ROUTE-LOCAL-02"],
    description: "an IQ to <domain/resource> is neither handled nor answered with an error (it is lost)",
    stream: answering(
      (el, { conn }) => Boolean(conn.jid) && isRequest(el) && String(el.attrs.to ?? "").startsWith(`${domainOf(conn.jid)}/`),
      () => "drop",
    ),
  },
  {
    // Silence and service-unavailable are both allowed (RFC 6120 §10.5.3.1); another condition also tells that the account does not exist.
    id: "route.no-account-message-item-not-found",
    area: "core-stanza",
    requirements: ["ROUTE-LOCAL-04"],
    description: "a message to an account that does not exist is answered with item-not-found instead of service-unavailable",
    stream: (() => {
      const toBare = new Set<string>();
      return {
        fromClient: (el, { conn }) =>
          void (conn.jid && el.name === "message" && !isError(el) && el.attrs.to && !String(el.attrs.to).includes("/") && toBare.add(`${conn.jid} ${el.attrs.id} ${el.attrs.to}`)),
        element: (el, { conn }) =>
          el.name === "message" && isError(el) && toBare.has(`${conn.jid} ${el.attrs.id} ${el.attrs.from}`) && el.getChild("error")?.getChild("service-unavailable", STANZAS)
            ? withCondition(el, "item-not-found")
            : "pass",
      };
    })(),
  },
  // Addresses (RFC 7622).
  {
    id: "jid.case-sensitive-localpart",
    area: "core-addressing",
    requirements: ["ADDR-CASE-01", "ADDR-CASE-02"],
    description: "messages addressed with upper-case letters in the localpart or domainpart are not delivered",
    stream: {
      fromClient: (el) => void (el.name === "message" && /[A-Z]/.test(String(el.attrs.to ?? "").split("/")[0]) && upperCased.add(String(el.attrs.id))),
      element: (el) => (el.name === "message" && !isError(el) && upperCased.has(String(el.attrs.id)) ? "drop" : "pass"),
    },
  },
  {
    id: "jid.malformed-delivered-error-lost",
    area: "core-addressing",
    requirements: ["ADDR-CHAR-01", "ADDR-EMPTY-01", "ADDR-LEN-*", "ADDR-MALFORMED-01"],
    description: "IQs to addresses that are not JIDs are never answered",
    fault: when(
      (el) => el.name === "iq" && isError(el) && /@.*@|^@|\/$|[a-z]{1000}/.test(String(el.attrs.from ?? "")),
      () => "drop",
    ),
  },
  {
    id: "jid.resourcepart-case-folded",
    area: "core-addressing",
    requirements: ["ADDR-CASE-03"],
    description: "resourceparts are compared without regard to case: a stanza to A@D/BALCONY reaches A@D/balcony",
    stream: (() => {
      const folded = new Set<string>();
      return {
        fromClient: (el, ctx) => {
          const to = String(el.attrs.to ?? "");
          if (!ctx.conn.jid || !isStanza(el) || !to.includes("/")) return;
          const peer = ctx.peers().find((p) => p.jid !== to && p.jid?.toLowerCase() === to.toLowerCase());
          if (!peer) return;
          folded.add(`${ctx.conn.jid} ${el.attrs.id}`);
          peer.deliver(changed(el, (c) => (c.attrs.from = ctx.conn.jid))[0]);
        },
        // The error the server sent for the address it did not find: the stanza was delivered instead.
        element: (el, { conn }) => (isError(el) && folded.has(`${conn.jid} ${el.attrs.id}`) ? "drop" : "pass"),
      };
    })(),
  },
];

/**
 * An IQ answer a client sends that answers none of the server's requests to it, and that `unsolicited` picks, gets a
 * service-unavailable error back (from its 'to', or the user's bare JID).
 */
function unsolicitedAnswered(unsolicited: (el: Element) => boolean): StreamFault {
  const asked = memory<Set<string>>();
  const askedOf = (conn: object) => asked.get(conn) ?? asked.set(conn, new Set()).get(conn)!;
  return {
    element: (el, { conn }) => {
      if (isRequest(el)) askedOf(conn).add(String(el.attrs.id));
      return "pass";
    },
    fromClient: (el, { conn }) => {
      if (!conn.jid || el.name !== "iq" || !unsolicited(el) || askedOf(conn).has(String(el.attrs.id))) return;
      conn.deliver(stanzaError("iq", { id: el.attrs.id, from: el.attrs.to ?? bare(conn.jid), to: conn.jid }, "service-unavailable"));
    },
  };
}
