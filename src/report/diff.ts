import { sectionUrl, specName } from "../specification/registry.ts";
import { observed, type CaseChange, type RunDiff } from "../results/diff.ts";
import type { CaseResult, RunResult } from "../results/schema.ts";
import { describeTarget } from "./format.ts";
import { mdText } from "./md-text.ts";

/** The sections of a diff, worst news first. */
const SECTIONS: { key: Exclude<keyof RunDiff, "unchanged">; title: string }[] = [
  { key: "worse", title: "Got worse" },
  { key: "lost", title: "Lost (observed in the baseline, not now)" },
  { key: "better", title: "Got better" },
  { key: "changed", title: "Changed (neither better nor worse)" },
  { key: "appeared", title: "New cases" },
  { key: "disappeared", title: "Cases gone" },
];

/** "fail", or "xfail (fail)" where a profile changed the verdict. */
const shown = (c: CaseResult | undefined) => (!c ? "–" : c.verdict === observed(c) ? c.verdict : `${c.verdict} (${observed(c)})`);

export function diffHeadline(d: RunDiff): string {
  return `${d.worse.length} worse, ${d.lost.length} lost, ${d.better.length} better, ${d.changed.length} changed, ${d.appeared.length} new, ${d.disappeared.length} gone, ${d.unchanged} unchanged`;
}

const runLabel = (run: RunResult) => `${describeTarget(run)}, started ${run.startedAt}`;

/** Why the later run's case is not a pass, in one line. */
const why = (c: CaseResult | undefined, max = 160) => {
  const line = c?.reason && c.verdict !== "pass" ? c.reason.replace(/\s+/g, " ").trim() : "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** The level of what failed: the strongest failure's, else (a skip, a pass) the case's own. */
const levelOf = (c: CaseResult) => (c.failures.some((f) => f.level === "MUST") ? "MUST" : (c.failures[0]?.level ?? c.level));

/** For the console: one line per case that moved. */
export function renderDiffText(d: RunDiff, label: string, after: RunResult): string {
  const lines = [`compared with the baseline ${label}:`, `  ${diffHeadline(d)}`];
  for (const s of SECTIONS) {
    if (d[s.key].length === 0) continue;
    lines.push(`${s.title}:`);
    for (const ch of d[s.key]) lines.push(`  ${ch.id.padEnd(44)} ${ch.before ?? "–"} -> ${shown(ch.after)}${why(ch.after) && `  ${why(ch.after)}`}`);
  }
  lines.push(`this run: ${runLabel(after)}`);
  return `${lines.join("\n")}\n`;
}

/** For a pull-request comment or the step summary: a table per kind of change, the level of what failed in each row. */
export function renderDiffMarkdown(d: RunDiff, label: string, after: RunResult): string {
  const lines = ["### XMPP conformance: changes since the baseline", "", `**${diffHeadline(d)}**`, "", `Baseline: ${mdText(label)}. This run: ${mdText(runLabel(after))}.`];
  const row = (ch: CaseChange) => {
    const c = ch.after;
    if (!c) return `| \`${ch.id}\` | | | ${ch.before ?? "–"} | – | not in this run |`;
    return `| \`${c.id}\` | [${specName(c.spec)} §${c.rfc}](${sectionUrl(c.spec, c.rfc)}) | ${levelOf(c)} | ${ch.before ?? "–"} | **${shown(c)}** | ${mdText(why(c))} |`;
  };
  for (const s of SECTIONS) {
    if (d[s.key].length === 0) continue;
    lines.push("", `#### ${s.title}`, "", "| Case | Section | Level | Baseline | Now | Why |", "|---|---|---|---|---|---|");
    for (const ch of d[s.key]) lines.push(row(ch));
  }
  return `${lines.join("\n")}\n`;
}
