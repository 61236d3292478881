import type { CommandModule } from "yargs";
import { readBaseline } from "../../results/baseline.ts";
import { judgeAgainstBaseline } from "../baseline.ts";
import { EXIT } from "../exit-codes.ts";
import { loadResults } from "../results-files.ts";
import { err } from "../suite.ts";

export const diff: CommandModule = {
  command: "diff <old> <new>",
  describe: "what changed between a baseline (or an earlier run's results) and a run: cases that got worse, lost, better, appeared or are gone; exit 1 when one got worse or lost coverage",
  builder: (y) =>
    y
      .positional("old", { type: "string", describe: "the baseline: a baseline file ('baseline accept'), results.json or a jsonl event stream" })
      .positional("new", { type: "string", describe: "the later run's results" })
      .option("markdown", { type: "string", describe: "also write the changes as Markdown to this file (for a pull-request comment)" })
      .option("allow-lost", { type: "boolean", default: false, describe: "a case observed in the baseline and skipped now does not fail" })
      .example("$0 diff conformance/baseline.json reports/results.json --markdown diff.md", "the cases this branch made worse or better"),
  handler: (argv) => {
    const a = argv as unknown as { old: string; new: string; markdown?: string; allowLost: boolean };
    let before;
    try {
      before = readBaseline(a.old);
    } catch (e) {
      err(`xmpp-conform diff: ${(e as Error).message}`);
      process.exit(EXIT.usage);
    }
    const [after] = loadResults([a.new]);
    process.exitCode = judgeAgainstBaseline(before, after.run, { markdownFile: a.markdown, stream: process.stdout, allowLost: a.allowLost });
  },
};
