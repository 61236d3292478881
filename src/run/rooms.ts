import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { parsePattern } from "../match/pattern.ts";
import type { Affiliation, RoomSpec } from "../scenario/types.ts";
import type { Session } from "../xmpp/connections/session.ts";
import { describeStanzaError } from "../xmpp/protocol/errors.ts";
import { NS } from "../xmpp/wire/ns.ts";
import { destroyRequest } from "../xmpp/protocol/muc.ts";
import { PreconditionFailed } from "./case/errors.ts";
import { barrier } from "./barrier.ts";
import { consume, findNow, waitFor } from "./expect.ts";

/** The nickname an owner creates a room with at set-up (it leaves before the steps). */
export const SETUP_NICK = "set-up";

/** A room's JID for a case: its name made unique, on the service. */
export const roomJid = (name: string, uid: string, service: string) => `${name}-${uid}@${service}`.toLowerCase();

/**
 * What every room made at set-up is configured with, unless the case names the field: persistent, so that it waits
 * empty for the steps; and, where the form offers it, broadcasting every role's presence (§7.2.2 lets a room be
 * configured not to, and which roles a new room broadcasts is the service's default: a case never relies on it);
 * and open where the form offers members-only (§10.1.1 leaves a new room's type to the service's default, which a
 * deployment may make members-only: a case that needs a members-only room says so).
 */
const ROOM_DEFAULTS: Record<string, string | string[]> = {
  "muc#roomconfig_persistentroom": "1",
  "muc#roomconfig_presencebroadcast?": ["moderator", "participant", "visitor"],
  "muc#roomconfig_membersonly?": "0",
};

/** The fields a configuration key names: `a|b` names either, `a?` is optional. */
const fieldsOf = (key: string) => key.replace(/\?$/, "").split("|");

/** ROOM_DEFAULTS but those whose field the case's own configuration names. */
function defaultsBeside(config: Record<string, string | string[]>): Record<string, string | string[]> {
  const named = new Set(Object.keys(config).flatMap(fieldsOf));
  return Object.fromEntries(Object.entries(ROOM_DEFAULTS).filter(([key]) => !fieldsOf(key).some((f) => named.has(f))));
}

/** The server refused what a room fixture needs, the same on every attempt: a skip naming it. */
function notGiven(step: string, answer: string): never {
  throw new PreconditionFailed({ step, answer }, `room ${step}`, `the server did not give the precondition '${step}': ${answer}`);
}

async function awaitPresence(s: Session, room: string, pattern: string, timeoutMs: number): Promise<Element | undefined> {
  const p = parsePattern(pattern);
  const errorPattern = parsePattern(`<presence type='error'/>`);
  const { found } = await waitFor(
    s,
    () => findNow(s.inbox.items, [p], "one", {}) ?? findNow(s.inbox.items, [errorPattern], "one", {}),
    timeoutMs,
    (signal) => barrier([s], [s], timeoutMs, 0, signal, [room]),
  );
  if (!found) return undefined;
  consume(found);
  return found.picked[0].el;
}

/**
 * A form field's values as the service shows them, normalised by its type: a boolean as 1 or 0 (one without a value is
 * false, XEP-0004 §3.3), a multi-value field as a set. A list option the service names its own way, labelled with a
 * value the case asked for (Prosody 13's 'moderator', labelled "Moderators", for XEP-0045's 'moderators'), is that
 * value.
 */
function shown(field: Element | undefined, asked: string[] = []): string[] | undefined {
  if (!field) return undefined;
  const type = String(field.attrs.type ?? "");
  const values = field.getChildren("value").map((v) => v.text().trim());
  if (type === "boolean") return (values.length > 0 ? values : ["0"]).map((v) => (v === "true" || v === "1" ? "1" : v === "false" || v === "0" ? "0" : v));
  if (type.startsWith("jid-")) return values.map((v) => v.toLowerCase()).sort();
  const labels = new Map(field.getChildren("option").map((o) => [o.getChildText("value")?.trim() ?? "", String(o.attrs.label ?? "").toLowerCase()]));
  const named = values.map((v) => (!asked.includes(v) && asked.includes(labels.get(v) ?? "") ? labels.get(v)! : v));
  return type.endsWith("-multi") ? named.sort() : named;
}

