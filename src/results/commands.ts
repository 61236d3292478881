import path from "node:path";
import type { RunInfo } from "./schema.ts";

type Run = Pick<RunInfo, "target" | "options" | "profile">;

/** How a run reached a running server, as options: --server or --websocket, --domain, TLS and the way to accounts. */
function reachedWith(run: Run): string {
  const o = run.options;
  const t = run.target;
  const where = t.transport?.websocket ? `--websocket ${t.transport.websocket}` : `--server ${t.name}`;
  const tls = typeof o.tls === "string" && o.tls !== "auto" && !t.transport?.websocket ? ` --tls ${o.tls}` : "";
  const ca = t.transport?.ca ? ` --ca ${t.transport.ca}` : "";
  const insecure = o.insecure ? " --insecure" : "";
  const way =
    typeof o.accounts === "string" && o.accounts !== "ibr" ? ` --accounts ${o.accounts}${o.accounts === "admin" ? " --admin JID" : o.accounts === "file" ? " --accounts-file FILE" : ""}` : "";
  return `${where} --domain ${t.domain}${tls}${ca}${insecure}${way}`;
}

/**
 * The command that removes what a run against a running server left (its journal lists the accounts), with
 * the options it reached the server with; the secrets (--admin's password, --accounts-file) are the user's to add.
 */
export const cleanupCommand = (run: Run) => `xmpp-conform cleanup ${reachedWith(run)}`;

/** The command that runs these cases again the way the run ran them: the same target (a local one started afresh) and profile. */
export function rerunCommand(run: Run, ids: string[]): string {
  const t = run.target;
  const target = t.name.startsWith("local:") ? `--target ${t.name}${t.config === "shipped" ? " --server-config shipped" : ""}` : reachedWith(run);
  const cross = ids.some((id) => id.endsWith("@cross")) ? " --cross-domain" : "";
  const profile = run.options.profile === "none" ? " --profile none" : run.options.profile !== "auto" && run.profile ? ` --profile ${path.relative(process.cwd(), run.profile.file)}` : "";
  return `npx xmpp-conform run ${target}${cross}${profile} ${ids.join(" ")}`;
}
