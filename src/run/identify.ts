import { randomBytes } from "node:crypto";
import xml from "@xmpp/xml";
import type { Element } from "ltx";
import type { AccountLedger } from "../accounts/ledger.ts";
import type { ServerInfo } from "../results/schema.ts";
import { capsVer } from "../xmpp/protocol/caps.ts";
import { Session, type Credentials, type Endpoint } from "../xmpp/connections/session.ts";
import { Transcript } from "../xmpp/connections/transcript.ts";
import { NS } from "../xmpp/wire/ns.ts";

/** One stream feature as the server wrote it (mechanisms with their names), for the report. */
const describe = (features?: Element) => (features?.children ?? []).filter((c): c is Element => typeof c !== "string").map((c) => c.toString());

/**
 * What the server says it is, asked over a logged-in session: the disco#info identity and features of the
 * domain (XEP-0030) and the features of the account's bare JID, XEP-0092 software version when the domain offers it, the stream features it
 * advertised before TLS, before and after authentication, and its XEP-0115 caps verified against its disco#info.
 */
export async function identify(session: Session, domain: string, timeoutMs: number): Promise<ServerInfo> {
  const discoInfo = async (to: string) => {
    const info = await session.request(xml("iq", { type: "get", to }, xml("query", { xmlns: NS.discoInfo })), timeoutMs);
    return info.attrs.type === "result" ? info.getChild("query", NS.discoInfo) : undefined;
  };
  const featuresOf = (query?: Element) => (query?.getChildren("feature") ?? []).map((f) => String(f.attrs.var));
  const query = await discoInfo(domain);
  const identities = query?.getChildren("identity") ?? [];
  const identity = identities.find((i) => i.attrs.category === "server") ?? identities[0];
  const features = featuresOf(query);
  const accountFeatures = featuresOf(await discoInfo(session.jid.split("/")[0]));
  let version: ServerInfo["version"];
  if (features.includes(NS.version)) {
    const reply = await session.request(xml("iq", { type: "get", to: domain }, xml("query", { xmlns: NS.version })), timeoutMs);
    const v = reply.attrs.type === "result" ? reply.getChild("query", NS.version) : undefined;
    const name = v?.getChildText("name");
    if (name) version = { name, version: v?.getChildText("version") ?? "", ...(v?.getChildText("os") && { os: v.getChildText("os")! }) };
  }
  const caps = await verifyCaps(session, domain, timeoutMs);
  const items = await serviceItems(session, domain, timeoutMs);
  // Each item asked once, for every kind of service looked for.
  const asked = new Map<string, Promise<Element | undefined>>();
  const itemInfo = (jid: string) => asked.get(jid) ?? asked.set(jid, discoInfo(jid)).get(jid)!;
  const muc = await findService(items, itemInfo, (info, features) => (info?.getChildren("identity") ?? []).some((i) => i.attrs.category === "conference") && features.includes(NS.muc));
  // XEP-0363 §3: the service advertises its feature; one that only names itself as its example does (identity
  // store/file) is still found, so that the case judging the feature can fail on it.
  const upload =
    (await findService(items, itemInfo, (_, features) => features.includes(NS.upload))) ??
    (await findService(items, itemInfo, (info) => (info?.getChildren("identity") ?? []).some((i) => i.attrs.category === "store" && i.attrs.type === "file")));
  return {
    ...(identity && { identity: { category: String(identity.attrs.category), type: String(identity.attrs.type), ...(identity.attrs.name && { name: String(identity.attrs.name) }) } }),
    ...(version && { version }),
    discoFeatures: features,
    accountDiscoFeatures: accountFeatures,
    streamFeatures: {
      ...(session.featuresBeforeTls && { beforeTls: describe(session.featuresBeforeTls) }),
      beforeAuth: describe(session.featuresBeforeAuth),
      afterAuth: describe(session.features),
    },
    ...(caps && { caps }),
    ...(muc && { muc }),
    ...(upload && { upload }),
  };
}

