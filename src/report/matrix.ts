import { existsSync } from "node:fs";
import path from "node:path";
import { sectionUrl, specName, specs } from "../specification/registry.ts";
import type { RunResult, Verdict } from "../results/schema.ts";
import type { Shown } from "../results/verdicts.ts";
import type { Level } from "../scenario/types.ts";
import { complianceOf, describeDeviations, type FeatureStatus, type SuiteResult } from "./compliance-suites.ts";
import { compareSections, complianceRows } from "./compliance.ts";
import { countOf, describeTarget, serverLabel, totals } from "./format.ts";
import { badge, esc, link, page, rowData, searchBox } from "./html-kit.ts";
import { mdText } from "./md-text.ts";
import { oneLine } from "./fix-first.ts";

/**
 * Several runs side by side (servers at an interop event, or releases of one): a summary grid first (each
 * server's counts per specification and its state per compliance suite), then one row per case or per
 * requirement, the rows where the servers disagree first, each cell with its reason and a link into that
 * server's own report.
 */
export interface Matrix {
  by: "case" | "requirement";
  columns: { label: string; target: string; profiled: boolean; /** That server's report.html, relative to the matrix's folder, when it is beside its results. */ report?: string }[];
  summary: { specs: SummaryRow[]; suites: SummaryRow[] };
  rows: MatrixRow[];
}

/** One row of the summary grid: a specification (its verdict counts) or a compliance suite (its state), per server. */
export interface SummaryRow {
  key: string;
  label: string;
  /** One per column; undefined where that run has none of it. */
  cells: ({ text: string; short: string; tone: Verdict } | undefined)[];
}

export interface MatrixCell {
  verdict: Shown;
  /** Why, in one line, for every verdict but pass. */
  reason?: string;
}

export interface MatrixRow {
  key: string;
  title: string;
  section: string;
  url: string;
  level: Level | null;
  /** One per column; undefined where that run has no such case or requirement. */
  cells: (MatrixCell | undefined)[];
  /** The runs that have this row do not all agree. */
  differ: boolean;
}

/** Column labels: the server software, with the file name added where two would read the same. */
function labels(runs: { file: string; run: RunResult }[]): string[] {
  const base = runs.map(({ run }) => serverLabel(run));
  return base.map((b, i) => (base.indexOf(b) !== base.lastIndexOf(b) ? `${b} (${path.basename(path.dirname(path.resolve(runs[i].file)))}/${path.basename(runs[i].file)})` : b));
}

/** One run's rows (without cells) and its cell for each. */
function entries(run: RunResult, by: Matrix["by"]): { row: Omit<MatrixRow, "cells" | "differ">; cell: MatrixCell }[] {
  if (by === "case")
    return run.cases.map((c) => ({
      row: { key: c.id, title: c.title, section: c.rfc, url: sectionUrl(c.spec, c.rfc), level: c.level },
      cell: { verdict: c.verdict, ...(c.verdict !== "pass" && c.reason && { reason: oneLine(c.reason, 200) }) },
    }));
  return complianceRows(run).map((r) => ({ row: { key: r.id, title: r.text ?? "", section: r.section, url: r.url, level: r.level }, cell: { verdict: r.status } }));
}

const SUITE_TONE: Record<FeatureStatus, Verdict> = { conformant: "pass", deviations: "fail", "not implemented": "skip", "not covered": "not-run", "not judged": "not-run", partial: "not-run" };

/** A suite's state in a grid cell: short, with its figure. */
function suiteCell(s: SuiteResult): { text: string; short: string; tone: Verdict } {
  const text =
    s.status === "conformant"
      ? `conformant (${s.must.held}/${s.must.checked} MUST)`
      : s.status === "deviations"
        ? `${describeDeviations(s.deviations)} (${s.must.held}/${s.must.checked} MUST held)`
        : s.status;
  return { text, short: s.status === "deviations" ? `${s.deviations.length} deviations` : s.status, tone: SUITE_TONE[s.status] };
}

