import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { ROOT } from "../support/cli.ts";
import { tempFiles } from "../support/temp-files.ts";

const file = tempFiles("cache");
/** A load with the cache on or off; undefined-valued keys are what JSON keeps of them (none). */
const load = (f: string, cache: boolean) => {
  process.env.XMPP_CONFORM_CACHE = cache ? "on" : "off";
  try {
    return JSON.parse(JSON.stringify(loadScenarioFile(f)));
  } finally {
    delete process.env.XMPP_CONFORM_CACHE;
  }
};
const error = (f: string) => {
  try {
    loadScenarioFile(f);
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail(`${f} loaded`);
};

test("a kept compilation is the compilation: the same scenarios, and again after the file changes", () => {
  // A shipped file with a matrix, captures and one-ofs, under a path of its own.
  const text = readFileSync(path.join(ROOT, "scenarios/mobile/sm.yaml"), "utf8");
  const f = file(text);
  const fresh = load(f, false);
  assert.deepEqual(load(f, true), fresh); // compiled and kept
  assert.deepEqual(load(f, true), fresh); // read back
  const edited = file(text.replace("title: ", "title: Edited "), path.basename(f));
  assert.equal(edited, f);
  const again = load(f, true);
  assert.match(again[0].title, /^Edited /);
  assert.deepEqual(again, load(f, false));
});

test("a kept error is the error: file, line, column and words", () => {
  const f = file("id: broken\ntitle: B\nlevel: MUST\nsteps:\n  - juliet sends: <message\n");
  process.env.XMPP_CONFORM_CACHE = "off";
  const fresh = error(f);
  delete process.env.XMPP_CONFORM_CACHE;
  assert.match(fresh, new RegExp(`^${f.replace(/[.\\]/g, "\\$&")}:\\d+:\\d+: `));
  assert.equal(error(f), fresh);
  assert.equal(error(f), fresh);
});
