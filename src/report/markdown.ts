import path from "node:path";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import type { RunResult } from "../results/schema.ts";
import { sectionRows } from "./compliance.ts";
import { worst } from "../results/verdicts.ts";
import { countVerdicts, describeConcurrency, describeProfile, describeTarget, specName, totals, totalsBySpec, VERDICTS } from "./format.ts";
import type { ReporterFactory } from "./types.ts";
import { mdText } from "./md-text.ts";
import { rerunCommand } from "../results/commands.ts";
import { complianceOf, describeStatus } from "./compliance-suites.ts";
import { fixFirst } from "./fix-first.ts";
import { recordedDiff } from "../results/diff.ts";
import { renderDiffMarkdown } from "./diff.ts";
import { describeStop } from "../results/stopped.ts";
import { acrossServers, variantRows } from "./variants.ts";

/**
 * summary.md, for a CI step summary or a pull-request comment: totals, what failed and why in one line,
 * a table per RFC section. Under GitHub Actions it is also appended to $GITHUB_STEP_SUMMARY.
 */
export const markdownReporter: ReporterFactory = ({ outDir }) => ({
  onEnd(run) {
    const md = renderMarkdown(run);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, "summary.md"), md);
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, md);
  },
});

export function renderMarkdown(run: RunResult): string {
  const counts = countVerdicts(run);
  // Compared with a baseline, the summary leads with what changed.
  const changes = recordedDiff(run);
  const lines = [
    ...(changes ? [renderDiffMarkdown(changes, run.baseline!.label, run).trimEnd(), ""] : []),
    `### XMPP conformance: ${mdText(describeTarget(run))}`,
    "",
    `**${totals(counts, run.profile !== undefined)
      .map((t) => t.text)
      .join(", ")}** of ${run.cases.length} cases in ${(run.durationMs / 1000).toFixed(1)} s, started ${run.startedAt} (${[
      `${run.tool.name} ${run.tool.version}`,
      describeProfile(run),
      describeConcurrency(run),
    ]
      .filter((x): x is string => x !== undefined)
      .map(mdText)
      .join(", ")})`,
  ];
  const bySpec = totalsBySpec(run);
  if (bySpec.length > 1) {
    const shownHere = VERDICTS.filter((v) => v === "pass" || v === "fail" || counts[v] > 0);
    lines.push("", `| Specification | Cases | ${shownHere.join(" | ")} |`, `|---|--:|${shownHere.map(() => "--:|").join("")}`);
    for (const s of bySpec) lines.push(`| ${specName(s.spec)} | ${s.cases} | ${shownHere.map((v) => s.counts[v] || "").join(" | ")} |`);
  }
  for (const note of run.notes ?? []) lines.push("", `> **Note:** ${mdText(note)}`);
  if (run.targetError) lines.push("", `> **The run could not start:** ${mdText(run.targetError)}`);
  if (run.interrupted)
    lines.push(
      "",
      `> **The run stopped early** (${mdText(run.stopped ? describeStop(run.stopped) : "interrupted")}): ${countVerdicts(run)["not-run"]} of ${run.cases.length} cases did not run, and nothing here is a verdict on them.`,
    );
  if (run.accounts.refused && !run.targetError) lines.push("", `> **The server stopped giving accounts:** ${mdText(run.accounts.refused)}`);
  if (run.accounts.notRemoved > 0)
    lines.push(
      "",
      `> **${run.accounts.notRemoved} of ${run.accounts.created} test accounts could not be removed** (\`xmpp-conform cleanup\` removes them): ${mdText((run.accounts.left ?? []).map((a) => a.jid).join(", "))}`,
    );

  const entries = fixFirst(run);
  if (entries.length > 0) {
    lines.push("", "#### What to fix first", "", "Failures and warnings by the requirement they break, MUST first; each with the rule's own words and the command that runs its cases again.", "");
    for (const e of entries) {
      const head = e.key === "profile" ? "**XPASS** cases the profile says fail, passing now" : e.key === "error" ? "**ERROR** cases that could not be judged" : `**${e.level}** \`${e.key}\``;
      const rule = e.rule ? ` ([${mdText(e.rule.where)}](${e.rule.url})): ${mdText(e.rule.words)}` : "";
      lines.push(`- ${head}${rule}`);
      for (const x of e.cases) lines.push(`  - \`${x.id}\` (${x.verdict}): ${mdText(x.why)}`);
      lines.push(
        `  - rerun: \`${rerunCommand(
          run,
          e.cases.map((x) => x.id),
        )}\``,
      );
    }
  }
  const deviations = run.cases.filter((c) => c.verdict === "xfail").length;
  if (deviations > 0)
    lines.push("", `${deviations} case${deviations === 1 ? "" : "s"} failed as the server's profile documents (xfail, ${mdText(describeProfile(run))}): known deviations, not new failures.`);
  const suites = complianceOf(run).suites.filter((x) => x.level === "server");
  if (!run.targetError && suites.some((x) => x.status !== "partial" && x.status !== "not covered")) {
    lines.push("", "#### Compliance suites (XEP-0479), Server level", "", "| suite | verdict |", "|---|---|");
    for (const x of suites) lines.push(`| ${x.name} | ${mdText(describeStatus(x))} |`);
    lines.push("", "compliance.md has every feature, and the Advanced Server level.");
  }

  const variants = variantRows(run);
  if (variants.length > 0) {
    const differing = variants.filter((v) => v.differ);
    lines.push(
      "",
      "#### Single server and across servers",
      "",
      `${variants.length} cases ran on ${mdText(run.target.domain)} alone and again with every account but the first on ${mdText(run.target.peer?.domain ?? "the second server")} (\`ID@cross\`); ${differing.length} went another way across servers${differing.length > 0 ? ":" : "."}`,
    );
    if (differing.length > 0) {
      lines.push("", `| Case | on one server | ${mdText(acrossServers(run))} |`, "|---|---|---|");
      for (const v of differing) lines.push(`| \`${v.id}\` | ${v.single.verdict} | **${v.cross.verdict}** |`);
    }
  }

  const sections = sectionRows(run);
  const shown = VERDICTS.filter((v) => v === "pass" || v === "fail" || counts[v] > 0);
  for (const spec of [...new Set(sections.map((s) => s.spec))]) {
    lines.push("", `#### By ${specName(spec)} section`, "", `| Section | Cases | ${shown.join(" | ")} | Worst |`, `|---|--:|${shown.map(() => "--:|").join("")}---|`);
    for (const s of sections.filter((x) => x.spec === spec)) {
      const verdicts = VERDICTS.filter((v) => s.counts[v] > 0);
      lines.push(`| [§${s.section}](${s.url}) | ${s.total} | ${shown.map((v) => s.counts[v] || "").join(" | ")} | ${worst(verdicts)} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}
