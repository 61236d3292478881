import type { z } from "zod";

/** A problem in one step, with the path below steps[i] where it sits. */
export class StepIssue extends Error {
  constructor(
    message: string,
    readonly path: (string | number)[] = [],
  ) {
    super(message);
  }
}

/** `value` in the shape `schema` gives, or a StepIssue saying what was expected and where. */
export function expectShape<T>(schema: z.ZodType<T>, value: unknown, path: (string | number)[], what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new StepIssue(`expected ${what}`, [...path, ...(r.error.issues[0]?.path ?? []).map((p) => (typeof p === "symbol" ? String(p) : p))]);
  return r.data;
}

/** A step's XML on one line, for the step's text. */
export const oneLine = (xml: string) => xml.replace(/\s+/g, " ").trim().slice(0, 100);
