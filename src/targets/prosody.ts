import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { issueCertificate, makeRunCa, type RunCa } from "./cert.ts";
import { runTool } from "./command.ts";
import { ensureRelease, inRelease, type DebianServer, type InstalledRelease } from "./debian-release.ts";
import { localTargetName, provisioningAdmin, shippedConfigFile } from "./shipped.ts";
import { startTethered } from "./process.ts";
import { BOSH_INACTIVITY_S, boshUrl, startingAgain, freePorts, waitUntilReady, websocketUrl, type Ports } from "./ready.ts";
import { S2S_PORT } from "./federation.ts";
import { prosodyS2sLinks } from "./s2s-log.ts";
import type { AccountCommands, FederationOptions, LocalServer, LocalTargetOptions, Target } from "./types.ts";
import { externalComponent, prosodyComponents, prosodyConfig, prosodyModules, servesHttps, uploadService, withServerPaths } from "../families/index.ts";

const lua = (list: (string | number)[]) => `{ ${list.map((x) => JSON.stringify(x)).join("; ")} }`;

/**
 * Nothing on any port but our c2s port (and the WebSocket and BOSH ports when asked for); in-band registration
 * allowed. Plaintext on loopback, or with `tls` STARTTLS required (or TLS from the first byte) and PLAIN only
 * once encrypted. mod_tls serves c2s and s2s alike: s2s TLS brings STARTTLS to clients too.
 */
function config(dir: string, ports: Ports, domain: string, opts: LocalTargetOptions, release: InstalledRelease, ca?: RunCa): string {
  const fed = opts.federation;
  // What the suite's families need (src/families/), and what the connection asks for.
  const modules = [
    ...prosodyModules((m) => existsSync(inRelease(release, `usr/lib/prosody/modules/mod_${m}/mod_${m}.lua`))),
    ...(opts.tls === "starttls" || fed?.tls ? ["tls"] : []),
    ...(fed ? ["dialback"] : []),
    ...(ports.websocket ? ["websocket"] : []),
    ...(ports.bosh ? ["bosh"] : []),
  ];
  const port = ports.c2s;
  return `-- written by xmpp-conform for a throwaway instance
run_as_root = true
pidfile = "${dir}/prosody.pid"
data_path = "${dir}/data"
plugin_paths = { }
interfaces = { "127.0.0.1" }
c2s_ports = { ${opts.tls === "direct" ? "" : port} }
c2s_direct_tls_ports = { ${opts.tls === "direct" ? port : ""} }
s2s_ports = { ${fed ? S2S_PORT : ""} }
${componentPort(ports.component)}
${httpConfig(dir, ports, domain, opts)}
network_settings = { tcp_backlog = 1024, nagle = false } -- nagle off: else many hops cost ~40 ms (delayed ACK)
log = { { levels = { min = "info" }, to = "file", filename = "${dir}/prosody.log" } }
authentication = "internal_hashed"
-- RFC 7677's recommended minimum rather than Prosody's 10000: every case registers fresh accounts,
-- and each registration and SCRAM login derives the key anew (about a fifth of the server's CPU in a whole run).
default_iteration_count = 4096
storage = "internal"
-- Lua 5.4's generational collector: a run makes and drops short-lived tables by the million (stanzas, sessions),
-- and the incremental default spent about a third more of the server's CPU on them (docs/design.md).
gc = { mode = "generational" }
c2s_require_encryption = ${Boolean(opts.tls)}
allow_unencrypted_plain_auth = ${!opts.tls}
allow_registration = true
certificates = "${dir}/certs"
admins = ${lua(opts.admins ?? [])}
modules_enabled = ${lua(modules)}
${fed ? federationConfig(dir, fed, ca) : `modules_disabled = { "s2s"; "s2s_auth_certs"; }`}
${prosodyConfig()}
${(opts.extraConfig ?? []).join("\n")}
VirtualHost "${domain}"
${prosodyComponents(domain)}
${externalComponentHost(domain)}
`;
}

