import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { consoleReporter } from "./console.ts";
import { githubReporter } from "./github.ts";
import { htmlReporter } from "./html.ts";
import { jsonReporter } from "./json.ts";
import { jsonlReporter } from "./jsonl.ts";
import { junitReporter } from "./junit.ts";
import { markdownReporter } from "./markdown.ts";
import { complianceReporter } from "./suites.ts";
import type { ReporterFactory } from "./types.ts";

export type { Reporter, ReporterFactory, ReporterOptions } from "./types.ts";

/** --reporter names: one entry each. */
export const reporters: Record<string, ReporterFactory> = {
  console: consoleReporter,
  junit: junitReporter,
  json: jsonReporter,
  jsonl: jsonlReporter,
  html: htmlReporter,
  markdown: markdownReporter,
  compliance: complianceReporter,
  github: githubReporter,
};

/** A path (./x.js, /abs/x.ts, x.mjs) rather than a package name. */
const isPath = (spec: string) => /^[./]/.test(spec) || /\.[cm]?[jt]s$/.test(spec);

/**
 * A reporter by name: a built-in one, or a module outside this repository, by its path or its package
 * name (resolved from the current folder, as the user's own project would), whose default export is a
 * ReporterFactory. A name that is none of these is an error that says what was tried.
 */
export async function resolveReporter(spec: string, cwd = process.cwd()): Promise<ReporterFactory> {
  if (reporters[spec]) return reporters[spec];
  let url: string;
  try {
    url = isPath(spec) ? pathToFileURL(path.resolve(cwd, spec)).href : pathToFileURL(createRequire(path.join(cwd, "package.json")).resolve(spec)).href;
  } catch {
    throw new Error(`unknown reporter '${spec}': not one of ${Object.keys(reporters).join(", ")}, and no package of that name is installed here`);
  }
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (err) {
    throw new Error(`reporter '${spec}' could not be loaded: ${(err as Error).message}`);
  }
  if (typeof mod.default !== "function") throw new Error(`reporter '${spec}' must export a reporter factory as its default export (a function of the reporter options)`);
  return mod.default as ReporterFactory;
}
