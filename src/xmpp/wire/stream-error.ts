import type { Element } from "ltx";
import { NS } from "./ns.ts";

/**
 * A stream error as people read it: its condition, the server's text, and what it most likely means for the
 * harness (a domain the server does not serve is a wrong --domain).
 */
export function describeStreamError(el: Element, domain?: string): string {
  const condition =
    el
      .getChildElements()
      .find((c) => c.getNS() === NS.streamErrors && c.getName() !== "text")
      ?.getName() ?? "undefined-condition";
  const text = el.getChildText("text", NS.streamErrors);
  const said = `stream error ${condition}${text ? ` ("${text}")` : ""}`;
  if (condition === "host-unknown") return `the server does not serve the domain${domain ? ` '${domain}'` : ""} (${said}): check --domain`;
  if (condition === "see-other-host") return `the server sends clients elsewhere (${said}): point --server at the host it names`;
  if (condition === "policy-violation" || condition === "connection-timeout") return `the server refused the connection (${said}): it may limit connections per address`;
  return said;
}
