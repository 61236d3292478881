import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureDebianPackages } from "./install.ts";
import { startTethered } from "./process.ts";
import { freePort, waitUntilReady } from "./ready.ts";
import type { LocalTargetOptions, Target } from "./types.ts";

const DOMAIN = "localhost";

/** Plaintext on loopback, in-band registration allowed, nothing on any port but our c2s port. */
function config(dir: string, port: number): string {
  return `-- written by xmpp-conform for a throwaway instance
run_as_root = true
pidfile = "${dir}/prosody.pid"
data_path = "${dir}/data"
plugin_paths = { }
interfaces = { "127.0.0.1" }
c2s_ports = { ${port} }
c2s_direct_tls_ports = { }
s2s_ports = { }
http_ports = { }
https_ports = { }
network_settings = { tcp_backlog = 1024, nagle = false } -- nagle off: else many hops cost ~40 ms (delayed ACK)
log = { { levels = { min = "info" }, to = "file", filename = "${dir}/prosody.log" } }
authentication = "internal_hashed"
storage = "internal"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
allow_registration = true
certificates = "${dir}/certs"
modules_enabled = { "roster"; "saslauth"; "disco"; "ping"; "register"; "blocklist"; "version"; }
modules_disabled = { "s2s"; "s2s_auth_certs"; }
VirtualHost "${DOMAIN}"
`;
}

function version(): string {
  try {
    const out = execFileSync("dpkg-query", ["-W", "-f=${Version}", "prosody"], { encoding: "utf8" });
    return out.trim();
  } catch {
    return "unknown";
  }
}

export async function startProsody(opts: LocalTargetOptions): Promise<Target> {
  ensureDebianPackages("prosody", ["prosody", "lua-unbound"], opts.install, opts.log);
  const dir = mkdtempSync(path.join(tmpdir(), "xmpp-conform-prosody-"));
  mkdirSync(path.join(dir, "data"));
  mkdirSync(path.join(dir, "certs"));
  const port = await freePort();
  const cfg = path.join(dir, "prosody.cfg.lua");
  writeFileSync(cfg, config(dir, port));
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
    await waitUntilReady("127.0.0.1", port, DOMAIN, { deadlineMs: 20_000, exited: proc.exited, describe: tail });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    name: "local:prosody",
    host: "127.0.0.1",
    port,
    domain: DOMAIN,
    software: { name: "Prosody", version: version() },
    logFile,
    stop,
  };
}
