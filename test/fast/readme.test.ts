import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { FAMILIES } from "../../src/families/index.ts";
import { ROOT } from "../support/cli.ts";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");

test("the README is a front door: at most 250 lines, every page it links to exists", () => {
  assert.ok(readme.split("\n").length <= 250, `${readme.split("\n").length} lines`);
  const links = [...readme.matchAll(/\]\(((?:docs|spec|profiles)\/[^)#]+)\)/g)].map((m) => m[1]);
  assert.ok(links.length >= 10);
  assert.deepEqual(
    links.filter((l) => !existsSync(path.join(ROOT, l))),
    [],
  );
});

test("the README's table of modules is what each family loads in the harness's configurations", () => {
  const code = (xs: string[]) => xs.map((x) => `\`${x}\``).join(", ") || "(none)";
  for (const f of FAMILIES) {
    const component = "component" in f.prosody ? (f.prosody.component as { sub: string; plugin: string }) : undefined;
    // Community modules (prosody-modules) load only where a release has them.
    const community = "community" in f.prosody ? (f.prosody.community as string[]) : [];
    const modules = [code(f.prosody.modules), ...(community.length ? [`${code(community)} (prosody-modules, for Prosody 13)`] : [])].filter((x) => x !== "(none)").join(", ") || "(none)";
    const prosody = component ? `${modules === "(none)" ? "" : `${modules}, `}the Component \`${component.sub}.DOMAIN\` (\`${component.plugin}\`)` : modules;
    // An external component (XEP-0114) is a listener and a host of the configuration, not a module.
    const external = "externalComponent" in f ? (f.externalComponent as { sub: string }).sub : undefined;
    const ejabberd = code(Object.keys(f.ejabberd.modules));
    const row = external
      ? `| ${f.title} | ${prosody === "(none)" ? "" : `${prosody}, `}the external Component \`${external}.DOMAIN\` on \`component_ports\` | ${ejabberd === "(none)" ? "" : `${ejabberd}, `}an \`ejabberd_service\` listener for \`${external}.DOMAIN\` |`
      : `| ${f.title} | ${prosody} | ${ejabberd} |`;
    assert.ok(readme.includes(row), f.title);
  }
});
