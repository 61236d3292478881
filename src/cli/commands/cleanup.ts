import type { CommandModule } from "yargs";
import { cleanup as cleanUp, ACCOUNT_PREFIX } from "../../accounts/cleanup.ts";
import { provisioners, type Provisioner } from "../../accounts/index.ts";
import { journalDir } from "../../accounts/journal.ts";
import { checkTargetSpec, runningServer } from "../../targets/index.ts";
import { reach } from "../../xmpp/connections/reach.ts";
import { accountOptions, accountSecrets, accountsProblem, accountsWay, type AccountArgs } from "../accounts-options.ts";
import { checkTls, tlsOptions, tlsRequest, type ConnectionArgs } from "../connection.ts";
import { EXIT } from "../exit-codes.ts";
import { err } from "../suite.ts";

/**
 * Removes the test accounts that interrupted or failed runs left on a running server: those in the
 * journals of runs that are over, and (with --accounts admin, where the server lists its users) every
 * account named with the harness's prefix. Says how many it removed and which remain.
 */
export const cleanup: CommandModule = {
  command: "cleanup",
  describe: `remove the test accounts (${ACCOUNT_PREFIX}...) that interrupted or failed runs left on a running server`,
  builder: (y) =>
    accountOptions(tlsOptions(y))
      .option("server", { type: "string", describe: "the running server: HOST:PORT (with --domain), or its XMPP domain (found by its SRV records, then port 5222)" })
      .option("websocket", { type: "string", describe: "a running server reached over WebSocket (RFC 7395): its ws:// or wss:// URL, as given to run --websocket (instead of --server)" })
      .option("bosh", { type: "string", describe: "a running server reached over BOSH (XEP-0206): its http:// or https:// URL, as given to run --bosh (instead of --server)" })
      .option("domain", { type: "string", describe: "the XMPP domain of the accounts on --server (or --websocket URL, --bosh URL)" })
      .option("target", { type: "string", hidden: true })
      .option("timeout", { type: "number", default: 3000, describe: "ms to wait for each answer of the server" })
      .example("$0 cleanup --server 127.0.0.1:5222 --domain localhost", "remove what earlier runs with in-band registration left (from the journals)")
      .example(
        "XMPP_CONFORM_PASSWORD=... $0 cleanup --server xmpp.example.org:5222 --domain example.org --accounts admin --admin admin@example.org",
        "also every xc-... account on the server's user list",
      ),
  handler: async (argv) => {
    const a = argv as unknown as ConnectionArgs & AccountArgs & { timeout: number; websocket?: string; bosh?: string };
    const way = accountsWay(a);
    const problem =
      (a.target ? "cleanup makes no sense with --target local:...: a throwaway server is stopped and deleted with its run (even a killed one), and its accounts with it" : undefined) ??
      (way === "cli" ? "--accounts cli makes accounts only on a --target local:... server, which goes with its run: nothing is left to clean up" : undefined) ??
      (a.server || a.websocket || a.bosh ? checkTargetSpec(a) : "say which server to clean up: --server HOST:PORT --domain DOMAIN (or --websocket URL or --bosh URL, with --domain DOMAIN)") ??
      checkTls(a) ??
      (!(a.timeout > 0) ? "--timeout must be a positive number of ms" : undefined) ??
      accountsProblem(a);
    if (problem) fail(EXIT.usage, problem);
    let secrets: ReturnType<typeof accountSecrets> = {};
    try {
      secrets = accountSecrets(a);
    } catch (e) {
      fail(EXIT.usage, (e as Error).message);
    }

    let provisioner: Provisioner | undefined;
    let located: Awaited<ReturnType<typeof runningServer>>;
    try {
      located = await runningServer(a);
    } catch (e) {
      fail(EXIT.unreachable, `${a.server}: ${(e as Error).message}`);
    }
    const { name, found, ...server } = located!;
    const domain = server.domain;
    let endpoint: Awaited<ReturnType<typeof reach>> | undefined;
    try {
      endpoint = await reach(server, tlsRequest(a), a.timeout);
      provisioner = provisioners[way]({ endpoint, timeoutMs: a.timeout, ...secrets });
      // --accounts file cleans accounts listed in the journals without checking them first (open() would set aside those not fresh).
      if (way !== "file") await provisioner.open?.();
    } catch (e) {
      await provisioner?.close?.().catch(() => {});
      const why = (e as Error).message;
      fail(EXIT.unreachable, why.includes(name) ? why : `${name}: ${why}`); // a URL's own errors name it already
    }
    try {
      process.stdout.write(`cleanup of ${domain} at ${name}${found ? ` (${found})` : ""} with --accounts ${way}; journals in ${journalDir()}\n`);
      const report = await cleanUp(provisioner!, { server: name, existing: secrets.existing, admin: secrets.admin?.jid, login: { endpoint: endpoint!, timeoutMs: a.timeout } });
      for (const note of report.notes) process.stdout.write(`note: ${note}\n`);
      if (report.rooms.length > 0) process.stdout.write(`destroyed ${report.rooms.length} room${report.rooms.length === 1 ? "" : "s"} left by earlier runs\n`);
      const n = report.removed.length;
      const absent = report.absent > 0 ? ` (${report.absent} recorded account${report.absent === 1 ? " was" : "s were"} not on the server)` : "";
      process.stdout.write(`removed ${n} account${n === 1 ? "" : "s"} left by earlier runs${absent}; ${report.remain.length} remain${report.remain.length > 0 ? ":" : ""}\n`);
      for (const r of report.remain) process.stdout.write(`  ${r.jid}: ${r.reason}\n`);
      process.exitCode = report.remain.length > 0 ? EXIT.failed : EXIT.ok;
    } finally {
      await provisioner!.close?.().catch(() => {});
    }
  },
};

function fail(code: number, problem: string): never {
  err(`xmpp-conform cleanup: ${problem}`);
  process.exit(code);
}
