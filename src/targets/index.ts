import { suggestion } from "../util/suggest.ts";
import { isDomainName, locateDomain } from "./locate.ts";
import { ensureRelease } from "./debian-release.ts";
import { ejabberd } from "./ejabberd.ts";
import { startPair, startWithRemote, type Starter } from "./pair.ts";
import { prosody } from "./prosody.ts";
import type { ServerConfig } from "../results/schema.ts";
import type { LocalServer, LocalTargetOptions, S2sMode, Target } from "./types.ts";

export type { Target } from "./types.ts";

/** Local servers the harness can start itself: one entry each. */
const local: Record<string, LocalServer> = { prosody, ejabberd };

export const localTargetNames = Object.keys(local);

/** The second part of local:NAME+remote: the harness's scripted remote server instead of a second server. */
const REMOTE = "remote";

/** NAME or NAME@RELEASE (local:prosody@13: Debian's backports release, beside the system's). */
const SERVER = /^([a-z]+)(?:@(\d[\w.~+-]*))?$/;

/** The servers of a local target, each with the release asked for; undefined when it names none the harness knows. */
function localServers(target: string): { server: LocalServer; release?: string }[] | undefined {
  const parts = /^local:(.*)$/.exec(target)?.[1].split("+");
  if (!parts || parts.length > 2 || (parts.length === 2 && parts[0] === REMOTE)) return undefined;
  const named = parts.filter((p) => p !== REMOTE).map((p) => SERVER.exec(p));
  if (named.some((m) => !m || !local[m[1]])) return undefined;
  return named.map((m) => ({ server: local[m![1]], ...(m![2] && { release: m![2] }) }));
}

/** Installs what a local target (local:NAME[@RELEASE], a pair, or NAME+remote) needs, as `run --target` would, without running anything. */
export async function installLocalTarget(target: string, log: (line: string) => void): Promise<void> {
  for (const { server, release } of localServers(target) ?? []) await ensureRelease(server.debian, release, true, log);
}

/**
 * local:NAME starts one server; local:FIRST+SECOND starts a federating pair (domains a.test and b.test);
 * local:NAME+remote one server on a.test federating with the harness's scripted remote server (remote.test).
 */
function localStarter(target: string): Starter | undefined {
  const servers = localServers(target);
  if (!servers) return undefined;
  // A federation starts its servers again as a whole (new addresses for all), so each of its servers starts once.
  const federating = servers.length === 2 || target.endsWith(`+${REMOTE}`);
  const [first, second] = servers.map(
    ({ server, release }): Starter =>
      (opts) =>
        (federating ? server.startOnce : server.start)({ ...opts, ...(release && { release }) }),
  );
  if (target.endsWith(`+${REMOTE}`)) return (opts) => startWithRemote(first, opts);
  return second ? (opts) => startPair(first, second, opts) : first;
}

/** A target of two local servers federating (local:FIRST+SECOND): domains a and b. */
export const isPairTarget = (target: string | undefined) => Boolean(target && !target.endsWith(`+${REMOTE}`) && localServers(target)?.length === 2);

export interface TargetSpec {
  target?: string;
  /** A running server's c2s: HOST:PORT. */
  server?: string;
  /**
   * RFC 7395: a running server's ws:// or wss:// URL (instead of `server`); `true` with a local target: it
   * serves WebSocket too and the run reaches it (both servers of a pair) that way.
   */
  websocket?: string | true;
  /** XEP-0206: a running server's http:// or https:// BOSH URL (instead of `server`); `true` with a local target: it serves BOSH too and the run reaches it that way. */
  bosh?: string | true;
  domain?: string;
  /** --s2s: how the servers of a pair target talk to each other. */
  s2s?: S2sMode;
  /** --server-config: a local server's configuration, the harness's or the package's as shipped. */
  serverConfig?: ServerConfig;
  /** --component NAME@HOST:PORT: a component name a running server accepts (XEP-0114), and its component port. */
  component?: string;
  /** --component-secret (or XMPP_CONFORM_COMPONENT_SECRET): that component's shared secret. */
  componentSecret?: string;
}

