import { writeFileSync } from "node:fs";
import path from "node:path";
import { tempDir } from "./temp-dir.ts";

/** A writer of numbered files in a temporary folder of its own: `file(text)` returns the path of a new file. */
export function tempFiles(prefix: string, ext = "yaml"): (text: string, name?: string) => string {
  const dir = tempDir(`xc-${prefix}-`);
  let n = 0;
  return (text, name = `${prefix[0]}${n++}.${ext}`) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };
}
