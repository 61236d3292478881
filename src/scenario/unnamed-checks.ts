import { KINDS } from "./kinds.ts";
import type { Scenario, SourcePos } from "./types.ts";

/** A check that names no requirements in a case citing several: it proves (and fails) all of the case's. */
export interface UnnamedCheck {
  case: string;
  step: number;
  pos: SourcePos;
  requirements: string[];
}

/**
 * The checks (and `one of` steps) of cases citing more than one requirement that name none of their own. Such a
 * check credits every rule of its case whatever it looked at, and one missed stanza fails them all: the commonest
 * credit leak the audits found. `validate` warns of each; the shipped suite keeps the list at its recorded size.
 */
export function unnamedChecks(cases: Scenario[]): UnnamedCheck[] {
  return cases.flatMap((sc) =>
    sc.requirements.length < 2
      ? []
      : sc.steps.flatMap((st, step) =>
          !st.setup && !st.requirements && (st.kind === "one-of" || (KINDS[st.kind].checks && st.kind !== "also")) ? [{ case: sc.id, step, pos: st.pos, requirements: sc.requirements }] : [],
        ),
  );
}
