import type { CommandModule } from "yargs";
import { judgeAgainstBaseline } from "../baseline.ts";
import { loadResults } from "../results-files.ts";

export const diff: CommandModule = {
  command: "diff <old> <new>",
  describe: "what changed between two runs (results.json or jsonl): cases that got worse, better, appeared or are gone; exit 1 only when one got worse",
  builder: (y) =>
    y
      .positional("old", { type: "string", describe: "the baseline's results (results.json or a jsonl event stream)" })
      .positional("new", { type: "string", describe: "the later run's results" })
      .option("markdown", { type: "string", describe: "also write the changes as Markdown to this file (for a pull-request comment)" })
      .example("$0 diff main/results.json reports/results.json --markdown diff.md", "the cases this branch made worse or better"),
  handler: (argv) => {
    const a = argv as unknown as { old: string; new: string; markdown?: string };
    const [before, after] = loadResults([a.old, a.new]);
    process.exitCode = judgeAgainstBaseline(before, after.run, { markdownFile: a.markdown, stream: process.stdout });
  },
};
