import { chromium, type Browser } from "playwright-core";
import { ensureDebianPackages } from "../../src/targets/install.ts";

/**
 * Debian's Chromium, headless, driven by playwright-core (which downloads no browser of its own). Installed
 * by the test set-up when missing, as the local servers are.
 */
export async function launchChromium(): Promise<Browser> {
  ensureDebianPackages("chromium", ["chromium"], true, (l) => process.stderr.write(`${l}\n`));
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
