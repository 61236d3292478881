import { readFileSync } from "node:fs";
import { provisioners, type Provisioner } from "../accounts/index.ts";
import { AccountLedger, accountsSummary } from "../accounts/ledger.ts";
import { journalFor } from "../accounts/journal.ts";
import { preflight } from "../accounts/preflight.ts";
import type { ExistingAccounts } from "../accounts/types.ts";
import { pickProfile } from "../profiles/select.ts";
import type { Profile } from "../profiles/types.ts";
import { reporters, type Reporter } from "../report/index.ts";
import type { CaseResult, RunInfo, RunResult } from "../results/types.ts";
import { identifyServer, softwareOf } from "../run/identify.ts";
import { notRun, runPlan } from "../run/runner.ts";
import { foldRepeats } from "../run/repeat.ts";
import type { Scenario } from "../scenario/types.ts";
import { openTarget, type Target, type TargetSpec } from "../targets/index.ts";
import type { Endpoint } from "../xmpp/endpoint.ts";
import { reach, type TlsRequest } from "../xmpp/reach.ts";
import type { Credentials } from "../xmpp/session.ts";
import { EXIT } from "./exit-codes.ts";
import { openPeer, type OpenPeer } from "./peer-side.ts";

/** --profile: none (raw verdicts), auto (chosen among these by the software the server reports), or one file. */
export type ProfileChoice = { mode: "none" } | { mode: "auto"; profiles: Profile[] } | { mode: "file"; profile: Profile };

export interface RunCommandOptions extends TargetSpec {
  plan: Scenario[];
  accounts: string;
  admin?: Credentials & { jid: string };
  existing?: ExistingAccounts;
  tls: TlsRequest;
  profile: ProfileChoice;
  reporters: string[];
  out: string;
  concurrency: number;
  /** Runs of the plan; verdicts that differ between runs are reported as flaky. */
  repeat: number;
  timeout: number;
  quietWindow: number;
  install: boolean;
  strict: boolean;
  color: boolean;
}

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name: string; version: string };

/**
 * One run, start to end: target up, the way to it settled (TLS), accounts ready, the server identified and
 * its profile chosen, cases on the pool, reports written, accounts removed, target down. Every exit path
 * goes through the finally blocks, Ctrl-C included (the first one cleans up, a second quits).
 */
