import path from "node:path";
import { SUITE } from "../suite-files.ts";
import type { RunInfo, RunResult } from "./schema.ts";

type Run = Pick<RunInfo, "target" | "options" | "profile">;

/** How a run reached a running server, as options: --server, --websocket or --bosh, --domain, TLS and the way to accounts. */
function reachedWith(run: Run): string {
  const o = run.options;
  const t = run.target;
  const where = t.transport?.websocket ? `--websocket ${t.transport.websocket}` : t.transport?.bosh ? `--bosh ${t.transport.bosh}` : `--server ${t.name}`;
  const tls = typeof o.tls === "string" && o.tls !== "auto" && !t.transport?.websocket && !t.transport?.bosh ? ` --tls ${o.tls}` : "";
  const ca = t.transport?.ca ? ` --ca ${t.transport.ca}` : "";
  const insecure = o.insecure ? " --insecure" : "";
  const way =
    typeof o.accounts === "string" && o.accounts !== "ibr" ? ` --accounts ${o.accounts}${o.accounts === "admin" ? " --admin JID" : o.accounts === "file" ? " --accounts-file FILE" : ""}` : "";
  return `${where} --domain ${t.domain}${tls}${ca}${insecure}${way}`;
}

/** How a run started a local target, as options: the release and configuration, the transport and TLS it asked for. */
function startedWith(run: Run): string {
  const t = run.target;
  const o = run.options;
  const transport = t.transport?.websocket ? " --websocket" : t.transport?.bosh ? " --bosh" : "";
  const tls = typeof o.tls === "string" && o.tls !== "auto" && o.tls !== "none" ? ` --tls ${o.tls}` : "";
  return `--target ${t.name}${t.config === "shipped" ? " --server-config shipped" : ""}${transport}${tls}`;
}

/**
 * The command that removes what a run against a running server left (its journal lists the accounts), with
 * the options it reached the server with; the secrets (--admin's password, --accounts-file) are the user's to add.
 */
export const cleanupCommand = (run: Run) => `xmpp-conform cleanup ${reachedWith(run)}`;

/** The shipped suite's folder: a case from a file elsewhere is named by its file. */
const SHIPPED = `${SUITE}${path.sep}`;

/**
 * The command that runs these cases again the way the run ran them: the same target (a local one started
 * afresh) and profile; cases of the shipped suite by id, those of other files by their file and a --grep.
 */
export function rerunCommand(run: Run & Pick<RunResult, "cases">, ids: string[]): string {
  const t = run.target;
  const target = t.name.startsWith("local:") ? startedWith(run) : reachedWith(run);
  const cross = ids.some((id) => id.endsWith("@cross")) ? " --cross-domain" : "";
  const profile = run.options.profile === "none" ? " --profile none" : run.options.profile !== "auto" && run.profile ? ` --profile ${path.relative(process.cwd(), run.profile.file)}` : "";
  const files = [...new Set(run.cases.filter((c) => ids.includes(c.id) && !path.resolve(c.pos.file).startsWith(SHIPPED)).map((c) => c.pos.file))];
  const which =
    files.length === 0 ? ids.join(" ") : `${files.map((f) => path.relative(process.cwd(), f)).join(" ")} --grep '^(${ids.map((id) => id.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})$'`;
  return `npx xmpp-conform run ${target}${cross}${profile} ${which}`;
}
