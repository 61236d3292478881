import type { Provisioner, ProvisionerContext } from "./types.ts";

/** The server's own command line (prosodyctl register/deluser, ejabberdctl register/unregister): local targets only. */
export function serverCommands(ctx: ProvisionerContext): Provisioner {
  const commands = ctx.target?.accountCommands;
  if (!commands) throw new Error("--accounts cli works only with a server the harness starts (--target local:...)");
  return {
    name: "cli",
    domain: ctx.endpoint.domain,
    async create(localpart, password) {
      await commands.register(localpart, password);
      return { username: localpart, password };
    },
    remove: (creds) => commands.remove(creds.username),
    gone: async (creds) => !(await commands.list()).includes(creds.username),
    list: () => commands.list(),
  };
}
