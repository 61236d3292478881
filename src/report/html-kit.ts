import { constants, gzipSync } from "node:zlib";
import type { Shown } from "../results/verdicts.ts";

/**
 * What the HTML pages share: escaping, the page shell (inline CSS and script, and a Content-Security-Policy
 * that forbids every network load, so a page opened from disk or a CI artifact never reaches out), verdict
 * badges and the row filter.
 */
export const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

export const badge = (v: Shown) => `<span class="badge v-${v}">${v.toUpperCase()}</span>`;

export const link = (href: string, text: string) => `<a href="${esc(href)}">${esc(text)}</a>`;

/** Filter attributes of a row: the filter script shows the rows that match every control that has a value. */
/** `text`: what the text filter finds in the row beyond what it shows (its own text is searched anyway). */
export function rowData(d: { verdict?: string[]; section?: string[]; tag?: string[]; differ?: boolean; text?: string }): string {
  const attr = (k: string, v: string[] | undefined) => (v ? ` data-${k}="${esc(v.join(" "))}"` : "");
  return ` data-row${attr("verdict", d.verdict)}${attr("section", d.section)}${attr("tag", d.tag)}${d.differ ? ' data-differ="1"' : ""}${d.text ? ` data-text="${esc(d.text.toLowerCase())}"` : ""}`;
}

const CSS = `
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#fff; --soft:#f6f8fa; --accent:#0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 60px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
.muted { color: var(--muted); } .small { font-size: 12px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 6px 0 0; color: var(--muted); }
.chip { display: inline-block; background: var(--soft); border: 1px solid var(--line); border-radius: 10px; padding: 0 7px; margin: 1px 2px; font-size: 12px; }
.banner { margin: 12px 0; padding: 10px 12px; border-radius: 6px; border: 1px solid #ff818266; background: #ffebe9; }
.banner.note { border-color: #d4a72c66; background: #fff8c5; }
details.server { margin: 10px 0; } details.server > summary { cursor: pointer; color: var(--accent); }
details.server th { position: static; width: 260px; }
.deviation { border-left: 3px solid #0969da; background: #ddf4ff55; padding: 4px 10px; margin: 8px 0; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0 4px; }
.tile { min-width: 92px; padding: 8px 12px; border-radius: 8px; border: 1px solid var(--line); background: var(--soft); }
.tile b { display: block; font-size: 22px; line-height: 1.1; }
a.tile { color: var(--fg); } a.tile:hover { text-decoration: none; border-color: var(--accent); } a.tile.on { outline: 2px solid var(--accent); }
.fix { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin: 8px 0; }
.fix.level-MUST { border-left: 4px solid #cf222e; } .fix.level-SHOULD, .fix.level-MAY { border-left: 4px solid #9a6700; } .fix.level-profile, .fix.level-error { border-left: 4px solid #8250df; }
.rule { margin: 4px 0; padding: 4px 10px; border-left: 3px solid var(--line); color: var(--fg); font-style: italic; }
.t-pass b { color: #1a7f37; } .t-fail b, .t-xpass b { color: #cf222e; } .t-warn b { color: #9a6700; } .t-error b { color: #8250df; } .t-skip b, .t-not-run b { color: #59636e; } .t-xfail b { color: #0969da; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; position: sticky; top: 0; z-index: 1; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; min-width: 50px; text-align: center; border-radius: 4px; padding: 0 6px; font-size: 11px; font-weight: 700; letter-spacing: .03em; }
.v-pass { background: #dafbe1; color: #1a7f37; } .v-fail { background: #ffebe9; color: #cf222e; } .v-warn { background: #fff8c5; color: #9a6700; }
.v-error { background: #fbefff; color: #8250df; } .v-skip { background: #eaeef2; color: #59636e; } .v-xfail { background: #ddf4ff; color: #0969da; }
.v-xpass { background: #ffebe9; color: #cf222e; outline: 1px solid #cf222e; } .v-not-reached, .v-not-run { background: #f6f8fa; color: #59636e; outline: 1px dashed #8c959f; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; padding: 10px 12px; margin: 14px 0; background: var(--soft); border: 1px solid var(--line); border-radius: 8px; position: sticky; top: 0; z-index: 2; }
.filters label { display: flex; gap: 6px; align-items: center; }
.filters select, .filters input[type=search] { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.filters input[type=search] { width: 240px; }
[data-row][hidden] { display: none; }
details.case { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; background: #fff; }
details.case > summary { cursor: pointer; padding: 8px 12px; display: grid; grid-template-columns: 62px 1fr auto; gap: 4px 12px; align-items: baseline; }
details.case > summary .reason { grid-column: 2 / 4; color: var(--muted); font-size: 13px; }
details.case[open] > summary { border-bottom: 1px solid var(--line); background: var(--soft); border-radius: 8px 8px 0 0; }
.case-body { padding: 10px 14px; }
.failure { border-left: 3px solid #cf222e; padding: 4px 10px; margin: 8px 0; background: #fff8f8; }
.failure.level-SHOULD, .failure.level-MAY { border-left-color: #9a6700; background: #fffdf0; }
.failure ul { margin: 2px 0 6px; padding-left: 18px; }
pre { margin: 2px 0; white-space: pre-wrap; word-break: break-word; }
pre.xml { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; }
table.transcript td { border-bottom: 1px dashed var(--line); padding: 3px 6px; }
table.transcript td.dir { font-weight: 700; }
tr.dir-in td.dir { color: #1a7f37; } tr.dir-out td.dir { color: #0969da; } tr.dir-note td { color: var(--muted); font-style: italic; }
tr.harness { display: none; } .show-harness tr.harness { display: table-row; } tr.harness td { opacity: .6; }
td.differ { background: #fff8c5; font-weight: 700; box-shadow: inset 3px 0 0 #d4a72c; }
.req-text { color: var(--muted); font-size: 12px; }
`;

