import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/** XEP-0077 In-Band Registration (also how the harness makes its accounts by default). */
export const register = family({
  id: "register",
  title: "In-Band Registration",
  specs: [xep("0077", "In-Band Registration", "2.4 (2012-01-25)", true)],
  features: {
    /** XEP-0077 §3: in-band registration offered as a stream feature (before authentication). */
    register: { ns: "http://jabber.org/features/iq-register", name: "register" },
    /** XEP-0077 §3 (registration also offered to a logged-in user: password change and cancel). */
    "iq-register": { disco: "jabber:iq:register", at: "server" },
  },
  prosody: { modules: ["register"] },
  // Open to anyone, from loopback without the per-address limit; no welcome message to disturb the cases.
  ejabberd: { modules: { mod_register: { access: "register", ip_access: "trusted_network", welcome_message: { subject: "", body: "" } } } },
} as const);
