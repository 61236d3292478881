import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/** XEP-0030 Service Discovery and XEP-0115 Entity Capabilities, with the extensions and forms (XEP-0128, XEP-0004) they quote. */
export const disco = family({
  id: "disco",
  title: "Service Discovery and Entity Capabilities",
  specs: [
    xep("0030", "Service Discovery", "2.5.0 (2024-04-30)", true),
    xep("0115", "Entity Capabilities", "1.6.0 (2022-03-08)", true),
    xep("0128", "Service Discovery Extensions", "1.0.1 (2019-07-30)", false),
    xep("0004", "Data Forms", "2.13.2 (2024-08-30)", false),
  ],
  features: {
    /** XEP-0115 §6.3: the server's own capabilities, a `<c/>` among the stream features (after authentication). */
    "server-caps": { ns: "http://jabber.org/protocol/caps", name: "c", afterAuth: true },
  },
  prosody: { modules: ["disco"] },
  ejabberd: { modules: { mod_disco: {}, mod_caps: {} } },
} as const);
