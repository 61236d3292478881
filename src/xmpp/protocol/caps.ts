import { createHash, getHashes } from "node:crypto";
import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { NS } from "../wire/ns.ts";

/**
 * XEP-0115 entity capabilities: the verification string of a disco#info answer (§5.1, with the XEP-0128 forms of
 * §5.4), for checking a server's `<c/>` and for the harness's own resources that advertise features (`caps:`).
 */

const elements = (el: Element, name: string, ns?: string) => el.getChildren(name, ns).filter((c) => typeof c !== "string");
/** §5.1: strings are sorted by i;octet, which is byte order of their UTF-8 encoding. */
const octetOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const valuesOf = (field: Element) => elements(field, "value").map((v) => v.getText());

/** §5.1 steps 1-8: the string S a disco#info <query/> stands for, before hashing. */
export function capsString(query: Element): string {
  // Sorted before the '<' is appended: "pubsub" comes before "pubsub#publish", though "pubsub<" would not.
  const key = (i: Element, attr: string) => String(i.attrs[attr] ?? "");
  const identities = elements(query, "identity")
    .sort((a, b) => octetOrder(key(a, "category"), key(b, "category")) || octetOrder(key(a, "type"), key(b, "type")) || octetOrder(key(a, "xml:lang"), key(b, "xml:lang")))
    .map((i) => `${key(i, "category")}/${key(i, "type")}/${key(i, "xml:lang")}/${key(i, "name")}<`);
  const features = elements(query, "feature")
    .map((f) => key(f, "var"))
    .sort(octetOrder)
    .map((v) => `${v}<`);
  const forms = elements(query, "x", "jabber:x:data")
    .map((form) => {
      const fields = elements(form, "field");
      const formType = fields.find((f) => f.attrs.var === "FORM_TYPE");
      const rest = fields
        .filter((f) => f !== formType)
        .sort((a, b) => octetOrder(String(a.attrs.var ?? ""), String(b.attrs.var ?? "")))
        .map(
          (f) =>
            `${f.attrs.var ?? ""}<${valuesOf(f)
              .sort(octetOrder)
              .map((v) => `${v}<`)
              .join("")}`,
        );
      return { type: formType ? (valuesOf(formType)[0] ?? "") : "", text: rest.join("") };
    })
    .sort((a, b) => octetOrder(a.type, b.type))
    .map((f) => `${f.type}<${f.text}`);
  return [...identities, ...features, ...forms].join("");
}

/** The hash functions named as in the IANA registry §5.1 cites (sha-1, sha-256, …) that node can compute. */
function nodeHash(name: string): string | undefined {
  const n = name.toLowerCase().replace(/-/g, "");
  return getHashes().includes(n) ? n : undefined;
}

/** The verification string: S hashed with `hash` (e.g. "sha-1"), Base64-encoded; undefined for an unknown hash. */
export function capsVer(query: Element, hash: string): string | undefined {
  const algorithm = nodeHash(hash);
  return algorithm && createHash(algorithm).update(capsString(query), "utf8").digest("base64");
}

/** The node the harness's resources name in their `<c/>`. */
export const HARNESS_CAPS_NODE = "https://xmpp-conform.invalid/caps";

/** A resource's capabilities (`caps:` in a scenario): the disco#info it answers and the `<c/>` of its presence. */
export interface ClientCaps {
  ver: string;
  /** The disco#info <query/> for the given node (echoed as §6.2 asks), or none. */
  info(node?: string): Element;
  /** The `<c/>` element of its presence. */
  element(): Element;
}

export function clientCaps(features: readonly string[]): ClientCaps {
  const all = [...new Set([NS.discoInfo, NS.caps, ...features])];
  const info = (node?: string) =>
    xml(
      "query",
      { xmlns: NS.discoInfo, ...(node && { node }) },
      xml("identity", { category: "client", type: "pc", name: "xmpp-conform" }),
      ...all.map((v) => xml("feature", { var: v })),
    ) as unknown as Element;
  const ver = capsVer(info(), "sha-1")!;
  return {
    ver,
    info,
    element: () => xml("c", { xmlns: NS.caps, hash: "sha-1", node: HARNESS_CAPS_NODE, ver }) as unknown as Element,
  };
}
