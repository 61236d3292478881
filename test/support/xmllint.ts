import { spawnSync } from "node:child_process";
import path from "node:path";
import { ensureDebianPackages } from "../../src/targets/install.ts";
import { ROOT } from "./cli.ts";

/** The JUnit structure CI test tabs read (see test/fixtures/README.md). */
export const JUNIT_XSD = path.join(ROOT, "test/fixtures/junit.xsd");

/** xmllint's verdict on a file against an XSD; libxml2-utils is installed by the test set-up when missing. */
export function validateXml(file: string, xsd: string): { ok: boolean; output: string } {
  ensureDebianPackages("xmllint", ["libxml2-utils"], true, (l) => process.stderr.write(`${l}\n`));
  const r = spawnSync("xmllint", ["--noout", "--schema", xsd, file], { encoding: "utf8" });
  return { ok: r.status === 0, output: r.stderr };
}
