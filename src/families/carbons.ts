import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/** XEP-0280 Message Carbons, with the forwarding (XEP-0297) and hints (XEP-0334) it quotes. */
export const carbons = family({
  id: "carbons",
  title: "Message Carbons",
  specs: [
    xep("0280", "Message Carbons", "1.0.1 (2021-12-26)", true),
    xep("0297", "Stanza Forwarding", "1.0 (2013-10-02)", false),
    xep("0334", "Message Processing Hints", "1.0.0 (2024-04-17)", false),
  ],
  features: {
    /** XEP-0280 §3. */
    carbons: { disco: "urn:xmpp:carbons:2", at: "server" },
    /** XEP-0280 §6.2: the eligibility rules of §6.1 are then REQUIRED. */
    "carbons-rules": { disco: "urn:xmpp:carbons:rules:0", at: "server" },
  },
  prosody: { modules: ["carbons"] },
  ejabberd: { modules: { mod_carboncopy: {} } },
} as const);
