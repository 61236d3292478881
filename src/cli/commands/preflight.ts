import type { CommandModule } from "yargs";
import { loadProfiles } from "../../profiles/load.ts";
import { renderPreflight } from "../../report/preflight.ts";
import { run as runPlan, type RunOptions } from "../../run/run.ts";
import { checkTargetSpec } from "../../targets/index.ts";
import { accountOptions, accountSecrets, accountsProblem, accountsWay, type AccountArgs } from "../accounts-options.ts";
import { checkTls, targetOptions, tlsOptions, tlsRequest, type ConnectionArgs } from "../connection.ts";
import { EXIT } from "../exit-codes.ts";
import { err, planFrom, PROFILES } from "../suite.ts";

/**
 * Before a run against your own server: connects as a run would (accounts included), asks the server what it is
 * and offers, and says which families will run, which will skip and why, and what a fuller run needs. Runs no case.
 */
export const preflight: CommandModule = {
  command: "preflight",
  describe: "before a run: what the server offers, which families will run or skip and why, and what a fuller run needs (runs no case)",
  builder: (y) =>
    accountOptions(tlsOptions(targetOptions(y)))
      .option("timeout", { type: "number", default: 3000, describe: "ms to wait for the server's answers" })
      .example("$0 preflight --server xmpp.example.org --tls starttls --ca ca.pem", "a server known by its domain, over STARTTLS")
      .example("$0 preflight --server 127.0.0.1:5222 --domain localhost", "a server started by hand"),
  handler: async (argv) => {
    const a = argv as unknown as ConnectionArgs & AccountArgs & { target?: string; server?: string; domain?: string; websocket?: string; bosh?: string; timeout: number };
    const problem = checkTargetSpec(a) ?? checkTls(a) ?? accountsProblem(a);
    if (problem) {
      err(`xmpp-conform preflight: ${problem}`);
      process.exit(EXIT.usage);
    }
    const opts: RunOptions = {
      target: a.target,
      server: a.server,
      domain: a.domain,
      ...(a.websocket && { websocket: a.websocket }),
      ...(a.bosh && { bosh: a.bosh }),
      accounts: { mode: accountsWay(a), ...accountSecrets(a) },
      tls: tlsRequest(a),
      timeoutMs: a.timeout,
      profile: { mode: "auto", profiles: loadProfiles(PROFILES) },
    };
    // A run of no case: the target reached, accounts proven, the server identified, everything given back.
    const results = await runPlan([], opts, { log: (line) => process.stderr.write(`${line}\n`) });
    const suite = planFrom([], {}, "xmpp-conform preflight").plan;
    process.stdout.write(
      renderPreflight(
        results,
        suite.map((sc) => ({ id: sc.id, needs: sc.needs.map((n) => n.name), domains: sc.accounts.map((x) => x.domain ?? "") })),
      ),
    );
    process.exitCode = results.targetError ? EXIT.unreachable : EXIT.ok;
  },
};
