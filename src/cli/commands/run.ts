import type { CommandModule } from "yargs";
import { provisioners } from "../../accounts/index.ts";
import { reporters } from "../../report/index.ts";
import { checkTargetSpec, localTargetNames } from "../../targets/index.ts";
import { EXIT } from "../exit-codes.ts";
import { runCommand } from "../run-command.ts";
import { csv, err, planFrom, selectionOptions } from "../suite.ts";

export const run: CommandModule = {
  command: "run [cases..]",
  describe: "run scenarios (all, or the given files, folders, scenario ids or requirement IDs)",
  builder: (y) =>
    selectionOptions(
      y
        .positional("cases", { type: "string", array: true, default: [] as string[], describe: "scenario files/folders, scenario ids or requirement IDs" })
        .option("target", { type: "string", describe: `start a throwaway local server: ${localTargetNames.map((n) => `local:${n}`).join(", ")}` })
        .option("server", { type: "string", describe: "an already running server: HOST:PORT (with --domain)" })
        .option("domain", { type: "string", describe: "the XMPP domain of the accounts on --server" })
        .option("accounts", { type: "string", default: "ibr", choices: Object.keys(provisioners), describe: "how to get fresh accounts (ibr = XEP-0077 in-band registration)" })
        .option("reporter", { type: "string", array: true, default: ["console", "junit", "json"], describe: `comma list of: ${Object.keys(reporters).join(", ")}` })
        .option("out", { type: "string", default: "reports", describe: "folder for report files" }),
    )
      .option("concurrency", { type: "number", default: 4, describe: "cases run at once" })
      .option("timeout", { type: "number", default: 3000, describe: "ms a 'receives' step waits for its stanza (and the limit for harness round trips)" })
      .option("quiet-window", { type: "number", default: 0, describe: "extra ms to wait after each barrier (0: barriers only)" })
      .option("install", { type: "boolean", default: true, describe: "install a missing local server from Debian's packages (root only)" })
      .option("strict", { type: "boolean", default: false, describe: "also fail the run on warnings (broken SHOULDs)" })
      .option("color", { type: "boolean", default: process.stdout.isTTY ?? false, describe: "colour the console output" })
      .example("$0 run --target local:prosody", "the whole suite against a throwaway local Prosody")
      .example("$0 run --server 127.0.0.1:5222 --domain localhost --reporter junit --out build", "the whole suite against a running server, JUnit only")
      .example("$0 run roster-add-push --target local:prosody", "one case"),
  handler: async (argv) => {
    const a = argv as unknown as {
      cases: string[]; target?: string; server?: string; domain?: string; accounts: string; reporter: string[]; out: string; grep?: string; tag: string[];
      concurrency: number; timeout: number; quietWindow: number; install: boolean; strict: boolean; color: boolean;
    };
    const reporterNames = csv(a.reporter);
    const unknown = reporterNames.filter((r) => !reporters[r]);
    const problem =
      checkTargetSpec(a) ??
      (unknown.length > 0 ? `unknown reporter '${unknown[0]}'; known: ${Object.keys(reporters).join(", ")}` : undefined) ??
      (!(a.concurrency >= 1) ? "--concurrency must be at least 1" : undefined) ??
      (!(a.timeout > 0) ? "--timeout must be a positive number of ms" : undefined);
    if (problem) {
      err(`xmpp-conform run: ${problem}`);
      process.exit(EXIT.usage);
    }
    const plan = planFrom(a.cases, a);
    process.exitCode = await runCommand({
      target: a.target, server: a.server, domain: a.domain, plan, accounts: a.accounts, reporters: reporterNames, out: a.out,
      concurrency: a.concurrency, timeout: a.timeout, quietWindow: a.quietWindow, install: a.install, strict: a.strict, color: a.color,
    });
  },
};
