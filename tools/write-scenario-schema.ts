// Regenerates docs/scenario.schema.json from the scenario schema (npm run schema); the tests fail while it is stale.
import { writeFileSync } from "node:fs";
import { scenarioJsonSchema } from "../src/scenario/json-schema.ts";

writeFileSync(new URL("../docs/scenario.schema.json", import.meta.url), `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
