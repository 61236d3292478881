import type { z } from "zod";
import type { Step } from "./types.ts";

/** What every step carries beside its kind: position, actor, requirements, level, timeout, and the rest of its keys. */
export type Common = Omit<Step & { kind: "send" }, "kind" | "xml" | "text">;

/** How a step is written: a verb beside its actor ('juliet/balcony sends: <xml/>'), read into a step of kind K. */
export interface Verb<K extends Step["kind"]> {
  /** The value beside the verb, for the parser and the editors' JSON Schema. */
  value: z.ZodType;
  /** What the value is, for error messages. */
  what: string;
  /** May be written without a value, as a plain string step. */
  valueless: boolean;
  /** The step, from the value already checked against `value`. */
  read(value: unknown, common: Common, at: string[]): Step & { kind: K };
}
