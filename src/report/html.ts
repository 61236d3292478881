import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { findRequirement } from "../catalog/index.ts";
import { sectionUrl } from "../specification/registry.ts";
import { complianceOf, describeStatus, LEVEL_NAMES, type FeatureStatus, type SuiteLevel } from "./compliance-suites.ts";
import type { CaseResult, Deviation, RunResult, StepFailure, Verdict } from "../results/schema.ts";
import { rerunCommand } from "../results/commands.ts";
import { needsAttention } from "../results/verdicts.ts";
import { fixFirst, ruleOf } from "./fix-first.ts";
import { citedBy, compareSections, complianceRows, type RequirementRow } from "./compliance.ts";
import { countOf, countVerdicts, describeConcurrency, describeProfile, describeTarget, here, serverLabel, specLabel, specName, totals, totalsBySpec, VERDICTS } from "./format.ts";
import { badge, caseBodyStore, esc, link, packedHtml, page, rowData, searchBox, select, transcriptStore } from "./html-kit.ts";
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

/**
 * The page opens on what to fix: the counts (each a filter), the failures grouped by the rule they break, the
 * cases that need attention; then the compliance suites, the passing cases and the requirement table.
 */
export function renderHtml(run: RunResult): string {
  const requirements = complianceRows(run);
  const packed: Record<string, string> = {};
  const body = [
    header(run),
    overview(run, requirements),
    fixFirstList(run),
    filterBar(run, requirements),
    caseList(run, packed),
    suitesTable(run),
    variantTable(run),
    complianceTable(requirements, run),
    transcriptStore(Object.fromEntries(run.cases.filter((c) => c.transcript?.length).map((c) => [c.id, shown(c).map((e) => [e.at, e.session, e.dir, prettyXml(e.xml), e.harness ? 1 : 0])]))),
    caseBodyStore(packed),
  ].join("\n");
  return page(`XMPP conformance: ${serverLabel(run)}`, body);
}

