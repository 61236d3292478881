import * as rfc6120 from "./rfc/rfc6120.ts";
import * as rfc6121 from "./rfc/rfc6121.ts";
import { XEP_FAULTS } from "./xep/index.ts";

export type { FaultDef } from "./fault-kit.ts";

/** Every fault: RFC 6121's, RFC 6120's, then the XEP families'. One file a specification (rfc/) or family (xep/). */
export const FAULTS = [...rfc6121.FAULTS, ...rfc6120.FAULTS, ...XEP_FAULTS];
