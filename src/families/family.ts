import type { SpecEntry } from "../specification/spec-entry.ts";

/**
 * How a feature is known to be offered: a stream feature (`afterAuth`: offered only to a logged-in session;
 * `named`: asked on a stream whose header names the case's first account in 'from', as XEP-0388 §2.1 lets a
 * server vary SASL2 by it; `inline`: inside SASL2's `<authentication><inline/>` instead of at the top; `var`: a
 * `<feature var/>` of its own `<inline/>`; `mechanism`: one of its `<mechanism/>` children, "A|B" for either), a
 * XEP-0030 feature of the server or of the user's bare JID, or a probe IQ get answered with a result (sent to the
 * user's own account, or `at` the server; `holds`: a pattern the result must match).
 */
export type StreamFeatureShape = { ns: string; name: string; mechanism?: string; afterAuth?: true; named?: true; inline?: true; var?: string };
export type ProbeShape = { probe: string; at?: "server"; holds?: string };
/** Where a disco#info feature is asked: the server's domain, the user's bare JID, the MUC service, the upload service, or the case's first room. */
export type DiscoAt = "server" | "account" | "muc" | "upload" | "room";
/**
 * How the harness reaches the server: over TLS at all (STARTTLS or direct), over TLS from the first byte (XEP-0368),
 * with a WebSocket endpoint (RFC 7395) that raw connections can use, with a BOSH endpoint (XEP-0206), or as an external component on its component
 * port (XEP-0114).
 */
export type TransportShape = { transport: "tls" | "direct-tls" | "websocket" | "bosh" | "component" };
/** A disco#info feature; `orAt`: a second place it counts at, where the text names none (asked only when `at` lacks it). */
export type DiscoShape = { disco: string; at: DiscoAt; orAt?: DiscoAt };
/** Where a disco#info feature counts, in the order they are asked. */
export const discoPlaces = (shape: DiscoShape): DiscoAt[] => [shape.at, ...(shape.orAt ? [shape.orAt] : [])];
export type FeatureShape = StreamFeatureShape | DiscoShape | ProbeShape | TransportShape;

/**
 * A family of specifications the suite checks together, as one unit: its specifications (registry.ts gathers
 * them), the optional features its cases may need (a server that does not offer one skips them), and what each
 * local server the harness starts must load for them in the harness's own configuration. Its scenarios live in
 * scenarios/, its faults and variations in the tests' support (test/support/xep/<id>.ts, faults.ts for the RFCs).
 */
export interface Family<F extends Record<string, FeatureShape> = Record<string, FeatureShape>> {
  id: string;
  title: string;
  specs: SpecEntry[];
  features: F;
  /**
   * An external component (XEP-0114) each local server accepts on a subdomain of its domain, with this shared
   * secret, on a component port of its own (src/targets/).
   */
  externalComponent?: { sub: string; secret: string };
  /**
   * Services reached over HTTPS (XEP-0363's slots): each local server serves HTTPS on a loopback port of its own,
   * with a certificate from the run's CA; in the family's configuration `@HTTPS_URL@` stands for that port's base
   * URL (https://127.0.0.1:PORT/) and `@RUN_DIR@` for the server's own folder.
   */
  https?: true;
  /**
   * The upload service (XEP-0363) each local server runs on a subdomain of its domain: the target records its JID,
   * so that a run finds it even where the domain's disco#items do not list it (which a case judges).
   */
  uploadService?: { sub: string };
  /**
   * Prosody: modules_enabled entries, lines of the global configuration (after the harness's own), and a
   * Component of its own on a subdomain (`sub`, its plugin and the lines under it).
   */
  prosody: {
    modules: string[];
    /**
     * Community modules (Debian's prosody-modules, unpacked with a release from backports: its snapshot is for
     * Prosody 13), loaded where the release has them; a release without them lacks the features its `lacks` names.
     */
    community?: readonly string[];
    config?: string;
    component?: { sub: string; plugin: string; lines: string[] };
    lacks?: Lacks<F>;
  };
  /**
   * ejabberd: entries of `modules:`, with their options; `newer`: those of them older releases do not ship
   * (mod_auth_fast came with 24.12), left out of the configuration of a release without them (its `lacks` says
   * which features go with them).
   */
  ejabberd: { modules: Record<string, unknown>; newer?: readonly string[]; lacks?: Lacks<F> };
}

/** Features of the family a server does not offer with the harness's configuration (on some or all of its releases), and why: its cases skip there. */
export type Lacks<F> = Partial<Record<keyof F & string, string>>;

/** A family, with its features' names kept for the `needs:` type. */
export const family = <F extends Record<string, FeatureShape>>(f: Family<F>): Family<F> => f;
