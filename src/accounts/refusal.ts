import type { LoginFailure } from "../xmpp/connections/session.ts";
import type { Element } from "ltx";
import { stanzaError } from "../xmpp/protocol/errors.ts";

/**
 * The server said no to something the harness needs to get accounts: not a verdict on any case, and no
 * case can run without it. One message names the server's answer and what to use instead.
 */
export interface Refusal {
  kind: "registration-disabled" | "registration-throttled" | "admin-refused" | "sasl" | "connection-limit" | "login-refused" | "no-accounts";
  /** The server's answer as it came: a stanza error condition, a missing stream feature, a stream error. */
  answer: string;
  /** For people: the answer, and what to use instead. */
  message: string;
}

/** Thrown where an account cannot be had because the server refuses; every later attempt would be refused too. */
export class AccountsRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

export const isRefusal = (err: unknown): err is AccountsRefused => err instanceof AccountsRefused;

/** `<policy-violation/> (wait): "Too many registrations from this IP address recently"`, from an <iq type='error'>. */
function stanzaAnswer(el: Element): { condition: string; type: string; answer: string } {
  const { condition, type, text } = stanzaError(el);
  return { condition, type, answer: `<${condition}/> (${type})${text ? `: "${text}"` : ""}` };
}

/** Answers that mean "not from you, not now": a limit on how often, not a ban. */
const THROTTLE = new Set(["policy-violation", "resource-constraint"]);
/** Answers that mean "not at all" for this way of getting accounts. */
const DISABLED = new Set(["not-allowed", "forbidden", "service-unavailable", "feature-not-implemented", "registration-required", "not-authorized", "not-acceptable", "item-not-found"]);

const INSTEAD = "use --accounts admin --admin JID (XEP-0133 commands as a server admin) or --accounts file --accounts-file FILE (existing accounts)";

/** An in-band registration the server answered with an error: a Refusal when it means registration is off or limited. */
export function registrationRefusal(reply: Element): Refusal | undefined {
  const { condition, type, answer } = stanzaAnswer(reply);
  if (THROTTLE.has(condition) || type === "wait") {
    return {
      kind: "registration-throttled",
      answer,
      message: `the server limits in-band registrations (XEP-0077) from this address and answered ${answer}. A run registers about two accounts per case: ${INSTEAD}, or lift the limit for the harness's address (Prosody: min_seconds_between_registrations, registration_throttle_max, registration_allowlist; ejabberd: registration_timeout: infinity)`,
    };
  }
  if (DISABLED.has(condition)) {
    return {
      kind: "registration-disabled",
      answer,
      message: `the server refuses in-band registration (XEP-0077): it answered ${answer}; ${INSTEAD}, or allow registration (Prosody: allow_registration = true; ejabberd: mod_register with access_register allowing this address)`,
    };
  }
  return undefined;
}

/** A server that does not offer XEP-0077 before login at all. */
export function noRegistration(features: string): Refusal {
  return {
    kind: "registration-disabled",
    answer: `no <register/> stream feature (features: ${features})`,
    message: `the server does not offer in-band registration (XEP-0077): its stream features (${features}) have no <register/>; ${INSTEAD}, or enable registration (Prosody: allow_registration = true; ejabberd: mod_register)`,
  };
}

/** An XEP-0133 add-user the server answered with an error: a Refusal when it means "not as this account" or "not now". */
export function adminRefusal(admin: string, reply: Element): Refusal | undefined {
  const { condition, type, answer } = stanzaAnswer(reply);
  if (THROTTLE.has(condition) || type === "wait") {
    return {
      kind: "registration-throttled",
      answer,
      message: `the server limits how many accounts ${admin} may add and answered add-user (XEP-0133) with ${answer}; lift the limit, or use --accounts file --accounts-file FILE (existing accounts)`,
    };
  }
  if (DISABLED.has(condition)) {
    return {
      kind: "admin-refused",
      answer,
      message: `the server refuses XEP-0133 add-user as ${admin}: it answered ${answer}; make ${admin} a server admin (Prosody: admins = { "${admin}" } with mod_admin_adhoc; ejabberd: acl admin and access_rules configure with mod_configure), or use --accounts ibr (in-band registration) or --accounts file --accounts-file FILE`,
    };
  }
  return undefined;
}

/** A server whose SASL mechanisms (as listed in `offered`) include none the harness speaks. */
export function saslRefusal(offered: string): Refusal {
  return {
    kind: "sasl",
    answer: `SASL mechanisms offered: ${offered}`,
    message: `the server offers no SASL mechanism the harness speaks (it offers: ${offered}); the harness logs in with SCRAM-SHA-256, SCRAM-SHA-1, or PLAIN over TLS, on loopback or with --allow-plain: enable one of them on the server (Prosody: authentication = "internal_hashed"; ejabberd: auth_password_format: scram), or use --tls starttls|direct or --allow-plain for PLAIN`,
  };
}

/** Stream errors a server sends when it limits connections from one address (RFC 6120 §4.9.3). */
/** Stream errors a server ends connections with when it limits them (also read from a raw stream's message). */
const LIMIT_CONDITIONS = new Set(["policy-violation", "resource-constraint", "connection-timeout"]);
const CONNECTION_LIMIT = /stream error (policy-violation|resource-constraint|connection-timeout)\b/;
/** SASL failures of credentials the harness made itself: the server does not let new accounts log in. */
const REFUSED_LOGIN = new Set(["not-authorized", "account-disabled", "credentials-expired", "temporary-auth-failure", "encryption-required"]);
const RESET = /ECONNRESET|EPIPE|closed the connection|the connection closed/;

/**
 * A failure while connecting or logging in, as the session and raw stream word it: the refusals among
 * them (no SASL mechanism the harness speaks, a connection limit, a login refused) or undefined.
 */
export function loginRefusal(err: Error, what: string): Refusal | undefined {
  const m = err.message;
  const mechanisms = /no acceptable SASL mechanism: the server offers ([^;]*);/.exec(m);
  if (mechanisms) return saslRefusal(mechanisms[1]);
  const limit = (err as LoginFailure).stream ?? CONNECTION_LIMIT.exec(m)?.[1];
  if ((limit && LIMIT_CONDITIONS.has(limit)) || RESET.test(m)) {
    const answer = limit && LIMIT_CONDITIONS.has(limit) ? `<${limit}/> stream error` : "the connection was closed or reset";
    return {
      kind: "connection-limit",
      answer,
      message: `the server ended the connection while ${what} (${answer}; ${m}): it seems to limit connections from this address. Lower --concurrency, or raise the server's limits for the harness's address (Prosody: limits and c2s rate limits; ejabberd: shaper, max_fsm_queue, mod_fail2ban)`,
    };
  }
  const sasl = (err as LoginFailure).sasl;
  if (sasl && REFUSED_LOGIN.has(sasl)) {
    return {
      kind: "login-refused",
      answer: sasl,
      message: `an account the harness had just made could not log in (${m}): the server may require a confirmation before new accounts are usable; use --accounts admin|file`,
    };
  }
  return undefined;
}
