import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { findRequirement } from "../catalog/index.ts";
import { sectionUrl } from "../specification/registry.ts";
import { complianceOf, LEVEL_NAMES, type SuiteLevel } from "./compliance-suites.ts";
import type { CaseResult, Deviation, RunResult, StepFailure, TranscriptEntry } from "../results/schema.ts";
import { citedBy, compareSections, complianceRows, type RequirementRow } from "./compliance.ts";
import { countOf, countVerdicts, describeConcurrency, describeProfile, describeTarget, serverLabel, specLabel, specName, totals, totalsBySpec, VERDICTS } from "./format.ts";
import { badge, esc, link, page, rowData, searchBox, select } from "./html-kit.ts";
import type { ReporterFactory } from "./types.ts";
import { describeStop } from "../results/stopped.ts";
import { acrossServers, variantRows } from "./variants.ts";
import { prettyXml } from "./xml-pretty.ts";

/** report.html: one self-contained page (no network at view time) for people reviewing a server. */
export const htmlReporter: ReporterFactory = ({ outDir }) => ({
  onEnd(run) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, "report.html"), renderHtml(run));
  },
});

export function renderHtml(run: RunResult): string {
  const requirements = complianceRows(run);
  const body = [header(run), overview(run, requirements), suitesTable(run), variantTable(run), filterBar(run, requirements), complianceTable(requirements, run), caseList(run)].join("\n");
  return page(`XMPP conformance: ${serverLabel(run)}`, body);
}

function header(run: RunResult): string {
  const options = Object.entries(run.options).map(([k, v]) => `<span class="chip">${esc(k)}=${esc(JSON.stringify(v))}</span>`);
  const concurrency = describeConcurrency(run);
  const banners = [
    run.targetError && `<div class="banner"><b>The run could not start:</b> ${esc(run.targetError)}</div>`,
    run.interrupted &&
      `<div class="banner"><b>The run stopped early</b> (${esc(run.stopped ? describeStop(run.stopped) : "interrupted")}): the cases it had not run are counted as not run, and the suites get no verdict.</div>`,
    !run.targetError && run.accounts.refused && `<div class="banner"><b>The server stopped giving accounts:</b> ${esc(run.accounts.refused)}</div>`,
    run.accounts.notRemoved > 0 &&
      `<div class="banner">${run.accounts.notRemoved} of ${run.accounts.created} test accounts could not be removed (<code>xmpp-conform cleanup</code> removes them): ${esc((run.accounts.left ?? []).map((a) => `${a.jid} (${a.reason})`).join("; "))}</div>`,
    ...(run.notes ?? []).map((n) => `<div class="banner note"><b>Note:</b> ${esc(n)}</div>`),
  ];
  return `<h1>XMPP conformance: ${esc(serverLabel(run))}</h1>
<div class="meta"><span>${esc(describeTarget(run))}</span><span>${esc(describeProfile(run))}</span><span>started ${esc(run.startedAt)}</span><span>${(run.durationMs / 1000).toFixed(1)} s</span><span>${esc(`${run.tool.name} ${run.tool.version}`)}</span></div>
<div class="meta">options ${options.join("")}${concurrency ? `<span>${esc(concurrency)}</span>` : ""}</div>
${banners.filter(Boolean).join("\n")}
${serverInfo(run)}`;
}

/** What the server said about itself, folded away: identity, version, disco#info and stream features. */
function serverInfo(run: RunResult): string {
  const s = run.target.server;
  if (!s) return "";
  const chips = (xs: string[]) => xs.map((x) => `<span class="chip">${esc(x)}</span>`).join("") || '<span class="muted">none</span>';
  const rows: [string, string][] = [
    ["identity", s.identity ? esc(`${s.identity.category}/${s.identity.type}${s.identity.name ? ` (${s.identity.name})` : ""}`) : '<span class="muted">none</span>'],
    ["software version", s.version ? esc(`${s.version.name} ${s.version.version}${s.version.os ? ` on ${s.version.os}` : ""}`) : '<span class="muted">not offered</span>'],
    ["disco#info features", chips(s.discoFeatures)],
    ...(s.accountDiscoFeatures ? [["disco#info features of an account", chips(s.accountDiscoFeatures)] as [string, string]] : []),
    ...(s.streamFeatures.beforeTls ? [["stream features before TLS", chips(s.streamFeatures.beforeTls)] as [string, string]] : []),
    ["stream features before authentication", chips(s.streamFeatures.beforeAuth)],
    ["stream features after authentication", chips(s.streamFeatures.afterAuth)],
    ...(s.caps
      ? [
          ["entity capabilities (XEP-0115)", esc(`${s.caps.node} ${s.caps.hash} ${s.caps.ver}: ${s.caps.verified ? "verified against its disco#info" : `not verified: ${s.caps.reason}`}`)] as [
            string,
            string,
          ],
        ]
      : []),
  ];
  return `<details class="server"><summary>What the server advertised</summary><table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("")}</table></details>`;
}

