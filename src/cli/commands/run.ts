import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { didYouMean } from "../../util/suggest.ts";
import type { Argv, CommandModule } from "yargs";
import { loadProfile, loadProfiles } from "../../profiles/load.ts";
import { fanOut } from "../../report/fan-out.ts";
import { reporters, resolveReporter } from "../../report/index.ts";
import { run as runPlan, type ProfileChoice, type RunOptions } from "../../run/run.ts";
import { parseShard, selectShard } from "../../plan/shard.ts";
import { checkTargetSpec, isPairTarget } from "../../targets/index.ts";
import { ServerConfig } from "../../results/schema.ts";
import type { S2sMode } from "../../targets/types.ts";
import { accountOptions, accountSecrets, accountsProblem, accountsWay, type AccountArgs } from "../accounts-options.ts";
import { checkTls, componentSecret, targetOptions, tlsOptions, tlsRequest, type ConnectionArgs } from "../connection.ts";
import { EXIT, exitCodeOf } from "../exit-codes.ts";
import { casesBySpec, csv, err, planFrom, PROFILES, selectionOptions } from "../suite.ts";
import { judgeAgainstBaseline } from "../baseline.ts";
import { readBaseline, type Baseline } from "../../results/baseline.ts";
import { onOutputClosed } from "../output.ts";

const connectionOptions = <T>(y: Argv<T>) => accountOptions(tlsOptions(targetOptions(y)));

