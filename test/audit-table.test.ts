import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { auditTable } from "../src/scenario/audit-table.ts";
import { loadSuite } from "../src/scenario/load.ts";
import { AUDIT_DOC, withTable } from "../src/scenario/write-audit-table.ts";
import { ROOT } from "./support/cli.ts";

test("docs/assertion-audit.md lists every expectation step of the shipped suite (npm run audit-table rewrites it)", () => {
  const suite = loadSuite([path.join(ROOT, "scenarios")]).scenarios;
  const doc = readFileSync(AUDIT_DOC, "utf8");
  assert.equal(doc, withTable(doc, auditTable(suite)), "the table is stale: run npm run audit-table");
  // one row per step: the roster result without 'to', quoted with its rule
  assert.match(doc, /\| `roster-get-empty` \| juliet\/balcony \(line \d+\) \| receives: `<iq type='result' id='bv1bs71f'><query xmlns='jabber:iq:roster' xc:children='exact'\/><\/iq>` \| MUST \| ROSTER-GET-02, ROSTER-GET-01 \| §2\.1\.4: "If the roster exists/);
  assert.match(doc, /asserts id on purpose/);
  assert.match(doc, /ROSTER-PUSH-04 \(derived\)/);
});
