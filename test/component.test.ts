import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadSuite, run } from "../src/index.ts";
import { runCli } from "./support/cli.ts";
import { ejabberd } from "./support/ejabberd.ts";
import { FaultProxy } from "./support/fault-proxy.ts";
import { COMPONENT_C2S_FAULTS, COMPONENT_FAULTS, COMPONENT_VARIATIONS } from "./support/xep/services.ts";
import { brokeNothing } from "./support/results.ts";
import { tempDir } from "./support/temp-dir.ts";

/**
 * The components family (XEP-0114): the harness connects as the external component each local server accepts on
 * component.DOMAIN. Both servers with their profiles; each fault a proxy in front of ejabberd's component port
 * makes, or one in front of its c2s port makes of what users get from the component, is caught by the cases that
 * cite its rule, and the variations change no verdict.
 */
const FAMILY = "scenarios/component";

const verdicts = (d: string) => Object.fromEntries((JSON.parse(readFileSync(path.join(d, "results.json"), "utf8")).cases as { id: string; verdict: string }[]).map((c) => [c.id, c.verdict]));

for (const server of ["prosody", "ejabberd"])
  test(`local:${server}: the components family exits 0 with the profile, its cases run as the server's component`, async () => {
    const d = tempDir("xc-comp-");
    const r = await runCli(["run", FAMILY, "--target", `local:${server}`, "--reporter", "console,json", "--out", d]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const v = verdicts(d);
    assert.ok(Object.keys(v).length >= 14);
    // Prosody's component port takes a header in any content namespace for a component's; ejabberd refuses one it
    // does not know with invalid-xml (their profiles document both).
    const expected = (id: string) => (id.startsWith("comp-header-wrong-namespace/") && (server === "prosody" || id.endsWith("/unsupported")) ? "xfail" : "pass");
    assert.deepEqual(
      Object.entries(v).filter(([id, x]) => x !== expected(id)),
      [],
    );
  });

test("each fault of a component port is caught by the cases citing its rule, and the variations change no verdict (ejabberd)", async () => {
  const e = await ejabberd();
  const proxy = new FaultProxy({ host: e.component!.host, port: e.component!.port });
  const port = await proxy.listen();
  const c2s = new FaultProxy({ host: e.host, port: e.port });
  const c2sPort = await c2s.listen();
  try {
    const suite = loadSuite([FAMILY]).scenarios;
    const at = {
      server: `${e.host}:${e.port}`,
      domain: e.domain,
      component: `${e.component!.domain}@127.0.0.1:${port}`,
      componentSecret: e.component!.secret,
      install: false,
      profile: { mode: "none" as const },
    };
    const results = async (scenarios = suite, server = at.server) => (await run(scenarios, { ...at, server })).cases;
    const byId = async (scenarios = suite) => Object.fromEntries((await results(scenarios)).map((c) => [c.id, c.verdict]));
    // A fault runs only the cases that must notice it (component cases take turns: the whole family is 15 s a run).
    const citing = (ids: string[]) => suite.filter((sc) => ids.some((id) => id === sc.id || id.startsWith(`${sc.id}/`)));
    const clean = await byId();
    // ejabberd answers a header in a content namespace it does not know with invalid-xml (its profile documents it).
    assert.ok(
      Object.entries(clean).every(([id, x]) => x === (id === "comp-header-wrong-namespace/unsupported" ? "fail" : "pass")),
      JSON.stringify(clean),
    );
    const faults = [
      ...COMPONENT_FAULTS.map((f) => ({ ...f, arm: () => (proxy.streamFault = f.stream), server: at.server })),
      ...COMPONENT_C2S_FAULTS.map((f) => ({ ...f, arm: () => (c2s.fault = f.fault(e.component!.domain)), server: `127.0.0.1:${c2sPort}` })),
    ];
    for (const f of faults) {
      f.arm();
      const got = await results(citing(Object.keys(f.cases)), f.server);
      proxy.streamFault = undefined;
      c2s.fault = undefined;
      for (const [id, verdict] of Object.entries(f.cases)) {
        const c = got.find((x) => x.id === id);
        assert.equal(c?.verdict, verdict, `${f.id}: ${id}`);
        // Charged to the rule the fault breaks, not to another rule of the case.
        const failed = c!.failures.flatMap((x) => x.requirements ?? []);
        assert.ok(
          failed.some((r) => f.requirements.includes(r)),
          `${f.id}: ${id} failed ${failed.join(", ")}, not ${f.requirements.join(" or ")}`,
        );
      }
    }
    // A variation may take an outcome that makes a rule not apply (a multiplexed port serves the client header, any
    // name is serviced): the case then judges nothing, a skip saying so.
    for (const v of COMPONENT_VARIATIONS) {
      proxy.streamFault = v.stream;
      assert.deepEqual(Object.fromEntries((await results()).map((c) => [c.id, brokeNothing(c)])), clean, v.id);
    }
  } finally {
    proxy.streamFault = undefined;
    await proxy.close();
    await c2s.close();
    await e.stop();
  }
});
