import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { FAMILIES } from "../src/families/index.ts";
import { run } from "../src/run/run.ts";
import { loadScenarioFile } from "../src/scenario/load.ts";
import { startProsody } from "../src/targets/prosody.ts";
import { startEjabberd } from "../src/targets/ejabberd.ts";
import type { Target } from "../src/targets/types.ts";
import { tempDir } from "./support/temp-dir.ts";

// A family is one unit (src/families/): every feature its cases may need is offered by every local server the
// harness starts with its own configuration, on every release, but where the family says the server lacks it.

/**
 * One case per feature: it needs the feature and gets the roster, so it passes where the feature is offered and
 * skips where not. A room's feature is asked of the case's room.
 */
function probes(): string {
  const dir = tempDir("xc-families-");
  const features = FAMILIES.flatMap((f) => Object.entries(f.features) as [string, { at?: string }][]);
  writeFileSync(
    path.join(dir, "needs.yaml"),
    features
      .map(
        ([name, shape]) => `id: offers-${name}
title: the server offers ${name}
section: "2.1.3"
level: MUST
requirements: [ROSTER-GET-01]
needs: [${name}]
accounts:
  alice:
    resources:
      a1: { roster: true }
${shape.at === "room" ? "rooms:\n  lobby:\n    owner: alice\n" : ""}steps:
  - alice/a1 sends: <iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>
  - alice/a1 receives: <iq type='result' id='r1'/>
`,
      )
      .join("---\n"),
  );
  return path.join(dir, "needs.yaml");
}

const servers: { name: string; server: "prosody" | "ejabberd"; start: () => Promise<Target> }[] = [
  { name: "Prosody 0.12", server: "prosody", start: () => startProsody({ install: true, log: () => {} }) },
  { name: "Prosody 13", server: "prosody", start: () => startProsody({ install: true, release: "13", log: () => {} }) },
  { name: "ejabberd 23.01", server: "ejabberd", start: () => startEjabberd({ install: true, log: () => {} }) },
  { name: "ejabberd 24.12", server: "ejabberd", start: () => startEjabberd({ install: true, release: "24.12", log: () => {} }) },
];

const plan = loadScenarioFile(probes());

for (const s of servers) {
  test(`${s.name} with the harness's configuration offers every feature of every family, but those the family says it lacks`, async () => {
    const target = await s.start();
    try {
      // The component the local server accepts (XEP-0114) is the target's, given as for a running server.
      const c = target.component;
      const component = c ? { component: `${c.domain}@${c.host}:${c.port}`, componentSecret: c.secret } : {};
      const r = await run(plan, { server: `${target.host}:${target.port}`, domain: target.domain, install: false, concurrency: 4, profile: { mode: "none" }, ...component });
      const lacking = new Map(FAMILIES.flatMap((f) => Object.entries(f[s.server].lacks ?? {})));
      const missing = r.cases.filter((c) => c.verdict === "skip").map((c) => c.id.replace(/^offers-/, ""));
      assert.deepEqual(
        missing.filter((f) => !lacking.has(f)),
        [],
        `${s.name} does not offer these, and no family says it lacks them`,
      );
      assert.deepEqual(
        r.cases.filter((c) => !["pass", "skip"].includes(c.verdict)).map((c) => `${c.id}: ${c.reason}`),
        [],
      );
    } finally {
      await target.stop();
    }
  });
}

test("each family's faults and variations are in its own file of the tests' support, and each fault cites a requirement of the family's catalogs", async () => {
  const files = readdirSync(path.join(import.meta.dirname, "support/xep"))
    .filter((f) => f.endsWith(".ts") && f !== "index.ts")
    .map((f) => f.replace(/\.ts$/, ""));
  const { FAULTS } = await import("./support/faults.ts");
  const { findRequirement } = await import("../src/catalog/index.ts");
  for (const f of FAMILIES.filter((x) => x.id !== "core")) {
    assert.ok(files.includes(f.id), `test/support/xep/${f.id}.ts`);
    const ids = new Set(f.specs.map((sp) => sp.id));
    // The connections and services families' faults are made by proxies of their own: their files export them.
    const proxied = ((await import(`./support/xep/${f.id}.ts`)) as { PROXY_FAULTS?: { requirements: string[] }[] }).PROXY_FAULTS ?? [];
    const own = [...FAULTS, ...proxied].filter((x: { requirements: string[] }) => x.requirements.some((r) => ids.has(findRequirement(r.replace(/-\*$/, "-01"))?.spec ?? "")));
    assert.ok(own.length > 0, `${f.id}: no fault cites a requirement of ${[...ids].join(", ")}`);
  }
});