/** Totals per verdict, then the requirements per level with their status: the MUST/SHOULD picture. */
function overview(run: RunResult, requirements: RequirementRow[]): string {
  const tiles = totals(countVerdicts(run)).map((t) => `<div class="tile t-${t.verdict}"><b>${t.count}</b>${esc(t.word)}</div>`);
  const unknown = requirements.filter((r) => r.text === undefined).length;
  const levels = (["MUST", "SHOULD", "MAY", null] as const)
    .map((level) => {
      const rows = requirements.filter((r) => r.level === level);
      if (rows.length === 0) return "";
      const counts = countOf(rows.map((r) => r.status));
      const parts = [...VERDICTS, "not-reached" as const].filter((v) => counts[v] > 0).map((v) => `${counts[v]} ${badge(v)}`);
      return `<tr><td><b>${level ?? "n/a"}</b></td><td class="num">${rows.length}</td><td>${parts.join(" &nbsp; ")}</td></tr>`;
    })
    .join("");
  const bySpec = totalsBySpec(run);
  const specTable =
    bySpec.length < 2
      ? ""
      : `<table id="by-spec" style="width:auto"><thead><tr><th>Specification</th><th class="num">Cases</th><th>Verdicts</th><th class="num">Requirements</th></tr></thead><tbody>${bySpec
          .map(
            (s) =>
              `<tr><td><b>${esc(specName(s.spec))}</b></td><td class="num">${s.cases}</td><td>${totals(s.counts)
                .filter((t) => t.count > 0)
                .map((t) => `${t.count} ${badge(t.verdict)}`)
                .join(" &nbsp; ")}</td><td class="num">${requirements.filter((r) => findRequirement(r.id)?.spec === s.spec).length}</td></tr>`,
          )
          .join("")}</tbody></table>`;
  return `<div class="tiles">${tiles.join("")}</div>${specTable}
<p class="muted">${run.cases.length} cases cite ${requirements.length} requirements${unknown > 0 ? ` (${unknown} of them not in the catalog)` : ""}.</p>
<table style="width:auto"><thead><tr><th>Level</th><th class="num">Requirements</th><th>Status</th></tr></thead><tbody>${levels}</tbody></table>`;
}

/** "2.3.2" also offers "2.3" and "2": choosing one shows everything under it. */
function sectionsWithParents(sections: string[]): string[] {
  const all = new Set(sections.flatMap((s) => s.split(".").map((_, i, parts) => parts.slice(0, i + 1).join("."))));
  return [...all].sort(compareSections);
}

function filterBar(run: RunResult, requirements: RequirementRow[]): string {
  const present = VERDICTS.filter((v) => run.cases.some((c) => c.verdict === v));
  const sections = sectionsWithParents([...run.cases.map((c) => c.rfc), ...requirements.map((r) => r.section)]);
  const tags = [...new Set(run.cases.flatMap((c) => c.tags))].sort();
  return `<div class="filters">
${select(
  "verdict",
  "Verdict",
  present.map((v) => ({ value: v, text: v })),
)}
${select(
  "section",
  "Section",
  sections.map((s) => ({ value: s, text: `§${s}` })),
)}
${select(
  "tag",
  "Tag",
  tags.map((t) => ({ value: t, text: t })),
)}
${searchBox("id, title, requirement, reason")}
<label><input type="checkbox" id="show-harness"> harness traffic in transcripts</label>
</div>`;
}

