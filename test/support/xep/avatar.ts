import type { FaultDef } from "../fault-kit.ts";
import type { Variation } from "../variations.ts";

export const FAULTS: FaultDef[] = [];

export const VARIATIONS: Variation[] = [];
