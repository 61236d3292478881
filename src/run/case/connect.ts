import xml from "@xmpp/xml";
import type { ResourceSpec } from "../../scenario/types.ts";
import { describeStanzaError } from "../../xmpp/protocol/errors.ts";
import { NS } from "../../xmpp/wire/ns.ts";
import type { RawConnection } from "../../xmpp/connections/raw-connection.ts";
import type { Endpoint, Session } from "../../xmpp/connections/session.ts";
import { HarnessError } from "./errors.ts";

/** Logs a session in with its set-up: the roster fetched, initial presence sent (with its caps), as its spec says. */
export async function startSession(session: Session, spec: ResourceSpec, timeoutMs: number): Promise<void> {
  await session.start(timeoutMs);
  if (spec.roster) {
    const reply = await session.request(xml("iq", { type: "get" }, xml("query", { xmlns: NS.roster })), timeoutMs);
    if (reply.attrs.type !== "result") throw new HarnessError(`set-up: ${session.label}'s roster get failed: ${describeStanzaError(reply)}`);
  }
  if (spec.presence) {
    const p = spec.presence;
    await session.send(
      xml(
        "presence",
        {},
        ...(p.show ? [xml("show", {}, p.show)] : []),
        ...(p.status ? [xml("status", {}, p.status)] : []),
        ...(p.priority !== undefined ? [xml("priority", {}, String(p.priority))] : []),
        ...(session.caps ? [session.caps.element()] : []),
      ),
    );
  }
}

/**
 * TCP-connects a raw connection (TLS from the first byte with --tls direct): nothing is sent, its steps open the
 * stream. On a STARTTLS target the steps start on the encrypted stream, as on a direct-TLS one, unless they
 * start before STARTTLS: a case about STARTTLS itself (needs: [starttls]), or one whose first stream header is
 * its subject (a connection marked plaintext). A case about the handshake itself (tlsByStep) gets no TLS at all: its
 * 'negotiates tls' step makes it.
 */
export async function connectRaw(conn: RawConnection, endpoint: Endpoint, opts: { beforeStartTls: boolean; tlsByStep: boolean; timeoutMs: number }): Promise<void> {
  const t = opts.timeoutMs;
  await conn.connect(t, { handshake: !opts.tlsByStep });
  if (conn.overWebSocket || endpoint.security?.tls !== "starttls" || opts.beforeStartTls) return;
  if (!(await conn.openStream({}, t)) || !(await conn.waitFeatures(t))) throw new HarnessError(`${conn.label}: no stream features before STARTTLS`);
  if ((await conn.startTls(t))?.name !== "proceed") throw new HarnessError(`${conn.label}: STARTTLS refused`);
  conn.consumeAll();
}
