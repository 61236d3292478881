import xml from "@xmpp/xml";
import { parse, type Element } from "ltx";
import type { DiscoAt, ProbeShape, StreamFeatureShape, TransportShape } from "../../scenario/types.ts";
import { matchStanza, parsePattern } from "../../match/pattern.ts";
import { discoPlaces } from "../../families/family.ts";
import { NS } from "../../xmpp/wire/ns.ts";
import { openRawStream } from "../../xmpp/connections/raw-stream.ts";
import type { RemoteAccount } from "../../remote/remote-account.ts";
import type { Session } from "../../xmpp/connections/session.ts";
import { applyFixtures } from "../fixtures.ts";
import { createRoom } from "../rooms.ts";
import type { CaseScope } from "./scope.ts";

/**
 * Brings a case to where its steps start: accounts made, fixtures applied on set-up sessions of their own
 * (roster-interested, no presence, closed before the scenario's resources connect), the resources online,
 * and a barrier so that set-up traffic (presence echoes, broadcasts between the case's own resources) is
 * never seen by the steps; raw connections TCP-connected (they send nothing: their steps open the stream).
 * Resolves with the features the case needs and the server does not advertise.
 */
/** A feature the case needs that the server (or the run's way of reaching it) does not offer, and how that shows. */
export interface Missing {
  feature: string;
  /** The feature is how the run reaches the server (TLS, direct TLS, WebSocket, BOSH): another run would judge the case. */
  transport: boolean;
  text: string;
}

export async function setUp(scope: CaseScope): Promise<Missing[]> {
  const { sc } = scope;
  await scope.createAccounts();
  let missing: Missing[] = [];
  const made = sc.rooms.filter((r) => !r.byCase);
  const involved = new Set([...sc.roster.map((r) => r.owner), ...sc.subscriptions.flatMap((x) => [x.user, x.contact]), ...made.map((r) => r.owner)]);
  if (involved.size > 0) {
    const setup = new Map<string, Session>();
    try {
      // A user of the remote server takes part as itself: nothing to log in.
      const local = [...involved].filter((name) => !scope.remotes.has(name));
      await Promise.all(local.map((name) => scope.connect(`${name}/set-up`, { name: `set-up-${scope.uid}`, roster: true, online: true, acks: true, answers: true }, setup)));
      const byAccount = new Map<string, Session | RemoteAccount>([...setup].map(([label, s]) => [label.split("/")[0], s]));
      for (const name of involved) if (scope.remotes.has(name)) byAccount.set(name, scope.remotes.get(name)!);
      missing = await missingFeatures(scope, [...offered(scope, [...setup.values()]), ...(await probeNamed(scope))], asker(scope, [...setup.values()]), "before rooms");
      if (missing.length === 0) {
        await applyFixtures(sc, byAccount, scope.bindings, scope.ctx.timeoutMs);
        for (const room of made) {
          scope.ownsRoom(room);
          await createRoom(setup.get(`${room.owner}/set-up`)!, room, scope.bindings[room.name], scope.bindings, scope.ctx.timeoutMs);
        }
        // A room's own features are asked of the case's first room, once it exists.
        if (made.length > 0) missing = await missingFeatures(scope, [], setup.get(`${made[0].owner}/set-up`), "rooms");
      }
    } finally {
      await Promise.all([...setup.values()].map((s) => s.close()));
    }
  }
  if (missing.length > 0) return missing;
  // A room the case makes itself may exist from its first step on.
  for (const room of sc.rooms.filter((r) => r.byCase)) scope.ownsRoom(room);
  await Promise.all(scope.onlineResources.map(([label, r]) => scope.connect(label, r)));
  if (involved.size === 0 && sc.needs.length > 0)
    missing = await missingFeatures(scope, [...(scope.all.length > 0 ? offered(scope, scope.all) : await probe(scope)), ...(await probeNamed(scope))], asker(scope, scope.all));
  if (missing.length > 0) return missing;
  await Promise.all(scope.onlineConnections.map((c) => scope.openRaw(c.label)));
  scope.openBosh();
  // What set-up makes the server send to others follows initial presence (broadcasts, probes and their
  // answers); what it sends a session itself (echoes, offline messages, pending requests) the session's own
  // ping covers. So the markers come from the sessions that sent presence (and the remote server's users).
  const available = scope.onlineResources.filter(([, r]) => r.presence).map(([label]) => scope.session(label));
  await scope.barrier(scope.participants, undefined, [...available, ...scope.remoteUsers]);
  scope.all.forEach((s) => s.consumeAll());
  scope.remotes.forEach((r) => r.consumeAll());
  scope.transcript.add("harness", "note", "set-up done", true);
  return [];
}

