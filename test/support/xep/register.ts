import type { Element } from "ltx";
import { STANZAS, changed, when, type FaultDef } from "../fault-kit.ts";
import type { Variation } from "../variations.ts";

const REGISTER = "jabber:iq:register";

const registerResult = (el: Element) => el.name === "iq" && el.attrs.type === "result" && el.getChild("query", REGISTER) !== undefined;
const iqError = (el: Element) => el.name === "iq" && el.attrs.type === "error";

/** XEP-0077: server bugs the cases must catch. */
export const FAULTS: FaultDef[] = [
  {
    id: "register.form-empty",
    area: "register",
    requirements: ["IBR-FORM-01"],
    description: "the registration form before authentication is an empty <query/>: no fields, no data form, no instructions",
    stream: {
      element: when(
        (el) => registerResult(el) && !el.getChild("query", REGISTER)!.getChild("registered"),
        (el) => changed(el, (c) => (c.getChild("query", REGISTER)!.children = [])),
      ),
    },
  },
  {
    id: "register.registered-missing",
    area: "register",
    requirements: ["IBR-REGD-01"],
    description: "the form a logged-in user gets has no <registered/>",
    fault: when(
      (el) => registerResult(el) && el.getChild("query", REGISTER)!.getChild("registered") !== undefined,
      (el) =>
        changed(el, (c) => {
          const q = c.getChild("query", REGISTER)!;
          q.children = q.children.filter((x) => typeof x === "string" || x.name !== "registered");
        }),
    ),
  },
  {
    id: "register.missing-field-bad-request",
    area: "register",
    requirements: ["IBR-MISSING-01"],
    description: "a registration without all the requested information is refused with bad-request, not not-acceptable",
    stream: {
      element: when(
        (el) => iqError(el) && el.getChild("error")?.getChild("not-acceptable", STANZAS) !== undefined,
        (el) =>
          changed(el, (c) => {
            const error = c.getChild("error")!;
            error.getChild("not-acceptable", STANZAS)!.name = "bad-request";
          }),
      ),
    },
  },
  {
    id: "register.form-own-field",
    area: "register",
    requirements: ["IBR-EXT-01"],
    description: "the registration form asks for a field of the server's own making in jabber:iq:register (<favourite-colour/>) instead of a data form",
    stream: {
      element: when(
        (el) => registerResult(el) && !el.getChild("query", REGISTER)!.getChild("registered"),
        (el) => changed(el, (c) => c.getChild("query", REGISTER)!.c("favourite-colour")),
      ),
    },
  },
  {
    id: "register.form-fields-and-url",
    area: "register",
    requirements: ["IBR-COMBO-01"],
    description: "the registration form offers its jabber:iq:register fields together with an out-of-band URL (XEP-0077 §6: NOT RECOMMENDED)",
    stream: {
      element: when(
        (el) => registerResult(el) && el.getChild("query", REGISTER)!.getChild("username") !== undefined,
        (el) => changed(el, (c) => c.getChild("query", REGISTER)!.c("x", { xmlns: "jabber:x:oob" }).c("url").t("https://register.invalid/")),
      ),
    },
  },
];

/**
 * XEP-0077: what a correct server may do differently. None yet: the one the text allows on a logged-in session
 * (an empty <password/> in the registered form, §3.1) is what Prosody and ejabberd already send, and the others
 * are on connections before authentication, which a variation (a stanza fault of a bound connection) does not reach.
 */
export const VARIATIONS: Variation[] = [];
