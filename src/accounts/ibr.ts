import xml from "@xmpp/xml";
import { escapeXML as esc } from "ltx";
import { openRawStream, featureNames } from "../xmpp/connections/raw-stream.ts";
import { describeStanzaError } from "../xmpp/protocol/errors.ts";
import { asAccount, cannotLogIn } from "./login.ts";
import { AccountsRefused, noRegistration, registrationRefusal } from "./refusal.ts";
import type { Provisioner, ProvisionerContext } from "./types.ts";
import { NS } from "../xmpp/wire/ns.ts";

/** The id of the harness's own registration requests (a fault proxy tells them from a case's by it). */
export const REGISTRATION_ID = "reg";

/** XEP-0077 in-band registration on a raw stream (after TLS, when there is TLS); removal with <remove/> from a logged-in session. */
export function inBandRegistration(ctx: ProvisionerContext): Provisioner {
  return {
    name: "ibr",
    domain: ctx.endpoint.domain,
    async create(localpart, password) {
      const stream = await openRawStream(ctx.endpoint, ctx.timeoutMs);
      try {
        if (!stream.features.getChild("register", "http://jabber.org/features/iq-register")) throw new AccountsRefused(noRegistration(featureNames(stream.features)));
        // The namespace written out: over WebSocket every stanza is a document of its own (RFC 7395 §3.3.3).
        const reply = await stream.request(
          `<iq type='set' id='${REGISTRATION_ID}' to='${ctx.endpoint.domain}' xmlns='${NS.client}'><query xmlns='${NS.register}'><username>${esc(localpart)}</username><password>${esc(password)}</password></query></iq>`,
          REGISTRATION_ID,
        );
        if (reply.attrs.type !== "result") {
          const refused = registrationRefusal(reply);
          if (refused) throw new AccountsRefused(refused);
          throw new Error(`registering ${localpart}@${ctx.endpoint.domain} failed: ${describeStanzaError(reply)}`);
        }
        return { username: localpart, password };
      } finally {
        stream.close();
      }
    },
    async remove(creds) {
      // The server ends the stream of a removed account by itself; waiting for a polite close costs seconds on ejabberd.
      await asAccount(ctx, creds, (session) => this.removeWith!(creds, session), "drop");
    },
    async removeWith(creds, session) {
      const reply = await session.request(xml("iq", { type: "set" }, xml("query", { xmlns: NS.register }, xml("remove"))), ctx.timeoutMs);
      if (reply.attrs.type !== "result") throw new Error(`removing ${creds.username}@${ctx.endpoint.domain} failed: ${describeStanzaError(reply)}`);
    },
    gone: (creds) => cannotLogIn(ctx, creds),
  };
}
