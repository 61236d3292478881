import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/** XEP-0054 vcard-temp. */
export const vcard = family({
  id: "vcard",
  title: "vcard-temp",
  specs: [xep("0054", "vcard-temp", "1.3.0 (2024-06-27)", true)],
  features: {
    /**
     * XEP-0054 §4 ("If an entity supports the vcard-temp protocol, it MUST report that") names no address: the
     * domain, or the user's bare JID, which answers a vCard request without 'to' (RFC 6120 §10.3.3).
     */
    "vcard-temp": { disco: "vcard-temp", at: "server", orAt: "account" },
  },
  // vcard_legacy serves vcard-temp from PEP.
  prosody: { modules: ["vcard_legacy"] },
  ejabberd: { modules: { mod_vcard: {} } },
} as const);
