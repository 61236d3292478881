import type { CommandModule } from "yargs";
import { checkTargetSpec, installLocalTarget } from "../../targets/index.ts";
import { EXIT } from "../exit-codes.ts";
import { err } from "../suite.ts";

export const install: CommandModule = {
  command: "install <target>",
  describe: "install the Debian packages a local target needs (as root: e.g. sudo in CI), without starting their services",
  builder: (y) => y.positional("target", { type: "string", describe: "local:prosody, local:ejabberd or a pair like local:prosody+ejabberd" }),
  handler: async (argv) => {
    const target = (argv as unknown as { target: string }).target;
    const problem = checkTargetSpec({ target });
    if (problem) {
      err(`xmpp-conform install: ${problem}`);
      process.exit(EXIT.usage);
    }
    try {
      await installLocalTarget(target, err);
    } catch (e) {
      err(`xmpp-conform install: ${(e as Error).message}`);
      process.exit(EXIT.failed);
    }
  },
};
