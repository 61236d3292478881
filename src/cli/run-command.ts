import { readFileSync } from "node:fs";
import { provisioners } from "../accounts/index.ts";
import { AccountLedger } from "../accounts/ledger.ts";
import { reporters, type Reporter } from "../report/index.ts";
import type { CaseResult, RunInfo, RunResult } from "../results/types.ts";
import { notRun, runPlan } from "../run/runner.ts";
import type { Scenario } from "../scenario/types.ts";
import { openTarget, type Target, type TargetSpec } from "../targets/index.ts";
import { probeStream } from "../targets/ready.ts";
import { EXIT } from "./exit-codes.ts";

export interface RunCommandOptions extends TargetSpec {
  plan: Scenario[];
  accounts: string;
  reporters: string[];
  out: string;
  concurrency: number;
  timeout: number;
  quietWindow: number;
  install: boolean;
  strict: boolean;
  color: boolean;
}

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name: string; version: string };

/**
 * One run, start to end: target up, cases on the pool, reports written, accounts removed, target down.
 * Every exit path goes through the finally blocks, Ctrl-C included (the first one cleans up, a second quits).
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
  let targetError: string | undefined;
  let ledger: AccountLedger | undefined;
  let cases: CaseResult[] = [];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    try {
      target = await openTarget(opts, { install: opts.install, log });
      await probeStream(target.host, target.port, target.domain, opts.timeout);
    } catch (err) {
      targetError = (err as Error).message;
    }
    const info: RunInfo = {
      target: target
        ? { name: target.name, host: target.host, port: target.port, domain: target.domain, ...(target.software && { software: target.software }) }
        : { name: opts.target ?? opts.server ?? "?", host: "", port: 0, domain: opts.domain ?? "" },
      startedAt: new Date(started).toISOString(),
      options: { accounts: opts.accounts, concurrency: opts.concurrency, timeoutMs: opts.timeout, quietWindowMs: opts.quietWindow, strict: opts.strict },
    };
    for (const r of list) r.onBegin?.(info, opts.plan.length);
    const onCaseEnd = (c: CaseResult) => list.forEach((r) => r.onCaseEnd?.(c));
    if (!target || targetError) {
      cases = opts.plan.map((sc) => notRun(sc, "error", `target unreachable: ${targetError}`));
      cases.forEach(onCaseEnd);
    } else {
      const endpoint = { host: target.host, port: target.port, domain: target.domain };
      ledger = new AccountLedger(provisioners[opts.accounts]({ endpoint, timeoutMs: opts.timeout }));
      cases = await runPlan(opts.plan, {
        endpoint, ledger, concurrency: opts.concurrency, timeoutMs: opts.timeout, quietMs: opts.quietWindow, signal: abort.signal, onCaseEnd,
      });
    }
    await ledger?.removeAll();
    const run: RunResult = {
      schemaVersion: 1,
      tool: { name: pkg.name, version: pkg.version },
      ...info,
      durationMs: Date.now() - started,
      cases,
      accounts: { created: ledger?.created ?? 0, notRemoved: ledger?.notRemoved ?? 0 },
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
    if (targetError) return EXIT.unreachable;
    const bad = cases.some((c) => c.verdict === "fail" || c.verdict === "error" || c.verdict === "xpass" || (opts.strict && c.verdict === "warn"));
    return bad ? EXIT.failed : EXIT.ok;
  } finally {
    await target?.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
