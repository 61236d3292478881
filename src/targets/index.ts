import { startEjabberd } from "./ejabberd.ts";
import { startProsody } from "./prosody.ts";
import type { LocalTargetOptions, Target } from "./types.ts";

export type { Target } from "./types.ts";

/** Local servers the harness can start itself: one entry each. */
const local: Record<string, (opts: LocalTargetOptions) => Promise<Target>> = {
  prosody: startProsody,
  ejabberd: startEjabberd,
};

export const localTargetNames = Object.keys(local);

export interface TargetSpec {
  target?: string;
  server?: string;
  domain?: string;
}

/** Checks the target options without starting anything (usage errors must come before any work). */
export function checkTargetSpec(spec: TargetSpec): string | undefined {
  if (spec.target && spec.server) return "--target and --server exclude each other";
  if (spec.target) {
    const m = /^local:(.+)$/.exec(spec.target);
    if (!m || !local[m[1]]) return `unknown --target '${spec.target}'; known: ${localTargetNames.map((n) => `local:${n}`).join(", ")}`;
    return undefined;
  }
  if (spec.server) {
    if (!parseHostPort(spec.server)) return `--server must be HOST:PORT, got '${spec.server}'`;
    if (!spec.domain) return "--server needs --domain (the XMPP domain of the accounts)";
    return undefined;
  }
  return "say where to run: --target local:prosody, or --server HOST:PORT --domain DOMAIN";
}

export function parseHostPort(s: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(s);
  if (!m) return undefined;
  const port = Number(m[2]);
  return port > 0 && port < 65536 ? { host: m[1], port } : undefined;
}

export async function openTarget(spec: TargetSpec, opts: LocalTargetOptions): Promise<Target> {
  if (spec.target) return local[spec.target.slice("local:".length)](opts);
  const { host, port } = parseHostPort(spec.server!)!;
  return { name: spec.server!, host, port, domain: spec.domain!, stop: async () => {} };
}
