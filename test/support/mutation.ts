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
  /** The cases the fault made fail (or warn) where they passed: the fault was noticed. */
  killedBy: { id: string; verdict: Verdict; reason?: string }[];
  status: "killed" | "survived" | "no-case";
}

const GOOD = new Set<Verdict>(["pass", "warn"]);

/**
 * Runs the cases citing each fault's requirements through the proxy with that fault on, and compares with
 * a baseline through the same proxy without faults. Only cases that pass (or warn) in the baseline count:
 * a case already failing on this server cannot show anything.
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
    const baseline = Object.fromEntries((await runThrough(opts.suite)).map((r) => [r.id, r.verdict]));
    const mutants: Mutant[] = [];
    for (const fault of opts.faults) {
      const plan = opts.suite.filter((sc) => GOOD.has(baseline[sc.id]) && requirementsOf(sc).some((id) => fault.requirements.some((p) => cites(p, id))));
      proxy.fault = fault.fault;
      proxy.streamFault = fault.stream;
      const results = plan.length > 0 ? await runThrough(plan) : [];
      proxy.fault = undefined;
      proxy.streamFault = undefined;
      // Noticed: a case now fails or warns where it passed (or fails where it warned). A skip is not noticing:
      // a fault that hides a feature skips the cases gated on it, and shows nothing of the rule they check.
      const worse = (r: { id: string; verdict: Verdict }) => (r.verdict === "fail" && baseline[r.id] !== "fail") || (r.verdict === "warn" && baseline[r.id] === "pass");
      const killedBy = results.filter(worse).map((r) => ({ id: r.id, verdict: r.verdict, ...(r.reason && { reason: r.reason }) }));
      const m: Mutant = { fault, cases: plan.length, killedBy, status: plan.length === 0 ? "no-case" : killedBy.length > 0 ? "killed" : "survived" };
      mutants.push(m);
      opts.onMutant?.(m);
    }
    return { baseline, mutants };
  } finally {
    await proxy.close();
  }
}
