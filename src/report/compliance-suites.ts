import { z } from "zod";
import { catalogs } from "../catalog/index.ts";
import type { RunResult } from "../results/schema.ts";
import { findSpec, sectionUrl, specName } from "../specification/registry.ts";
import { readYamlFile } from "../util/yaml-file.ts";
import { describeStop } from "../results/stopped.ts";
import { FEATURES } from "../families/index.ts";
import { packageFile } from "../suite-files.ts";

/** Needs that are how the run reaches the server (tls, direct-tls, websocket, bosh): a case skipped for one is another run's to judge. */
const TRANSPORTS = new Set(Object.entries(FEATURES as Record<string, object>).flatMap(([name, shape]) => ("transport" in shape ? [name] : [])));
const otherConnection = (c: RunResult["cases"][number]) => c.verdict === "skip" && (c.unmet?.length ?? 0) > 0 && c.unmet!.every((f) => TRANSPORTS.has(f));

/**
 * The XMPP compliance suites (XEP-0479) judged from a run, with degrees: each feature of each suite, at the
 * Server and Advanced Server levels, is conformant (every MUST of its providers the run checked held),
 * implemented with deviations at MUST (each listed, and whether the server's profile documents it), not
 * implemented (not advertised, its cases skipped), not covered by this suite yet, or partial (only some of its
 * cases ran: no verdict). A suite is the worst of its features and of the suites it requires. The suites are
 * data (spec/compliance/xep-0479.yaml): a specification that gains a catalog and scenarios moves its features
 * from "not covered" without a change here.
 */
const Need = z.enum(["required", "not required", "n/a"]);
const Feature = z.strictObject({
  feature: z.string(),
  server: Need,
  advancedServer: Need,
  providers: z.array(z.string()).min(1).describe("registry ids: every one must be implemented"),
  providersAsWritten: z.string().optional(),
  notes: z.array(z.string()),
  advertised: z.array(z.string()).optional().describe("disco#info features or stream feature namespaces that show the server offers it"),
});
const SuitesFile = z.strictObject({
  specification: z.string(),
  title: z.string(),
  version: z.string(),
  rule: z.string(),
  suites: z.array(z.strictObject({ id: z.string(), name: z.string(), requires: z.array(z.string()), features: z.array(Feature) })),
});

export const SUITES_FILE = packageFile("spec/compliance/xep-0479.yaml");

/**
 * Best to worst: a suite takes the worst of its features, leaving out those not judged over this run's connection
 * (they need TLS, direct TLS or WebSocket: another run judges them, and the suite names them).
 */
export const FEATURE_STATUSES = ["conformant", "not covered", "not judged", "not implemented", "deviations", "partial"] as const;
export type FeatureStatus = (typeof FEATURE_STATUSES)[number];
export const LEVEL_NAMES = { server: "Server", advancedServer: "Advanced Server" } as const;
export type SuiteLevel = keyof typeof LEVEL_NAMES;

/** The MUST requirements of some providers the run checked, and how many of them held. */
export interface MustFigure {
  checked: number;
  held: number;
}

/** A requirement some case failed at MUST; documented when the profile documents every such case (xfail). */
export interface MustDeviation {
  id: string;
  documented: boolean;
}

export interface FeatureResult {
  feature: string;
  providers: { id: string; name: string; url: string }[];
  status: FeatureStatus;
  must: MustFigure;
  deviations: MustDeviation[];
  /** Its providers' cases the run ran, of those in the suite it was selected from. */
  cases: { ran: number; of: number };
  /** Why it is not implemented: the first skip reason of its cases, or that it is not advertised. */
  why?: string;
  notes: string[];
}

export interface SuiteResult {
  suite: string;
  name: string;
  level: SuiteLevel;
  /** The worst of its required features and of the suites it requires. */
  status: FeatureStatus;
  requires: string[];
  features: FeatureResult[];
  /** Over its features and those of the suites it requires, each requirement once. */
  must: MustFigure;
  deviations: MustDeviation[];
}

export interface ComplianceReport {
  source: { specification: string; title: string; version: string };
  /** The run stopped before every case had run (why and when): every feature is partial. */
  stopped?: string;
  suites: SuiteResult[];
}

/** Requirements failing at MUST, each documented unless some case failing it is not an xfail (the profile did not expect it). */
function deviationsOf(run: RunResult): Map<string, boolean> {
  const documented = new Map<string, boolean>();
  for (const c of run.cases) for (const f of c.failures.filter((x) => x.level === "MUST")) for (const id of f.requirements) documented.set(id, (documented.get(id) ?? true) && c.verdict === "xfail");
  return documented;
}

/** Requirements the run checked: some step that proves each ran. */
function checked(run: RunResult): Set<string> {
  return new Set(run.cases.flatMap((c) => (c.requirementResults ?? []).filter((r) => r.verdict !== "not-reached").map((r) => r.id)));
}

