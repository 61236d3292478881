import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/** XEP-0163 Personal Eventing Protocol on the XEP-0060 subset it uses. */
export const pep = family({
  id: "pep",
  title: "Personal Eventing Protocol",
  specs: [xep("0163", "Personal Eventing Protocol", "1.2.2 (2022-02-16)", true), xep("0060", "Publish-Subscribe", "1.30.0 (2025-11-11)", true)],
  features: {
    /** XEP-0163 §1 (PEP: the account is a pubsub service; its publish feature). */
    pep: { disco: "http://jabber.org/protocol/pubsub#publish", at: "account" },
    /** XEP-0060 §7.1.5 publish options (XEP-0223, XEP-0402 rely on them). */
    "pep-publish-options": { disco: "http://jabber.org/protocol/pubsub#publish-options", at: "account" },
  },
  prosody: { modules: ["pep"] },
  // As the package's example configures it: the pubsub service on pubsub.<domain>, PEP on the accounts.
  ejabberd: { modules: { mod_pubsub: { access_createnode: "local", plugins: ["flat", "pep"] } } },
} as const);
