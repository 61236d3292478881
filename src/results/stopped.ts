import type { RunInfo, Stopped } from "./schema.ts";

/** "14:03:12": when, for people, in the machine's local time. */
const clock = (iso: string) => new Date(iso).toLocaleTimeString("en-GB", { hour12: false });

/** Why a case did not run, or did not finish: "interrupted at 14:03:12", "the server went away at 14:03:12 (…)". */
export function describeStop(s: Stopped): string {
  const when = clock(s.at);
  if (s.why === "server-gone") return `the server went away at ${when}${s.detail ? ` (${s.detail})` : ""}`;
  if (s.why === "output-closed") return `the output was closed at ${when} (the reader of the pipe went away)`;
  return `interrupted at ${when}`;
}

/**
 * The command that removes what a run against a running server left (its journal lists the accounts), with
 * the options it reached the server with; the secrets (--admin's password, --accounts-file) are the user's to add.
 */
export function cleanupCommand(run: Pick<RunInfo, "target" | "options">): string {
  const o = run.options;
  const t = run.target;
  const where = t.transport?.websocket ? `--websocket ${t.transport.websocket}` : `--server ${t.name}`;
  const tls = typeof o.tls === "string" && o.tls !== "auto" && !t.transport?.websocket ? ` --tls ${o.tls}` : "";
  const ca = t.transport?.ca ? ` --ca ${t.transport.ca}` : "";
  const insecure = o.insecure ? " --insecure" : "";
  const way =
    typeof o.accounts === "string" && o.accounts !== "ibr" ? ` --accounts ${o.accounts}${o.accounts === "admin" ? " --admin JID" : o.accounts === "file" ? " --accounts-file FILE" : ""}` : "";
  return `xmpp-conform cleanup ${where} --domain ${t.domain}${tls}${ca}${insecure}${way}`;
}
