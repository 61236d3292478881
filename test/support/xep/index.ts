/**
 * The XEP families' faults and variations, one file a family (each beside its own helpers), gathered here for
 * faults.ts and variations.ts.
 */
import * as blocking from "./blocking.ts";
import * as carbons from "./carbons.ts";
import * as avatar from "./avatar.ts";
import * as bookmarks from "./bookmarks.ts";
import * as disco from "./disco.ts";
import * as entity from "./entity.ts";
import * as extdisco from "./extdisco.ts";
import * as muc from "./muc.ts";
import * as mobile from "./mobile.ts";
import * as login from "./login.ts";
import * as archive from "./archive.ts";
import * as pep from "./pep.ts";
import * as privateStorage from "./private.ts";
import * as register from "./register.ts";
import * as vcard from "./vcard.ts";

const FAMILIES = [carbons, archive, blocking, vcard, privateStorage, register, entity, disco, pep, bookmarks, avatar, extdisco, muc, mobile, login];

export const XEP_FAULTS = FAMILIES.flatMap((f) => f.FAULTS);
export const XEP_VARIATIONS = FAMILIES.flatMap((f) => f.VARIATIONS);
