import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { catalogs } from "../../src/catalog/index.ts";
import { auditOfCase, readAuditLog } from "../../src/scenario/audit-log.ts";
import { auditTable } from "../../src/scenario/audit-table.ts";
import { loadSuite } from "../../src/scenario/load.ts";
import { AUDIT_DOC, withTable } from "../../tools/write-audit-table.ts";
import { ROOT } from "../support/cli.ts";

test("docs/assertion-audit.md lists every expectation step of the shipped suite (npm run audit-table rewrites it)", () => {
  const suite = loadSuite([path.join(ROOT, "scenarios")]).scenarios;
  const doc = readFileSync(AUDIT_DOC, "utf8");
  const audit = readAuditLog();
  assert.equal(doc, withTable(doc, auditTable(suite, audit)), "the tables are stale: run npm run audit-table");
  // a section per specification, each with the rows the audit changed and every checking step
  assert.match(doc, /^## RFC 6120$[\s\S]*^## RFC 6121$/m);
  assert.match(doc, /^Catalog rows the audit changed \(\d+; the others were found right\):$/m);
  // one row per step: the roster result, quoted with its rule, and on the case's first row what the audit found
  assert.match(doc, /\| `roster-get-empty` \| juliet\/balcony \(line \d+\) \| receives: `<iq type='result' id='[^']+'>.*\| MUST \| [^|]*ROSTER-GET-02[^|]* \| §2\.1\.4: "/);
  assert.match(doc, /asserts id on purpose/);
  assert.match(doc, /\(set-up: proves nothing\)/);
  assert.match(doc, / \(derived\)/);
  // every case of the RFCs and every catalog row has an audit entry: the audit is complete; of each XEP's cases a
  // sample of at least 20 (all, when there are fewer) was audited (see ../shared/notes/xep-families.md)
  const docsOf = (f: (spec: string) => boolean) => [...new Map(suite.filter((s) => f(s.spec)).map((s) => [s.id.split("/")[0], s.cell] as const))];
  assert.deepEqual(
    docsOf((spec) => spec.startsWith("rfc"))
      .filter(([d, cell]) => !auditOfCase(audit, d, cell))
      .map(([d]) => d),
    [],
    "cases without an audit entry",
  );
  for (const spec of new Set(suite.map((s) => s.spec).filter((x) => x.startsWith("xep-")))) {
    const docs = docsOf((x) => x === spec);
    const audited = docs.filter(([d, cell]) => auditOfCase(audit, d, cell)).length;
    assert.ok(audited >= Math.min(20, docs.length), `${spec}: ${audited} of ${docs.length} cases audited`);
  }
  const rows = [...catalogs().values()].flatMap((c) => c.requirements.filter((r) => !r.cellOf).map((r) => r.id));
  assert.deepEqual(
    rows.filter((id) => !audit.rows.has(id)),
    [],
    "catalog rows without an audit entry",
  );
});

test("a scenario's audit entry covers the cells of its id template, not another scenario whose id merely starts with it", () => {
  const entry = { area: "x", found: ["justified" as const] };
  const log = { rows: new Map(), cases: new Map([["remote-subscribed-unrequested", entry]]), areas: [] };
  assert.equal(auditOfCase(log, "remote-subscribed-unrequested-npi", { c: "npi" }), entry);
  assert.equal(auditOfCase(log, "remote-subscribed-unrequested-npi/x", { c: "npi", d: "x" }), entry);
  assert.equal(auditOfCase(log, "remote-subscribed-unrequested-twice"), undefined);
});