export const run: CommandModule = {
  command: "run [cases..]",
  describe: "run scenarios (all, or the given files, folders, case ids, scenario ids or requirement IDs)",
  builder: (y) =>
    connectionOptions(
      selectionOptions(
        y
          .positional("cases", {
            type: "string",
            array: true,
            default: [] as string[],
            describe: "scenario files/folders, case ids as the reports print them, scenario ids (all their cells) or requirement IDs",
          })
          .option("s2s", {
            type: "string",
            choices: ["dialback", "tls"],
            describe:
              "with a pair target (local:A+B), how its servers talk: dialback (Server Dialback over plain TCP, the default) or tls (STARTTLS with certificates from a CA made for the run: SASL EXTERNAL where both servers support it, dialback over TLS otherwise; clients then get STARTTLS too)",
          })
          .option("server-config", {
            type: "string",
            choices: ServerConfig.options,
            describe:
              "with --target, how the local server is configured: harness (the harness's own: registration open, plaintext on loopback, the modules the suite needs; the default) or shipped (the package's own configuration, changed only in ports, paths, loopback and an admin account that makes the run's accounts)",
          })
          .option("profile", { type: "string", default: "auto", describe: "the server's known deviations: auto (by the software and version it reports), none (raw verdicts), or a profile file" })
          .option("reporter", {
            type: "string",
            array: true,
            // One value a flag (repeat it, or comma-separate): a list option must not take the cases after it.
            nargs: 1,
            default: DEFAULT_REPORTERS,
            describe: `comma list of: ${Object.keys(reporters).join(", ")}, or a reporter module's path or package name (default: jsonl, console, junit, json, html, markdown, compliance; and github under GitHub Actions; jsonl first, so that a case is on disk before the console shows it)`,
          })
          .option("out", { type: "string", default: "reports", describe: "folder for report files" })
          .option("baseline", {
            type: "string",
            describe:
              "a baseline ('xmpp-conform baseline accept' writes one) or an earlier run's results: the reports speak of what changed (annotations, JUnit failures and the summary are the cases that got worse), diff.md is written, and the run exits 1 only when a case got worse or lost coverage",
          })
          .option("muc-service", { type: "string", describe: "the multi-user chat service of the server (XEP-0045), when its disco#items do not list it: its rooms are made there" })
          .option("upload-service", { type: "string", describe: "the HTTP upload service of the server (XEP-0363), when its disco#items do not list it (a local target's is known)" })
          .option("allow-lost", { type: "boolean", default: false, describe: "with --baseline: a case observed in the baseline and skipped now does not fail the gate" }),
      ),
    )
      .option("concurrency", {
        type: "string",
        default: "auto",
        describe: "cases run at once: auto (from 4, grown while cases per second rise and the server answers promptly, backed off when it refuses, drops connections or slows down), or a number",
      })
      .option("shard", { type: "string", describe: "run only shard k of n (k/n): each case belongs to one shard, by its id; join the shards' results with 'merge'" })
      .option("repeat", { type: "number", default: 1, describe: "run the plan N times and report every case whose verdict changed as flaky" })
      .option("timeout", { type: "number", default: 3000, describe: "ms a 'receives' step waits at most for its stanza (and the limit for harness round trips)" })
      .option("wait", {
        type: "string",
        choices: ["barrier", "timeout"],
        default: "barrier",
        describe: "what decides that an expected stanza is not coming: a barrier over the case's sessions (at once), or only the timeout",
      })
      .option("transcripts", {
        type: "string",
        choices: ["failures", "all"],
        default: "failures",
        describe: "keep the transcripts of every case, or only of those that did not pass (smaller reports)",
      })
      .option("quiet-window", { type: "number", default: 0, describe: "extra ms to wait after each barrier (0: barriers only)" })
      .option("install", { type: "boolean", default: true, describe: "install a missing local server from Debian's packages (root only)" })
      .option("strict", { type: "boolean", default: false, describe: "also fail the run on warnings (broken SHOULDs)" })
      .option("color", { type: "boolean", default: process.stdout.isTTY ?? false, describe: "colour the console output" })
      .example("$0 run --target local:prosody", "the whole suite against a throwaway local Prosody")
      .example("$0 run --server 127.0.0.1:5222 --domain localhost --reporter junit --out build", "the whole suite against a running server, JUnit only")
      .example("$0 run --server xmpp.example.org --tls starttls --accounts-file accounts.yaml", "a server known by its domain (its SRV records say where it listens)")
      .example("$0 run roster-add-push --target local:prosody", "one case")
      .example("$0 run scenarios/subscription --target local:prosody+ejabberd --cross-domain", "the subscription cases, then each again with the contact on the second server")
      .example("$0 run --target local:ejabberd --websocket", "the whole suite over WebSocket (RFC 7395) against a throwaway local ejabberd")
      .example("$0 run --websocket wss://xmpp.example.org/xmpp-websocket --domain example.org --accounts-file accounts.yaml", "a running server over WebSocket")
      .example("$0 run --target local:prosody --bosh scenarios/roster", "the roster cases over BOSH (XEP-0206) against a throwaway local Prosody"),
  handler: async (argv) => {
    const a = argv as unknown as ConnectionArgs &
      AccountArgs & {
        cases: string[];
        s2s?: S2sMode;
        websocket?: string;
        bosh?: string;
        component?: string;
        componentSecret?: string;
        crossDomain: boolean;
        serverConfig?: ServerConfig;
        profile: string;
        reporter: string[];
        out: string;
        baseline?: string;
        allowLost: boolean;
        mucService?: string;
        uploadService?: string;
        grep?: string;
        tag: string[];
        concurrency: string;
        shard?: string;
        repeat: number;
        timeout: number;
        quietWindow: number;
        install: boolean;
        strict: boolean;
        color: boolean;
        wait: "barrier" | "timeout";
        transcripts: "all" | "failures";
      };
    const usage = (problem: string): never => {
      err(`xmpp-conform run: ${problem}`);
      process.exit(EXIT.usage);
    };
    const websocket = urlArg(a, "websocket", /^wss?:\/\//i);
    const bosh = urlArg(a, "bosh", /^https?:\/\//i);
    const reporterNames = csv(a.reporter);
    const accounts = accountsWay(a);
    const concurrency = concurrencyArg(a.concurrency);
    const problem =
      checkTargetSpec({ ...a, websocket, bosh, componentSecret: componentSecret(a) }) ??
      checkTls(a) ??
      (a.serverConfig === "shipped" && a.tls !== "auto" ? "--server-config shipped keeps the package's TLS (STARTTLS required): leave --tls at auto" : undefined) ??
      (a.crossDomain && !isPairTarget(a.target)
        ? `--cross-domain needs a pair target (two servers, like --target local:prosody+ejabberd), not ${a.target ?? a.server ?? "a running server"}`
        : undefined) ??
      (typeof websocket === "string" && a.tls !== "auto" ? `--tls ${a.tls} is for TCP streams: over WebSocket the URL says whether there is TLS (wss://)` : undefined) ??
      (typeof bosh === "string" && a.tls !== "auto" ? `--tls ${a.tls} is for TCP streams: over BOSH the URL says whether there is TLS (https://)` : undefined) ??
      (concurrency === undefined ? `--concurrency must be auto or a whole number of at least 1, got '${a.concurrency}'` : undefined) ??
      (a.shard !== undefined && !parseShard(a.shard) ? `--shard must be k/n with 1 <= k <= n, got '${a.shard}'` : undefined) ??
      (!(Number.isInteger(a.repeat) && a.repeat >= 1) ? "--repeat must be a whole number of at least 1" : undefined) ??
      (!(a.timeout > 0) ? "--timeout must be a positive number of ms" : undefined) ??
      accountsProblem(a);
    if (problem) usage(problem);
    const opts: RunOptions = {
      target: a.target,
      server: a.server,
      domain: a.domain,
      ...(websocket && { websocket }),
      ...(bosh && { bosh }),
      ...(a.component !== undefined && { component: a.component, componentSecret: componentSecret(a) }),
      ...(a.s2s && { s2s: a.s2s }),
      ...(a.serverConfig && { serverConfig: a.serverConfig }),
      accounts: { mode: accounts },
      tls: tlsRequest(a),
      concurrency,
      repeat: a.repeat,
      timeoutMs: a.timeout,
      quietWindowMs: a.quietWindow,
      wait: a.wait,
      install: a.install,
      strict: a.strict,
      transcripts: a.transcripts,
      ...(a.mucService && { mucService: a.mucService }),
      ...(a.uploadService && { uploadService: a.uploadService }),
    };
    try {
      Object.assign(opts.accounts!, accountSecrets(a));
    } catch (e) {
      usage((e as Error).message);
    }
    const factories = await Promise.all(
      reporterNames.map((name) =>
        resolveReporter(name).then(
          (f) => ({ name, f }),
          (e: Error) => usage(e.message),
        ),
      ),
    );
    opts.profile = chooseProfile(a.profile);
    const selected = planFrom(a.cases, a, "xmpp-conform run");
    const shard = a.shard ? parseShard(a.shard)! : undefined;
    const plan = shard ? selectShard(selected.plan, shard) : selected.plan;
    if (shard) opts.shard = { k: shard.index, n: shard.count };
    opts.suite = casesBySpec(selected.from);
    // A baseline that cannot be read is a usage error, found before anything starts.
    const baseline = a.baseline ? readBaselineOrExit(a.baseline) : undefined;
    if (baseline) opts.baseline = baseline;
    const log = (line: string) => process.stderr.write(`${line}\n`);
    // One run, one set of reports: no file an earlier run wrote stays beside this run's.
    for (const file of [...REPORT_FILES.map(([, f]) => f), "compliance.json", "diff.md"]) rmSync(path.join(a.out, file), { force: true });
    const sink = fanOut(
      factories.map(({ name, f }) => ({ name, reporter: f({ outDir: a.out, stream: process.stdout, color: a.color, strict: a.strict }) })),
      log,
    );
    const results = await interruptible((signal, quit) => runPlan(plan, opts, { onEvent: sink, signal, quit, log }));
    if (reporterNames.includes("console")) process.stdout.write(`${whereReportsAre(a.out, reporterNames)}\n`);
    const code = exitCodeOf(results, a.strict);
    // The gate decides for a run that completed (0 or 1); an unreachable target or an interrupt keep theirs.
    // The console reporter led with the changes; without it they are printed here.
    const gate = () => judgeAgainstBaseline(baseline!, results, { outDir: a.out, allowLost: a.allowLost, ...(!reporterNames.includes("console") && { stream: process.stdout }) });
    process.exitCode = baseline && (code === EXIT.ok || code === EXIT.failed) ? gate() : code;
  },
};

/** --concurrency: auto, or a whole number of cases at once; undefined for anything else. */
function concurrencyArg(value: string): number | "auto" | undefined {
  if (value === "auto") return "auto";
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/**
 * --websocket, --bosh: a URL for a running server, or nothing with --target (yargs gives ""). A bare option
 * before the cases takes the first case as its value: with --target, a value that is no URL of the option's
 * schemes is given back to the cases.
 */
function urlArg(a: { websocket?: string; bosh?: string; target?: string; cases: string[] }, option: "websocket" | "bosh", schemes: RegExp): string | true | undefined {
  const value = a[option];
  if (value === undefined) return undefined;
  if (value === "") return true;
  if (a.target && !schemes.test(value)) {
    a.cases.unshift(value);
    return true;
  }
  return value;
}

/** The reporters a run writes unless told otherwise; under GitHub Actions, annotations too. */
const DEFAULT_REPORTERS = ["jsonl", "console", "junit", "json", "html", "markdown", "compliance", ...(process.env.GITHUB_ACTIONS === "true" ? ["github"] : [])];

/**
 * Runs `work` with Ctrl-C and SIGTERM turned into an abort: the first one lets the run clean up (accounts
 * removed, reports written, servers stopped), a second one quits at once (`quit`: the run says what it
 * leaves). A closed output (| head) is an interrupt too.
 */
async function interruptible<T>(work: (signal: AbortSignal, quit: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const quit = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) {
      quit.abort();
      process.exit(EXIT.interrupted);
    }
    process.stderr.write("\ninterrupted: finishing cleanup (press Ctrl-C again to quit at once)\n");
    abort.abort({ why: "interrupted" });
  };
  onOutputClosed(() => {
    if (abort.signal.aborted) return;
    if (process.stderr.writable) process.stderr.write("the output was closed: finishing cleanup\n");
    abort.abort({ why: "output-closed" });
  });
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await work(abort.signal, quit.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** --profile: broken profile files are usage errors (file:line:col), found before anything starts. */
function chooseProfile(value: string): ProfileChoice {
  if (value === "none") return { mode: "none" };
  if (value === "auto") return { mode: "auto", profiles: loadProfiles(PROFILES) };
  // A word that is no file is a typo of a mode or of a shipped profile's name, not a file to read.
  if (!existsSync(value)) {
    const shipped = readdirSync(PROFILES).filter((f) => f.endsWith(".yaml"));
    const known = ["none", "auto", ...shipped, ...shipped.map((f) => path.join(PROFILES, f))];
    const guess = didYouMean(value, known) ?? didYouMean(path.basename(value), shipped);
    err(
      `xmpp-conform run: --profile ${value}: no such file${guess ? `; did you mean ${guess === "none" || guess === "auto" ? guess : path.relative(process.cwd(), path.resolve(PROFILES, path.basename(guess)))}?` : ""} (--profile takes none, auto, or a profile file such as ${path.relative(process.cwd(), path.join(PROFILES, shipped[0] ?? "prosody-0.12.yaml"))})`,
    );
    process.exit(EXIT.usage);
  }
  try {
    return { mode: "file", profile: loadProfile(value) };
  } catch (e) {
    err(`xmpp-conform run: ${(e as Error).message}`);
    process.exit(EXIT.usage);
  }
}

/** The files each shipped reporter writes, in the order people open them. */
const REPORT_FILES: [reporter: string, file: string][] = [
  ["html", "report.html"],
  ["markdown", "summary.md"],
  ["compliance", "compliance.md"],
  ["junit", "junit.xml"],
  ["json", "results.json"],
  ["jsonl", "results.jsonl"],
];

/** The run's last line: where its reports are, and how to open the page. */
function whereReportsAre(out: string, reporters: string[]): string {
  const files = REPORT_FILES.filter(([r]) => reporters.includes(r)).map(([, f]) => f);
  if (files.length === 0) return "no report files (--reporter console only)";
  const html = files.includes("report.html") ? `; open ${path.join(out, "report.html")} in a browser (xdg-open ${path.join(out, "report.html")})` : "";
  return `reports in ${out}/: ${files.join(", ")}${html}`;
}

/** --baseline: a slim baseline or a results file; one that cannot be read is a usage error. */
function readBaselineOrExit(file: string): Baseline {
  try {
    return readBaseline(file);
  } catch (e) {
    err(`xmpp-conform run: --baseline ${(e as Error).message}`);
    process.exit(EXIT.usage);
  }
}
