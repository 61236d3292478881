#!/usr/bin/env node
// The CLI runs from its TypeScript sources through tsx: no build step between a checkout and a run.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
