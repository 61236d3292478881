import { catalogs, findRequirement } from "../catalog/index.ts";
import { specName } from "../specification/registry.ts";
import { auditOfCase, type AuditEntry, type AuditLog } from "./audit-log.ts";
import { auditOf } from "./kinds.ts";
import type { Scenario } from "./types.ts";

/**
 * The assertion audit as Markdown (docs/assertion-audit.md, `npm run audit-table`), per specification: what
 * the audit against the text changed in the catalog's rows, then one row per step that looks at what arrived,
 * with what it asserts, at which level, for which requirements (derived ones marked), the rule as the case
 * quotes it, and on each case's first row what the audit found and changed (spec/audit/). Matrix cells that
 * share a step share its row.
 */
const oneLine = (xml: string) => xml.replace(/\s+/g, " ").replace(/> </g, "><").trim();
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();

/** The passage of the description that quotes the rule: from its first "§<section>" (exact), one or two sentences. */
function passage(description: string, sections: string[]): string | undefined {
  for (const section of sections) {
    const at = new RegExp(`§${section.replace(/\./g, "\\.")}(?![\\d.]*\\d)`).exec(description);
    if (!at) continue;
    const text = description.slice(at.index).replace(/\s+/g, " ");
    // the end of a sentence, not of an enumeration ("1. If ...")
    const end = text.slice(0, 420).search(/[.!?]"(?=\s|$)|(?<!\d)[.!?](?=\s[A-Z§])/);
    return end > 0 ? text.slice(0, end + 2).trim() : `${text.slice(0, 300).trim()} [...]`;
  }
  return undefined;
}

/** What the audit says of a case or row, in one cell. */
const finding = (e: AuditEntry | undefined) => (e ? cell(`${e.found.join(", ")}${e.change ? `: ${e.change}` : ""}${e.verdicts ? ` Verdicts: ${e.verdicts}` : ""}`) : "");

/** The steps table of one specification's cases. */
function stepsTable(suite: Scenario[], audit: AuditLog): string[] {
  const rows = new Map<string, { cases: string[]; line: string; doc: string; cell?: Record<string, string> }>();
  for (const sc of suite) {
    const doc = sc.id.split("/")[0];
    for (const step of sc.steps) {
      const found = auditOf(step);
      if (found.length === 0) continue;
      const proofs = [...step.plan.proves, ...(step.plan.alternatives ?? []).flatMap((a) => a.proves)].filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i);
      const requirements = proofs.map((p) => p.id);
      // Each requirement at the level its failure is worth there (the plan's), the step's when they agree.
      const levels = [...new Set(proofs.map((p) => p.level))];
      const level = levels.length === 1 ? levels[0] : levels.length === 0 ? (step.level ?? sc.level) : proofs.map((p) => `${p.id} ${p.level}`).join(", ");
      const reqs = step.plan.role === "setup" ? ["(set-up: proves nothing)"] : requirements.map((id) => `${id}${findRequirement(id)?.derived ? " (derived)" : ""}`);
      const sections = requirements.flatMap((id) => findRequirement(id)?.sections ?? []);
      const quote =
        passage(sc.description ?? "", sections) ??
        passage(sc.description ?? "", [sc.rfc]) ??
        requirements
          .map((id) => findRequirement(id)?.text)
          .filter(Boolean)
          .join(" / ");
      const assertion = found.map((w) => `${w.verb}: ${w.patterns.map((p) => `\`${oneLine(p)}\``).join(", ")}`).join("<br>");
      const asserts = step.asserts ? `<br>asserts ${step.asserts.join(", ")} on purpose` : "";
      const key = `${step.pos.file}:${step.pos.line}:${step.pos.col}`;
      const line = `${step.actor} (line ${step.pos.line}) | ${cell(assertion)}${asserts} | ${level} | ${cell(reqs.join(", "))} | ${cell(quote)}`;
      const row = rows.get(key);
      if (row) {
        if (!row.cases.includes(doc)) row.cases.push(doc);
      } else rows.set(key, { cases: [doc], line, doc, ...(sc.cell && { cell: sc.cell }) });
    }
  }
  const out = ["| case | step | assertion | level | requirements | the rule, as the case quotes it | what the audit found and changed |", "| --- | --- | --- | --- | --- | --- | --- |"];
  let last = "";
  for (const { cases, line, doc, cell: values } of rows.values()) {
    const name = cases.join(", ");
    const first = name !== last;
    out.push(`| ${first ? `\`${name}\`` : ""} | ${line} | ${first ? finding(auditOfCase(audit, doc, values)) : ""} |`);
    last = name;
  }
  return out;
}

/** The catalog rows of one specification the audit changed, with what it found. */
function rowsTable(spec: string, audit: AuditLog): string[] {
  const rows = (catalogs().get(spec)?.requirements ?? []).filter((r) => !r.cellOf && audit.rows.has(r.id) && !audit.rows.get(r.id)!.found.includes("justified"));
  if (rows.length === 0) return [];
  return [
    `Catalog rows the audit changed (${rows.length}; the others were found right):`,
    "",
    "| row | level now | what the audit found and changed |",
    "| --- | --- | --- |",
    ...rows.map((r) => `| ${r.id} | ${r.level ?? "n/a"}${r.derived ? " (derived)" : ""} | ${finding(audit.rows.get(r.id))} |`),
    "",
  ];
}

export function auditTable(suite: Scenario[], audit: AuditLog): string {
  const out = [
    "| area | catalog rows audited | changed | cases audited | changed |",
    "| --- | --- | --- | --- | --- |",
    ...audit.areas.map((a) => `| ${a.area} | ${a.rows} | ${a.rowsChanged} | ${a.cases} | ${a.casesChanged} |`),
    "",
  ];
  const ids = [...new Set([...catalogs().keys(), ...suite.map((s) => s.spec)])];
  for (const spec of ids) {
    const cases = suite.filter((s) => s.spec === spec);
    out.push(`## ${specName(spec)}`, "", ...rowsTable(spec, audit));
    if (cases.length > 0) out.push(`Every step of the ${specName(spec)} cases that looks at what arrived:`, "", ...stepsTable(cases, audit), "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
