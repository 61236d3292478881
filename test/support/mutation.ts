import { catalogs } from "../../src/catalog/index.ts";
import type { Verdict } from "../../src/results/schema.ts";
import { run } from "../../src/run/run.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import { FaultProxy } from "./fault-proxy.ts";
import type { FaultDef } from "./faults.ts";

/** Does requirement `id` (maybe a matrix cell, ID/type) fall under `pattern` (an ID, or a prefix ending in -*)? */
export function cites(pattern: string, id: string): boolean {
  const row = id.split("/")[0];
  return pattern.endsWith("-*") ? row.startsWith(pattern.slice(0, -1)) : row === pattern || id === pattern;
}

/** The specification whose rules a fault breaks: the one whose catalog has the area of its first requirement. */
export function specOf(fault: FaultDef): string {
  const prefix = fault.requirements[0].split("-")[0];
  return [...catalogs().values()].find((c) => c.areas.some((a) => a.prefixes.includes(prefix)))?.spec ?? "rfc6121";
}

/** Every requirement a case cites, its own and its steps'. */
export function requirementsOf(sc: Scenario): string[] {
  const steps = sc.steps.flatMap((s) => [...(s.requirements ?? []), ...(s.kind === "one-of" ? s.alternatives.flatMap((a) => a.steps.flatMap((x) => x.requirements ?? [])) : [])]);
  return [...new Set([...sc.requirements, ...steps])];
}

export interface Mutant {
  fault: FaultDef;
  cases: number;
  /**
   * The cases the fault made fail (or warn) where they passed, or where a requirement it breaks now fails (or warns)
   * that held without it (a case already failing on another rule): the fault was noticed.
   */
  killedBy: { id: string; verdict: Verdict; reason?: string; requirement?: string }[];
  status: "killed" | "survived" | "no-case";
}

const GOOD = new Set<Verdict>(["pass", "warn"]);

/**
 * Runs the cases citing each fault's requirements through the proxy with that fault on, and compares with
 * a baseline through the same proxy without faults. A case counts where it passes (or warns) in the baseline, or
 * where a requirement the fault breaks held in it: a case failing on another rule can still show this one.
 */
export async function mutate(opts: {
  upstream: { host: string; port: number; domain: string };
  suite: Scenario[];
  faults: FaultDef[];
  timeoutMs: number;
  concurrency: number;
  onMutant?: (m: Mutant) => void;
}): Promise<{ baseline: Record<string, Verdict>; mutants: Mutant[] }> {
  const proxy = new FaultProxy(opts.upstream);
  const port = await proxy.listen();
  // Each run is a whole run of the library against the proxy, as a user's would be against a server.
  const runThrough = async (plan: Scenario[]) =>
    (await run(plan, { server: `127.0.0.1:${port}`, domain: opts.upstream.domain, timeoutMs: opts.timeoutMs, concurrency: opts.concurrency, install: false })).cases;
  try {
    const direct = await runThrough(opts.suite);
    const baseline = Object.fromEntries(direct.map((r) => [r.id, r.verdict]));
    /** The requirements each case held without a fault. */
    const held = new Map(direct.map((r) => [r.id, new Set((r.requirementResults ?? []).filter((q) => q.verdict === "pass").map((q) => q.id))]));
    const mutants: Mutant[] = [];
    for (const fault of opts.faults) {
      const breaks = (id: string) => fault.requirements.some((p) => cites(p, id));
      const plan = opts.suite.filter((sc) => requirementsOf(sc).some(breaks) && (GOOD.has(baseline[sc.id]) || [...(held.get(sc.id) ?? [])].some(breaks)));
      proxy.fault = fault.fault;
      proxy.streamFault = fault.stream;
      const results = plan.length > 0 ? await runThrough(plan) : [];
      proxy.fault = undefined;
      proxy.streamFault = undefined;
      // Noticed: a case now fails or warns where it passed (or fails where it warned). A skip is not noticing:
      // a fault that hides a feature skips the cases gated on it, and shows nothing of the rule they check.
      const worse = (r: { id: string; verdict: Verdict }) => GOOD.has(baseline[r.id]) && ((r.verdict === "fail" && baseline[r.id] !== "fail") || (r.verdict === "warn" && baseline[r.id] === "pass"));
      // A requirement the fault breaks, held without it, now failing or warning: noticed, whatever the case's verdict.
      const broken = (r: (typeof results)[number]) => r.requirementResults?.find((q) => breaks(q.id) && held.get(r.id)?.has(q.id) && (q.verdict === "fail" || q.verdict === "warn"))?.id;
      const killedBy = results.filter((r) => worse(r) || broken(r)).map((r) => ({ id: r.id, verdict: r.verdict, ...(r.reason && { reason: r.reason }), ...(broken(r) && { requirement: broken(r) }) }));
      const m: Mutant = { fault, cases: plan.length, killedBy, status: plan.length === 0 ? "no-case" : killedBy.length > 0 ? "killed" : "survived" };
      mutants.push(m);
      opts.onMutant?.(m);
    }
    return { baseline, mutants };
  } finally {
    await proxy.close();
  }
}
