import { findRequirement } from "../catalog/index.ts";
import type { CaseResult, RunResult, StepFailure, Verdict } from "../results/schema.ts";
import { needsAttention } from "../results/verdicts.ts";
import { knownFailure } from "../results/diff.ts";
import type { Level } from "../scenario/types.ts";
import { sectionUrl, specName } from "../specification/registry.ts";

/** A requirement as its catalog quotes it: the words every failure shows. */
export interface Rule {
  id: string;
  level: Level | null;
  /** "RFC 6120 §6.4.5" */
  where: string;
  url: string;
  /** The specification's own words, as the catalog's Quote column gives them: what every failure shows. */
  words: string;
  /** The catalog's one line for people (a paraphrase, never shown as a quote). */
  summary: string;
  derived: boolean;
}

export function ruleOf(id: string): Rule | undefined {
  const r = findRequirement(id);
  if (!r) return undefined;
  return {
    id: r.id,
    level: r.level,
    where: `${specName(r.statedIn)} §${r.section}`,
    url: sectionUrl(r.statedIn, r.section),
    words: wordsOf(r.quote ?? r.text, r.section),
    summary: r.text,
    derived: Boolean(r.derived),
  };
}

/**
 * The Quote column as a reader wants it after "RFC 6121 §4.2.2 MUST:": a leading "§4.2.2:" that repeats the
 * section is dropped; a quote without quotation marks of its own (a few rows quote a table) gets them.
 */
function wordsOf(quote: string, section: string): string {
  const own = quote.replace(new RegExp(`^§${section.replace(/\./g, "\\.")}:\\s*`), "").trim();
  return /^["“]/.test(own) || /^§/.test(own) ? own : `“${own}”`;
}

/** The rules a failure cites, each once, as 'RFC 6120 §6.4.5 MUST: "…"' (a derived one says so). */
export const quoteRule = (rule: Rule) => `${rule.where}${rule.level ? ` ${rule.level}` : ""}${rule.derived ? " (derived)" : ""}: ${rule.words}`;

/** The rules a case's failures cite, each once, in order. */
export const rulesOf = (c: Pick<CaseResult, "failures">): Rule[] => [...new Set(c.failures.flatMap((f) => f.requirements))].flatMap((id) => ruleOf(id) ?? []);

/** Why a step failed, in one line: the refusal, the first difference of the closest answer, or what did not come. */
export function shortWhy(f: StepFailure): string {
  if (f.refusal) return `the server refused it: ${f.refusal.condition || "an error without a defined condition"}`;
  if (f.outOfOrder) return "every stanza came, in another order";
  if (f.unanswered) return "the request was never answered (no result, no error)";
  const answer = f.closest.find((s) => !s.early && s.problems.length > 0);
  if (answer) return `got ${oneLine(answer.xml, 90)}: ${answer.problems[0]}`;
  if (f.closest.some((s) => !s.early)) return oneLine(f.message, 160);
  return f.decidedBy === "barrier" ? "nothing came (a barrier proved it is not coming)" : f.decidedBy === "timeout" ? "nothing came before the timeout" : oneLine(f.message, 160);
}

export const oneLine = (s: string, max = 200) => {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** One entry of "what to fix first": a requirement broken (or a kind of problem), with the cases that show it. */
export interface FixEntry {
  /** A requirement ID; "profile" for cases the profile no longer describes; "error" for cases that could not be judged. */
  key: string;
  level: Level | "profile" | "error";
  rule?: Rule;
  cases: { id: string; verdict: Verdict; why: string }[];
}

const ORDER = ["MUST", "SHOULD", "MAY", "profile", "error"];

/**
 * Failures and warnings (those that got worse, compared with a baseline) grouped by requirement, MUST first, then the cases a profile no longer describes
 * (xpass) and those that could not be judged (error); within a level, the requirements most cases break first.
 */
export function fixFirst(run: Pick<RunResult, "cases">): FixEntry[] {
  const entries = new Map<string, FixEntry>();
  const add = (key: string, level: FixEntry["level"], c: CaseResult, why: string) => {
    const entry = entries.get(key) ?? { key, level, ...(level !== "profile" && level !== "error" && ruleOf(key) && { rule: ruleOf(key)! }), cases: [] };
    if (!entry.cases.some((x) => x.id === c.id)) entry.cases.push({ id: c.id, verdict: c.verdict, why });
    entries.set(key, entry);
  };
  // Compared with a baseline, what the baseline already had is not news.
  for (const c of run.cases.filter((x) => needsAttention(x.verdict) && !knownFailure(x))) {
    if (c.verdict === "xpass") add("profile", "profile", c, `passes now: ${c.deviation?.source ?? "its profile entry"} is out of date`);
    else if (c.verdict === "error" || c.failures.length === 0) add("error", "error", c, oneLine(c.reason ?? c.verdict, 160));
    else for (const f of c.failures) for (const id of f.requirements) add(id, f.level, c, shortWhy(f));
  }
  return [...entries.values()].sort((a, b) => ORDER.indexOf(a.level) - ORDER.indexOf(b.level) || b.cases.length - a.cases.length || a.key.localeCompare(b.key));
}
