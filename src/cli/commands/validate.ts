import type { CommandModule } from "yargs";
import { loadProfiles, unknownEntries } from "../../profiles/load.ts";
import { EXIT } from "../exit-codes.ts";
import { err, planFrom, PROFILES } from "../suite.ts";

export const validate: CommandModule = {
  command: "validate [paths..]",
  describe: "check scenario files (the whole suite and the shipped profiles by default) without running them",
  builder: (y) => y.positional("paths", { type: "string", array: true, default: [] as string[] }),
  handler: (argv) => {
    const paths = (argv as unknown as { paths: string[] }).paths;
    const cases = planFrom(paths, {});
    process.stdout.write(`${cases.length} scenario${cases.length === 1 ? "" : "s"} valid\n`);
    if (paths.length > 0) return;
    try {
      const profiles = loadProfiles(PROFILES);
      const problems = profiles.flatMap((p) => unknownEntries(p, cases));
      for (const p of problems) err(p.message);
      if (problems.length > 0) process.exit(EXIT.usage);
      process.stdout.write(`${profiles.length} profile${profiles.length === 1 ? "" : "s"} valid\n`);
    } catch (e) {
      err((e as Error).message);
      process.exit(EXIT.usage);
    }
  },
};
