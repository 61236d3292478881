import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { freePort, freePorts, startingAgain } from "../../src/targets/ready.ts";

const RANGE = "/proc/sys/net/ipv4/ip_local_port_range";

// A listener's port from the kernel's ephemeral range can be taken by any outgoing connection before the server binds it.
test("a local server's ports lie outside the range outgoing connections draw from", { skip: !existsSync(RANGE) && "no ephemeral range to read" }, async () => {
  const [low, high] = readFileSync(RANGE, "utf8").trim().split(/\s+/).map(Number);
  const ports = [...(await freePorts(6)), await freePort("udp")];
  assert.equal(new Set(ports).size, ports.length);
  for (const port of ports) assert.ok(port < low || port > high, `${port} is inside ${low}-${high}`);
});

// Another process can still take a chosen port before the server binds it (seen in CI: ejabberd's Erlang distribution
// port, "register/listen error: eaddrinuse"): the start is made again with new ports, a bounded number of times.
test("a local server that could not bind a port it was given is started again, three times at most; any other failure is not", async () => {
  const inUse = "the server exited during start-up\nejabberd log (/tmp/x):\nProtocol 'inet_tcp': register/listen error: eaddrinuse";
  const lines: string[] = [];
  let calls = 0;
  const started = await startingAgain(
    async () => {
      if (++calls < 3) throw new Error(inUse);
      return "up";
    },
    (l) => lines.push(l),
  );
  assert.deepEqual([started, calls, lines.length], ["up", 3, 2]);
  assert.match(lines[0], /an address was in use at start-up \(Protocol 'inet_tcp': register\/listen error: eaddrinuse\)/);
  calls = 0;
  await assert.rejects(
    startingAgain(
      async () => {
        calls++;
        throw new Error(inUse);
      },
      () => {},
    ),
    /eaddrinuse/,
  );
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(
    startingAgain(
      async () => {
        calls++;
        throw new Error("the server exited during start-up\nsyntax error in its configuration");
      },
      () => {},
    ),
    /syntax error/,
  );
  assert.equal(calls, 1);
});
