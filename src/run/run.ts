import { readFileSync } from "node:fs";
import { journalFor } from "../accounts/journal.ts";
import { accountsSummary } from "../accounts/ledger.ts";
import { pairingOf, transportOf } from "../profiles/apply.ts";
import { pickProfile } from "../profiles/select.ts";
import type { Profile } from "../profiles/types.ts";
import type { EventSink, RunEvent } from "../results/events.ts";
import { SCHEMA_VERSION, type CaseResult, type RunInfo, type RunResult, type ServerInfo } from "../results/schema.ts";
import type { Baseline } from "../results/baseline.ts";
import { compared } from "../results/diff.ts";
import type { Scenario, Wait } from "../scenario/types.ts";
import { distinctLinks } from "../targets/s2s-log.ts";
import { packageFile } from "../suite-files.ts";
import { openTarget, runningServerName, type Target, type TargetSpec } from "../targets/index.ts";
import type { TlsRequest } from "../xmpp/connections/reach.ts";
import { startRemoteServer } from "../remote/for-target.ts";
import type { RemoteServer } from "../remote/remote-server.ts";
import { identifyServer, softwareOf } from "./identify.ts";
import { foldRepeats, judge } from "./judge.ts";
import { AUTO, AutoConcurrency, fixedConcurrency } from "./concurrency.ts";
import { hasRemoteAccount, runPool } from "./pool.ts";
import { openSide, type AccountsChoice, type OpenSide } from "./sides.ts";
import { Liveness } from "./liveness.ts";
import { RunStop } from "./stop.ts";
import { cleanupCommand } from "../results/commands.ts";

/** --profile: none (raw verdicts), auto (chosen among these by the software the server reports), or one profile. */
export type ProfileChoice = { mode: "none" } | { mode: "auto"; profiles: Profile[] } | { mode: "file"; profile: Profile };

/** What a run needs besides its plan; everything but where to run has a default. */
export interface RunOptions extends TargetSpec {
  accounts?: AccountsChoice;
  tls?: TlsRequest;
  profile?: ProfileChoice;
  /** Cases at once, or "auto" (the default): from 4, grown while cases per second rise and the server answers promptly. */
  concurrency?: number | "auto";
  /** Runs of the plan (default 1); verdicts that differ between runs are reported as flaky. */
  repeat?: number;
  /** How long a "receives" waits at most, and the limit for the harness's own round trips (default 3000). */
  timeoutMs?: number;
  /** An extra fixed wait after each barrier (default 0). */
  quietWindowMs?: number;
  /** What decides that an expected stanza is not coming (default "barrier"); scenarios and steps may say otherwise. */
  wait?: Wait;
  /** Recorded in the results: warnings fail the run (the caller's exit code decides). */
  strict?: boolean;
  /** Install a missing local server from Debian's packages (default true). */
  install?: boolean;
  /** Keep every case's transcript, or only those of cases that did not pass (default). */
  transcripts?: "all" | "failures";
  /** The cases per specification of the suite the plan was selected from, recorded for the compliance suites. */
  suite?: Record<string, number>;
  /** An earlier run to compare with: each case records how it moved since (the gate's reports speak of that). */
  baseline?: Baseline;
  /** The target's MUC service, where discovery does not find it (or finds another). */
  mucService?: string;
  /** The target's upload service (XEP-0363), where discovery does not find it; a local target's is known (upload.DOMAIN). */
  uploadService?: string;
  /** With --shard k/n: which part of the selection the plan is. */
  shard?: { k: number; n: number };
}

export interface RunHooks {
  /** The run as it happens (see src/results/events.ts); a sink that throws is the sink's problem, not the run's. */
  onEvent?: EventSink;
  /**
   * Abort to interrupt: running cases stop, everything set up is given back, the results say so. The reason
   * `{ why: "output-closed" }` says the output's reader went away; any other is an interrupt.
   */
  signal?: AbortSignal;
  /**
   * Abort to quit at once (a second Ctrl-C): nothing more is awaited; a local server is killed and its folder
   * removed synchronously, and `log` says what is left on a running server and the command that removes it.
   */
  quit?: AbortSignal;
  /** Progress lines for people (installing a server, a warning). */
  log?: (line: string) => void;
}

const pkg = JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as { name: string; version: string };

/**
 * What a run sets up, in order; each part is given back in reverse order on every way out (a finished run,
 * an error, an interrupt), like Playwright's tasks owning their teardown.
 */
class Parts {
  private readonly teardowns: (() => Promise<void>)[] = [];

