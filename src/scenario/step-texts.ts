import type { Step } from "./types.ts";

// Where a step's placeholders and captures are: the XML it sends or expects, and the other text of stream-level
// steps. The loader checks them; the runner follows captures from one step to the next.

/** Text of stream-level steps that may hold placeholders but is not XML to check (raw bytes, attribute values). */
export function textsOf(step: Step): string[] {
  switch (step.kind) {
    case "open-stream": {
      const h = step.header;
      if ("raw" in h) return [h.raw];
      return [h.to, h.from, h.version, h.lang, h.id, h.xmlns, h.streamNs, ...Object.values(h.attrs ?? {})].filter((v): v is string => typeof v === "string");
    }
    case "receive-stream-header": return Object.values(step.attrs);
    case "send-raw": return "text" in step.bytes ? [step.bytes.text] : [step.bytes.before, step.bytes.repeat, step.bytes.after];
    case "authenticate": return [step.sasl.password, step.sasl.authzid].filter((v): v is string => v !== undefined);
    case "bind": return step.resource === undefined ? [] : [step.resource];
    case "receive-stream-error": return step.errorText === undefined ? [] : [step.errorText];
    default: return [];
  }
}

/** The XML a step sends or expects (checked for well-formedness by the loader). */
export function xmlOf(step: Step): string[] {
  switch (step.kind) {
    case "send": return [step.xml];
    case "receive-features": return [step.pattern];
    case "receive": return step.patterns;
    case "receive-one-of": return step.alternatives.flatMap((a) => a.patterns);
    case "also": return [step.pattern];
    case "receive-nothing": return step.pattern ? [step.pattern] : [];
    case "one-of": return step.alternatives.flatMap((a) => a.steps.flatMap(xmlOf));
    default: return [];
  }
}

/** Everything of a step that may hold placeholders or captures. */
export const allTextsOf = (step: Step): string[] => [...xmlOf(step), ...textsOf(step)];