/** What a server advertised: disco#info features (of the domain and of an account) and stream feature namespaces, as the run recorded them. */
function advertised(run: RunResult): Set<string> {
  const s = run.target.server;
  const stream = [...(s?.streamFeatures.beforeTls ?? []), ...(s?.streamFeatures.beforeAuth ?? []), ...(s?.streamFeatures.afterAuth ?? [])];
  return new Set([...(s?.discoFeatures ?? []), ...(s?.accountDiscoFeatures ?? []), ...stream.flatMap((f) => /xmlns=["']([^"']+)/.exec(f)?.[1] ?? [])]);
}

const worstStatus = (xs: FeatureStatus[]): FeatureStatus => xs.reduce((w, x) => (FEATURE_STATUSES.indexOf(x) > FEATURE_STATUSES.indexOf(w) ? x : w), "conformant");
/** A suite's status: the worst of its features that this run's connection could judge ("not judged" when none). */
const judgedStatus = (xs: FeatureStatus[]): FeatureStatus => {
  const judged = xs.filter((x) => x !== "not judged");
  return judged.length > 0 ? worstStatus(judged) : "not judged";
};

/** The compliance suites against one run. */
export function complianceOf(run: RunResult, file = SUITES_FILE): ComplianceReport {
  const { data } = readYamlFile(file, SuitesFile);
  const failing = deviationsOf(run);
  const seen = checked(run);
  const offered = advertised(run);
  const cats = catalogs();
  const mustIds = (providers: string[]) => [
    ...new Set(
      providers.flatMap(
        (p) =>
          cats
            .get(p)
            ?.requirements.filter((r) => r.level === "MUST")
            .map((r) => r.id) ?? [],
      ),
    ),
  ];
  const figure = (ids: string[]): MustFigure => {
    const mine = ids.filter((id) => seen.has(id));
    return { checked: mine.length, held: mine.filter((id) => !failing.has(id)).length };
  };
  const deviations = (ids: string[]): MustDeviation[] =>
    ids
      .filter((id) => failing.has(id))
      .sort((a, b) => a.localeCompare(b))
      .map((id) => ({ id, documented: failing.get(id)! }));
  const featureResult = (f: z.infer<typeof Feature>): FeatureResult => {
    const ids = mustIds(f.providers);
    const own = run.cases.filter((c) => f.providers.includes(c.spec));
    // A case that needs another way of reaching the server did not run here: partial, not "not implemented".
    const ran = own.filter((c) => c.verdict !== "not-run" && !otherConnection(c));
    const elsewhere = own.filter(otherConnection);
    const of = f.providers.reduce((n, p) => n + (run.suite ? (run.suite[p] ?? 0) : run.cases.filter((c) => c.spec === p).length), 0);
    const must = figure(ids);
    const broken = deviations(ids);
    const covered = f.providers.every((p) => cats.has(p)) && of > 0;
    const unadvertised = f.advertised !== undefined && server(run) && !f.advertised.some((a) => offered.has(a));
    const skipped = ran.length > 0 && ran.every((c) => c.verdict === "skip");
    const status: FeatureStatus = !covered
      ? "not covered"
      : run.interrupted || ran.length + elsewhere.length < of
        ? "partial"
        : broken.length > 0
          ? "deviations"
          : elsewhere.length > 0
            ? "not judged"
            : unadvertised || skipped || must.checked === 0
              ? "not implemented"
              : "conformant";
    const why =
      status === "not judged"
        ? elsewhere[0].reason
        : status !== "not implemented"
          ? undefined
          : unadvertised
            ? `not advertised (${f.advertised!.join(", ")})`
            : (ran.find((c) => c.verdict === "skip")?.reason ?? "none of its MUST requirements was checked");
    return {
      feature: f.feature,
      providers: f.providers.map((id) => ({ id, name: specName(id), url: sectionUrl(id) })),
      status,
      must,
      deviations: broken,
      cases: { ran: ran.length, of },
      ...(why && { why }),
      notes: f.notes,
    };
  };
  const suites: SuiteResult[] = (Object.keys(LEVEL_NAMES) as SuiteLevel[]).flatMap((level) => {
    const rows = data.suites.map((s) => ({ s, features: s.features.filter((f) => f[level] === "required").map(featureResult) }));
    return rows.map(({ s, features }) => {
      const withRequired = [...features, ...s.requires.flatMap((id) => rows.find((r) => r.s.id === id)!.features)];
      const providers = [...new Set(withRequired.flatMap((f) => f.providers.map((p) => p.id)))];
      return {
        suite: s.id,
        name: s.name,
        level,
        status: judgedStatus(withRequired.map((f) => f.status)),
        requires: s.requires,
        features,
        must: figure(mustIds(providers)),
        deviations: deviations(mustIds(providers)),
      };
    });
  });
  const stopped = run.interrupted ? (run.stopped ? describeStop(run.stopped) : "the run was interrupted") : undefined;
  return { source: { specification: data.specification, title: data.title, version: data.version }, ...(stopped && { stopped }), suites };
}

/** Whether the run knows what the server advertised (a run that could not reach it does not). */
const server = (run: RunResult) => run.target.server !== undefined;

/** "3 deviations at MUST (2 documented by the profile)", "no new", or "" without any. */
export function describeDeviations(ds: MustDeviation[]): string {
  if (ds.length === 0) return "";
  const documented = ds.filter((d) => d.documented).length;
  const of = documented === 0 ? "none documented by a profile" : documented === ds.length ? `${ds.length === 1 ? "" : "all "}documented by the profile` : `${documented} documented by the profile`;
  return `${ds.length} deviation${ds.length === 1 ? "" : "s"} at MUST (${of})`;
}

/** One feature or suite in words, with the figure behind it. */
export function describeStatus(x: Pick<FeatureResult, "status" | "must" | "deviations"> & { cases?: FeatureResult["cases"]; why?: string; features?: FeatureResult[] }): string {
  const held = `${x.must.held} of ${x.must.checked} MUST requirements held`;
  // A suite also names the features it has not judged yet, whatever its verdict.
  const uncovered = x.features?.filter((f) => f.status === "not covered").map((f) => f.feature) ?? [];
  const elsewhere = x.features?.filter((f) => f.status === "not judged").map((f) => f.feature) ?? [];
  const rest = [
    ...(x.status !== "not covered" && uncovered.length > 0 ? [`; not covered yet: ${uncovered.join(", ")}`] : []),
    ...(x.status !== "not judged" && elsewhere.length > 0 ? [`; not judged over this connection: ${elsewhere.join(", ")}`] : []),
  ].join("");
  return `${verdictOf(x, held)}${rest}`;
}

function verdictOf(x: Parameters<typeof describeStatus>[0], held: string): string {
  switch (x.status) {
    case "conformant":
      return `conformant: ${held}`;
    case "deviations":
      return `${describeDeviations(x.deviations)}: ${held}`;
    case "not implemented":
      return x.features
        ? `not implemented: ${x.features
            .filter((f) => f.status === "not implemented")
            .map((f) => f.feature)
            .join(", ")}`
        : `not implemented: ${x.why ?? "its cases skipped"}`;
    case "not covered":
      return x.features
        ? `not covered by this suite yet: ${x.features
            .filter((f) => f.status === "not covered")
            .map((f) => f.feature)
            .join(", ")}${x.must.checked > 0 ? `; the rest ${held}` : ""}`
        : "not covered by this suite yet";
    case "not judged":
      return x.features ? `not judged over this connection: ${x.features.map((f) => f.feature).join(", ")}` : (x.why ?? "not judged over this connection");
    case "partial":
      return x.cases ? `partial: ${x.cases.ran} of ${x.cases.of} cases ran, no verdict` : "partial: not every case of its features ran, no verdict";
  }
}

/** The deviations of a feature as Markdown: each requirement, "(documented)" where the profile documents it. */
const deviationList = (ds: MustDeviation[]) => ds.map((d) => `${d.id}${d.documented ? " (documented)" : ""}`).join(", ");

/** The report as Markdown: per level, each suite's verdict with its figure, then its required features. */
export function renderComplianceMarkdown(report: ComplianceReport): string {
  const lines = [`### ${report.source.title} (${findSpec(report.source.specification)?.name ?? "XEP-0479"} ${report.source.version}): what this server meets`, ""];
  if (report.stopped) lines.push(`> **No verdict: the run stopped before every case had run** (${report.stopped}). Run the whole suite to judge the suites.`, "");
  else if (report.suites.every((s) => s.status === "partial" || s.status === "not covered"))
    lines.push("> **No verdict: this run ran only some of the suite's cases.** Run the whole suite to judge the compliance suites.", "");
  for (const level of Object.keys(LEVEL_NAMES) as SuiteLevel[]) {
    const suites = report.suites.filter((x) => x.level === level);
    lines.push(`#### ${LEVEL_NAMES[level]}`, "", "| suite | verdict |", "|---|---|");
    for (const s of suites) lines.push(`| ${s.name}${s.requires.length ? ` (with ${s.requires.join(", ")})` : ""} | **${describeStatus(s)}** |`);
    lines.push("", "| suite | feature | providers | verdict | deviations at MUST |", "|---|---|---|---|---|");
    for (const s of suites)
      s.features.forEach((f, i) => {
        const providers = f.providers.map((p) => `[${p.name}](${p.url})`).join(", ");
        lines.push(`| ${i === 0 ? s.name : ""} | ${f.feature} | ${providers} | ${describeStatus(f)} | ${deviationList(f.deviations)} |`);
      });
    lines.push("");
  }
  lines.push(
    "A feature is conformant when every MUST requirement of its providers that the run checked held; it has deviations when a case failed one (documented: the server's profile expects it); not implemented when the server does not advertise it and its cases skipped; not judged when its cases need another way of reaching the server (TLS, direct TLS, WebSocket, BOSH: run again with --tls, --websocket or --bosh); partial when only some of its cases ran; not covered when no scenario of this suite checks one of its providers yet.",
  );
  return `${lines.join("\n")}\n`;
}
