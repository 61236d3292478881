import { findRequirement } from "../catalog/index.ts";
import { takesOnlyResponses } from "../match/pattern.ts";
import { capturesIn, placeholdersIn } from "../match/template.ts";
import { allTextsOf, KINDS, outcomesOf } from "./kinds.ts";
import { rootElement } from "./root-element.ts";
import { LEVELS, type Answer, type Level, type PlannedStep, type Proof, type Step, type StepPlan } from "./types.ts";

/** The weaker of two levels. */
export const weaker = (a: Level, b: Level): Level => (LEVELS.indexOf(a) > LEVELS.indexOf(b) ? a : b);

/**
 * What a check of requirement `id` is worth where it is made at `level`: never more than the rule's own
 * strongest keyword (a step citing a MUST row and a SHOULD row fails the first and warns for the second), and
 * a derived rule (implied, not stated with a keyword) at most SHOULD. Without `level` (an `also` check), the
 * rule's own: an `also` checks the stanza its step received, and once it came its form is what the rule says.
 */
export function proofOf(id: string, level: Level = "MUST"): Proof {
  const r = findRequirement(id);
  const own = r?.maxLevel ?? level;
  return { id, level: weaker(weaker(level, own), r?.derived ? "SHOULD" : "MUST") };
}

/**
 * An `also` check at its rule's own level, whatever its step's; for a row of mixed levels ("MUST (available
 * presence) / SHOULD (availability only)") the step's level says which part the check is about.
 */
function alsoProof(id: string, stepLevel: Level): Proof {
  const r = findRequirement(id);
  return proofOf(id, r && r.minLevel !== r.maxLevel ? stepLevel : undefined);
}

/**
 * The level of the step whose stanza an `also` checks: inside a cross-session 'one of', the alternative's own step
 * (which may say its own level), else the receiving step.
 */
function levelOfChecked(received: Step, also: Step & { kind: "also" }, caseLevel: Level): Level {
  const outer = received.level ?? caseLevel;
  if (received.kind !== "one-of" || also.inner === undefined) return outer;
  return received.alternatives.find((a) => a.name === also.alternative)?.steps[also.inner]?.level ?? outer;
}

/** RFC 6120 §8.2.3: "An entity that receives an IQ request of type "get" or "set" MUST reply with an IQ response". */
const IQ_ANSWERED = "STANZA-IQ-01";

/**
 * Whether an element is an IQ request the server (or a service of it) answers: a get or set with an id, to no full
 * JID (one with a resource is a client, or a room's occupant, whose answer the server only routes) and not to the
 * case's own component (`${component}`, XEP-0114), which answers for itself.
 */
const isRequest = (el: { name: string; attrs: Record<string, unknown> }) =>
  el.name === "iq" &&
  (el.attrs.type === "get" || el.attrs.type === "set") &&
  typeof el.attrs.id === "string" &&
  !String(el.attrs.to ?? "").includes("/") &&
  !String(el.attrs.to ?? "").includes("${component}");

/**
 * The ids of the IQ requests a step sends the server: a 'sends', or the IQs among the elements of a 'sends raw'
 * (a request written after another element, in the same write).
 */
function requestIds(step: Step): string[] {
  const el = step.kind === "send" ? rootElement(step.xml) : step.kind === "send-raw" && "text" in step.bytes ? rootElement(`<raw>${step.bytes.text}</raw>`) : undefined;
  const sent = step.kind === "send" ? [el] : (el?.getChildElements() ?? []);
  return sent.flatMap((e) => (e && isRequest(e) ? [e.attrs.id as string] : []));
}

/** The answer a pattern expects: its root's name and namespace, and for an IQ answer (a result, an error, or either) its id. */
function answerIn(pattern: string): Answer | undefined {
  const el = rootElement(pattern);
  if (!el) return undefined;
  const { type, id, xmlns } = el.attrs;
  // What the run compares literally: a placeholder or a matching token ({re:...}) is no answer it can look for.
  if ([id, xmlns].some((v) => typeof v === "string" && /[{}$]/.test(v))) return undefined;
  const answersIq = el.name === "iq" && (type === undefined || takesOnlyResponses(String(type))) && typeof id === "string";
  return { name: el.name, ...(typeof xmlns === "string" && { xmlns }), ...(answersIq && { id: id as string }) };
}

/**
 * The answers a step awaits, by session (a session is silent when none of its answers came), but those an outcome
 * of a 'one of' lets stay silent (a 'receives nothing' of the same element, or of an IQ with that id):
 * - the answers to requests the same session sent the server (`asked`, by session): a 'receives' its own, a 'one of'
 *   those any of its outcomes awaits, each id on its own, a 'polls' those to its own ask;
 * - with `unanswered:` on a 'one of', whatever its outcomes expect a session to receive first: the session is silent
 *   when it received none of it (the request the outcomes answer went unanswered).
 */
