import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/** The upload service's size limit on the local servers (XEP-0363 §3's max-file-size): 1 MiB. */
export const UPLOAD_LIMIT = 1048576;

/**
 * Services that extend the server: external components (XEP-0114) and HTTP file upload (XEP-0363). The local
 * targets accept one component on a subdomain, with this shared secret, on a component port of their own on
 * loopback (the target records it; a running server's is given with --component), and run an upload service on
 * upload.DOMAIN whose slots are on their HTTPS port.
 */
export const services = family({
  id: "services",
  title: "Components and file upload",
  specs: [xep("0114", "Jabber Component Protocol", "1.6 (2012-01-25)", true), xep("0363", "HTTP File Upload", "1.2.0 (2025-06-17)", true)],
  features: {
    /** The run knows a component name the target accepts, its shared secret and its port (XEP-0114 §3). */
    component: { transport: "component" },
    /** XEP-0363 §3: an upload service among the domain's disco#items. */
    upload: { disco: "urn:xmpp:http:upload:0", at: "upload" },
    /**
     * An upload service at all, found by its feature or by the identity of XEP-0363 §3's example (store/file), that
     * answers disco#info as every entity does (XEP-0030): for the case that judges whether it advertises its feature.
     * Any disco#info result counts, with or without the disco#info feature listed (XEP-0030 §3.1: "Entities receiving
     * otherwise valid responses which do not include this feature SHOULD infer the support.", setup.ts).
     */
    "upload-service": { disco: "http://jabber.org/protocol/disco#info", at: "upload" },
  },
  externalComponent: { sub: "component", secret: "xmpp-conform-component-secret" },
  https: true,
  // ejabberd's mod_http_upload serves upload.@HOST@ by default; Prosody's Component below is named the same.
  uploadService: { sub: "upload" },
  prosody: {
    modules: [],
    // A daily quota of three files at the limit, for the quota case (XEP-0363 §6's temporary errors): fresh accounts make each case's own.
    component: {
      sub: "upload",
      plugin: "http_file_share",
      lines: ['http_host = "127.0.0.1"', 'http_external_url = "@HTTPS_URL@"', `http_file_share_size_limit = ${UPLOAD_LIMIT}`, `http_file_share_daily_quota = ${3 * UPLOAD_LIMIT}`],
    },
  },
  ejabberd: { modules: { mod_http_upload: { put_url: "@HTTPS_URL@upload", docroot: "@RUN_DIR@/upload", max_size: UPLOAD_LIMIT } } },
} as const);