  async add<T>(open: () => Promise<T>, close: (part: T) => Promise<void>): Promise<T> {
    const part = await open();
    this.teardowns.push(() => close(part));
    return part;
  }

  async giveBack(log: (line: string) => void): Promise<void> {
    for (const teardown of this.teardowns.reverse()) await teardown().catch((err: Error) => log(`cleanup: ${err.message}`));
  }
}

/**
 * One run, start to end, as a library: the target up, the way to it settled (TLS), accounts ready on each
 * server, the server identified and its profile chosen, the cases on the pool, and the results record out.
 * Events come along the way; what was set up is given back on every exit path.
 */
export async function run(plan: Scenario[], options: RunOptions, hooks: RunHooks = {}): Promise<RunResult> {
  const o = {
    accounts: { mode: "ibr" },
    tls: { tls: "auto" },
    profile: { mode: "none" },
    concurrency: "auto",
    repeat: 1,
    timeoutMs: 3000,
    quietWindowMs: 0,
    wait: "barrier",
    strict: false,
    install: true,
    transcripts: "failures",
    ...options,
  } as Required<RunOptions>;
  const stop = new RunStop(hooks.signal);
  const signal = stop.signal;
  const log = hooks.log ?? (() => {});
  const emit = (e: RunEvent) => {
    try {
      const pending = hooks.onEvent?.(e);
      if (pending) pending.catch((err: Error) => log(`event sink failed on ${e.type}: ${err.message}`));
    } catch (err) {
      log(`event sink failed on ${e.type}: ${(err as Error).message}`);
    }
  };
  const started = Date.now();
  const parts = new Parts();
  const notes: string[] = [];
  if (o.tls.insecure) {
    notes.push("the server's TLS certificate was not verified (--insecure)");
    log("warning: --insecure: the server's TLS certificate is not verified; anyone on the path could pose as the server");
  }
  let target: Target | undefined;
  let side: OpenSide | undefined;
  let peer: (OpenSide & { server: NonNullable<Target["peer"]> }) | undefined;
  let targetError: string | undefined;
  let remote: RemoteServer | undefined;
  let info: RunInfo | undefined;
  let liveness: Liveness | undefined;
  // A second interrupt: give up everything now, and say what is left where.
  const quit = () => {
    liveness?.stop();
    const ledgers = [side?.ledger, peer?.ledger].filter((l) => l !== undefined);
    const left = ledgers.reduce((n, l) => n + l.notRemovedYet, 0);
    for (const l of ledgers) l.abandon("the run quit at once (a second interrupt)");
    if (target?.abandon) log(`quitting at once: ${target.abandon()}`);
    else if (left > 0 && info)
      log(
        `quitting at once: ${left} test account${left === 1 ? "" : "s"} left on ${info.target.name} (domain ${info.target.domain}); this removes ${left === 1 ? "it" : "them"}:\n  ${cleanupCommand(info)}`,
      );
    else log("quitting at once: nothing is left behind");
  };
  hooks.quit?.addEventListener("abort", quit, { once: true });
  try {
    try {
      target = await parts.add(
        () => openTarget(o, { install: o.install, log, ...(o.tls.tls !== "auto" && { tls: o.tls.tls }) }),
        (t) => t.stop(),
      );
      if (target.found) notes.push(`--server ${target.name}: ${target.found}`);
      side = await parts.add(
        () => openSide(target!, o.accounts, o.tls, o.timeoutMs, journalFor({ server: runningServerName(o), domain: target!.domain })),
        (s) => s.close(),
      );
      const server = target.peer;
      if (server)
        peer = await parts.add(
          async () => ({ ...(await openSide(server, { mode: o.accounts.mode, admin: o.accounts.admin }, o.tls, o.timeoutMs)), server }),
          (p) => p.close(),
        );
      // From here on a server that stops answering stops the run (and its cleanup): nothing waits on it.
      const sides = [{ name: target.name, endpoint: side.endpoint }, ...(peer ? [{ name: peer.server.name, endpoint: peer.endpoint }] : [])];
      liveness = await parts.add(
        async () => {
          const watch = new Liveness(sides, (detail) => {
            // A local server's accounts go with its folder; a running server's stay in the journal for cleanup.
            for (const l of [side?.ledger, peer?.ledger]) l?.abandon(target?.abandon ? undefined : "the server went away");
            stop.stop({ why: "server-gone", detail });
          });
          watch.start();
          return watch;
        },
        async (l) => l.stop(),
      );
      // The harness's scripted remote server, where the target has a place for it and a case has a user there.
      if (target.remote && plan.some(hasRemoteAccount))
        remote = await parts.add(
          () => startRemoteServer(target!, { timeoutMs: o.timeoutMs }),
          (r) => r.stop(),
        );
    } catch (err) {
      targetError = (err as Error).message;
    }
    const seen = side && !targetError ? await identifyServer(side.ledger, side.endpoint, o.timeoutMs) : {};
    if (seen.note) notes.push(seen.note);
    const software = (seen.server && softwareOf(seen.server)) ?? target?.software;
    const picked = o.profile.mode === "auto" ? pickProfile(o.profile.profiles, software) : { profile: o.profile.mode === "file" ? o.profile.profile : undefined };
    if (picked.note && !targetError) notes.push(picked.note);
    // A pair: the second server's profile too, for what it does as the contact's server in cross-domain variants.
    const peerSoftware = peer?.server.software;
    const peerProfile = o.profile.mode === "auto" && peerSoftware && !targetError ? pickProfile(o.profile.profiles, peerSoftware).profile : undefined;
    const profile = targetError ? undefined : picked.profile;
    const security = side?.endpoint.security;
    info = {
      tool: { name: pkg.name, version: pkg.version },
      target: {
        name: target?.name ?? o.target ?? o.server ?? "?",
        host: target?.host ?? "",
        port: target?.port ?? 0,
        domain: target?.domain ?? o.domain ?? "",
        ...(software && { software }),
        ...(seen.server && { server: named(seen.server, { muc: o.mucService, upload: o.uploadService ?? target?.upload }) }),
        ...(target?.config && { config: target.config }),
        ...(security && {
          transport: {
            ...(side?.endpoint.websocket && { websocket: side.endpoint.websocket }),
            ...(side?.endpoint.bosh && { bosh: side.endpoint.bosh }),
            tls: security.tls,
            ...(security.tls !== "none" && { certificateVerified: !security.insecure }),
            ...(security.ca && { ca: o.tls.caFile ?? target?.caFile }),
            ...(seen.sasl && { sasl: seen.sasl }),
            ...(target?.component && { component: `${target.component.domain}@${target.component.host}:${target.component.port}` }),
          },
        }),
        ...(peer && { peer: { name: peer.server.name, host: peer.server.host, port: peer.server.port, domain: peer.server.domain, ...(peer.server.software && { software: peer.server.software }) } }),
        ...(target?.s2s && { s2s: { mode: target.s2s } }),
        ...(remote && { remote: { domain: remote.domain } }),
      },
      startedAt: new Date(started).toISOString(),
      options: {
        accounts: o.accounts.mode,
        concurrency: o.concurrency,
        repeat: o.repeat,
        timeoutMs: o.timeoutMs,
        quietWindowMs: o.quietWindowMs,
        wait: o.wait,
        strict: o.strict,
        tls: o.tls.tls,
        profile: o.profile.mode,
        transcripts: o.transcripts,
        ...(o.tls.insecure && { insecure: true }),
        ...(o.tls.allowPlain && { allowPlain: true }),
      },
      ...(profile && { profile: { file: profile.file, server: profile.server, version: profile.version } }),
      ...(peerProfile && { peerProfile: { file: peerProfile.file, server: peerProfile.server, version: peerProfile.version } }),
      notes,
      ...(o.suite && { suite: o.suite }),
      ...(o.shard && { shard: o.shard }),
      ...(o.baseline && { baseline: { label: o.baseline.label, gone: [...o.baseline.cases.keys()].filter((id) => !plan.some((sc) => sc.id === id)) } }),
    };
    const pairing = pairingOf(info);
    const profiles =
      profile || peerProfile
        ? { ...(profile && { a: profile }), ...(peerProfile && { b: peerProfile }), ...(pairing && { pairing }), ...(target?.config && { config: target.config }), transport: transportOf(info) }
        : undefined;
    emit({ type: "run-begin", run: info, plan: plan.map((sc) => sc.id) });
    // Every case as the record keeps it: compared with the baseline, its transcript kept only where asked.
    const recorded = (c: CaseResult) => trimmed(o.baseline ? compared(c, o.baseline) : c, o.transcripts);
    const ended = (c: CaseResult) => emit({ type: "case-end", case: recorded(c) });
    let cases: CaseResult[];
    let auto: AutoConcurrency | undefined;
    if (!side || targetError) {
      cases = plan.map((sc) => judge(sc, { notRun: "error", reason: `the run could not start: ${targetError}` }));
      cases.forEach(ended);
    } else {
      // Never more cases at once than the plan has, nor than the accounts a set of existing ones allows; one controller across repeats.
      if (o.concurrency === "auto") auto = new AutoConcurrency({ ...AUTO, max: Math.min(AUTO.max, plan.length, side.ledger.capacity, peer?.ledger.capacity ?? Infinity) });
      const concurrency = auto ?? fixedConcurrency(o.concurrency as number);
      const runs: CaseResult[][] = [];
      for (let i = 0; i < o.repeat && !signal.aborted; i++) {
        runs.push(
          await runPool(plan, {
            endpoint: side.endpoint,
            ledger: side.ledger,
            peer,
            remote,
            profiles,
            ...(liveness && { health: liveness }),
            ...(target?.webSocketOnly && { webSocketOnly: true }),
            ...(target?.name.startsWith("local:") && { local: target.name }),
            ...(info.target.server?.muc && { muc: info.target.server.muc.jid }),
            ...(target?.component && { component: target.component }),
            ...(info.target.server?.upload && { upload: info.target.server.upload.jid }),
            ...((o.tls.caFile ?? target?.caFile) && { httpsCa: readFileSync((o.tls.caFile ?? target?.caFile)!, "utf8") }),
            concurrency,
            timeoutMs: o.timeoutMs,
            quietMs: o.quietWindowMs,
            wait: o.wait,
            signal,
            emit: (e) => emit(e.type === "case-end" ? { type: "case-end", case: recorded(e.case) } : e),
            ...(o.repeat > 1 && { holdCaseEnd: true, repeat: i + 1 }),
          }),
        );
        if (o.repeat > 1) log(`run ${i + 1} of ${o.repeat} done`);
      }
      // With repeats each case ends once, folded, after the last run.
      cases = foldRepeats(runs);
      if (o.repeat > 1) cases.forEach(ended);
    }
    // The accounts are part of the record: give them back before it is closed.
    await side?.ledger.removeAll();
    await peer?.ledger.removeAll();
    // What the servers negotiated between them, from their logs while they still run.
    const s2s = target?.s2s && { mode: target.s2s, links: distinctLinks(target.s2sLinks?.() ?? []) };
    const result: RunResult = {
      schemaVersion: SCHEMA_VERSION,
      ...info,
      target: { ...info.target, ...(s2s && { s2s }), ...(remote && { remote: { domain: remote.domain, links: remote.links } }) },
      durationMs: Date.now() - started,
      cases: cases.map(recorded),
      accounts: accountsSummary([side?.ledger, peer?.ledger]),
      ...(auto && { concurrency: auto.summary() }),
      ...(targetError && { targetError }),
      interrupted: Boolean(stop.stopped),
      ...(stop.stopped && { stopped: stop.stopped }),
    };
    const { cases: _, ...end } = result;
    await settle(hooks.onEvent, { type: "run-end", run: end }, log);
    return result;
  } finally {
    await parts.giveBack(log);
    hooks.quit?.removeEventListener("abort", quit);
  }
}

