import { fileURLToPath } from "node:url";
import { z } from "zod";
import { catalogs } from "../catalog/index.ts";
import type { RunResult } from "../results/schema.ts";
import { findSpec, sectionUrl, specName } from "../specification/registry.ts";
import { readYamlFile } from "../util/yaml-file.ts";
import { describeStop } from "../results/stopped.ts";

/**
 * The XMPP compliance suites (XEP-0479) a server meets, from a run: each suite's features at the Server and
 * Advanced Server levels, each as met (every requirement of its providers that the run checked held at MUST),
 * not met (with the requirements that failed), not advertised by the server, or not covered (no scenario checks
 * a provider yet). The suites are data (spec/compliance/xep-0479.yaml): a specification that gains a catalog and
 * scenarios moves its features from "not covered" without a change here.
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

export const SUITES_FILE = fileURLToPath(new URL("../../spec/compliance/xep-0479.yaml", import.meta.url));

export type FeatureStatus = "met" | "not met" | "not advertised" | "not covered" | "no verdict";
export const LEVEL_NAMES = { server: "Server", advancedServer: "Advanced Server" } as const;
export type SuiteLevel = keyof typeof LEVEL_NAMES;

export interface FeatureResult {
  feature: string;
  providers: { id: string; name: string; url: string }[];
  status: FeatureStatus;
  /** Requirements of its providers the run checked, and those that failed at MUST. */
  checked: number;
  failing: string[];
  notes: string[];
}

export interface SuiteResult {
  suite: string;
  name: string;
  level: SuiteLevel;
  /** met: every required feature met (and the suites it requires); not met: one is not; else not covered; no verdict: the run stopped early. */
  status: "met" | "not met" | "not covered" | "no verdict";
  requires: string[];
  features: FeatureResult[];
}

export interface ComplianceReport {
  source: { specification: string; title: string; version: string };
  /** The run stopped before every case had run (why and when): nothing is judged. */
  stopped?: string;
  suites: SuiteResult[];
}

/** Requirements a MUST failure of some case cites (with or without a profile saying it is known). */
function failingAtMust(run: RunResult): Set<string> {
  return new Set(run.cases.flatMap((c) => c.failures.filter((f) => f.level === "MUST").flatMap((f) => f.requirements)));
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

/** The compliance suites against one run. */
export function complianceOf(run: RunResult, file = SUITES_FILE): ComplianceReport {
  const { data } = readYamlFile(file, SuitesFile);
  const failing = failingAtMust(run);
  const seen = checked(run);
  const offered = advertised(run);
  const cats = catalogs();
  const featureResult = (f: z.infer<typeof Feature>): FeatureResult => {
    const ids = f.providers.flatMap((p) => (cats.has(p) ? cats.get(p)!.requirements.map((r) => r.id) : []));
    const mine = ids.filter((id) => seen.has(id));
    const broken = ids.filter((id) => failing.has(id));
    const covered = f.providers.every((p) => cats.has(p) && cats.get(p)!.requirements.some((r) => seen.has(r.id)));
    const status: FeatureStatus = run.interrupted
      ? "no verdict"
      : broken.length > 0
        ? "not met"
        : f.advertised && server(run) && !f.advertised.some((a) => offered.has(a))
          ? "not advertised"
          : covered
            ? "met"
            : "not covered";
    return {
      feature: f.feature,
      providers: f.providers.map((id) => ({ id, name: specName(id), url: sectionUrl(id) })),
      status,
      checked: mine.length,
      failing: broken.sort((a, b) => a.localeCompare(b)),
      notes: f.notes,
    };
  };
  const byLevel = (level: SuiteLevel) =>
    data.suites.map((s) => {
      const features = s.features.filter((f) => f[level] === "required").map(featureResult);
      return { suite: s.id, name: s.name, level, requires: s.requires, features };
    });
  const suites: SuiteResult[] = (Object.keys(LEVEL_NAMES) as SuiteLevel[]).flatMap((level) => {
    const rows = byLevel(level);
    const own = (r: (typeof rows)[number]) => (r.features.some((f) => f.status === "not met") ? "not met" : r.features.every((f) => f.status === "met") ? "met" : "not covered");
    return rows.map((r) => {
      const needed = [own(r), ...r.requires.map((id) => own(rows.find((x) => x.suite === id)!))];
      const status = run.interrupted ? "no verdict" : needed.includes("not met") ? "not met" : needed.every((n) => n === "met") ? "met" : "not covered";
      return { ...r, status };
    });
  });
  const stopped = run.interrupted ? (run.stopped ? describeStop(run.stopped) : "the run was interrupted") : undefined;
  return { source: { specification: data.specification, title: data.title, version: data.version }, ...(stopped && { stopped }), suites };
}

/** Whether the run knows what the server advertised (a run that could not reach it does not). */
const server = (run: RunResult) => run.target.server !== undefined;

/** The report as Markdown: per level, each suite with its status, then its required features. */
export function renderComplianceMarkdown(report: ComplianceReport): string {
  const lines = [`### ${report.source.title} (${findSpec(report.source.specification)?.name ?? "XEP-0479"} ${report.source.version}): what this server meets`, ""];
  if (report.stopped) lines.push(`> **No verdict: the run stopped before every case had run** (${report.stopped}). Run the whole suite to judge the suites.`, "");
  for (const level of Object.keys(LEVEL_NAMES) as SuiteLevel[]) {
    lines.push(`#### ${LEVEL_NAMES[level]}`, "", "| suite | status | feature | providers | feature status | requirements failing at MUST |", "|---|---|---|---|---|---|");
    for (const s of report.suites.filter((x) => x.level === level)) {
      s.features.forEach((f, i) => {
        const providers = f.providers.map((p) => `[${p.name}](${p.url})`).join(", ");
        lines.push(
          `| ${i === 0 ? `${s.name}${s.requires.length ? ` (with ${s.requires.join(", ")})` : ""}` : ""} | ${i === 0 ? `**${s.status}**` : ""} | ${f.feature} | ${providers} | ${f.status}${f.status === "met" ? ` (${f.checked} requirements checked)` : ""} | ${f.failing.join(", ")} |`,
        );
      });
    }
    lines.push("");
  }
  lines.push("A feature is met when every requirement of its providers that the run checked held at MUST; not covered when no scenario of this suite checks one of its providers yet.");
  return `${lines.join("\n")}\n`;
}
