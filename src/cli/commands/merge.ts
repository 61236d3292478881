import type { CommandModule } from "yargs";
import { reporters } from "../../report/index.ts";
import { mergeRuns, missingShards } from "../../results/merge.ts";
import { EXIT } from "../exit-codes.ts";
import { loadResults } from "../results-files.ts";
import { csv, err } from "../suite.ts";

export const merge: CommandModule = {
  command: "merge <files..>",
  describe: "join the results.json files of shards of one run into one, and write its reports",
  builder: (y) =>
    y
      .positional("files", { type: "string", array: true, describe: "results.json (or results.jsonl) files of the shards" })
      .option("out", { type: "string", default: "reports", describe: "folder for the merged reports" })
      .option("reporter", { type: "string", array: true, nargs: 1, default: ["json", "junit", "html", "markdown", "compliance"], describe: `comma list of: ${Object.keys(reporters).join(", ")}` })
      .option("allow-partial", { type: "boolean", default: false, describe: "merge shards of k/n even when some are missing (the reports say which)" })
      .example("$0 merge shard1/results.json shard2/results.json --out reports", "one results.json, junit.xml, report.html and summary.md for both"),
  handler: async (argv) => {
    const a = argv as unknown as { files: string[]; out: string; reporter: string[]; allowPartial: boolean };
    const names = csv(a.reporter);
    const unknown = names.filter((r) => !reporters[r]);
    if (unknown.length > 0) {
      err(`xmpp-conform merge: unknown reporter '${unknown[0]}'; known: ${Object.keys(reporters).join(", ")}`);
      process.exit(EXIT.usage);
    }
    const shards = loadResults(a.files);
    let run;
    try {
      // Shards record k/n: a set that lacks one is not the run, unless that is what is wanted.
      const missing = missingShards(shards);
      if (missing.length > 0 && !a.allowPartial)
        throw new Error(
          `shard${missing.length === 1 ? "" : "s"} ${missing.map((k) => `${k}/${shards.find((s) => s.run.shard)!.run.shard!.n}`).join(", ")} missing (--allow-partial merges what there is)`,
        );
      run = mergeRuns(shards, missing);
    } catch (e) {
      err(`xmpp-conform merge: ${(e as Error).message}`);
      process.exit(EXIT.usage);
    }
    for (const name of names) await reporters[name]({ outDir: a.out, stream: process.stdout, color: false, strict: false }).onEnd?.(run);
    process.stdout.write(`merged ${shards.length} file${shards.length === 1 ? "" : "s"}, ${run.cases.length} cases, into ${a.out}\n`);
  },
};
