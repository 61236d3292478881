import { adminCommands } from "./admin.ts";
import { serverCommands } from "./cli.ts";
import { existingAccounts } from "./file.ts";
import { inBandRegistration } from "./ibr.ts";
import type { Provisioner, ProvisionerContext } from "./types.ts";

export type { Provisioner, ProvisionerContext } from "./types.ts";

/** Ways to get accounts (--accounts): one entry each. */
export const provisioners: Record<string, (ctx: ProvisionerContext) => Provisioner> = {
  ibr: inBandRegistration,
  cli: serverCommands,
  admin: adminCommands,
  file: existingAccounts,
};
