import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { inRelease, type InstalledRelease } from "./debian-release.ts";
import type { LocalTargetOptions } from "./types.ts";

/** The target's name as the user writes it: local:prosody, local:prosody@13. */
export const localTargetName = (server: string, opts: LocalTargetOptions) => `local:${server}${opts.release ? `@${opts.release}` : ""}`;

/** The one account a server started as shipped gets from the harness: the admin that makes and removes the run's accounts (XEP-0133). */
export function provisioningAdmin(domain: string): { username: string; password: string; jid: string } {
  const username = `xc-admin-${randomBytes(3).toString("hex")}`;
  return { username, password: randomBytes(18).toString("base64url"), jid: `${username}@${domain}` };
}

/**
 * A configuration file as the package ships it: the release's unpacked copy, or the system's, which must still
 * be the package's (dpkg's record of the conffile's checksum): an edited one is not "as shipped".
 */
export function shippedConfigFile(release: InstalledRelease, file: string, pkg: string): string {
  const text = readFileSync(inRelease(release, file), "utf8");
  if (release.root !== "/") return text;
  const conffiles = execFileSync("dpkg-query", ["-W", "-f=${Conffiles}", pkg], { encoding: "utf8" });
  const recorded = new RegExp(`^\\s*/${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} ([0-9a-f]{32})`, "m").exec(conffiles)?.[1];
  const actual = createHash("md5").update(text).digest("hex");
  if (recorded && recorded !== actual)
    throw new Error(
      `/${file} was edited since ${pkg} was installed, so it is not the configuration as shipped; restore the package's (apt-get install --reinstall -o Dpkg::Options::=--force-confask ${pkg}) or use --server-config harness`,
    );
  return text;
}
