import type { Scenario, Step, Wait } from "../../scenario/types.ts";

/** A case with an account on another server (domain b, or the remote server): what crosses between servers is ordered by no barrier. */
const crossesServers = (sc: Scenario): boolean => sc.accounts.some((a) => a.domain !== "a");

/**
 * What decides a step's wait: the step, the scenario, else the run (`run`); never a barrier across servers or
 * after a connection was dropped under the case (the server learns of that when it does).
 */
export function waitOf(step: Pick<Step, "wait">, sc: Scenario, now: { run: Wait; dropped: boolean }): Wait {
  return step.wait ?? sc.wait ?? (crossesServers(sc) || now.dropped ? "timeout" : now.run);
}