/**
 * The stream features offered to a session of the user's server (domain a: a cross-domain variant's contacts
 * are on b), in every phase (before TLS, before and after authentication).
 */
function offered(scope: CaseScope, sessions: Session[]): Element[] {
  const s = sessions.find((x) => x.features && scope.sideOf(x.label.split("/")[0]) === scope.ctx);
  return s ? [s.featuresBeforeTls, s.featuresBeforeAuth, s.features].filter((f): f is Element => f !== undefined) : [];
}

/** A case of raw connections only: the features of a stream opened for the purpose (before authentication). */
async function probe(scope: CaseScope): Promise<Element[]> {
  const stream = await openRawStream(scope.ctx.endpoint, scope.ctx.timeoutMs);
  stream.close();
  return [stream.featuresBeforeTls, stream.features].filter((f): f is Element => f !== undefined);
}

/**
 * XEP-0388 §2.1: a server may offer SASL2 by the JID a header names in 'from' (ejabberd offers it only then), which
 * sessions' and probes' headers leave out: for a `named` feature, the features of a stream named after the case's
 * first account (after TLS where the run has it).
 */
async function probeNamed(scope: CaseScope): Promise<Element[]> {
  const first = scope.sc.accounts.find((a) => a.domain === "a");
  if (!first || !scope.sc.needs.some(({ shape }) => "named" in shape)) return [];
  const stream = await openRawStream(scope.ctx.endpoint, scope.ctx.timeoutMs, scope.bindings[first.name]);
  stream.close();
  return [stream.features];
}

/** A logged-in session of the user's server (domain a), to ask disco#info of (for the MUC service and rooms, any). */
const asker = (scope: CaseScope, sessions: Session[]) =>
  sessions.find((x) => x.jid && scope.sideOf(x.label.split("/")[0]) === scope.ctx) ??
  // The MUC service and its rooms answer any user: a cross-domain variant's occupant on b may ask them.
  (scope.sc.needs.every(({ shape }) => "disco" in shape && (shape.at === "muc" || shape.at === "room")) ? sessions.find((x) => x.jid) : undefined);

/** Where a disco#info feature is asked (DiscoAt): the domain, the asking account's bare JID, the MUC service or the case's first room. */
function discoTarget(scope: CaseScope, at: DiscoAt, session: Session): string | undefined {
  if (at === "server") return scope.ctx.endpoint.domain;
  if (at === "account") return session.jid!.split("/")[0];
  if (at === "muc") return scope.ctx.muc;
  if (at === "upload") return scope.ctx.upload;
  const first = scope.sc.rooms.find((r) => !r.byCase);
  return first && scope.bindings[first.name];
}

const DISCO_WHERE: Record<DiscoAt, string> = { server: "the server", account: "the user's bare JID", muc: "the MUC service", upload: "the upload service", room: "the case's room" };

/** The disco#info features of a DiscoAt (XEP-0030), when the case needs one; none where there is nothing to ask. */
async function discoFeatures(scope: CaseScope, at: DiscoAt, session: Session | undefined): Promise<Set<string>> {
  if (!session) return new Set();
  const to = discoTarget(scope, at, session);
  if (!to) return new Set();
  const reply = await session.request(xml("iq", { type: "get", to }, xml("query", { xmlns: NS.discoInfo })), scope.ctx.timeoutMs);
  const query = reply.attrs.type === "result" ? reply.getChild("query", NS.discoInfo) : undefined;
  const features = new Set((query?.getChildren("feature") ?? []).map((f) => String(f.attrs.var)));
  // XEP-0030 §3.1: "Entities receiving otherwise valid responses which do not include this feature SHOULD infer the support."
  if (query) features.add(NS.discoInfo);
  return features;
}

/**
 * Whether the server answers a probe IQ get (a feature without a discovery feature), sent to the user's own
 * account or to the server, with a result (one that matches `holds`, where the feature is what the result holds).
 */
async function answers(scope: CaseScope, want: ProbeShape, session: Session | undefined): Promise<boolean> {
  if (!session) return false;
  const to = want.at === "server" ? { to: scope.ctx.endpoint.domain } : {};
  const reply = await session.request(xml("iq", { type: "get", ...to }, parse(want.probe) as Element), scope.ctx.timeoutMs);
  return reply.attrs.type === "result" && (!want.holds || matchStanza(parsePattern(want.holds), reply).ok);
}

