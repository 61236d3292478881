import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { parseAllDocuments } from "yaml";
import { scenarioJsonSchema } from "../../src/scenario/json-schema.ts";
import { scenarioFiles } from "../../src/scenario/load.ts";
import { VERBS } from "../../src/scenario/steps.ts";
import { ROOT } from "../support/cli.ts";

/** docs/scenario.schema.json, the JSON Schema editors use for scenario files. */
const file = path.join(ROOT, "docs/scenario.schema.json");
const schema = JSON.parse(readFileSync(file, "utf8")) as { $defs: { step: { defaultSnippets: { label: string }[] } } };
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
// yaml-language-server's completion hints, not a validation keyword.
ajv.addKeyword("defaultSnippets");
const validate = ajv.compile(schema);
const errors = (doc: unknown) => (validate(doc) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`));

test("docs/scenario.schema.json is generated from the loader's schema (npm run schema)", () => {
  assert.deepEqual(schema, scenarioJsonSchema(), "docs/scenario.schema.json is stale: npm run schema");
  // Every verb of the parser is in it, as a step key and as a completion.
  const text = JSON.stringify(schema);
  for (const verb of Object.keys(VERBS)) {
    assert.ok(text.includes(` ${verb}$`), verb);
    assert.ok(
      schema.$defs.step.defaultSnippets.some((s: { label: string }) => s.label === verb),
      verb,
    );
  }
});

test("every shipped scenario document is valid against it", () => {
  let documents = 0;
  for (const f of scenarioFiles([path.join(ROOT, "scenarios")])) {
    for (const doc of parseAllDocuments(readFileSync(f, "utf8"))) {
      documents++;
      assert.deepEqual(errors(doc.toJS()), [], f);
    }
  }
  assert.ok(documents > 100, String(documents));
});

test("it flags what an editor should: a wrong key, a misspelt verb, a value of the wrong shape", () => {
  const base = {
    id: "x",
    title: "t",
    rfc: "2.1",
    level: "MUST",
    requirements: ["ROSTER-GET-01"],
    accounts: { juliet: { resources: { balcony: { roster: true } } } },
    steps: ["juliet/balcony receives nothing", { "juliet/balcony sends": "<iq/>", timeout: 500 }, { "one of": { a: ["juliet receives nothing"], b: [{ "juliet receives": "<iq/>" }] } }],
  };
  assert.deepEqual(errors(base), []);
  assert.notDeepEqual(errors({ ...base, titel: "t" }), []);
  assert.notDeepEqual(errors({ ...base, steps: [{ "juliet/balcony sendz": "<iq/>" }] }), []);
  assert.notDeepEqual(errors({ ...base, steps: ["juliet/balcony sends"] }), []);
  assert.notDeepEqual(errors({ ...base, steps: [{ "juliet/balcony receives in order": "<iq/>" }] }), []);
  assert.notDeepEqual(errors({ ...base, steps: [{ "juliet/balcony sends": "<iq/>", timeout: "soon" }] }), []);
  assert.notDeepEqual(errors({ ...base, level: "OUGHT" }), []);
  assert.notDeepEqual(errors({ ...base, accounts: { juliet: { resources: { balcony: { presense: 1 } } } } }), []);
  // In a matrix, a placeholder stands for a value the loader substitutes first.
  assert.deepEqual(errors({ ...base, matrix: { p: [1, 2] }, accounts: { juliet: { resources: { balcony: { presence: "${m.p}" } } } }, steps: [{ "juliet/${m.p} receives": "<iq/>" }] }), []);
});
