import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/** XEP-0313 Message Archive Management, with result set paging (XEP-0059), stanza ids (XEP-0359), and the delay and date formats and the form validation (XEP-0122) it quotes. */
export const archive = family({
  id: "archive",
  title: "Message Archive Management",
  specs: [
    xep("0313", "Message Archive Management", "1.1.3 (2025-04-09)", true),
    xep("0059", "Result Set Management", "1.0 (2006-09-20)", true),
    xep("0359", "Unique and Stable Stanza IDs", "0.7.0 (2023-02-20)", true),
    xep("0203", "Delayed Delivery", "2.0 (2009-09-15)", false),
    xep("0082", "XMPP Date and Time Profiles", "1.1.1 (2021-08-31)", false),
    xep("0122", "Data Forms Validation", "1.0.2 (2018-03-21)", false),
  ],
  features: {
    /** XEP-0313 §6.1: a user's archive is discovered on the user's bare JID. */
    mam: { disco: "urn:xmpp:mam:2", at: "account" },
    /** XEP-0313 §6.1.1: before-id, after-id and ids in queries. */
    "mam-extended": { disco: "urn:xmpp:mam:2#extended", at: "account" },
  },
  prosody: { modules: ["mam"] },
  // The archive as the package's example configures it.
  ejabberd: {
    modules: { mod_mam: { assume_mam_usage: true, default: "always" } },
    lacks: { "mam-extended": "ejabberd 23.01 and 24.12 do not implement XEP-0313 §6.1.1's extended queries" },
  },
} as const);
