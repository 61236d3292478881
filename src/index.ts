/**
 * xmpp-conform as a library: load scenarios, run them against a server, get the results record and the
 * events along the way. The CLI (src/cli/) is one user of this; bench/ and the tests are others.
 *
 *   import { loadSuite, run } from "xmpp-conform";
 *   const { scenarios } = loadSuite([SUITE]);
 *   const results = await run(scenarios, { target: "local:prosody" }, { onEvent: (e) => console.log(e.type) });
 */
export { run, type ProfileChoice, type RunHooks, type RunOptions } from "./run/run.ts";
export { loadSuite, type Suite } from "./scenario/load.ts";
export { select } from "./plan/filter.ts";
export { SUITE, PROFILES } from "./suite-files.ts";
export { loadProfile, loadProfiles } from "./profiles/load.ts";
export { fanOut } from "./report/fan-out.ts";
export { reporters, resolveReporter, type Reporter, type ReporterFactory, type ReporterOptions } from "./report/index.ts";
export { readResults } from "./results/read.ts";
export { caseFailsRun, failsRun, worst } from "./results/verdicts.ts";
export type { RunEvent, EventSink } from "./results/events.ts";
export type { CaseResult, RunInfo, RunResult, StepFailure, Verdict } from "./results/schema.ts";
export type { Scenario } from "./scenario/types.ts";
