/**
 * Writes a specification's requirement catalog as JSON, next to this file (src/catalog/<spec>.json):
 *
 *   npx tsx src/catalog/build.ts spec/rfc6120-requirements.md          # → src/catalog/rfc6120.json
 *   npx tsx src/catalog/build.ts --update-summary spec/rfc6121-requirements.md
 *
 * The catalog's title says which specification it is. Nothing is written when the catalog's tables and its own
 * summary (§1) disagree (see generate.ts); --update-summary first rewrites §1's counts from the tables, after
 * rows were added or regraded. Rows whose quote is not in the RFC's text, whose level is not the quote's
 * first keyword, or that are derived and above SHOULD, are listed (the tests refuse them).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildCatalog, updateSummary } from "./generate.ts";
import { rowProblems } from "./check-rows.ts";

const args = process.argv.slice(2);
const update = args.includes("--update-summary");
const [file, outArg] = args.filter((a) => a !== "--update-summary");
if (!file) {
  process.stderr.write("usage: npx tsx src/catalog/build.ts [--update-summary] PATH/<spec>-requirements.md [OUT.json]\n");
  process.exit(2);
}
let md = readFileSync(file, "utf8");
let catalog;
try {
  if (update) {
    md = updateSummary(md);
    writeFileSync(file, md);
  }
  catalog = buildCatalog(md, file);
} catch (err) {
  process.stderr.write(`${file}: ${(err as Error).message}\n`);
  process.exit(1);
}
const out = outArg ?? fileURLToPath(new URL(`./${catalog.spec}.json`, import.meta.url));
writeFileSync(out, `${JSON.stringify(catalog, null, 2)}\n`);
process.stdout.write(`${out}: ${catalog.requirements.length} entries (${catalog.requirements.filter((r) => !r.cellOf).length} rows)\n`);
const problems = rowProblems(md);
for (const p of problems) process.stdout.write(`${file}:${p.line}: ${p.id}: ${p.message}\n`);
if (problems.length > 0) process.stdout.write(`${problems.length} problems to fix (quote, level or derived)\n`);
