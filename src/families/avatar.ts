import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/**
 * User avatars: XEP-0084 in PEP, XEP-0153 in the vCard, and XEP-0398's conversion between them. ejabberd's
 * conversion (mod_avatar) is not loaded here: it turns a vCard set into PEP transactions that collide with other
 * accounts' under load, so vcard-temp's verdicts would change from run to run; the conversion cases run where the
 * package's own configuration loads it (--server-config shipped).
 */
export const avatar = family({
  id: "avatar",
  title: "User avatars",
  specs: [
    xep("0084", "User Avatar", "1.1.4 (2019-09-20)", true),
    xep("0398", "User Avatar to vCard-Based Avatars Conversion", "1.0.0 (2024-05-06)", true),
    xep("0153", "vCard-Based Avatars", "1.1.1 (2024-06-10)", true),
  ],
  features: {
    /** XEP-0398 §4: the server converts between XEP-0084 and XEP-0153 avatars. */
    "avatar-conversion": { disco: "urn:xmpp:pep-vcard-conversion:0", at: "account" },
  },
  // Prosody's vcard_legacy (vcard family) converts.
  prosody: { modules: [] },
  ejabberd: {
    modules: { mod_vcard_xupdate: {} },
    lacks: { "avatar-conversion": "mod_avatar is left out of the harness's configuration (above); the package's own loads it" },
  },
} as const);
