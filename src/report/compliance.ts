import { findRequirement, rfcUrl } from "../catalog/index.ts";
import type { CaseResult, RunResult, Verdict } from "../results/types.ts";
import type { Level } from "../scenario/types.ts";
import { countOf } from "./format.ts";

/** Worst first: what a requirement shows when its cases disagree. */
const SEVERITY: Verdict[] = ["fail", "xpass", "error", "warn", "xfail", "skip", "pass"];

export const worst = (verdicts: Verdict[]): Verdict => SEVERITY.find((v) => verdicts.includes(v)) ?? "pass";

/** "2.10" after "2.9", appendices (A.2.1) after the numbered sections. */
export function compareSections(a: string, b: string): number {
  const pa = a.split(".");
  const pb = b.split(".");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined || pb[i] === undefined) return pa.length - pb.length;
    const d = /^\d+$/.test(pa[i]) && /^\d+$/.test(pb[i]) ? Number(pa[i]) - Number(pb[i]) : pa[i].localeCompare(pb[i]);
    if (d !== 0) return d;
  }
  return 0;
}

/** The requirement IDs a case result cites: its own, and those of the steps that recorded a failure. */
export const citedBy = (c: CaseResult): string[] => [...new Set([...c.requirements, ...c.failures.flatMap((f) => f.requirements)])];

export interface RequirementRow {
  id: string;
  /** From the catalog; for an ID the catalog does not know, the section and level of the first case citing it. */
  rfc: string;
  section: string;
  url: string;
  level: Level | null;
  /** The catalog's text; absent for an ID the catalog lacks. */
  text?: string;
  cases: { id: string; verdict: Verdict }[];
  /** The worst verdict of the cases that cite it. */
  status: Verdict;
}

/** One row per cited requirement, in RFC section order: the compliance table. */
export function complianceRows(run: RunResult): RequirementRow[] {
  const rows = new Map<string, RequirementRow>();
  for (const c of run.cases) {
    for (const id of citedBy(c)) {
      let row = rows.get(id);
      if (!row) {
        const req = findRequirement(id);
        const [rfc, section] = req ? [req.rfc, req.section] : ["6121", c.rfc];
        row = { id, rfc, section, url: rfcUrl(section, rfc), level: req ? req.level : c.level, text: req?.text, cases: [], status: "pass" };
        rows.set(id, row);
      }
      row.cases.push({ id: c.id, verdict: c.verdict });
    }
  }
  for (const row of rows.values()) row.status = worst(row.cases.map((c) => c.verdict));
  return [...rows.values()].sort((a, b) => compareSections(a.section, b.section) || a.id.localeCompare(b.id));
}

export interface SectionRow {
  section: string;
  url: string;
  counts: Record<Verdict, number>;
  total: number;
}

/** Cases per RFC section (the case's own section), with their verdicts counted. */
export function sectionRows(run: RunResult): SectionRow[] {
  const sections = [...new Set(run.cases.map((c) => c.rfc))].sort(compareSections);
  return sections.map((section) => {
    const verdicts = run.cases.filter((c) => c.rfc === section).map((c) => c.verdict);
    return { section, url: rfcUrl(section), counts: countOf(verdicts), total: verdicts.length };
  });
}
