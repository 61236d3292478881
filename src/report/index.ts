import { consoleReporter } from "./console.ts";
import { htmlReporter } from "./html.ts";
import { junitReporter } from "./junit.ts";
import { jsonReporter } from "./json.ts";
import { markdownReporter } from "./markdown.ts";
import type { ReporterFactory } from "./types.ts";

export type { Reporter, ReporterFactory, ReporterOptions } from "./types.ts";

/** --reporter names: one entry each. */
export const reporters: Record<string, ReporterFactory> = {
  console: consoleReporter,
  junit: junitReporter,
  json: jsonReporter,
  html: htmlReporter,
  markdown: markdownReporter,
};
