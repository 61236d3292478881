import { FEATURES } from "../../scenario/types.ts";
import type { RemoteAccount } from "../../remote/remote-server.ts";
import type { Session } from "../../xmpp/session.ts";
import { applyFixtures } from "../fixtures.ts";
import type { CaseScope } from "./scope.ts";

/**
 * Brings a case to where its steps start: accounts made, fixtures applied on set-up sessions of their own
 * (roster-interested, no presence, closed before the scenario's resources connect), the resources online,
 * and a barrier so that set-up traffic (presence echoes, broadcasts between the case's own resources) is
 * never seen by the steps. Resolves with the features the case needs and the server does not advertise.
 */
export async function setUp(scope: CaseScope): Promise<string[]> {
  const { sc } = scope;
  await scope.createAccounts();
  let missing: string[] = [];
  const involved = new Set([...sc.roster.map((r) => r.owner), ...sc.subscriptions.flatMap((x) => [x.user, x.contact])]);
  if (involved.size > 0) {
    const setup = new Map<string, Session>();
    try {
      // A user of the remote server takes part as itself: nothing to log in.
      const local = [...involved].filter((name) => !scope.remotes.has(name));
      await Promise.all(local.map((name) => scope.connect(`${name}/set-up`, { name: `set-up-${scope.uid}`, roster: true, online: true, acks: true }, setup)));
      const byAccount = new Map<string, Session | RemoteAccount>([...setup].map(([label, s]) => [label.split("/")[0], s]));
      for (const name of involved) if (scope.remotes.has(name)) byAccount.set(name, scope.remotes.get(name)!);
      missing = missingFeatures(scope, [...setup.values()]);
      if (missing.length === 0) await applyFixtures(sc, byAccount, scope.bindings, scope.ctx.timeoutMs);
    } finally {
      await Promise.all([...setup.values()].map((s) => s.close()));
    }
  }
  if (missing.length > 0) return missing;
  await Promise.all(scope.onlineResources.map(([label, r]) => scope.connect(label, r)));
  if (involved.size === 0) missing = missingFeatures(scope, scope.all);
  if (missing.length > 0) return missing;
  await scope.barrier(scope.participants);
  scope.all.forEach((s) => s.consumeAll());
  scope.remotes.forEach((r) => r.consumeAll());
  scope.transcript.add("harness", "note", "set-up done", true);
  return [];
}

/** The features the case needs that the user's server (domain a: a cross-domain variant's contacts are on b) does not advertise. */
function missingFeatures(scope: CaseScope, sessions: Session[]): string[] {
  const features = sessions.find((s) => s.features && scope.sideOf(s.label.split("/")[0]) === scope.ctx)?.features;
  return scope.sc.needs.filter((f) => !features?.getChild(FEATURES[f].name, FEATURES[f].ns)).map((f) => `${f} (${FEATURES[f].ns})`);
}