/**
 * Shows the rows that match every filter control with a value, keeps the "N shown" counters current, and keeps
 * the filters in the URL (#verdict=fail&section=4.3): a link or a tile can set them, and a reload keeps them.
 * "attention" matches every verdict someone should look at. Transcripts are rendered when opened, from the
 * page's compressed transcript store (see transcriptStore).
 */
const FILTER_SCRIPT = `
const controls = [...document.querySelectorAll("[data-filter]")];
const ATTENTION = ["fail", "xpass", "error", "warn"];
function matches(row, key, want) {
  const have = row.dataset[key];
  if (key === "text") return ((have || "") + " " + row.textContent.toLowerCase()).includes(want.toLowerCase());
  const values = (have || "").split(" ");
  if (key === "verdict" && want === "attention") return values.some((v) => ATTENTION.includes(v));
  return key === "section" ? values.some((s) => s === want || s.startsWith(want + ".")) : values.includes(want);
}
function wanted() {
  return controls.map((c) => [c.dataset.filter, c.type === "checkbox" ? (c.checked ? "1" : "") : c.value.trim()]).filter(([, v]) => v);
}
function apply() {
  const want = wanted();
  for (const row of document.querySelectorAll("[data-row]")) row.hidden = !want.every(([k, v]) => matches(row, k, v));
  for (const counter of document.querySelectorAll("[data-count-of]")) {
    counter.textContent = document.querySelectorAll("#" + counter.dataset.countOf + " [data-row]:not([hidden])").length;
  }
  for (const tile of document.querySelectorAll("a.tile")) tile.classList.toggle("on", tile.getAttribute("href") === "#" + new URLSearchParams(want).toString());
}
function fromHash() {
  const hash = decodeURIComponent(location.hash.slice(1));
  if (!hash.includes("=")) {
    const target = hash && document.getElementById(hash);
    if (target && target.tagName === "DETAILS") target.open = true;
    return;
  }
  const params = new URLSearchParams(hash);
  for (const c of controls) {
    const v = params.get(c.dataset.filter) || "";
    if (c.type === "checkbox") c.checked = v === "1";
    else {
      if (c.tagName === "SELECT" && v && ![...c.options].some((o) => o.value === v)) c.add(new Option(v, v));
      c.value = v;
    }
  }
  apply();
}
controls.forEach((c) => c.addEventListener("input", () => {
  apply();
  const q = new URLSearchParams(wanted()).toString();
  history.replaceState(null, "", q ? "#" + q : location.pathname + location.search);
}));
window.addEventListener("hashchange", fromHash);
const harness = document.getElementById("show-harness");
if (harness) harness.addEventListener("change", () => document.body.classList.toggle("show-harness", harness.checked));
async function unpack(id) {
  const bytes = Uint8Array.from(atob(document.getElementById(id).textContent.trim()), (ch) => ch.charCodeAt(0));
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
}
const stores = {};
async function storeOf(id) {
  if (!stores[id]) stores[id] = JSON.parse(await unpack(id));
  return stores[id];
}
const ARROWS = { in: "\u2190 in", out: "\u2192 out", note: "\u00b7 note" };
document.addEventListener("toggle", async (e) => {
  const d = e.target;
  if (!d.open || !d.dataset || d.dataset.done) return;
  if (d.dataset.packed) {
    d.dataset.done = "1";
    d.insertAdjacentHTML("beforeend", await unpack(d.dataset.packed));
    return apply();
  }
  if ("body" in d.dataset) {
    d.dataset.done = "1";
    d.insertAdjacentHTML("beforeend", (await storeOf("case-bodies"))[d.id.slice("case-".length)] || "");
    return;
  }
  if (!d.dataset.transcript) return;
  d.dataset.done = "1";
  const entries = (await storeOf("transcripts"))[d.dataset.transcript] || [];
  const table = document.createElement("table");
  table.className = "transcript";
  table.innerHTML = "<thead><tr><th class=num>ms</th><th>session</th><th></th><th>stanza</th></tr></thead>";
  const body = table.createTBody();
  for (const [at, session, dir, xml, flags] of entries) {
    const tr = body.insertRow();
    tr.className = "dir-" + dir + (flags & 1 ? " harness" : "");
    const cells = [at.toFixed(1), session, ARROWS[dir], ""].map((text) => { const td = tr.insertCell(); td.textContent = text; return td; });
    cells[0].className = "num mono"; cells[1].className = "mono"; cells[2].className = "dir mono";
    const pre = document.createElement("pre");
    if (dir !== "note") pre.className = "xml";
    pre.textContent = xml;
    cells[3].append(pre);
  }
  d.append(table);
}, true);
fromHash();
apply();
`;