function complianceTable(requirements: RequirementRow[], run: RunResult): string {
  const tagsOf = new Map(run.cases.map((c) => [c.id, c.tags]));
  const rows = requirements.map((r) => {
    const tags = [...new Set(r.cases.flatMap((c) => tagsOf.get(c.id) ?? []))];
    const section = `${specName(r.statedIn)} §${r.section}`;
    const cases = r.cases.map((c) => `<div>${badge(c.verdict)} <a href="#case-${esc(c.id)}">${esc(c.id)}</a></div>`).join("");
    const data = rowData({ verdict: [r.status], section: [r.section], tag: tags, text: `${r.id} ${r.text ?? ""} ${r.cases.map((c) => c.id).join(" ")}` });
    const text = r.text ? `<div class="req-text">${r.derived ? "<i>(derived)</i> " : ""}${esc(r.text)}</div>` : `<div class="req-text">not in the requirement catalog</div>`;
    return `<tr${data}><td class="mono">${link(r.url, section)}</td><td><code>${esc(r.id)}</code>${text}</td><td>${r.level ?? "n/a"}</td><td>${badge(r.status)}</td><td>${cases}</td></tr>`;
  });
  return `<h2>Compliance by RFC section and requirement <span class="muted small">(<span data-count-of="compliance">${rows.length}</span> of ${rows.length} shown)</span></h2>
<p class="muted small">Each requirement the cases check, with its level and text from the requirement catalog; its status is the worst of what the cases showed of it: failed only where a step checking it failed, NOT-REACHED where every step checking it came after an earlier failure. Derived requirements (implied by the RFC, not stated in one sentence) are marked.</p>
<table id="compliance"><thead><tr><th>Section</th><th>Requirement</th><th>Level</th><th>Status</th><th>Cases</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>`;
}

/** The XMPP compliance suites (XEP-0479): per level, each suite and its required features as met, not met, not advertised or not covered. */
function suitesTable(run: RunResult): string {
  const report = complianceOf(run);
  const state = (s: string) => `<span class="badge v-${s === "met" ? "pass" : s === "not met" ? "fail" : "skip"}">${esc(s.toUpperCase())}</span>`;
  const levels = (Object.keys(LEVEL_NAMES) as SuiteLevel[]).map((level) => {
    const rows = report.suites
      .filter((s) => s.level === level)
      .flatMap((s) =>
        s.features.map((f, i) => {
          const providers = f.providers.map((p) => link(p.url, p.name)).join(", ");
          const failing = f.failing.length > 0 ? `<div class="req-text">failing at MUST: ${f.failing.map((id) => `<code>${esc(id)}</code>`).join(", ")}</div>` : "";
          return `<tr><td>${i === 0 ? `<b>${esc(s.name)}</b>${s.requires.length ? ` <span class="muted small">(with ${esc(s.requires.join(", "))})</span>` : ""}` : ""}</td><td>${i === 0 ? state(s.status) : ""}</td><td>${esc(f.feature)}${failing}</td><td>${providers}</td><td>${state(f.status)}</td></tr>`;
        }),
      );
    return `<h3>${esc(LEVEL_NAMES[level])}</h3>
<table><thead><tr><th>Suite</th><th>Status</th><th>Feature</th><th>Providers</th><th>Feature status</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>`;
  });
  return `<h2>Compliance suites (${esc(report.source.title)}, XEP-0479 ${esc(report.source.version)})</h2>
<p class="muted small">A feature is met when every requirement of its providers that the run checked held at MUST, not met when one failed (listed), not covered when no scenario checks one of its providers yet.</p>
${levels.join("\n")}`;
}

/** --cross-domain: each case's verdict on one server next to its variant's across the pair, the rows that differ highlighted. */
function variantTable(run: RunResult): string {
  const rows = variantRows(run);
  if (rows.length === 0) return "";
  const differing = rows.filter((r) => r.differ).length;
  const cell = (c: { id: string; verdict: CaseResult["verdict"] }, differ: boolean) =>
    `<td${differ ? ' class="differ"' : ""}>${badge(c.verdict)} <a href="#case-${esc(c.id)}" class="small">${esc(c.id)}</a></td>`;
  const html = rows.map(
    (r) =>
      `<tr${rowData({ differ: r.differ, text: `${r.id} ${r.title}` })}><td><code>${esc(r.id)}</code><div class="req-text">${esc(r.title)}</div></td>${cell(r.single, r.differ)}${cell(r.cross, r.differ)}</tr>`,
  );
  return `<h2>Single server and across servers <span class="muted small">(<span data-count-of="variants">${rows.length}</span> of ${rows.length} shown)</span></h2>
<p class="muted small">${rows.length} cases ran on ${esc(run.target.domain)} alone and again with every account but the first on ${esc(run.target.peer?.domain ?? "the second server")}; <b>${differing}</b> went another way across servers (highlighted). <label><input type="checkbox" data-filter="differ"> only those</label></p>
<table id="variants"><thead><tr><th>Case</th><th>on one server (${esc(run.target.domain)})</th><th>${esc(acrossServers(run))}</th></tr></thead>
<tbody>
${html.join("\n")}
</tbody></table>`;
}

