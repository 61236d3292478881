import { readdirSync } from "node:fs";
import path from "node:path";
import { run } from "node:test";
import { tap } from "node:test/reporters";

/**
 * `npm test`: every test file, two at a time, slowest first. `node --test` sorts its files by path, so a file of
 * several minutes whose name sorts last ran alone at the end while the other slot idled; started first, the two
 * slots end together. The order is by the minutes each file took on the 2-core CI machine (docs/design.md); files
 * not listed follow in path order. Arguments name files to run instead of all (the same order applies). At the
 * end the files' wall times are printed, slowest first, so the whole run can be kept under CI's limit.
 */
const SLOWEST_FIRST = [
  "verdicts-prosody",
  "verdicts-ejabberd",
  "bosh",
  "login",
  "mobile",
  "cross-domain",
  "component",
  "accounts",
  "releases",
  "stops",
  "upload",
  "xep-families",
  "connections",
  "federation",
  "run",
  "websocket",
  "gate",
];

const here = path.dirname(new URL(import.meta.url).pathname);
const all = [...readdirSync(here).map((f) => path.join(here, f)), ...readdirSync(path.join(here, "fast")).map((f) => path.join(here, "fast", f))].filter((f) => f.endsWith(".test.ts"));
const chosen = process.argv.length > 2 ? process.argv.slice(2).map((f) => path.resolve(f)) : all;
const rank = (file: string) => {
  const i = SLOWEST_FIRST.indexOf(path.basename(file, ".test.ts"));
  return i < 0 ? SLOWEST_FIRST.length : i;
};
const files = [...chosen].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

/**
 * Each file's wall time, hooks included (a server's start and stop): from its dequeue (its process starts) to its
 * completion. Both events name the file itself as the test (the file's own tests are enqueued under their names).
 */
const began = new Map<string, number>();
const took = new Map<string, number>();
const started = Date.now();
const stream = run({ files, concurrency: 2 });
const fileOf = (data: { file?: string; name?: string }) => (data.file && data.name === data.file ? data.file : undefined);
stream.on("test:dequeue", (data) => {
  const file = fileOf(data);
  if (file) began.set(file, Date.now());
});
stream.on("test:complete", (data) => {
  const file = fileOf(data);
  if (file && began.has(file)) took.set(file, Date.now() - began.get(file)!);
});
stream.on("test:fail", () => {
  process.exitCode = 1;
});
stream.on("end", () => {
  const minutes = (ms: number) => (ms / 60000).toFixed(1);
  const rows = [...took].map(([f, ms]) => [path.relative(here, f), ms] as const).sort((a, b) => b[1] - a[1]);
  console.error(`# files by wall time (minutes, two at a time; ${minutes(Date.now() - started)} in all):`);
  for (const [f, ms] of rows.filter(([, ms]) => ms >= 10000)) console.error(`#   ${minutes(ms).padStart(5)}  ${f}`);
});
stream.compose(tap).pipe(process.stdout);