function awaitedAnswers(step: Step, asked: Map<string, Set<string>>): { actor: string; answers: Answer[] }[] {
  // A 'polls' asks itself, again and again: any answer to its request, of any ask, is an answer.
  if (step.kind === "poll") {
    const ask = rootElement(step.ask);
    return ask && isRequest(ask) ? [{ actor: step.actor, answers: [{ name: "iq", id: ask.attrs.id as string }] }] : [];
  }
  const inner = step.kind === "one-of" ? step.alternatives.flatMap((a) => a.steps) : [step];
  const same = (a: Answer, b: Answer) => a.name === b.name && a.xmlns === b.xmlns && a.id === b.id;
  const allowed = inner.flatMap((st) => (st.kind === "receive-nothing" && st.pattern ? [{ actor: st.actor, answer: answerIn(st.pattern) }] : []));
  const expected = inner.flatMap((st) => {
    const pattern = st.kind === "receive" && st.mode === "one" ? st.patterns[0] : st.kind === "receive-one-of" ? st.alternatives[0]?.patterns[0] : undefined;
    const answer = pattern === undefined ? undefined : answerIn(pattern);
    return answer && !allowed.some((x) => x.actor === st.actor && x.answer && same(x.answer, answer)) ? [{ actor: st.actor, answer }] : [];
  });
  if (step.kind === "one-of" && step.unanswered) {
    const actors = [...new Set(expected.map((e) => e.actor))];
    return actors.map((actor) => ({
      actor,
      answers: expected
        .filter((e) => e.actor === actor)
        .map((e) => e.answer)
        .filter((a, i, all) => all.findIndex((b) => same(a, b)) === i),
    }));
  }
  const requests = expected.filter((e) => e.answer.id !== undefined && asked.get(e.actor)?.has(e.answer.id));
  return requests.filter((e, i) => requests.findIndex((f) => f.actor === e.actor && f.answer.id === e.answer.id) === i).map((e) => ({ actor: e.actor, answers: [{ name: "iq", id: e.answer.id }] }));
}

/** The requirements a step cites before the plan: its own, else (a check) the case's; an action only its own. */
const cited = (caseRequirements: string[], step: Step): string[] => step.requirements ?? (KINDS[step.kind].checks ? caseRequirements : []);

/**
 * The plan of a case's steps (types.ts, StepPlan), the one place where what a step proves, at which level, and
 * what it depends on is decided:
 * - a set-up step proves nothing; a check proves its own requirements, else the case's; an action only what
 *   it names (one that names none merely gets the case going);
 * - each requirement at the step's level (else the case's), capped by the rule's own (proofOf); an `also` at
 *   the rule's own level (alsoProof);
 * - when none of its outcomes happens, 'one of' fails what it cites (its own requirements, else the case's);
 *   the outcome that happens credits what it cites itself, and of the rest what no other outcome cites (none of
 *   the rest where one of its steps says `requirements: []`); an
 *   outcome of a single check with outcomes ('receives one of', 'receives body one of') credits the step's, or
 *   exactly the ones it names;
 * - a 'receives' of the answer to a request the same session sent the server: when no answer at all came, RFC 6120
 *   §8.2.3 (IQ_ANSWERED) fails alone, not what the answer would have shown (`unanswered:` names another rule);
 *   unless the case cites it, it is recorded only then, as the harness's attribution of a silence. A set-up step
 *   too: the suite judges that answer, so a server that never gives it fails the rule rather than skipping the case;
 *   and a 'binds', whose action waits for its own answer;
 * - the prelude is every step before the first that proves something.
 */
