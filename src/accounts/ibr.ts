import { randomBytes } from "node:crypto";
import xml from "@xmpp/xml";
import { openRawStream, featureNames } from "../xmpp/raw-stream.ts";
import { describeStanzaError } from "../xmpp/errors.ts";
import { asAccount } from "./login.ts";
import type { Provisioner, ProvisionerContext } from "./types.ts";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** XEP-0077 in-band registration on a raw stream (after TLS, when there is TLS); removal with <remove/> from a logged-in session. */
export function inBandRegistration(ctx: ProvisionerContext): Provisioner {
  return {
    name: "ibr",
    async create(localpart) {
      const password = randomBytes(12).toString("hex");
      const stream = await openRawStream(ctx.endpoint, ctx.timeoutMs);
      try {
        if (!stream.features.getChild("register", "http://jabber.org/features/iq-register")) {
          throw new Error(`the server does not offer in-band registration before login (features: ${featureNames(stream.features)}); use another --accounts mode`);
        }
        const reply = await stream.request(
          `<iq type='set' id='reg' to='${ctx.endpoint.domain}'><query xmlns='jabber:iq:register'><username>${esc(localpart)}</username><password>${password}</password></query></iq>`,
          "reg",
        );
        if (reply.attrs.type !== "result") throw new Error(`registering ${localpart}@${ctx.endpoint.domain} failed: ${describeStanzaError(reply)}`);
        return { username: localpart, password };
      } finally {
        stream.close();
      }
    },
    async remove(creds) {
      // The server ends the stream of a removed account by itself; waiting for a polite close costs seconds on ejabberd.
      await asAccount(ctx, creds, async (session) => {
        const reply = await session.request(xml("iq", { type: "set" }, xml("query", { xmlns: "jabber:iq:register" }, xml("remove"))), ctx.timeoutMs);
        if (reply.attrs.type !== "result") throw new Error(`removing ${creds.username}@${ctx.endpoint.domain} failed: ${describeStanzaError(reply)}`);
      }, "drop");
    },
  };
}
