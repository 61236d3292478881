import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/** A STUN service, and a TURN service with credentials from a shared secret: listed only, nothing listens. */
const SECRET = "xmpp-conform-turn-secret";

/** XEP-0215 External Service Discovery. */
export const extdisco = family({
  id: "extdisco",
  title: "External Service Discovery",
  specs: [xep("0215", "External Service Discovery", "1.0.0 (2022-08-23)", true)],
  features: {
    /** XEP-0215 §5. */
    extdisco: { disco: "urn:xmpp:extdisco:2", at: "server" },
    // What the server's list holds (a deployment may list no service, or none restricted): a case whose
    // precondition is such a service skips without one.
    /** XEP-0215 §2: the server lists at least one external service. */
    "extdisco-services": { probe: "<services xmlns='urn:xmpp:extdisco:2'/>", at: "server", holds: "<iq><services xmlns='urn:xmpp:extdisco:2'><service/></services></iq>" },
    /** XEP-0215 §2, §3.3: the server lists a restricted service (one whose credentials are requested). */
    "extdisco-restricted": { probe: "<services xmlns='urn:xmpp:extdisco:2'/>", at: "server", holds: "<iq><services xmlns='urn:xmpp:extdisco:2'><service restricted='{re:true|1}'/></services></iq>" },
  },
  prosody: {
    modules: ["external_services"],
    config: `external_services = {
  { type = "stun", transport = "udp", host = "127.0.0.1", port = 3478 };
  { type = "turn", transport = "udp", host = "127.0.0.1", port = 3478, secret = "${SECRET}" };
}`,
  },
  ejabberd: {
    modules: {
      mod_stun_disco: {
        secret: SECRET,
        services: [
          { host: "127.0.0.1", port: 3478, type: "stun", transport: "udp", restricted: false },
          { host: "127.0.0.1", port: 3478, type: "turn", transport: "udp", restricted: true },
        ],
      },
    },
  },
} as const);