/** The services among the domain's disco#items (at most 20: items with a localpart are accounts or rooms, not services). */
async function serviceItems(session: Session, domain: string, timeoutMs: number): Promise<string[]> {
  const reply = await session.request(xml("iq", { type: "get", to: domain }, xml("query", { xmlns: NS.discoItems })), timeoutMs);
  const items = reply.attrs.type === "result" ? (reply.getChild("query", NS.discoItems)?.getChildren("item") ?? []) : [];
  return items
    .map((item) => String(item.attrs.jid ?? ""))
    .filter((jid) => jid && !jid.includes("@"))
    .slice(0, 20);
}

/**
 * The first service whose disco#info `is` one: the multi-user chat service (XEP-0045 §6.1: a conference identity
 * and the MUC feature), the upload service (XEP-0363 §3: its feature, else the identity of its example).
 */
async function findService(
  items: string[],
  discoInfo: (to: string) => Promise<Element | undefined>,
  is: (info: Element | undefined, features: string[]) => boolean,
): Promise<{ jid: string; features: string[] } | undefined> {
  for (const jid of items) {
    const info = await discoInfo(jid);
    const features = (info?.getChildren("feature") ?? []).map((f) => String(f.attrs.var));
    if (is(info, features)) return { jid, features };
  }
  return undefined;
}

/**
 * XEP-0115 §6.3: a `<c/>` among the stream features stands for the server's disco#info, asked for its node#ver
 * (§6.2) and hashed as §5.1 says: verified when the hash is the ver.
 */
async function verifyCaps(session: Session, domain: string, timeoutMs: number): Promise<ServerInfo["caps"]> {
  const c = [session.features, session.featuresBeforeAuth].map((f) => f?.getChild("c", NS.caps)).find(Boolean);
  if (!c) return undefined;
  const { node = "", hash = "", ver = "" } = c.attrs as Record<string, string>;
  const reply = await session.request(xml("iq", { type: "get", to: domain }, xml("query", { xmlns: NS.discoInfo, node: `${node}#${ver}` })), timeoutMs);
  const query = reply.attrs.type === "result" ? reply.getChild("query", NS.discoInfo) : undefined;
  const computed = query && capsVer(query, hash);
  const reason = !query
    ? `disco#info of node ${node}#${ver} was answered with ${reply.attrs.type}`
    : computed === undefined
      ? `the hash ${hash} is unknown to the harness`
      : computed !== ver
        ? `its disco#info hashes to ${computed}`
        : undefined;
  return { node, hash, ver, verified: !reason, ...(computed && { computed }), ...(reason && { reason }) };
}

/** The software a profile is chosen by: XEP-0092 first, else the disco#info identity's name (no version). */
export function softwareOf(info: ServerInfo): { name: string; version: string } | undefined {
  if (info.version) return { name: info.version.name, version: info.version.version };
  if (info.identity?.name) return { name: info.identity.name, version: "" };
  return undefined;
}

/**
 * Logs in with an account of the run's own (made and removed like a case's) to ask the server what it is.
 * A failure is a note, not the end of the run: the cases say for themselves what does not work.
 */
export async function identifyServer(ledger: AccountLedger, endpoint: Endpoint, timeoutMs: number): Promise<{ server?: ServerInfo; sasl?: string; note?: string }> {
  const admitted = await ledger.admit(1);
  if (typeof admitted === "string") return { note: `the server was not identified: ${admitted}` };
  let creds: Credentials | undefined;
  try {
    creds = await ledger.create(`xc-${randomBytes(3).toString("hex")}-identify`);
    const session = new Session("identify", endpoint, creds, "identify", new Transcript());
    await session.start(timeoutMs);
    try {
      return { server: await identify(session, endpoint.domain, timeoutMs), sasl: session.mechanism };
    } finally {
      await session.close();
    }
  } catch (err) {
    return { note: `the server was not identified: ${(err as Error).message}` };
  } finally {
    if (creds) await ledger.remove([creds]);
    admitted();
  }
}