/** XEP-0114: the component port on loopback (none without a component). */
const componentPort = (port: number | undefined) => `component_ports = { ${port ?? ""} }\ncomponent_interface = "127.0.0.1"`;

/** XEP-0114: the external component a family asks for, on a subdomain, with its shared secret. */
function externalComponentHost(domain: string): string {
  const c = externalComponent();
  return c ? `Component "${c.sub}.${domain}"\n  component_secret = "${c.secret}"` : "";
}

/**
 * mod_http on loopback: RFC 7395 and XEP-0206 on their ports (https with `tls`), and the families' HTTPS services (an upload
 * service's slots) on theirs, with the domain's certificate (its SAN has IP:127.0.0.1). Requests name 127.0.0.1 as
 * their host, which no VirtualHost matches: http_default_host routes them to ours (a Component's own HTTP
 * paths are on its http_host).
 */
function httpConfig(dir: string, ports: Ports, domain: string, opts: LocalTargetOptions): string {
  const secure = Boolean(opts.tls);
  const clients = [ports.websocket, ports.bosh].filter((p) => p !== undefined);
  const https = [...(secure ? clients : []), ...(ports.https ? [ports.https] : [])];
  return `http_ports = ${lua(secure ? [] : clients)}
https_ports = ${lua(https)}
http_interfaces = { "127.0.0.1" }
https_interfaces = { "127.0.0.1" }
http_default_host = "${domain}"${ports.bosh ? `\n-- a client cut off is noticed after this many seconds with no request held (XEP-0124 §10; default 60), as TCP notices a cut at once\nbosh_max_inactivity = ${BOSH_INACTIVITY_S}` : ""}${https.length > 0 ? `\nhttps_certificate = "${dir}/certs/${domain}.crt"\nhttps_key = "${dir}/certs/${domain}.key"` : ""}`;
}

/**
 * s2s on our own loopback address: Server Dialback over plain TCP, or with `tls` STARTTLS required and the
 * peer's certificate checked against the run CA (s2s_secure_auth): SASL EXTERNAL where the peer offers it,
 * dialback over the authenticated TLS otherwise. The other servers' names resolve from our hosts file (namesFrom).
 */
function federationConfig(dir: string, fed: FederationOptions, ca?: RunCa): string {
  const security = fed.tls
    ? `s2s_require_encryption = true
s2s_secure_auth = true
s2s_ssl = { cafile = "${ca!.cert}" }`
    : "s2s_require_encryption = false -- the default (true) silently queues stanzas forever without TLS";
  return `s2s_interfaces = { "${fed.s2sIp}" }
${security}
${namesFrom(dir, fed.peers)}`;
}

/**
 * Names resolve through libunbound from our hosts file only: "local-zone: . static" answers everything else
 * NXDOMAIN at once, so no query leaves the machine.
 */
function namesFrom(dir: string, hosts: { ip: string; domain: string }[]): string {
  writeFileSync(path.join(dir, "hosts"), hosts.map((h) => `${h.ip} ${h.domain}\n`).join(""));
  return `unbound = { hoststxt = "${dir}/hosts"; options = { ["local-zone:"] = ". static" } }`;
}

/**
 * The package's own configuration, changed only where a throwaway instance must: ports (c2s ours, no other
 * listener), paths (pid, data, log, certificates: the run CA's), loopback, no DNS query off the machine
 * (libunbound answers from our empty hosts file), root, and the admin that provisions accounts. Our lines go
 * before the first VirtualHost (after it a setting is the host's); later global settings win. The package's
 * Include of conf.d would read the system's folder, so it goes: 0.12's conf.d holds only a VirtualHost
 * "localhost", which the main file already has.
 */
