import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/** Bookmarks and private data in PEP: XEP-0223, XEP-0402 and the XEP-0048 they replace. */
export const bookmarks = family({
  id: "bookmarks",
  title: "Bookmarks and private PEP storage",
  specs: [
    xep("0223", "Persistent Storage of Private Data via PubSub", "1.1.1 (2023-03-23)", true),
    xep("0402", "PEP Native Bookmarks", "1.2.0 (2024-08-15)", true),
    xep("0048", "Bookmarks", "1.2 (2020-08-04)", true),
  ],
  features: {
    /** XEP-0402 §5.3, §6: the server keeps XEP-0048 private-storage bookmarks and PEP bookmarks in step. */
    "bookmarks-compat": { disco: "urn:xmpp:bookmarks:1#compat", at: "account" },
    /** XEP-0402 §5.3: the server keeps the XEP-0048 'storage:bookmarks' PEP node and PEP bookmarks in step. */
    "bookmarks-compat-pep": { disco: "urn:xmpp:bookmarks:1#compat-pep", at: "account" },
  },
  prosody: { modules: ["bookmarks"] },
  // The XEP-0048 node is private to its owner (XEP-0048 §3), as the package's example sets it.
  ejabberd: {
    modules: { mod_pubsub: { force_node_config: { "storage:bookmarks": { access_model: "whitelist" } } } },
    lacks: {
      "bookmarks-compat": "ejabberd 23.01 does not keep XEP-0048 and XEP-0402 bookmarks in step (24.12 does)",
      "bookmarks-compat-pep": "ejabberd 23.01 does not keep the 'storage:bookmarks' node and XEP-0402 bookmarks in step (24.12 does)",
    },
  },
} as const);
