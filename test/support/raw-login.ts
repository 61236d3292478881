import type { Element } from "ltx";
import { scramMechanism } from "../../src/xmpp/protocol/scram.ts";
import type { WebSocketStream } from "../../src/xmpp/wire/websocket.ts";

const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** XEP-0077 registration on a stream that has not logged in; throws unless the server says result. */
export async function register(stream: WebSocketStream, domain: string, username: string, password: string): Promise<void> {
  const reply = await stream.request(
    `<iq type='set' id='reg' to='${domain}' xmlns='jabber:client'><query xmlns='jabber:iq:register'><username>${esc(username)}</username><password>${esc(password)}</password></query></iq>`,
    "reg",
  );
  if (reply.attrs.type !== "result") throw new Error(`registration failed: ${reply.toString()}`);
}

/**
 * SASL (RFC 6120 §6) with PLAIN or the project's SCRAM-SHA-1, the stream restart, and resource binding (§7):
 * resolves with the bound full JID and the features offered after authentication.
 */
export async function rawLogin(
  stream: WebSocketStream,
  creds: { username: string; password: string },
  mechanism: "PLAIN" | "SCRAM-SHA-1",
  resource: string,
): Promise<{ jid: string; features: Element }> {
  const isSasl = (el: Element) => el.attrs.xmlns === NS_SASL;
  let answer: Element;
  if (mechanism === "PLAIN") {
    answer = await stream.exchange(`<auth xmlns='${NS_SASL}' mechanism='PLAIN'>${b64(`\0${creds.username}\0${creds.password}`)}</auth>`, isSasl, "no SASL answer");
  } else {
    const scram = new (scramMechanism("SCRAM-SHA-1"))();
    const challenge = await stream.exchange(`<auth xmlns='${NS_SASL}' mechanism='SCRAM-SHA-1'>${b64(await scram.response(creds))}</auth>`, isSasl, "no SASL challenge");
    if (challenge.name !== "challenge") throw new Error(`SASL: ${challenge.toString()}`);
    scram.challenge(Buffer.from(challenge.text(), "base64").toString("utf8"));
    answer = await stream.exchange(`<response xmlns='${NS_SASL}'>${b64(await scram.response(creds))}</response>`, isSasl, "no SASL outcome");
  }
  if (answer.name !== "success") throw new Error(`SASL ${mechanism}: ${answer.toString()}`);
  const features = await stream.restart();
  if (!features.getChild("bind", "urn:ietf:params:xml:ns:xmpp-bind")) throw new Error(`no <bind/> offered after login: ${features.toString()}`);
  const bound = await stream.request(`<iq type='set' id='bind' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${esc(resource)}</resource></bind></iq>`, "bind");
  const jid = bound.getChild("bind", "urn:ietf:params:xml:ns:xmpp-bind")?.getChildText("jid");
  if (bound.attrs.type !== "result" || !jid) throw new Error(`bind failed: ${bound.toString()}`);
  return { jid, features };
}
