/**
 * Writes the plain text of RFCs from their xml2rfc sources (the XSF's public `rfcs` repository, one
 * rfcNNNN.xml per RFC) and of XEPs from theirs (the XSF's `xeps` repository: xep-NNNN.xml, with xep.ent beside
 * it) into spec/texts/, the texts the quote test checks against (and, for a XEP, its sections' anchors beside it):
 *
 *   npx tsx tools/write-texts.ts PATH/rfc6120.xml PATH/xep-0280.xml ...
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderXep, readEntities, xepAnchors } from "./texts/xep.ts";
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
  const isXep = path.basename(file).startsWith("xep-");
  const entities = isXep ? readEntities(readFileSync(path.join(path.dirname(file), "xep.ent"), "utf8")) : new Map<string, string>();
  const text = isXep ? renderXep(source, entities) : renderRfc(source);
  writeFileSync(out, text);
  // A XEP's section anchors, for links to a section of its published page (the registry reads them).
  if (isXep) writeFileSync(out.replace(/\.txt$/, ".anchors.json"), `${JSON.stringify(xepAnchors(source, entities), null, 2)}\n`);
  process.stdout.write(`${out}: ${text.split("\n").length} lines\n`);
}
