import { xep } from "../specification/spec-entry.ts";
import { family } from "./family.ts";

/**
 * Services that extend the server: external components (XEP-0114). The local targets accept one component on a
 * subdomain, with this shared secret, on a component port of their own on loopback (the target records it; a
 * running server's is given with --component).
 */
export const services = family({
  id: "services",
  title: "Components",
  specs: [xep("0114", "Jabber Component Protocol", "1.6 (2012-01-25)", true)],
  features: {
    /** The run knows a component name the target accepts, its shared secret and its port (XEP-0114 §3). */
    component: { transport: "component" },
  },
  externalComponent: { sub: "component", secret: "xmpp-conform-component-secret" },
  prosody: { modules: [] },
  ejabberd: { modules: {} },
} as const);
