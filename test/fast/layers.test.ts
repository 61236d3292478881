import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const src = path.join(path.dirname(new URL(import.meta.url).pathname), "../../src");
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));

/** Each import of a file: where it comes from, and whether it brings only types. */
function imports(file: string): { from: string; typesOnly: boolean }[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^import\s+(type\s+)?([\s\S]*?)\s+from\s+"([^"]+)";/gm)].map((m) => {
    const names = /^\{([\s\S]*)\}$/.exec(m[2].trim())?.[1];
    const allTyped = names !== undefined && names.split(",").every((n) => !n.trim() || /^type\s/.test(n.trim()));
    return { from: path.resolve(path.dirname(file), m[3]), typesOnly: Boolean(m[1]) || allTyped };
  });
}

test("run/ takes only types from scenario/: what a step proves is decided by the loader, not worked out again at run time", () => {
  const scenario = path.join(src, "scenario") + path.sep;
  const values = files(path.join(src, "run")).flatMap((f) =>
    imports(f)
      .filter((i) => i.from.startsWith(scenario) && !i.typesOnly)
      .map((i) => `${path.relative(src, f)} imports values from ${path.relative(src, i.from)}`),
  );
  assert.ok(files(path.join(src, "run")).length > 10);
  assert.deepEqual(values, []);
});

test("nothing reaches backwards: the loader and the runner import nothing of the reports or the command line", () => {
  const later = ["report", "cli"].map((d) => path.join(src, d) + path.sep);
  const backwards = ["scenario", "plan", "run", "match", "xmpp"].flatMap((d) =>
    files(path.join(src, d)).flatMap((f) =>
      imports(f)
        .filter((i) => later.some((l) => i.from.startsWith(l)))
        .map((i) => `${path.relative(src, f)} -> ${path.relative(src, i.from)}`),
    ),
  );
  assert.deepEqual(backwards, []);
});

test("only src/suite-files.ts locates files from its own place: the tests' bundled CLI tells that one module where it is", () => {
  const locating = files(src)
    .filter((f) => /import\.meta\.(url|dirname|filename)/.test(readFileSync(f, "utf8")))
    .map((f) => path.relative(src, f));
  assert.deepEqual(locating, ["suite-files.ts"]);
});