export function planSteps(sc: { level: Level; requirements: string[] }, steps: Step[]): PlannedStep[] {
  const made = new Set<string>();
  const labelled = new Map<string, number>();
  let lastAction: number | undefined;
  // The last action that sent each request, by session and id: what a check awaiting its answer answers.
  const sentAt = new Map<string, number>();
  let lastReceive: number | undefined;
  let proving = false;
  const asked = new Map<string, Set<string>>();
  return steps.map((step, i) => {
    const info = KINDS[step.kind];
    const level = step.level ?? sc.level;
    const at = (ids: string[], own = level) => ids.map((id) => proofOf(id, own));
    let proves: Proof[] = [];
    let alternatives: StepPlan["alternatives"];
    if (step.kind === "one-of") {
      // None of the outcomes: what the step cites fails. One of them: what only it cites holds, with the rest.
      const own = new Set(step.alternatives.flatMap((a) => a.steps.flatMap((st) => st.requirements ?? [])));
      proves = step.setup ? [] : at(cited(sc.requirements, step));
      const shared = proves.filter((p) => !own.has(p.id));
      alternatives = step.alternatives.map((a) => {
        const ends = [...new Set(a.steps.filter((st) => KINDS[st.kind].endsStream).map((st) => st.actor))];
        // A step of it saying `requirements: []` makes it an outcome that proves only what its steps cite.
        const bare = a.steps.some((st) => st.requirements?.length === 0);
        return { name: a.name, proves: [...(bare ? [] : shared), ...a.steps.flatMap((st) => at(st.requirements ?? [], st.level ?? level))], ...(ends.length > 0 && { ends }) };
      });
    } else if (outcomesOf(step)) {
      proves = step.setup ? [] : at(cited(sc.requirements, step));
      alternatives = outcomesOf(step)!.map((a) => ({ name: a.name, proves: a.requirements ? at(a.requirements) : proves }));
    } else if (step.kind === "also") {
      proves = (step.requirements ?? []).map((id) => alsoProof(id, lastReceive === undefined ? level : levelOfChecked(steps[lastReceive], step, sc.level)));
    } else if (!step.setup) {
      proves = at(cited(sc.requirements, step));
    }
    const order = step.order && !step.setup ? alsoProof(step.order, level) : undefined;
    const judges = proves.length > 0 || order !== undefined || (alternatives ?? []).some((a) => a.proves.length > 0);
    const awaits = awaitedAnswers(step, asked);
    // A check awaiting the answer to a request answers the action that sent it where the action before the check is
    // one an `after:` may skip; otherwise that action (whose answer, as a component's reply, may carry it).
    const requested = awaits.flatMap((a) => a.answers.flatMap((x) => sentAt.get(`${a.actor} ${x.id}`) ?? []));
    const answers = requested.length > 0 && lastAction !== undefined && steps[lastAction]!.after ? Math.max(...requested) : lastAction;
    const cites = [...proves, ...(alternatives ?? []).flatMap((a) => a.proves)].some((p) => p.id === IQ_ANSWERED);
    // An action awaiting its own IQ's answer (a 'binds', RFC 6120 §7.6): no answer at all is §8.2.3's failure, not a
    // precondition (an error answer still is one).
    const implied = !step.unanswered && !cites && (((judges || step.setup === true) && awaits.length > 0) || info.awaitsOwnAnswer === true);
    // A 'one of' names the answers: none of its outcomes says which one went unanswered.
    const named = step.kind === "one-of" && { awaits };
    const unanswered =
      step.unanswered && !step.setup
        ? { ...alsoProof(step.unanswered, level), ...named }
        : implied
          ? { ...alsoProof(IQ_ANSWERED, level), ...(!sc.requirements.includes(IQ_ANSWERED) && { implied: true as const }), ...named }
          : undefined;
    const proof = judges || unanswered !== undefined;
    const texts = step.kind === "one-of" ? step.alternatives.flatMap((a) => a.steps.flatMap(allTextsOf)) : allTextsOf(step);
    const uses = [...new Set(texts.flatMap(placeholdersIn))].filter((n) => made.has(n));
    const captures = [...new Set(texts.flatMap(capturesIn))];
    const actors = step.actor.split(", ");
    const plan: StepPlan = {
      // An action awaiting its own answer (a 'binds') that proves nothing is set-up: a silence fails, any other miss is a precondition.
      role: step.setup || (!judges && !info.checks && unanswered !== undefined) ? "setup" : proof ? "proof" : info.checks ? "setup" : "act",
      prelude: !proving && !proof,
      checks: info.checks,
      proves,
      ...(order && { order }),
      ...(unanswered && { unanswered }),
      ...(alternatives && { alternatives }),
      captures,
      uses,
      ...(info.checks && answers !== undefined && { answers }),
      ...(step.kind === "also" && lastReceive !== undefined && { of: { step: lastReceive, ...(step.alternative && { alternative: step.alternative }) } }),
      ...(step.after && { after: step.after.map((a) => ({ step: labelled.get(a.label)!, ...(a.alternatives && { alternatives: a.alternatives }) })) }),
      settledOn: info.needsSettled ? actors : [],
      unsettles: info.settles ? actors : [],
    };
    proving ||= proof;
    asked.set(step.actor, new Set([...(asked.get(step.actor) ?? []), ...requestIds(step)]));
    for (const c of captures) made.add(c);
    if (step.label) labelled.set(step.label, i);
    if (!info.checks) lastAction = i;
    for (const id of requestIds(step)) sentAt.set(`${step.actor} ${id}`, i);
    if (step.kind === "receive" || step.kind === "receive-one-of" || step.kind === "one-of") lastReceive = i;
    return { ...step, plan };
  });
}
