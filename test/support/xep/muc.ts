import type { Element } from "ltx";
import { changed, when, type FaultDef } from "../fault-kit.ts";
import type { Variation } from "../variations.ts";
import * as enter from "./muc/enter.ts";
import * as moderation from "./muc/moderation.ts";
import * as owner from "./muc/owner.ts";
import * as talk from "./muc/talk.ts";

const MUC_USER = "http://jabber.org/protocol/muc#user";

/** A presence a room sent (from an occupant JID) with its muc#user <x/>. */
const occupantPresence = (el: Element) => el.name === "presence" && String(el.attrs.from ?? "").includes("/") && Boolean(el.getChild("x", MUC_USER));
const statuses = (el: Element) => el.getChild("x", MUC_USER)?.getChildren("status") ?? [];

/** XEP-0045 (with XEP-0249, XEP-0410, XEP-0421): server bugs the cases must catch (one file an area, in muc/). */
export const FAULTS: FaultDef[] = [
  ...enter.FAULTS,
  ...talk.FAULTS,
  ...moderation.FAULTS,
  ...owner.FAULTS,
  {
    id: "muc.join.self-presence-without-110",
    area: "muc",
    requirements: ["MUC-JOIN-06"],
    description: "the new occupant's self-presence lacks status code 110",
    // The owner's set-up join too: set-up does not wait for 110, so the cases judging it still fail.
    fault: when(
      (el) => occupantPresence(el) && statuses(el).some((s) => s.attrs.code === "110"),
      (el) =>
        changed(el, (c) => {
          const x = c.getChild("x", MUC_USER)!;
          x.children = x.children.filter((s) => typeof s === "string" || s.name !== "status" || s.attrs.code !== "110");
        }),
    ),
  },
];

/** What XEP-0045 lets a service do differently, which no case may fail on. */
export const VARIATIONS: Variation[] = [...enter.VARIATIONS, ...talk.VARIATIONS, ...moderation.VARIATIONS, ...owner.VARIATIONS];
