import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

const SASL2 = "urn:xmpp:sasl:2";
const WHERE = "XEP-0388 §3: SASL2 is offered after TLS only, so its cases run where the target serves TLS (--tls starttls or --tls direct)";

/**
 * The one-round-trip logins of 2024 on: SASL2 (XEP-0388), Bind 2 (XEP-0386) inlined in it, FAST tokens
 * (XEP-0484) and the channel-binding types a server announces (XEP-0440). Their features are stream features
 * offered after TLS; SASL2's may depend on the JID the header names (XEP-0388 §2.1), so they are asked on a
 * stream whose header has the case's first account as 'from' (`named`). Bind 2's and FAST's live in SASL2's
 * `<inline/>`, Bind 2's own inline features in Bind 2's (`inline`, `var`). The cases drive the exchanges on
 * raw connections (`authenticates: { profile: sasl2, … }`, docs/stream-steps.md).
 */
export const login = family({
  id: "login",
  title: "SASL2, Bind 2, FAST and channel binding",
  specs: [
    xep("0388", "Extensible SASL Profile", "1.0.4 (2025-08-25)", true),
    xep("0386", "Bind 2", "1.1.0 (2025-12-12)", true),
    xep("0484", "Fast Authentication Streamlining Tokens", "0.2.0 (2024-06-30)", true),
    xep("0440", "SASL Channel-Binding Type Capability", "1.0.0 (2025-12-08)", true),
  ],
  features: {
    /** XEP-0388 §2.1: the <authentication/> stream feature. */
    sasl2: { ns: SASL2, name: "authentication", named: true },
    /** A SASL2 mechanism offered: PLAIN, SCRAM-SHA-1, and SCRAM with channel binding (the -PLUS variants). */
    "sasl2-plain": { ns: SASL2, name: "authentication", mechanism: "PLAIN", named: true },
    "sasl2-scram": { ns: SASL2, name: "authentication", mechanism: "SCRAM-SHA-1|SCRAM-SHA-256", named: true },
    "sasl2-scram-plus": { ns: SASL2, name: "authentication", mechanism: "SCRAM-SHA-1-PLUS|SCRAM-SHA-256-PLUS", named: true },
    /** XEP-0386 §3.1: Bind 2 in SASL2's <inline/>, and the features it can enable inline. */
    bind2: { ns: "urn:xmpp:bind:0", name: "bind", inline: true, named: true },
    "bind2-carbons": { ns: "urn:xmpp:bind:0", name: "bind", inline: true, var: "urn:xmpp:carbons:2", named: true },
    "bind2-sm": { ns: "urn:xmpp:bind:0", name: "bind", inline: true, var: "urn:xmpp:sm:3", named: true },
    /** XEP-0198 §9.2: stream resumption inside SASL2, an <sm/> in its <inline/>. */
    "sasl2-resume": { ns: "urn:xmpp:sm:3", name: "sm", inline: true, named: true },
    /** XEP-0484 §3.1: FAST in SASL2's <inline/>, whatever its mechanisms (for the cases that judge them). */
    "fast-offered": { ns: "urn:xmpp:fast:0", name: "fast", inline: true, named: true },
    /** FAST with the one mechanism the harness logs in with (no channel binding). */
    fast: { ns: "urn:xmpp:fast:0", name: "fast", inline: true, mechanism: "HT-SHA-256-NONE", named: true },
    /** A FAST mechanism with channel binding (tls-exporter), to request a token the harness then uses without. */
    "fast-expr": { ns: "urn:xmpp:fast:0", name: "fast", inline: true, mechanism: "HT-SHA-256-EXPR", named: true },
    /** XEP-0440 §2: the channel-binding types, a stream feature. */
    "sasl-cb": { ns: "urn:xmpp:sasl-cb:0", name: "sasl-channel-binding" },
  },
  prosody: {
    modules: [],
    // prosody-modules' snapshot in Debian's backports (for Prosody 13): SASL2 with Bind 2, FAST and resumption inline.
    community: ["sasl2", "sasl2_bind2", "sasl2_fast", "sasl2_sm"],
    lacks: {
      sasl2: "Prosody 0.12 has no SASL2 (mod_sasl2 is a community module: prosody-modules, backported for 13 only)",
      "sasl2-plain": "Prosody 0.12 has no SASL2",
      "sasl2-scram": "Prosody 0.12 has no SASL2",
      "sasl2-scram-plus": "Prosody 0.12 has no SASL2",
      bind2: "Prosody 0.12 has no Bind 2 (mod_sasl2_bind2, a community module for 13)",
      "bind2-carbons": "Prosody 0.12 has no Bind 2",
      "bind2-sm": "Prosody 0.12 has no Bind 2",
      "sasl2-resume": "Prosody 0.12 has no SASL2 (mod_sasl2_sm, a community module for 13)",
      "fast-offered": "Prosody 0.12 has no FAST (mod_sasl2_fast, a community module for 13)",
      fast: "Prosody 0.12 has no FAST",
      "fast-expr": "Prosody 0.12 has no FAST",
      "sasl-cb": "Prosody 0.12 announces no XEP-0440 channel-binding types (13 does, over TLS)",
    },
  },
  ejabberd: {
    // FAST tokens (24.12 on; 23.01 has none): kept in Mnesia, as the module's default.
    modules: { mod_auth_fast: {} },
    newer: ["mod_auth_fast"],
    lacks: {
      sasl2: `ejabberd 23.01 has no SASL2 (24.12 has); ${WHERE}`,
      "sasl2-plain": `ejabberd 23.01 has no SASL2; ${WHERE}`,
      "sasl2-scram": `ejabberd 23.01 has no SASL2; ${WHERE}`,
      "sasl2-scram-plus": `ejabberd 23.01 has no SASL2; ${WHERE}`,
      bind2: `ejabberd 23.01 has no Bind 2; ${WHERE}`,
      "bind2-carbons": `ejabberd 23.01 has no Bind 2; ${WHERE}`,
      "bind2-sm": `ejabberd 23.01 has no Bind 2; ${WHERE}`,
      "sasl2-resume": `ejabberd 23.01 has no SASL2; ${WHERE}`,
      "fast-offered": `ejabberd 23.01 has no mod_auth_fast (24.12 has; as shipped its configuration does not load it); ${WHERE}`,
      fast: `ejabberd 23.01 has no mod_auth_fast; ${WHERE}`,
      "fast-expr": `ejabberd 23.01 has no mod_auth_fast; ${WHERE}`,
      "sasl-cb": "ejabberd 23.01 announces no XEP-0440 channel-binding types; announced after TLS",
    },
  },
} as const);
