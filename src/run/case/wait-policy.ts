import type { Scenario, Step, Wait } from "../../scenario/types.ts";

/** A case with an account on another server (domain b, or the remote server): what crosses between servers is ordered by no barrier. */
const crossesServers = (sc: Scenario): boolean => sc.accounts.some((a) => a.domain !== "a");

/**
 * A case that creates a room with its own steps: the join that creates it is ordered by no barrier (ejabberd
 * starts the room after routing the join, and a ping meanwhile finds no room: item-not-found).
 */
const createsRooms = (sc: Scenario): boolean => sc.rooms.some((r) => r.byCase);

/**
 * What decides a step's wait: the step, the scenario, else the run (`run`); never a barrier across servers,
 * in a case that creates its rooms, or after a connection was dropped under the case (the server learns of that
 * when it does).
 */
export function waitOf(step: Pick<Step, "wait">, sc: Scenario, now: { run: Wait; dropped: boolean }): Wait {
  return step.wait ?? sc.wait ?? (crossesServers(sc) || createsRooms(sc) || now.dropped ? "timeout" : now.run);
}
