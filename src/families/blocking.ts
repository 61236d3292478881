import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/** XEP-0191 Blocking Command. */
export const blocking = family({
  id: "blocking",
  title: "Blocking Command",
  specs: [xep("0191", "Blocking Command", "1.3 (2015-03-12)", true)],
  features: {
    /** XEP-0191 §4. */
    blocking: { disco: "urn:xmpp:blocking", at: "server" },
  },
  prosody: { modules: ["blocklist"] },
  // mod_blocking needs mod_privacy.
  ejabberd: { modules: { mod_blocking: {}, mod_privacy: {} } },
} as const);