function summaryOf(runs: RunResult[]): Matrix["summary"] {
  const order = (id: string) => ((i) => (i < 0 ? Infinity : i))(specs().findIndex((s) => s.id === id));
  const specIds = [...new Set(runs.flatMap((r) => r.cases.map((c) => c.spec)))].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const specRows = specIds.map((spec) => ({
    key: spec,
    label: specName(spec),
    cells: runs.map((run) => {
      const verdicts = run.cases.filter((c) => c.spec === spec).map((c) => c.verdict);
      if (verdicts.length === 0) return undefined;
      const counts = countOf(verdicts);
      const tone: Verdict = counts.fail + counts.xpass + counts.error > 0 ? "fail" : counts.warn > 0 ? "warn" : counts.xfail > 0 ? "xfail" : counts.pass > 0 ? "pass" : "skip";
      return {
        text: totals(counts, run.profile !== undefined)
          .filter((t) => t.count > 0)
          .map((t) => t.text)
          .join(", "),
        short: (["pass", "fail", "warn", "error", "xfail", "xpass"] as const)
          .filter((v) => counts[v] > 0)
          .map((v) => `${counts[v]} ${v}`)
          .join(" "),
        tone,
      };
    }),
  }));
  const reports = runs.map((run) => complianceOf(run).suites.filter((s) => s.level === "server"));
  const suiteRows = reports[0].map((s, i) => ({ key: s.suite, label: `${s.name} (XEP-0479, Server)`, cells: reports.map((r) => suiteCell(r[i])) }));
  return { specs: specRows, suites: suiteRows };
}

/** Where a server's report.html is, seen from the matrix's folder: beside its results file, when it is there. */
function reportOf(file: string, outDir: string): string | undefined {
  const html = path.join(path.dirname(path.resolve(file)), "report.html");
  return existsSync(html) ? path.relative(path.resolve(outDir), html) : undefined;
}

export function buildMatrix(runs: { file: string; run: RunResult }[], by: Matrix["by"], outDir = "."): Matrix {
  const rows = new Map<string, MatrixRow>();
  runs.forEach(({ run }, i) => {
    for (const { row, cell } of entries(run, by)) {
      const merged = rows.get(row.key) ?? { ...row, cells: runs.map(() => undefined), differ: false };
      merged.cells[i] = cell;
      rows.set(row.key, merged);
    }
  });
  for (const row of rows.values()) row.differ = new Set(row.cells.filter(Boolean).map((c) => c!.verdict)).size > 1;
  const ordered = [...rows.values()];
  if (by === "requirement") ordered.sort((a, b) => compareSections(a.section, b.section) || a.key.localeCompare(b.key));
  // Where the servers disagree comes first, each group in its own order.
  ordered.sort((a, b) => Number(b.differ) - Number(a.differ));
  const names = labels(runs);
  return {
    by,
    columns: runs.map(({ file, run }, i) => ({ label: names[i], target: describeTarget(run), profiled: run.profile !== undefined, ...(reportOf(file, outDir) && { report: reportOf(file, outDir) }) })),
    summary: summaryOf(runs.map((r) => r.run)),
    rows: ordered,
  };
}

const differing = (m: Matrix) => m.rows.filter((r) => r.differ).length;

/** For a wiki: the summary grid, then every row, those where the servers disagree first (marked ≠). */
export function renderMatrixMarkdown(m: Matrix): string {
  const heads = m.columns.map((c) => (c.report ? `[${mdText(c.label)}](${c.report})` : mdText(c.label))).join(" | ");
  const grid = (title: string, rows: SummaryRow[]) =>
    rows.length === 0
      ? []
      : ["", `| ${title} | ${heads} |`, `|---|${m.columns.map(() => "---|").join("")}`, ...rows.map((r) => `| ${mdText(r.label)} | ${r.cells.map((c) => (c ? mdText(c.text) : "–")).join(" | ")} |`)];
  const rows = m.rows.map((r) => {
    // Markdown has no colours: rows where the servers disagree are marked, their verdicts bold with the reason.
    const cells = r.cells.map((c) => (c === undefined ? "–" : r.differ ? `**${c.verdict}**${c.reason ? ` ${mdText(oneLine(c.reason, 90))}` : ""}` : c.verdict));
    return `| ${r.differ ? "≠" : ""} | \`${r.key}\` | [§${r.section}](${r.url}) | ${r.level ?? "n/a"} | ${cells.join(" | ")} |`;
  });
  return [
    `### XMPP conformance matrix`,
    "",
    `${m.columns.map((c) => `**${mdText(c.label)}**: ${mdText(c.target)}`).join("; ")}.`,
    ...grid("Specification", m.summary.specs),
    ...grid("Compliance suite", m.summary.suites),
    "",
    `${differing(m)} of ${m.rows.length} ${m.by === "case" ? "cases" : "requirements"} differ (marked ≠, first) between ${m.columns.map((c) => mdText(c.label)).join(", ")}.`,
    "",
    `| | ${m.by === "case" ? "Case" : "Requirement"} | Section | Level | ${heads} |`,
    `|---|---|---|---|${m.columns.map(() => "---|").join("")}`,
    ...rows,
    "",
  ].join("\n");
}

