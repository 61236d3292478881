import type { Element } from "ltx";
import { changed } from "../../fault-kit.ts";

const MUC_OWNER = "http://jabber.org/protocol/muc#owner";
const DATA = "jabber:x:data";
const MODERATED = "muc#roomconfig_moderatedroom";

/**
 * A room configuration form (an owner's, its set-up's too) without its muc#roomconfig_moderatedroom field (XEP-0045
 * §10: "the exact configuration options and form layout shall be determined by the implementation or specific
 * deployment"); undefined for any other stanza.
 */
export function withoutModerationField(el: Element): Element[] | undefined {
  const from = String(el.attrs.from ?? "");
  const form = el.name === "iq" && el.attrs.type === "result" && /^[^@/]+@conference\./.test(from) ? el.getChild("query", MUC_OWNER)?.getChild("x", DATA) : undefined;
  if (form?.attrs.type !== "form" || !form.getChildren("field").some((f) => f.attrs.var === MODERATED)) return undefined;
  return changed(el, (c) => {
    const x = c.getChild("query", MUC_OWNER)!.getChild("x", DATA)!;
    x.children = x.children.filter((f) => typeof f === "string" || f.name !== "field" || f.attrs.var !== MODERATED);
  });
}
