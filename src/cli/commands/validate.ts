import type { CommandModule } from "yargs";
import { loadProfile, loadProfiles, unknownEntries } from "../../profiles/load.ts";
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
    const cases = planFrom(a.paths, {}, "xmpp-conform validate");
    process.stdout.write(`${cases.length} scenario${cases.length === 1 ? "" : "s"} valid\n`);
    const files = csv(a.profile);
    if (a.paths.length > 0 && files.length === 0) return;
    try {
      // Profiles name cases of the whole suite, whatever scenario paths were checked.
      const suite = a.paths.length > 0 ? planFrom([], {}, "xmpp-conform validate") : cases;
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
