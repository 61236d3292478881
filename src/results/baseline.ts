import { readFileSync } from "node:fs";
import { z } from "zod";
import { readResults } from "./read.ts";
import { Verdict, type CaseResult, type RunResult } from "./schema.ts";

/**
 * A baseline made for version control: what the server did in each case (the verdict without a profile) and
 * the worst each requirement showed, sorted, one line each, with nothing that changes from run to run (no
 * times, ids, transcripts). `baseline accept` writes it; a full results file is read as one too.
 */
export const BASELINE_VERSION = 1;

const Shown = z.union([Verdict, z.literal("not-reached")]);

export const BaselineFile = z.strictObject({
  baseline: z.literal(BASELINE_VERSION).describe("the format's version"),
  server: z.string().describe("what the baseline was taken on: software and version, or the target's name"),
  cases: z.record(z.string(), Verdict).describe("case id: the verdict without a profile (xfail as the fail or warn it stands for)"),
  requirements: z.record(z.string(), Shown).optional().describe("requirement ID: the worst any case showed of it"),
});
export type BaselineFile = z.infer<typeof BaselineFile>;

/** A baseline as the gate reads it: where it came from, and each case's observed verdict. */
export interface Baseline {
  label: string;
  cases: ReadonlyMap<string, Verdict>;
}

/** The verdict without the profile: what the server did. */
export const observed = (c: Pick<CaseResult, "verdict" | "deviation">): Verdict => c.deviation?.verdict ?? (c.verdict === "xpass" ? "pass" : c.verdict);

const SHOWN_ORDER = ["fail", "error", "warn", "pass", "skip", "not-run", "not-reached", "xfail", "xpass"];

/** The slim file of a run: sorted by id, so that an accepted change is a few lines of diff. */
export function slimBaseline(run: RunResult): BaselineFile {
  const cases = Object.fromEntries(run.cases.map((c) => [c.id, observed(c)] as const).sort(([a], [b]) => a.localeCompare(b)));
  const worst = new Map<string, string>();
  for (const c of run.cases)
    for (const r of c.requirementResults ?? []) {
      const v = r.verdict === "xfail" ? (c.deviation?.verdict ?? "fail") : r.verdict === "xpass" ? "pass" : r.verdict;
      const old = worst.get(r.id);
      if (old === undefined || SHOWN_ORDER.indexOf(v) < SHOWN_ORDER.indexOf(old)) worst.set(r.id, v);
    }
  const requirements = Object.fromEntries([...worst].sort(([a], [b]) => a.localeCompare(b))) as BaselineFile["requirements"];
  const server = run.target.software ? `${run.target.software.name} ${run.target.software.version}` : run.target.name;
  return { baseline: BASELINE_VERSION, server, cases, requirements };
}

export const renderBaseline = (b: BaselineFile) => `${JSON.stringify(b, null, 2)}\n`;

/** A baseline from a slim file or from any results file (results.json, jsonl) an earlier release wrote. */
export function readBaseline(file: string): Baseline {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    json = undefined;
  }
  if (json && typeof json === "object" && "baseline" in json) {
    const parsed = BaselineFile.safeParse(json);
    if (!parsed.success) throw new Error(`${file}: not a baseline file: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
    return { label: `${file} (${parsed.data.server})`, cases: new Map(Object.entries(parsed.data.cases)) };
  }
  const run = readResults(file);
  const server = run.target.software ? `${run.target.software.name} ${run.target.software.version}` : run.target.name;
  return { label: `${file} (${server}, started ${run.startedAt})`, cases: new Map(run.cases.map((c) => [c.id, observed(c)])) };
}
