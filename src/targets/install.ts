import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, writeFileSync, unlinkSync } from "node:fs";

export function onPath(binary: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${binary}`], { stdio: "ignore" }).status === 0;
}

/**
 * Installs Debian packages when `binary` is missing. Non-interactive, and without starting the packaged
 * services: a policy-rc.d that denies service starts is put in place for the install (and removed again
 * only if it was ours).
 */
export function ensureDebianPackages(binary: string, packages: string[], allowInstall: boolean, log: (l: string) => void): void {
  if (onPath(binary)) return;
  const hint = `apt-get install -y --no-install-recommends ${packages.join(" ")}`;
  if (!allowInstall) throw new Error(`${binary} is not installed; install it with: ${hint}`);
  if (process.getuid?.() !== 0) throw new Error(`${binary} is not installed and installing needs root; run as root or: sudo ${hint}`);
  log(`installing ${packages.join(", ")} from Debian's packages...`);
  const policy = "/usr/sbin/policy-rc.d";
  const ours = !existsSync(policy);
  if (ours) writeFileSync(policy, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    // Another apt (unattended upgrades, a provisioning step) may hold dpkg's lock: wait for it, within a bound.
    const wait = ["-o", "DPkg::Lock::Timeout=300"];
    execFileSync("apt-get", [...wait, "update", "-qq"], { env, stdio: ["ignore", "ignore", "inherit"] });
    execFileSync("apt-get", [...wait, "install", "-y", "-qq", "--no-install-recommends", ...packages], { env, stdio: ["ignore", "ignore", "inherit"] });
  } finally {
    if (ours) unlinkSync(policy);
  }
  if (!onPath(binary)) throw new Error(`installed ${packages.join(" ")} but ${binary} is still not on PATH`);
}
