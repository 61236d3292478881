// The library entry point for JavaScript: the sources are TypeScript, run through tsx as the CLI is
// (no build step). TypeScript users get the types from src/index.ts.
import { tsImport } from "tsx/esm/api";

const lib = await tsImport("../src/index.ts", import.meta.url);

export const { run, loadSuite, select, SUITE, PROFILES, loadProfile, loadProfiles, fanOut, reporters, resolveReporter, readResults, caseFailsRun, failsRun, worst } = lib;
