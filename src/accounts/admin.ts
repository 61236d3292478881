import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { describeStanzaError } from "../xmpp/protocol/errors.ts";
import { AdminSessions } from "./admin-sessions.ts";
import { batched } from "./batch.ts";
import { cannotLogIn } from "./login.ts";
import { AccountsRefused, adminRefusal } from "./refusal.ts";
import type { Provisioner, ProvisionerContext } from "./types.ts";
import { NS } from "../xmpp/wire/ns.ts";

const DATA = "jabber:x:data";

/**
 * Admin sessions per run. On a server that limits each connection's rate (Prosody 13 as shipped), add-users
 * sent one after another took 53 ms each on one session, 12 ms going round four and 6 ms round eight: the
 * next command finds a session the limit no longer holds. Eight stay under the sessions a server lets one
 * account have (ejabberd as shipped: 10).
 */
const SESSIONS = 8;

/** Accounts per delete-user: a run's last removal may hold hundreds; a stanza of 50 JIDs is a few kB. */
const BATCH = 50;

/**
 * XEP-0133 service administration as the admin account: add-user to create, delete-user to remove (the
 * accounts removed at the same moment in one command), get-registered-users-list to list (where the server
 * offers it). Each is an ad-hoc command (XEP-0050), sent on a few admin sessions logged in once for the run.
 */
export function adminCommands(ctx: ProvisionerContext): Provisioner {
  const admin = ctx.admin;
  if (!admin) throw new Error("--accounts admin needs --admin JID (and its password)");
  const sessions = new AdminSessions(ctx.endpoint, admin, SESSIONS, ctx.timeoutMs);

  /**
   * Runs a command to completion. With `early`, the fields go with the execute request: Prosody and
   * ejabberd then complete add-user and delete-user in one round trip; a server that answers with its form
   * instead gets them in the form it asked for, as without `early` (ejabberd refuses a form it did not ask
   * for on get-registered-users-list). `refusal` turns an error answer into an AccountsRefused where it means one.
   */
  const run = async (command: string, fields: Record<string, string | string[]>, early: boolean, refusal?: (reply: Element) => AccountsRefused | undefined): Promise<Element> => {
    const node = `${NS.admin}#${command}`;
    const iq = (...children: Element[]) => xml("iq", { type: "set", to: ctx.endpoint.domain }, ...children);
    const fail = (reply: Element, what: string): never => {
      throw (reply.attrs.type === "error" && refusal?.(reply)) || new Error(`${command} as ${admin.jid}: ${what}`);
    };
    const form = xml(
      "x",
      { xmlns: DATA, type: "submit" },
      xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, NS.admin)),
      ...Object.entries(fields).map(([name, v]) => xml("field", { var: name }, ...(Array.isArray(v) ? v : [v]).map((x) => xml("value", {}, x)))),
    );
    const first = await sessions.request(iq(xml("command", { xmlns: NS.commands, node, action: "execute" }, ...(early ? [form] : []))));
    let done = first;
    // A command without parameters may complete at once (ejabberd's get-registered-users-list), one given its fields too.
    if (first.attrs.type !== "result" || first.getChild("command", NS.commands)?.attrs.status !== "completed") {
      const sessionid = first.getChild("command", NS.commands)?.attrs.sessionid;
      if (first.attrs.type !== "result" || !sessionid) fail(first, first.attrs.type === "error" ? describeStanzaError(first) : "no command session");
      done = await sessions.request(iq(xml("command", { xmlns: NS.commands, node, sessionid }, form)));
    }
    const cmd = done.getChild("command", NS.commands);
    const note = cmd?.getChild("note");
    if (done.attrs.type !== "result" || cmd?.attrs.status !== "completed" || note?.attrs.type === "error") {
      fail(done, done.attrs.type === "error" ? describeStanzaError(done) : (note?.text() ?? `status ${cmd?.attrs.status}`));
    }
    return cmd!;
  };
  const jid = (username: string) => `${username}@${ctx.endpoint.domain}`;
  const deleteUsers = batched<string>(async (accountjids) => void (await run("delete-user", { accountjids }, true)), BATCH);

  return {
    name: "admin",
    domain: ctx.endpoint.domain,
    open: () => sessions.open(),
    async create(localpart, password) {
      await run("add-user", { accountjid: jid(localpart), password, "password-verify": password }, true, (reply) => {
        const refused = adminRefusal(admin.jid, reply);
        return refused && new AccountsRefused(refused);
      });
      return { username: localpart, password };
    },
    remove: (creds) => deleteUsers(jid(creds.username)),
    gone: (creds) => cannotLogIn(ctx, creds),
    async list() {
      const cmd = await run("get-registered-users-list", { max_items: "none" }, false).catch((err: Error) => {
        throw new Error(`the server offers no list of registered users (XEP-0133 get-registered-users-list): ${err.message}`);
      });
      const values = (cmd.getChild("x", DATA)?.getChildren("field") ?? []).flatMap((f) => f.getChildren("value").map((v) => v.text()));
      const suffix = `@${ctx.endpoint.domain}`;
      return values.filter((v) => v.endsWith(suffix)).map((v) => v.slice(0, -suffix.length));
    },
    close: () => sessions.close(),
  };
}
