import { createHmac, randomUUID } from "node:crypto";
import { escapeXML } from "ltx";
import { NS } from "../wire/ns.ts";

/** What a SASL2 <authenticate/> asks for beside the mechanism (XEP-0388 §2.3, XEP-0386 §3.2, XEP-0484 §3.2 to §3.6). */
export interface Sasl2Request {
  /** XEP-0388 §2.3: the <user-agent/>; absent: one with a fresh UUID v4 'id'; "none": left out. */
  userAgent?: { id?: string; software?: string; device?: string } | "none";
  /** XEP-0386 §3.2: a Bind 2 request, with its tag and the features to enable inline. */
  bind?: { tag?: string; enable?: readonly Bind2Feature[] };
  /** XEP-0484 §3.2: ask for a token for this FAST mechanism. */
  requestToken?: string;
  /** XEP-0484 §3.4/§3.6: the request authenticates with a token: a <fast/>, asking to invalidate it or not. */
  fast?: { invalidate?: boolean };
  /** XEP-0198 §9.2: resume the session with this SM-ID inline, acknowledging `h` stanzas received on it. */
  resume?: { previd: string; h: string };
}

/** The inline features of a Bind 2 request the harness can ask for, as XEP-0386 §3.2 names their elements. */
export const BIND2_FEATURES = { carbons: `<enable xmlns='urn:xmpp:carbons:2'/>`, sm: `<enable xmlns='${NS.sm}'/>`, "csi-inactive": `<inactive xmlns='urn:xmpp:csi:0'/>` } as const;
export type Bind2Feature = keyof typeof BIND2_FEATURES;

const element = (name: string, text: string | undefined) => (text === undefined ? "" : `<${name}>${escapeXML(text)}</${name}>`);

/** The <authenticate/> element: mechanism, initial response (base64; undefined: none) and what `req` asks for. */
export function authenticateXml(mechanism: string, initialResponse: string | undefined, req: Sasl2Request): string {
  const ua =
    req.userAgent === "none"
      ? ""
      : `<user-agent id='${escapeXML(req.userAgent?.id ?? randomUUID())}'>${element("software", req.userAgent?.software)}${element("device", req.userAgent?.device)}</user-agent>`;
  const bind = req.bind ? `<bind xmlns='${NS.bind2}'>${element("tag", req.bind.tag)}${(req.bind.enable ?? []).map((f) => BIND2_FEATURES[f]).join("")}</bind>` : "";
  const request = req.requestToken ? `<request-token xmlns='${NS.fast}' mechanism='${escapeXML(req.requestToken)}'/>` : "";
  const fast = req.fast ? `<fast xmlns='${NS.fast}'${req.fast.invalidate ? " invalidate='true'" : ""}/>` : "";
  const resume = req.resume ? `<resume xmlns='${NS.sm}' previd='${escapeXML(req.resume.previd)}' h='${escapeXML(req.resume.h)}'/>` : "";
  return `<authenticate xmlns='${NS.sasl2}' mechanism='${escapeXML(mechanism)}'>${initialResponse === undefined ? "" : `<initial-response>${initialResponse}</initial-response>`}${ua}${resume}${bind}${request}${fast}</authenticate>`;
}

/** The FAST mechanisms the harness speaks: HT-SHA-256-NONE (draft-schmaus-sasl-ht-09), no channel binding. */
export const FAST_MECHANISMS = ["HT-SHA-256-NONE"] as const;

/**
 * draft-schmaus-sasl-ht-09 §3.1 (the mechanism XEP-0484 §3.1 points to): the initial response is the
 * authentication identity, a NUL, and the HMAC-SHA-256 of "Initiator" (followed by the channel-binding data,
 * none for -NONE) keyed with the token.
 */
export function htInitialResponse(username: string, token: string): string {
  const hashed = createHmac("sha256", token).update("Initiator").digest();
  return Buffer.concat([Buffer.from(`${username}\0`, "utf8"), hashed]).toString("base64");
}
