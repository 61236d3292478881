/**
 * One case, or a few, against a local server, raw (no profile), directly or through one fault or variation of
 * the fault proxy: what a change to a case does to its verdict and to each requirement's, before and after.
 *   node --import tsx bench/try-case.ts --target local:prosody@13 [--fault ID] [--tls starttls|direct] [--bosh] [--file F] CASE...
 * CASE is a case id, a scenario id, a requirement ID or a scenario file; --file loads the suite from that file
 * or folder instead of scenarios/ (an old copy of a file, to compare). Prints one block per case: its verdict,
 * reason, the alternatives taken and every requirement's verdict. --bosh: the local server serves BOSH and the run
 * goes over it (XEP-0206), a fault is one of the BOSH proxy's; --tls direct: XEP-0368, a fault is one of the TLS proxy's; a
 * fault of the component port (COMPONENT_FAULTS, COMPONENT_VARIATIONS) goes on a fault proxy in front of that port.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { select, splitArgs } from "../src/plan/filter.ts";
import { run } from "../src/run/run.ts";
import { loadSuite } from "../src/scenario/load.ts";
import { issueCertificate, makeRunCa } from "../src/targets/cert.ts";
import { openTarget } from "../src/targets/index.ts";
import { BoshFaultProxy } from "../test/support/bosh-proxy.ts";
import { FaultProxy } from "../test/support/fault-proxy.ts";
import { FAULTS } from "../test/support/faults.ts";
import { TlsFaultProxy } from "../test/support/tls-proxy.ts";
import { VARIATIONS } from "../test/support/variations.ts";
import { BOSH_FAULTS, BOSH_VARIATIONS, TLS_FAULTS } from "../test/support/xep/connections.ts";
import { COMPONENT_C2S_FAULTS, COMPONENT_FAULTS, COMPONENT_VARIATIONS } from "../test/support/xep/services.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    target: { type: "string", default: "local:prosody" },
    fault: { type: "string" },
    tls: { type: "string" },
    bosh: { type: "boolean", default: false },
    file: { type: "string" },
    timeout: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "4" },
  },
});
if (positionals.length === 0) throw new Error("name at least one case, scenario, requirement or scenario file");
const tls = values.tls === "starttls" || values.tls === "direct" ? values.tls : undefined;
const bosh = values.bosh;
const byId = <T extends { id: string }>(list: T[]) => (values.fault ? list.find((f) => f.id === values.fault) : undefined);
const boshFault = bosh ? byId([...BOSH_FAULTS, ...BOSH_VARIATIONS]) : undefined;
const tlsFault = tls === "direct" ? byId(TLS_FAULTS) : undefined;
const chosen = bosh || tls === "direct" ? undefined : byId([...FAULTS, ...VARIATIONS]);
// A fault of the component port (XEP-0114): a fault proxy in front of that port instead of the c2s one.
const componentFault = bosh || tls === "direct" ? undefined : byId([...COMPONENT_FAULTS, ...COMPONENT_VARIATIONS]);
// One of what the server delivers users of a component's stanzas: on the c2s proxy, made for the component's name.
const componentC2sFault = bosh || tls === "direct" ? undefined : byId(COMPONENT_C2S_FAULTS);
if (values.fault && !chosen && !boshFault && !tlsFault && !componentFault && !componentC2sFault)
  throw new Error(`no fault or variation ${values.fault}${bosh ? " of the BOSH proxy" : tls === "direct" ? " of the TLS proxy" : ""}`);

const { paths, ids } = splitArgs(positionals);
const suite = loadSuite(values.file ? [values.file] : [path.join(import.meta.dirname, "../scenarios")]);
if (suite.errors.length > 0) throw new Error(suite.errors.map((e) => e.message).join("\n"));
const files = paths.length > 0 ? loadSuite(paths).scenarios : [];
const { plan, unknownIds } = select(suite.scenarios, { files, ids, tags: [] });
if (unknownIds.length > 0) throw new Error(`nothing is named ${unknownIds.join(", ")}`);

const dir = mkdtempSync(path.join(tmpdir(), "try-case-"));
const ca = tls ? await makeRunCa(dir) : undefined;
const target = await openTarget({ target: values.target, ...(bosh && { bosh: true }) }, { install: true, log: (l) => console.error(l), ...(tls && { tls, ca }) });
const cert = ca ? await issueCertificate(ca, dir, target.domain) : undefined;
const boshProxy = boshFault && new BoshFaultProxy(target.bosh!);
const tlsProxy =
  tlsFault && new TlsFaultProxy({ host: target.host, port: target.port }, await issueCertificate(ca!, dir, target.domain, tlsFault.handshake?.rsa ? "rsa" : undefined), tlsFault.handshake);
const proxy = (chosen || componentC2sFault) && new FaultProxy({ host: target.host, port: target.port }, cert && { key: readFileSync(cert.key, "utf8"), cert: readFileSync(cert.cert, "utf8") });
const componentProxy = componentFault && target.component && new FaultProxy({ host: target.component.host, port: target.component.port });
try {
  let component = target.component && `${target.component.domain}@${target.component.host}:${target.component.port}`;
  if (componentProxy) {
    componentProxy.streamFault = componentFault!.stream;
    component = `${target.component!.domain}@127.0.0.1:${await componentProxy.listen()}`;
  }
  let server = `${target.host}:${target.port}`;
  if (proxy) {
    if (chosen) {
      proxy.fault = chosen.fault;
      if ("stream" in chosen) proxy.streamFault = chosen.stream;
    } else proxy.fault = componentC2sFault!.fault(target.component!.domain);
    server = `127.0.0.1:${await proxy.listen()}`;
  }
  if (tlsProxy) {
    tlsProxy.fault = tlsFault;
    server = `127.0.0.1:${await tlsProxy.listen()}`;
  }
  if (boshProxy) boshProxy.fault = boshFault!.fault;
  const boshUrl = boshProxy ? await boshProxy.listen() : target.bosh;
  const result = await run(plan, {
    ...(bosh ? { bosh: boshUrl } : { server }),
    ...(component && { component, componentSecret: target.component!.secret }),
    domain: target.domain,
    install: false,
    profile: { mode: "none" },
    timeoutMs: Number(values.timeout),
    concurrency: Number(values.concurrency),
    ...(tls && { tls: { tls, caFile: ca!.cert } }),
  });
  console.log(
    `${target.software?.name ?? target.name} ${target.software?.version ?? ""}${bosh ? ", over BOSH" : ""}${tls === "direct" ? ", direct TLS" : ""}${values.fault ? `, through ${values.fault}` : ""}`,
  );
  for (const c of result.cases) {
    console.log(`\n${c.id}: ${c.verdict}${c.reason ? ` (${c.reason.slice(0, 300)})` : ""}`);
    for (const ch of c.choices) console.log(`  one of ${ch.step}: ${ch.alternative}`);
    for (const r of c.requirementResults ?? []) console.log(`  ${r.id.padEnd(36)} ${r.verdict}${r.derived ? " (derived)" : ""}`);
  }
} finally {
  await proxy?.close();
  await componentProxy?.close();
  await boshProxy?.close();
  await tlsProxy?.close();
  await target.stop();
  rmSync(dir, { recursive: true, force: true });
}
