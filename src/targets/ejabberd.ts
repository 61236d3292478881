import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync, existsSync, chmodSync, copyFileSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { issueCertificate, makeRunCa } from "./cert.ts";
import { runTool } from "./command.ts";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { ensureRelease, inRelease, type DebianServer, type InstalledRelease } from "./debian-release.ts";
import { localTargetName, provisioningAdmin, shippedConfigFile } from "./shipped.ts";
import { startTethered } from "./process.ts";
import { BOSH_INACTIVITY_S, boshUrl, startingAgain, freePort, freePorts, waitUntilReady, websocketUrl, type Ports } from "./ready.ts";
import { S2S_PORT } from "./federation.ts";
import { ejabberdS2sLinks } from "./s2s-log.ts";
import type { AccountCommands, FederationOptions, LocalServer, LocalTargetOptions, Target } from "./types.ts";
import { ejabberdModules, externalComponent, servesHttps, uploadService, withServerPaths } from "../families/index.ts";

/**
 * Nothing on any port but our c2s port (and the WebSocket and BOSH ports when asked for); in-band registration
 * allowed. Plaintext on loopback, or with `tls` STARTTLS required (or TLS from the first byte) with `pem`
 * (certificate and key in one file), signed by the run CA in `caFile`.
 */
function config(ports: Ports, domain: string, opts: LocalTargetOptions, ships: (module: string) => boolean, pem?: string, caFile?: string): string {
  const fed = opts.federation;
  const port = ports.c2s;
  const admins = opts.admins ?? [];
  return `# written by xmpp-conform for a throwaway instance
hosts:
  - "${domain}"
loglevel: info
log_rotate_count: 0
hide_sensitive_log_data: false
auth_method: internal
auth_password_format: scram
# the default (600 s) allows one in-band registration per source IP every 10 minutes
registration_timeout: infinity
disable_sasl_mechanisms:
  - "digest-md5"
  - "x-oauth2"
certfiles: [${pem ? JSON.stringify(pem) : ""}]
${
  caFile
    ? `# the run CA: ejabberd checks its own certificate against it at start, and s2s peers' with s2s_cafile
ca_file: ${JSON.stringify(caFile)}
`
    : ""
}
listen:
  -
    port: ${port}
    ip: "127.0.0.1"
    module: ejabberd_c2s
    # the default backlog of 5 stalls parallel connects for seconds (SYN retransmits)
    backlog: 1024
    max_stanza_size: 262144
    shaper: none
    access: c2s
    starttls: ${opts.tls === "starttls"}
    starttls_required: ${opts.tls === "starttls"}
    tls: ${opts.tls === "direct"}
${componentListener(ports.component, domain)}${httpListener(ports.https, true, "/upload", "mod_http_upload")}${httpListener(
    ports.websocket,
    Boolean(opts.tls),
    "/xmpp-websocket",
    "ejabberd_http_ws",
  )}${httpListener(ports.bosh, Boolean(opts.tls), "/http-bind", "mod_bosh")}${
    fed
      ? `  -
    port: ${S2S_PORT}
    ip: "${fed.s2sIp}"
    module: ejabberd_s2s_in
    shaper: none
`
      : ""
  }acl:
  local:
    user_regexp: ""
  loopback:
    ip:
      - "127.0.0.0/8"
      - "::1/128"
  admin:
    user: [${admins.map((j) => JSON.stringify(j)).join(", ")}]
${
  fed
    ? `  peers:
    server: [${fed.peers.map((p) => JSON.stringify(p.domain)).join(", ")}]
`
    : ""
}access_rules:
  local:
    allow: local
  c2s:
    deny: blocked
    allow: all
  register:
    allow: all
  trusted_network:
    allow: loopback
  configure:
    allow: admin
${
  fed
    ? `  s2s:
    allow: peers
# only the peers: any other domain is refused before a lookup that could leave the machine
s2s_access: s2s
# after a refused connection ejabberd bounces everything to that domain for up to this many seconds (default 300)
s2s_max_retry_delay: 1
`
    : `  s2s:
    deny: all
# a lone server federates with nobody: a remote domain is refused before a lookup that could leave the machine
s2s_access: s2s
`
}${
    fed?.tls
      ? `# STARTTLS on every s2s stream; peers' certificates are checked against the run CA (SASL EXTERNAL, else dialback)
s2s_use_starttls: required
s2s_cafile: ${JSON.stringify(caFile)}
`
      : ""
  }shaper_rules:
  max_user_sessions: 1000
  max_user_offline_messages: 1000
  c2s_shaper: none
${toYaml({ modules: { ...ejabberdModules(ships), ...(fed && { mod_s2s_dialback: {} }), ...(ports.bosh && { mod_bosh: { max_inactivity: BOSH_INACTIVITY_S } }) } })}`;
}

