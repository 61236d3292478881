import { archive } from "./archive.ts";
import { avatar } from "./avatar.ts";
import { blocking } from "./blocking.ts";
import { bookmarks } from "./bookmarks.ts";
import { carbons } from "./carbons.ts";
import { connections } from "./connections.ts";
import { core } from "./core.ts";
import { disco } from "./disco.ts";
import { entity } from "./entity.ts";
import { extdisco } from "./extdisco.ts";
import { login } from "./login.ts";
import { mobile } from "./mobile.ts";
import { muc } from "./muc.ts";
import { pep } from "./pep.ts";
import { privateStorage } from "./private.ts";
import { register } from "./register.ts";
import { services } from "./services.ts";
import { vcard } from "./vcard.ts";

export type { DiscoAt, DiscoShape, Family, FeatureShape, ProbeShape, StreamFeatureShape, TransportShape } from "./family.ts";
export { discoPlaces } from "./family.ts";

/** Every family, in the order the reports show their specifications: a new family is one file and one entry here. */
export const FAMILIES = [core, carbons, archive, blocking, vcard, privateStorage, register, entity, disco, pep, bookmarks, avatar, extdisco, muc, mobile, connections, login, services] as const;

type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** The optional features cases may need (`needs:`), from every family. */
export const FEATURES = Object.assign({}, ...FAMILIES.map((f) => f.features)) as Intersection<(typeof FAMILIES)[number]["features"]>;

/** Deep merge of plain objects (a family may add options to another's module, as bookmarks does to mod_pubsub). */
function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const old = out[k];
    out[k] = old && v && typeof old === "object" && typeof v === "object" && !Array.isArray(old) && !Array.isArray(v) ? merge(old as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** What a local server loads in the harness's configuration, for every family; `has`: whether the release has a community module. */
export const prosodyModules = (has: (module: string) => boolean = () => false) => [
  ...new Set(FAMILIES.flatMap((f) => [...f.prosody.modules, ...((f.prosody as { community?: readonly string[] }).community ?? []).filter(has)])),
];
export const prosodyConfig = () => FAMILIES.flatMap((f) => (f.prosody.config ? [f.prosody.config] : [])).join("\n");
/** The families' own Components, on subdomains of the domain (after its VirtualHost). */
export const prosodyComponents = (domain: string, plugin?: string) =>
  FAMILIES.flatMap((f) => {
    const c = (f.prosody as { component?: { sub: string; plugin: string; lines: string[] } }).component;
    return c && (!plugin || c.plugin === plugin) ? [`Component "${c.sub}.${domain}" "${c.plugin}"\n${c.lines.map((l) => `  ${l}`).join("\n")}`] : [];
  }).join("\n");
/** The subdomains the families' services live on (conference.DOMAIN): a federation peer reaches them like the domain. */
export const serviceSubdomains = () => FAMILIES.flatMap((f) => (f.prosody as { component?: { sub: string } }).component?.sub ?? []);
/** The external component the local servers accept (XEP-0114), if a family asks for one. */
export const externalComponent = (): { sub: string; secret: string } | undefined => FAMILIES.map((f) => (f as { externalComponent?: { sub: string; secret: string } }).externalComponent).find(Boolean);
/** The upload service a local server runs for the domain (see Family.uploadService), if a family asks for one. */
export const uploadService = (domain: string): string | undefined => {
  const u = FAMILIES.map((f) => (f as { uploadService?: { sub: string } }).uploadService).find(Boolean);
  return u && servesHttps() ? `${u.sub}.${domain}` : undefined;
};
/** Whether a family needs the local servers to serve HTTPS (see Family.https). */
export const servesHttps = () => FAMILIES.some((f) => (f as { https?: true }).https);
/** A configuration with the families' tokens filled: the HTTPS base URL and the server's folder. */
export const withServerPaths = (config: string, https: string | undefined, dir: string) => config.replaceAll("@HTTPS_URL@", https ?? "").replaceAll("@RUN_DIR@", dir);
/** `ships`: whether the release has a module of a family's `newer` ones (every other module every release has). */
export const ejabberdModules = (ships: (module: string) => boolean = () => true) =>
  FAMILIES.reduce<Record<string, unknown>>((all, f) => {
    const newer: readonly string[] = (f.ejabberd as { newer?: readonly string[] }).newer ?? [];
    return merge(all, Object.fromEntries(Object.entries(f.ejabberd.modules).filter(([m]) => !newer.includes(m) || ships(m))));
  }, {});
