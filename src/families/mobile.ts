import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/** XEP-0198 Stream Management, XEP-0352 Client State Indication and XEP-0357 Push Notifications: where mobile clients lose messages. */
export const mobile = family({
  id: "mobile",
  title: "Stream management, client state and push",
  specs: [
    xep("0198", "Stream Management", "1.6.3 (2025-07-28)", true),
    xep("0352", "Client State Indication", "1.0.0 (2020-10-14)", true),
    xep("0357", "Push Notifications", "0.4.1 (2020-02-11)", true),
  ],
  features: {
    /** XEP-0198 §2: the stream feature, offered to an authenticated stream. */
    sm: { ns: "urn:xmpp:sm:3", name: "sm", afterAuth: true },
    /** XEP-0352 §4: the stream feature. */
    csi: { ns: "urn:xmpp:csi:0", name: "csi", afterAuth: true },
    /** XEP-0357 §5: the user's server lists the feature on the account. */
    push: { disco: "urn:xmpp:push:0", at: "account" },
  },
  prosody: {
    modules: ["smacks", "csi_simple", "cloud_notify"],
    lacks: { push: "Prosody 0.12 ships no mod_cloud_notify (a community module); Prosody 13 has it" },
  },
  ejabberd: { modules: { mod_stream_mgmt: { resend_on_timeout: "if_offline" }, mod_client_state: {}, mod_push: {} } },
} as const);
