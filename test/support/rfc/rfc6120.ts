/** Faults that break RFC 6120's rules (streams, TLS, SASL, binding, stanzas, errors), for the fault proxy. */
import { parse, type Element } from "ltx";
import type { Fault, FaultContext, StreamFault } from "../fault-proxy.ts";
import { changed, isError, STANZAS, when, type FaultDef } from "../fault-kit.ts";

/** RFC 6120 helpers: stream headers are open tags, rewritten as text; stream-level elements as elements. */
const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const STREAMS = "urn:ietf:params:xml:ns:xmpp-streams";
const BIND = "urn:ietf:params:xml:ns:xmpp-bind";
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
  {
    id: "stream.features.no-mechanisms",
    area: "core-stream",
    requirements: ["SASL-ADV-01", "STREAM-NEG-01"],
    description: "the features before authentication offer no SASL mechanism",
    stream: element((el) => (isFeatures(el) && el.getChild("mechanisms", SASL) ? changed(el, (c) => c.remove(c.getChild("mechanisms", SASL)!)) : "pass")),
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
    id: "stream.close.no-reciprocal-tag",
    area: "core-stream",
    requirements: ["STREAM-CLOSE-02"],
    description: "the server closes the TCP connection without closing its own stream",
    stream: { close: () => "" },
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
  // Resource binding (§7).
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
    fault: when(
      (el) => el.name === "iq" && isError(el),
      (el) => changed(el, (c) => c.remove(c.getChild("error")!)),
    ),
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
];
