import { xml } from "@xmpp/client";
import type { Element } from "ltx";
import { parsePattern, type Captures } from "../match/pattern.ts";
import type { AccountLedger } from "../accounts/ledger.ts";
import type { CaseResult, StepFailure, Verdict } from "../results/types.ts";
import { fill, type Bindings } from "../scenario/template.ts";
import { FEATURES, type ExpectStep, type ResourceSpec, type Scenario, type Step } from "../scenario/types.ts";
import type { Received } from "../xmpp/session.ts";
import { Session, type Credentials, type Endpoint } from "../xmpp/session.ts";
import { Transcript } from "../xmpp/transcript.ts";
import { describeStanzaError } from "../xmpp/errors.ts";
import { barrier } from "./barrier.ts";
import { findNow, receive, receiveOneOf, unexpected, type Miss } from "./expect.ts";
import { applyFixtures } from "./fixtures.ts";

/** One server's c2s and the accounts made on it. */
export interface Side {
  endpoint: Endpoint;
  ledger: AccountLedger;
}

export interface CaseContext extends Side {
  /** The second server of a pair target (domain b); absent on a single server. */
  peer?: Side;
  /** Unique to this case within the run; account names and ${uid} derive from it. */
  uid: string;
  /** How long a "receives" waits, and the limit for harness round trips. */
  timeoutMs: number;
  /** Extra fixed window after each barrier (0 = barriers only). */
  quietMs: number;
  signal: AbortSignal;
}

/** A step that cannot be carried out: the harness's or the network's fault, not the server's. */
class HarnessError extends Error {}

const oneLine = (s: string, max = 140) => {
  const line = s.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
};

