import { parse, type Element } from "ltx";
import type { Fault, FaultAction, StreamFault } from "./fault-proxy.ts";

/**
 * Realistic server bugs, each made by the fault proxy from a server that does not have it, and each tied to
 * the requirement IDs whose cases must notice it. `ID-*` names every ID with that prefix.
 */
export interface FaultDef {
  id: string;
  area:
    | "roster" | "roster-set-errors" | "versioning" | "subscription" | "pre-approval" | "presence" | "probe" | "directed" | "unavailable" | "delivery"
    | "core-stream" | "core-stream-errors" | "core-sasl" | "core-bind" | "core-stanza" | "core-addressing"
    | "carbons" | "mam" | "blocking" | "vcard" | "private" | "register";
  requirements: string[];
  /** The bug, as a server developer would describe it. */
  description: string;
  /** A bug in the stanzas a bound connection gets, or (stream) in the stream itself (RFC 6120). */
  fault?: Fault;
  stream?: StreamFault;
}

/** A copy of the stanza changed by `edit`: faults never mutate what the proxy parsed. */
export const copyOf = (el: Element) => parse(el.toString()) as Element;
export function changed(el: Element, edit: (copy: Element) => void): Element[] {
  const copy = copyOf(el);
  edit(copy);
  return [copy];
}

export const when = (test: (el: Element) => boolean, then: (el: Element) => FaultAction): Fault => (el) => (test(el) ? then(el) : "pass");