/**
 * Markup the page holds packed (gzipped, base64) and inserts into `<details data-packed="id">` when it is opened:
 * a long table that comes last (the requirements of a whole run) costs the page a tenth of its size.
 */
export const packedHtml = (id: string, html: string) => `<script type="application/gzip+html" id="${esc(id)}">${pack(html)}</script>`;

/**
 * The transcripts of a page, packed: JSON of case id → [ms, session, dir, stanza, flags (1 harness)],
 * gzipped and base64-encoded into one script element, unpacked in the browser when a transcript is opened. It
 * keeps a whole run's page small (stanzas compress well; their markup as a table does not).
 */
export function transcriptStore(byCase: Record<string, [number, string, string, string, number][]>): string {
  return packedJson("transcripts", byCase);
}

/**
 * The bodies of the cases that need no attention (passed, skipped, documented deviations), packed as JSON of case
 * id → markup and inserted into `<details id="case-ID" data-body>` when it is opened: a whole run's page stays small.
 */
export const caseBodyStore = (byCase: Record<string, string>) => packedJson("case-bodies", byCase);

const packedJson = (id: string, data: unknown) => `<script type="application/gzip+json" id="${esc(id)}">${pack(JSON.stringify(data))}</script>`;

/** Gzipped at the best compression: a whole run's transcripts are megabytes of XML, and the page is read many times. */
const pack = (text: string) => gzipSync(text, { level: constants.Z_BEST_COMPRESSION }).toString("base64");

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
<script>${FILTER_SCRIPT}</script>
</body>
</html>
`;
}

/** A labelled select for the filter bar: "" means any. */
export function select(filter: string, label: string, options: { value: string; text: string }[]): string {
  const opts = options.map((o) => `<option value="${esc(o.value)}">${esc(o.text)}</option>`).join("");
  return `<label>${esc(label)} <select data-filter="${esc(filter)}"><option value="">any</option>${opts}</select></label>`;
}

export const searchBox = (placeholder: string) => `<label>Text <input type="search" data-filter="text" placeholder="${esc(placeholder)}"></label>`;
