import { parse as parseXml, type Element } from "ltx";
import { findRequirement } from "../catalog/index.ts";
import { ScenarioError } from "./error.ts";
import type { Cell } from "./matrix-cells.ts";
import type { Parties } from "./parties.ts";
import type { RawScenario } from "./schema.ts";
import { parseStep, StepIssue, type AlsoEntry, type When } from "./steps.ts";
import { PATTERN_ATTRS, unknownPatternAttr } from "../match/pattern.ts";
import { suggestion } from "../util/suggest.ts";
import { capturesIn, fill, placeholdersIn, secretKey, secretsIn, unknownFilters } from "../match/template.ts";
import { allTextsOf, BOSH_KINDS, KINDS, outcomesOf, REMOTE_KINDS, sentBy, STREAM_KINDS, textsOfStep as textsOf, xmlOfStep as xmlOf } from "./kinds.ts";
import { guardIssue } from "./guard.ts";
import { planSteps } from "./compile.ts";
import type { Path } from "../util/yaml-file.ts";
import { FEATURES, type Feature, type PlannedStep, type RawConnectionSpec, type SourcePos, type Step } from "./types.ts";

/**
 * Reads a case's steps in order and checks its flow: who may do what, placeholders known where they are used
 * (captures grow the names), well-formed XML, `also:` entries as steps of their own, the addressing guard, the
 * matrix cell's `when`, and that every requirement the case cites is proved by some step. The steps come out
 * planned (compile.ts): what each proves, at which level, and what it depends on.
 */
