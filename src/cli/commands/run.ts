import type { Argv, CommandModule } from "yargs";
import { provisioners } from "../../accounts/index.ts";
import { loadAccountsFile } from "../../accounts/file.ts";
import { loadProfile, loadProfiles } from "../../profiles/load.ts";
import { reporters } from "../../report/index.ts";
import { parseShard, selectShard } from "../../plan/shard.ts";
import { checkTargetSpec, localTargetNames } from "../../targets/index.ts";
import type { S2sMode } from "../../targets/types.ts";
import { readSecret } from "../../util/secret.ts";
import { accountOn, checkTls, passwordOptions, passwordSource, tlsOptions, tlsRequest, type ConnectionArgs } from "../connection.ts";
import { EXIT } from "../exit-codes.ts";
import { runCommand, type ProfileChoice, type RunCommandOptions } from "../run-command.ts";
import { csv, err, planFrom, PROFILES, selectionOptions } from "../suite.ts";

const connectionOptions = <T>(y: Argv<T>) => passwordOptions(tlsOptions(y), "--admin");

export const run: CommandModule = {
  command: "run [cases..]",
  describe: "run scenarios (all, or the given files, folders, scenario ids or requirement IDs)",
  builder: (y) =>
    connectionOptions(selectionOptions(
      y
        .positional("cases", { type: "string", array: true, default: [] as string[], describe: "scenario files/folders, scenario ids or requirement IDs" })
        .option("target", { type: "string", describe: `start a throwaway local server: ${localTargetNames.map((n) => `local:${n}`).join(", ")}` })
        .option("server", { type: "string", describe: "an already running server: HOST:PORT (with --domain)" })
        .option("domain", { type: "string", describe: "the XMPP domain of the accounts on --server" })
        .option("s2s", {
          type: "string",
          choices: ["dialback", "tls"],
          describe: "with a pair target (local:A+B), how its servers talk: dialback (Server Dialback over plain TCP, the default) or tls (STARTTLS with certificates from a CA made for the run: SASL EXTERNAL where both servers support it, dialback over TLS otherwise; clients then get STARTTLS too)",
        })
        .option("accounts", {
          type: "string",
          choices: Object.keys(provisioners),
          describe: "how to get accounts: ibr (XEP-0077 in-band registration, the default), cli (the local server's own command line), admin (XEP-0133 commands as --admin), file (existing accounts from --accounts-file)",
        })
        .option("admin", { type: "string", describe: "--accounts admin: the JID of an account allowed to add and delete users (password: --password-env / --password-file)" })
        .option("accounts-file", { type: "string", describe: "YAML file of existing test accounts (implies --accounts file); see the README" })
        .option("profile", { type: "string", default: "auto", describe: "the server's known deviations: auto (by the software and version it reports), none (raw verdicts), or a profile file" })
        .option("reporter", { type: "string", array: true, default: ["console", "junit", "json", "html", "markdown"], describe: `comma list of: ${Object.keys(reporters).join(", ")}` })
        .option("out", { type: "string", default: "reports", describe: "folder for report files" }),
    ))
      .option("concurrency", { type: "number", default: 4, describe: "cases run at once" })
      .option("shard", { type: "string", describe: "run only shard k of n (k/n): each case belongs to one shard, by its id; join the shards' results with 'merge'" })
      .option("repeat", { type: "number", default: 1, describe: "run the plan N times and report every case whose verdict changed as flaky" })
      .option("timeout", { type: "number", default: 3000, describe: "ms a 'receives' step waits for its stanza (and the limit for harness round trips)" })
      .option("quiet-window", { type: "number", default: 0, describe: "extra ms to wait after each barrier (0: barriers only)" })
      .option("install", { type: "boolean", default: true, describe: "install a missing local server from Debian's packages (root only)" })
      .option("strict", { type: "boolean", default: false, describe: "also fail the run on warnings (broken SHOULDs)" })
      .option("color", { type: "boolean", default: process.stdout.isTTY ?? false, describe: "colour the console output" })
      .example("$0 run --target local:prosody", "the whole suite against a throwaway local Prosody")
      .example("$0 run --server 127.0.0.1:5222 --domain localhost --reporter junit --out build", "the whole suite against a running server, JUnit only")
      .example("$0 run roster-add-push --target local:prosody", "one case"),
  handler: async (argv) => {
    const a = argv as unknown as ConnectionArgs & {
      cases: string[]; target?: string; server?: string; domain?: string; s2s?: S2sMode; accounts?: string; admin?: string; accountsFile?: string; passwordEnv: string; passwordFile?: string;
      profile: string; reporter: string[]; out: string; grep?: string; tag: string[]; concurrency: number; shard?: string; repeat: number; timeout: number; quietWindow: number; install: boolean; strict: boolean; color: boolean;
    };
    const usage = (problem: string): never => {
      err(`xmpp-conform run: ${problem}`);
      process.exit(EXIT.usage);
    };
    const reporterNames = csv(a.reporter);
    const unknown = reporterNames.filter((r) => !reporters[r]);
    const accounts = a.accounts ?? (a.accountsFile ? "file" : "ibr");
    const problem =
      checkTargetSpec(a) ??
      checkTls(a) ??
      (unknown.length > 0 ? `unknown reporter '${unknown[0]}'; known: ${Object.keys(reporters).join(", ")}` : undefined) ??
      (!(a.concurrency >= 1) ? "--concurrency must be at least 1" : undefined) ??
      (a.shard !== undefined && !parseShard(a.shard) ? `--shard must be k/n with 1 <= k <= n, got '${a.shard}'` : undefined) ??
      (!(Number.isInteger(a.repeat) && a.repeat >= 1) ? "--repeat must be a whole number of at least 1" : undefined) ??
      (!(a.timeout > 0) ? "--timeout must be a positive number of ms" : undefined) ??
      (accounts === "cli" && !a.target ? "--accounts cli uses the server's own command line: it needs --target local:..." : undefined) ??
      (accounts === "admin" && !(a.admin && a.server) ? "--accounts admin needs --server, --domain and --admin JID" : undefined) ??
      (accounts === "file" && !(a.accountsFile && a.server) ? "--accounts file needs --server, --domain and --accounts-file FILE" : undefined) ??
      (a.accountsFile && accounts !== "file" ? "--accounts-file goes with --accounts file" : undefined) ??
      (a.admin && accounts !== "admin" ? "--admin goes with --accounts admin" : undefined);
    if (problem) usage(problem);
    const opts: Omit<RunCommandOptions, "plan" | "profile"> = {
      target: a.target, server: a.server, domain: a.domain, ...(a.s2s && { s2s: a.s2s }), accounts, tls: tlsRequest(a), reporters: reporterNames, out: a.out,
      concurrency: a.concurrency, repeat: a.repeat, timeout: a.timeout, quietWindow: a.quietWindow, install: a.install, strict: a.strict, color: a.color,
    };
    try {
      if (a.admin) {
        const admin = accountOn(a.admin, a.domain, "--admin");
        if (typeof admin === "string") usage(admin);
        else opts.admin = { ...admin, password: readSecret(passwordSource(a), a.admin) };
      }
      if (a.accountsFile) opts.existing = loadAccountsFile(a.accountsFile, a.domain!);
    } catch (e) {
      usage((e as Error).message);
    }
    const profile = chooseProfile(a.profile);
    const selected = planFrom(a.cases, a);
    const plan = a.shard ? selectShard(selected, parseShard(a.shard)!) : selected;
    process.exitCode = await runCommand({ ...opts, plan, profile });
  },
};

/** --profile: broken profile files are usage errors (file:line:col), found before anything starts. */
function chooseProfile(value: string): ProfileChoice {
  try {
    if (value === "none") return { mode: "none" };
    if (value === "auto") return { mode: "auto", profiles: loadProfiles(PROFILES) };
    return { mode: "file", profile: loadProfile(value) };
  } catch (e) {
    err(`xmpp-conform run: ${(e as Error).message}`);
    process.exit(EXIT.usage);
  }
}
