import type { CommandModule } from "yargs";
import { countVerdicts, VERDICTS } from "../../report/format.ts";
import { loadResults } from "../results-files.ts";

export const counts: CommandModule = {
  command: "counts <results>",
  describe: "the verdict counts of a results file as name=value lines (total, pass, fail, ...): for $GITHUB_OUTPUT and scripts",
  builder: (y) => y.positional("results", { type: "string", describe: "results.json or jsonl" }).example('$0 counts reports/results.json >> "$GITHUB_OUTPUT"', "the counts as step outputs"),
  handler: (argv) => {
    const [{ run }] = loadResults([(argv as unknown as { results: string }).results]);
    const c = countVerdicts(run);
    process.stdout.write([`total=${run.cases.length}`, ...VERDICTS.map((v) => `${v}=${c[v]}`)].join("\n") + "\n");
  },
};