/** Runs one scenario as one test case on fresh accounts, and always cleans up after itself. */
export async function runCase(sc: Scenario, ctx: CaseContext): Promise<CaseResult> {
  const started = performance.now();
  const transcript = new Transcript();
  const sessions = new Map<string, Session>();
  const accounts: Credentials[] = [];
  const bindings: Bindings = { domain: ctx.endpoint.domain, ...(ctx.peer && { "domain.b": ctx.peer.endpoint.domain }), uid: ctx.uid };
  // The runner skips a case with domain-b accounts when there is no peer, so ctx.peer! holds where it is used.
  const sideOf = (account: string): Side => (sc.accounts.find((a) => a.name === account)?.domain === "b" ? ctx.peer! : ctx);
  const failures: StepFailure[] = [];
  const choices: CaseResult["choices"] = [];
  let verdict: Verdict = "pass";
  let reason: string | undefined;
  const resources = new Map<string, ResourceSpec>(sc.accounts.flatMap((a) => a.resources.map((r) => [`${a.name}/${r.name}`, r] as const)));
  const interrupt = () => sessions.forEach((s) => s.drop());
  ctx.signal.addEventListener("abort", interrupt);

  const connect = async (label: string, spec: ResourceSpec, into = sessions) => {
    const account = label.split("/")[0];
    const creds = accounts[sc.accounts.findIndex((a) => a.name === account)];
    const session = new Session(label, sideOf(account).endpoint, creds, spec.name, transcript, { ackPushes: spec.acks });
    into.set(label, session);
    await session.start(ctx.timeoutMs);
    if (spec.roster) {
      const reply = await session.request(xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })), ctx.timeoutMs);
      if (reply.attrs.type !== "result") throw new HarnessError(`set-up: ${label}'s roster get failed: ${describeStanzaError(reply)}`);
    }
    if (spec.presence) {
      const p = spec.presence;
      await session.send(
        xml("presence", {},
          ...(p.show ? [xml("show", {}, p.show)] : []),
          ...(p.status ? [xml("status", {}, p.status)] : []),
          ...(p.priority !== undefined ? [xml("priority", {}, String(p.priority))] : [])),
      );
    }
  };

  const session = (label: string) => {
    const s = sessions.get(label);
    if (!s) throw new HarnessError(`${label} is not connected (declare it online, or add a '${label} connects' step)`);
    return s;
  };

  const runStep = async (step: Step): Promise<Omit<StepFailure, "step" | "pos" | "level" | "requirements"> | undefined> => {
    const timeout = step.timeoutMs ?? ctx.timeoutMs;
    const parse = (x: string) => parsePattern(fill(x, bindings));
    const missed = (m: Miss, what: string): Omit<StepFailure, "step" | "pos" | "level" | "requirements"> => {
      const s = sessions.get(step.actor)!;
      // A connection that died under the step is the network's or the harness's problem, not a verdict on the rule.
      if (s.closedReason && s.closedReason !== "closed by the harness") throw new HarnessError(`${step.actor}: ${s.closedReason} while waiting for ${oneLine(m.pattern.toString(), 80)}`);
      const near = m.closest[0]?.problems[0];
      const message = `${step.actor} ${what} ${oneLine(m.pattern.toString(), 80)} within ${timeout} ms${near ? `; the closest stanza differs: ${near}` : ""}`;
      return { message, expected: [m.pattern.toString()], closest: m.closest };
    };
    const merge = (caps: Captures) => Object.assign(bindings, caps);
    switch (step.kind) {
      case "send":
        await session(step.actor).send(parsePattern(fill(step.xml, bindings)));
        return undefined;
      case "receive": {
        const r = await receive(session(step.actor), step.patterns.map(parse), step.mode, bindings, timeout);
        if (r.ok) return void merge(r.captures);
        return missed(r.miss, step.mode === "one" ? "did not receive" : step.mode === "in-order" ? "did not receive, in order," : "did not receive all of");
      }
      case "receive-one-of": {
        const alternatives = step.alternatives.map((a) => ({ name: a.name, patterns: a.patterns.map(parse) }));
        const r = await receiveOneOf(session(step.actor), alternatives, bindings, timeout);
        if (r.ok) {
          choices.push({ step: step.text, alternative: r.alternative! });
          return void merge(r.captures);
        }
        const f = missed(r.miss, `received none of the alternatives (${step.alternatives.map((a) => a.name).join(", ")})`);
        return { ...f, expected: alternatives.flatMap((a) => a.patterns.map((p) => `${a.name}: ${p.toString()}`)) };
      }
      case "receive-nothing": {
        const s = session(step.actor);
        await barrier([s], [...sessions.values()], ctx.timeoutMs, ctx.quietMs);
        const pattern = step.pattern ? parse(step.pattern) : undefined;
        const extra = unexpected(s, pattern);
        if (extra.length === 0) return undefined;
        extra.forEach((r) => (r.consumed = true)); // reported once, not again by a later step
        return {
          message: `${step.actor} received ${extra.length === 1 ? "a stanza" : `${extra.length} stanzas`} it must not${pattern ? ` (matching ${oneLine(pattern.toString())})` : ""}: ${extra[0].el.toString()}`,
          expected: pattern ? [`nothing matching ${pattern.toString()}`] : ["nothing"],
          closest: extra.map((r) => ({ xml: r.el.toString(), problems: [] })),
        };
      }
      case "connect":
        if (sessions.get(step.actor)?.isOpen) throw new HarnessError(`${step.actor} is already connected`);
        await connect(step.actor, resources.get(step.actor)!);
        return undefined;
      case "disconnect":
        await session(step.actor).close();
        return undefined;
      case "drop":
        session(step.actor).drop();
        return undefined;
      case "one-of":
        return oneOf(step);
    }
  };

  /** After one barrier over every session involved, the first alternative whose expectations all hold now. */
  const oneOf = async (step: Extract<Step, { kind: "one-of" }>): Promise<Omit<StepFailure, "step" | "pos" | "level" | "requirements"> | undefined> => {
    const involved = [...new Set(step.alternatives.flatMap((a) => a.steps.map((st) => session(st.actor))))];
    await barrier(involved, [...sessions.values()], ctx.timeoutMs, ctx.quietMs);
    const why: string[] = [];
    for (const alt of step.alternatives) {
      const taken: Received[] = [];
      let caps: Captures = { ...bindings };
      const failed = alt.steps.find((st: ExpectStep) => {
        const s = session(st.actor);
        if (st.kind === "receive-nothing") return unexpected(s, st.pattern ? parsePattern(fill(st.pattern, caps)) : undefined).length > 0;
        const found = findNow(s, st.patterns.map((p) => parsePattern(fill(p, caps))), st.mode, caps);
        if (!found) return true;
        for (const r of found.picked) (r.consumed = true), taken.push(r);
        caps = found.captures;
        return false;
      });
      if (!failed) {
        choices.push({ step: step.text, alternative: alt.name });
        Object.assign(bindings, caps);
        return undefined;
      }
      for (const r of taken) r.consumed = false;
      why.push(`${alt.name}: not "${failed.text}"`);
    }
    return {
      message: `none of the allowed outcomes happened (${why.join("; ")})`,
      expected: step.alternatives.map((a) => `${a.name}: ${a.steps.map((st) => st.text).join(", then ")}`),
      closest: involved.flatMap((s) => s.inbox.filter((r) => !r.consumed).map((r) => ({ xml: `${s.label}: ${r.el.toString()}`, problems: [] }))).slice(0, 5),
    };
  };

  try {
    for (const a of sc.accounts) {
      const side = sideOf(a.name);
      const creds = await side.ledger.create(`xc-${ctx.uid}-${a.name}`);
      accounts.push(creds);
      bindings[a.name] = `${creds.username}@${side.endpoint.domain}`;
      for (const r of a.resources) bindings[`${a.name}/${r.name}`] = `${bindings[a.name]}/${r.name}`;
    }
    let missing: string[] = [];
    const involved = new Set([...sc.roster.map((r) => r.owner), ...sc.subscriptions.flatMap((x) => [x.user, x.contact])]);
    if (involved.size > 0) {
      // Fixtures run on sessions of their own (roster-interested, no presence), closed before the scenario's connect.
      const setup = new Map<string, Session>();
      try {
        await Promise.all([...involved].map((name) => connect(`${name}/set-up`, { name: `set-up-${ctx.uid}`, roster: true, online: true, acks: true }, setup)));
        const byAccount = new Map([...setup].map(([label, s]) => [label.split("/")[0], s]));
        missing = missingFeatures(sc, [...setup.values()]);
        if (missing.length === 0) await applyFixtures(sc, byAccount, bindings, ctx.timeoutMs);
      } finally {
        await Promise.all([...setup.values()].map((s) => s.close()));
      }
    }
    if (missing.length === 0) {
      await Promise.all([...resources].filter(([, r]) => r.online).map(([label, r]) => connect(label, r)));
      if (involved.size === 0) missing = missingFeatures(sc, [...sessions.values()]);
    }
    if (missing.length > 0) {
      verdict = "skip";
      reason = `the server does not advertise ${missing.join(", ")}`;
    } else {
      // Set-up traffic (presence echoes, broadcasts between the case's own resources) is not for the steps.
      await barrier([...sessions.values()], [...sessions.values()], ctx.timeoutMs, ctx.quietMs);
      sessions.forEach((s) => s.consumeAll());
      transcript.add("harness", "note", "set-up done", true);
      for (const step of sc.steps) {
        if (ctx.signal.aborted) throw new HarnessError("interrupted");
        const failed = await runStep(step);
        if (!failed) continue;
        const level = step.level ?? sc.level;
        failures.push({ step: step.text, pos: step.pos, level, requirements: step.requirements ?? sc.requirements, ...failed });
        if (level === "MUST") {
          verdict = "fail";
          reason = failed.message;
          break;
        }
        if (level === "SHOULD" && verdict === "pass") {
          verdict = "warn";
          reason = failed.message;
        }
      }
    }
  } catch (err) {
    verdict = "error";
    reason = ctx.signal.aborted ? "interrupted" : (err as Error).message;
  } finally {
    ctx.signal.removeEventListener("abort", interrupt);
    await Promise.all([...sessions.values()].map((s) => s.close()));
    transcript.add("harness", "note", "sessions closed", true);
    // Each ledger removes only the accounts it made.
    await Promise.all([ctx.ledger, ctx.peer?.ledger].map((l) => l?.remove(accounts)));
    transcript.add("harness", "note", "accounts removed", true);
  }
  return {
    id: sc.id,
    title: sc.title,
    pos: sc.pos,
    rfc: sc.rfc,
    level: sc.level,
    requirements: sc.requirements,
    tags: sc.tags,
    verdict,
    ...(reason && { reason }),
    failures,
    choices,
    durationMs: Math.round(performance.now() - started),
    transcript: transcript.entries,
  };
}

function missingFeatures(sc: Scenario, sessions: Session[]): string[] {
  const features = sessions.find((s) => s.features)?.features;
  return sc.needs.filter((f) => {
    const { ns, name } = FEATURES[f];
    return !features?.getChild(name, ns);
  }).map((f) => `${f} (${FEATURES[f].ns})`);
}
