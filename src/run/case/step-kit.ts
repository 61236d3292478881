import type { Captures } from "../../match/pattern.ts";
import type { ExpectKind, ExpectStep, PlannedStep, Step } from "../../scenario/types.ts";
import type { Received } from "../../xmpp/connections/inbox.ts";
import type { Found } from "../expect.ts";
import type { Miss } from "../judge.ts";
import type { CaseScope } from "./scope.ts";

export type { Miss } from "../judge.ts";

/**
 * A proving step could not act because the server had ended the stream (a stream error or close the case did not
 * expect): the server's doing, so the step's miss, not the harness's error (runStep returns it).
 */
export class StreamEnded extends Error {
  constructor(readonly miss: Miss) {
    super(miss.message);
  }
}

export type Handler<K extends Step["kind"]> = (step: PlannedStep & { kind: K }, scope: CaseScope) => Promise<Miss | undefined>;

/** An expectation inside 'one of', right now: what it takes (beyond `taken`, what earlier ones of its alternative took), or undefined. */
export type Holds<K extends ExpectKind> = (scope: CaseScope, step: ExpectStep & { kind: K }, caps: Captures, taken: Received[]) => Found | undefined;

/** A stanza or text on one line, shortened, for failure messages. */
export const oneLine = (s: string, max = 140) => {
  const line = s.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
};

/** How long a step waits at most: its own timeout, else the run's. */
export const timeoutOf = (scope: CaseScope, step: Step) => step.timeoutMs ?? scope.ctx.timeoutMs;
/**
 * Whether a scenario wrote `wait: timeout` for this step (on it, or for all its steps): an absence it checks is one
 * no barrier orders (what the server sends in its own time), so it holds only once the whole timeout has passed.
 * Not the run's --wait nor the policy's (src/run/case/wait-policy.ts): those decide how long a step waits for what
 * it expects, and would make every absence cost a timeout.
 */
export const absenceWaits = (scope: CaseScope, step: Pick<Step, "wait">) => (step.wait ?? scope.sc.wait) === "timeout";

/** Remembers what the actor captured, for later steps. */
export const keep = (scope: CaseScope, caps: Captures) => void Object.assign(scope.bindings, caps);
