import type { FaultDef } from "../fault-kit.ts";
import type { Variation } from "../variations.ts";

/** XEP-0054: server bugs the cases must catch. */
export const FAULTS: FaultDef[] = [];

/** XEP-0054: what a correct server may do differently; no verdict may change. */
export const VARIATIONS: Variation[] = [];
