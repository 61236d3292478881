import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { NS } from "../wire/ns.ts";

/** XEP-0045 §10.9: the owner's request that destroys a room. */
export const destroyRequest = (room: string): Element => xml("iq", { type: "set", to: room }, xml("query", { xmlns: NS.mucOwner }, xml("destroy", {})));
