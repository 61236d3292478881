import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import xml from "@xmpp/xml";
import type { Element } from "ltx";
import { loadSuite, run, type RunEvent } from "../src/index.ts";
import { ROOT } from "./support/cli.ts";
import { FaultProxy } from "./support/fault-proxy.ts";
import { prosody } from "./support/prosody.ts";

/**
 * A server may refuse a request under load that it grants alone (ejabberd's PEP aborts colliding transactions):
 * a case that ran beside others and had a request refused runs again alone, and that run's verdict stands, the
 * first kept as `besideOthers`. A refusal the server repeats alone stays the verdict. So does a stanza a case says
 * must not come that arrived only beside others (ejabberd's mod_push disables a node in a process of its own).
 */
let server: Awaited<ReturnType<typeof prosody>>;
before(async () => {
  server = await prosody();
});
after(async () => {
  await server?.stop();
});

const pings = loadSuite([path.join(ROOT, "scenarios/entity/ping.yaml")]).scenarios.filter((sc) => /^ping-server(-implicit\/.*)?$/.test(sc.id));
/** The server's answer to a case's ping 'p1' turned into service-unavailable: `times` of them, or all. */
const refusing = (times: number) => {
  let left = times;
  return (el: Element) => {
    if (el.name !== "iq" || el.attrs.type !== "result" || el.attrs.id !== "p1" || left-- <= 0) return "pass" as const;
    return [
      xml(
        "iq",
        { type: "error", id: "p1", to: el.attrs.to, from: el.attrs.from },
        xml("error", { type: "cancel" }, xml("service-unavailable", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" })),
      ) as unknown as Element,
    ];
  };
};

async function through(fault: (el: Element) => "pass" | Element[], events: RunEvent[] = []) {
  const proxy = new FaultProxy({ host: server.host, port: server.port });
  const port = await proxy.listen();
  proxy.fault = fault;
  try {
    return await run(pings, { server: `127.0.0.1:${port}`, domain: server.domain, install: false, concurrency: 3 }, { onEvent: (e) => void events.push(e) });
  } finally {
    await proxy.close();
  }
}

test("a request refused only beside other cases: the case runs again alone and passes, its first verdict kept", async () => {
  assert.equal(pings.length, 3);
  const events: RunEvent[] = [];
  const r = await through(refusing(1), events);
  assert.deepEqual(
    r.cases.map((c) => c.verdict),
    ["pass", "pass", "pass"],
  );
  const again = r.cases.filter((c) => c.besideOthers);
  assert.equal(again.length, 1);
  // Its first run ends in case-again (not case-end: a log must not show it running meanwhile), its lone run begins after.
  const id = again[0].id;
  const order = events.flatMap((e) =>
    e.type === "case-begin" && e.id === id ? ["begin"] : e.type === "case-again" && e.id === id ? ["again"] : e.type === "case-end" && e.case.id === id ? ["end"] : [],
  );
  assert.deepEqual(order, ["begin", "again", "begin", "end"]);
  // Whichever case got the refusal: a MUST fails, a SHOULD warns.
  assert.equal(again[0].besideOthers!.verdict, again[0].level === "MUST" ? "fail" : "warn");
  assert.match(again[0].besideOthers!.reason ?? "", /did not receive <iq type="result" id="p1"\/>/);
  assert.equal(r.accounts.notRemoved, 0);
});

test("a refusal the server repeats alone is the verdict", async () => {
  const r = await through(refusing(Infinity));
  assert.deepEqual(
    r.cases.map((c) => [c.verdict, c.besideOthers]),
    [
      ["fail", undefined],
      ["warn", undefined],
      ["warn", undefined],
    ],
  );
});

test("a stanza a 'receives nothing' forbids, arriving only beside other cases (a server acting late on what it was told): the case runs again alone, and its lone verdict stands", async () => {
  const cases = loadSuite([path.join(ROOT, "scenarios/entity/ping.yaml")]).scenarios.filter((sc) => ["ping-server", "ping-user-bare", "ping-user-no-resource"].includes(sc.id));
  assert.equal(cases.length, 3);
  // Once, after alice had the answer to her ping of bob: her ping handed on to her case's bob/b1, late, before the next
  // message to it (the barrier's marker), which both user cases forbid (a keepalive from the server itself they allow).
  let alice: string | undefined;
  let bob: string | undefined;
  let left = 1;
  const proxy = new FaultProxy({ host: server.host, port: server.port });
  const port = await proxy.listen();
  proxy.fault = (el) => {
    if (el.name === "iq" && el.attrs.id === "p1" && !bob && /-bob@/.test(el.attrs.from ?? "")) {
      alice = String(el.attrs.to);
      bob = alice.replace(/-alice@([^/]+)\/.*$/, "-bob@$1/b1");
    }
    if (el.name !== "message" || el.attrs.to !== bob || left-- <= 0) return "pass";
    return [xml("iq", { type: "get", id: "late", to: bob, from: alice }, xml("ping", { xmlns: "urn:xmpp:ping" })) as unknown as Element, el];
  };
  try {
    const r = await run(cases, { server: `127.0.0.1:${port}`, domain: server.domain, install: false, concurrency: 3 });
    assert.deepEqual(
      r.cases.map((c) => c.verdict),
      ["pass", "pass", "pass"],
    );
    const again = r.cases.filter((c) => c.besideOthers);
    assert.equal(again.length, 1);
    assert.equal(again[0].besideOthers!.verdict, again[0].level === "MUST" ? "fail" : "warn");
    assert.match(again[0].besideOthers!.reason ?? "", /received a stanza it must not/);
  } finally {
    await proxy.close();
  }
});
