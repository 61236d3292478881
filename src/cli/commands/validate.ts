import type { CommandModule } from "yargs";
import { planFrom } from "../suite.ts";

export const validate: CommandModule = {
  command: "validate [paths..]",
  describe: "check scenario files (the whole suite by default) without running them",
  builder: (y) => y.positional("paths", { type: "string", array: true, default: [] as string[] }),
  handler: (argv) => {
    const cases = planFrom((argv as unknown as { paths: string[] }).paths, {});
    process.stdout.write(`${cases.length} scenario${cases.length === 1 ? "" : "s"} valid\n`);
  },
};
