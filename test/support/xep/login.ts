import type { Element } from "ltx";
import type { FaultContext, ProxiedConnection, StreamFault } from "../fault-proxy.ts";
import { changed, type FaultDef } from "../fault-kit.ts";
import type { Variation } from "../variations.ts";

/**
 * XEP-0388 SASL2 (with XEP-0386, XEP-0484 and XEP-0440 beside it): server bugs the login cases must catch. Every
 * SASL2 element comes before a stream is bound, so these are stream faults, which see every element.
 */
const SASL2 = "urn:xmpp:sasl:2";
const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const STREAM = "http://etherx.jabber.org/streams";

const isFeatures = (el: Element) => el.name === "features" && (el.attrs.xmlns === STREAM || el.getNS() === STREAM);
const isSasl2 = (el: Element, name: string) => el.name === name && el.attrs.xmlns === SASL2;

/** Connections that sent a SASL2 <authenticate/>: their stream errors and close are the ones a fault hides. */
const usedSasl2 = new WeakSet<ProxiedConnection>();
const noteSasl2 = (el: Element, ctx: FaultContext) => {
  if (isSasl2(el, "authenticate")) usedSasl2.add(ctx.conn);
};

const onElement = (edit: (el: Element, ctx: FaultContext) => ReturnType<NonNullable<StreamFault["element"]>>): StreamFault => ({ fromClient: noteSasl2, element: edit });

export const FAULTS: FaultDef[] = [
  {
    id: "login.sasl2.before-tls",
    area: "login",
    requirements: ["SASLTWO-SEC-01", "FAST-SEC-01"],
    description: "SASL2 (with FAST inline) is offered in the features before STARTTLS",
    stream: onElement((el) =>
      isFeatures(el) && el.getChild("starttls") && !el.getChild("authentication", SASL2)
        ? changed(el, (c) => {
            c.c("authentication", { xmlns: SASL2 }).c("mechanism").t("PLAIN").up().c("inline").c("fast", { xmlns: "urn:xmpp:fast:0" }).c("mechanism").t("HT-SHA-256-NONE");
          })
        : "pass",
    ),
  },
  {
    id: "login.sasl2.no-mechanism",
    area: "login",
    requirements: ["SASLTWO-FEATURE-04"],
    description: "the SASL2 feature lists no mechanism",
    stream: onElement((el) =>
      isFeatures(el) && el.getChild("authentication", SASL2)
        ? changed(el, (c) => {
            const a = c.getChild("authentication", SASL2)!;
            a.children = a.children.filter((x) => typeof x === "string" || x.name !== "mechanism");
          })
        : "pass",
    ),
  },
  {
    id: "login.sasl2.no-channel-binding-types",
    area: "login",
    requirements: ["SASLTWO-FEATURE-05"],
    description: "a server that offers SCRAM-SHA-1-PLUS announces no channel-binding types",
    stream: onElement((el) =>
      isFeatures(el) && el.getChild("sasl-channel-binding", "urn:xmpp:sasl-cb:0")
        ? changed(el, (c) => {
            c.children = c.children.filter((x) => typeof x === "string" || x.name !== "sasl-channel-binding");
          })
        : "pass",
    ),
  },
  {
    id: "login.sasl2.success-refused",
    area: "login",
    requirements: ["SASLTWO-FEATURE-01"],
    description: "an offered mechanism with the right credentials gets a SASL2 <failure/>",
    stream: onElement((el) => (isSasl2(el, "success") ? [`<failure xmlns='${SASL2}'><not-authorized xmlns='${SASL}'/></failure>`] : "pass")),
  },
  {
    id: "login.sasl2.failure-accepted",
    area: "login",
    requirements: ["SASLTWO-AUTH-01", "SASLTWO-AUTH-02", "SASLTWO-AUTHZ-01"],
    description: "a SASL2 <authenticate/> that must fail (a mechanism not offered, an authorization identity not the stream's) gets <success/>",
    stream: onElement((el) => (isSasl2(el, "failure") ? [`<success xmlns='${SASL2}'><authorization-identifier>someone@elsewhere.example</authorization-identifier></success>`] : "pass")),
  },
  {
    id: "login.sasl2.failure-without-condition",
    area: "login",
    requirements: ["SASLTWO-FAIL-01"],
    description: "a SASL2 <failure/> holds no RFC 6120 SASL condition",
    stream: onElement((el) =>
      isSasl2(el, "failure")
        ? changed(el, (c) => {
            c.children = c.children.filter((x) => typeof x === "string" || x.attrs.xmlns !== SASL);
          })
        : "pass",
    ),
  },
  {
    id: "login.sasl2.identity-from-header",
    area: "login",
    requirements: ["SASLTWO-SEC-02"],
    description: "the authorization identifier of a SASL2 success is another account's than the credentials'",
    stream: onElement((el) =>
      isSasl2(el, "success") && el.getChild("authorization-identifier")
        ? changed(el, (c) => {
            const id = c.getChild("authorization-identifier")!;
            id.children = [`other-${id.getText()}`];
          })
        : "pass",
    ),
  },
  {
    id: "login.sasl2.stream-never-ended",
    area: "login",
    requirements: ["SASLTWO-MULTI-01", "SASLTWO-DURING-01"],
    description: "a SASL2 stream the server must end (a second <authenticate/>, a stanza during authentication) gets no stream error and no closing tag",
    stream: {
      fromClient: noteSasl2,
      element: (el, ctx) => (usedSasl2.has(ctx.conn) && el.name === "error" && (el.attrs.xmlns === STREAM || el.getNS() === STREAM) ? "drop" : "pass"),
      close: (ctx) => (usedSasl2.has(ctx.conn) ? "" : `</stream:stream>`),
    },
  },
];

export const VARIATIONS: Variation[] = [];
