import type { Element } from "ltx";
import { NS } from "../wire/ns.ts";

/** XEP-0478: the limits a server announces on a stream, each only where it announced it. */
export interface StreamLimits {
  /** The largest first-level element (stanzas included) the server accepts, in bytes. */
  maxBytes?: number;
  /** How long the stream may carry nothing from the client before the server checks it or ends it. */
  idleSeconds?: number;
}

/** The <limits xmlns='urn:xmpp:stream-limits:0'/> of stream features; undefined where there is none. */
export function streamLimits(features: Element): StreamLimits | undefined {
  const limits = features.getChild("limits", NS.streamLimits);
  if (!limits) return undefined;
  const count = (name: string) => {
    const text = limits.getChildText(name)?.trim();
    return text && /^\d+$/.test(text) ? Number(text) : undefined;
  };
  const maxBytes = count("max-bytes");
  const idleSeconds = count("idle-seconds");
  return { ...(maxBytes !== undefined && { maxBytes }), ...(idleSeconds !== undefined && { idleSeconds }) };
}
