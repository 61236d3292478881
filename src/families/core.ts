import { rfc } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/**
 * RFC 6120 and RFC 6121: streams, SASL, binding, stanzas, the roster, subscriptions, presence and delivery. The
 * optional features its cases need are stream features. Prosody loads presence, message, iq and offline by
 * itself; admin_adhoc and mod_adhoc/mod_configure give the admins their XEP-0133 commands (accounts for runs
 * against a server as shipped).
 */
export const core = family({
  id: "core",
  title: "XMPP core and instant messaging",
  specs: [
    rfc("6120", "Extensible Messaging and Presence Protocol (XMPP): Core", "March 2011", true),
    rfc("6121", "Extensible Messaging and Presence Protocol (XMPP): Instant Messaging and Presence", "March 2011", true),
    rfc("7622", "Extensible Messaging and Presence Protocol (XMPP): Address Format", "September 2015", false),
  ],
  features: {
    rosterver: { ns: "urn:xmpp:features:rosterver", name: "ver" },
    "pre-approval": { ns: "urn:xmpp:features:pre-approval", name: "sub" },
    /** Offered before TLS (RFC 6120 §5): STARTTLS cases run only where it is, so on plaintext and direct-TLS targets they skip. */
    starttls: { ns: "urn:ietf:params:xml:ns:xmpp-tls", name: "starttls" },
    /** XEP-0478 stream limits: the stanza size a server accepts, advertised. */
    "stream-limits": { ns: "urn:xmpp:stream-limits:0", name: "limits" },
    /** A SASL mechanism offered (RFC 6120 §6.4.1): a case that must use that one skips where it is not. */
    "sasl-plain": { ns: "urn:ietf:params:xml:ns:xmpp-sasl", name: "mechanisms", mechanism: "PLAIN" },
    "sasl-scram-sha-1": { ns: "urn:ietf:params:xml:ns:xmpp-sasl", name: "mechanisms", mechanism: "SCRAM-SHA-1" },
    "sasl-scram-sha-256": { ns: "urn:ietf:params:xml:ns:xmpp-sasl", name: "mechanisms", mechanism: "SCRAM-SHA-256" },
    /** Any SCRAM mechanism the harness speaks: a case that needs a challenge (RFC 6120 §6.4.3) whatever the hash. */
    "sasl-scram": { ns: "urn:ietf:params:xml:ns:xmpp-sasl", name: "mechanisms", mechanism: "SCRAM-SHA-1|SCRAM-SHA-256" },
  },
  prosody: {
    modules: ["roster", "saslauth", "admin_adhoc"],
    lacks: {
      starttls: "offered where the target serves TLS (--tls starttls): the plaintext configuration leaves mod_tls out",
      "stream-limits": "Prosody 0.12 announces no XEP-0478 limits (13 does)",
      "sasl-scram-sha-256": "the accounts are stored as SCRAM-SHA-1 hashes (internal_hashed)",
    },
  },
  ejabberd: {
    modules: {
      // Roster versioning is off unless asked for (no rosterver feature without it).
      mod_roster: { versioning: true },
      mod_offline: {},
      mod_adhoc: {},
      mod_configure: {},
    },
    lacks: {
      "pre-approval": "ejabberd does not implement subscription pre-approval (RFC 6121 §3.4 makes it optional)",
      starttls: "offered where the target serves TLS (--tls starttls)",
      "stream-limits": "ejabberd announces no XEP-0478 limits",
      "sasl-scram-sha-256": "the passwords are stored as SCRAM-SHA-1 (auth_password_format: scram)",
    },
  },
} as const);