/** Why the run's way of reaching the server does not serve a case that needs each transport; undefined where it does. */
const TRANSPORT_LACKS: Record<TransportShape["transport"], (scope: CaseScope) => string | undefined> = {
  component: (scope) => (scope.ctx.component ? undefined : "the run knows no component the server accepts: --component NAME@HOST:PORT with --component-secret, or a local target"),
  websocket: (scope) => (scope.ctx.endpoint.websocket ? undefined : "the run has no WebSocket endpoint: --websocket URL, or --target local:SERVER --websocket"),
  bosh: (scope) => (scope.ctx.endpoint.bosh ? undefined : "the run has no BOSH endpoint: --bosh URL, or --target local:SERVER --bosh"),
  tls: (scope) => overTls(scope, "starttls or --tls direct", (tls) => tls !== "none" && !scope.ctx.endpoint.websocket && !scope.ctx.endpoint.bosh),
  "direct-tls": (scope) => overTls(scope, "direct", (tls) => tls === "direct"),
};

/** Why a case about TLS handshakes is not judged over this run's connection: how the run reaches the server, and the option that would. */
function overTls(scope: CaseScope, option: string, serves: (tls: "none" | "starttls" | "direct") => boolean): string | undefined {
  const { security, websocket, bosh } = scope.ctx.endpoint;
  const tls = security?.tls ?? "none";
  if (serves(tls)) return undefined;
  const how = tls === "none" ? "without TLS" : `over ${tls === "direct" ? "direct TLS" : "STARTTLS"}${websocket ? " by WebSocket" : bosh ? " by BOSH" : ""}`;
  return `the run reaches the server ${how}: --tls ${option}`;
}

/**
 * The features the case needs and the server does not offer. `phase`: a room's features are asked once the
 * case's rooms exist ("rooms"), the others before ("before rooms"); a case without rooms asks all at once.
 */
async function missingFeatures(scope: CaseScope, features: Element[], session?: Session, phase?: "before rooms" | "rooms"): Promise<Missing[]> {
  const has = (want: StreamFeatureShape, x: Element) => {
    const el = (want.inline ? x.getChild("authentication", NS.sasl2)?.getChild("inline", NS.sasl2) : x)?.getChild(want.name, want.ns);
    return (
      el !== undefined &&
      (!want.mechanism || el.getChildren("mechanism").some((m) => want.mechanism!.split("|").includes(m.getText().trim()))) &&
      (!want.var || (el.getChild("inline")?.getChildren("feature") ?? []).some((f) => f.attrs.var === want.var))
    );
  };
  const disco = new Map<string, Set<string>>();
  const missing: Missing[] = [];
  const now = scope.sc.needs.filter(({ shape }) => !phase || ("disco" in shape && shape.at === "room") === (phase === "rooms"));
  const lacks = (f: string, text: string, transport = false) => missing.push({ feature: f, transport, text });
  for (const { name: f, shape: want } of now) {
    if ("transport" in want) {
      const why = TRANSPORT_LACKS[want.transport](scope);
      if (why) lacks(f, `${f} (${why})`, true);
    } else if ("probe" in want) {
      if (!(await answers(scope, want, session)))
        lacks(f, `${f} (the server did not answer ${want.probe}${want.at === "server" ? " sent to the server" : ""} with a result${want.holds ? ` matching ${want.holds}` : ""})`);
    } else if ("disco" in want) {
      const places = discoPlaces(want);
      const offers = async (at: DiscoAt) => {
        if (!disco.has(at)) disco.set(at, await discoFeatures(scope, at, session));
        return disco.get(at)!.has(want.disco);
      };
      // Asked in order: the second place only when the first lacks it.
      const offersAny = async () => {
        for (const at of places) if (await offers(at)) return true;
        return false;
      };
      if (want.at === "muc" && !scope.ctx.muc) lacks(f, `${f} (no multi-user chat service: the domain's disco#items list none; --muc-service names one)`);
      else if (want.at === "upload" && !scope.ctx.upload) lacks(f, `${f} (no upload service: the domain's disco#items list none with ${want.disco})`);
      else if (!(await offersAny())) lacks(f, `${f} (${want.disco} in the disco#info of ${places.map((at) => DISCO_WHERE[at]).join(" or ")})`);
    } else if (!features.some((x) => has(want, x))) {
      // Name the mechanism only where its list is there: a server without the list lacks that, not the mechanism.
      const listed = want.mechanism && features.some((x) => has({ ...want, mechanism: undefined }, x));
      lacks(f, listed ? `the SASL mechanism ${want.mechanism!.split("|").join(" or ")} in <${want.name} xmlns='${want.ns}'/>` : `${f} (${want.ns})`);
    }
  }
  return missing;
}
