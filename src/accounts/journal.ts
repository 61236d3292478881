import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { homedir, hostname } from "node:os";
import path from "node:path";

/** An account a run made (or, for existing accounts, took) and has not removed (or cleaned) yet. */
export interface JournalEntry {
  jid: string;
  /** The --accounts way it was had with: ibr, admin, cli, file. */
  way: string;
  /** Absent for existing accounts: their passwords stay where the user keeps them. */
  password?: string;
  /** The second password a case may change the account's to (a disposable account, XEP-0077 §3.3). */
  spare?: string;
  /** Multi-user chat rooms it owns that a case made (XEP-0045): destroyed before the account is removed. */
  rooms?: string[];
}

/** The first line of a journal: whose it is, so that a later cleanup knows the server and whether the run still lives. */
export interface JournalHeader {
  journal: 1;
  run: string;
  pid: number;
  host: string;
  /** HOST:PORT as given to --server. */
  server: string;
  domain: string;
  started: string;
}

/** $XDG_STATE_HOME/xmpp-conform/accounts, by default ~/.local/state/xmpp-conform/accounts. */
export function journalDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_STATE_HOME || path.join(homedir(), ".local", "state"), "xmpp-conform", "accounts");
}

/**
 * One run's journal of accounts made and not yet removed, so that they outlive a crash or a kill -9 of the
 * harness: an entry is written (synchronously) before the account is made, and a drop line once it is
 * gone. Append-only JSON lines, mode 0600 (it holds the passwords of throwaway accounts); the file is
 * created with the first entry and deleted when the run ends with nothing left in it.
 */
export class AccountJournal {
  private fd?: number;
  private readonly open = new Map<string, JournalEntry>();

  constructor(
    readonly file: string,
    private readonly header: JournalHeader,
    entries: JournalEntry[] = [],
  ) {
    for (const e of entries) this.open.set(e.jid, e);
  }

  get entries(): JournalEntry[] {
    return [...this.open.values()];
  }

  add(entry: JournalEntry): void {
    this.write({ add: entry });
    this.open.set(entry.jid, entry);
  }

  drop(jid: string): void {
    if (!this.open.delete(jid)) return;
    this.write({ drop: jid });
  }

  /** A room the account owns, written before it is made; `gone` once it is destroyed. */
  room(jid: string, room: string, gone = false): void {
    const entry = this.open.get(jid);
    if (!entry) return;
    entry.rooms = gone ? (entry.rooms ?? []).filter((r) => r !== room) : [...(entry.rooms ?? []), room];
    this.write(gone ? { unroom: { jid, room } } : { room: { jid, room } });
  }

  /** Ends the journal: deleted when nothing is left in it, kept (for cleanup) otherwise. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.open.size === 0 && existsSync(this.file)) unlinkSync(this.file);
  }

  private write(line: object): void {
    if (this.fd === undefined) {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const fresh = !existsSync(this.file);
      this.fd = openSync(this.file, "a", 0o600);
      if (fresh) writeSync(this.fd, `${JSON.stringify(this.header)}\n`);
    }
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }
}

/** A new journal for a run against --server HOST:PORT on `domain`. */
export function runJournal(at: { server: string; domain: string }, dir = journalDir()): AccountJournal {
  const run = randomBytes(6).toString("hex");
  const header: JournalHeader = { journal: 1, run, pid: process.pid, host: hostname(), server: at.server, domain: at.domain, started: new Date().toISOString() };
  return new AccountJournal(path.join(dir, `${at.domain.replace(/[^A-Za-z0-9.-]/g, "_")}-${run}.jsonl`), header);
}

export interface FoundJournal {
  journal: AccountJournal;
  header: JournalHeader;
  /** Its run is still going (same machine, its process alive): cleanup must leave its accounts alone. */
  live: boolean;
}

/** The journals of runs on `domain` that still list accounts; a line cut short by a kill is ignored. */
export function readJournals(domain: string, dir = journalDir()): FoundJournal[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .flatMap((f) => {
      const file = path.join(dir, f);
      const lines = readFileSync(file, "utf8")
        .split("\n")
        .flatMap((l) => {
          try {
            return l ? [JSON.parse(l) as Record<string, unknown>] : [];
          } catch {
            return [];
          }
        });
      const header = lines[0] as unknown as JournalHeader | undefined;
      if (header?.journal !== 1 || header.domain !== domain) return [];
      const open = new Map<string, JournalEntry>();
      for (const l of lines.slice(1)) {
        if (l.add) open.set((l.add as JournalEntry).jid, l.add as JournalEntry);
        if (typeof l.drop === "string") open.delete(l.drop);
        const room = (l.room ?? l.unroom) as { jid: string; room: string } | undefined;
        const owner = room && open.get(room.jid);
        if (owner) owner.rooms = l.room ? [...(owner.rooms ?? []), room.room] : (owner.rooms ?? []).filter((r) => r !== room.room);
      }
      return [{ journal: new AccountJournal(file, header, [...open.values()]), header, live: isLive(header) }];
    });
}

function isLive(h: JournalHeader): boolean {
  if (h.host !== hostname()) return false;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The journal of a run against --server (a local --target's accounts go with its throwaway server, even on kill -9). */
export function journalFor(spec: { server?: string; domain?: string }): AccountJournal | undefined {
  return spec.server && spec.domain ? runJournal({ server: spec.server, domain: spec.domain }) : undefined;
}
