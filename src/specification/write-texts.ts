/**
 * Writes the plain text of RFCs from their xml2rfc sources (the XSF's public `rfcs` repository, one
 * rfcNNNN.xml per RFC) into spec/texts/rfcNNNN.txt, the texts the quote test checks against:
 *
 *   npx tsx src/specification/write-texts.ts PATH/rfc6120.xml PATH/rfc6121.xml PATH/rfc7622.xml
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderRfc } from "./xml2rfc.ts";

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("usage: npx tsx src/specification/write-texts.ts PATH/rfcNNNN.xml ...\n");
  process.exit(2);
}
const dir = fileURLToPath(new URL("../../spec/texts/", import.meta.url));
for (const file of files) {
  const out = path.join(dir, `${path.basename(file, ".xml")}.txt`);
  const text = renderRfc(readFileSync(file, "utf8"));
  writeFileSync(out, text);
  process.stdout.write(`${out}: ${text.split("\n").length} lines\n`);
}
