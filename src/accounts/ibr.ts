import { randomBytes } from "node:crypto";
import { xml } from "@xmpp/client";
import { openRawStream } from "../xmpp/raw-stream.ts";
import { Session } from "../xmpp/session.ts";
import { Transcript } from "../xmpp/transcript.ts";
import { describeStanzaError } from "../xmpp/errors.ts";
import type { Provisioner, ProvisionerContext } from "./types.ts";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** XEP-0077 in-band registration on a raw stream; removal with <remove/> from a logged-in session. */
export function inBandRegistration(ctx: ProvisionerContext): Provisioner {
  return {
    name: "ibr",
    async create(localpart) {
      const password = randomBytes(12).toString("hex");
      const stream = await openRawStream(ctx.endpoint, ctx.timeoutMs);
      try {
        if (!stream.features.getChild("register", "http://jabber.org/features/iq-register")) {
          const offered = stream.features.children.map((c) => (typeof c === "string" ? "" : c.name)).join(" ");
          throw new Error(`the server does not offer in-band registration before login (features: ${offered || "none"}); use another --accounts mode`);
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
      const session = new Session("cleanup", ctx.endpoint, creds, `cleanup-${randomBytes(3).toString("hex")}`, new Transcript());
      await session.start(ctx.timeoutMs);
      try {
        const reply = await session.request(xml("iq", { type: "set" }, xml("query", { xmlns: "jabber:iq:register" }, xml("remove"))), ctx.timeoutMs);
        if (reply.attrs.type !== "result") throw new Error(`removing ${creds.username}@${ctx.endpoint.domain} failed: ${describeStanzaError(reply)}`);
      } finally {
        // The server ends the stream of a removed account by itself; waiting for a polite close costs seconds on ejabberd.
        session.drop();
      }
    },
  };
}
