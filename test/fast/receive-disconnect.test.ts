import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { streamHandlers, streamHolds } from "../../src/run/case/stream-steps.ts";
import type { CaseScope } from "../../src/run/case/scope.ts";
import type { ExpectStep, PlannedStep } from "../../src/scenario/types.ts";
import { RawConnection } from "../../src/xmpp/connections/raw-connection.ts";
import { Transcript } from "../../src/xmpp/connections/transcript.ts";
import { locatedError } from "../support/located.ts";
import { tempFiles } from "../support/temp-files.ts";
import { caseHead } from "../support/scenario-head.ts";

// `receives disconnect` (docs/stream-steps.md): the server ended the connection, whatever came before it. For a rule
// that asks for a disconnection (XEP-0388 §2.4: "Servers MUST disconnect Clients immediately"): a TCP close with no
// stream error and no closing tag holds it; a stream error that leaves the connection open does not.
const file = tempFiles("disconnect");
const HEAD = `${caseHead("  juliet:\n    resources:\n      c1: { raw: true }\n", { spec: "xep-0388", section: "2.4", requirement: "SASLTWO-DURING-01" })}steps:\n  - juliet/c1 opens stream\n`;

test("'receives disconnect' is read as a check that takes no value, also as an alternative of 'one of'", () => {
  const [sc] = loadScenarioFile(file(`${HEAD}  - juliet/c1 receives disconnect\n`));
  assert.equal(sc.steps[1].kind, "receive-disconnect");
  assert.equal(sc.steps[1].text, "juliet/c1 receives disconnect");
  assert.match(locatedError(file(`${HEAD}  - juliet/c1 receives disconnect: now\n`), loadScenarioFile)[2], /expected no value/);
  // Twenty-third audit: XEP-0386 §3.2's terminated session is a stream error, a closing tag or a close, whichever came.
  const [alt] = loadScenarioFile(file(`${HEAD}  - one of:\n      a: [juliet/c1 receives stream close]\n      b: [juliet/c1 receives disconnect]\n`));
  const oneOf = alt.steps[1] as { alternatives: { steps: { kind: string }[] }[] };
  assert.equal(oneOf.alternatives[1].steps[0].kind, "receive-disconnect");
});

test("inside 'one of' it holds once the connection closed, and sends nothing", async () => {
  await withServer(
    (sock) => sock.destroy(),
    async (port) => {
      const c = new RawConnection("juliet/c1", { host: "127.0.0.1", port, domain: "localhost" }, new Transcript());
      await c.connect(1000);
      await c.openStream({}, 1000);
      const scope = { raw: () => c } as unknown as CaseScope;
      const step = { kind: "receive-disconnect", actor: "juliet/c1" } as ExpectStep & { kind: "receive-disconnect" };
      await c.waitClosed(1000);
      assert.deepEqual(streamHolds["receive-disconnect"](scope, step, {}, []), { picked: [], captures: {} });
      c.drop();
    },
  );
  await withServer(
    (sock) => sock.write(ERROR),
    async (port, got) => {
      const c = new RawConnection("juliet/c1", { host: "127.0.0.1", port, domain: "localhost" }, new Transcript());
      await c.connect(1000);
      await c.openStream({}, 1000);
      await c.waitStreamError(1000);
      const scope = { raw: () => c } as unknown as CaseScope;
      const step = { kind: "receive-disconnect", actor: "juliet/c1" } as ExpectStep & { kind: "receive-disconnect" };
      assert.equal(streamHolds["receive-disconnect"](scope, step, {}, []), undefined);
      assert.doesNotMatch(got(), /<\/stream:stream>/);
      c.drop();
    },
  );
});

const HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='s1' version='1.0'>";
const ERROR = "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>";

/** A server that answers the client's header with its own, then does what `end` says; it records what the client sent. */
async function withServer(end: (sock: net.Socket) => void, body: (port: number, got: () => string) => Promise<void>) {
  let got = "";
  const socks = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    socks.add(sock);
    sock.setEncoding("utf8");
    let answered = false;
    sock.on("data", (d: string) => {
      got += d;
      if (!answered && got.includes("<stream:stream")) {
        answered = true;
        sock.write(HEADER);
        end(sock);
      }
    });
    sock.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    await body((server.address() as net.AddressInfo).port, () => got);
  } finally {
    for (const s of socks) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

async function judge(port: number, timeoutMs = 400) {
  const transcript = new Transcript();
  const c = new RawConnection("juliet/c1", { host: "127.0.0.1", port, domain: "localhost" }, transcript);
  await c.connect(1000);
  await c.openStream({}, 1000);
  const scope = { raw: () => c, ctx: { timeoutMs }, endExpected: new Set(), closingSent: new Set(), transcript } as unknown as CaseScope;
  const step = { kind: "receive-disconnect", actor: "juliet/c1", text: "juliet/c1 receives disconnect" } as PlannedStep & { kind: "receive-disconnect" };
  const miss = await streamHandlers["receive-disconnect"](step, scope);
  c.drop();
  return miss;
}

test("a TCP close holds it, with a stream error before it or with nothing", async () => {
  await withServer(
    (sock) => sock.end(ERROR),
    async (port) => assert.equal(await judge(port), undefined),
  );
  await withServer(
    (sock) => sock.destroy(),
    async (port) => assert.equal(await judge(port), undefined),
  );
});

test("a closed stream: the client's closing tag is sent, and the close that follows it holds it", async () => {
  await withServer(
    (sock) => {
      sock.write(`${ERROR}</stream:stream>`);
      sock.on("data", (d: string) => d.includes("</stream:stream>") && sock.end());
    },
    async (port, got) => {
      assert.equal(await judge(port), undefined);
      assert.match(got(), /<\/stream:stream>/);
    },
  );
});

test("a stream error that leaves the connection open is no disconnection, and neither is silence", async () => {
  await withServer(
    (sock) => sock.write(ERROR),
    async (port, got) => {
      const miss = await judge(port);
      assert.match(miss?.message ?? "", /did not close the connection within 400 ms; the server sent a stream error <policy-violation\/>/);
      assert.doesNotMatch(got(), /<\/stream:stream>/, "the client does not end the connection itself");
    },
  );
  await withServer(
    () => {},
    async (port) => assert.match((await judge(port))?.message ?? "", /did not close the connection within 400 ms; the stream is still open/),
  );
});