function caseList(run: RunResult): string {
  const cases = run.cases.map(caseDetails);
  return `<h2>Cases <span class="muted small">(<span data-count-of="cases">${cases.length}</span> of ${cases.length} shown)</span></h2>
<div id="cases">
${cases.join("\n")}
</div>`;
}

function caseDetails(c: CaseResult): string {
  const data = rowData({ verdict: [c.verdict], section: [c.rfc], tag: c.tags, text: `${c.id} ${c.title} ${citedBy(c).join(" ")} ${c.reason ?? ""}` });
  const open = c.verdict === "pass" ? "" : " open";
  const chips = (xs: string[]) => xs.map((x) => `<span class="chip">${esc(x)}</span>`).join("");
  const choices = c.choices.map((ch) => `<div>alternative that matched: <b>${esc(ch.alternative)}</b> <span class="muted">(${esc(ch.step)})</span></div>`).join("");
  return `<details class="case" id="case-${esc(c.id)}"${data}${open}>
<summary>${badge(c.verdict)}<span><b>${esc(c.id)}</b> ${esc(c.title)}${c.variant ? ` <span class="chip">across servers: ${esc(c.variant.moved.join(", "))} on domain b</span>` : ""}</span><span class="muted small">${link(sectionUrl(c.spec, c.rfc), specLabel(c))} · ${c.level} · ${c.durationMs} ms</span>${c.reason ? `<span class="reason">${esc(c.reason)}</span>` : ""}</summary>
<div class="case-body">
<div class="meta"><span>requirements ${chips(c.requirements)}</span><span>tags ${chips(c.tags)}</span><span class="mono">${esc(`${c.pos.file}:${c.pos.line}`)}</span></div>
${choices}
${c.deviation ? deviation(c.deviation) : ""}
${c.failures.map(failure).join("\n")}
${transcript(c.transcript ?? [])}
</div>
</details>`;
}

/** xfail / xpass: the profile's account of the deviation, and what the verdict would have been without it. */
function deviation(d: Deviation): string {
  const more = d.link ? ` ${link(d.link, d.link)}` : "";
  return `<div class="deviation">Known deviation in the server's profile (<span class="mono">${esc(d.source)}</span>): ${esc(d.reason)}${more}. Without the profile: ${badge(d.verdict)}</div>`;
}

function failure(f: StepFailure): string {
  const closest =
    f.closest.length === 0
      ? `<div>arrived instead: nothing on that session</div>`
      : `<div>arrived instead (closest first):</div>${f.closest.map((s) => `<pre class="xml">${esc(prettyXml(s.xml))}</pre><ul>${s.problems.map((p) => `<li>${esc(p)}</li>`).join("")}</ul>`).join("")}`;
  return `<div class="failure level-${f.level}">
<div><b>${f.level}</b> ${f.requirements.map((r) => `<code>${esc(r)}</code>`).join(" ")} <span class="muted mono">${esc(`${f.pos.file}:${f.pos.line}`)}</span></div>
<div>step: <code>${esc(f.step)}</code></div>
<div>why: ${esc(f.message)}</div>
<div>expected:</div>${f.expected.map((e) => `<pre class="xml">${esc(prettyXml(e))}</pre>`).join("")}
${closest}
</div>`;
}

function transcript(entries: TranscriptEntry[]): string {
  if (entries.length === 0) return "";
  const arrows = { in: "← in", out: "→ out", note: "· note" } as const;
  const harness = entries.filter((e) => e.harness).length;
  const rows = entries.map(
    (e) =>
      `<tr class="dir-${e.dir}${e.harness ? " harness" : ""}"><td class="num mono">${e.at.toFixed(1)}</td><td class="mono">${esc(e.session)}</td><td class="dir mono">${arrows[e.dir]}</td><td><pre${e.dir === "note" ? "" : ' class="xml"'}>${esc(prettyXml(e.xml))}</pre></td></tr>`,
  );
  return `<details class="transcript"><summary>Transcript: ${entries.length - harness} stanzas of the steps, ${harness} of the harness (shown with the toggle above)</summary>
<table class="transcript"><thead><tr><th class="num">ms</th><th>session</th><th></th><th>stanza</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table></details>`;
}
