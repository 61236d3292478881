import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import type { CommandModule } from "yargs";
import { buildMatrix, renderMatrixHtml, renderMatrixMarkdown, renderMatrixText } from "../../report/matrix.ts";
import { EXIT } from "../exit-codes.ts";
import { loadResults } from "../results-files.ts";
import { err } from "../suite.ts";

export const matrix: CommandModule = {
  command: "matrix <files..>",
  describe: "servers side by side from their results.json files (matrix.html and matrix.md), disagreements highlighted",
  builder: (y) =>
    y
      .positional("files", { type: "string", array: true, describe: "results.json files, one per server" })
      .option("by", { choices: ["case", "requirement"] as const, default: "case" as const, describe: "one row per case or per requirement" })
      .option("out", { type: "string", default: "reports", describe: "folder for matrix.html and matrix.md" })
      .example("$0 matrix prosody/results.json ejabberd/results.json", "Prosody and ejabberd side by side"),
  handler: (argv) => {
    const a = argv as unknown as { files: string[]; by: "case" | "requirement"; out: string };
    if (a.files.length < 2) {
      err("xmpp-conform matrix: name at least two results files");
      process.exit(EXIT.usage);
    }
    const m = buildMatrix(loadResults(a.files), a.by, a.out);
    mkdirSync(a.out, { recursive: true });
    const files = [path.join(a.out, "matrix.html"), path.join(a.out, "matrix.md")];
    writeFileSync(files[0], renderMatrixHtml(m));
    writeFileSync(files[1], renderMatrixMarkdown(m));
    process.stdout.write(renderMatrixText(m));
    process.stdout.write(`${files.join("\n")}\n`);
  },
};
