import type { Argv } from "yargs";
import type { ServerConfig } from "../results/schema.ts";
import { provisioners } from "../accounts/index.ts";
import { loadAccountsFile } from "../accounts/file.ts";
import type { ExistingAccounts } from "../accounts/types.ts";
import { readSecret } from "../util/secret.ts";
import type { Credentials } from "../xmpp/connections/session.ts";
import { accountOn, passwordOptions, passwordSource } from "./connection.ts";

/** --accounts, --admin (with its password options), --accounts-file: how accounts are had, shared by run and cleanup. */
export function accountOptions<T>(y: Argv<T>) {
  return passwordOptions(y, "--admin")
    .option("accounts", {
      type: "string",
      choices: Object.keys(provisioners),
      describe:
        "how to get accounts: ibr (XEP-0077 in-band registration, the default), cli (the local server's own command line), admin (XEP-0133 commands as --admin), file (existing accounts from --accounts-file)",
    })
    .option("admin", { type: "string", describe: "--accounts admin: the JID of an account allowed to add and delete users (password: --password-env / --password-file)" })
    .option("accounts-file", { type: "string", describe: "YAML file of existing test accounts (implies --accounts file); see docs/command-line.md" })
    .option("allow-unusable-accounts", { type: "boolean", default: false, describe: "--accounts-file: run with the accounts that work when some cannot be used (else the run stops, exit 3)" });
}

export interface AccountArgs {
  target?: string;
  server?: string;
  domain?: string;
  accounts?: string;
  admin?: string;
  accountsFile?: string;
  allowUnusableAccounts?: boolean;
  /** --server-config shipped: the local server's own admin makes the accounts. */
  serverConfig?: ServerConfig;
  passwordEnv: string;
  passwordFile?: string;
}

/** The way accounts are had: --accounts, else file with --accounts-file, admin on a server started as shipped (its registration is closed), else ibr. */
export const accountsWay = (a: AccountArgs) => a.accounts ?? (a.accountsFile ? "file" : a.serverConfig === "shipped" ? "admin" : "ibr");

/** Account options that cannot work together, as a usage error (before anything starts). */
export function accountsProblem(a: AccountArgs): string | undefined {
  const way = accountsWay(a);
  return (
    (way === "cli" && !a.target ? "--accounts cli uses the server's own command line: it needs --target local:..." : undefined) ??
    (way === "admin" && !(a.admin && a.server) && a.serverConfig !== "shipped"
      ? "--accounts admin needs --server, --domain and --admin JID (or --target with --server-config shipped: the harness makes the admin there)"
      : undefined) ??
    (way === "file" && !(a.accountsFile && a.server) ? "--accounts file needs --server, --domain and --accounts-file FILE" : undefined) ??
    (a.accountsFile && way !== "file" ? "--accounts-file goes with --accounts file" : undefined) ??
    (a.admin && way !== "admin" ? "--admin goes with --accounts admin" : undefined)
  );
}

/** Reads the --admin password and the --accounts-file; a problem is thrown as an Error whose message is the usage error. */
export function accountSecrets(a: AccountArgs): { admin?: Credentials & { jid: string }; existing?: ExistingAccounts } {
  const out: { admin?: Credentials & { jid: string }; existing?: ExistingAccounts } = {};
  if (a.admin) {
    const admin = accountOn(a.admin, a.domain, "--admin");
    if (typeof admin === "string") throw new Error(admin);
    out.admin = { ...admin, password: readSecret(passwordSource(a), a.admin) };
  }
  if (a.accountsFile) out.existing = { ...loadAccountsFile(a.accountsFile, a.domain!), ...(a.allowUnusableAccounts && { allowUnusable: true }) };
  return out;
}
