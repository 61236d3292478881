import { findRequirement } from "../catalog/index.ts";
import { sectionUrl } from "../specification/registry.ts";
import type { CaseResult, RunResult } from "../results/schema.ts";
import { worstShown, type Shown } from "../results/verdicts.ts";
import type { Level } from "../scenario/types.ts";
import { countOf } from "./format.ts";

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

/** The requirement IDs a case result cites: its own, those its steps checked, and those of the steps that recorded a failure. */
export const citedBy = (c: CaseResult): string[] => [...new Set([...c.requirements, ...(c.requirementResults ?? []).map((q) => q.id), ...c.failures.flatMap((f) => f.requirements)])];

/** What one case showed of one requirement: its own verdict for it, else (a case that never ran its steps) the case's. */
export function shownBy(c: CaseResult, id: string): Shown {
  return c.requirementResults?.find((q) => q.id === id)?.verdict ?? (c.requirementResults ? "not-reached" : c.verdict);
}

export interface RequirementRow {
  id: string;
  /** From the catalog: the specification that states it and the section; for an ID no catalog knows, the first citing case's. */
  statedIn: string;
  section: string;
  url: string;
  level: Level | null;
  /** The catalog's text; absent for an ID the catalog lacks. */
  text?: string;
  /** Implied by the RFC rather than stated in one sentence (the catalog says so). */
  derived?: boolean;
  cases: { id: string; verdict: Shown }[];
  /** The worst of what the cases showed of it: failed only where a step checking it failed. */
  status: Shown;
}

/** One row per cited requirement, in RFC section order: the compliance table. */
export function complianceRows(run: RunResult): RequirementRow[] {
  const rows = new Map<string, RequirementRow>();
  for (const c of run.cases) {
    for (const id of citedBy(c)) {
      let row = rows.get(id);
      if (!row) {
        const req = findRequirement(id);
        const [statedIn, section] = req ? [req.statedIn, req.section] : [c.spec, c.rfc];
        row = { id, statedIn, section, url: sectionUrl(statedIn, section), level: req ? req.level : c.level, text: req?.text, ...(req?.derived && { derived: true }), cases: [], status: "pass" };
        rows.set(id, row);
      }
      row.cases.push({ id: c.id, verdict: shownBy(c, id) });
    }
  }
  for (const row of rows.values()) row.status = worstShown(row.cases.map((c) => c.verdict));
  return [...rows.values()].sort((a, b) => a.statedIn.localeCompare(b.statedIn) || compareSections(a.section, b.section) || a.id.localeCompare(b.id));
}

export interface SectionRow {
  spec: string;
  section: string;
  url: string;
  counts: ReturnType<typeof countOf>;
  total: number;
}

/** Cases per specification and section (the case's own), with their verdicts counted. */
export function sectionRows(run: RunResult): SectionRow[] {
  const keys = [...new Set(run.cases.map((c) => `${c.spec} ${c.rfc}`))].map((k) => k.split(" ") as [string, string]);
  keys.sort(([sa, a], [sb, b]) => sa.localeCompare(sb) || compareSections(a, b));
  return keys.map(([spec, section]) => {
    const verdicts = run.cases.filter((c) => c.spec === spec && c.rfc === section).map((c) => c.verdict);
    return { spec, section, url: sectionUrl(spec, section), counts: countOf(verdicts), total: verdicts.length };
  });
}
