import type { Credentials } from "../xmpp/connections/session.ts";
import { journalDir, readJournals, type AccountJournal } from "./journal.ts";
import type { LeftAccount } from "./ledger.ts";
import { removeAccount } from "./removal.ts";
import type { ExistingAccounts, Provisioner, ProvisionerContext } from "./types.ts";
import { asAccount } from "./login.ts";
import { destroyRequest } from "../xmpp/protocol/muc.ts";

/** Every account the harness makes is named xc-<run>-<case>-<name>: what cleanup looks for on a server's user list. */
export const ACCOUNT_PREFIX = "xc-";

export interface CleanupReport {
  /** JIDs removed (or, for existing accounts, cleaned). */
  removed: string[];
  /** Recorded accounts that were not on the server (removed after all, or never made: a run killed while making them). */
  absent: number;
  /** Accounts still there, and why. */
  remain: LeftAccount[];
  /** What the reader must know: journals of runs still going, a server without a user list. */
  notes: string[];
  /** Rooms of earlier runs destroyed. */
  rooms: string[];
}

interface Candidate {
  creds: Credentials;
  /** Rooms it owns that a run made (from the journal). */
  rooms?: string[];
  /** The second password a case may have changed the account's to (from the journal). */
  spare?: string;
  journal?: AccountJournal;
  /** Known only from the server's user list: no password, so no login check. */
  listed?: boolean;
}

/**
 * Removes the accounts earlier runs left on the provisioner's domain: those in the journals of runs that
 * are over, against the same --server (crashed, killed, or unable to remove them), and, where the way lists the server's users
 * (XEP-0133 get-registered-users-list), every account named with the harness's prefix. Accounts of a run
 * still going on this machine are left alone. What remains is measured, not assumed: listed again where
 * the server lists, else the accounts whose removal failed.
 */
export async function cleanup(
  provisioner: Provisioner,
  opts: { server: string; existing?: ExistingAccounts; admin?: string; dir?: string; login?: Pick<ProvisionerContext, "endpoint" | "timeoutMs"> },
): Promise<CleanupReport> {
  const dir = opts.dir ?? journalDir();
  const domain = provisioner.domain;
  const report: CleanupReport = { removed: [], absent: 0, remain: [], notes: [], rooms: [] };
  const busy = new Set<string>();
  const candidates = new Map<string, Candidate>();
  // The same --server as the run's: a journal of another server with the same domain (every local test server is
  // "localhost") lists accounts this one never had, and finding them absent here must not strike them from it.
  const journals = readJournals(domain, dir).filter((j) => j.header.server === opts.server);
  for (const { journal, header, live } of journals) {
    if (live) {
      for (const e of journal.entries) busy.add(e.jid);
      if (journal.entries.length > 0) report.notes.push(`left alone: ${journal.entries.length} account(s) of a run still going (pid ${header.pid}, started ${header.started})`);
      continue;
    }
    for (const e of journal.entries) {
      const username = e.jid.slice(0, e.jid.lastIndexOf("@"));
      if (e.way === "file" || provisioner.name === "file") {
        const account = opts.existing?.accounts.find((a) => a.jid === e.jid);
        if (e.way === "file" && account && provisioner.name === "file") candidates.set(e.jid, { creds: { username, password: account.password }, journal });
        else
          report.remain.push({
            jid: e.jid,
            reason:
              e.way === "file"
                ? "an existing account a run was using: clean it with --accounts file and the --accounts-file that lists it"
                : `made with --accounts ${e.way}: remove it with --accounts ibr or admin`,
          });
      } else {
        candidates.set(e.jid, { creds: { username, password: e.password ?? "" }, ...(e.spare && { spare: e.spare }), ...(e.rooms?.length && { rooms: e.rooms }), journal });
      }
    }
  }
  const admin = opts.admin && opts.admin.slice(0, opts.admin.lastIndexOf("@"));
  const listPrefixed = async (): Promise<string[] | undefined> => {
    if (!provisioner.list) return undefined;
    const users = await provisioner.list();
    return users.filter((u) => u.startsWith(ACCOUNT_PREFIX) && u !== admin && !busy.has(`${u}@${domain}`)).map((u) => `${u}@${domain}`);
  };
  let listed: string[] | undefined;
  try {
    listed = await listPrefixed();
  } catch (err) {
    report.notes.push(`${(err as Error).message}: only the accounts in the journals were looked for`);
  }
  for (const jid of listed ?? []) {
    if (!candidates.has(jid)) candidates.set(jid, { creds: { username: jid.slice(0, jid.lastIndexOf("@")), password: "" }, listed: true });
  }

  // Without a password the login check would be refused whether or not the account is there: the user list decides instead.
  const byName: Provisioner = { ...provisioner, gone: undefined };
  const failed: LeftAccount[] = [];
  const queue = [...candidates];
  // A few at a time: hundreds of logins at once would meet the very connection limits a server in the wild has.
  await Promise.all(
    Array.from({ length: Math.min(4, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [jid, c] = next;
        // Its rooms first (XEP-0045 §10.9): once the owner is gone, nobody may destroy them.
        if (c.rooms && opts.login) await destroyRooms(opts.login, c, report);
        let result = await removeAccount(c.listed ? byName : provisioner, c.creds);
        // Refused with its first password, it may carry the second one a case changed it to.
        if (!result.removed && result.gone && c.spare) result = await removeAccount(provisioner, { ...c.creds, password: c.spare });
        if (result.removed) report.removed.push(jid);
        else if (result.gone) report.absent++;
        else failed.push({ jid, reason: result.why });
        if (result.removed || result.gone) c.journal?.drop(jid);
      }
    }),
  );
  for (const { journal, live } of journals) if (!live) journal.close();

  if (listed) {
    const still = new Set((await listPrefixed().catch(() => undefined)) ?? failed.map((f) => f.jid));
    report.remain.push(
      ...failed.filter((f) => still.has(f.jid)),
      ...[...still].filter((j) => !failed.some((f) => f.jid === j)).map((jid) => ({ jid, reason: "still on the server's user list after its removal" })),
    );
    report.removed = report.removed.filter((j) => !still.has(j));
  } else {
    report.remain.push(...failed);
  }
  report.removed.sort();
  return report;
}

/** The rooms a run's account owns, destroyed as their owner; each one gone is struck from the journal. */
async function destroyRooms(login: Pick<ProvisionerContext, "endpoint" | "timeoutMs">, c: Candidate, report: CleanupReport): Promise<void> {
  const jid = `${c.creds.username}@${login.endpoint.domain}`;
  try {
    await asAccount(login, c.creds, async (session) => {
      for (const room of c.rooms!) {
        const reply = await session.request(destroyRequest(room), login.timeoutMs);
        if (reply.attrs.type === "result" || reply.getChild("error")?.getChild("item-not-found")) {
          report.rooms.push(room);
          c.journal?.room(jid, room, true);
        } else report.notes.push(`the room ${room} could not be destroyed as ${jid}: ${reply.toString()}`);
      }
    });
  } catch (err) {
    report.notes.push(`${jid} could not log in to destroy its rooms (${c.rooms!.join(", ")}): ${(err as Error).message}`);
  }
}