/** Whether a release ships an ejabberd module: its .beam in the release's ebin folder (usr/lib/<arch>/ejabberd-<version>/ebin). */
function shipsModule(release: InstalledRelease, module: string): boolean {
  const lib = inRelease(release, "usr/lib");
  const arches = existsSync(lib) ? readdirSync(lib) : [];
  return arches.some((arch) => {
    const dir = path.join(lib, arch);
    return statSync(dir).isDirectory() && readdirSync(dir).some((d) => d.startsWith("ejabberd-") && existsSync(path.join(dir, d, "ebin", `${module}.beam`)));
  });
}

/** A free UDP port on 127.0.0.1 (for the STUN listener the package ships). */
/**
 * The package's own configuration (ejabberd.yml.example, which Debian's postinst installs as ejabberd.yml),
 * changed only where a throwaway instance must: every listener on loopback and a free port (the c2s with
 * STARTTLS required on ours), the run CA's certificate, and the admin that provisions accounts. No DNS
 * query leaves the machine: inetrc, written beside it, is the harness's.
 */
async function shippedConfig(shipped: string, ports: Ports, domain: string, admin: string, pem: string, caFile: string): Promise<string> {
  const { c2s: c2sPort, component: componentPort } = ports;
  const cfg = parseYaml(shipped) as Record<string, unknown> & { listen: Record<string, unknown>[]; acl?: Record<string, unknown> };
  let c2s = false;
  // ejabberd refuses two listeners on one ip:port whatever their transports, and a free UDP port may be a TCP one
  // another listener was given: every port distinct.
  const given = new Set([c2sPort, componentPort, ports.https]);
  const distinct = async (next: () => Promise<number>) => {
    let port = await next();
    while (given.has(port)) port = await next();
    given.add(port);
    return port;
  };
  for (const l of cfg.listen) {
    l.ip = "127.0.0.1";
    const ours: boolean = !c2s && l.module === "ejabberd_c2s" && l.starttls_required === true;
    c2s ||= ours;
    l.port = ours ? c2sPort : await distinct(() => freePort(l.transport === "udp" ? "udp" : "tcp"));
  }
  if (!c2s) throw new Error("the package's ejabberd.yml has no c2s listener with STARTTLS required");
  // A deployment's external component (XEP-0114), beside the package's listeners.
  const component = componentListener(componentPort, domain);
  if (component) cfg.listen.push((parseYaml(component) as Record<string, unknown>[])[0]);
  // The package's upload module (its example enables mod_http_upload) behind our HTTPS listener, on our folder.
  const https = httpListener(ports.https, true, "/upload", "mod_http_upload");
  if (https) {
    cfg.listen.push((parseYaml(https) as Record<string, unknown>[])[0]);
    const modules = (cfg.modules ?? {}) as Record<string, unknown>;
    cfg.modules = { ...modules, mod_http_upload: { ...((modules.mod_http_upload as object) ?? {}), ...(ejabberdModules().mod_http_upload as object) } };
  }
  cfg.certfiles = [pem];
  cfg.ca_file = caFile;
  cfg.acl = { ...cfg.acl, admin: { user: [admin] } };
  return `# ejabberd.yml.example as the package ships it; xmpp-conform changed only ports, addresses, certificates and the admin\n${toYaml(cfg)}`;
}

/** The families' HTTPS services (XEP-0363's slots at /upload) on a loopback port of their own, with the run CA's certificate. */
/** An HTTP listener on loopback with one request handler (upload over HTTPS, WebSocket, BOSH); none without a port. */
function httpListener(port: number | undefined, tls: boolean, path: string, handler: string): string {
  if (!port) return "";
  return `  -
    port: ${port}
    ip: "127.0.0.1"
    module: ejabberd_http
    tls: ${tls}
    request_handlers:
      "${path}": ${handler}
`;
}

/** XEP-0114: the listener that accepts the external component a family asks for, on a subdomain, with its shared secret. */
function componentListener(port: number | undefined, domain: string): string {
  const c = externalComponent();
  if (!port || !c) return "";
  return `  -
    port: ${port}
    ip: "127.0.0.1"
    module: ejabberd_service
    hosts:
      ${JSON.stringify(`${c.sub}.${domain}`)}:
        password: ${JSON.stringify(c.secret)}
`;
}

