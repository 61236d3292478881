import type { Element } from "ltx";
import { NS } from "./ns.ts";

/**
 * A stream error as people read it: its condition, the server's text, and what it most likely means for the
 * harness (a domain the server does not serve is a wrong --domain).
 */
export function describeStreamError(el: Element, domain?: string): string {
  const condition = streamErrorCondition(el);
  const text = el.getChildText("text", NS.streamErrors);
  const said = `stream error ${condition}${text ? ` ("${text}")` : ""}`;
  if (condition === "host-unknown") return `the server does not serve the domain${domain ? ` '${domain}'` : ""} (${said}): check --domain`;
  if (condition === "see-other-host") return `the server sends clients elsewhere (${said}): point --server at the host it names`;
  if (condition === "policy-violation" || condition === "connection-timeout") return `the server refused the connection (${said}): it may limit connections per address`;
  return said;
}

/** A stream error's defined condition (undefined-condition when it names none). */
export function streamErrorCondition(el: Element): string {
  return (
    el
      .getChildElements()
      .find((c) => c.getNS() === NS.streamErrors && c.getName() !== "text")
      ?.getName() ?? "undefined-condition"
  );
}

/**
 * Conditions that end a stream whatever it was doing (the server going away or restarting, sending clients
 * elsewhere, limiting connections or idle time): never an answer to what the session had asked.
 */
export const NOT_AN_ANSWER: ReadonlySet<string> = new Set(["system-shutdown", "reset", "see-other-host", "policy-violation", "resource-constraint", "connection-timeout"]);
