import xml from "@xmpp/xml";
import type { Element } from "ltx";

/** Namespace of the harness's own barrier markers; never shown to scenarios. */
export const BARRIER_NS = "urn:xmpp-conform:barrier";

/**
 * A marker message from one session to another: its arrival proves what the sender sent before it has arrived.
 * XEP-0334's <no-store/> asks the server to keep it neither offline nor in an archive (XEP-0313 lets a server
 * archive a message without a body), where a case's query could find it. `from`: a component's own (XEP-0114).
 */
export const markerMessage = (to: string, token: string, from?: string): Element =>
  xml("message", { to, id: `mk-${token}`, ...(from && { from }) }, xml("barrier", { xmlns: BARRIER_NS, token }), xml("no-store", { xmlns: "urn:xmpp:hints" }));

/**
 * The barrier a message carries: its own (a marker, `proves` unless it bounced), or one of a marker it wraps (a
 * server's copy of a marker: a Carbons copy, an archived result), which is harness traffic as much but proves
 * nothing of the marker's way.
 */
export function barrierIn(el: Element): { token: string; proves: boolean } | undefined {
  if (el.name !== "message") return undefined;
  const own = el.getChild("barrier", BARRIER_NS);
  if (own) return { token: String(own.attrs.token), proves: el.attrs.type !== "error" };
  const wrapped = (e: Element): boolean => e.getChildElements().some((c) => (c.name === "message" && c.getChild("barrier", BARRIER_NS) !== undefined) || wrapped(c));
  return wrapped(el) ? { token: "", proves: false } : undefined;
}

/** The tokens of the markers a session received. */
export class Markers {
  private readonly seen = new Set<string>();

  /** Records `el` when it is a marker; says whether it is harness traffic (a marker, or a copy of one). */
  take(el: Element): boolean {
    const marker = barrierIn(el);
    if (!marker) return false;
    if (marker.proves) this.seen.add(marker.token);
    return true;
  }

  has(token: string): boolean {
    return this.seen.has(token);
  }
}