/** For the terminal: the summary grid, then the rows where the servers disagree, under column headers. */
export function renderMatrixText(m: Matrix): string {
  const first = Math.max(24, ...m.summary.specs.map((r) => r.label.length), ...m.summary.suites.map((r) => r.label.length), ...m.rows.filter((r) => r.differ).map((r) => r.key.length)) + 2;
  const width = m.columns.map((c, i) => Math.max(c.label.length, ...[...m.summary.specs, ...m.summary.suites].map((r) => r.cells[i]?.short.length ?? 0)) + 2);
  const line = (label: string, cells: string[]) => `${label.padEnd(first)}${cells.map((c, i) => c.padEnd(width[i])).join("")}`.trimEnd();
  const heads = line(
    "",
    m.columns.map((c) => c.label),
  );
  const out = [heads];
  for (const r of [...m.summary.specs, ...m.summary.suites])
    out.push(
      line(
        r.label,
        r.cells.map((c) => (c ? c.short : "-")),
      ),
    );
  const differ = m.rows.filter((r) => r.differ);
  out.push("", `${differ.length} of ${m.rows.length} ${m.by === "case" ? "cases" : "requirements"} differ between ${m.columns.map((c) => c.label).join(", ")}`);
  if (differ.length > 0)
    out.push(
      line(
        m.by === "case" ? "case" : "requirement",
        m.columns.map((c) => c.label),
      ),
    );
  for (const r of differ)
    out.push(
      line(
        r.key,
        r.cells.map((c) => c?.verdict ?? "-"),
      ),
    );
  return `${out.join("\n")}\n`;
}

export function renderMatrixHtml(m: Matrix): string {
  const what = m.by === "case" ? "cases" : "requirements";
  const head = (c: Matrix["columns"][number]) => (c.report ? link(c.report, c.label) : esc(c.label));
  const grid = (title: string, rows: SummaryRow[]) =>
    rows.length === 0
      ? ""
      : `<table class="grid" style="width:auto"><thead><tr><th>${esc(title)}</th>${m.columns.map((c) => `<th>${head(c)}</th>`).join("")}</tr></thead><tbody>${rows
          .map(
            (r) => `<tr><td><b>${esc(r.label)}</b></td>${r.cells.map((c) => (c ? `<td><span class="badge v-${c.tone}">&nbsp;</span> ${esc(c.text)}</td>` : '<td class="muted">–</td>')).join("")}</tr>`,
          )
          .join("")}</tbody></table>`;
  const rows = m.rows.map((r) => {
    const cells = r.cells
      .map((c, i) => {
        if (c === undefined) return `<td${r.differ ? ' class="differ"' : ""}><span class="muted">not run</span></td>`;
        const report = m.by === "case" && m.columns[i].report;
        const shown = report ? `<a href="${esc(`${report}#case-${r.key}`)}">${badge(c.verdict)}</a>` : badge(c.verdict);
        return `<td${r.differ ? ' class="differ"' : ""}${c.reason ? ` title="${esc(c.reason)}"` : ""}>${shown}${c.reason && r.differ ? `<div class="req-text">${esc(oneLine(c.reason, 140))}</div>` : ""}</td>`;
      })
      .join("");
    const data = rowData({ differ: r.differ });
    return `<tr${data}><td><code>${esc(r.key)}</code><div class="req-text">${esc(r.title)}</div></td><td class="mono">${link(r.url, `§${r.section}`)}</td><td>${r.level ?? "n/a"}</td>${cells}</tr>`;
  });
  const body = `<h1>XMPP conformance matrix</h1>
<div class="meta">${m.columns.map((c) => `<span><b>${head(c)}</b>: ${esc(c.target)}</span>`).join("")}</div>
<h2>Summary</h2>
${grid("Specification", m.summary.specs)}
${grid("Compliance suite (XEP-0479, Server)", m.summary.suites)}
<h2>${m.by === "case" ? "Cases" : "Requirements"}</h2>
<p><b>${differing(m)}</b> of ${m.rows.length} ${what} differ between the servers (highlighted, first); a cell's reason shows on hover, and its badge links to that server's report.</p>
<div class="filters">
<label><input type="checkbox" data-filter="differ"> only where the servers disagree</label>
${searchBox(m.by === "case" ? "case id or title" : "requirement id or text")}
<span class="muted">(<span data-count-of="matrix">${rows.length}</span> of ${rows.length} shown)</span>
</div>
<table id="matrix"><thead><tr><th>${m.by === "case" ? "Case" : "Requirement"}</th><th>Section</th><th>Level</th>${m.columns.map((c) => `<th>${head(c)}</th>`).join("")}</tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>`;
  return page("XMPP conformance matrix", body);
}
