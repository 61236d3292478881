/**
 * Checks a specification's requirement catalog (spec/<spec>-requirements.md), as the harness reads it:
 *
 *   npx tsx tools/check-catalog.ts spec/rfc6120-requirements.md
 *   npx tsx tools/check-catalog.ts --update-summary spec/rfc6121-requirements.md
 *
 * It says what the harness would refuse (tables and their own summary, §1, that disagree; see parse.ts),
 * then every row whose quote is not in the specification's text, whose level is not the quote's first keyword,
 * or that is derived and above SHOULD (the tests refuse those too). --update-summary first rewrites §1's
 * counts from the tables, after rows were added or regraded. Exit 1 on any problem.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { buildCatalog, updateSummary } from "../src/catalog/parse.ts";
import { rowProblems } from "../src/catalog/check-rows.ts";

const args = process.argv.slice(2);
const update = args.includes("--update-summary");
const [file] = args.filter((a) => a !== "--update-summary");
if (!file) {
  process.stderr.write("usage: npx tsx tools/check-catalog.ts [--update-summary] spec/<spec>-requirements.md\n");
  process.exit(2);
}
let md = readFileSync(file, "utf8");
try {
  if (update) {
    md = updateSummary(md);
    writeFileSync(file, md);
  }
  const catalog = buildCatalog(md, file);
  process.stdout.write(`${file}: ${catalog.requirements.length} entries (${catalog.requirements.filter((r) => !r.cellOf).length} rows)\n`);
} catch (err) {
  process.stderr.write(`${file}: ${(err as Error).message}\n`);
  process.exit(1);
}
const problems = rowProblems(md);
for (const p of problems) process.stdout.write(`${file}:${p.line}: ${p.id}: ${p.message}\n`);
if (problems.length > 0) {
  process.stdout.write(`${problems.length} problems to fix (quote, level or derived)\n`);
  process.exit(1);
}
