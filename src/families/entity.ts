import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/** The small entity queries: XEP-0199 ping, XEP-0092 software version, XEP-0012 last activity, XEP-0202 entity time. */
export const entity = family({
  id: "entity",
  title: "Entity queries",
  specs: [
    xep("0199", "XMPP Ping", "2.0.1 (2019-03-26)", true),
    xep("0092", "Software Version", "1.1 (2007-02-15)", true),
    xep("0012", "Last Activity", "2.0 (2008-11-26)", true),
    xep("0202", "Entity Time", "2.0 (2009-09-11)", true),
  ],
  features: {
    /** XEP-0199 §5, XEP-0092 §2, XEP-0012 §6, XEP-0202 §3: the small entity queries, as features of the server. */
    ping: { disco: "urn:xmpp:ping", at: "server" },
    version: { disco: "jabber:iq:version", at: "server" },
    last: { disco: "jabber:iq:last", at: "server" },
    time: { disco: "urn:xmpp:time", at: "server" },
    /** XEP-0012 §3: last activity answered for accounts, not only the server's uptime (Prosody's mod_uptime lists
     *  jabber:iq:last on the domain without mod_lastactivity): a get of the user's own, online account. */
    "last-user": { probe: "<query xmlns='jabber:iq:last'/>" },
  },
  // lastactivity answers for users, uptime for the server.
  prosody: { modules: ["ping", "version", "time", "lastactivity", "uptime"] },
  ejabberd: { modules: { mod_ping: {}, mod_version: {}, mod_time: {}, mod_last: {} } },
} as const);
