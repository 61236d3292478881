import { readFileSync } from "node:fs";
import { setTimeout as pause } from "node:timers/promises";
import type { Argv, CommandModule } from "yargs";
import { parse, type Element } from "ltx";
import element from "@xmpp/xml";
import { formatTranscript } from "../../report/format.ts";
import { parseHostPort } from "../../targets/index.ts";
import { readSecret } from "../../util/secret.ts";
import { reach } from "../../xmpp/connections/reach.ts";
import { Session } from "../../xmpp/connections/session.ts";
import { Transcript, type TranscriptEntry } from "../../xmpp/connections/transcript.ts";
import { accountOn, checkTls, passwordOptions, passwordSource, tlsOptions, tlsRequest, type ConnectionArgs } from "../connection.ts";
import { EXIT } from "../exit-codes.ts";
import { err } from "../suite.ts";

interface SendArgs extends ConnectionArgs {
  xml: string;
  server: string;
  domain?: string;
  as: string;
  passwordEnv: string;
  passwordFile?: string;
  resource: string;
  presence: boolean;
  listen: number;
  timeout: number;
  verbose: boolean;
}

/**
 * An operator's spot check: log in as an existing account, send one raw stanza, print what comes back.
 * The one place with a fixed listening window: it is interactive, nothing else tells it when to stop.
 */
export const send: CommandModule = {
  command: "send <xml>",
  describe: "send one raw stanza as an existing account and print what the server sends back for a while",
  builder: (y: Argv) =>
    passwordOptions(tlsOptions(y), "--as")
      .positional("xml", { type: "string", demandOption: true, describe: "the stanza, as XML ('-' reads it from stdin)" })
      .option("server", { type: "string", demandOption: true, describe: "the server: HOST:PORT" })
      .option("domain", { type: "string", describe: "the XMPP domain (default: the domain of --as)" })
      .option("as", { type: "string", demandOption: true, describe: "the account's bare JID (password: --password-env / --password-file)" })
      .option("resource", { type: "string", default: "xmpp-conform", describe: "the resource to bind" })
      .option("presence", { type: "boolean", default: false, describe: "send initial presence before the stanza (become an available resource)" })
      .option("listen", { type: "number", default: 3000, describe: "ms to print what arrives after sending" })
      .option("timeout", { type: "number", default: 5000, describe: "ms to wait for connecting and logging in" })
      .option("verbose", { type: "boolean", default: false, describe: "also print the login (stream features, SASL with its payloads redacted)" })
      .example("XMPP_CONFORM_PASSWORD=... $0 send --server xmpp.example.org:5222 --as me@example.org \"<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>\"", "fetch my roster"),
  handler: async (argv) => {
    const a = argv as unknown as SendArgs;
    const hostPort = parseHostPort(a.server);
    const domain = a.domain ?? a.as.split("@")[1] ?? "";
    const account = accountOn(a.as, domain, "--as");
    if (!hostPort) fail(EXIT.usage, `--server must be HOST:PORT, got '${a.server}'`);
    if (typeof account === "string") fail(EXIT.usage, account);
    const tlsProblem = checkTls(a) ?? (a.listen >= 0 ? undefined : "--listen must be a number of ms");
    if (tlsProblem) fail(EXIT.usage, tlsProblem);
    let stanza: Element;
    let password: string;
    try {
      stanza = parse(a.xml === "-" ? readFileSync(0, "utf8") : a.xml);
      password = readSecret(passwordSource(a), a.as);
    } catch (e) {
      fail(EXIT.usage, (e as Error).message);
    }

    const print = (e: TranscriptEntry) => {
      if (a.verbose || !e.harness) process.stdout.write(`${formatTranscript([e], true)}\n`);
    };
    let session: Session | undefined;
    let problem: string | undefined;
    try {
      const endpoint = await reach({ ...hostPort, domain }, tlsRequest(a), a.timeout);
      session = new Session(a.as, endpoint, { username: account.username, password }, a.resource, new Transcript(print));
      await session.start(a.timeout);
      if (a.presence) await session.send(element("presence"));
      await session.send(stanza);
      await pause(a.listen);
    } catch (e) {
      problem = (e as Error).message;
    } finally {
      await session?.close();
    }
    if (problem) fail(EXIT.unreachable, problem);
  },
};

function fail(code: number, problem: string): never {
  err(`xmpp-conform send: ${problem}`);
  process.exit(code);
}
