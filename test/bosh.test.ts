import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { loadSuite, run } from "../src/index.ts";
import type { RunResult } from "../src/results/schema.ts";
import { BoshFaultProxy, type BoshFault } from "./support/bosh-proxy.ts";
import { ROOT, runCli } from "./support/cli.ts";
import { brokeNothing } from "./support/results.ts";
import { ejabberd } from "./support/ejabberd.ts";
import { prosody } from "./support/prosody.ts";
import { BOSH_FAULTS, BOSH_VARIATIONS } from "./support/xep/connections.ts";
import { tempDir } from "./support/temp-dir.ts";

/** XEP-0206 as the run's transport: the local target serves BOSH and the run's sessions go over it, with the verdicts of TCP. */
const out = () => tempDir("xc-bosh-");
const resultsIn = (d: string) => JSON.parse(readFileSync(path.join(d, "results.json"), "utf8")) as RunResult;
// A case that judged nothing (every outcome the server chose credits none of its rules) broke nothing: as a pass.
const verdicts = (r: Pick<RunResult, "cases">) => Object.fromEntries(r.cases.map((c) => [c.id, brokeNothing(c)]));
const FAMILY = path.join(ROOT, "scenarios/bosh");

// Side by side: every test here mostly waits on BOSH's held requests (the file used a tenth of the CPU alone).
describe("BOSH", { concurrency: true }, () => {
  test("the roster and BOSH families over BOSH on local Prosody: exit 0 with the profile, the run's sessions over BOSH, and the roster's verdicts of the same run over TCP", async () => {
    const [bosh, tcp] = [out(), out()];
    const overBosh = await runCli(["run", "--target", "local:prosody", "--bosh", "--reporter", "console,json", "--out", bosh, "scenarios/roster", "scenarios/bosh"]);
    assert.equal(overBosh.code, 0, overBosh.stdout + overBosh.stderr);
    const viaBosh = resultsIn(bosh);
    // The sessions logged in over the target's BOSH endpoint (a TCP run has no BOSH URL), and the reports say so.
    assert.match(viaBosh.target.transport?.bosh ?? "", /^http:\/\/127\.0\.0\.1:\d+\/http-bind$/);
    assert.match(overBosh.stdout.split("\n")[0], /over BOSH http:\/\/127\.0\.0\.1:\d+\/http-bind, SASL /);
    const overTcp = await runCli(["run", "--target", "local:prosody", "--reporter", "json", "--out", tcp, "scenarios/roster"]);
    assert.equal(overTcp.code, 0, overTcp.stdout + overTcp.stderr);
    const viaTcp = resultsIn(tcp);
    assert.equal(viaTcp.target.transport?.bosh, undefined);
    const roster = viaBosh.cases.filter((c) => c.spec === "rfc6121");
    assert.ok(roster.length > 40, `the roster family ran (${roster.length} cases)`);
    assert.deepEqual(verdicts({ cases: roster }), verdicts(viaTcp));
    // The BOSH family's cases ran (or were skipped for what the server states), and its deviations are the profile's.
    const family = viaBosh.cases.filter((c) => c.spec === "xep-0124" || c.spec === "xep-0206");
    assert.ok(family.length >= 20 && family.filter((c) => c.verdict === "pass").length >= 10, family.map((c) => `${c.id}: ${c.verdict}`).join(", "));
    assert.ok(family.some((c) => c.verdict === "xfail" && /profiles\/prosody-0\.12\.yaml/.test(c.deviation?.source ?? "")));
  });

  test("the roster and BOSH families over BOSH on local ejabberd exit 0 with its profile: registration and sessions over ejabberd's mod_bosh", async () => {
    const d = out();
    const r = await runCli(["run", "--target", "local:ejabberd", "--bosh", "--reporter", "json", "--out", d, "scenarios/roster", "scenarios/bosh"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const results = resultsIn(d);
    assert.match(results.target.transport?.bosh ?? "", /^http:\/\/127\.0\.0\.1:\d+\/http-bind$/);
    assert.ok(results.cases.length > 40, `the roster family ran (${results.cases.length} cases)`);
  });

  test("--bosh usage errors exit 2 with what to write instead", async () => {
    const cases: [string[], RegExp][] = [
      [["--bosh"], /--bosh without a URL is for --target local:\.\.\.; for a running server give its URL/],
      [["--target", "local:prosody", "--bosh", "http://127.0.0.1:5280/http-bind"], /--bosh URL names a running server; with --target give --bosh without a URL/],
      [["--bosh", "ws://127.0.0.1:5280/http-bind", "--domain", "localhost"], /--bosh must be an http:\/\/ or https:\/\/ URL/],
      [["--bosh", "http://127.0.0.1:5280/http-bind"], /--bosh URL needs --domain/],
      [["--bosh", "http://127.0.0.1:5280/http-bind", "--server", "127.0.0.1:5222", "--domain", "localhost"], /--server and --bosh exclude each other/],
      [["--target", "local:prosody", "--bosh", "--websocket"], /--websocket and --bosh exclude each other/],
      [["--target", "local:prosody", "--bosh", "--server-config", "shipped"], /--bosh needs the harness's configuration/],
      [["--bosh", "https://127.0.0.1:5281/http-bind", "--domain", "localhost", "--tls", "starttls"], /--tls starttls is for TCP streams: over BOSH the URL says whether there is TLS/],
    ];
    // Side by side: each is a process that starts and stops at its arguments.
    const results = await Promise.all(cases.map(([args]) => runCli(["run", ...args])));
    for (const [i, [args, message]] of cases.entries()) {
      const r = results[i];
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    }
  });

  /** The BOSH family's cases (scenarios/bosh), their raw verdicts through a proxy that changes nothing, through each fault of a connection manager, and through the variations. */
  for (const server of ["prosody", "ejabberd"] as const) {
    test(`every BOSH fault (test/support/xep/connections.ts) that ${server} would show makes the cases citing its rules fail on those rules, and the variations change no verdict`, async () => {
      const t = server === "prosody" ? await prosody({ bosh: true }) : await ejabberd({ bosh: true });
      const suite = loadSuite([FAMILY]).scenarios;
      const everyCase = suite.map((sc) => sc.id);
      const at = { domain: t.domain, install: false, profile: { mode: "none" as const } };
      /**
       * Some of the cases through a proxy of their own, with `fault` (or none); a case that met a harness error (a
       * session not opened in time beside the other tests) runs once more.
       */
      const through = async (fault: BoshFault | undefined, ids: string[]): Promise<RunResult> => {
        const once = async (these: string[]) => {
          const own = new BoshFaultProxy(t.bosh!);
          own.fault = fault;
          const bosh = await own.listen();
          return run(
            suite.filter((sc) => these.includes(sc.id)),
            { ...at, bosh },
          ).finally(() => own.close());
        };
        const first = await once(ids);
        const again = first.cases.filter((c) => c.verdict === "error").map((c) => c.id);
        const retried = again.length > 0 ? (await once(again)).cases : [];
        return { ...first, cases: first.cases.map((c) => retried.find((r) => r.id === c.id) ?? c) };
      };
      try {
        const direct = await through(undefined, everyCase);
        const plain = verdicts(direct);
        // What each case shows of each rule without a fault: a fault is shown where the rules it breaks held.
        const held = (run: RunResult, id: string, rule: string) => run.cases.find((c) => c.id === id)?.requirementResults?.find((q) => q.id === rule)?.verdict === "pass";
        // Each fault, and each variation, through a proxy of its own, four side by side: their few cases mostly wait
        // on BOSH's long polls. Longest first (their cases' durations without a fault), so the four end together
        // instead of one running on alone.
        const took = (ids: string[]) => direct.cases.filter((c) => ids.some((id) => c.id === id || c.id.startsWith(`${id}/`))).reduce((ms, c) => ms + c.durationMs, 0);
        const faultRuns = BOSH_FAULTS.filter((x) => x.on.includes(server)).map((f) => ({
          took: took(f.cases),
          go: async (): Promise<string[]> => {
            // A fault names a scenario: the cells of its matrix where the server keeps the rule the fault breaks (a
            // cell where the server already deviates cannot show it), at least one. A case whose path depends on the
            // server's timing (bosh-wait: the stream features on the creation's answer or later) may have taken one
            // that did not judge the rule beside the other tests: its cells are run once more alone.
            const named = suite.map((sc) => sc.id).filter((id) => f.cases.some((c) => id === c || id.startsWith(`${c}/`)));
            const showing = (run: RunResult) => named.filter((id) => (f.conditional ? verdicts(run)[id] === "skip" : f.requirements.some((rule) => held(run, id, rule))));
            let base = direct;
            let ids = showing(base);
            if (ids.length === 0 && !f.conditional) ids = showing((base = await through(undefined, named)));
            const seen = base.cases.filter((c) => named.includes(c.id)).map((c) => `${c.id} ${c.verdict} ${c.reason ?? ""}`);
            if (ids.length === 0) return [`${f.id}: no case of ${f.cases.join(", ")} holds ${f.requirements.join(" or ")} on ${server} without the fault (${seen.join("; ")})`];
            return (await through(f.fault, ids)).cases
              .filter((c) => !["fail", "warn"].includes(c.verdict) || !c.failures.some((x) => x.requirements.some((id) => f.requirements.includes(id))))
              .map((c) => `${f.id} ${c.id}: ${c.verdict} ${c.failures.flatMap((x) => x.requirements).join(",")} ${c.reason ?? ""}`);
          },
        }));
        // What a correct connection manager may do changes no verdict: every variation for all cases at once, and
        // those for some cases only, each on its cases.
        const unchanged = (name: string) => (r: RunResult) => Object.entries(verdicts(r)).flatMap(([id, v]) => (v === plain[id] ? [] : [`${name} ${id}: ${v}, not ${plain[id]}`]));
        const everywhere = BOSH_VARIATIONS.filter((v) => !v.cases);
        const all: BoshFault = {
          answer: async (r, a) => {
            let out = a;
            for (const v of everywhere) out = await v.fault.answer!(r, out);
            return out;
          },
        };
        const variationRuns = [
          { took: took(everyCase), go: async () => unchanged("every variation")(await through(all, everyCase)) },
          ...BOSH_VARIATIONS.filter((v) => v.cases).map((v) => ({ took: took(v.cases!), go: async () => unchanged(v.id)(await through(v.fault, v.cases!)) })),
        ];
        const missed: string[][] = await Readable.from([...faultRuns, ...variationRuns].sort((a, b) => b.took - a.took))
          .map((r: { go: () => Promise<string[]> }) => r.go(), { concurrency: 4 })
          .toArray();
        assert.deepEqual(missed.flat(), []);
      } finally {
        await t.stop();
      }
    });
  }
});
