import net from "node:net";
import { escapeXML as esc } from "ltx";
import { NS } from "../xmpp/wire/ns.ts";
import { STANZAS, streamHeader, type RemoteLink, type S2sHost } from "./s2s.ts";
import { XmlStream } from "./xml-stream.ts";

/** A stream out to `domain`, ready for stanzas: STARTTLS when we have TLS and it is offered, then SASL EXTERNAL if offered, else dialback. */
export async function dialStream(host: S2sHost, domain: string): Promise<XmlStream> {
  const route = host.opts.routes.find((r) => r.domain === domain);
  if (!route) throw new Error(`the remote server has no route to ${domain}: it sends only to ${host.opts.routes.map((r) => r.domain).join(", ")}`);
  const socket = net.connect({ host: route.host, port: route.port });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const label = `${host.domain} -> ${domain}`;
  const stream = new XmlStream(socket, host.trace(label));
  host.track(stream);
  const t = host.opts.timeoutMs;
  const open = async () => {
    const head = stream.next((el) => el.is("stream", NS.stream), t, `${label}: no stream header`);
    const features = stream.next((el) => el.is("features", NS.stream), t, `${label}: no stream features`);
    stream.write(streamHeader(host.domain, domain));
    return { id: (await head).attrs.id as string, features: await features };
  };
  try {
    let { id, features } = await open();
    if (host.secureContext && features.getChild("starttls", NS.tls)) {
      const proceed = stream.next((el) => el.attrs.xmlns === NS.tls, t, `${label}: no answer to <starttls/>`);
      stream.write(`<starttls xmlns='${NS.tls}'/>`);
      if ((await proceed).name !== "proceed") throw new Error(`${label}: STARTTLS refused`);
      await stream.upgrade({ ...host.secureContext, servername: domain }, false, t);
      ({ id, features } = await open());
    }
    const mechanisms =
      features
        .getChild("mechanisms", NS.sasl)
        ?.getChildren("mechanism")
        .map((m) => m.text()) ?? [];
    let auth: RemoteLink["auth"];
    if (stream.secure && host.external && mechanisms.includes("EXTERNAL")) {
      const outcome = stream.next((el) => el.attrs.xmlns === NS.sasl, t, `${label}: no SASL EXTERNAL outcome`);
      stream.write(`<auth xmlns='${NS.sasl}' mechanism='EXTERNAL'>${Buffer.from(host.domain).toString("base64")}</auth>`);
      if ((await outcome).name !== "success") throw new Error(`${label}: SASL EXTERNAL failed: ${(await outcome).toString()}`);
      stream.restart();
      await open();
      auth = "certificate";
    } else {
      const result = stream.next((el) => el.is("result", NS.dialback), t, `${label}: no dialback result`);
      stream.write(`<db:result from='${esc(host.domain)}' to='${esc(domain)}'>${host.keys.key(domain, host.domain, id)}</db:result>`);
      const r = await result;
      if (r.attrs.type !== "valid") throw new Error(`${label}: dialback refused: ${r.toString()}`);
      auth = "dialback";
    }
    host.noteLink({ direction: "out", domain, encrypted: Boolean(stream.secure), auth });
    stream.onElement = (el) => STANZAS.has(el.name) && host.deliver(el);
    return stream;
  } catch (err) {
    stream.close();
    throw err;
  }
}
