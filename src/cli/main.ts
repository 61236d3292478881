import { catalogSpecs } from "../specification/registry.ts";
import { CatalogError } from "../catalog/index.ts";
import yargs, { type Argv, type CommandModule } from "yargs";
import { hideBin } from "yargs/helpers";
import { EXIT } from "./exit-codes.ts";
import { survivePeerResets } from "../util/socket-errors.ts";
import { watchOutput } from "./output.ts";
import { err } from "./suite.ts";
import { didYouMean } from "../util/suggest.ts";
import { list } from "./commands/list.ts";
import { run } from "./commands/run.ts";
import { send } from "./commands/send.ts";
import { validate } from "./commands/validate.ts";
import { coverage } from "./commands/coverage.ts";
import { matrix } from "./commands/matrix.ts";
import { merge } from "./commands/merge.ts";
import { cleanup } from "./commands/cleanup.ts";
import { diff } from "./commands/diff.ts";
import { profile } from "./commands/profile.ts";
import { counts } from "./commands/counts.ts";
import { install } from "./commands/install.ts";
import { preflight } from "./commands/preflight.ts";
import { baseline } from "./commands/baseline.ts";

watchOutput();
survivePeerResets((line) => process.stderr.write(`${line}\n`));

/** A usage problem yargs found: explained once the command's options are known. */
class UsageError extends Error {}

/** One file per command in commands/; register it here. */
const commands = [run, preflight, list, validate, coverage, matrix, merge, diff, baseline, profile, counts, send, cleanup, install];
const names = commands.map((c) => String(c.command).split(" ")[0]);

try {
  await yargs(hideBin(process.argv))
    .scriptName("xmpp-conform")
    .usage(
      `$0 <command> [options]\n\nConformance tests for XMPP servers: declarative scenarios, rule by rule, against a real server (${catalogSpecs()
        .map((s) => s.name)
        .join(", ")}).`,
    )
    .command(commands)
    .demandCommand(1, `say what to do: ${names.join(", ")}`)
    .strict()
    .recommendCommands()
    .fail((msg, e) => {
      // Thrown, so nothing of the command runs; explained below, where there is time to look the options up.
      throw e ?? new UsageError(msg);
    })
    .help()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .parseAsync();
} catch (e) {
  if (e instanceof CatalogError) {
    err(`xmpp-conform: ${e.message}`);
    process.exit(EXIT.usage);
  }
  // yargs throws a usage problem out of parseAsync itself, before any promise.
  if (!(e instanceof UsageError)) throw e;
  const command = commands.find((c) => String(c.command).split(" ")[0] === process.argv[2]);
  err(`xmpp-conform: ${explainUsage(e.message, await optionsOf(command))}`);
  err(`(xmpp-conform ${command ? `${process.argv[2]} ` : ""}--help lists every ${command ? "option" : "command"})`);
  process.exit(EXIT.usage);
}

/** A command's options, from its own help (the public way to list what its builder declares). */
async function optionsOf(command: CommandModule | undefined): Promise<string[]> {
  if (!command || typeof command.builder !== "function") return [];
  const help = await (command.builder as (y: Argv) => Argv)(yargs([]).scriptName("xmpp-conform")).getHelp();
  return [...help.matchAll(/--([a-z][\w-]*)/g)].map((m) => m[1]);
}

/**
 * yargs' usage message, with what was probably meant: the nearest known option for an unknown one, the
 * nearest choice for a value that is not one.
 */
function explainUsage(msg: string, known: string[]): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg);
  if (unknown) {
    return unknown[1]
      .split(", ")
      .map((word) => {
        const guess = didYouMean(word, known);
        return `unknown option --${word}${guess ? `: did you mean --${guess}?` : ""}`;
      })
      .join("\n");
  }
  const command = /^Did you mean (\S+)\?$/.exec(msg);
  if (command) return `unknown command '${process.argv[2]}': did you mean ${command[1]}?`;
  const choice = /Argument: (\S+), Given: "([^"]*)", Choices: (.+)$/m.exec(msg);
  if (choice) {
    const choices = [...choice[3].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    const guess = didYouMean(choice[2], choices);
    return `--${choice[1]} ${choice[2]}: not one of ${choices.join(", ")}${guess ? `; did you mean ${guess}?` : ""}`;
  }
  return msg;
}

// A command is over when its handler is: its cleanup is done and, once its output has drained, the process
// ends. A library's stray timer (a request to a server that never answered) must not hold it for its remaining
// seconds. (A write's callback runs after every earlier write of the stream: a pipe to a slow reader is let drain.)
const drained = (s: NodeJS.WriteStream) => new Promise<void>((resolve) => (s.writable ? s.write("", () => resolve()) : resolve()));
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(process.exitCode ?? EXIT.ok);
