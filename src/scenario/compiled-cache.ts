import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT as ROOT } from "../suite-files.ts";
import { catalogSpecs, onRegister, specFile, specs } from "../specification/registry.ts";
import { ScenarioError } from "./error.ts";
import type { Scenario } from "./types.ts";

/**
 * Compiled scenario files kept on disk (node_modules/.cache/xmpp-conform), so that a command loading the whole
 * suite compiles only the files that changed: compiling is seconds, reading a kept file milliseconds. An entry
 * holds only for the same file path and text, the same harness sources, locked dependencies and registered
 * specifications with their catalogs; anything else compiles again, and so does a process whose sources changed
 * after it started (it runs the older code). Best effort: a cache that cannot be read or written is no cache.
 * XMPP_CONFORM_CACHE=off turns it off.
 */
const DIR = path.join(ROOT, "node_modules", ".cache", "xmpp-conform", "scenarios");
const FORMAT = 1;

type Entry = { key: string; scenarios: Scenario[] } | { key: string; error: { pos: ScenarioError["pos"]; detail: string } };

let fingerprint: string | undefined;
/** A source changed after this process started: the code it runs may be older than the files the key hashes. */
let sourcesNewer = false;
onRegister(() => (fingerprint = undefined));

/** What every compiled file depends on besides its own text. */
function harnessFingerprint(): string {
  if (fingerprint) return fingerprint;
  const h = createHash("sha256").update(`format ${FORMAT}\n`);
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) {
        h.update(`${path.relative(ROOT, p)}\n`).update(readFileSync(p));
        sourcesNewer ||= statSync(p).mtimeMs > performance.timeOrigin;
      }
    }
  };
  walk(path.join(ROOT, "src"));
  for (const f of ["package-lock.json", "package.json"].map((n) => path.join(ROOT, n)).filter((f) => existsSync(f))) h.update(readFileSync(f));
  h.update(JSON.stringify(specs()));
  for (const s of catalogSpecs()) h.update(`${s.id}\n`).update(readFileSync(specFile(s.catalog!)));
  return (fingerprint = h.digest("hex"));
}

const off = () => process.env.XMPP_CONFORM_CACHE === "off";

function read(file: string, key: string): Entry | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, "utf8")) as Entry;
    return entry.key === key ? entry : undefined;
  } catch {
    return undefined;
  }
}

function write(file: string, entry: Entry): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    // Another process may be writing the same entry: each writes its own file and renames it into place.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, file);
  } catch {
    // A read-only install, a full disk: the next load compiles again.
  }
}

/** The scenarios `compile` makes of `file` with this text, kept from an earlier compilation where it holds. */
export function compiledOnce(file: string, text: string, compile: () => Scenario[]): Scenario[] {
  if (off()) return compile();
  const harness = harnessFingerprint();
  // Kept under the new sources' key, this process's compilation would be taken for theirs.
  if (sourcesNewer) return compile();
  const abs = path.resolve(file);
  const key = createHash("sha256").update(harness).update(`\n${file}\n`).update(text).digest("hex");
  const at = path.join(DIR, `${createHash("sha256").update(abs).digest("hex").slice(0, 32)}.json`);
  const kept = read(at, key);
  if (kept) {
    if ("error" in kept) throw new ScenarioError(kept.error.pos, kept.error.detail);
    return kept.scenarios;
  }
  try {
    const scenarios = compile();
    write(at, { key, scenarios });
    return scenarios;
  } catch (err) {
    if (err instanceof ScenarioError) write(at, { key, error: { pos: err.pos, detail: err.detail } });
    throw err;
  }
}
