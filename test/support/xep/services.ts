import type { Element } from "ltx";
import type { FaultContext, StreamFault } from "../fault-proxy.ts";

/**
 * The components family's faults and variations (XEP-0114): server bugs of a component port, each made by a fault
 * proxy in front of that port (not the c2s one the other families' faults sit on), each tied to the requirement IDs
 * whose cases must notice it. test/component.test.ts runs each against a real ejabberd.
 */
export interface ComponentFaultDef {
  id: string;
  requirements: string[];
  /** The cases that cite those requirements, and the verdict each must now get (a SHOULD warns). */
  cases: Record<string, "fail" | "warn">;
  stream: StreamFault;
}

const isStreamError = (el: Element) => el.name === "stream:error" || (el.name === "error" && el.attrs.xmlns === "http://etherx.jabber.org/streams");
/** The component's header asked for a name the server does not service, or in another content namespace. */
const refusedHeader = (ctx: FaultContext) => /to=['"]xc-unknown-|xmlns=['"]jabber:client['"]/.test(ctx.conn.clientHeader ?? "");
const condition = (from: string, to: string) => (el: Element) => (isStreamError(el) && el.getChild(from) ? [el.toString().replace(new RegExp(`<${from}\\b`), `<${to}`)] : ("pass" as const));

export const COMPONENT_FAULTS: ComponentFaultDef[] = [
  {
    id: "comp-no-header",
    requirements: ["COMP-HDR-01"],
    cases: { "comp-handshake-accepted": "fail" },
    stream: { header: () => "" },
  },
  {
    id: "comp-handshake-not-empty",
    requirements: ["COMP-HS-03"],
    cases: { "comp-handshake-accepted": "fail" },
    stream: { element: (el) => (el.name === "handshake" ? ["<handshake>accepted</handshake>"] : "pass") },
  },
  {
    id: "comp-wrong-secret-cut",
    requirements: ["COMP-HS-01"],
    // The stream error and the closing tag never sent: the server only cuts the connection.
    cases: { "comp-handshake-wrong-secret": "fail" },
    stream: { element: (el) => (isStreamError(el) ? "drop" : "pass"), close: () => "" },
  },
  {
    id: "comp-wrong-secret-other-condition",
    requirements: ["COMP-HS-02"],
    cases: { "comp-handshake-wrong-secret": "warn" },
    stream: { element: condition("not-authorized", "undefined-condition") },
  },
  {
    id: "comp-unknown-name-no-error",
    requirements: ["COMP-HDR-03"],
    cases: { "comp-header-unknown-name": "fail" },
    stream: { element: (el, ctx) => (isStreamError(el) && refusedHeader(ctx) ? "drop" : "pass"), close: (ctx) => (refusedHeader(ctx) ? "" : "</stream:stream>") },
  },
  {
    id: "comp-error-without-header",
    requirements: ["COMP-HDR-04"],
    cases: { "comp-header-unknown-name": "fail", "comp-header-wrong-namespace": "fail" },
    stream: { header: (raw, ctx) => (refusedHeader(ctx) ? "" : raw) },
  },
  {
    id: "comp-namespace-other-condition",
    requirements: ["COMP-NS-01"],
    cases: { "comp-header-wrong-namespace": "fail" },
    stream: { element: condition("invalid-namespace", "bad-format") },
  },
  {
    id: "comp-users-not-routed",
    requirements: ["COMP-ROUTE-01"],
    cases: { "comp-route-message-from-user": "warn", "comp-route-iq": "warn", "comp-route-presence": "warn" },
    stream: { element: (el) => (["message", "presence", "iq"].includes(el.name) && !String(el.attrs.id ?? "").startsWith("mk-") && el.attrs.type !== "result" ? "drop" : "pass") },
  },
];

/** What XEP-0114 allows a server to do otherwise: no verdict may change. */
export const COMPONENT_VARIATIONS: { id: string; stream: StreamFault }[] = [
  // The empty <handshake/> written with a closing tag is the same empty element.
  { id: "comp-handshake-open-close", stream: { element: (el) => (el.name === "handshake" && el.children.length === 0 ? ["<handshake></handshake>"] : "pass") } },
  // A header with a namespace declaration of its own (unused), and another xml:lang.
  { id: "comp-header-extra-declaration", stream: { header: (raw) => raw.replace(/\sxml:lang=(['"])[^'"]*\1/, "").replace(/>$/, " xml:lang='de' xmlns:x='urn:xmpp-conform:variation'>") } },
  // A refusal's stream error with a <text/> of its own.
  {
    id: "comp-error-with-text",
    stream: {
      element: (el) =>
        isStreamError(el) && !el.getChild("text") ? [el.toString().replace(/<\/stream:error>$/, "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>refused</text></stream:error>")] : "pass",
    },
  },
];