/** Failures and warnings by the requirement they break, MUST first: the rule's words, the cases, why, and the command that reruns them. */
function fixFirstList(run: RunResult): string {
  const entries = fixFirst(run);
  if (entries.length === 0) return "";
  const items = entries.map((e) => {
    const title =
      e.key === "profile"
        ? `${badge("xpass")} cases the profile says fail, passing now`
        : e.key === "error"
          ? `${badge("error")} cases that could not be judged`
          : `<b>${esc(String(e.level))}</b> <code>${esc(e.key)}</code>${e.rule ? ` ${link(e.rule.url, e.rule.where)}` : ""}`;
    const rule = e.rule ? `<div class="rule">${e.rule.derived ? "(derived) " : ""}${esc(e.rule.words)}</div>` : "";
    const cases = e.cases.map((x) => `<div>${badge(x.verdict)} <a href="#case-${esc(x.id)}">${esc(x.id)}</a>: ${esc(x.why)}</div>`).join("");
    return `<div class="fix level-${esc(String(e.level))}">${title}${rule}${cases}<div class="muted small mono">${esc(
      rerunCommand(
        run,
        e.cases.map((x) => x.id),
      ),
    )}</div></div>`;
  });
  return `<h2 id="fix-first">What to fix first <span class="muted small">(${entries.length}, MUST first)</span></h2>
${items.join("\n")}`;
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
  const profiled = run.profile !== undefined;
  const tiles = totals(countVerdicts(run), profiled).map((t) => `<a class="tile t-${t.verdict}" href="#verdict=${t.verdict}"><b>${t.count}</b>${esc(t.word)}</a>`);
  tiles.push(`<a class="tile" href="#"><b>${run.cases.length}</b>all cases</a>`);
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
              `<tr><td><b>${esc(specName(s.spec))}</b></td><td class="num">${s.cases}</td><td>${totals(s.counts, profiled)
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
${select("verdict", "Verdict", [...(present.some(needsAttention) ? [{ value: "attention", text: "needs attention" }] : []), ...present.map((v) => ({ value: v, text: v }))])}
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
    // The cases that did not pass by name, the passing ones counted: a whole run's table stays small.
    const passed = r.cases.filter((c) => c.verdict === "pass").length;
    const cases = [
      ...r.cases.filter((c) => c.verdict !== "pass").map((c) => `<div>${badge(c.verdict)} <a href="#case-${esc(c.id)}">${esc(c.id)}</a></div>`),
      ...(passed > 0 ? [`<div class="muted small">${passed} passed</div>`] : []),
    ].join("");
    const data = rowData({ verdict: [r.status], section: [r.section], tag: tags, text: r.cases.map((c) => c.id).join(" ") });
    const text = r.text ? `<div class="req-text">${r.derived ? "<i>(derived)</i> " : ""}${esc(r.text)}</div>` : `<div class="req-text">not in the requirement catalog</div>`;
    return `<tr${data}><td class="mono">${link(r.url, section)}</td><td><code>${esc(r.id)}</code>${text}</td><td>${r.level ?? "n/a"}</td><td>${badge(r.status)}</td><td>${cases}</td></tr>`;
  });
  const table = `<table id="compliance"><thead><tr><th>Section</th><th>Requirement</th><th>Level</th><th>Status</th><th>Cases</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>`;
  return `<h2>Compliance by section and requirement <span class="muted small">(<span data-count-of="compliance">${rows.length}</span> of ${rows.length} shown)</span></h2>
<p class="muted small">Each requirement the cases check, with its level and text from the requirement catalog; its status is the worst of what the cases showed of it: failed only where a step checking it failed, NOT-REACHED where every step checking it came after an earlier failure. Derived requirements (implied by the RFC, not stated in one sentence) are marked.</p>
<details data-packed="requirements-table"><summary>The table: ${rows.length} requirements (opens here)</summary></details>
${packedHtml("requirements-table", table)}`;
}

/** The XMPP compliance suites (XEP-0479): per level, each suite's verdict with its figure, its features folded below. */
function suitesTable(run: RunResult): string {
  const report = complianceOf(run);
  const tone: Record<FeatureStatus, string> = { conformant: "pass", deviations: "fail", "not implemented": "skip", "not covered": "skip", "not judged": "skip", partial: "not-run" };
  const state = (s: FeatureStatus) => `<span class="badge v-${tone[s]}">${esc(s.toUpperCase())}</span>`;
  const levels = (Object.keys(LEVEL_NAMES) as SuiteLevel[]).map((level) => {
    const rows = report.suites
      .filter((s) => s.level === level)
      .map((s) => {
        const features = s.features
          .map((f) => {
            const providers = f.providers.map((p) => link(p.url, p.name)).join(", ");
            const deviations = f.deviations.map((d) => `<code>${esc(d.id)}</code>${d.documented ? ' <span class="muted small">(documented)</span>' : ""}`).join(", ");
            return `<tr><td>${esc(f.feature)}</td><td>${providers}</td><td>${state(f.status)} ${esc(describeStatus(f))}${deviations ? `<div class="req-text">${deviations}</div>` : ""}</td></tr>`;
          })
          .join("");
        return `<tr><td><b>${esc(s.name)}</b>${s.requires.length ? ` <span class="muted small">(with ${esc(s.requires.join(", "))})</span>` : ""}</td><td>${state(s.status)} ${esc(describeStatus(s))}<details><summary class="small">its features</summary><table>${features}</table></details></td></tr>`;
      });
    return `<h3>${esc(LEVEL_NAMES[level])}</h3>
<table><thead><tr><th>Suite</th><th>Verdict</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>`;
  });
  const partial = report.stopped ? `<p class="banner">No verdict: the run stopped before every case had run (${esc(report.stopped)}).</p>` : "";
  return `<h2 id="suites">Compliance suites (${esc(report.source.title)}, XEP-0479 ${esc(report.source.version)})</h2>
${partial}<p class="muted small">A feature is conformant when every MUST requirement of its providers the run checked held; it has deviations when a case failed one (documented: the server's profile expects it); not implemented when the server does not advertise it and its cases skipped; partial when only some of its cases ran (no verdict); not covered when no scenario checks it yet.</p>
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
    (r) => `<tr${rowData({ differ: r.differ })}><td><code>${esc(r.id)}</code><div class="req-text">${esc(r.title)}</div></td>${cell(r.single, r.differ)}${cell(r.cross, r.differ)}</tr>`,
  );
  return `<h2>Single server and across servers <span class="muted small">(<span data-count-of="variants">${rows.length}</span> of ${rows.length} shown)</span></h2>
<p class="muted small">${rows.length} cases ran on ${esc(run.target.domain)} alone and again with every account but the first on ${esc(run.target.peer?.domain ?? "the second server")}; <b>${differing}</b> went another way across servers (highlighted). <label><input type="checkbox" data-filter="differ"> only those</label></p>
<table id="variants"><thead><tr><th>Case</th><th>on one server (${esc(run.target.domain)})</th><th>${esc(acrossServers(run))}</th></tr></thead>
<tbody>
${html.join("\n")}
</tbody></table>`;
}