/** Erlang's resolver without /etc/resolv.conf: names come from the hosts entries and the cache only. */
const NO_DNS = `{lookup,["file","native"]}.\n{host,{127,0,0,1},["localhost"]}.\n{resolv_conf, ""}.\n`;

/**
 * No DNS for s2s: an empty resolv_conf keeps Erlang's resolver from reading /etc/resolv.conf, and the peers'
 * SRV records go into its cache at boot (inet_res answers from the cache first). The SRV targets are numeric
 * addresses, so getaddrinfo never looks them up. vm.args is read by `erl -args_file`, where `"` must be `\"`.
 */
function federationFiles(conf: string, fed: FederationOptions): void {
  writeFileSync(path.join(conf, "inetrc"), NO_DNS);
  const q = (s: string) => `\\"${s}\\"`;
  writeFileSync(path.join(conf, "vm.args"), fed.peers.map((p) => `-eval inet_db:add_rr(${q(`_xmpp-server._tcp.${p.domain}`)},in,srv,2147483647,{0,0,${S2S_PORT},${q(p.ip)}})\n`).join(""));
}

/** Sourced by the ejabberdctl bash script. */
function ctlConfig(dir: string, port: number, distPort: number): string {
  return `# written by xmpp-conform for a throwaway instance
ERLANG_NODE=xct${port}@localhost
# distribution on loopback only; INET_DIST_INTERFACE=127.0.0.1 does the same but boots an extra Erlang VM (0.26 s);
# schedulers that sleep when idle instead of spinning: they spent about a quarter of the VM's CPU (docs/design.md)
ERL_OPTIONS="-setcookie ${randomBytes(12).toString("hex")} -env ERL_CRASH_DUMP_BYTES 0 -kernel inet_dist_use_interface {127,0,0,1} -kernel inet_default_listen_options [{nodelay,true}] -kernel inet_default_connect_options [{nodelay,true}] +sbwt none +sbwtdcpu none +sbwtdio none"
# a fixed distribution port means no epmd daemon at all
ERL_DIST_PORT=${distPort}
EJABBERD_PID_PATH=${dir}/ejabberd.pid
EJABBERD_BYPASS_WARNINGS=true
`;
}

/** ejabberdctl runs the server as user ejabberd, which must be able to reach our directory. */
function checkReachable(base: string): void {
  for (let d = base; ; d = path.dirname(d)) {
    if (!(statSync(d).mode & 0o001)) throw new Error(`user ejabberd cannot enter ${d} (no o+x); point TMPDIR to a directory it can reach`);
    if (d === path.dirname(d)) return;
  }
}

/** ejabberdctl against our node (each call boots an Erlang VM: about half a second). */
function accountCommands(ejabberdctl: string, ctl: string[], domain: string): AccountCommands {
  return {
    register: async (user, password) => void (await runTool(ejabberdctl, [...ctl, "register", user, domain, password], `register ${user}`)),
    remove: async (user) => void (await runTool(ejabberdctl, [...ctl, "unregister", user, domain], `unregister ${user}`)),
    list: async () => (await runTool(ejabberdctl, [...ctl, "registered_users", domain], "registered_users")).split("\n").filter(Boolean),
  };
}

/** ejabberdctl puts the system's ejabberd on the code path (ERL_LIBS): the release's own libraries go first instead. */
function relocate(root: string): void {
  const ctl = path.join(root, "usr/sbin/ejabberdctl");
  // ERL_LIBS folders come before OTP's own lib folder, where the system's older libraries are.
  writeFileSync(
    ctl,
    readFileSync(ctl, "utf8").replace(/^ERL_LIBS='(\/[^']*)'$/m, (_, dir: string) => `ERL_LIBS='${path.join(root, dir)}:${path.join(root, "usr/lib/erlang/lib")}'`),
  );
}

const EJABBERD_DEBIAN: DebianServer = { package: "ejabberd", binary: "ejabberdctl", packages: ["ejabberd"], relocate };

/** A local ejabberd, started again with other ports where one was taken before it bound it. */
export const startEjabberd = (opts: LocalTargetOptions): Promise<Target> => startingAgain(() => startEjabberdOnce(opts), opts.log);

