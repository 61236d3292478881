/**
 * Writes a specification's requirement catalog as JSON, next to this file (src/catalog/<spec>.json):
 *
 *   npx tsx src/catalog/build.ts spec/rfc6120-requirements.md                  # → src/catalog/rfc6120.json
 *   npx tsx src/catalog/build.ts ../shared/spec/rfc6121-requirements.md        # → src/catalog/rfc6121.json
 *
 * The catalog's title says which specification it is. Nothing is written when the catalog's tables and its own
 * summary (§1) disagree (see generate.ts); the reviewed overrides (<spec>-overrides.yaml) applied are printed.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildCatalog } from "./generate.ts";

const [file, outArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: npx tsx src/catalog/build.ts PATH/<spec>-requirements.md [OUT.json]\n");
  process.exit(2);
}
let catalog;
try {
  catalog = buildCatalog(readFileSync(file, "utf8"), file);
} catch (err) {
  process.stderr.write(`${file}: ${(err as Error).message}\n`);
  process.exit(1);
}
const out = outArg ?? fileURLToPath(new URL(`./${catalog.spec}.json`, import.meta.url));
writeFileSync(out, `${JSON.stringify(catalog, null, 2)}\n`);
process.stdout.write(`${out}: ${catalog.requirements.length} entries (${catalog.requirements.filter((r) => !r.cellOf).length} rows)\n`);
for (const o of catalog.overrides) {
  const what = Object.entries(o.changed).map(([field, [from, to]]) => `${field} ${String(from)} -> ${String(to)}`).join(", ");
  process.stdout.write(`  override ${o.id}: ${what} (${o.reason.replace(/\s+/g, " ")})\n`);
}
