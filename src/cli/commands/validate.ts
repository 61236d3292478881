import type { CommandModule } from "yargs";
import { readdirSync } from "node:fs";
import path from "node:path";
import { loadProfile, loadProfiles, unknownEntries } from "../../profiles/load.ts";
import { scenarioFiles } from "../../scenario/load.ts";
import { profileProse, scenarioProse, yamlProseProblems, type ProseProblem } from "../../specification/prose.ts";
import { SUITE } from "../../suite-files.ts";
import { EXIT } from "../exit-codes.ts";
import { csv, err, planFrom, PROFILES } from "../suite.ts";

export const validate: CommandModule = {
  command: "validate [paths..]",
  describe: "check scenario files (the whole suite and the shipped profiles by default) and profile files (--profile) without running them",
  builder: (y) =>
    y
      .positional("paths", { type: "string", array: true, default: [] as string[] })
      .option("profile", { type: "string", array: true, default: [] as string[], describe: "also check these profile files against the suite" }),
  handler: (argv) => {
    const a = argv as unknown as { paths: string[]; profile: string[] };
    const cases = planFrom(a.paths, {}, "xmpp-conform validate").plan;
    // Quotes of a specification must be its words, in the section they cite (spec/texts/).
    const scenarioPaths = a.paths.length > 0 ? a.paths : [SUITE];
    const files = csv(a.profile);
    const profileFiles =
      files.length > 0
        ? files
        : a.paths.length > 0
          ? []
          : readdirSync(PROFILES)
              .filter((f) => f.endsWith(".yaml"))
              .map((f) => path.join(PROFILES, f));
    const misquoted: ProseProblem[] = [...scenarioFiles(scenarioPaths).flatMap((f) => yamlProseProblems(f, scenarioProse)), ...profileFiles.flatMap((f) => yamlProseProblems(f, profileProse))];
    for (const p of misquoted) err(`${p.file}:${p.line}:${p.col}: ${p.message}`);
    if (misquoted.length > 0) {
      err(`${misquoted.length} quote${misquoted.length === 1 ? " is" : "s are"} not the specification's words in the section cited (spec/texts/)`);
      process.exit(EXIT.usage);
    }
    process.stdout.write(`${cases.length} scenario${cases.length === 1 ? "" : "s"} valid\n`);
    if (a.paths.length > 0 && files.length === 0) return;
    try {
      // Profiles name cases of the whole suite, whatever scenario paths were checked.
      const suite = a.paths.length > 0 ? planFrom([], {}, "xmpp-conform validate").plan : cases;
      const profiles = files.length > 0 ? files.map((f) => loadProfile(f)) : loadProfiles(PROFILES);
      const problems = profiles.flatMap((p) => unknownEntries(p, suite));
      for (const p of problems) err(p.message);
      if (problems.length > 0) process.exit(EXIT.usage);
      process.stdout.write(`${profiles.length} profile${profiles.length === 1 ? "" : "s"} valid\n`);
    } catch (e) {
      err((e as Error).message);
      process.exit(EXIT.usage);
    }
  },
};