/**
 * Reads the configuration form back after the submission: a case judges rules that hold only in a room configured as
 * it asked (a members-only room, a room name, semi-anonymity), so a field the service accepted and did not apply is a
 * precondition it did not give, named, not a failure of those rules. A secret the form leaves out is no evidence
 * either way (a service may keep a password out of the form).
 */
async function readBack(owner: Session, jid: string, fields: Record<string, string | string[]>, who: string, timeoutMs: number): Promise<void> {
  const byVar = await configForm(owner, jid, `${who}: its configuration form read back`, timeoutMs);
  const unapplied = Object.entries(fields).flatMap(([name, value]) => {
    const field = byVar.get(name);
    const asked = shown(field && xml("field", { type: field.attrs.type }, ...(Array.isArray(value) ? value : [value]).map((v) => xml("value", {}, v))));
    const now = shown(field, asked);
    if (field?.attrs.type === "text-private" && (now?.length ?? 0) === 0) return [];
    return now && asked && now.join("\n") === asked.join("\n") ? [] : [{ name, why: `${name} (asked ${JSON.stringify(value)}, shown ${now ? JSON.stringify(now) : "no field"})` }];
  });
  if (unapplied.length > 0) notGiven(`${who}: configured with ${unapplied.map((u) => u.name).join(", ")}`, `the form read back shows it not applied: ${unapplied.map((u) => u.why).join("; ")}`);
}

/** The room's configuration form (XEP-0045 §10.1.3, §10.2), its fields by name; a refusal is the precondition `step` not given. */
async function configForm(owner: Session, jid: string, step: string, timeoutMs: number): Promise<Map<string, Element>> {
  const form = await owner.request(xml("iq", { type: "get", to: jid }, xml("query", { xmlns: NS.mucOwner })), timeoutMs);
  if (form.attrs.type !== "result") notGiven(step, describeStanzaError(form));
  return new Map((form.getChild("query", NS.mucOwner)?.getChild("x", NS.dataForms)?.getChildren("field") ?? []).map((f) => [String(f.attrs.var ?? ""), f]));
}

/**
 * Creates a room as XEP-0045 §10.1 says, on the owner's set-up session: enters it (status 201: created),
 * submits the configuration form with the case's fields and ROOM_DEFAULTS and reads it back, grants the affiliations
 * (§9, §10) and reads their lists back, and leaves. A field the form does not offer or does not show applied, or a refusal, is a precondition
 * the server did not give: the case skips naming it.
 */