async function startEjabberdOnce(opts: LocalTargetOptions): Promise<Target> {
  const release = await ensureRelease(EJABBERD_DEBIAN, opts.release, opts.install, opts.log);
  if (process.getuid?.() !== 0) throw new Error("local:ejabberd must run as root (ejabberdctl starts the server as user ejabberd)");
  const shipped = opts.config === "shipped";
  // As shipped, ejabberd's c2s requires STARTTLS.
  const tls = shipped ? "starttls" : opts.tls;
  checkReachable(tmpdir());
  const domain = opts.federation?.domain ?? "localhost";
  const dir = mkdtempSync(path.join(tmpdir(), "xmpp-conform-ejabberd-"));
  chmodSync(dir, 0o755);
  const conf = path.join(dir, "conf");
  const logs = path.join(dir, "logs");
  for (const d of [conf, logs, path.join(dir, "spool")]) mkdirSync(d);
  const [port, distPort, componentPort, httpsPort, wsPort, boshPort] = await freePorts(6);
  const ports: Ports = { c2s: port, component: componentPort, ...(servesHttps() && { https: httpsPort }), ...(opts.websocket && { websocket: wsPort }), ...(opts.bosh && { bosh: boshPort }) };
  const httpsUrl = ports.https ? `https://127.0.0.1:${ports.https}/` : undefined;
  const accepted = externalComponent();
  const yml = path.join(conf, "ejabberd.yml");
  const ctlCfg = path.join(conf, "ejabberdctl.cfg");
  // The run's CA (a pair's, shared), or one of our own for a lone TLS server; copied here, where user ejabberd can read it.
  // The families' HTTPS services need a certificate even where the streams are plaintext.
  const ca = tls || opts.federation?.tls || servesHttps() ? (opts.ca ?? (await makeRunCa(conf))) : undefined;
  const caFile = ca && path.join(conf, "run-ca.crt");
  const pem = ca && path.join(conf, `${domain}.pem`);
  if (ca) {
    const cert = await issueCertificate(ca, conf, domain);
    writeFileSync(pem!, readFileSync(cert.cert, "utf8") + readFileSync(cert.key, "utf8"));
    copyFileSync(ca.cert, caFile!);
  }
  const admin = shipped ? provisioningAdmin(domain) : undefined;
  const written = admin
    ? await shippedConfig(shippedConfigFile(release, "usr/share/ejabberd/ejabberd.yml.example", "ejabberd"), ports, domain, admin.jid, pem!, caFile!)
    : config(ports, domain, opts, (m) => shipsModule(release, m), pem, caFile);
  writeFileSync(yml, withServerPaths(written, httpsUrl, dir));
  writeFileSync(ctlCfg, ctlConfig(dir, port, distPort));
  if (opts.federation) federationFiles(conf, opts.federation);
  else writeFileSync(path.join(conf, "inetrc"), NO_DNS);
  execFileSync("chown", ["-R", "ejabberd:ejabberd", dir]);
  const logFile = path.join(logs, "ejabberd.log");
  const stdoutLog = path.join(dir, "stdout.log");
  const ctl = ["--config-dir", conf, "--config", yml, "--ctl-config", ctlCfg, "--spool", path.join(dir, "spool"), "--logs", logs];
  const ejabberdctl = inRelease(release, "usr/sbin/ejabberdctl");
  const commands = accountCommands(ejabberdctl, ctl, domain);
  const proc = startTethered(ejabberdctl, [...ctl, "foreground"], { logFile: stdoutLog, pidFile: path.join(dir, "ejabberd.pid") });
  const tail = () => {
    const read = (f: string) => (existsSync(f) ? readFileSync(f, "utf8").split("\n").slice(-20).join("\n") : "");
    return `ejabberd log (${dir}):\n${read(path.join(logs, "error.log"))}${read(stdoutLog)}`;
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
  try {
    await waitUntilReady(endpoint, { deadlineMs: 30_000, exited: proc.exited, describe: tail, websocket, bosh });
    if (admin) await commands.register(admin.username, admin.password);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    name: localTargetName("ejabberd", opts),
    host: "127.0.0.1",
    port,
    domain,
    software: { name: "ejabberd", version: release.version },
    config: shipped ? "shipped" : "harness",
    ...(tls && { tls }),
    ...(ca && { caFile: ca.cert }),
    ...(websocket && { websocket: websocket.url }),
    ...(bosh && { bosh: bosh.url }),
    ...(accepted && { component: { host: "127.0.0.1", port: componentPort, domain: `${accepted.sub}.${domain}`, secret: accepted.secret } }),
    ...(ports.https && uploadService(domain) && { upload: uploadService(domain) }),
    accountCommands: commands,
    ...(admin && { admin }),
    logFile,
    pidFile: path.join(dir, "ejabberd.pid"),
    ...(opts.federation && { s2sAddress: opts.federation.s2sIp, s2sLinks: () => ejabberdS2sLinks(logFile) }),
    stop,
    abandon,
  };
}

export const ejabberd: LocalServer = { debian: EJABBERD_DEBIAN, start: startEjabberd, startOnce: startEjabberdOnce };
