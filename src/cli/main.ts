import { catalogSpecs } from "../specification/registry.ts";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { EXIT } from "./exit-codes.ts";
import { survivePeerResets } from "../util/socket-errors.ts";
import { watchOutput } from "./output.ts";
import { err } from "./suite.ts";
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

watchOutput();
survivePeerResets((line) => process.stderr.write(`${line}\n`));

/** One file per command in commands/; register it here. */
const commands = [run, list, validate, coverage, matrix, merge, diff, profile, counts, send, cleanup, install];

await yargs(hideBin(process.argv))
  .scriptName("xmpp-conform")
  .usage(
    `$0 <command> [options]\n\nConformance tests for XMPP servers: declarative scenarios, rule by rule, against a real server (${catalogSpecs()
      .map((s) => s.name)
      .join(", ")}).`,
  )
  .command(commands)
  .demandCommand(1, `say what to do: ${commands.map((c) => String(c.command).split(" ")[0]).join(", ")}`)
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

// A command is over when its handler is: its cleanup is done and, once its output has drained, the process
// ends. A library's stray timer (a request to a server that never answered) must not hold it for its remaining
// seconds. (A write's callback runs after every earlier write of the stream: a pipe to a slow reader is let drain.)
const drained = (s: NodeJS.WriteStream) => new Promise<void>((resolve) => (s.writable ? s.write("", () => resolve()) : resolve()));
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(process.exitCode ?? EXIT.ok);
