import xml from "@xmpp/xml";
import { z } from "zod";
import type { Credentials, Session } from "../xmpp/connections/session.ts";
import { describeStanzaError } from "../xmpp/protocol/errors.ts";
import { readSecret } from "../util/secret.ts";
import { FileError, readYamlFile } from "../util/yaml-file.ts";
import { asAccount } from "./login.ts";
import type { ExistingAccounts, Provisioner, ProvisionerContext } from "./types.ts";
import { NS } from "../xmpp/wire/ns.ts";

const Account = z
  .strictObject({
    jid: z.string().regex(/^[^@/\s]+@[^@/\s]+$/, "expected a bare JID like tester1@example.org"),
    password: z.string().min(1).optional(),
    password_env: z.string().min(1).optional(),
    password_file: z.string().min(1).optional(),
  })
  .refine((a) => [a.password, a.password_env, a.password_file].filter(Boolean).length === 1, "expected exactly one of password, password_env, password_file");

const AccountsFile = z.strictObject({ accounts: z.array(Account).min(1) });

/**
 * Reads --accounts-file: existing test accounts on `domain`, with their passwords (inline, from an
 * environment variable, or from a file). Problems are FileErrors at file:line:col.
 */
export function loadAccountsFile(file: string, domain: string): ExistingAccounts {
  const { data, at } = readYamlFile(file, AccountsFile);
  const accounts = data.accounts.map((a, i) => {
    const [username, host] = a.jid.split("@");
    if (host !== domain) throw new FileError(at(["accounts", i, "jid"]), `${a.jid} is not on the domain under test (${domain})`);
    try {
      const password = a.password ?? readSecret({ env: a.password_env, file: a.password_file }, a.jid);
      return { jid: a.jid, username, password };
    } catch (err) {
      throw new FileError(at(["accounts", i]), (err as Error).message);
    }
  });
  const twice = accounts.findIndex((a, i) => accounts.findIndex((b) => b.jid === a.jid) !== i);
  if (twice >= 0) throw new FileError(at(["accounts", twice, "jid"]), `${accounts[twice].jid} is listed twice`);
  return { file, accounts };
}

async function rosterItems(session: Session, timeoutMs: number): Promise<string[]> {
  const reply = await session.request(xml("iq", { type: "get" }, xml("query", { xmlns: NS.roster })), timeoutMs);
  if (reply.attrs.type !== "result") throw new Error(`roster get failed: ${describeStanzaError(reply)}`);
  return (reply.getChild("query", NS.roster)?.getChildren("item") ?? []).map((i) => String(i.attrs.jid));
}

/**
 * A fixed set of existing accounts, handed out in turn. Scenarios assume fresh accounts, so an account
 * is used only if its roster is empty at the start, and after each case the harness removes what the case
 * put on it (which also cancels the subscriptions, RFC 6121 §2.5.2). It never removes an item it found.
 */
export function existingAccounts(ctx: ProvisionerContext): Provisioner {
  const existing = ctx.existing;
  if (!existing) throw new Error("--accounts file needs --accounts-file FILE");
  const free: Credentials[] = [];
  const unusable: string[] = [];
  /** Accounts a cleaning failed on, and why: out of the pool until a retry cleans them. */
  const dirty = new Map<string, string>();
  let usable = 0;

  const empty = async (creds: Credentials) =>
    asAccount(ctx, creds, async (session) => {
      const items = await rosterItems(session, ctx.timeoutMs);
      const replies = await Promise.all(
        items.map((jid) => session.request(xml("iq", { type: "set" }, xml("query", { xmlns: NS.roster }, xml("item", { jid, subscription: "remove" }))), ctx.timeoutMs)),
      );
      const failed = replies.find((r) => r.attrs.type !== "result");
      if (failed) throw new Error(`removing a roster item failed: ${describeStanzaError(failed)}`);
    });

  return {
    name: "file",
    domain: ctx.endpoint.domain,
    async open() {
      await Promise.all(
        existing.accounts.map(async (a) => {
          try {
            const items = await asAccount(ctx, a, (session) => rosterItems(session, ctx.timeoutMs));
            if (items.length > 0) unusable.push(`${a.jid}: its roster is not empty (${items.length} item${items.length === 1 ? "" : "s"}), so it is not fresh`);
            else free.push({ username: a.username, password: a.password });
          } catch (err) {
            unusable.push(`${a.jid}: ${(err as Error).message}`);
          }
        }),
      );
      usable = free.length;
      // An account that stopped working (a rotated password) must not quietly turn its cases into skips.
      if (unusable.length > 0 && !existing.allowUnusable)
        throw new Error(
          `${unusable.length} of ${existing.accounts.length} accounts of ${existing.file} cannot be used: ${unusable.join("; ")}. Fix them, or run with the others (--allow-unusable-accounts)`,
        );
    },
    async create() {
      const creds = free.shift();
      if (!creds) throw new Error("no free account left (a harness bug: cases are admitted only when there is one)");
      return creds;
    },
    async remove(creds) {
      const jid = `${creds.username}@${ctx.endpoint.domain}`;
      try {
        await empty(creds);
      } catch (err) {
        if (!dirty.has(jid)) usable--;
        dirty.set(jid, `${jid}: could not be cleaned after a case: ${(err as Error).message}`);
        throw err;
      }
      if (dirty.delete(jid)) usable++;
      free.push(creds);
    },
    limit: () => {
      const why = [...unusable, ...dirty.values()];
      return { accounts: usable, why: `${existing.file} has ${usable} usable account${usable === 1 ? "" : "s"}${why.length > 0 ? ` (${why.join("; ")})` : ""}` };
    },
  };
}
