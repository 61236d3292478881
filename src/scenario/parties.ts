import { StepIssue } from "./steps.ts";
import { ScenarioError } from "./error.ts";
import type { RawScenario } from "./schema.ts";
import type { Path } from "../util/yaml-file.ts";
import type { AccountSpec, RawConnectionSpec, RoomSpec, RosterItemSpec, SourcePos, SubscriptionSpec } from "./types.ts";

/** Who takes part in a case, read from its accounts, connections, roster, subscriptions and rooms. */
export interface Parties {
  accounts: AccountSpec[];
  connections: RawConnectionSpec[];
  roster: RosterItemSpec[];
  subscriptions: SubscriptionSpec[];
  rooms: RoomSpec[];
  /** Users of the harness's remote server. */
  remotes: Set<string>;
  /** Labels of raw connections, and of sessions ("account/resource"). */
  rawLabels: Set<string>;
  sessions: Set<string>;
  /** The session or connection a step's actor names (a StepIssue when it names none, or several). */
  actorOf: (name: string) => string;
}

/** Normalises the parties of a case, checking that each name refers to something declared. */
export function readParties(raw: RawScenario, where: (p: Path, key?: string) => SourcePos): Parties {
  // A remote account's resources only name full JIDs: the harness's remote server plays it, nothing logs in.
  for (const [name, a] of Object.entries(raw.accounts)) {
    if (a?.domain !== "remote") continue;
    for (const [res, r] of Object.entries(a.resources ?? {})) {
      const extra = (["roster", "presence", "online", "acks", "answers", "caps", "raw"] as const).find((k) => r?.[k] !== undefined);
      if (extra)
        throw new ScenarioError(
          where(["accounts", name, "resources", res], extra),
          `accounts.${name}.resources.${res}: ${name} is a user of the harness's remote server, where nothing logs in: '${extra}' does not apply (a resource only names a full JID, \${${name}/${res}})`,
        );
    }
  }
  const remotes = new Set(
    Object.entries(raw.accounts)
      .filter(([, a]) => a?.domain === "remote")
      .map(([name]) => name),
  );
  // An account the case registers does not exist at set-up: nothing of it logs in before the steps.
  for (const [name, a] of Object.entries(raw.accounts)) {
    if (a?.registered === "by-case" && a.domain === "remote")
      throw new ScenarioError(where(["accounts", name], "registered"), `accounts.${name}: a user of the harness's remote server is registered by nobody`);
    if (a?.registered !== "by-case") continue;
    const early = Object.entries(a.resources ?? {}).find(([, r]) => !r?.raw && r?.online !== false);
    if (early)
      throw new ScenarioError(
        where(["accounts", name, "resources", early[0]]),
        `accounts.${name}.resources.${early[0]}: ${name} is registered by the case, so it cannot log in at set-up: say 'online: false' and connect it with a step once registered`,
      );
    const fixture = [...Object.keys(raw.roster ?? {}), ...(raw.subscriptions ?? []).flatMap((x) => [x.user, x.contact])].includes(name);
    if (fixture) throw new ScenarioError(where(["accounts", name], "registered"), `accounts.${name}: ${name} is registered by the case, after the fixtures (roster, subscriptions) that would need it`);
  }
  const accounts: AccountSpec[] = Object.entries(raw.accounts).map(([name, a]) => ({
    name,
    domain: a?.domain ?? "a",
    registered: a?.registered ?? "by-harness",
    disposable: a?.disposable ?? false,
    resources: Object.entries(a?.resources ?? {})
      .filter(([, r]) => !r?.raw)
      .map(([res, r]) => {
        if (remotes.has(name)) return { name: res, roster: false, online: false, acks: true, answers: true };
        const p = r?.presence;
        if (r?.caps && (p === undefined || p === false))
          throw new ScenarioError(where(["accounts", name, "resources", res], "caps"), `accounts.${name}.resources.${res}: caps ride on the resource's presence; give it 'presence'`);
        return {
          name: res,
          roster: r?.roster ?? false,
          online: r?.online ?? true,
          acks: r?.acks ?? true,
          answers: r?.answers ?? true,
          presence: p === undefined || p === false ? undefined : p === true ? {} : typeof p === "number" ? { priority: p } : p,
          ...(r?.caps && { caps: r.caps }),
        };
      }),
  }));
  // Raw connections (docs/stream-steps.md): under an account (its credentials), or at the top level (none).
  const connections: RawConnectionSpec[] = [
    ...Object.entries(raw.accounts).flatMap(([account, a]) =>
      Object.entries(a?.resources ?? {})
        .filter(([, r]) => r?.raw)
        .map(([name, r]) => {
          const extra = (["roster", "presence", "acks", "answers", "caps"] as const).find((k) => r?.[k] !== undefined);
          if (extra)
            throw new ScenarioError(
              where(["accounts", account, "resources", name], extra),
              `accounts.${account}.resources.${name}: a raw connection does only what its steps say; '${extra}' does not apply`,
            );
          return { label: `${account}/${name}`, name, account, online: r?.online ?? true };
        }),
    ),
    ...Object.entries(raw.connections ?? {}).map(([name, c]) => {
      if (name in raw.accounts) throw new ScenarioError(where(["connections"], name), `connections.${name}: '${name}' is also an account; name the connection differently`);
      if (c?.component && c.plaintext)
        throw new ScenarioError(where(["connections", name], "plaintext"), `connections.${name}: a component connection never negotiates TLS; 'plaintext' does not apply`);
      if (c?.bosh) {
        const extra = (["online", "plaintext", "component"] as const).find((k) => c[k] !== undefined);
        if (extra) throw new ScenarioError(where(["connections", name], extra), `connections.${name}: a BOSH connection posts what its steps write, over HTTP; '${extra}' does not apply`);
        return { label: name, name, online: true, bosh: true as const };
      }
      return { label: name, name, online: c?.online ?? true, ...(c?.plaintext && { plaintext: true as const }), ...(c?.component && { component: true as const }) };
    }),
  ];
  const rawLabels = new Set(connections.map((c) => c.label));
  const sessions = new Set(accounts.flatMap((a) => a.resources.map((r) => `${a.name}/${r.name}`)));
  const actorOf = (name: string) => {
    if (name.includes("/")) {
      if (!sessions.has(name) && !rawLabels.has(name)) throw new StepIssue(`no resource '${name}' is declared under accounts`);
      return name;
    }
    if (rawLabels.has(name)) return name;
    const account = accounts.find((a) => a.name === name);
    if (!account) throw new StepIssue(`no account or connection '${name}' is declared`);
    // A remote user acts and receives as its bare JID unless a step names one of its resources.
    if (remotes.has(name)) return name;
    const labels = [...account.resources.map((r) => `${name}/${r.name}`), ...connections.filter((c) => c.account === name).map((c) => c.label)];
    if (labels.length !== 1) throw new StepIssue(`account '${name}' has ${labels.length} resources: name one, e.g. '${labels[0] ?? `${name}/res`}'`);
    return labels[0];
  };

  const names = new Set(accounts.map((a) => a.name));
  const roster: RosterItemSpec[] = Object.entries(raw.roster ?? {}).flatMap(([owner, items]) => {
    if (!names.has(owner)) throw new ScenarioError(where(["roster"], owner), `roster: no account '${owner}' is declared under accounts`);
    if (remotes.has(owner)) throw new ScenarioError(where(["roster"], owner), `roster: ${owner} is a user of the harness's remote server, which keeps no roster`);
    return items.map((it) => ({ owner, jid: it.jid, ...(it.name !== undefined && { name: it.name }), groups: it.groups ?? [] }));
  });
  const subscriptions: SubscriptionSpec[] = (raw.subscriptions ?? []).map((sub, i) => {
    for (const who of [sub.user, sub.contact]) {
      if (!names.has(who)) throw new ScenarioError(where(["subscriptions", i]), `subscriptions[${i}]: no account '${who}' is declared under accounts`);
    }
    if (sub.user === sub.contact) throw new ScenarioError(where(["subscriptions", i]), `subscriptions[${i}]: user and contact must differ`);
    if (remotes.has(sub.user) && remotes.has(sub.contact))
      throw new ScenarioError(where(["subscriptions", i]), `subscriptions[${i}]: both are users of the harness's remote server; one must be on the target`);
    if (sub.state === "pre-approved" && remotes.has(sub.user))
      throw new ScenarioError(where(["subscriptions", i]), `subscriptions[${i}]: a pre-approval is the user's server's; ${sub.user} is a user of the harness's remote server`);
    if (sub.state === "pre-approved" && !(raw.needs ?? []).includes("pre-approval")) {
      throw new ScenarioError(where(["subscriptions", i]), `subscriptions[${i}]: state pre-approved needs 'needs: [pre-approval]' (servers without the feature must skip the case)`);
    }
    return sub;
  });

  const rooms: RoomSpec[] = Object.entries(raw.rooms ?? {}).map(([name, r]) => {
    if (names.has(name)) throw new ScenarioError(where(["rooms"], name), `rooms: '${name}' is also an account: name the room otherwise`);
    if (!names.has(r.owner)) throw new ScenarioError(where(["rooms", name], "owner"), `rooms.${name}.owner: no account '${r.owner}' is declared under accounts`);
    const owner = accounts.find((a) => a.name === r.owner)!;
    if (owner.domain !== "a" || owner.registered === "by-case")
      throw new ScenarioError(where(["rooms", name], "owner"), `rooms.${name}.owner: ${r.owner} must be an account of the target made before the case (it creates the room at set-up)`);
    for (const who of Object.keys(r.affiliations ?? {}))
      if (!names.has(who)) throw new ScenarioError(where(["rooms", name, "affiliations"], who), `rooms.${name}.affiliations: no account '${who}' is declared under accounts`);
    if (r.created === "by-case" && (r.config || r.affiliations))
      throw new ScenarioError(where(["rooms", name], "created"), `rooms.${name}: a room the case creates is configured by its steps, not by 'config' or 'affiliations'`);
    if (r.created === "by-case" && r.checked)
      throw new ScenarioError(where(["rooms", name], "checked"), `rooms.${name}: a room the case creates is configured by its steps, and they judge it: 'checked' is for a room set-up configures`);
    return { name, owner: r.owner, config: r.config ?? {}, affiliations: r.affiliations ?? {}, byCase: r.created === "by-case", readBack: r.checked !== "by-case", grantsJudged: [] };
  });

  return { accounts, connections, roster, subscriptions, rooms, remotes, rawLabels, sessions, actorOf };
}
