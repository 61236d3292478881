import { loadProfiles, PROFILES, run, type RunResult } from "../../src/index.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import { FaultProxy } from "./fault-proxy.ts";
import { brokeNothing } from "./results.ts";
import { combine, VARIATIONS } from "./variations.ts";

/**
 * Where deciding by timeouts instead of barriers could change a verdict: a case that looks for an absence or picks
 * among outcomes, or one whose barrier run did not pass (a miss a barrier decided). In the others every expected
 * stanza arrived, which a longer wait cannot undo: running them again would cost CPU and prove nothing.
 */
export const timingMatters = (sc: Scenario, verdict: string) => verdict !== "pass" || sc.steps.some((st) => st.kind === "receive-nothing" || st.kind === "receive-one-of" || st.kind === "one-of");

/**
 * A family's cases against one server three ways, raw (each case's verdict without its profile entry): decided by barriers, decided by
 * timeouts (those `byTimeout` picks: every "receives nothing" then costs a whole timeout), and through every
 * legitimate variation at once (test/support/variations.ts). Each case's verdict must not depend on how it was
 * reached (the whole-suite form of this is test/support/whole-suite.ts).
 */
export async function threeWays(
  cases: Scenario[],
  t: { host: string; port: number; domain: string },
  byTimeout: (sc: Scenario) => boolean = () => true,
): Promise<Record<"barriers" | "timeouts" | "varied", Record<string, string>> & { why: Record<string, string[]> }> {
  // Raw verdicts, from runs with the profiles: a documented failure is not run again alone (src/run/pool.ts). A
  // case that judged nothing broke nothing: as a pass (a variation may take up a MAY the server leaves alone).
  // Beside them, why each case that did not pass did not, run by run: what a rare disagreement left to read.
  const why: Record<string, string[]> = {};
  const verdicts = (r: RunResult, how = "barriers") =>
    Object.fromEntries(
      r.cases.map((c) => {
        const verdict = brokeNothing({ verdict: c.deviation?.verdict ?? c.verdict, reason: c.reason });
        if (verdict !== "pass") (why[c.id] ??= []).push(`${how}: ${verdict}: ${[c.reason, ...c.failures.map((f) => `${f.step}: ${f.message}`)].filter(Boolean).join("; ")}`);
        return [c.id, verdict];
      }),
    );
  const profile = { mode: "auto" as const, profiles: loadProfiles(PROFILES) };
  // A timed run (of the cases where the wait can decide) mostly waits out its timeouts: twice as many cases side by side cost no more CPU.
  const on = (server: string, these = cases, wait?: "timeout") => run(these, { server, domain: t.domain, install: false, concurrency: wait ? 8 : 4, profile, ...(wait && { wait }) });
  const barriers = verdicts(await on(`${t.host}:${t.port}`));
  const timeouts = verdicts(
    await on(
      `${t.host}:${t.port}`,
      cases.filter((sc) => byTimeout(sc) && timingMatters(sc, barriers[sc.id] ?? "")),
      "timeout",
    ),
    "timeouts",
  );
  const proxy = new FaultProxy({ host: t.host, port: t.port });
  const port = await proxy.listen();
  proxy.fault = combine(VARIATIONS.map((v) => v.fault));
  try {
    return { barriers, timeouts, varied: verdicts(await on(`127.0.0.1:${port}`), "varied"), why };
  } finally {
    await proxy.close();
  }
}
