import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { ensureDebianPackages, onPath } from "./install.ts";
import { withInstallLock } from "./install-lock.ts";

/** A server's Debian packages: the binary that shows it is installed, and what to install. */
export interface DebianServer {
  /** The package whose releases are asked for (prosody, ejabberd). */
  package: string;
  binary: string;
  packages: string[];
  /**
   * Packages unpacked beside a release from backports, with it (Prosody's community modules, prosody-modules, whose
   * backported snapshot is for Prosody 13): never installed for the system's release.
   */
  extras?: string[];
  /**
   * Makes an unpacked release run from where it was unpacked: its launchers name /usr paths, which hold the
   * system's release (Prosody's CFG_SOURCEDIR, ejabberdctl's ERL_LIBS).
   */
  relocate(root: string): void;
}

/** Where a release's files are: "/" for the system's package, a cache folder for one unpacked beside it. */
export interface InstalledRelease {
  /** Debian's version of the package (13.0.1-1~bpo12+1). */
  version: string;
  root: string;
  /** The extras unpacked with it (see DebianServer.extras). */
  extras?: string[];
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

function systemVersion(pkg: string): string | undefined {
  try {
    return run("dpkg-query", ["-W", "-f=${Version}", pkg]).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** "13" covers 13.0.1-1~bpo12+1 and 13.1, not 130; "0.12" covers 0.12.3-1+deb12u1. */
export const releaseCovers = (release: string, version: string) => version === release || (version.startsWith(release) && /^\D/.test(version.slice(release.length)));

/** Root: /var/cache (shared with user ejabberd, who runs the server); others: their own cache. XMPP_CONFORM_CACHE overrides. */
export function cacheDir(): string {
  if (process.env.XMPP_CONFORM_CACHE) return process.env.XMPP_CONFORM_CACHE;
  if (process.getuid?.() === 0) return "/var/cache/xmpp-conform";
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "xmpp-conform");
}

/**
 * apt with its own sources, lists and downloads in the cache (the system's sources, lists and installed
 * packages are left as they are): the system's Debian release, its updates, security and backports suites.
 */
class PrivateApt {
  constructor(
    private readonly dir: string,
    private readonly codename: string,
  ) {}

  private get options(): string[] {
    return [
      `-o`,
      `Dir::Etc::SourceList=${path.join(this.dir, "sources.list")}`,
      `-o`,
      `Dir::Etc::SourceParts=${path.join(this.dir, "sources.list.d")}`,
      `-o`,
      `Dir::State::Lists=${path.join(this.dir, "lists")}`,
      `-o`,
      `Dir::Cache=${path.join(this.dir, "cache")}`,
      // Our own folders, so no lock on the system's; as root, downloads stay root's (user _apt cannot write the cache).
      `-o`,
      `Debug::NoLocking=1`,
      ...(process.getuid?.() === 0 ? [`-o`, `APT::Sandbox::User=root`] : []),
      "-qq",
    ];
  }

  update(): void {
    for (const d of ["lists/partial", "cache/archives/partial", "sources.list.d"]) mkdirSync(path.join(this.dir, d), { recursive: true });
    const c = this.codename;
    writeFileSync(
      path.join(this.dir, "sources.list"),
      [
        `deb http://deb.debian.org/debian ${c} main`,
        `deb http://deb.debian.org/debian ${c}-updates main`,
        `deb http://deb.debian.org/debian-security ${c}-security main`,
        `deb http://deb.debian.org/debian ${c}-backports main`,
      ].join("\n") + "\n",
    );
    run("apt-get", [...this.options, "update"]);
  }

  /** The versions of a package the suites have, newest first. */
  versions(pkg: string): string[] {
    return run("apt-cache", [...this.options, "madison", pkg])
      .split("\n")
      .map((l) => l.split("|")[1]?.trim())
      .filter((v): v is string => Boolean(v));
  }

  /** What installing pkg=version (and the extras, in the versions apt picks) would install or upgrade, measured against the system's installed packages. */
  changes(pkg: string, version: string, extras: string[] = []): { name: string; version: string }[] {
    const out = run("apt-get", [...this.options, "-s", "--no-install-recommends", "-t", `${this.codename}-backports`, "install", `${pkg}=${version}`, ...extras]);
    return [...out.matchAll(/^Inst (\S+) (?:\[[^\]]*\] )?\((\S+)/gm)].map((m) => ({ name: m[1], version: m[2] }));
  }

  /** Downloads the packages into `into` (apt-get download works in the current folder). */
  download(packages: { name: string; version: string }[], into: string): string[] {
    mkdirSync(into, { recursive: true });
    execFileSync("apt-get", [...this.options, "download", ...packages.map((p) => `${p.name}=${p.version}`)], { cwd: into, stdio: ["ignore", "ignore", "pipe"] });
    return readdirSync(into)
      .filter((f) => f.endsWith(".deb"))
      .map((f) => path.join(into, f));
  }
}

function codename(): string {
  const osRelease = existsSync("/etc/os-release") ? readFileSync("/etc/os-release", "utf8") : "";
  const id = /^ID=(.*)$/m.exec(osRelease)?.[1]?.replace(/"/g, "");
  const name = /^VERSION_CODENAME=(.*)$/m.exec(osRelease)?.[1]?.replace(/"/g, "");
  if (id !== "debian" || !name) throw new Error("releases other than the installed one come from Debian's backports, and this system is not Debian");
  return name;
}

const MARKER = "release.json";

/** The release when it is there already (the system's package, or one unpacked before), else undefined. */
function readyRelease(server: DebianServer, release: string | undefined): InstalledRelease | undefined {
  if (!onPath(server.binary)) return undefined;
  const installed = systemVersion(server.package) ?? "unknown";
  if (!release || releaseCovers(release, installed)) return { version: installed, root: "/" };
  const marker = path.join(releaseDir(server, release), MARKER);
  if (!existsSync(marker)) return undefined;
  const unpacked = JSON.parse(readFileSync(marker, "utf8")) as InstalledRelease;
  // Unpacked before the server had its extras: unpacked again, with them.
  return (server.extras ?? []).every((x) => unpacked.extras?.includes(x)) ? unpacked : undefined;
}

const releaseDir = (server: DebianServer, release: string) => path.join(cacheDir(), "debian", `${server.package}-${release}`);

/**
 * A release of a local server: the system's package when it is that release, otherwise the release from
 * Debian's backports unpacked into a cache folder beside it, never replacing what the system has installed.
 * The system's package comes first (installed when missing, as for local:NAME): it brings the runtime the
 * release runs on (Lua, Erlang) and its libraries; only the packages the release needs newer are unpacked.
 * Installing holds the machine's install lock, and looks again once it has it: another process may have
 * installed the same meanwhile.
 */
export async function ensureRelease(server: DebianServer, release: string | undefined, allowInstall: boolean, log: (line: string) => void): Promise<InstalledRelease> {
  const ready = readyRelease(server, release);
  if (ready) return ready;
  // Without leave to install, installRelease only says what is missing: no lock, nothing written.
  if (!allowInstall) return installRelease(server, release, false, log);
  return withInstallLock(path.join(cacheDir(), "install.lock"), () => readyRelease(server, release) ?? installRelease(server, release, true, log));
}

function installRelease(server: DebianServer, release: string | undefined, allowInstall: boolean, log: (line: string) => void): InstalledRelease {
  ensureDebianPackages(server.binary, server.packages, allowInstall, log);
  const installed = systemVersion(server.package) ?? "unknown";
  if (!release || releaseCovers(release, installed)) return { version: installed, root: "/" };
  const dir = releaseDir(server, release);
  const marker = path.join(dir, MARKER);
  const hint = `xmpp-conform install local:${server.package}@${release}`;
  if (!allowInstall) throw new Error(`${server.package} ${release} is not in ${cacheDir()}; unpack it there with: ${hint}`);
  const apt = new PrivateApt(path.join(cacheDir(), "apt"), codename());
  log(`fetching ${server.package} ${release} from Debian's backports into ${dir} (the system's ${server.package} ${installed} stays as it is)...`);
  apt.update();
  const version = apt.versions(server.package).find((v) => releaseCovers(release, v));
  if (!version) throw new Error(`Debian has no ${server.package} ${release} (it has: ${apt.versions(server.package).join(", ") || "none"})`);
  // Unpacked in place; the marker, written last, says the folder is complete (an interrupted unpack is redone).
  rmSync(dir, { recursive: true, force: true });
  const extras = server.extras ?? [];
  const debs = apt.download(apt.changes(server.package, version, extras), path.join(dir, "debs"));
  const root = path.join(dir, "root");
  for (const deb of debs) run("dpkg-deb", ["-x", deb, root]);
  server.relocate(root);
  rmSync(path.join(dir, "debs"), { recursive: true, force: true });
  const result: InstalledRelease = { version, root, ...(extras.length > 0 && { extras }) };
  writeFileSync(marker, JSON.stringify(result, null, 2) + "\n");
  log(`${server.package} ${version} is in ${root}`);
  return result;
}

/** A path of the release: under its cache folder, or the system's own. */
export const inRelease = (r: InstalledRelease, file: string) => path.join(r.root, file);
