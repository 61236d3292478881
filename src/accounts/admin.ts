import { randomBytes } from "node:crypto";
import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { Session } from "../xmpp/session.ts";
import { Transcript } from "../xmpp/transcript.ts";
import { describeStanzaError } from "../xmpp/errors.ts";
import type { Provisioner, ProvisionerContext } from "./types.ts";

const COMMANDS = "http://jabber.org/protocol/commands";
const ADMIN = "http://jabber.org/protocol/admin";

/**
 * XEP-0133 service administration through an admin account's session: add-user to create, delete-user to
 * remove. Each is a two-step ad-hoc command (XEP-0050): execute, then submit the form.
 */
export function adminCommands(ctx: ProvisionerContext): Provisioner {
  const admin = ctx.admin;
  if (!admin) throw new Error("--accounts admin needs --admin JID (and its password)");
  const session = new Session("admin", ctx.endpoint, admin, `xc-admin-${randomBytes(3).toString("hex")}`, new Transcript());

  const run = async (command: string, fields: Record<string, string | string[]>): Promise<void> => {
    const node = `${ADMIN}#${command}`;
    const iq = (...children: Element[]) => xml("iq", { type: "set", to: ctx.endpoint.domain }, ...children);
    const first = await session.request(iq(xml("command", { xmlns: COMMANDS, node, action: "execute" })), ctx.timeoutMs);
    const sessionid = first.getChild("command", COMMANDS)?.attrs.sessionid;
    if (first.attrs.type !== "result" || !sessionid) throw new Error(`${command} as ${admin.jid}: ${first.attrs.type === "error" ? describeStanzaError(first) : "no command session"}`);
    const form = xml("x", { xmlns: "jabber:x:data", type: "submit" },
      xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, ADMIN)),
      ...Object.entries(fields).map(([name, v]) => xml("field", { var: name }, ...(Array.isArray(v) ? v : [v]).map((x) => xml("value", {}, x)))));
    const done = await session.request(iq(xml("command", { xmlns: COMMANDS, node, sessionid }, form)), ctx.timeoutMs);
    const cmd = done.getChild("command", COMMANDS);
    const note = cmd?.getChild("note");
    if (done.attrs.type !== "result" || cmd?.attrs.status !== "completed" || note?.attrs.type === "error") {
      throw new Error(`${command} as ${admin.jid}: ${done.attrs.type === "error" ? describeStanzaError(done) : (note?.text() ?? `status ${cmd?.attrs.status}`)}`);
    }
  };

  return {
    name: "admin",
    open: () => session.start(ctx.timeoutMs),
    async create(localpart) {
      const password = randomBytes(12).toString("hex");
      await run("add-user", { accountjid: `${localpart}@${ctx.endpoint.domain}`, password, "password-verify": password });
      return { username: localpart, password };
    },
    remove: (creds) => run("delete-user", { accountjids: [`${creds.username}@${ctx.endpoint.domain}`] }),
    close: () => session.close(),
  };
}