function shippedConfig(shipped: string, dir: string, ports: Ports, admin: string, domain: string): string {
  const port = ports.c2s;
  const ours = `-- xmpp-conform: only what a throwaway instance on loopback must change; the rest is as the package ships it
run_as_root = true
pidfile = "${dir}/prosody.pid"
data_path = "${dir}/data"
plugin_paths = { }
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { ${port} }
c2s_direct_tls_ports = { }
s2s_ports = { }
s2s_direct_tls_ports = { }
${componentPort(ports.component)}
http_ports = { }
https_ports = ${lua(ports.https ? [ports.https] : [])}
https_interfaces = { "127.0.0.1" }${ports.https ? `\nhttps_certificate = "${dir}/certs/${domain}.crt"\nhttps_key = "${dir}/certs/${domain}.key"` : ""}
log = { { levels = { min = "info" }, to = "file", filename = "${dir}/prosody.log" } }
certificates = "${dir}/certs"
admins = ${lua([admin])}
${namesFrom(dir, [])}
`;
  const lines = shipped.split("\n").filter((l) => !/^\s*Include\s/.test(l));
  const host = lines.findIndex((l) => /^\s*(VirtualHost|Component)\s/.test(l));
  if (host < 0) throw new Error("the package's prosody.cfg.lua has no VirtualHost");
  // The package's own example of a MUC service (commented out there), on our domain: XEP-0479's IM suite needs one.
  const muc = `-- xmpp-conform: the package's example MUC component, for the domain\nComponent "conference.${domain}" "muc"`;
  // A deployment's external component, as the package's own commented example shows one.
  const component = `-- xmpp-conform: an external component (XEP-0114), as the package's example shows\n${externalComponentHost(domain)}`;
  // The package's own example of a file sharing service (commented out there), on our domain: XEP-0479's IM suite needs one.
  const upload = ports.https ? `-- xmpp-conform: the package's example file sharing component, for the domain\n${prosodyComponents(domain, "http_file_share")}` : "";
  return [...lines.slice(0, host), ours, ...lines.slice(host), muc, component, upload].join("\n");
}