/** run-end is the one event the run waits for: reporters write their files then. */
async function settle(sink: EventSink | undefined, e: RunEvent, log: (line: string) => void): Promise<void> {
  try {
    await sink?.(e);
  } catch (err) {
    log(`event sink failed on ${e.type}: ${(err as Error).message}`);
  }
}

/** Transcripts of passing and skipped cases only when asked for: they are most of a report's size. */
function trimmed(c: CaseResult, keep: "all" | "failures"): CaseResult {
  if (keep === "all" || (c.verdict !== "pass" && c.verdict !== "skip") || c.flaky) return c;
  const { transcript: _, ...rest } = c;
  return rest;
}

/**
 * The services the user named (--muc-service, --upload-service) or a local target knows (its upload service), in
 * place of those discovery found: a service the domain's disco#items do not list is still the run's (a case judges
 * the listing). Its features are discovery's where it found the same one, else asked where a case needs them.
 */
function named(server: ServerInfo, services: { muc?: string; upload?: string }): ServerInfo {
  const pick = (jid: string | undefined, found: { jid: string; features: string[] } | undefined) => jid && { jid, features: found?.jid === jid ? found.features : [] };
  const muc = pick(services.muc, server.muc);
  const upload = pick(services.upload, server.upload);
  return { ...server, ...(muc && { muc }), ...(upload && { upload }) };
}