/** Worst first: the cases needing attention, the documented deviations, then skips and passes. */
const CASE_ORDER: Verdict[] = ["fail", "xpass", "error", "warn", "xfail", "not-run", "skip", "pass"];

/** Cases that need no attention: their bodies are packed (caseBodyStore) and shown when opened. */
const QUIET: Verdict[] = ["pass", "skip", "xfail"];

function caseList(run: RunResult, packed: Record<string, string>): string {
  const cases = [...run.cases].sort((a, b) => CASE_ORDER.indexOf(a.verdict) - CASE_ORDER.indexOf(b.verdict)).map((c) => caseDetails(c, packed));
  return `<h2>Cases <span class="muted small">(<span data-count-of="cases">${cases.length}</span> of ${cases.length} shown)</span></h2>
<div id="cases">
${cases.join("\n")}
</div>`;
}

function caseDetails(c: CaseResult, packed: Record<string, string>): string {
  const data = rowData({ verdict: [c.verdict], section: [c.rfc], tag: c.tags, text: citedBy(c).join(" ") });
  const quiet = QUIET.includes(c.verdict);
  const chips = (xs: string[]) => xs.map((x) => `<span class="chip">${esc(x)}</span>`).join("");
  const choices = c.choices.map((ch) => `<div>alternative that matched: <b>${esc(ch.alternative)}</b> <span class="muted">(${esc(ch.step)})</span></div>`).join("");
  const body = `<div class="case-body">
<div class="meta"><span>requirements ${chips(c.requirements)}</span><span>tags ${chips(c.tags)}</span><span class="mono">${esc(here(c.pos))}</span></div>
${choices}
${c.deviation ? deviation(c.deviation) : ""}
${c.failures.map(failure).join("\n")}
${transcript(c)}
</div>`;
  if (quiet) packed[c.id] = body;
  return `<details class="case" id="case-${esc(c.id)}"${data}${quiet ? " data-body" : " open"}>
<summary>${badge(c.verdict)}<span><b>${esc(c.id)}</b> ${esc(c.title)}${c.variant ? ` <span class="chip">across servers: ${esc(c.variant.moved.join(", "))} on domain b</span>` : ""}</span><span class="muted small">${link(sectionUrl(c.spec, c.rfc), specLabel(c))} · ${c.level} · ${c.durationMs} ms</span>${c.reason ? `<span class="reason">${esc(c.reason)}</span>` : ""}</summary>
${quiet ? "" : body}
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
<div><b>${f.level}</b> ${f.requirements.map((r) => `<code>${esc(r)}</code>`).join(" ")} <span class="muted mono">${esc(here(f.pos))}</span></div>
${f.requirements
  .flatMap((id) => ruleOf(id) ?? [])
  .map((r) => `<div class="rule" title="${esc(r.summary)}">${link(r.url, `${r.where} ${r.level ?? ""}`)}${r.derived ? " (derived)" : ""}: ${esc(r.words)}</div>`)
  .join("")}
<div>step: <code>${esc(f.step)}</code></div>
<div>why: ${esc(f.message)}</div>
<div>expected:</div>${f.expected.map((e) => `<pre class="xml">${esc(prettyXml(e))}</pre>`).join("")}
${closest}
</div>`;
}

/**
 * What the page shows of a transcript: all but the harness's teardown after the verdict (its accounts' removal,
 * which reads like a server's refusal and holds a fifth of the page's stanzas); results.json keeps it.
 */
const shown = (c: CaseResult) => (c.transcript ?? []).filter((e) => !e.teardown);

/** Folded; rendered from the page's transcript store when opened. */
function transcript(c: CaseResult): string {
  const entries = shown(c);
  if (entries.length === 0) return "";
  const harness = entries.filter((e) => e.harness).length;
  return `<details class="transcript" data-transcript="${esc(c.id)}"><summary>Transcript: ${entries.length - harness} stanzas of the steps, ${harness} of the harness (shown with the toggle above); the teardown after the verdict is in results.json</summary></details>`;
}
