import type { FaultDef } from "../../fault-kit.ts";
import type { Variation } from "../../variations.ts";

/** XEP-0045 faults and variations of scenarios/muc/ (enter). */
export const FAULTS: FaultDef[] = [];
export const VARIATIONS: Variation[] = [];
