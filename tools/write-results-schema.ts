// Regenerates docs/results.schema.json from the zod schema (npm run schema); the tests fail while it is stale.
import { writeFileSync } from "node:fs";
import { resultsJsonSchema } from "../src/results/schema.ts";

writeFileSync(new URL("../docs/results.schema.json", import.meta.url), `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`);