export async function createRoom(owner: Session, room: RoomSpec, jid: string, jids: Record<string, string>, timeoutMs: number): Promise<void> {
  const who = `${room.owner} creates the room ${room.name}`;
  await owner.send(xml("presence", { to: `${jid}/${SETUP_NICK}` }, xml("x", { xmlns: NS.muc })));
  // The owner's own presence (its status 110, even its coming) is what the entering cases judge: set-up waits only
  // until the room has read the request, and a refusal is what stops it. The configuration form shows the room is there.
  const self = await awaitPresence(owner, jid, `<presence from='${jid}/${SETUP_NICK}'/>`, timeoutMs);
  if (self?.attrs.type === "error") notGiven(who, `the service answered ${self.toString()}`);
  // The form as the service offers it: the case's fields must be among its fields.
  const offered = new Set((await configForm(owner, jid, `${who}: its configuration form`, timeoutMs)).keys());
  // A key may name the same option under several names (a service's own beside the registered one): the first the form
  // offers; a key ending in '?' is submitted only where the form offers it.
  const wanted = Object.entries({ ...defaultsBeside(room.config), ...room.config }).map(([key, value]) => {
    const optional = key.endsWith("?");
    const names = (optional ? key.slice(0, -1) : key).split("|");
    return { key, optional, name: names.find((n) => offered.has(n)), value };
  });
  const missing = wanted.filter((w) => !w.name && !w.optional).map((w) => w.key.split("|").join(" or "));
  if (missing.length > 0) notGiven(`${who}: ${missing.join(", ")} in its configuration form`, `the form offers ${[...offered].filter(Boolean).join(", ") || "no field"}`);
  const fields = Object.fromEntries(wanted.filter((w) => w.name).map((w) => [w.name!, w.value]));
  const submit = xml(
    "x",
    { xmlns: NS.dataForms, type: "submit" },
    xml("field", { var: "FORM_TYPE" }, xml("value", {}, "http://jabber.org/protocol/muc#roomconfig")),
    ...Object.entries(fields).map(([v, value]) => xml("field", { var: v }, ...(Array.isArray(value) ? value : [value]).map((x) => xml("value", {}, x)))),
  );
  const configured = await owner.request(xml("iq", { type: "set", to: jid }, xml("query", { xmlns: NS.mucOwner }, submit)), timeoutMs);
  if (configured.attrs.type !== "result") notGiven(`${who}: configured with ${Object.keys(room.config).join(", ") || "persistence"}`, describeStanzaError(configured));
  if (room.readBack) await readBack(owner, jid, fields, who, timeoutMs);
  for (const [account, affiliation] of Object.entries(room.affiliations)) {
    const granted = await owner.request(xml("iq", { type: "set", to: jid }, xml("query", { xmlns: NS.mucAdmin }, xml("item", { affiliation, jid: jids[account] }))), timeoutMs);
    if (granted.attrs.type !== "result") notGiven(`${room.owner} makes ${account} ${affiliation} of the room ${room.name}`, describeStanzaError(granted));
  }
  await grantsShown(owner, room, jid, jids, timeoutMs);
  await owner.send(xml("presence", { to: `${jid}/${SETUP_NICK}`, type: "unavailable" }));
  // Its echo is what the exit cases judge (§7.14): set-up waits only until the room has read the leave.
  await awaitPresence(owner, jid, `<presence from='${jid}/${SETUP_NICK}' type='unavailable'/>`, timeoutMs);
}

/**
 * Reads each affiliation list the fixture added to: a case judges rules that rest on its bans, members and admins, so a
 * grant answered with a result and not made is a precondition the server did not give, named, not a failure of the
 * case's rules (the grant's own rules are the affiliation cases'). A list the owner is refused is no evidence either way.
 * A grant the case's own steps judge on its list (RoomSpec.grantsJudged) is not read: one the list leaves out is the
 * case's failure.
 */
async function grantsShown(owner: Session, room: RoomSpec, jid: string, jids: Record<string, string>, timeoutMs: number): Promise<void> {
  const byAffiliation = new Map<Affiliation, string[]>();
  for (const [account, affiliation] of Object.entries(room.affiliations))
    if (!room.grantsJudged.includes(account)) byAffiliation.set(affiliation, [...(byAffiliation.get(affiliation) ?? []), account]);
  for (const [affiliation, accounts] of byAffiliation) {
    const list = await owner.request(xml("iq", { type: "get", to: jid }, xml("query", { xmlns: NS.mucAdmin }, xml("item", { affiliation }))), timeoutMs);
    if (list.attrs.type !== "result") continue;
    const named = new Set((list.getChild("query", NS.mucAdmin)?.getChildren("item") ?? []).map((i) => String(i.attrs.jid ?? "").toLowerCase()));
    const missing = accounts.filter((a) => !named.has(jids[a].toLowerCase()));
    if (missing.length > 0)
      notGiven(
        `${room.owner} makes ${missing.join(", ")} ${affiliation} of the room ${room.name}`,
        `the ${affiliation} list read back leaves out ${missing.map((a) => jids[a]).join(", ")}: ${list.toString()}`,
      );
  }
}

/** Destroys a room (XEP-0045 §10.9) as its owner; whatever the answer (a room the case destroyed is gone already), the case is over. */
export async function destroyRoom(owner: Session, jid: string, timeoutMs: number): Promise<string | undefined> {
  const reply = await owner.request(destroyRequest(jid), timeoutMs);
  if (reply.attrs.type === "result") return undefined;
  const why = describeStanzaError(reply);
  return why.startsWith("item-not-found") ? undefined : why;
}
