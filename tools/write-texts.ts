/**
 * Writes the plain text of RFCs from their xml2rfc sources (the XSF's public `rfcs` repository, one
 * rfcNNNN.xml per RFC) and of XEPs from theirs (the XSF's `xeps` repository: xep-NNNN.xml, with xep.ent beside
 * it) into spec/texts/, the texts the quote test checks against:
 *
 *   npx tsx tools/write-texts.ts PATH/rfc6120.xml PATH/xep-0280.xml ...
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderXep, readEntities } from "./texts/xep.ts";
import { renderRfc } from "./texts/xml2rfc.ts";

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("usage: npx tsx tools/write-texts.ts PATH/rfcNNNN.xml|PATH/xep-NNNN.xml ...\n");
  process.exit(2);
}
const dir = fileURLToPath(new URL("../spec/texts/", import.meta.url));
for (const file of files) {
  const out = path.join(dir, `${path.basename(file, ".xml")}.txt`);
  const source = readFileSync(file, "utf8");
  const text = path.basename(file).startsWith("xep-") ? renderXep(source, readEntities(readFileSync(path.join(path.dirname(file), "xep.ent"), "utf8"))) : renderRfc(source);
  writeFileSync(out, text);
  process.stdout.write(`${out}: ${text.split("\n").length} lines\n`);
}