/** prosodyctl against our config; the account list is the data directory (one file per account). */
function prosodyctl(command: string, dir: string, cfg: string, domain: string): AccountCommands {
  // Prosody's data directory names escape every non-alphanumeric byte as %xx (a.test -> a%2etest).
  const accounts = path.join(
    dir,
    "data",
    domain.replace(/[^A-Za-z0-9]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`),
    "accounts",
  );
  return {
    register: async (user, password) => void (await runTool(command, ["--config", cfg, "register", user, domain, password], `register ${user}`)),
    remove: async (user) => void (await runTool(command, ["--config", cfg, "deluser", `${user}@${domain}`], `deluser ${user}`)),
    // Prosody's file names escape every non-alphanumeric byte as %xx.
    list: async () =>
      existsSync(accounts)
        ? readdirSync(accounts)
            .filter((f) => f.endsWith(".dat"))
            .map((f) => decodeURIComponent(f.slice(0, -4)))
        : [],
  };
}

/** The launchers name the system's source folder: pointed at the release's own. */
function relocate(root: string): void {
  for (const launcher of ["usr/bin/prosody", "usr/bin/prosodyctl"]) {
    const file = path.join(root, launcher);
    writeFileSync(file, readFileSync(file, "utf8").replace(/^(CFG_SOURCEDIR|CFG_PLUGINDIR)='\/usr\//gm, `$1='${root}/usr/`));
  }
}

/** What local:prosody needs from Debian: the server, libunbound's Lua binding for its hosts file, and with a release from backports its community modules. */
const PROSODY_DEBIAN: DebianServer = { package: "prosody", binary: "prosody", packages: ["prosody", "lua-unbound"], extras: ["prosody-modules"], relocate };

/** A local Prosody, started again with other ports where one was taken before it bound it. */
export const startProsody = (opts: LocalTargetOptions): Promise<Target> => startingAgain(() => startProsodyOnce(opts), opts.log);

async function startProsodyOnce(opts: LocalTargetOptions): Promise<Target> {
  const release = await ensureRelease(PROSODY_DEBIAN, opts.release, opts.install, opts.log);
  const shipped = opts.config === "shipped";
  // As shipped, Prosody requires STARTTLS (c2s_require_encryption defaults to true and mod_tls is enabled).
  const tls = shipped ? "starttls" : opts.tls;
  const domain = opts.federation?.domain ?? "localhost";
  const dir = mkdtempSync(path.join(tmpdir(), "xmpp-conform-prosody-"));
  mkdirSync(path.join(dir, "data"));
  mkdirSync(path.join(dir, "certs"));
  // The run's CA (a pair's, shared), or one of our own for a lone TLS server.
  // The families' HTTPS services need a certificate even where the streams are plaintext.
  const ca = tls || opts.federation?.tls || servesHttps() ? (opts.ca ?? (await makeRunCa(dir))) : undefined;
  if (ca) await issueCertificate(ca, path.join(dir, "certs"), domain);
  const [port, component, httpsPort, websocketPort, boshPort] = await freePorts(5);
  const ports: Ports = {
    c2s: port,
    ...(externalComponent() && { component }),
    ...(servesHttps() && { https: httpsPort }),
    ...(opts.websocket && { websocket: websocketPort }),
    ...(opts.bosh && { bosh: boshPort }),
  };
  const httpsUrl = ports.https ? `https://127.0.0.1:${ports.https}/` : undefined;
  const cfg = path.join(dir, "prosody.cfg.lua");
  const admin = shipped ? provisioningAdmin(domain) : undefined;
  const written = admin ? shippedConfig(shippedConfigFile(release, "etc/prosody/prosody.cfg.lua", "prosody"), dir, ports, admin.jid, domain) : config(dir, ports, domain, opts, release, ca);
  writeFileSync(cfg, withServerPaths(written, httpsUrl, dir));
  const logFile = path.join(dir, "prosody.log");
  const proc = startTethered(inRelease(release, "usr/bin/prosody"), ["-F", "--config", cfg], { cwd: dir, logFile: path.join(dir, "stdout.log") });
  const tail = () => {
    const read = (f: string) => (existsSync(f) ? readFileSync(f, "utf8").split("\n").slice(-20).join("\n") : "");
    return `prosody log (${dir}):\n${read(logFile)}${read(path.join(dir, "stdout.log"))}`;
  };
  const stop = async () => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const abandon = () => {
    proc.kill();
    rmSync(dir, { recursive: true, force: true });
    return `the local server's processes killed and ${dir} removed`;
  };
  const caPem = ca && readFileSync(ca.cert, "utf8");
  const endpoint = { host: "127.0.0.1", port, domain, ...(tls && { security: { tls, ca: caPem } }) };
  const websocket = ports.websocket ? { url: websocketUrl(Boolean(tls), ports.websocket), domain, security: { ca: caPem } } : undefined;
  const bosh = ports.bosh ? { url: boshUrl(Boolean(tls), ports.bosh), domain, security: { ca: caPem } } : undefined;
  const accepted = externalComponent();
  const accountCommands = prosodyctl(inRelease(release, "usr/bin/prosodyctl"), dir, cfg, domain);
  try {
    await waitUntilReady(endpoint, { deadlineMs: 20_000, exited: proc.exited, describe: tail, websocket, bosh });
    if (admin) await accountCommands.register(admin.username, admin.password);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    name: localTargetName("prosody", opts),
    host: "127.0.0.1",
    port,
    domain,
    software: { name: "Prosody", version: release.version },
    config: shipped ? "shipped" : "harness",
    ...(tls && { tls }),
    ...(ca && { caFile: ca.cert }),
    ...(websocket && { websocket: websocket.url }),
    ...(bosh && { bosh: bosh.url }),
    ...(accepted && { component: { host: "127.0.0.1", port: component, domain: `${accepted.sub}.${domain}`, secret: accepted.secret } }),
    ...(ports.https && uploadService(domain) && { upload: uploadService(domain) }),
    accountCommands,
    ...(admin && { admin }),
    logFile,
    pidFile: path.join(dir, "prosody.pid"),
    ...(opts.federation && { s2sAddress: opts.federation.s2sIp, s2sLinks: () => prosodyS2sLinks(logFile) }),
    stop,
    abandon,
  };
}

export const prosody: LocalServer = { debian: PROSODY_DEBIAN, start: startProsody, startOnce: startProsodyOnce };
