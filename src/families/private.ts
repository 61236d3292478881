import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/** XEP-0049 Private XML Storage: it has no discovery feature, so a probe tells. */
export const privateStorage = family({
  id: "private",
  title: "Private XML Storage",
  specs: [xep("0049", "Private XML Storage", "1.2 (2004-03-01)", true)],
  features: {
    /** XEP-0049: a get of a namespace of the harness's own, which a server with private storage answers. */
    private: { probe: "<query xmlns='jabber:iq:private'><probe xmlns='urn:xmpp-conform:probe'/></query>" },
  },
  prosody: { modules: ["private"] },
  ejabberd: { modules: { mod_private: {} } },
} as const);
