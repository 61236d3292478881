/**
 * What the audit of the catalogs and the cases against the specification texts found and changed, one file
 * per area in spec/audit/. Every catalog row and every case of the area has an entry, those found right too,
 * so the audit is complete and docs/assertion-audit.md can show it beside each step.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { readYamlFile } from "../util/yaml-file.ts";
import { packageFile } from "../suite-files.ts";

export const FINDINGS = [
  "justified",
  "misquoted",
  "wrong-section",
  "over-specified",
  "under-specified",
  "wrongly-levelled",
  "accepts-forbidden",
  "derived-flag",
  "set-up-credited",
  // An alternative of a 'one of' credited a requirement its own checks do not prove.
  "one-of-credit",
  // A server's failure of one rule charged to another (one missing stanza failing two rules).
  "mis-charged",
  "uncovered",
  "not-observable",
] as const;

const Found = z.array(z.enum(FINDINGS)).min(1);

const AuditFile = z.strictObject({
  rows: z.array(z.strictObject({ id: z.string(), found: Found, change: z.string().optional() })).default([]),
  cases: z.array(z.strictObject({ case: z.string(), found: Found, change: z.string().optional(), verdicts: z.string().optional() })).default([]),
  profiles: z.array(z.strictObject({ file: z.string(), entry: z.string(), action: z.string(), note: z.string().optional() })).default([]),
  notes: z.string().optional(),
});

export interface AuditEntry {
  area: string;
  found: (typeof FINDINGS)[number][];
  change?: string;
  verdicts?: string;
}

export interface AuditLog {
  rows: Map<string, AuditEntry>;
  cases: Map<string, AuditEntry>;
  /** Per area: rows and cases audited, and how many the audit changed. */
  areas: { area: string; rows: number; rowsChanged: number; cases: number; casesChanged: number }[];
}

export const AUDIT_DIR = packageFile("spec/audit");

/**
 * What the audit says of a case: by its id (a matrix's cells share their scenario's: `delivery-msg-bare/chat`
 * is `delivery-msg-bare`), or by the scenario whose id template names the cell (`remote-subscribed-unrequested`
 * for `remote-subscribed-unrequested-npi`, a case whose matrix `cell` has the value `npi`).
 */
export function auditOfCase(log: AuditLog, id: string, cell?: Record<string, string>): AuditEntry | undefined {
  const doc = id.split("/")[0];
  if (log.cases.has(doc)) return log.cases.get(doc);
  // A scenario whose id takes a matrix value (remote-subscribed-unrequested-${m.c}) is audited once under its
  // stem; only where the rest of the id is one of the case's matrix values, so that another scenario that merely
  // starts with an audited id (muc-deny-nick-same-user-messages) is not taken for a cell of it.
  const values = new Set(Object.values(cell ?? {}));
  const templates = [...log.cases.keys()].filter((k) => doc.startsWith(`${k}-`) && values.has(doc.slice(k.length + 1))).sort((a, b) => b.length - a.length);
  return templates[0] === undefined ? undefined : log.cases.get(templates[0]);
}

/** The audit files of spec/audit/ (or another folder). */
export function readAuditLog(dir = AUDIT_DIR): AuditLog {
  const log: AuditLog = { rows: new Map(), cases: new Map(), areas: [] };
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  for (const f of files) {
    const area = path.basename(f, ".yaml");
    const { data } = readYamlFile(path.join(dir, f), AuditFile);
    const changed = (e: { found: string[] }) => !e.found.includes("justified");
    for (const r of data.rows) log.rows.set(r.id, { area, found: r.found, ...(r.change && { change: r.change }) });
    for (const c of data.cases) log.cases.set(c.case, { area, found: c.found, ...(c.change && { change: c.change }), ...(c.verdicts && { verdicts: c.verdicts }) });
    log.areas.push({ area, rows: data.rows.length, rowsChanged: data.rows.filter(changed).length, cases: data.cases.length, casesChanged: data.cases.filter(changed).length });
  }
  return log;
}
