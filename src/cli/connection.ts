import type { Argv } from "yargs";
import { localTargetNames } from "../targets/index.ts";
import type { SecretSource } from "../util/secret.ts";
import type { TlsRequest } from "../xmpp/connections/reach.ts";

/** The environment variable a password is read from when no other is named. */
export const PASSWORD_ENV = "XMPP_CONFORM_PASSWORD";

/** --tls, --ca, --insecure, --allow-plain: how to reach a server, shared by the commands that connect. */
export function tlsOptions<T>(y: Argv<T>) {
  return y
    .option("tls", {
      type: "string",
      choices: ["auto", "starttls", "direct"],
      default: "auto",
      describe: "auto: STARTTLS when offered; starttls: required; direct: TLS from the first byte (XEP-0368, usually port 5223). With --target, serve it so",
    })
    .option("ca", { type: "string", describe: "PEM file of the CA(s) to trust for the server's certificate, instead of the system's" })
    .option("insecure", { type: "boolean", default: false, describe: "do not check the server's certificate (warned about, and recorded in the results)" })
    .option("allow-plain", { type: "boolean", default: false, describe: "allow SASL PLAIN on an unencrypted stream to a host that is not loopback" });
}

/** --password-env, --password-file: where the password of `whose` comes from (never the command line). */
export function passwordOptions<T>(y: Argv<T>, whose: string) {
  return y
    .option("password-env", { type: "string", default: PASSWORD_ENV, describe: `environment variable holding the password of ${whose}` })
    .option("password-file", { type: "string", describe: `file holding the password of ${whose} (instead of --password-env)` });
}

export interface ConnectionArgs {
  tls: TlsRequest["tls"];
  ca?: string;
  insecure: boolean;
  allowPlain: boolean;
}

export function tlsRequest(a: ConnectionArgs): TlsRequest {
  return { tls: a.tls, ...(a.ca && { caFile: a.ca }), ...(a.insecure && { insecure: true }), ...(a.allowPlain && { allowPlain: true }) };
}

export const passwordSource = (a: { passwordEnv: string; passwordFile?: string }): SecretSource => (a.passwordFile ? { file: a.passwordFile } : { env: a.passwordEnv });

/** A problem with the TLS options, before anything starts. */
export const checkTls = (a: ConnectionArgs): string | undefined => (a.ca && a.insecure ? "--ca and --insecure exclude each other" : undefined);

/** Splits a bare JID on --domain into the credentials' username; a problem is a usage error. */
export function accountOn(jid: string, domain: string | undefined, option: string): { jid: string; username: string } | string {
  const m = /^([^@/\s]+)@([^@/\s]+)$/.exec(jid);
  if (!m) return `${option} must be a bare JID like admin@example.org, got '${jid}'`;
  if (domain && m[2] !== domain) return `${option} ${jid} is not on --domain ${domain}`;
  return { jid, username: m[1] };
}

/** Where to run: a local server to start, or a running one (--server, --websocket, --bosh) and its --domain. */
export function targetOptions<T>(y: Argv<T>) {
  return y
    .option("target", {
      type: "string",
      describe: `start a throwaway local server: ${localTargetNames.map((n) => `local:${n}`).join(", ")}; NAME@RELEASE for a release from Debian's backports (local:prosody@13, local:ejabberd@24.12), unpacked beside the system's`,
    })
    .option("server", { type: "string", describe: "an already running server: HOST:PORT (with --domain), or its XMPP domain (found by its SRV records, then port 5222)" })
    .option("domain", { type: "string", describe: "the XMPP domain of the accounts on --server (or --websocket URL, --bosh URL)" })
    .option("bosh", {
      type: "string",
      describe:
        "XEP-0206: reach a running server over BOSH at this http:// or https:// URL (instead of --server, with --domain; --ca/--insecure apply to https://); with --target and no URL: the local server serves BOSH and the run uses it",
    })
    .option("websocket", {
      type: "string",
      describe:
        "RFC 7395: reach a running server over WebSocket at this ws:// or wss:// URL (instead of --server, with --domain; --ca/--insecure apply to wss://); with --target and no URL: the local server(s) serve WebSocket and the run uses it",
    })
    .option("component", {
      type: "string",
      describe: "XEP-0114: a component name the running server accepts, and its component port: NAME@HOST:PORT (with --component-secret); local targets accept one of their own",
    })
    .option("component-secret", { type: "string", describe: "the shared secret of --component (or XMPP_CONFORM_COMPONENT_SECRET in the environment, kept out of the process list)" });
}

/** --component-secret, or the environment's. */
export const componentSecret = (a: { componentSecret?: string }) => a.componentSecret ?? process.env.XMPP_CONFORM_COMPONENT_SECRET;
