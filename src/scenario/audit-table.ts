import { findRequirement } from "../catalog/index.ts";
import type { ExpectStep, Scenario, Step } from "./types.ts";

/**
 * The assertion audit as a Markdown table (docs/assertion-audit.md, `npm run audit-table`): one row per step
 * that looks at what arrived, with what it asserts, at which level, for which requirements, and the RFC text
 * the case quotes for them. Matrix cells that share a step share its row.
 */
const oneLine = (xml: string) => xml.replace(/\s+/g, " ").replace(/> </g, "><").trim();
const cell = (s: string) => s.replace(/\|/g, "\\|");

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

function what(step: Step): { verb: string; patterns: string[] }[] {
  switch (step.kind) {
    case "receive": return [{ verb: step.mode === "one" ? "receives" : step.mode === "in-order" ? "receives in order (the order is asserted)" : "receives all of (any order)", patterns: step.patterns }];
    case "receive-one-of": return step.alternatives.map((a) => ({ verb: `receives one of: ${a.name}`, patterns: a.patterns }));
    case "also": return [{ verb: "and that stanza also", patterns: [step.pattern] }];
    case "receive-nothing": return [{ verb: "receives nothing", patterns: step.pattern ? [step.pattern] : ["(any stanza)"] }];
    case "one-of": return step.alternatives.flatMap((a) => a.steps.flatMap((st: ExpectStep) => what(st).map((w) => ({ verb: `one of ${a.name}: ${st.actor} ${w.verb}`, patterns: w.patterns }))));
    default: return [];
  }
}

export function auditTable(suite: Scenario[]): string {
  const rows = new Map<string, { cases: string[]; line: string }>();
  for (const sc of suite) {
    const doc = sc.id.split("/")[0];
    for (const step of sc.steps) {
      const found = what(step);
      if (found.length === 0) continue;
      const requirements = step.requirements ?? sc.requirements;
      const level = step.level ?? sc.level;
      const reqs = requirements.map((id) => {
        const r = findRequirement(id);
        return `${id}${r?.derived ? " (derived)" : ""}`;
      });
      const sections = requirements.flatMap((id) => findRequirement(id)?.sections ?? []);
      const quote = passage(sc.description ?? "", sections) ?? passage(sc.description ?? "", [sc.rfc]) ?? requirements.map((id) => findRequirement(id)?.text).filter(Boolean).join(" / ");
      const assertion = found.map((w) => `${w.verb}: ${w.patterns.map((p) => `\`${oneLine(p)}\``).join(", ")}`).join("<br>");
      const asserts = step.asserts ? `<br>asserts ${step.asserts.join(", ")} on purpose` : "";
      const key = `${step.pos.file}:${step.pos.line}`;
      const line = `| ${step.actor} (line ${step.pos.line}) | ${cell(assertion)}${asserts} | ${level} | ${cell(reqs.join(", "))} | ${cell(quote)} |`;
      const row = rows.get(key);
      if (row) {
        if (!row.cases.includes(doc)) row.cases.push(doc);
      } else rows.set(key, { cases: [doc], line });
    }
  }
  const out = ["| case | step | assertion | level | requirements | the rule, as the case quotes it |", "| --- | --- | --- | --- | --- | --- |"];
  let last = "";
  for (const { cases, line } of rows.values()) {
    const name = cases.join(", ");
    out.push(`| ${name === last ? "" : `\`${name}\``} ${line}`);
    last = name;
  }
  return `${out.join("\n")}\n`;
}
