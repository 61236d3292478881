import { escapeXML, type Element } from "ltx";
import { NS } from "./ns.ts";

/** The initial stream header a scenario asks for. `null` leaves an attribute out; absent ones get the usual value. */
export interface HeaderOptions {
  /** Default: the endpoint's domain. */
  to?: string | null;
  from?: string | null;
  /** Default: "1.0". */
  version?: string | null;
  /** xml:lang; default: none. */
  lang?: string | null;
  id?: string | null;
  /** The content namespace declared as default; default "jabber:client". */
  contentNs?: string | null;
  /** The namespace of the stream element; default the stream namespace. */
  streamNs?: string;
  /** The stream element's prefix; default "stream"; "" puts the stream namespace on the element itself (no prefix). */
  prefix?: string;
  /** More attributes, namespace declarations included ("xmlns:db": "jabber:server:dialback"). */
  attrs?: Record<string, string>;
  /** Send <?xml version='1.0'?> first; default true. */
  declaration?: boolean;
}

/** The server's (response) stream header, as it sent it. */
export interface StreamHeader {
  /** The element name as sent, e.g. "stream:stream". */
  name: string;
  /** Its prefix ("stream"), or "" when the stream namespace is the element's default. */
  prefix: string;
  /** Attributes other than namespace declarations: from, to, id, version, xml:lang, … */
  attrs: Record<string, string>;
  /** Namespace declarations by prefix ("" for the default namespace). */
  namespaces: Record<string, string>;
  /** Arrival order among everything the connection received (compare with Received.seq). */
  seq: number;
}

export interface StreamError {
  /** The defined condition (first child in the streams namespace other than <text/>), "" when there is none. */
  condition: string;
  text?: string;
  el: Element;
  /** Arrival order (compare with RawConnection.arrivedBeforeAction). */
  seq: number;
  /** When it arrived, in the case's transcript time. */
  at: number;
}

/** The server's header as it sent it: name, prefix, attributes and namespace declarations apart. */
export function readHeader(el: Element, seq: number): StreamHeader {
  const namespaces = Object.fromEntries(
    Object.entries(el.attrs)
      .filter(([k]) => k === "xmlns" || k.startsWith("xmlns:"))
      .map(([k, v]) => [k === "xmlns" ? "" : k.slice(6), String(v)]),
  );
  const attrs = Object.fromEntries(
    Object.entries(el.attrs)
      .filter(([k]) => k !== "xmlns" && !k.startsWith("xmlns:"))
      .map(([k, v]) => [k, String(v)]),
  );
  return { name: el.name, prefix: el.name.includes(":") ? el.name.split(":")[0] : "", attrs, namespaces, seq };
}

type Attrs = [string, string | null | undefined][];

/** The attributes of an initial stream header (RFC 6120 §4.7), over TCP and WebSocket alike: 'to' the domain and version 1.0 unless the options say otherwise. */
const headerAttrs = (o: HeaderOptions, domain: string): Attrs => [
  ["to", o.to === undefined ? domain : o.to],
  ["from", o.from],
  ["id", o.id],
  ["version", o.version === undefined ? "1.0" : o.version],
  ["xml:lang", o.lang],
];
const written = (attrs: Attrs) =>
  attrs
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => ` ${k}='${escapeXML(String(v))}'`)
    .join("");

/** Our initial stream header as the options say, addressed to `domain` unless they say otherwise. */
export function headerXml(o: HeaderOptions, domain: string): string {
  const prefix = o.prefix ?? "stream";
  const name = prefix ? `${prefix}:stream` : "stream";
  const attrs: Attrs = [
    ...headerAttrs(o, domain),
    ["xmlns", o.contentNs === undefined ? NS.client : o.contentNs],
    [prefix ? `xmlns:${prefix}` : "xmlns", o.streamNs ?? NS.stream],
    ...Object.entries(o.attrs ?? {}),
  ];
  // With no prefix the stream namespace is the element's default namespace, so no content namespace is declared.
  const list = attrs.filter(([k], i) => !(!prefix && k === "xmlns" && i === 5));
  const decl = o.declaration === false ? "" : "<?xml version='1.0'?>";
  return `${decl}<${name}${written(list)}>`;
}

/** RFC 7395 §3.4: the <open/> of a stream over WebSocket, with the header's attributes (no stream prefix, no declaration). */
export function openXml(o: HeaderOptions, domain: string): string {
  return `<open${written([...headerAttrs(o, domain), ["xmlns", o.streamNs ?? NS.framing], ...Object.entries(o.attrs ?? {})])}/>`;
}

/** `<stream:stream a='…'>` for the transcript: a header is an open tag, which Element#toString() would close. */
export function openTag(el: Element): string {
  return `<${el.name}${Object.entries(el.attrs)
    .map(([k, v]) => ` ${k}='${escapeXML(String(v))}'`)
    .join("")}>`;
}
