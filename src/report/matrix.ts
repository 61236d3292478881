import path from "node:path";
import { sectionUrl } from "../specification/registry.ts";
import type { RunResult } from "../results/schema.ts";
import type { Shown } from "../results/verdicts.ts";
import type { Level } from "../scenario/types.ts";
import { compareSections, complianceRows } from "./compliance.ts";
import { describeTarget, serverLabel } from "./format.ts";
import { badge, esc, link, page, rowData, searchBox } from "./html-kit.ts";
import { mdText } from "./markdown.ts";

/** Several runs side by side (servers, or versions of one), one row per case or per requirement. */
export interface Matrix {
  by: "case" | "requirement";
  columns: { label: string; target: string }[];
  rows: MatrixRow[];
}

export interface MatrixRow {
  key: string;
  title: string;
  section: string;
  url: string;
  level: Level | null;
  /** One per column; undefined where that run has no such case or requirement. */
  cells: (Shown | undefined)[];
  /** The runs that have this row do not all agree. */
  differ: boolean;
}

/** Column labels: the server software, with the file name added where two would read the same. */
function labels(runs: { file: string; run: RunResult }[]): string[] {
  const base = runs.map(({ run }) => serverLabel(run));
  return base.map((b, i) => (base.indexOf(b) !== base.lastIndexOf(b) ? `${b} (${path.basename(path.dirname(path.resolve(runs[i].file)))}/${path.basename(runs[i].file)})` : b));
}

/** One run's rows (without cells) and its verdict for each. */
function entries(run: RunResult, by: Matrix["by"]): { row: Omit<MatrixRow, "cells" | "differ">; verdict: Shown }[] {
  if (by === "case") return run.cases.map((c) => ({ row: { key: c.id, title: c.title, section: c.rfc, url: sectionUrl(c.spec, c.rfc), level: c.level }, verdict: c.verdict }));
  return complianceRows(run).map((r) => ({ row: { key: r.id, title: r.text ?? "", section: r.section, url: r.url, level: r.level }, verdict: r.status }));
}

export function buildMatrix(runs: { file: string; run: RunResult }[], by: Matrix["by"]): Matrix {
  const rows = new Map<string, MatrixRow>();
  runs.forEach(({ run }, i) => {
    for (const { row, verdict } of entries(run, by)) {
      const merged = rows.get(row.key) ?? { ...row, cells: runs.map(() => undefined), differ: false };
      merged.cells[i] = verdict;
      rows.set(row.key, merged);
    }
  });
  for (const row of rows.values()) row.differ = new Set(row.cells.filter(Boolean)).size > 1;
  const ordered = [...rows.values()];
  if (by === "requirement") ordered.sort((a, b) => compareSections(a.section, b.section) || a.key.localeCompare(b.key));
  const names = labels(runs);
  return { by, columns: runs.map(({ run }, i) => ({ label: names[i], target: describeTarget(run) })), rows: ordered };
}

const differing = (m: Matrix) => m.rows.filter((r) => r.differ).length;

export function renderMatrixMarkdown(m: Matrix): string {
  const head = `| | ${m.by === "case" ? "Case" : "Requirement"} | Section | Level | ${m.columns.map((c) => mdText(c.label)).join(" | ")} |`;
  const rows = m.rows.map((r) => {
    // Markdown has no colours: rows where the servers disagree are marked and their verdicts bold.
    const cells = r.cells.map((v) => (v === undefined ? "–" : r.differ ? `**${v}**` : v));
    return `| ${r.differ ? "≠" : ""} | \`${r.key}\` | [§${r.section}](${r.url}) | ${r.level ?? "n/a"} | ${cells.join(" | ")} |`;
  });
  return [
    `### XMPP conformance matrix`,
    "",
    `${differing(m)} of ${m.rows.length} ${m.by === "case" ? "cases" : "requirements"} differ (marked ≠) between ${m.columns.map((c) => mdText(c.label)).join(", ")}.`,
    "",
    head,
    `|---|---|---|---|${m.columns.map(() => "---|").join("")}`,
    ...rows,
    "",
  ].join("\n");
}

export function renderMatrixHtml(m: Matrix): string {
  const what = m.by === "case" ? "cases" : "requirements";
  const rows = m.rows.map((r) => {
    const cells = r.cells.map((v) => `<td${r.differ ? ' class="differ"' : ""}>${v === undefined ? '<span class="muted">not run</span>' : badge(v)}</td>`).join("");
    const data = rowData({ differ: r.differ, text: `${r.key} ${r.title}` });
    return `<tr${data}><td><code>${esc(r.key)}</code><div class="req-text">${esc(r.title)}</div></td><td class="mono">${link(r.url, `§${r.section}`)}</td><td>${r.level ?? "n/a"}</td>${cells}</tr>`;
  });
  const body = `<h1>XMPP conformance matrix</h1>
<div class="meta">${m.columns.map((c) => `<span><b>${esc(c.label)}</b>: ${esc(c.target)}</span>`).join("")}</div>
<p><b>${differing(m)}</b> of ${m.rows.length} ${what} differ between the servers (highlighted).</p>
<div class="filters">
<label><input type="checkbox" data-filter="differ"> only where the servers disagree</label>
${searchBox(m.by === "case" ? "case id or title" : "requirement id or text")}
<span class="muted">(<span data-count-of="matrix">${rows.length}</span> of ${rows.length} shown)</span>
</div>
<table id="matrix"><thead><tr><th>${m.by === "case" ? "Case" : "Requirement"}</th><th>Section</th><th>Level</th>${m.columns.map((c) => `<th>${esc(c.label)}</th>`).join("")}</tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>`;
  return page("XMPP conformance matrix", body);
}
