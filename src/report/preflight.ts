import { FAMILIES, discoPlaces, type DiscoAt, type FeatureShape } from "../families/index.ts";
import type { RunResult } from "../results/schema.ts";
import { describeProfile, describeTarget } from "./format.ts";

/** What preflight knows of each case of the suite: what it needs of the server, and the domains of its accounts. */
export interface PreflightCase {
  id: string;
  needs: string[];
  domains: string[];
}

type Offer = "offered" | "not offered" | "at run time";

/** Whether the server showed a feature, from what it advertised to the run's identifying session. */
function offerOf(shape: FeatureShape, run: RunResult): Offer {
  const s = run.target.server;
  if (!s) return "at run time";
  if ("disco" in shape) {
    // A room's features are asked of a room the case makes.
    if (shape.at === "room") return "at run time";
    const featuresAt = (at: DiscoAt) => (at === "server" ? s.discoFeatures : at === "muc" ? (s.muc?.features ?? []) : at === "upload" ? (s.upload?.features ?? []) : (s.accountDiscoFeatures ?? []));
    return discoPlaces(shape).some((at) => featuresAt(at).includes(shape.disco)) ? "offered" : "not offered";
  }
  if ("probe" in shape) return "at run time";
  if ("transport" in shape && shape.transport === "websocket") return run.target.transport?.websocket ? "offered" : "not offered";
  if ("transport" in shape && shape.transport === "component") return run.target.transport?.component ? "offered" : "not offered";
  if ("transport" in shape) {
    const tls = run.target.transport?.tls ?? "none";
    return (shape.transport === "direct-tls" ? tls === "direct" : tls !== "none" && !run.target.transport?.websocket && !run.target.transport?.bosh) ? "offered" : "not offered";
  }
  const stream = [...(s.streamFeatures.beforeTls ?? []), ...s.streamFeatures.beforeAuth, ...s.streamFeatures.afterAuth];
  const offered = stream.some(
    (f) => f.includes(shape.ns) && new RegExp(`^<(\\w+:)?${shape.name}[\\s/>]`).test(f) && (!shape.mechanism || shape.mechanism.split("|").some((m) => f.includes(`>${m}<`))),
  );
  return offered ? "offered" : "not offered";
}

const modulesOf = (f: (typeof FAMILIES)[number]) => {
  const component = "component" in f.prosody ? (f.prosody.component as { sub: string; plugin: string }) : undefined;
  return { prosody: [...f.prosody.modules.map((x) => `mod_${x}`), ...(component ? [`a Component "${component.sub}.DOMAIN" "${component.plugin}"`] : [])], ejabberd: Object.keys(f.ejabberd.modules) };
};

/**
 * Before a run, for someone testing their own server: what the server is and offers, which families will run
 * and which will skip and why, and what a fuller run needs (the modules to load, TLS, a second domain).
 */
export function renderPreflight(run: RunResult, cases: PreflightCase[]): string {
  const out: string[] = [`server: ${describeTarget(run)}`];
  if (run.targetError) {
    out.push(`cannot run: ${run.targetError}`);
    return `${out.join("\n")}\n`;
  }
  const s = run.target.server;
  if (s?.version) out.push(`software: ${s.version.name} ${s.version.version}${s.version.os ? ` on ${s.version.os}` : ""} (XEP-0092)`);
  else out.push("software: not said (no XEP-0092): --profile auto applies no release's profile");
  out.push(`profile: ${describeProfile(run)}`);
  for (const note of run.notes ?? []) out.push(`note: ${note}`);
  out.push(`accounts: --accounts ${String(run.options.accounts)} works (a test account was made, logged in and removed)`);
  const t = run.target.transport;
  if (t?.tls === "none") {
    const starttls = (s?.streamFeatures.beforeAuth ?? []).some((f) => f.includes("urn:ietf:params:xml:ns:xmpp-tls"));
    out.push(
      starttls
        ? "TLS: the server offers STARTTLS, the run did not use it (--tls none): --tls starttls (with --ca FILE for a private CA) runs the TLS cases too"
        : "TLS: none offered: the STARTTLS cases skip; a server with TLS (--tls starttls --ca FILE, or --tls direct on a direct-TLS port) runs them",
    );
  } else if (t) out.push(`TLS: ${t.tls}${t.certificateVerified ? ", certificate verified" : ", certificate NOT verified (--insecure): pass --ca FILE to check it"}`);

  const needing = (feature: string) => cases.filter((c) => c.needs.includes(feature)).length;
  const ready: string[] = [];
  const lacking: string[] = [];
  for (const f of FAMILIES) {
    const features = Object.entries(f.features as Record<string, FeatureShape>);
    if (features.length === 0) continue;
    // A feature no case needs is no reason to mention the family.
    const missing = features.filter(([name, shape]) => offerOf(shape, run) === "not offered" && needing(name) > 0);
    const later = features.filter(([, shape]) => offerOf(shape, run) === "at run time").map(([name]) => name);
    if (missing.length === 0) {
      ready.push(`  ✓ ${f.title}${later.length ? ` (${later.join(", ")}: probed when its cases run)` : ""}`);
      continue;
    }
    const m = modulesOf(f);
    const skips = missing.map(
      ([name, shape]) => `${name} (${"disco" in shape ? shape.disco : "ns" in shape ? `<${shape.name} xmlns='${shape.ns}'/>` : name}): ${needing(name)} case${needing(name) === 1 ? "" : "s"} skip`,
    );
    lacking.push(
      `  - ${f.title}: ${missing.length === features.length ? "not offered" : "without"} ${skips.join("; ")}`,
      `      Prosody loads ${m.prosody.join(", ") || "nothing more"} for it; ejabberd ${m.ejabberd.join(", ") || "nothing more"}`,
    );
  }
  out.push("", "families the server offers:", ...ready);
  if (lacking.length > 0) out.push("", "what it does not offer (those cases skip, with the reason):", ...lacking);
  const pair = cases.filter((c) => c.domains.includes("b")).length;
  const remote = cases.filter((c) => c.domains.includes("remote")).length;
  if (!run.target.peer && (pair > 0 || remote > 0))
    out.push(
      "",
      `federation: ${pair} cases need a second server (domain b) and ${remote} the harness's scripted remote server: ${run.target.name.startsWith("local:") ? `--target ${run.target.name}+prosody, or ${run.target.name}+remote, runs them` : "they skip against a running server (the harness's local pairs run them)"}`,
    );
  return `${out.join("\n")}\n`;
}
