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

/** The tokens of the markers a session received. */
export class Markers {
  private readonly seen = new Set<string>();

  /** Records `el` when it is a marker (a bounced one proves nothing); says whether it was one. */
  take(el: Element): boolean {
    const marker = el.name === "message" && el.getChild("barrier", BARRIER_NS);
    if (!marker) return false;
    if (el.attrs.type !== "error") this.seen.add(String(marker.attrs.token));
    return true;
  }

  has(token: string): boolean {
    return this.seen.has(token);
  }
}