/** --component NAME@HOST:PORT, read. */
export function parseComponent(s: string): { domain: string; host: string; port: number } | undefined {
  const at = s.indexOf("@");
  const where = at > 0 ? parseHostPort(s.slice(at + 1)) : undefined;
  return where && isDomainName(s.slice(0, at)) ? { domain: s.slice(0, at), ...where } : undefined;
}

const webSocketUrl = (spec: TargetSpec) => (typeof spec.websocket === "string" ? spec.websocket : undefined);
const boshUrl = (spec: TargetSpec) => (typeof spec.bosh === "string" ? spec.bosh : undefined);

/** A running server as the user named it (--server HOST:PORT, --websocket URL or --bosh URL): the key of its account journals. */
export const runningServerName = (spec: TargetSpec) => spec.server ?? webSocketUrl(spec) ?? boshUrl(spec);

/** Checks the target options without starting anything (usage errors must come before any work). */
export function checkTargetSpec(spec: TargetSpec): string | undefined {
  const url = webSocketUrl(spec);
  const bosh = boshUrl(spec);
  if (spec.websocket && spec.bosh) return "--websocket and --bosh exclude each other: a run reaches the server one way (run twice for both)";
  if (spec.component !== undefined) {
    if (spec.target) return "--component names a running server's component; a local target accepts one of its own (component.DOMAIN)";
    if (!parseComponent(spec.component)) return `--component must be NAME@HOST:PORT (the component's domain and the server's component port), got '${spec.component}'`;
    if (!spec.componentSecret) return "--component needs its shared secret: --component-secret SECRET, or XMPP_CONFORM_COMPONENT_SECRET in the environment";
  }
  if (spec.target && spec.server) return "--target and --server exclude each other";
  if (spec.target) {
    if (!localStarter(spec.target))
      return `unknown --target '${spec.target}'${suggestion(spec.target, [...localTargetNames.map((n) => `local:${n}`), "local:prosody@13", "local:ejabberd@24.12", "local:prosody+ejabberd", "local:prosody+remote"])}; known: ${localTargetNames.map((n) => `local:${n}`).join(", ")} (a release from Debian's backports: local:prosody@13, local:ejabberd@24.12), a federating pair like local:prosody+ejabberd, or one server with the harness's remote server like local:prosody+remote`;
    if (spec.serverConfig === "shipped" && spec.target.includes("+"))
      return "--server-config shipped starts one server as its package ships it; federation (a pair, or NAME+remote) needs the harness's configuration";
    if (spec.serverConfig === "shipped" && spec.websocket) return "--server-config shipped serves what the package ships; --websocket needs the harness's configuration";
    if (spec.serverConfig === "shipped" && spec.bosh) return "--server-config shipped serves what the package ships; --bosh needs the harness's configuration";
    if (spec.s2s && !spec.target.includes("+")) return `--s2s is for a federating pair (like local:prosody+ejabberd) or local:NAME+remote, not for ${spec.target}`;
    if (url) return "--websocket URL names a running server; with --target give --websocket without a URL (the local server then serves RFC 7395 and the run uses it)";
    if (bosh) return "--bosh URL names a running server; with --target give --bosh without a URL (the local server then serves XEP-0206 and the run uses it)";
    return undefined;
  }
  if (spec.s2s) return "--s2s is for a federating pair started with --target (like local:prosody+ejabberd)";
  if (spec.serverConfig) return "--server-config is for a local server started with --target";
  if (spec.websocket === true) return "--websocket without a URL is for --target local:...; for a running server give its URL: --websocket wss://HOST/PATH --domain DOMAIN";
  if (spec.server && url) return "--server and --websocket exclude each other: --websocket URL alone names the running server";
  if (spec.bosh === true) return "--bosh without a URL is for --target local:...; for a running server give its URL: --bosh https://HOST/PATH --domain DOMAIN";
  if (spec.server && bosh) return "--server and --bosh exclude each other: --bosh URL alone names the running server";
  if (bosh) {
    if (!parseBoshUrl(bosh)) return `--bosh must be an http:// or https:// URL, got '${bosh}'`;
    if (!spec.domain) return "--bosh URL needs --domain (the XMPP domain of the accounts)";
    return undefined;
  }
  if (url) {
    if (!parseWebSocketUrl(url)) return `--websocket must be a ws:// or wss:// URL, got '${url}'`;
    if (!spec.domain) return "--websocket URL needs --domain (the XMPP domain of the accounts)";
    return undefined;
  }
  if (spec.server) {
    if (!parseHostPort(spec.server) && !isDomainName(spec.server)) return `--server must be HOST:PORT or an XMPP domain (found by its SRV records), got '${spec.server}'`;
    if (!spec.domain && parseHostPort(spec.server)) return "--server HOST:PORT needs --domain (the XMPP domain of the accounts)";
    return undefined;
  }
  return "say where to run: --target local:prosody, or --server HOST:PORT --domain DOMAIN (or --websocket URL or --bosh URL, with --domain DOMAIN)";
}

