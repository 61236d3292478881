import { setTimeout as pause } from "node:timers/promises";
import type { Participant } from "./participant.ts";

let tokens = 0;

/**
 * Proves that every stanza the server had queued for each observer has arrived, without sleeping:
 * - the observer pings the server: the server answers after everything it queued for that stream before;
 * - every other party that acted sends a marker message to the observer: RFC 6120 §10.1 keeps stanzas
 *   from one sender to one recipient in order, so what the actor caused arrived before its marker.
 * Two rounds: a server that handles each session in its own process (ejabberd) can answer one stanza with
 * another (a probe with the contact's presence); the first round's markers prove the answer was sent, the
 * second's that it arrived. A marker the server withholds (a block between the two users) is replaced by round
 * trips (pingChain).
 * `quietMs` adds a fixed window after that, only when asked (--quiet-window): for servers that generate
 * stanzas outside those guarantees, and to measure what sleep-based tools pay. A barrier whose answer is no
 * longer needed (the stanza it waited for came) is aborted between rounds.
 */
export async function barrier(observers: Participant[], actors: Participant[], timeoutMs: number, quietMs = 0, signal?: AbortSignal, via: string[] = []): Promise<void> {
  await round(observers, actors, timeoutMs, via, signal);
  if (signal?.aborted) return;
  await round(observers, actors, timeoutMs, via, signal);
  if (quietMs > 0 && !signal?.aborted) await pause(quietMs);
}

/**
 * `via`: entities that send on their own account what others' stanzas cause (a multi-user chat room): each
 * observer also pings each of them, whose answer comes after what it sent the observer for the stanzas it had
 * before (a room handles its stanzas in order; in the second round, after everything the actors sent it).
 */
async function round(observers: Participant[], actors: Participant[], timeoutMs: number, via: string[], signal?: AbortSignal): Promise<void> {
  const work: Promise<unknown>[] = [];
  for (const observer of observers.filter((s) => s.isOpen)) {
    const answered = observer.ping(timeoutMs);
    work.push(answered);
    for (const entity of via) work.push(pingEntity(observer, entity, timeoutMs));
    for (const actor of actors.filter((s) => s !== observer && s.isOpen)) {
      const token = `b${++tokens}`;
      work.push(
        actor.sendMarker(observer.jid, token).then(async () => {
          // The marker is queued behind what the actor sent before it: waited for while the server reads that.
          const behind = actor.readByServer?.bind(actor);
          const withheld = pingChain(actor, observer, answered, token, timeoutMs, signal);
          withheld.catch(() => undefined); // a failed chain proves nothing; the marker may still come
          await observer.waitUntil(() => (observer.hasMarker(token) ? true : undefined), timeoutMs, withheld, behind);
          if (
            observer.hasMarker(token) ||
            (await withheld.then(
              () => true,
              () => false,
            ))
          )
            return;
          throw new Error(`barrier: the marker from ${actor.label} did not reach ${observer.label} within ${timeoutMs} ms${observer.closedReason ? ` (${observer.closedReason})` : ""}`);
        }),
      );
    }
  }
  await Promise.all(work);
}

/**
 * A ping of an entity that speaks for itself, asked once more when unanswered: a room being destroyed (its last
 * occupant gone, its owner's request) may lose what reaches it meanwhile (ejabberd, under load), and the second
 * ping, answered by the room or by the service that no longer has it, proves the same order.
 */
async function pingEntity(observer: Participant, entity: string, timeoutMs: number): Promise<unknown> {
  try {
    return await observer.ping(timeoutMs, entity);
  } catch (err) {
    if (!observer.isOpen) throw err;
    return observer.ping(timeoutMs, entity);
  }
}

const domainOf = (jid: string) => jid.replace(/^[^@/]*@/, "").replace(/\/.*$/, "");

/**
 * Where the server withholds the marker (a user blocked the other, XEP-0191 §3.3), the order is proved by round
 * trips instead: the actor's ping to the observer's domain is answered after the observer's server processed
 * what the actor sent before it (the marker included: across domains the ping follows it over the same
 * server-to-server stream), the observer's after what its server then queued for it arrived; done twice, for a
 * server that routes between sessions' processes (ejabberd). Started only when the marker is still missing after
 * the observer's own ping. Once the barrier is no longer needed (`signal`), it sends nothing more: a ping sent after
 * the step moved on would land among the case's own stanzas (and in a raw connection's XEP-0198 count).
 */
async function pingChain(actor: Participant, observer: Participant, answered: Promise<unknown>, token: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  await answered;
  for (const party of [actor, observer, actor, observer]) {
    if (observer.hasMarker(token) || signal?.aborted) return;
    if (party === observer) await observer.ping(timeoutMs);
    // An actor whose stream the server ended (a component it refused) has nothing in flight any more: the server
    // read what it sent before it ended the stream, so the observer's pings alone finish the proof.
    else if (!ended(actor))
      await actor.ping(timeoutMs, domainOf(observer.jid)).catch((err: unknown) => {
        if (!ended(actor)) throw err;
      });
  }
}

const ended = (p: Participant) => !p.isOpen && p.closedReason !== undefined;
