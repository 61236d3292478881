import { Document, type Scalar } from "yaml";
import { findRequirement } from "../catalog/index.ts";
import { specName } from "../specification/registry.ts";
import { ANY_VERSION } from "./select.ts";
import { observed } from "../results/diff.ts";
import type { CaseResult, RunResult, StepFailure, TranscriptEntry } from "../results/schema.ts";

/**
 * `profile init RESULTS`: a draft profile for the server of a run, one entry per case that failed or warned
 * (before any profile), each with the rule quoted from the requirement catalog and the stanzas the server
 * sent, and a `review` line: the harness cannot tell a server's deviation from a problem of its own set-up,
 * a person must, and then deletes the line. `profile check` names entries still under review.
 */
export function draftProfile(run: RunResult, source: string): string {
  const cases = run.cases.filter((c) => observed(c) === "fail" || observed(c) === "warn");
  const software = run.target.software ?? { name: run.target.name, version: "" };
  // A server that does not say its version (no XEP-0092) gets a profile for any version of it.
  const version = software.version || ANY_VERSION;
  const doc = new Document({
    server: software.name,
    version,
    description: `Draft from ${source} (${run.target.name}, ${run.startedAt}): every entry needs a person's review.`,
    deviations: cases.map((c) => ({
      case: c.id,
      ...documents(c),
      reason: general(oneLine(c.reason ?? c.title)),
      review: "check that the server deviates from the rule (not the harness or the set-up), put the reason in your words, then delete this line",
      rfc: rule(c),
      observed: evidence(c),
    })),
  });
  const versionNode = doc.get("version", true) as Scalar;
  if (version === ANY_VERSION) versionNode.comment = " the server did not say its version (no XEP-0092): '*' covers every version of it";
  doc.commentBefore = [
    ` Draft profile for ${software.name} ${software.version || "(version unknown)"}, made by 'xmpp-conform profile init' from ${source}.`,
    ` ${cases.length} case${cases.length === 1 ? "" : "s"} failed or warned. Each entry quotes the rule from the requirement catalog and what the`,
    " server sent; review each one (see its 'review' line), then 'xmpp-conform profile check' finds those still to do.",
  ].join("\n");
  return doc.toString({ lineWidth: 0 });
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

/** What the entry documents: the requirements the case failed or warned on, and the strongest of those failures. */
function documents(c: CaseResult): { requirements: string[]; level: "MUST" | "SHOULD" } {
  const failed = (c.requirementResults ?? []).filter((q) => q.verdict === "fail" || q.verdict === "warn");
  const ids = failed.length > 0 ? failed.map((q) => q.id) : [...new Set(c.failures.flatMap((f) => f.requirements))];
  const level = failed.some((q) => q.verdict === "fail") || (failed.length === 0 && observed(c) === "fail") ? "MUST" : "SHOULD";
  return { requirements: [...new Set(ids)].sort(), level };
}

/** The failure that decided the verdict: the first at the level of the verdict (MUST for fail, SHOULD for warn). */
function decisive(c: CaseResult): StepFailure | undefined {
  const level = observed(c) === "fail" ? "MUST" : "SHOULD";
  return c.failures.find((f) => f.level === level) ?? c.failures[0];
}

/** The catalog's line for each requirement the failing step cites. */
function rule(c: CaseResult): string {
  const f = decisive(c);
  const ids = f?.requirements.length ? f.requirements : c.requirements;
  return `${ids
    .map((id) => {
      const r = findRequirement(id);
      return r ? `${specName(r.statedIn)} §${r.section} (${id}, ${r.level ?? "n/a"}): ${r.quote ? `${r.quote} ` : ""}${r.text}`.trim() : `${id} (not in the requirement catalog): see ${specName(c.spec)} §${c.rfc}`;
    })
    .join("\n")}\n`;
}

/** Run-specific parts of account names (xc-<run>-<case>-juliet, xc-<run>-<case>-alone-juliet in a lone run): gone, so the entry reads the same in every run. */
const general = (xml: string) => xml.replace(/xc-[0-9a-f]{6}-\d+-(?:alone-)?/g, "");

const isAutoReply = (e: TranscriptEntry) => /^<iq\b[^>]*\btype=["'](?:result|error)["']/.test(e.xml);

/**
 * What the server sent: the stanzas of the failure that arrived after the failing step's action (the
 * failure marks earlier ones), or that nothing did, with the action: the last stanza a step sent before
 * the failure was decided.
 */
function evidence(c: CaseResult): string {
  const f = decisive(c);
  // "one of" failures list stanzas as "account/resource: <xml/>".
  // The actor: a session (juliet/balcony) or a top-level raw connection (c1).
  const actor = /^([a-z][a-z0-9]*(?:\/[A-Za-z0-9_-]+)?) /.exec(f?.step ?? "")?.[1];
  const decided = f?.at ?? Infinity;
  const action = (c.transcript ?? []).filter((e) => e.dir === "out" && !e.harness && !isAutoReply(e) && e.at <= decided).at(-1);
  // Only what arrived after the action can answer it (a raw connection's arrivals carry no 'early' mark).
  const after = (f?.closest ?? []).filter((s) => !s.early && !(action && s.at !== undefined && s.at < action.at)).slice(0, 3).map((s) => {
    const m = /^([a-z][a-z0-9]*\/[A-Za-z0-9_-]+): (<[\s\S]*)$/.exec(s.xml);
    return { session: m ? m[1] : actor, xml: m ? m[2] : s.xml };
  });
  const sent = action ? `after ${action.session} sent ${general(action.xml)}` : "after set-up";
  // A step that names no session ("one of: ...") says what arrived, not who got it.
  const got = (s: { session?: string; xml: string }) => (s.session ? `${s.session} got ${general(s.xml)}` : `arrived ${general(s.xml)}`);
  const lines = after.length > 0 ? [`${sent}:`, ...after.map(got)] : [`${sent}, nothing the failing step expects arrived${actor ? ` at ${actor}` : ""}`];
  return `${lines.join("\n")}\n`;
}
