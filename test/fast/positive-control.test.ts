import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { loadSuite } from "../../src/scenario/load.ts";
import type { PlannedStep, Proof } from "../../src/scenario/types.ts";
import { FAULTS } from "../support/faults.ts";
import { PROXY_FAULTS } from "../support/xep/connections.ts";
import { COMPONENT_FAULTS, UPLOAD_FAULTS } from "../support/xep/services.ts";
import { cites } from "../support/mutation.ts";
import { ROOT } from "../support/cli.ts";

/** Every MUST a step can credit: its own checks', each alternative's and its order's. */
const mustsOf = (step: PlannedStep): Proof[] =>
  [...step.plan.proves, ...(step.plan.alternatives ?? []).flatMap((a) => a.proves), ...(step.plan.order ? [step.plan.order] : [])].filter((p) => p.level === "MUST");

/**
 * Steps whose rule a server can break, but not through the fault proxy as it is, each with what a control needs.
 * The test fails when one of them gets a control (the entry is then stale) or when a step is blind for another reason.
 */
const NO_PROXY_CONTROL: Record<string, string> = {
  "stream-header-response STREAM-OPEN-01": "every login of the harness needs the response header: a server without one cannot be run at all (exit 3)",
  "stream-restart-new-id STREAM-RESTART-02": "every login of the harness restarts the stream after <success/>: a server that closes it there cannot be run at all",
  "tls-proceed TLS-NEG-04": "the header after STARTTLS is inside TLS, which the proxy cannot read: it needs a TLS-terminating proxy",
  "tls-proceed TLS-ADV-02": "the features after STARTTLS are inside TLS: it needs a TLS-terminating proxy",
  "tls-required TLS-ADV-01": "needs a STARTTLS server behind the proxy, and the run negotiates TLS through it: a TLS-terminating proxy",
  "tls-twice TLS-NEG-01": "the second <starttls/> goes inside TLS: it needs a TLS-terminating proxy",
  "tls-twice TLS-NEG-02": "the second <starttls/> goes inside TLS: it needs a TLS-terminating proxy",
  "tls-cipher-null-refused TLSBCP-CIPHER-01": "the handshake is TLS, which the proxy cannot change: test/connections.test.ts runs a real Prosody that allows NULL suites, and this case fails there",
  "tls-version-1-2 TLSBCP-VER-05": "the version is the TLS handshake's, which the proxy cannot change; a server without TLS 1.2 cannot be run at all (the harness's own sessions need it)",
  "tls-version-preferred TLSBCP-VER-05": "the version is the TLS handshake's, which the proxy cannot change; OpenSSL servers always choose the highest version both offer",
  "tls-clients-authenticated TLSBCP-AUTH-01": "a fault would have to route a stanza of a stream that never authenticated, which only the server can: the proxy cannot tell whose it is",
  "stanza-partial STANZA-PARTIAL-01": "the proxy sees whole elements, never a client's bytes as they arrive: it needs a hook on the client's raw bytes",
  "remote-subscribe-already-subscribed-f SUB-REQ-09": "the auto-reply goes over s2s to the harness's scripted remote server, which the proxy does not sit in front of",
  "remote-subscribe-already-subscribed-fpo SUB-REQ-09": "the auto-reply goes over s2s to the harness's scripted remote server, which the proxy does not sit in front of",
  "remote-subscribe-already-subscribed-b SUB-REQ-09": "the auto-reply goes over s2s to the harness's scripted remote server, which the proxy does not sit in front of",
};

/**
 * A MUST is credited only by a check that could have failed: each step that proves one has a fault in the fault
 * proxy that breaks one of the rules it proves (its positive control; bench/mutation.ts shows each is caught).
 */
test("every step that proves a MUST has a positive control: a fault of the fault proxy (or the WebSocket or TLS one) that breaks what it proves", () => {
  const suite = loadSuite([path.join(ROOT, "scenarios")]);
  assert.deepEqual(suite.errors, []);
  // The WebSocket binding's, the direct TLS port's, the component port's and the upload host's faults are made by proxies of their own.
  const controlled = (id: string) => FAULTS.some((f) => f.requirements.some((p) => cites(p, id))) || [...PROXY_FAULTS, ...COMPONENT_FAULTS, ...UPLOAD_FAULTS].some((f) => f.requirements.includes(id));
  const blind = suite.scenarios.flatMap((sc) =>
    sc.steps.flatMap((step) => {
      const musts = mustsOf(step);
      return musts.length > 0 && !musts.some((p) => controlled(p.id)) ? [{ sc: sc.id, step: step.text, ids: musts.map((p) => p.id) }] : [];
    }),
  );
  assert.ok(suite.scenarios.length > 700);
  const excused = (b: (typeof blind)[number]) => b.ids.some((id) => NO_PROXY_CONTROL[`${b.sc} ${id}`]);
  const unexcused = blind.filter((b) => !excused(b)).map((b) => `${b.sc}: ${b.step} [${b.ids.join(", ")}]`);
  assert.deepEqual(unexcused, [], `${unexcused.length} steps prove a MUST no fault breaks`);
  // An entry whose step got a control is stale: the list only shrinks.
  const stillBlind = new Set(blind.flatMap((b) => b.ids.map((id) => `${b.sc} ${id}`)));
  assert.deepEqual(
    Object.keys(NO_PROXY_CONTROL).filter((k) => !stillBlind.has(k)),
    [],
  );
});