export async function runCommand(opts: RunCommandOptions): Promise<number> {
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write("\ninterrupted: finishing cleanup (press Ctrl-C again to quit at once)\n");
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const started = Date.now();
  const list: Reporter[] = opts.reporters.map((name) => reporters[name]({ outDir: opts.out, stream: process.stdout, color: opts.color }));
  let target: Target | undefined;
  let endpoint: Endpoint | undefined;
  let provisioner: Provisioner | undefined;
  let ledger: AccountLedger | undefined;
  let peer: OpenPeer | undefined;
  let targetError: string | undefined;
  let cases: CaseResult[] = [];
  const notes: string[] = [];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (opts.tls.insecure) {
    notes.push("the server's TLS certificate was not verified (--insecure)");
    log("warning: --insecure: the server's TLS certificate is not verified; anyone on the path could pose as the server");
  }
  try {
    try {
      target = await openTarget(opts, { install: opts.install, log, ...(opts.tls.tls !== "auto" && { tls: opts.tls.tls }) });
      // A local TLS server made its own certificate: trust it unless the user said otherwise.
      const tls = target.tls ? { ...opts.tls, tls: target.tls, caFile: opts.tls.caFile ?? target.caFile } : opts.tls;
      endpoint = await reach({ host: target.host, port: target.port, domain: target.domain }, tls, opts.timeout);
      provisioner = provisioners[opts.accounts]({ endpoint, timeoutMs: opts.timeout, target, admin: opts.admin, existing: opts.existing });
      ledger = new AccountLedger(provisioner, { journal: journalFor(opts) });
      await provisioner.open?.().catch((err: Error) => {
        throw new Error(`accounts (--accounts ${opts.accounts}): ${err.message}`);
      });
      const refused = await preflight(ledger, opts.accounts, { endpoint, timeoutMs: opts.timeout });
      if (refused) throw new Error(`accounts (--accounts ${opts.accounts}): ${refused.message}`);
      if (target.peer) peer = await openPeer(target.peer, { accounts: opts.accounts, tls, timeout: opts.timeout, admin: opts.admin });
    } catch (err) {
      targetError = (err as Error).message;
    }
    const seen = ledger && endpoint && !targetError ? await identifyServer(ledger, endpoint, opts.timeout) : {};
    if (seen.note) notes.push(seen.note);
    const software = (seen.server && softwareOf(seen.server)) ?? target?.software;
    const picked = opts.profile.mode === "auto" ? pickProfile(opts.profile.profiles, software) : { profile: opts.profile.mode === "file" ? opts.profile.profile : undefined };
    if (picked.note && !targetError) notes.push(picked.note);
    const profile = targetError ? undefined : picked.profile;
    const security = endpoint?.security;
    const info: RunInfo = {
      target: {
        name: target?.name ?? opts.target ?? opts.server ?? "?",
        host: target?.host ?? "",
        port: target?.port ?? 0,
        domain: target?.domain ?? opts.domain ?? "",
        ...(software && { software }),
        ...(seen.server && { server: seen.server }),
        ...(security && {
          transport: {
            tls: security.tls,
            ...(security.tls !== "none" && { certificateVerified: !security.insecure }),
            ...(security.ca && { ca: opts.tls.caFile ?? target?.caFile }),
            ...(seen.sasl && { sasl: seen.sasl }),
          },
        }),
        ...(peer && { peer: peer.info }),
      },
      startedAt: new Date(started).toISOString(),
      options: {
        accounts: opts.accounts, concurrency: opts.concurrency, repeat: opts.repeat, timeoutMs: opts.timeout, quietWindowMs: opts.quietWindow, strict: opts.strict,
        tls: opts.tls.tls, profile: opts.profile.mode, ...(opts.tls.insecure && { insecure: true }), ...(opts.tls.allowPlain && { allowPlain: true }),
      },
      ...(profile && { profile: { file: profile.file, server: profile.server, version: profile.version } }),
      notes,
    };
    for (const r of list) r.onBegin?.(info, opts.plan.length);
    const onCaseEnd = (c: CaseResult) => list.forEach((r) => r.onCaseEnd?.(c));
    if (!ledger || !endpoint || targetError) {
      cases = opts.plan.map((sc) => notRun(sc, "error", `target unreachable: ${targetError}`));
      cases.forEach(onCaseEnd);
    } else {
      const runs: CaseResult[][] = [];
      for (let i = 0; i < opts.repeat && !abort.signal.aborted; i++) {
        // With repeats the reporters see each case once, folded, after the last run.
        runs.push(await runPlan(opts.plan, {
          endpoint, ledger, peer, profile, concurrency: opts.concurrency, timeoutMs: opts.timeout, quietMs: opts.quietWindow, signal: abort.signal,
          ...(opts.repeat === 1 && { onCaseEnd }),
        }));
        if (opts.repeat > 1) log(`run ${i + 1} of ${opts.repeat} done`);
      }
      cases = foldRepeats(runs);
      if (opts.repeat > 1) cases.forEach(onCaseEnd);
    }
    await ledger?.removeAll();
    await peer?.ledger.removeAll();
    const run: RunResult = {
      schemaVersion: 1,
      tool: { name: pkg.name, version: pkg.version },
      ...info,
      durationMs: Date.now() - started,
      cases,
      accounts: accountsSummary([ledger, peer?.ledger]),
      ...(targetError && { targetError }),
      interrupted: abort.signal.aborted,
    };
    for (const r of list) {
      try {
        await r.onEnd(run);
      } catch (err) {
        log(`a reporter failed: ${(err as Error).message}`);
      }
    }
    if (abort.signal.aborted) return EXIT.interrupted;
    if (targetError || ledger?.refused) return EXIT.unreachable;
    const bad = cases.some((c) => c.flaky || c.verdict === "fail" || c.verdict === "error" || c.verdict === "xpass" || (opts.strict && c.verdict === "warn"));
    return bad ? EXIT.failed : EXIT.ok;
  } finally {
    await provisioner?.close?.().catch(() => {});
    await peer?.provisioner.close?.().catch(() => {});
    await target?.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