export function parseHostPort(s: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(s);
  if (!m) return undefined;
  const port = Number(m[2]);
  return port > 0 && port < 65536 ? { host: m[1], port } : undefined;
}

/** A URL's host and port (the scheme's default port when it names none), if its scheme is the plain or the secure one: ws and wss, http and https. */
function parseUrl(s: string, plain: "ws" | "http", secure: "wss" | "https"): { host: string; port: number } | undefined {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${plain}:` && url.protocol !== `${secure}:`) return undefined;
  return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(url.port || (url.protocol === `${secure}:` ? 443 : 80)) };
}

/** A ws:// or wss:// URL's host and port. */
export const parseWebSocketUrl = (s: string) => parseUrl(s, "ws", "wss");

/** An http:// or https:// URL's host and port. */
export const parseBoshUrl = (s: string) => parseUrl(s, "http", "https");

/**
 * A running server (checked by checkTargetSpec): where its c2s or its RFC 7395 endpoint is. A --server that is a
 * domain is found by its SRV records (its domain, unless --domain says otherwise); `found` says how.
 */
export async function runningServer(spec: TargetSpec): Promise<Omit<Target, "stop">> {
  const url = webSocketUrl(spec);
  const component = spec.component === undefined ? {} : { component: { ...parseComponent(spec.component)!, secret: spec.componentSecret! } };
  if (url) return { name: url, ...parseWebSocketUrl(url)!, domain: spec.domain!, websocket: url, webSocketOnly: true, ...component };
  const bosh = boshUrl(spec);
  if (bosh) return { name: bosh, ...parseBoshUrl(bosh)!, domain: spec.domain!, bosh, webSocketOnly: true, ...component };
  const given = parseHostPort(spec.server!);
  if (given) return { name: spec.server!, ...given, domain: spec.domain!, ...component };
  const at = await locateDomain(spec.server!);
  return { name: spec.server!, host: at.host, port: at.port, domain: spec.domain ?? spec.server!.replace(/\.$/, ""), found: at.how, ...component };
}

export async function openTarget(spec: TargetSpec, opts: LocalTargetOptions): Promise<Target> {
  if (spec.target)
    return localStarter(spec.target)!({
      ...opts,
      ...(spec.s2s && { s2s: spec.s2s }),
      ...(spec.websocket && { websocket: true }),
      ...(spec.bosh && { bosh: true }),
      ...(spec.serverConfig && { config: spec.serverConfig }),
    });
  return { ...(await runningServer(spec)), stop: async () => {} };
}
