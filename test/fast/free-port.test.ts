import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { freePort, freePorts } from "../../src/targets/ready.ts";

const RANGE = "/proc/sys/net/ipv4/ip_local_port_range";

// A listener's port from the kernel's ephemeral range can be taken by any outgoing connection before the server binds it.
test("a local server's ports lie outside the range outgoing connections draw from", { skip: !existsSync(RANGE) && "no ephemeral range to read" }, async () => {
  const [low, high] = readFileSync(RANGE, "utf8").trim().split(/\s+/).map(Number);
  const ports = [...(await freePorts(6)), await freePort("udp")];
  assert.equal(new Set(ports).size, ports.length);
  for (const port of ports) assert.ok(port < low || port > high, `${port} is inside ${low}-${high}`);
});
