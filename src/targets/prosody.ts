import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { selfSignedCertificate } from "./cert.ts";
import { runTool } from "./command.ts";
import { ensureDebianPackages } from "./install.ts";
import { startTethered } from "./process.ts";
import { freePort, waitUntilReady } from "./ready.ts";
import { S2S_PORT } from "./federation.ts";
import type { AccountCommands, FederationOptions, LocalTargetOptions, Target } from "./types.ts";

/**
 * Nothing on any port but our c2s port; in-band registration allowed. Plaintext on loopback, or with `tls`
 * STARTTLS required (or TLS from the first byte) and PLAIN only once encrypted.
 */
function config(dir: string, port: number, domain: string, opts: LocalTargetOptions): string {
  const lua = (list: string[]) => `{ ${list.map((x) => JSON.stringify(x)).join("; ")} }`;
  const fed = opts.federation;
  const modules = ["roster", "saslauth", "disco", "ping", "register", "blocklist", "version", "admin_adhoc", ...(opts.tls === "starttls" ? ["tls"] : []), ...(fed ? ["dialback"] : [])];
  return `-- written by xmpp-conform for a throwaway instance
run_as_root = true
pidfile = "${dir}/prosody.pid"
data_path = "${dir}/data"
plugin_paths = { }
interfaces = { "127.0.0.1" }
c2s_ports = { ${opts.tls === "direct" ? "" : port} }
c2s_direct_tls_ports = { ${opts.tls === "direct" ? port : ""} }
s2s_ports = { ${fed ? S2S_PORT : ""} }
http_ports = { }
https_ports = { }
network_settings = { tcp_backlog = 1024, nagle = false } -- nagle off: else many hops cost ~40 ms (delayed ACK)
log = { { levels = { min = "info" }, to = "file", filename = "${dir}/prosody.log" } }
authentication = "internal_hashed"
storage = "internal"
c2s_require_encryption = ${Boolean(opts.tls)}
allow_unencrypted_plain_auth = ${!opts.tls}
allow_registration = true
certificates = "${dir}/certs"
admins = ${lua(opts.admins ?? [])}
modules_enabled = ${lua(modules)}
${fed ? federationConfig(dir, fed) : `modules_disabled = { "s2s"; "s2s_auth_certs"; }`}
${(opts.extraConfig ?? []).join("\n")}
VirtualHost "${domain}"
`;
}

/**
 * Server Dialback over plain TCP on our own loopback address. Names resolve through libunbound with our
 * hosts file only: "local-zone: . static" answers everything else NXDOMAIN at once, so no query leaves the machine.
 */
function federationConfig(dir: string, fed: FederationOptions): string {
  writeFileSync(path.join(dir, "hosts"), fed.peers.map((p) => `${p.ip} ${p.domain}\n`).join(""));
  return `s2s_interfaces = { "${fed.s2sIp}" }
s2s_require_encryption = false -- the default (true) silently queues stanzas forever without TLS
unbound = { hoststxt = "${dir}/hosts"; options = { ["local-zone:"] = ". static" } }`;
}

/** prosodyctl against our config; the account list is the data directory (one file per account). */
function accountCommands(dir: string, cfg: string, domain: string): AccountCommands {
  // Prosody's data directory names escape every non-alphanumeric byte as %xx (a.test -> a%2etest).
  const accounts = path.join(dir, "data", domain.replace(/[^A-Za-z0-9]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`), "accounts");
  return {
    register: async (user, password) => void (await runTool("prosodyctl", ["--config", cfg, "register", user, domain, password], `register ${user}`)),
    remove: async (user) => void (await runTool("prosodyctl", ["--config", cfg, "deluser", `${user}@${domain}`], `deluser ${user}`)),
    // Prosody's file names escape every non-alphanumeric byte as %xx.
    list: async () => (existsSync(accounts) ? readdirSync(accounts).filter((f) => f.endsWith(".dat")).map((f) => decodeURIComponent(f.slice(0, -4))) : []),
  };
}

function version(): string {
  try {
    const out = execFileSync("dpkg-query", ["-W", "-f=${Version}", "prosody"], { encoding: "utf8" });
    return out.trim();
  } catch {
    return "unknown";
  }
}

/** What local:prosody needs from Debian: the server, and libunbound's Lua binding for its hosts file. */
export const PROSODY_PACKAGES = { binary: "prosody", packages: ["prosody", "lua-unbound"] };

export async function startProsody(opts: LocalTargetOptions): Promise<Target> {
  ensureDebianPackages(PROSODY_PACKAGES.binary, PROSODY_PACKAGES.packages, opts.install, opts.log);
  const domain = opts.federation?.domain ?? "localhost";
  const dir = mkdtempSync(path.join(tmpdir(), "xmpp-conform-prosody-"));
  mkdirSync(path.join(dir, "data"));
  mkdirSync(path.join(dir, "certs"));
  const cert = opts.tls ? (await selfSignedCertificate(path.join(dir, "certs"), domain)).cert : undefined;
  const port = await freePort();
  const cfg = path.join(dir, "prosody.cfg.lua");
  writeFileSync(cfg, config(dir, port, domain, opts));
  const logFile = path.join(dir, "prosody.log");
  const proc = startTethered("prosody", ["-F", "--config", cfg], { cwd: dir, logFile: path.join(dir, "stdout.log") });
  const tail = () => {
    const read = (f: string) => (existsSync(f) ? readFileSync(f, "utf8").split("\n").slice(-20).join("\n") : "");
    return `prosody log (${dir}):\n${read(logFile)}${read(path.join(dir, "stdout.log"))}`;
  };
  const stop = async () => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const endpoint = { host: "127.0.0.1", port, domain, ...(opts.tls && { security: { tls: opts.tls, ca: readFileSync(cert!, "utf8") } }) };
    await waitUntilReady(endpoint, { deadlineMs: 20_000, exited: proc.exited, describe: tail });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    name: "local:prosody",
    host: "127.0.0.1",
    port,
    domain,
    software: { name: "Prosody", version: version() },
    ...(opts.tls && { tls: opts.tls, caFile: cert }),
    accountCommands: accountCommands(dir, cfg, domain),
    logFile,
    pidFile: path.join(dir, "prosody.pid"),
    stop,
  };
}
