import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CommandModule } from "yargs";
import { renderBaseline, slimBaseline } from "../../results/baseline.ts";
import { EXIT } from "../exit-codes.ts";
import { loadResults } from "../results-files.ts";
import { err } from "../suite.ts";

const accept: CommandModule = {
  command: "accept [results]",
  describe: "write a run's verdicts as the baseline a repository keeps: each case's verdict without a profile and each requirement's worst, sorted, nothing that changes between runs",
  builder: (y) =>
    y
      .positional("results", { type: "string", default: "reports/results.json", describe: "the run to accept (results.json or jsonl)" })
      .option("out", { alias: "o", type: "string", default: "conformance/baseline.json", describe: "the baseline file to write" })
      .example("$0 baseline accept reports/results.json -o conformance/baseline.json", "accept the current run; commit the file, and CI gates on it with --baseline"),
  handler: (argv) => {
    const a = argv as unknown as { results: string; out: string };
    const [{ run }] = loadResults([a.results]);
    if (run.interrupted || run.targetError) {
      err(`xmpp-conform baseline accept: ${a.results} is of a run that ${run.targetError ? "could not start" : "stopped early"}: a baseline needs a whole run`);
      process.exit(EXIT.usage);
    }
    const slim = slimBaseline(run);
    mkdirSync(path.dirname(path.resolve(a.out)), { recursive: true });
    writeFileSync(a.out, renderBaseline(slim));
    const n = Object.keys(slim.cases).length;
    process.stdout.write(`${a.out}: ${n} case${n === 1 ? "" : "s"} of ${slim.server}; gate on it with --baseline ${a.out}\n`);
  },
};

export const baseline: CommandModule = {
  command: "baseline <command>",
  describe: "the baseline a repository keeps for the CI gate (accept)",
  builder: (y) => y.command(accept).demandCommand(1, "say what to do: accept"),
  handler: () => {},
};
