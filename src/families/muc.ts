import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/**
 * XEP-0045 Multi-User Chat, with direct invitations (XEP-0249), self-ping (XEP-0410) and occupant identifiers
 * (XEP-0421). The MUC service lives on the subdomain `conference.` of the target's domain on every local server,
 * and a running server's is found through disco#items (or named with --muc-service). A room's archive is XEP-0313's.
 */
export const muc = family({
  id: "muc",
  title: "Multi-User Chat",
  specs: [
    xep("0045", "Multi-User Chat", "1.35.5 (2026-05-03)", true),
    xep("0249", "Direct MUC Invitations", "1.2 (2011-09-22)", true),
    xep("0410", "MUC Self-Ping (Schrödinger's Chat)", "1.1.0 (2019-09-25)", true),
    xep("0421", "Occupant identifiers for semi-anonymous MUCs", "1.0.1 (2025-04-09)", true),
  ],
  features: {
    /** XEP-0045 §6.2: the service's disco#info lists the protocol (a case with rooms needs it). */
    muc: { disco: "http://jabber.org/protocol/muc", at: "muc" },
    /** XEP-0421 §2: a room that adds occupant identifiers lists the feature. */
    "occupant-id": { disco: "urn:xmpp:occupant-id:0", at: "room" },
    /** XEP-0410 §3.3: a room that answers self-pings itself says so. */
    "muc-self-ping-optimization": { disco: "http://jabber.org/protocol/muc#self-ping-optimization", at: "room" },
    /** XEP-0313 §7: a room with an archive lists it on its own JID. */
    "muc-mam": { disco: "urn:xmpp:mam:2", at: "room" },
  },
  prosody: {
    modules: [],
    // Rooms lock until configured (§10.1.2) and keep an archive; anyone may create one.
    component: { sub: "conference", plugin: "muc", lines: ['modules_enabled = { "muc_mam" }', "muc_room_locking = true", "restrict_room_creation = false"] },
  },
  ejabberd: {
    modules: { mod_muc: { host: "conference.@HOST@", access_create: "all", access_persistent: "all", default_room_options: { mam: true } } },
    lacks: {
      "occupant-id": "ejabberd 23.01 and 24.12 have no XEP-0421 occupant identifiers",
      "muc-self-ping-optimization": "ejabberd 23.01 and 24.12 answer a self-ping themselves but do not list the optimization feature (a warning of selfping-optimization-advertised)",
    },
  },
} as const);