/** An available presence addressed to a room's occupant placeholder: `<presence to='${lobby/Bob}'`. */
const ENTERS = /^\s*<presence\b(?![^>]*\btype=)[^>]*\bto=(['"])\$\{([A-Za-z_][\w-]*)\/([^}|'"]+)\}\1/;

export function readSteps(raw: RawScenario, parties: Parties, where: (p: Path, key?: string) => SourcePos, cell?: Cell): PlannedStep[] {
  const { accounts, connections, roster, rooms, remotes, rawLabels, sessions, actorOf } = parties;
  // Names a placeholder may use, growing with each step's captures.
  // ${domain.b} only where an account lives on b: such a case is skipped on a single server, where it has no value.
  const secondDomain = accounts.some((a) => a.domain === "b") ? ["domain.b"] : [];
  const remoteDomain = remotes.size > 0 ? ["domain.remote"] : [];
  // The component name the target accepts (XEP-0114), where the case has a component connection.
  const componentName = connections.some((c) => c.component) ? ["component"] : [];
  // The upload service (XEP-0363), where the case needs a feature asked of it.
  const uploadService = (raw.needs ?? []).some((f) => {
    const shape = FEATURES[f as Feature];
    return shape !== undefined && "disco" in shape && shape.at === "upload";
  })
    ? ["upload"]
    : [];
  // A room's JID (${lobby}) and its occupants' (${lobby/Nick}, any nick), and the MUC service's (${muc}).
  const roomNames = new Set(rooms.map((r) => r.name));
  // A raw connection's XEP-0198 counters: ${c1.sent}, ${c1.received} (bound once it enables stream management).
  const counters = connections.flatMap((c) => [`${c.label}.sent`, `${c.label}.received`]);
  const known = new Set([
    "domain",
    "uid",
    ...accounts.map((a) => a.name),
    // An account's own domain (${bob.domain}): domain b's where a cross-domain variant moved it there.
    ...accounts.map((a) => `${a.name}.domain`),
    ...sessions,
    ...secondDomain,
    ...remoteDomain,
    ...componentName,
    ...uploadService,
    ...counters,
    ...(rooms.length > 0 || (raw.needs ?? []).includes("muc") ? ["muc"] : []),
    ...roomNames,
    ...[...roomNames].map((r) => `${r}/*`),
  ]);
  const isKnown = (name: string, names: Set<string>) => names.has(name) || (name.includes("/") && roomNames.has(name.split("/")[0]));
  // An account's password is the harness's to choose (and SASL PLAIN's response with it); the second one only for an account the case may change.
  const secrets = new Set(
    accounts.filter((a) => a.domain !== "remote").flatMap((a) => [secretKey(a.name, "password"), secretKey(a.name, "plain"), ...(a.disposable ? [secretKey(a.name, "newpassword")] : [])]),
  );
  // Raw connections bound by an earlier step: only these take part in barriers, and name a full JID.
  const bound = new Set<string>();
  const kept: Step[] = [];
  /** Where the guard's findings on each kept step point (its XML, or its `also` entry), and the step it was written as. */
  const guardAt: { pos: SourcePos; index: number }[] = [];
  raw.steps.forEach((rawStep, i) => {
    let step: Step;
    let when: When | undefined;
    let also: AlsoEntry[] | undefined;
    try {
      ({ step, when, also } = parseStep(rawStep, { pos: where(["steps", i]), actorOf }));
      if (when && !cell) throw new StepIssue("'when' needs a matrix");
      for (const name of Object.keys(when ?? {})) {
        if (!(name in cell!)) throw new StepIssue(`'when' names '${name}', which is not a matrix variable (${Object.keys(cell!).join(", ")})`, ["when"]);
      }
      checkActors(step, rawLabels, connections, bound, remotes);
    } catch (err) {
      if (!(err instanceof StepIssue)) throw err;
      // At the deepest key the issue names (a key inside a step's value too), else at the step.
      const [key, ...inside] = err.path;
      const at = typeof key !== "string" ? where(["steps", i]) : inside.length === 0 ? where(["steps", i], key) : where(["steps", i, key, ...inside.slice(0, -1)], String(inside.at(-1)));
      throw new ScenarioError(at, `steps[${i}]: ${err.message}`);
    }
    const key = typeof rawStep === "string" ? undefined : Object.keys(rawStep).find((k) => k === "one of" || k.startsWith(step.actor.split("/")[0]));
    const xmlPos = key ? where(["steps", i, key]) : step.pos;
    const placeholders = (texts: string[], names: Set<string>) => {
      for (const text of texts) {
        for (const name of placeholdersIn(text)) {
          if (!isKnown(name, names)) throw new ScenarioError(xmlPos, `steps[${i}]: unknown placeholder \${${name}}; known here: ${[...names].join(", ")}`);
        }
        for (const f of unknownFilters(text)) throw new ScenarioError(xmlPos, `steps[${i}]: unknown placeholder filter '|${f}' (filters: upper, local, sha1, nick; first: password, newpassword)`);
        for (const key of secretsIn(text)) {
          if (!secrets.has(key))
            throw new ScenarioError(xmlPos, `steps[${i}]: \${${key}} names no secret: |password is an account's (not a remote user's), |newpassword one of an account with 'disposable: true'`);
        }
      }
    };
    /** Checks placeholders and well-formedness; a capture is known to the patterns after the one that makes it. */
    const check = (xmls: string[], names: Set<string>) => {
      placeholders(xmls, names);
      for (const xml of xmls) {
        let el: Element;
        try {
          el = parseXml(fill(xml, Object.fromEntries([...names, ...secrets].map((k) => [k, "x@example.invalid"])))) as Element;
        } catch (err) {
          throw new ScenarioError(xmlPos, `steps[${i}]: expected well-formed XML (${(err as Error).message}) in: ${xml.trim().slice(0, 80)}`);
        }
        const unknown = unknownPatternAttr(el);
        if (unknown !== undefined)
          throw new ScenarioError(
            xmlPos,
            unknown.startsWith("most=")
              ? `steps[${i}]: expected xc:most='N' with N a whole number, got xc:${unknown}`
              : unknown.startsWith("compare=")
                ? `steps[${i}]: expected xc:compare='NAME NAME[ATTR,ATTR]' (children by name, some by chosen attributes), got xc:${unknown}`
                : `steps[${i}]: expected a pattern attribute xc:${PATTERN_ATTRS.join(", xc:")}, got xc:${unknown}${suggestion(unknown, PATTERN_ATTRS, (s) => `xc:${s}`)}`,
          );
      }
    };
    // A presence to ${room/Nick} enters the room (or changes nickname there): the runner binds the placeholder to the
    // occupant JID the room gives.
    const entering = step.kind === "send" ? ENTERS.exec(step.xml) : null;
    if (step.kind === "send" && entering && roomNames.has(entering[2])) step = { ...step, enters: `${entering[2]}/${entering[3]}` };
    if (step.kind === "one-of") {
      // Each alternative's steps run in order, so a capture serves the alternative's later steps; after the
      // step only captures that every alternative makes are certain.
      const per = step.alternatives.map((alt) => {
        const names = new Set(known);
        for (const st of alt.steps) {
          check(xmlOf(st), names);
          placeholders(textsOf(st), names);
          for (const xml of [...xmlOf(st), ...textsOf(st)]) for (const c of capturesIn(xml)) names.add(c);
        }
        return names;
      });
      for (const name of per[0]) if (per.every((names) => names.has(name))) known.add(name);
    } else {
      check(xmlOf(step), known);
      placeholders(textsOf(step), known);
      for (const xml of [...xmlOf(step), ...textsOf(step)]) for (const c of capturesIn(xml)) known.add(c);
      // Bound by a bind (XEP-0386's inside SASL2 too), by resuming a session (XEP-0198 §5 and §9.2 inside SASL2:
      // the resumed stream is that session), or a component by its handshake.
      if (
        step.kind === "bind" ||
        (step.kind === "authenticate" && (step.sasl.sasl2?.bind || step.sasl.sasl2?.resume)) ||
        (step.kind === "handshake" && step.secret === undefined) ||
        (step.kind === "send" && /<resume\b[^>]*urn:xmpp:sm:3/.test(step.xml))
      ) {
        bound.add(step.actor);
        known.add(step.actor);
      }
    }
    // `also:` entries become steps of their own right after it: each proves its one requirement.
    for (const key of ["order", "unanswered"] as const) {
      const id = step[key];
      if (id && !findRequirement(id)) throw new ScenarioError(where(["steps", i, key]), `steps[${i}].${key}: ${id} is not a requirement of any catalog (spec/*-requirements.md)`);
    }
    // An alternative's `also:` checks that alternative's stanza, when it is the one that happened.
    const alsos: { requirement?: string; pattern: string; at: Path; alternative?: string; inner?: number }[] = [
      ...(also ?? []).map((a) => ({ ...a, at: (a.requirement ? ["steps", i, "also", a.requirement] : ["steps", i, "given"]) as Path })),
      ...(step.kind === "receive-one-of"
        ? step.alternatives.flatMap((alt) =>
            Object.entries(alt.also ?? {}).map(([requirement, pattern]) => ({ requirement, pattern, alternative: alt.name, at: ["steps", i, key ?? "", alt.name, "also", requirement] as Path })),
          )
        : []),
      ...(step.kind === "one-of"
        ? step.alternatives.flatMap((alt) =>
            (alt.also ?? []).map(({ step: inner, requirement, pattern }) => ({
              requirement,
              pattern,
              alternative: alt.name,
              inner,
              at: ["steps", i, key ?? "", alt.name, inner] as Path,
            })),
          )
        : []),
    ];
    const unknownAlso = alsos.find((a) => a.requirement !== undefined && !findRequirement(a.requirement));
    if (unknownAlso) throw new ScenarioError(where(unknownAlso.at), `steps[${i}].also: ${unknownAlso.requirement} is not a requirement of any catalog (spec/*-requirements.md)`);
    const further = alsos.map((a): Step => {
      // After a 'one of', the stanza of one step of the alternative: that step's actor and asserts.
      const of = a.inner !== undefined && step.kind === "one-of" ? step.alternatives.find((alt) => alt.name === a.alternative)!.steps[a.inner] : step;
      return {
        pos: where(a.at),
        ...(a.alternative !== undefined && { alternative: a.alternative }),
        ...(a.inner !== undefined && { inner: a.inner }),
        actor: of.actor,
        kind: "also",
        pattern: a.pattern,
        // A `given:` proves nothing: the case's precondition, a skip naming it where the stanza does not meet it.
        ...(a.requirement !== undefined ? { requirements: [a.requirement] } : { setup: true as const }),
        ...((of.asserts ?? step.asserts) && { asserts: of.asserts ?? step.asserts }),
        ...(step.timeoutMs && { timeoutMs: step.timeoutMs }),
        text: `${of.actor}'s stanza${a.alternative !== undefined ? ` (${a.alternative})` : ""} also matches ${a.pattern.replace(/\s+/g, " ").trim().slice(0, 100)} (${a.requirement ?? "the case's precondition"})`,
      };
    });
    for (const f of further) {
      check(xmlOf(f), known);
      for (const c of allTextsOf(f).flatMap(capturesIn)) known.add(c);
    }
    if (when && !Object.entries(when).every(([name, values]) => values.includes(cell![name]))) return;
    if (step.label && kept.some((k) => k.label === step.label)) throw new ScenarioError(where(["steps", i, "label"]), `steps[${i}].label: '${step.label}' names an earlier step already`);
    for (const { label, alternatives } of step.after ?? []) {
      const earlier = kept.find((k) => k.label === label);
      const labels = kept.flatMap((k) => k.label ?? []);
      if (!earlier) throw new ScenarioError(where(["steps", i, "after"]), `steps[${i}].after: no earlier step is labelled '${label}'${labels.length > 0 ? ` (labels: ${labels.join(", ")})` : ""}`);
      const names = (earlier.kind === "one-of" ? earlier.alternatives : (outcomesOf(earlier) ?? [])).map((a) => a.name);
      for (const alternative of alternatives ?? [])
        if (!names.includes(alternative))
          throw new ScenarioError(
            where(["steps", i, "after"]),
            `steps[${i}].after: '${label}' ${names.length > 0 ? `has no alternative '${alternative}' (alternatives: ${names.join(", ")})` : "is no 'one of': name the step alone"}`,
          );
    }
    if ((step.kind === "receive-nothing" || step.kind === "receive") && step.since && step.since !== "action") {
      // `since: LABEL`: what arrived after the stanzas an earlier 'receives' of the same actor matched, judged only where it held.
      const earlier = kept.find((k) => k.label === step.since);
      if (!earlier || earlier.kind !== "receive" || earlier.actor !== step.actor)
        throw new ScenarioError(where(["steps", i, "since"]), `steps[${i}].since: no earlier 'receives' step of ${step.actor} is labelled '${step.since}'`);
      if (!step.after?.some((a) => a.label === step.since && a.alternatives === undefined))
        throw new ScenarioError(where(["steps", i, "since"]), `steps[${i}].since: '${step.since}' needs 'after: ${step.since}' too (nothing to count from where that step did not hold)`);
    }
    kept.push(step, ...further);
    guardAt.push({ pos: xmlPos, index: i }, ...further.map((f) => ({ pos: f.pos, index: i })));
  });
  if (kept.length === 0) throw new ScenarioError(where(["steps"]), "no step applies to this matrix cell");
  const planned = planSteps(raw, kept);
  const sent: { actor: string; xml: string }[] = [];
  planned.forEach((st, k) => {
    // A check that names nothing proves every requirement of its case: with more than one, that credits (and
    // fails) rules the check may not be about, so the case must say which check proves which.
    if (raw.requirements.length > 1 && !st.setup && !st.requirements && (st.kind === "one-of" || (KINDS[st.kind].checks && st.kind !== "also")))
      throw new ScenarioError(
        guardAt[k].pos,
        `steps[${guardAt[k].index}]: this check names no requirements, so it would prove all ${raw.requirements.length} of the case's (${raw.requirements.join(", ")}): name the ones it proves with 'requirements:', or mark it 'setup: true' if it proves none`,
      );
    // What a step sends comes before what it expects: a 'polls' expects the answer to its own request.
    sent.push(...sentBy(st).map((xml) => ({ actor: st.actor, xml })));
    const guarded = guardIssue(st, { level: raw.level, sent, rooms: [...roomNames] });
    if (guarded) throw new ScenarioError(guardAt[k].pos, `steps[${guardAt[k].index}]: ${guarded}`);
  });
  // Every requirement the case cites is proved by some step (set-up proves none, an action only what it names).
  const proved = new Set(
    planned.flatMap((st) =>
      [...st.plan.proves, ...(st.plan.order ? [st.plan.order] : []), ...(st.plan.unanswered ? [st.plan.unanswered] : []), ...(st.plan.alternatives ?? []).flatMap((a) => a.proves)].map((p) => p.id),
    ),
  );
  const unproved = raw.requirements.filter((id) => !proved.has(id));
  if (unproved.length > 0) {
    throw new ScenarioError(
      where(["requirements"]),
      `requirements: no step checks ${unproved.join(", ")}: name it in the requirements of the step that proves it, or drop it (a check without requirements of its own checks the case's; a set-up step checks none; an action such as 'authenticates' or 'binds' checks only the requirements it names)`,
    );
  }
  for (const item of roster) {
    for (const name of placeholdersIn(item.jid)) {
      if (!known.has(name)) throw new ScenarioError(where(["roster", item.owner]), `roster: unknown placeholder \${${name}} in '${item.jid}'`);
    }
  }

  return planned;
}

/**
 * Stream-level steps are for raw connections; authenticating needs an account; 'receives nothing' on a raw
 * connection needs it bound (barriers); a remote user only sends and receives.
 */
function checkActors(step: Step, rawLabels: Set<string>, connections: RawConnectionSpec[], bound: Set<string>, remotes: Set<string>): void {
  const actors = step.kind === "one-of" ? step.alternatives.flatMap((a) => a.steps) : [step];
  for (const st of actors) {
    const remote = st.actor
      .split(", ")
      .map((a) => a.split("/")[0])
      .find((a) => remotes.has(a));
    if (remote && !REMOTE_KINDS.has(st.kind))
      throw new StepIssue(`'${st.text}': ${remote} is a user of the harness's remote server: its steps only send and receive (nothing connects, disconnects or drops there)`);
    const isRaw = rawLabels.has(st.actor);
    const bosh = connections.find((c) => c.label === st.actor)?.bosh;
    if (BOSH_KINDS.has(st.kind) !== Boolean(bosh))
      throw new StepIssue(
        bosh
          ? `'${st.text}': '${st.actor}' is a BOSH connection (XEP-0124): it posts bodies and receives their answers (posts, receives body, receives answers)`
          : `'${st.text}': only a BOSH connection posts bodies and receives their answers: declare one under connections: with 'bosh: true'`,
      );
    if (STREAM_KINDS.has(st.kind) && !isRaw)
      throw new StepIssue(`'${st.text}': stream-level steps are for raw connections ('${st.actor}' is a session; declare one with 'raw: true' or under connections:)`);
    const spec = connections.find((c) => c.label === st.actor);
    if (st.kind === "handshake" && !spec?.component)
      throw new StepIssue(`'${st.text}': only a component connection handshakes (XEP-0114): declare '${st.actor}' under connections: with 'component: true'`);
    if (spec?.component && (st.kind === "authenticate" || st.kind === "bind" || st.kind === "start-tls" || st.kind === "negotiate-tls"))
      throw new StepIssue(`'${st.text}': '${st.actor}' is a component connection (XEP-0114), which handshakes instead`);
    if (st.kind === "authenticate" && !spec?.account) throw new StepIssue(`'${st.text}': '${st.actor}' has no account, so no credentials: declare it under an account with 'raw: true'`);
    if (st.kind === "receive-nothing" && isRaw && !bound.has(st.actor))
      throw new StepIssue(`'${st.text}': 'receives nothing' needs a barrier, which a raw connection joins only once bound: add a '${st.actor} binds' step before it`);
  }
}
