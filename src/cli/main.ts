import path from "node:path";
import { fileURLToPath } from "node:url";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { provisioners } from "../accounts/index.ts";
import { select, splitArgs } from "../plan/filter.ts";
import { reporters } from "../report/index.ts";
import { loadSuite } from "../scenario/load.ts";
import { checkTargetSpec, localTargetNames } from "../targets/index.ts";
import { EXIT } from "./exit-codes.ts";
import { runCommand } from "./run-command.ts";

const SUITE = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../scenarios");
const err = (s: string) => process.stderr.write(`${s}\n`);
const csv = (v: string[] | string) => (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(",")).map((x) => x.trim()).filter(Boolean);

/** Loads the suite (or the given paths) and selects cases; scenario errors end the command with exit 2. */
function plan(args: string[], o: { grep?: string; tag: string[] }) {
  const { paths, ids } = splitArgs(args);
  const suite = loadSuite(paths.length > 0 ? paths : [SUITE]);
  if (suite.errors.length > 0) {
    for (const e of suite.errors) err(e.message);
    err(`${suite.errors.length} scenario file error${suite.errors.length === 1 ? "" : "s"}`);
    process.exit(EXIT.usage);
  }
  const { plan: selected, unknownIds } = select(suite.scenarios, { ids, grep: o.grep, tags: o.tag });
  if (unknownIds.length > 0) {
    err(`no scenario or requirement matches: ${unknownIds.join(", ")} (see 'xmpp-conform list')`);
    process.exit(EXIT.usage);
  }
  return selected;
}

const selection = {
  grep: { type: "string", describe: "only cases whose id or title matches this regular expression" },
  tag: { type: "string", array: true, default: [] as string[], describe: "only cases with one of these tags (repeat or comma-separate)" },
} as const;

await yargs(hideBin(process.argv))
  .scriptName("xmpp-conform")
  .usage("$0 <command> [options]\n\nConformance tests for XMPP servers: RFC 6121 (IM and Presence) scenarios against a real server.")
  .command(
    "run [cases..]",
    "run scenarios (all, or the given files, folders, scenario ids or requirement IDs)",
    (y) =>
      y
        .positional("cases", { type: "string", array: true, default: [] as string[], describe: "scenario files/folders, scenario ids or requirement IDs" })
        .option("target", { type: "string", describe: `start a throwaway local server: ${localTargetNames.map((n) => `local:${n}`).join(", ")}` })
        .option("server", { type: "string", describe: "an already running server: HOST:PORT (with --domain)" })
        .option("domain", { type: "string", describe: "the XMPP domain of the accounts on --server" })
        .option("accounts", { type: "string", default: "ibr", choices: Object.keys(provisioners), describe: "how to get fresh accounts (ibr = XEP-0077 in-band registration)" })
        .option("reporter", { type: "string", array: true, default: ["console", "junit", "json"], describe: `comma list of: ${Object.keys(reporters).join(", ")}` })
        .option("out", { type: "string", default: "reports", describe: "folder for report files" })
        .options(selection)
        .option("concurrency", { type: "number", default: 4, describe: "cases run at once" })
        .option("timeout", { type: "number", default: 3000, describe: "ms a 'receives' step waits for its stanza (and the limit for harness round trips)" })
        .option("quiet-window", { type: "number", default: 0, describe: "extra ms to wait after each barrier (0: barriers only)" })
        .option("install", { type: "boolean", default: true, describe: "install a missing local server from Debian's packages (root only)" })
        .option("strict", { type: "boolean", default: false, describe: "also fail the run on warnings (broken SHOULDs)" })
        .option("color", { type: "boolean", default: process.stdout.isTTY ?? false, describe: "colour the console output" })
        .example("$0 run --target local:prosody", "the whole suite against a throwaway local Prosody")
        .example("$0 run --server 127.0.0.1:5222 --domain localhost --reporter junit --out build", "the whole suite against a running server, JUnit only")
        .example("$0 run roster-add-push --target local:prosody", "one case"),
    async (a) => {
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
      const cases = plan(a.cases, { grep: a.grep, tag: csv(a.tag) });
      process.exitCode = await runCommand({
        ...a, plan: cases, reporters: reporterNames, quietWindow: a.quietWindow, tag: undefined,
      } as never);
    },
  )
  .command(
    "list [paths..]",
    "list the cases with their RFC section, level and requirement IDs",
    (y) => y.positional("paths", { type: "string", array: true, default: [] as string[] }).options(selection).option("json", { type: "boolean", default: false }),
    (a) => {
      const cases = plan(a.paths, { grep: a.grep, tag: csv(a.tag) });
      if (a.json) {
        process.stdout.write(`${JSON.stringify(cases.map(({ id, title, rfc, level, requirements, tags, pos }) => ({ id, title, rfc, level, requirements, tags, file: pos.file })), null, 2)}\n`);
        return;
      }
      for (const c of cases) process.stdout.write(`${c.id.padEnd(36)} §${c.rfc.padEnd(8)} ${c.level.padEnd(6)} ${c.requirements.join(",")}\n`);
      process.stdout.write(`${cases.length} case${cases.length === 1 ? "" : "s"}\n`);
    },
  )
  .command(
    "validate [paths..]",
    "check scenario files (the whole suite by default) without running them",
    (y) => y.positional("paths", { type: "string", array: true, default: [] as string[] }),
    (a) => {
      const cases = plan(a.paths, { tag: [] });
      process.stdout.write(`${cases.length} scenario${cases.length === 1 ? "" : "s"} valid\n`);
    },
  )
  .demandCommand(1, "say what to do: run, list or validate")
  .strict()
  .fail((msg, e, y) => {
    if (e) throw e;
    err(y.help().toString?.() ?? "");
    err(`\n${msg}`);
    process.exit(EXIT.usage);
  })
  .help()
  .wrap(Math.min(110, process.stdout.columns || 110))
  .parseAsync();
