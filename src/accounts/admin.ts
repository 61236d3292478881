import { randomBytes } from "node:crypto";
import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { Session } from "../xmpp/session.ts";
import { Transcript } from "../xmpp/transcript.ts";
import { describeStanzaError } from "../xmpp/errors.ts";
import { cannotLogIn } from "./login.ts";
import { AccountsRefused, adminRefusal } from "./refusal.ts";
import type { Provisioner, ProvisionerContext } from "./types.ts";
import { NS } from "../xmpp/ns.ts";

const DATA = "jabber:x:data";

/**
 * XEP-0133 service administration through an admin account's session: add-user to create, delete-user to
 * remove, get-registered-users-list to list (where the server offers it). Each is an ad-hoc command
 * (XEP-0050): execute, then submit the form.
 */
export function adminCommands(ctx: ProvisionerContext): Provisioner {
  const admin = ctx.admin;
  if (!admin) throw new Error("--accounts admin needs --admin JID (and its password)");
  const session = new Session("admin", ctx.endpoint, admin, `xc-admin-${randomBytes(3).toString("hex")}`, new Transcript());

  /** Runs a command to completion; `refusal` turns an error answer into an AccountsRefused where it means one. */
  const run = async (command: string, fields: Record<string, string | string[]>, refusal?: (reply: Element) => AccountsRefused | undefined): Promise<Element> => {
    const node = `${NS.admin}#${command}`;
    const iq = (...children: Element[]) => xml("iq", { type: "set", to: ctx.endpoint.domain }, ...children);
    const fail = (reply: Element, what: string): never => {
      throw (reply.attrs.type === "error" && refusal?.(reply)) || new Error(`${command} as ${admin.jid}: ${what}`);
    };
    const first = await session.request(iq(xml("command", { xmlns: NS.commands, node, action: "execute" })), ctx.timeoutMs);
    // A command without parameters may complete at once (ejabberd's get-registered-users-list).
    if (first.attrs.type === "result" && first.getChild("command", NS.commands)?.attrs.status === "completed") return first.getChild("command", NS.commands)!;
    const sessionid = first.getChild("command", NS.commands)?.attrs.sessionid;
    if (first.attrs.type !== "result" || !sessionid) fail(first, first.attrs.type === "error" ? describeStanzaError(first) : "no command session");
    const form = xml("x", { xmlns: DATA, type: "submit" },
      xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, NS.admin)),
      ...Object.entries(fields).map(([name, v]) => xml("field", { var: name }, ...(Array.isArray(v) ? v : [v]).map((x) => xml("value", {}, x)))));
    const done = await session.request(iq(xml("command", { xmlns: NS.commands, node, sessionid }, form)), ctx.timeoutMs);
    const cmd = done.getChild("command", NS.commands);
    const note = cmd?.getChild("note");
    if (done.attrs.type !== "result" || cmd?.attrs.status !== "completed" || note?.attrs.type === "error") {
      fail(done, done.attrs.type === "error" ? describeStanzaError(done) : (note?.text() ?? `status ${cmd?.attrs.status}`));
    }
    return cmd!;
  };
  const jid = (username: string) => `${username}@${ctx.endpoint.domain}`;

  return {
    name: "admin",
    domain: ctx.endpoint.domain,
    open: () => session.start(ctx.timeoutMs),
    async create(localpart, password) {
      await run("add-user", { accountjid: jid(localpart), password, "password-verify": password }, (reply) => {
        const refused = adminRefusal(admin.jid, reply);
        return refused && new AccountsRefused(refused);
      });
      return { username: localpart, password };
    },
    remove: async (creds) => void (await run("delete-user", { accountjids: [jid(creds.username)] })),
    gone: (creds) => cannotLogIn(ctx, creds),
    async list() {
      const cmd = await run("get-registered-users-list", { max_items: "none" }).catch((err: Error) => {
        throw new Error(`the server offers no list of registered users (XEP-0133 get-registered-users-list): ${err.message}`);
      });
      const values = (cmd.getChild("x", DATA)?.getChildren("field") ?? []).flatMap((f) => f.getChildren("value").map((v) => v.text()));
      const suffix = `@${ctx.endpoint.domain}`;
      return values.filter((v) => v.endsWith(suffix)).map((v) => v.slice(0, -suffix.length));
    },
    close: () => session.close(),
  };
}
