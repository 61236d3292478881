import { createHmac } from "node:crypto";
import { parse, type Element } from "ltx";
import type { FaultContext, ProxiedConnection, StreamFault } from "../fault-proxy.ts";
import { both, changed, copyOf, keptOpen, type FaultDef } from "../fault-kit.ts";
import type { Variation } from "../variations.ts";

/**
 * XEP-0388 SASL2 (with XEP-0386, XEP-0484 and XEP-0440 beside it): server bugs the login cases must catch. Every
 * SASL2 element comes before a stream is bound, so these are stream faults, which see every element.
 */
const SASL2 = "urn:xmpp:sasl:2";
const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const STREAM = "http://etherx.jabber.org/streams";

// getName(): the parser names a prefixed element with its prefix (stream:features).
const isFeatures = (el: Element) => el.getName() === "features" && el.getNS() === STREAM;
const isSasl2 = (el: Element, name: string) => el.name === name && el.attrs.xmlns === SASL2;

/** Connections that sent a SASL2 <authenticate/>: their stream errors and close are the ones a fault hides. */
const usedSasl2 = new WeakSet<ProxiedConnection>();
/** Each connection's latest SASL2 <authenticate/>: what the server's answer answers (its mechanism, inline requests). */
const lastAuth = new WeakMap<ProxiedConnection, Element>();
/** Messages clients sent to a bare JID, by that JID: what a server that kept offline messages would deliver. */
const toBare = new Map<string, Element[]>();
const noteSasl2 = (el: Element, ctx: FaultContext) => {
  if (isSasl2(el, "authenticate")) {
    usedSasl2.add(ctx.conn);
    lastAuth.set(ctx.conn, el);
  }
  const to = String(el.attrs.to ?? "");
  if (el.name === "message" && to.includes("@") && !to.includes("/")) toBare.set(to, [...(toBare.get(to) ?? []), el]);
};
/** The <conflict/> stream error a SASL2 session gets when a later one replaces it. */
const replacedConflict = (el: Element, ctx: FaultContext) => usedSasl2.has(ctx.conn) && el.getName() === "error" && el.getNS() === STREAM && Boolean(el.getChild("conflict"));

/** Connections that sent a stanza while their SASL2 exchange was in progress (an <authenticate/>, no <success/> or <failure/> yet). */
const duringSasl2 = new WeakSet<ProxiedConnection>();
const sasl2Ended = new WeakSet<ProxiedConnection>();
const isStanza = (el: Element) => ["message", "presence", "iq"].includes(el.name);
const noteDuring = (el: Element, ctx: FaultContext) => {
  noteSasl2(el, ctx);
  if (usedSasl2.has(ctx.conn) && !sasl2Ended.has(ctx.conn) && isStanza(el)) duringSasl2.add(ctx.conn);
};
/** The server's elements, noting where a SASL2 exchange ended. */
const noteEnd = (el: Element, ctx: FaultContext) => void ((isSasl2(el, "success") || isSasl2(el, "failure")) && sasl2Ended.add(ctx.conn));

/** A replaced session's end: the <conflict/> stream error Prosody and ejabberd send it. */
const conflictError = (el: Element) => el.getName() === "error" && el.getNS() === STREAM && Boolean(el.getChild("conflict"));

const onElement = (edit: (el: Element, ctx: FaultContext) => ReturnType<NonNullable<StreamFault["element"]>>): StreamFault => ({ fromClient: noteSasl2, element: edit });

/** Stream features holding the child `find` picks, changed by `edit` (the child, then the features); others pass. */
const editFeature = (find: (features: Element) => Element | undefined, edit: (feature: Element, features: Element) => void): StreamFault =>
  onElement((el) => (isFeatures(el) && find(el) ? changed(el, (c) => edit(find(c)!, c)) : "pass"));

/** SASL2's <inline/>: the features a login may ask for with its <authenticate/>. */
const inlineOf = (features: Element) => features.getChild("authentication", SASL2)?.getChild("inline");

/** A feature SASL2's <inline/> lists, taken out of it: the server does what it did not advertise. */
const unadvertised = (name: string, ns: string) =>
  editFeature(
    (f) => inlineOf(f)?.getChild(name, ns),
    (_, features) => without(inlineOf(features)!, name, ns),
  );

const SM = "urn:xmpp:sm:3";
const RFC6120_BIND = "urn:ietf:params:xml:ns:xmpp-bind";
const BIND2 = "urn:xmpp:bind:0";
const FAST = "urn:xmpp:fast:0";
const CARBONS = "urn:xmpp:carbons:2";
const CB = "urn:xmpp:sasl-cb:0";
/** What the connection's latest <authenticate/> asked for. */
const asked = (ctx: FaultContext) => lastAuth.get(ctx.conn);
const mechanismOf = (ctx: FaultContext) => String(asked(ctx)?.attrs.mechanism ?? "");
const without = (el: Element, name: string, ns?: string) => {
  el.children = el.children.filter((x) => typeof x === "string" || x.name !== name || (ns !== undefined && x.attrs.xmlns !== ns));
};
/** A SASL2 <success/> as a server that authenticated the stream's account would send it (bare JID). */
const successFor = (ctx: FaultContext) => `<success xmlns='${SASL2}'><authorization-identifier>${fromOf(ctx)}</authorization-identifier></success>`;
/** The account the stream header names in 'from'. */
const fromOf = (ctx: FaultContext) => /from=['"]([^'"]+)['"]/.exec(ctx.conn.clientHeader ?? "")?.[1] ?? "";
/** How many streams whose header named a 'from' got the SASL2 feature, by that 'from': every other one a fault changes. */
const featuresFor = new Map<string, number>();
/** Connections a fault answered with <continue/> instead of <success/>: the features after it are a success's, dropped. */
const continued = new WeakSet<ProxiedConnection>();
/** Accounts a fault gave a new token they did not ask for: their next token login is the one it refuses. */
const rotatedFor = new Set<string>();
/** Accounts (the stream header's 'from') whose token login failed: every password login after it is the one a fault refuses. */
const tokenFailedFor = new Set<string>();
/** Accounts (the stream header's 'from') a FAST token was issued to: their later password logins are the ones a fault answers in RFC 6120's namespace. */
const tokenIssuedFor = new Set<string>();
/** Connections a fault ended with a stream error after a SASL2 <failure/>: what the server sends later is dropped. */
const endedAfterFailure = new WeakSet<ProxiedConnection>();
/** A SASL2 <failure/> (of a login `which` picks) followed by a policy-violation stream error and the close. */
const endsStreamAfterFailure = (which: (ctx: FaultContext) => boolean): StreamFault => ({
  fromClient: noteSasl2,
  element: (el, ctx) => {
    if (endedAfterFailure.has(ctx.conn)) return "drop";
    if (!isSasl2(el, "failure") || !which(ctx)) return "pass";
    endedAfterFailure.add(ctx.conn);
    return [el, `<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>`];
  },
  close: (ctx) => (endedAfterFailure.has(ctx.conn) ? "" : "</stream:stream>"),
});
/** Messages to an account's bare JID sent before a failed SASL2 request with a <bind/>: what a fault clears. */
const cleared: Element[] = [];
const sameMessage = (a: Element, b: Element) => a.attrs.id === b.attrs.id && a.getChildText("body") === b.getChildText("body");

/**
 * A SASL2 <success/> turned into a <continue/> with a <tasks/> naming `tasks` (none: no <tasks/> at all), then a
 * <text/> saying a task is needed; the stream features after it are held back, as after a real <continue/>.
 */
const continuedInstead = (tasks?: readonly string[]) =>
  onElement((el, ctx) => {
    if (isFeatures(el) && continued.has(ctx.conn)) {
      continued.delete(ctx.conn);
      return "drop";
    }
    if (!isSasl2(el, "success")) return "pass";
    continued.add(ctx.conn);
    return changed(el, (c) => {
      c.name = "continue";
      c.children = c.children.filter((x) => typeof x !== "string" && x.name === "additional-data");
      if (tasks) {
        const list = c.c("tasks");
        for (const name of tasks) list.c("task").t(name);
      }
      c.c("text").t("a second factor is required");
    });
  });

/**
 * A Bind 2 session does not get the account's offline messages, and they are kept: the next session that binds the
 * RFC 6120 way gets them when it becomes available. `unbound`: the success also reports no binding (no <bound/>, the
 * bare JID).
 */
function offlineKept(unbound: boolean): StreamFault {
  const kept = new Map<string, Element[]>();
  const bareOf = (jid: string) => jid.split("/")[0];
  return {
    fromClient: (el, ctx) => {
      noteSasl2(el, ctx);
      // Initial presence of a session that did not bind with Bind 2: what RFC 6121 §8 delivers stored messages on.
      const jid = ctx.conn.jid;
      const stored = jid && !usedSasl2.has(ctx.conn) && el.name === "presence" && !el.attrs.to && !el.attrs.type ? kept.get(bareOf(jid)) : undefined;
      if (!jid || !stored?.length) return;
      kept.delete(bareOf(jid));
      for (const m of stored) ctx.conn.deliver(changed(m, (c) => (c.attrs.to = jid))[0] as Element);
    },
    element: (el) => {
      const bound = isSasl2(el, "success") && el.getChild("bound", BIND2) ? el.getChildText("authorization-identifier") : null;
      if (!bound) return "pass";
      kept.set(bareOf(bound), toBare.get(bareOf(bound)) ?? []);
      if (!unbound) return "pass";
      return changed(el, (c) => {
        without(c, "bound", BIND2);
        const id = c.getChild("authorization-identifier");
        if (id) id.children = [bareOf(id.getText())];
      });
    },
  };
}

/** A SASL2 <success/>'s additional data with a line break after every 20 base64 characters, where it is longer. */
function wrappedAdditionalData(el: Element): string | undefined {
  const data = isSasl2(el, "success") ? el.getChild("additional-data") : undefined;
  return data && data.text().length > 20 ? data.text().replace(/(.{20})(?=.)/g, "$1\n") : undefined;
}

export const FAULTS: FaultDef[] = [
  {
    id: "login.sasl2.before-tls",
    area: "login",
    requirements: ["SASLTWO-SEC-01", "FAST-SEC-01"],
    description: "SASL2 (with FAST inline) is offered in the features before STARTTLS",
    stream: onElement((el) =>
      isFeatures(el) && el.getChild("starttls") && !el.getChild("authentication", SASL2)
        ? changed(el, (c) => {
            c.c("authentication", { xmlns: SASL2 }).c("mechanism").t("PLAIN").up().c("inline").c("fast", { xmlns: "urn:xmpp:fast:0" }).c("mechanism").t("HT-SHA-256-NONE");
          })
        : "pass",
    ),
  },
  {
    // Eighteenth audit: sasl2-not-before-tls judged FAST-SEC-01 on the <authentication/> check of SASLTWO-SEC-01, so
    // SASL2 offered before TLS without FAST failed the FAST rule too (it has a check of its own now: no <fast/> there).
    id: "login.sasl2.before-tls-without-fast",
    area: "login",
    requirements: ["SASLTWO-SEC-01"],
    description: "SASL2 is offered in the features before STARTTLS, without FAST (no <inline/>)",
    stream: onElement((el) =>
      isFeatures(el) && el.getChild("starttls") && !el.getChild("authentication", SASL2)
        ? changed(el, (c) => {
            c.c("authentication", { xmlns: SASL2 }).c("mechanism").t("SCRAM-SHA-1");
          })
        : "pass",
    ),
  },
  {
    id: "login.sasl2.no-mechanism",
    area: "login",
    requirements: ["SASLTWO-FEATURE-04"],
    description: "the SASL2 feature lists no mechanism",
    stream: editFeature(
      (f) => f.getChild("authentication", SASL2),
      (a) => without(a, "mechanism"),
    ),
  },
  {
    id: "login.sasl2.no-channel-binding-types",
    area: "login",
    requirements: ["SASLTWO-FEATURE-05"],
    description: "a server that offers SCRAM-SHA-1-PLUS announces no channel-binding types",
    stream: editFeature(
      (f) => f.getChild("sasl-channel-binding", CB),
      (_, features) => without(features, "sasl-channel-binding"),
    ),
  },
  {
    // Forty-eighth audit: sasl2-channel-binding-announced took a server as supporting channel binding only where
    // SASL2 listed a -PLUS mechanism, so one offering it in RFC 6120's <mechanisms/> (or in FAST, the next fault)
    // without <sasl-channel-binding/> was skipped: skip -> fail.
    id: "login.sasl2.plus-only-in-sasl1",
    area: "login",
    requirements: ["SASLTWO-FEATURE-05"],
    description: "SASL2 lists no -PLUS mechanism, RFC 6120's <mechanisms/> lists SCRAM-SHA-1-PLUS, and no <sasl-channel-binding/> is announced",
    stream: editFeature(
      (f) => f.getChild("authentication", SASL2),
      (a, features) => {
        a.children = a.children.filter((x) => typeof x === "string" || x.name !== "mechanism" || !x.getText().trim().endsWith("-PLUS"));
        without(features, "sasl-channel-binding", CB);
        const sasl = features.getChild("mechanisms", SASL) ?? features.c("mechanisms", { xmlns: SASL });
        if (!sasl.getChildren("mechanism").some((m) => m.getText().trim().endsWith("-PLUS"))) sasl.c("mechanism").t("SCRAM-SHA-1-PLUS");
      },
    ),
  },
  {
    // Forty-eighth audit: sasl2-channel-binding-announced (see login.sasl2.plus-only-in-sasl1): skip -> fail.
    id: "login.sasl2.cb-only-in-fast",
    area: "login",
    requirements: ["SASLTWO-FEATURE-05"],
    description: "no -PLUS mechanism in SASL2 or RFC 6120's <mechanisms/>, FAST (in SASL2's <inline/>) lists HT-SHA-256-EXPR, and no <sasl-channel-binding/> is announced",
    stream: editFeature(
      (f) => f.getChild("authentication", SASL2),
      (a, features) => {
        const noPlus = (el: Element) => {
          el.children = el.children.filter((x) => typeof x === "string" || x.name !== "mechanism" || !x.getText().trim().endsWith("-PLUS"));
        };
        noPlus(a);
        const sasl = features.getChild("mechanisms", SASL);
        if (sasl) noPlus(sasl);
        without(features, "sasl-channel-binding", CB);
        const inline = a.getChild("inline") ?? a.c("inline");
        const fast = inline.getChild("fast", FAST) ?? inline.c("fast", { xmlns: FAST });
        if (!fast.getChildren("mechanism").some((m) => m.getText().trim() === "HT-SHA-256-EXPR")) fast.c("mechanism").t("HT-SHA-256-EXPR");
      },
    ),
  },
  {
    id: "login.sasl2.success-refused",
    area: "login",
    requirements: ["SASLTWO-FEATURE-01"],
    description: "an offered mechanism with the right credentials gets a SASL2 <failure/>",
    stream: onElement((el) => (isSasl2(el, "success") ? [`<failure xmlns='${SASL2}'><not-authorized xmlns='${SASL}'/></failure>`] : "pass")),
  },
  {
    // Twenty-ninth audit: sasl2-scram-success logged in with the strongest SCRAM SASL2 lists and only that one, so a
    // server that lists SCRAM-SHA-256 and SCRAM-SHA-1 but keeps only SCRAM-SHA-256 credentials (SCRAM-SHA-1 refused
    // for the account) passed SASLTWO-FEATURE-01 (the auditor's server; no local server lists SCRAM-SHA-256 in SASL2).
    // Here the SASL2 list gains SCRAM-SHA-256, whose login (refused by the real server: not offered) becomes a
    // <success/> with the features after it, and a SCRAM-SHA-1 <success/> becomes a <failure/>. The case is a matrix
    // over the two mechanisms now: pass -> the SCRAM-SHA-1 cell fails FEATURE-01 (the SCRAM-SHA-256 cell passes).
    id: "login.sasl2.scram-sha-1-refused-beside-sha-256",
    area: "login",
    requirements: ["SASLTWO-FEATURE-01"],
    description: "SASL2 lists SCRAM-SHA-256 and SCRAM-SHA-1, and SCRAM-SHA-256 succeeds, but SCRAM-SHA-1 with the right credentials gets a <failure/> (the account has only SCRAM-SHA-256 credentials)",
    stream: onElement((el, ctx) => {
      const list = isFeatures(el) ? el.getChild("authentication", SASL2) : undefined;
      if (list && !list.getChildren("mechanism").some((m) => m.text() === "SCRAM-SHA-256")) return changed(el, (c) => void c.getChild("authentication", SASL2)!.c("mechanism").t("SCRAM-SHA-256"));
      if (isSasl2(el, "failure") && mechanismOf(ctx) === "SCRAM-SHA-256") return [successFor(ctx), `<stream:features xmlns:stream='${STREAM}'><bind xmlns='${RFC6120_BIND}'/></stream:features>`];
      if (isSasl2(el, "success") && mechanismOf(ctx) === "SCRAM-SHA-1") return [`<failure xmlns='${SASL2}'><not-authorized xmlns='${SASL}'/></failure>`];
      return "pass";
    }),
  },
  {
    // Review pass: `receives features` took the features the login began with, so SASLTWO-SUCCESS-05 could not fail.
    id: "login.sasl2.no-features-after-success",
    area: "login",
    requirements: ["SASLTWO-SUCCESS-05"],
    description: "a SASL2 <success/> is followed by no stream features (as if the client had to restart the stream)",
    stream: (() => {
      const succeeded = new WeakSet<ProxiedConnection>();
      return onElement((el, ctx) => {
        if (isSasl2(el, "success")) succeeded.add(ctx.conn);
        else if (isFeatures(el) && succeeded.has(ctx.conn)) return "drop";
        return "pass";
      });
    })(),
  },
  {
    // Sixteenth audit: sasl2-plain-success and sasl2-scram-success judged the identifier's presence and its form on
    // one pattern, so a full JID failed SASLTWO-SUCCESS-01 too.
    id: "login.sasl2.identifier-full-jid",
    area: "login",
    requirements: ["SASLTWO-SUCCESS-02"],
    description: "the <authorization-identifier/> of a SASL2 <success/> that bound no resource is a full JID (the account's, with a resource)",
    stream: onElement((el, ctx) => {
      const id = isSasl2(el, "success") && !asked(ctx)?.getChild("bind", BIND2) ? el.getChildText("authorization-identifier") : null;
      if (!id || id.includes("/")) return "pass";
      return changed(el, (c) => {
        c.getChild("authorization-identifier")!.children = [`${id}/xc-not-bound`];
      });
    }),
  },
  {
    // Forty-seventh audit: sasl2-from-not-trusted credited SASLTWO-SEC-02 on its <success/> when no identifier named
    // Romeo, which a <success/> with no identifier at all satisfies, though nothing then shows who the stream is (the
    // server here may have taken the header's 'from'; its refused bind, RFC 6120 §7.6.2, shows nothing either). The
    // identifier-less <success/> is an alternative of its own now, crediting only SUCCESS-01's breach: SEC-02 pass ->
    // not-reached, warn SASLTWO-SUCCESS-01 both ways (Prosody 13).
    id: "login.sasl2.foreign-from-identity-hidden",
    area: "login",
    requirements: ["SASLTWO-SUCCESS-01"],
    description:
      "on a stream whose header names in 'from' another account than the credentials', the SASL2 <success/> holds no <authorization-identifier/> and an RFC 6120 resource binding is refused (<not-allowed/>)",
    stream: (() => {
      const hidden = new WeakSet<ProxiedConnection>();
      return onElement((el, ctx) => {
        const id = isSasl2(el, "success") ? el.getChildText("authorization-identifier") : null;
        const from = fromOf(ctx).toLowerCase();
        if (id && from && id.split("/")[0].toLowerCase() !== from) {
          hidden.add(ctx.conn);
          return changed(el, (c) => without(c, "authorization-identifier"));
        }
        if (hidden.has(ctx.conn) && el.name === "iq" && el.attrs.type === "result" && el.getChild("bind", RFC6120_BIND))
          return [`<iq type='error' id='${String(el.attrs.id ?? "")}'><error type='cancel'><not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`];
        return "pass";
      });
    })(),
  },
  {
    id: "login.sasl2.failure-accepted",
    area: "login",
    requirements: ["SASLTWO-AUTH-01", "SASLTWO-AUTH-02", "SASLTWO-AUTHZ-01"],
    description: "a SASL2 <authenticate/> that must fail (a mechanism not offered, an authorization identity not the stream's) gets <success/>",
    stream: onElement((el) => (isSasl2(el, "failure") ? [`<success xmlns='${SASL2}'><authorization-identifier>someone@elsewhere.example</authorization-identifier></success>`] : "pass")),
  },
  // Thirty-seventh audit: fast-no-token-on-failure took a <continue/> to its wrong-password login for no answer and
  // failed FAST-TOKEN-02 and SASLTWO-FAIL-02, though it holds no token and processed no inline feature; the breach is
  // sasl2-wrong-password's (SASLTWO-FAIL-01). It now credits nothing (continued): fail -> skip.
  {
    id: "login.sasl2.failure-continued",
    area: "login",
    requirements: ["SASLTWO-FAIL-01"],
    description: "a SASL2 password login that fails is answered with <continue/> asking for a second factor (XEP-0388 Example 11's <tasks/>) instead of <failure/>",
    stream: onElement((el, ctx) =>
      isSasl2(el, "failure") && !mechanismOf(ctx).startsWith("HT-")
        ? [`<continue xmlns='${SASL2}'><additional-data>SSdtIGJvcmVkIG5vdy4=</additional-data><tasks><task>TOTP</task></tasks></continue>`]
        : "pass",
    ),
  },
  // Thirty-seventh audit: fast-no-token-on-failure took RFC 6120's <success/> to its wrong-password login as an
  // answer crediting nothing whatever it held, so a FAST token in it was a skip; a token there fails FAST-TOKEN-02.
  {
    id: "login.sasl2.failure-legacy-success-token",
    area: "login",
    requirements: ["FAST-TOKEN-02", "SASLTWO-FAIL-02"],
    description: "a failed SASL2 login that requested a FAST token is answered with RFC 6120's <success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/> holding a <token/>",
    stream: onElement((el, ctx) =>
      isSasl2(el, "failure") && asked(ctx)?.getChild("request-token", FAST) ? [`<success xmlns='${SASL}'><token xmlns='${FAST}' token='leaked' expiry='2099-01-01T00:00:00Z'/></success>`] : "pass",
    ),
  },
  {
    id: "login.sasl2.failure-without-condition",
    area: "login",
    requirements: ["SASLTWO-FAIL-01"],
    description: "a SASL2 <failure/> holds no RFC 6120 SASL condition",
    stream: onElement((el) =>
      isSasl2(el, "failure")
        ? changed(el, (c) => {
            c.children = c.children.filter((x) => typeof x === "string" || x.attrs.xmlns !== SASL);
          })
        : "pass",
    ),
  },
  {
    id: "login.sasl2.identity-from-header",
    area: "login",
    requirements: ["SASLTWO-SEC-02"],
    description: "a SASL2 login is taken as the account the stream header names in 'from', whatever the credentials",
    stream: onElement((el, ctx) => ((isSasl2(el, "success") || isSasl2(el, "failure")) && /from=/.test(ctx.conn.clientHeader ?? "") ? [successFor(ctx)] : "pass")),
  },
  {
    // Fifteenth audit: the <success/> names the credentials' account, but the session is the header's: a case that
    // read the identity from the <success/> alone let it through.
    id: "login.sasl2.binds-from-header",
    area: "login",
    requirements: ["SASLTWO-SEC-02"],
    description: "after a SASL2 login on a stream whose header names another account in 'from', resource binding binds the session to the account 'from' names",
    stream: onElement((el, ctx) => {
      const from = fromOf(ctx);
      const jid = el.name === "iq" && el.attrs.type === "result" && usedSasl2.has(ctx.conn) ? el.getChild("bind", RFC6120_BIND)?.getChildText("jid") : undefined;
      if (!from || !jid || jid.split("/")[0] === from) return "pass";
      return changed(el, (c) => {
        const j = c.getChild("bind", RFC6120_BIND)!.getChild("jid")!;
        j.children = [`${from}/${jid.split("/").slice(1).join("/")}`];
      });
    }),
  },
  {
    // Twenty-first audit: no longer cited for SASLTWO-DURING-01. Through the proxy the client sees the server's TCP
    // close, with no stream error and no closing tag: a disconnection, which is all XEP-0388 §2.4 asks ("Servers
    // MUST disconnect Clients immediately"); sasl2-other-traffic now passes it. §4.8's stream error it still breaks.
    id: "login.sasl2.stream-never-ended",
    area: "login",
    requirements: ["SASLTWO-MULTI-01"],
    description: "a SASL2 stream the server must end with a stream error (a second <authenticate/>) gets no stream error and no closing tag",
    stream: {
      fromClient: noteSasl2,
      element: (el, ctx) => (usedSasl2.has(ctx.conn) && el.getName() === "error" && el.getNS() === STREAM ? "drop" : "pass"),
      close: (ctx) => (usedSasl2.has(ctx.conn) ? "" : `</stream:stream>`),
    },
  },
  {
    id: "login.sasl2.feature-unstable",
    area: "login",
    requirements: ["SASLTWO-FEATURE-03"],
    description: "streams whose headers name the same 'from' (same 'to', same encryption) get the SASL2 feature with and without its last mechanism, in turn",
    stream: onElement((el, ctx) => {
      const from = fromOf(ctx);
      const mechanisms = isFeatures(el) ? (el.getChild("authentication", SASL2)?.getChildren("mechanism") ?? []) : [];
      if (!from || mechanisms.length < 2) return "pass";
      const n = (featuresFor.get(from) ?? 0) + 1;
      featuresFor.set(from, n);
      if (n % 2 === 1) return "pass";
      return changed(el, (c) => {
        const auth = c.getChild("authentication", SASL2)!;
        const last = auth.getChildren("mechanism").at(-1);
        auth.children = auth.children.filter((x) => x !== last);
      });
    }),
  },
  {
    id: "login.sasl2.continue-without-tasks",
    area: "login",
    requirements: ["SASLTWO-TASK-01"],
    description: "a SASL2 login is answered with a <continue/> that holds no <tasks/> (only a <text/> saying a task is needed)",
    stream: continuedInstead(),
  },
  {
    // Fifty-second audit (2026-11-28): sasl2-continue-has-tasks: its `continue` alternative's <tasks/> matched an empty
    // <tasks/> (children match as a subset), crediting SASLTWO-TASK-01 to a <continue/> that names no task, while
    // XEP-0388 §2.6.3's <tasks> "contains a sequence of <task> elements, each containing a name".
    id: "login.sasl2.continue-empty-tasks",
    area: "login",
    requirements: ["SASLTWO-TASK-01"],
    description: "a SASL2 login is answered with a <continue/> whose <tasks/> is empty (no <task/>), then a <text/> saying a task is needed",
    stream: continuedInstead([]),
  },
  {
    id: "login.sasl2.mechanisms-fixed-order",
    area: "login",
    requirements: ["SASLTWO-SEC-03"],
    description: "on a stream whose header has no 'from', SASL2 lists its mechanisms in one fixed (sorted) order (offered so where the server offers SASL2 only by 'from')",
    stream: onElement((el, ctx) => {
      if (!isFeatures(el) || fromOf(ctx)) return "pass";
      const listed = el.getChild("authentication", SASL2) ?? el.getChild("mechanisms", SASL);
      const names = (listed?.getChildren("mechanism") ?? []).map((m) => m.getText().trim()).sort();
      if (names.length === 0) return "pass";
      return changed(el, (c) => {
        const auth = c.getChild("authentication", SASL2) ?? c.c("authentication", { xmlns: SASL2 });
        without(auth, "mechanism");
        const rest = auth.children;
        auth.children = [];
        for (const n of names) auth.c("mechanism").t(n);
        auth.children.push(...rest);
      });
    }),
  },
  {
    // Seventy-second audit (round 72): sasl2-mechanisms-randomized took any stream whose <mechanism/> sequence differed
    // from the first's for another order, so a list that only changes its set (one fixed order, a mechanism added
    // on some streams) passed SASLTWO-SEC-03 ("RECOMMENDED to randomize the list of provided SASL mechanisms"). Now a
    // sample counts only with the first's set in another order: none/none: pass -> warn.
    id: "login.sasl2.fixed-order-set-varies",
    area: "login",
    requirements: ["SASLTWO-SEC-03"],
    description:
      "on a stream whose header has no 'from', SASL2 lists its mechanisms in one fixed (sorted) order, but every second such list has one more at its end, X-PER-STREAM (a set that varies, never reordered; offered so where the server offers SASL2 only by 'from')",
    stream: (() => {
      let n = 0;
      return onElement((el, ctx) => {
        if (!isFeatures(el) || fromOf(ctx)) return "pass";
        const listed = el.getChild("authentication", SASL2) ?? el.getChild("mechanisms", SASL);
        const names = (listed?.getChildren("mechanism") ?? []).map((m) => m.getText().trim()).sort();
        if (names.length === 0) return "pass";
        n++;
        const keep = n % 2 === 0 ? [...names, "X-PER-STREAM"] : names;
        return changed(el, (c) => {
          const auth = c.getChild("authentication", SASL2) ?? c.c("authentication", { xmlns: SASL2 });
          without(auth, "mechanism");
          const rest = auth.children;
          auth.children = [];
          for (const k of keep) auth.c("mechanism").t(k);
          auth.children.push(...rest);
        });
      });
    })(),
  },
  // XEP-0386 (Bind 2) and its inline resumption (XEP-0198 §9.2).
  {
    id: "login.bind2.without-sasl2",
    area: "login",
    requirements: ["BINDTWO-FEATURE-03"],
    description: "Bind 2 is advertised in the features before STARTTLS, where SASL2 is not",
    stream: onElement((el) =>
      isFeatures(el) && el.getChild("starttls") && !el.getChild("bind", BIND2)
        ? changed(el, (c) => {
            c.c("bind", { xmlns: BIND2 });
          })
        : "pass",
    ),
  },
  {
    // Twenty-first audit: bind2-not-without-sasl2 needed Bind 2 inside SASL2's <inline/> (and STARTTLS), so the
    // server the rule names, one without SASL2 that advertises Bind 2, was skipped; it is now judged on every server.
    id: "login.bind2.no-sasl2-at-all",
    area: "login",
    requirements: ["BINDTWO-FEATURE-03"],
    description: "no stream offers SASL2, and every features before authentication hold a <bind xmlns='urn:xmpp:bind:0'/> of their own",
    stream: onElement((el) =>
      isFeatures(el) && (el.getChild("starttls") || el.getChild("mechanisms", SASL) || el.getChild("authentication", SASL2))
        ? changed(el, (c) => {
            without(c, "authentication", SASL2);
            if (!c.getChild("bind", BIND2)) c.c("bind", { xmlns: BIND2 });
          })
        : "pass",
    ),
  },
  {
    // Forty-eighth audit: bind2-not-without-sasl2 read only the features before authentication, so a server with no
    // SASL2 that advertises Bind 2 beside RFC 6120's resource binding (after SASL and the restart) passed; its c2
    // stream now authenticates without SASL2 and reads the features after the restart: pass -> fail.
    id: "login.bind2.after-legacy-auth",
    area: "login",
    requirements: ["BINDTWO-FEATURE-03"],
    description: "no stream offers SASL2, and the features that offer RFC 6120 resource binding (after SASL and the restart) hold a <bind xmlns='urn:xmpp:bind:0'/>",
    stream: onElement((el) =>
      isFeatures(el) && (el.getChild("authentication", SASL2) || (el.getChild("bind", RFC6120_BIND) && !el.getChild("bind", BIND2)))
        ? changed(el, (c) => {
            without(c, "authentication", SASL2);
            if (c.getChild("bind", RFC6120_BIND)) c.c("bind", { xmlns: BIND2 });
          })
        : "pass",
    ),
  },
  {
    // Twenty-first audit: bind2-not-without-sasl2 failed BINDTWO-FEATURE-03 on features that offer SASL2 (with Bind 2
    // inline) and a Bind 2 of their own, a stream with SASL2 support the rule does not bind; SASL2 before TLS is
    // XEP-0388 §3's rule alone (sasl2-not-before-tls fails it), and bind2-not-without-sasl2 now passes (not reached).
    id: "login.sasl2.before-tls-bind2-beside",
    area: "login",
    requirements: ["SASLTWO-SEC-01"],
    description: "the features before STARTTLS offer SASL2 (PLAIN, with Bind 2 inline) and a <bind xmlns='urn:xmpp:bind:0'/> of their own",
    stream: onElement((el) =>
      isFeatures(el) && el.getChild("starttls") && !el.getChild("authentication", SASL2)
        ? changed(el, (c) => {
            c.c("authentication", { xmlns: SASL2 }).c("mechanism").t("PLAIN").up().c("inline").c("bind", { xmlns: BIND2 });
            c.c("bind", { xmlns: BIND2 });
          })
        : "pass",
    ),
  },
  {
    id: "login.bind2.unadvertised-but-bound",
    area: "login",
    requirements: ["BINDTWO-FEATURE-01"],
    description: "the server binds a SASL2 login's Bind 2 request but does not advertise Bind 2 in SASL2's <inline/>",
    stream: unadvertised("bind", BIND2),
  },
  {
    id: "login.bind2.unadvertised-bound-by-jid",
    area: "login",
    requirements: ["BINDTWO-FEATURE-01"],
    description: "the server binds a SASL2 login's Bind 2 request, saying so only with the full JID (no <bound/>), and does not advertise Bind 2 in SASL2's <inline/>",
    stream: onElement((el) => {
      const inline = isFeatures(el) ? el.getChild("authentication", SASL2)?.getChild("inline") : undefined;
      if (inline?.getChild("bind", BIND2)) return changed(el, (c) => without(c.getChild("authentication", SASL2)!.getChild("inline")!, "bind", BIND2));
      return isSasl2(el, "success") && el.getChild("bound", BIND2) ? changed(el, (c) => without(c, "bound", BIND2)) : "pass";
    }),
  },
  {
    id: "login.bind2.inline-feature-unlisted",
    area: "login",
    requirements: ["BINDTWO-FEATURE-02"],
    description: "Bind 2 enables Stream Management and Carbons inline, but its <inline/> lists neither",
    stream: editFeature(
      (f) => inlineOf(f)?.getChild("bind", BIND2)?.getChild("inline"),
      (inline) => {
        inline.children = inline.children.filter((x) => typeof x === "string" || (x.attrs.var !== SM && x.attrs.var !== CARBONS));
      },
    ),
  },
  {
    // Class sweep (2026-11-26, group X4): bind2-inline-feature-listed's carbons cell had the barrier after c1's initial
    // presence as `receives nothing: <iq/>` in set-up (the shape round 33 fixed in bind2-carbons-inline), so a server
    // that also pings its Bind 2 client when it sends its presence (login.var.bind2-server-pings-client) had the
    // precondition missed and the unlisted feature went unjudged. The barrier now looks for an IQ no server sends:
    // carbons skip -> fail.
    id: "login.bind2.inline-feature-unlisted-pinged",
    area: "login",
    requirements: ["BINDTWO-FEATURE-02"],
    description: "Bind 2 enables Carbons inline but its <inline/> does not list it, and the server pings the client (XEP-0199) when the client sends its initial presence",
    stream: both(
      editFeature(
        (f) => inlineOf(f)?.getChild("bind", BIND2)?.getChild("inline"),
        (inline) => {
          inline.children = inline.children.filter((x) => typeof x === "string" || (x.attrs.var !== SM && x.attrs.var !== CARBONS));
        },
      ),
      {
        fromClient: (el, ctx) => {
          noteSasl2(el, ctx);
          if (el.name !== "presence" || el.attrs.type || el.attrs.to || !asked(ctx)?.getChild("bind", BIND2)) return;
          const to = ctx.conn.jid ? ` to='${ctx.conn.jid}'` : "";
          ctx.conn.deliver(parse(`<iq type='get' id='s2c1'${to}><ping xmlns='urn:xmpp:ping'/></iq>`) as Element);
        },
      },
    ),
  },
  {
    // Twenty-fifth audit: bind2-inline-feature-listed's sm cell credited BINDTWO-FEATURE-02 on any success without
    // <bound/> (alternative not-bound), also one carrying SM's <enabled/> outside it, and its carbons cell took a
    // session only from <bound/>, where XEP-0388 §2.6.1 makes a full JID the sign of a binding. With Bind 2's
    // <inline/> listing neither feature, a success whose <bound/> is dropped and its <enabled/> moved into the
    // <success/> (the full JID kept): sm pass -> fail, carbons skip (no-session) -> fail (the copy is seen).
    id: "login.bind2.inline-feature-unlisted-unbound",
    area: "login",
    requirements: ["BINDTWO-FEATURE-02"],
    description:
      "Bind 2 enables Stream Management and Carbons inline, its <inline/> lists neither, and the success has no <bound/>: the full JID says the binding, SM's <enabled/> sits in the <success/> itself",
    stream: both(
      editFeature(
        (f) => inlineOf(f)?.getChild("bind", BIND2)?.getChild("inline"),
        (inline) => {
          inline.children = inline.children.filter((x) => typeof x === "string" || (x.attrs.var !== SM && x.attrs.var !== CARBONS));
        },
      ),
      onElement((el) =>
        isSasl2(el, "success") && el.getChild("bound", BIND2)
          ? changed(el, (c) => {
              const enabled = c.getChild("bound", BIND2)!.getChild("enabled", SM);
              without(c, "bound", BIND2);
              if (enabled) c.children.push(enabled);
            })
          : "pass",
      ),
    ),
  },
  {
    id: "login.bind2.not-bound",
    area: "login",
    requirements: ["BINDTWO-SUCCESS-01", "BINDTWO-BIND-01"],
    description: "a SASL2 success after a Bind 2 request has no <bound/> and the bare JID",
    stream: onElement((el) =>
      isSasl2(el, "success") && el.getChild("bound", BIND2)
        ? changed(el, (c) => {
            without(c, "bound", BIND2);
            const id = c.getChild("authorization-identifier");
            if (id) id.children = [id.getText().split("/")[0]];
          })
        : "pass",
    ),
  },
  {
    id: "login.bind2.reports-unbound-jid",
    area: "login",
    requirements: ["BINDTWO-BIND-01"],
    description: "a SASL2 success after a Bind 2 request has <bound/> and a full JID, but not the resource the session is bound to",
    stream: onElement((el) =>
      isSasl2(el, "success") && el.getChild("bound", BIND2) && el.getChildText("authorization-identifier")?.includes("/")
        ? changed(el, (c) => {
            const id = c.getChild("authorization-identifier")!;
            id.children = [`${id.getText()}-unbound`];
          })
        : "pass",
    ),
  },
  {
    id: "login.bind2.failure-clears-offline",
    area: "login",
    requirements: ["BINDTWO-BIND-02"],
    description: "a failed SASL2 request's Bind 2 is processed as far as clearing the account's offline messages (its <failure/> is right): a later session never gets them",
    stream: onElement((el, ctx) => {
      if (isSasl2(el, "failure") && asked(ctx)?.getChild("bind", BIND2)) cleared.push(...(toBare.get(fromOf(ctx).split("/")[0]) ?? []));
      return el.name === "message" && cleared.some((m) => sameMessage(m, el)) ? "drop" : "pass";
    }),
  },
  {
    id: "login.bind2.user-agent-in-resource",
    area: "login",
    requirements: ["BINDTWO-RES-05", "SASLTWO-UA-01"],
    description: "the resource Bind 2 generates holds the <user-agent/>'s id, software and device",
    stream: onElement((el, ctx) => {
      const ua = asked(ctx)?.getChild("user-agent");
      if (!isSasl2(el, "success") || !el.getChild("bound", BIND2) || !ua) return "pass";
      return changed(el, (c) => {
        const id = c.getChild("authorization-identifier")!;
        id.children = [`${id.getText().split("/")[0]}/${[ua.attrs.id, ua.getChildText("software"), ua.getChildText("device")].filter(Boolean).join(".")}`];
      });
    }),
  },
  {
    // Twenty-fourth audit: bind2-resource-hides-user-agent looked for its UUID (which had letters) and its software and
    // device words in one letter case only, so an id exposed upper-cased or without its hyphens, or the words lower-
    // cased, passed (adhoc ua-id-upper, ua-id-nohyphen, ua-sw-lower). The id is now digits only, looked for with or
    // without hyphens, the words in any case. This one: the id, upper-cased and without hyphens (pass -> fail BINDTWO-RES-05).
    id: "login.bind2.user-agent-id-in-resource-unhyphenated",
    area: "login",
    requirements: ["BINDTWO-RES-05"],
    description: "the resource Bind 2 generates holds the <user-agent/>'s id, upper-cased and without its hyphens",
    stream: onElement((el, ctx) => {
      const ua = asked(ctx)?.getChild("user-agent");
      if (!isSasl2(el, "success") || !el.getChild("bound", BIND2) || !ua?.attrs.id) return "pass";
      return changed(el, (c) => {
        const id = c.getChild("authorization-identifier")!;
        id.children = [`${id.getText().split("/")[0]}/conform.${String(ua.attrs.id).replace(/-/g, "").toUpperCase()}`];
      });
    }),
  },
  {
    // Twenty-fourth audit: the same case's other half (see above): the software and device, lower-cased (pass -> fail SASLTWO-UA-01).
    id: "login.bind2.user-agent-details-in-resource-lowercased",
    area: "login",
    requirements: ["SASLTWO-UA-01"],
    description: "the resource Bind 2 generates holds the <user-agent/>'s software and device, lower-cased",
    stream: onElement((el, ctx) => {
      const ua = asked(ctx)?.getChild("user-agent");
      const details = [ua?.getChildText("software"), ua?.getChildText("device")].filter(Boolean).join(".").toLowerCase();
      if (!isSasl2(el, "success") || !el.getChild("bound", BIND2) || !details) return "pass";
      return changed(el, (c) => {
        const id = c.getChild("authorization-identifier")!;
        id.children = [`${id.getText().split("/")[0]}/conform.${details}`];
      });
    }),
  },
  {
    id: "login.sasl2.failure-processes-inline",
    area: "login",
    requirements: ["BINDTWO-BIND-02", "SASLTWO-FAIL-02", "FAST-TOKEN-02"],
    description: "a failed SASL2 request's Bind 2 and token request are processed: its <failure/> holds <bound/> and a <token/>",
    stream: onElement((el) =>
      isSasl2(el, "failure")
        ? changed(el, (c) => {
            c.c("bound", { xmlns: BIND2 }).up().c("token", { xmlns: FAST, token: "leaked", expiry: "2099-01-01T00:00:00Z" });
          })
        : "pass",
    ),
  },
  {
    id: "login.bind2.sm-not-enabled",
    area: "login",
    requirements: ["BINDTWO-SM-01", "BINDTWO-OTHER-01"],
    description: "the <bound/> of a Bind 2 request that enabled Stream Management has no <enabled/>",
    stream: onElement((el) => (isSasl2(el, "success") && el.getChild("bound", BIND2)?.getChild("enabled", SM) ? changed(el, (c) => without(c.getChild("bound", BIND2)!, "enabled", SM)) : "pass")),
  },
  {
    id: "login.bind2.carbons-not-enabled",
    area: "login",
    requirements: ["BINDTWO-CARBONS-01"],
    description: "a session that enabled Carbons in its Bind 2 request gets no carbon copies",
    stream: onElement((el, ctx) => (el.name === "message" && el.getChild("received", CARBONS) && asked(ctx)?.getChild("bind", BIND2)?.getChild("enable", CARBONS) ? "drop" : "pass")),
  },
  {
    // Fifty-second audit (2026-11-28): bind2-carbons-inline's set-up login took any SASL2 <success/>, so a server that
    // reported no binding (no <bound/>, the bare JID) and so delivered nothing to that connection failed
    // BINDTWO-ENABLE-01 and BINDTWO-CARBONS-01, rows about a bound session, where its breach is BINDTWO-BIND-01's.
    id: "login.bind2.not-bound-uncopied",
    area: "login",
    requirements: ["BINDTWO-SUCCESS-01", "BINDTWO-BIND-01"],
    description: "a SASL2 success after a Bind 2 request has no <bound/> and the bare JID, and that connection gets no carbon copies",
    stream: onElement((el, ctx) => {
      if (el.name === "message" && el.getChild("received", CARBONS) && asked(ctx)?.getChild("bind", BIND2)?.getChild("enable", CARBONS)) return "drop";
      return isSasl2(el, "success") && el.getChild("bound", BIND2)
        ? changed(el, (c) => {
            without(c, "bound", BIND2);
            const id = c.getChild("authorization-identifier");
            if (id) id.children = [id.getText().split("/")[0]];
          })
        : "pass";
    }),
  },
  {
    // Thirty-third audit: bind2-carbons-inline took a missing copy of a chat message for Carbons not enabled inline, at
    // MUST, while which messages are copied is XEP-0280 §6's rule set, which a server "SHOULD use". A server that
    // copies no chat message to any resource (raw or not) failed BINDTWO-CARBONS-01; the case now has a resource that
    // enabled Carbons by IQ as its control: fail -> warn (CARBONS-ELIG-CHAT; the Bind 2 rows not reached).
    id: "login.bind2.chat-never-copied",
    area: "login",
    requirements: ["CARBONS-ELIG-CHAT"],
    description: "messages of type chat are copied to no Carbons-enabled resource, whether it enabled Carbons inline or by IQ",
    stream: onElement((el) =>
      el.name === "message" && (el.getChild("received", CARBONS) ?? el.getChild("sent", CARBONS))?.getChild("forwarded", "urn:xmpp:forward:0")?.getChild("message")?.attrs.type === "chat"
        ? "drop"
        : "pass",
    ),
  },
  {
    // Class sweep 3 (2026-11-27, group S5): bind2-carbons-inline took the copy at the inline-enabled session only in
    // XEP-0280 §7's whole form (<forwarded/> holding the original with its 'to'), so a server that enabled Carbons
    // inline but wraps its copies wrongly failed BINDTWO-ENABLE-01 and BINDTWO-CARBONS-01; the copy now proves
    // those by its <received/>, and the form is CARBONS-RECV-WRAP's (an also:): the Bind 2 rows fail -> pass,
    // CARBONS-RECV-WRAP fails (Prosody 13).
    id: "login.bind2.received-copy-unforwarded",
    area: "login",
    requirements: ["CARBONS-RECV-WRAP"],
    description: "received copies carry the message directly in <received/>, with no <forwarded/> around it, on every connection (raw Bind 2 ones too)",
    stream: onElement((el) => {
      const fwd = el.name === "message" ? el.getChild("received", CARBONS)?.getChild("forwarded", "urn:xmpp:forward:0") : undefined;
      return fwd
        ? changed(el, (c) => ((c.getChild("received", CARBONS)!.children = c.getChild("received", CARBONS)!.getChild("forwarded", "urn:xmpp:forward:0")!.getChildren("message")), undefined))
        : "pass";
    }),
  },
  {
    // Class sweep 3 (2026-11-27, group S5): bind2-resume-inline took an inline resumption only as a <resumed/> whose
    // 'previd' names the former stream (XEP-0198 §5, SM-RESUME-10), so a server that processed the <resume/> first
    // and resumed the session, with no 'previd', failed BINDTWO-RESUME-01 and SM-INLINE-04 (no outcome matched); the
    // 'previd' is now SM-RESUME-10's also: (Prosody 13: the inline rows fail -> pass, SM-RESUME-10 fails).
    id: "login.sasl2.resumed-without-previd",
    area: "login",
    requirements: ["SM-RESUME-10"],
    description: "a <resumed/> inside a SASL2 <success/> has no 'previd' (the session is resumed all the same)",
    stream: onElement((el) => (isSasl2(el, "success") && el.getChild("resumed", SM)?.attrs.previd !== undefined ? changed(el, (c) => delete c.getChild("resumed", SM)!.attrs.previd) : "pass")),
  },
  {
    // Review pass: bind2-sm-inline judges BINDTWO-ENABLE-01 on its own (a <failed/> in <bound/> keeps SM-01 and OTHER-01).
    // Fifty-sixth audit (2026-11-28): bind2-sm-inline: the Stream Management half only takes the <enabled/> out of
    // the <bound/> (the server still enables it: an <r/> is answered), which breaks BINDTWO-SM-01 ("The <bound/>
    // response MUST contain the resulting XEP-0198 <enabled/> (or <failed/>) element"), not BINDTWO-ENABLE-01; only
    // the Carbons half (no copies) leaves a feature off (bind2-carbons-inline's ENABLE-01). Requirements say so.
    id: "login.bind2.inline-not-enabled",
    area: "login",
    requirements: ["BINDTWO-ENABLE-01", "BINDTWO-SM-01"],
    description:
      "the features a Bind 2 request asks to enable inline: Carbons is not enabled (no carbon copies for a session that asked for it); Stream Management is enabled but its <enabled/> is left out of the <bound/>",
    stream: onElement((el, ctx) => {
      if (isSasl2(el, "success") && el.getChild("bound", BIND2)?.getChild("enabled", SM)) return changed(el, (c) => without(c.getChild("bound", BIND2)!, "enabled", SM));
      return el.name === "message" && el.getChild("received", CARBONS) && asked(ctx)?.getChild("bind", BIND2)?.getChild("enable", CARBONS) ? "drop" : "pass";
    }),
  },
  {
    // Twenty-seventh audit: bind2-stable-resource credited SASLTWO-SUCCESS-01 only in the alternative whose pattern
    // already required an <authorization-identifier/>, so a bound <success/> without one left the row not-reached
    // (not-reached -> warn; the case fails on BINDTWO-SUCCESS-01 either way), and bind2-sm-inline took it for an
    // enabled session and decided its <r/>'s <a/> by the post-SASL2 <stream:features/>: warn BINDTWO-SM-02, a rule
    // the server keeps -> fail BINDTWO-SUCCESS-01 (Prosody 13, --tls starttls).
    id: "login.bind2.success-without-authzid",
    area: "login",
    requirements: ["BINDTWO-SUCCESS-01", "SASLTWO-SUCCESS-01"],
    description: "the SASL2 <success/> of a Bind 2 request has no <authorization-identifier/> (its <bound/> is there)",
    stream: onElement((el) => (isSasl2(el, "success") && el.getChild("bound", BIND2) && el.getChild("authorization-identifier") ? changed(el, (c) => without(c, "authorization-identifier")) : "pass")),
  },
  {
    // Twenty-seventh audit: bind2-sm-inline failed BINDTWO-ENABLE-01 (MUST) on a <failed/> in <bound/>, which XEP-0198
    // §9.1.1 describes ("it will include a <failed/> element as defined by this specification within the <bound/>
    // response"); XEP-0386 §3.2.1 says only "Stream Management should be enabled at this point": fail -> warn
    // BINDTWO-SM-02 (Prosody 13, --tls starttls).
    id: "login.bind2.sm-failed-inline",
    area: "login",
    requirements: ["BINDTWO-SM-02"],
    description: "Stream Management requested in a Bind 2 request is not enabled: the <bound/> holds XEP-0198's <failed/> instead of <enabled/>",
    stream: onElement((el) =>
      isSasl2(el, "success") && el.getChild("bound", BIND2)?.getChild("enabled", SM)
        ? changed(el, (c) => {
            const bound = c.getChild("bound", BIND2)!;
            without(bound, "enabled", SM);
            bound.c("failed", { xmlns: SM }).c("internal-server-error", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" });
          })
        : "pass",
    ),
  },
  {
    // Twenty-seventh audit: bind2-sm-inline took an <enabled/> outside the <bound/> (Stream Management enabled, its
    // result in the <success/>) for no answer at all, and failed BINDTWO-ENABLE-01 and warned SASLTWO-SUCCESS-04 beside
    // the two rules the placement breaks; now an alternative of its own: fail -> fail, ENABLE-01 fail -> pass and
    // SUCCESS-04 warn -> pass, SM-01 and OTHER-01 still fail (Prosody 13, --tls starttls).
    id: "login.bind2.sm-enabled-outside-bound",
    area: "login",
    requirements: ["BINDTWO-SM-01"],
    description: "the <enabled/> answering a Bind 2 request's Stream Management <enable/> is a child of the SASL2 <success/>, not of its <bound/>",
    stream: onElement((el) => {
      const enabled = isSasl2(el, "success") ? el.getChild("bound", BIND2)?.getChild("enabled", SM) : undefined;
      return enabled
        ? changed(el, (c) => {
            without(c.getChild("bound", BIND2)!, "enabled", SM);
            c.cnode(copyOf(enabled));
          })
        : "pass";
    }),
  },
  // Thirty-first audit: sasl2-challenge waited for a challenge in the SASL2 namespace only, so a SCRAM challenge in
  // RFC 6120's namespace made it a skip ("did not succeed: no answer"); now it fails SASLTWO-DURING-02 ("Servers are
  // similarly REQUIRED to send no whitespace, and only the <response/> and completion elements").
  {
    id: "login.sasl2.challenge-legacy-ns",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "the challenge answering a SASL2 <authenticate/> is RFC 6120's <challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
    stream: onElement((el) => (isSasl2(el, "challenge") ? changed(el, (c) => (c.attrs.xmlns = "urn:ietf:params:xml:ns:xmpp-sasl")) : "pass")),
  },
  // Thirty-sixth audit: sasl2-plain-success took only SASL2's <success/> or <continue/>, so this answer, which breaks
  // XEP-0388 §2.4 (SASLTWO-DURING-02) and shows nothing of whether PLAIN runs for the account, failed
  // SASLTWO-FEATURE-01 there; it now credits nothing (legacy-success). No case judges DURING-02 on a PLAIN login (the
  // DURING-02 cases run SCRAM up to its challenge): the fault survives the mutation bench.
  {
    id: "login.sasl2.plain-success-legacy-ns",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "a SASL2 <authenticate mechanism='PLAIN'/> that succeeds is answered with RFC 6120's <success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/> instead of SASL2's",
    stream: onElement((el, ctx) => (isSasl2(el, "success") && mechanismOf(ctx) === "PLAIN" ? [`<success xmlns='${SASL}'/>`] : "pass")),
  },
  // Thirty-sixth audit: fast-advertised-where-supported took only SASL2's answers to its password login, so a SCRAM
  // challenge in RFC 6120's namespace (SASLTWO-DURING-02's breach) failed FAST-FEATURE-01 where FAST is not
  // advertised; it now credits nothing (legacy-challenge). The DURING-02 cases catch the challenge.
  {
    id: "login.fast.unadvertised-challenge-legacy-ns",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "the server does not advertise FAST in SASL2's <inline/>, and the challenge answering a SASL2 <authenticate/> is RFC 6120's <challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
    stream: both(
      unadvertised("fast", FAST),
      onElement((el) => (isSasl2(el, "challenge") ? changed(el, (c) => (c.attrs.xmlns = SASL)) : "pass")),
    ),
  },
  // Thirty-seventh audit: fast-advertised-where-supported took RFC 6120's <success/> as an answer crediting nothing
  // whatever it held, so a token issued in it where FAST is not advertised was a skip; it now fails FAST-FEATURE-01.
  {
    id: "login.fast.unadvertised-token-legacy-ns",
    area: "login",
    requirements: ["FAST-FEATURE-01"],
    description:
      "the server does not advertise FAST in SASL2's <inline/>, and a SASL2 login that gets a token is answered with RFC 6120's <success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/> holding it",
    stream: both(
      unadvertised("fast", FAST),
      onElement((el) => {
        const token = isSasl2(el, "success") ? el.getChild("token", FAST) : undefined;
        return token ? [`<success xmlns='${SASL}'>${token.toString()}</success>`] : "pass";
      }),
    ),
  },
  // Thirty-second audit: sasl2-challenge (and sasl2-base64-clean, sasl2-other-traffic) credited SASLTWO-DURING-02
  // ("Servers are similarly REQUIRED to send no whitespace, and only the <response/> and completion elements") on the
  // first SASL2 challenge wherever it came, so this message before it passed the row. The SASL2 challenge credited
  // SASLTWO-CHAL-01 alone for a time; now that a `receives one of` on a raw connection not yet bound is decided by the
  // first element after the action, the challenge credits DURING-02 again and a stanza answering first fails it
  // (alternatives message-first, presence-first, iq-first): pass -> fail (DURING-02), all three cases.
  {
    id: "login.sasl2.message-before-challenge",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "a headline <message/> from the server comes between the SASL2 <authenticate/> and the server's own SASL2 challenge",
    stream: onElement((el) => (isSasl2(el, "challenge") ? ["<message xmlns='jabber:client' type='headline'><body>motd</body></message>", el] : "pass")),
  },
  // Forty-second audit: sasl2-challenge decided "the first element after the <authenticate/>" among stanzas and SASL
  // elements only, so <stream:features/> before the SASL2 challenge were skipped and the challenge, taken for the
  // first, credited SASLTWO-DURING-02; features count as an answer now (alternative features-first): pass -> fail.
  {
    id: "login.sasl2.features-before-challenge",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "an empty <stream:features/> comes between the SASL2 <authenticate/> and the server's own SASL2 challenge",
    stream: onElement((el) => (isSasl2(el, "challenge") ? ["<stream:features xmlns:stream='http://etherx.jabber.org/streams'/>", el] : "pass")),
  },
  // Thirty-second audit: sasl2-challenge (and its siblings) took RFC 6120's <failure/> answering a SASL2
  // <authenticate/> for no alternative, so the case was a skip (the MAY of a challenge not taken up); §2.4's "only the
  // <response/> and completion elements" are SASL2's (§2.6), so it now fails SASLTWO-DURING-02.
  {
    id: "login.sasl2.legacy-failure-instead-of-challenge",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "the SASL2 <authenticate/> is answered with RFC 6120's <failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure> instead of the challenge",
    stream: onElement((el) => (isSasl2(el, "challenge") ? [`<failure xmlns='${SASL}'><not-authorized/></failure>`] : "pass")),
  },
  // Thirty-first audit: bind2-sm-inline judged BINDTWO-SUCCESS-01 ("a <bound/> element qualified by the
  // 'urn:xmpp:bind:0' namespace") on the full JID alone where no <bound/> came: this <success/> without <bound/>
  // passed the row; now it fails it.
  {
    id: "login.bind2.no-bound-enabled-in-success",
    area: "login",
    requirements: ["BINDTWO-SUCCESS-01"],
    description: "the SASL2 <success/> after a Bind 2 request has the full JID but no <bound/>; the Stream Management <enabled/> is a child of the <success/>",
    stream: onElement((el) => {
      const bound = isSasl2(el, "success") ? el.getChild("bound", BIND2) : undefined;
      const enabled = bound?.getChild("enabled", SM);
      return enabled
        ? changed(el, (c) => {
            without(c, "bound", BIND2);
            c.cnode(copyOf(enabled));
          })
        : "pass";
    }),
  },
  // Thirty-first audit: bind2-sm-inline took a <failed/> outside <bound/> for a <success/> with neither answer and
  // failed BINDTWO-ENABLE-01 (which a <failed/> leaves unjudged) and warned SASLTWO-SUCCESS-04 (the result is in the
  // <success/>); now it fails BINDTWO-SM-01 and warns BINDTWO-SM-02 alone.
  {
    id: "login.bind2.sm-failed-outside-bound",
    area: "login",
    requirements: ["BINDTWO-SM-01"],
    description: "a Bind 2 request's Stream Management <enable/> is answered with a <failed/> that is a child of the SASL2 <success/>, not of its <bound/>",
    stream: onElement((el) => {
      const enabled = isSasl2(el, "success") ? el.getChild("bound", BIND2)?.getChild("enabled", SM) : undefined;
      return enabled
        ? changed(el, (c) => {
            without(c.getChild("bound", BIND2)!, "enabled", SM);
            c.c("failed", { xmlns: SM });
          })
        : "pass";
    }),
  },
  {
    id: "login.bind2.offline-sent",
    area: "login",
    requirements: ["BINDTWO-OFFLINE-01"],
    description: "a Bind 2 session gets the messages sent to the account's bare JID before it bound, as offline messages",
    stream: onElement((el) => {
      const jid = isSasl2(el, "success") && el.getChild("bound", BIND2) ? el.getChildText("authorization-identifier") : null;
      const stored = jid ? (toBare.get(jid.split("/")[0]) ?? []) : [];
      return stored.length ? [el, ...stored.map((m) => changed(m, (c) => (c.attrs.to = jid))[0])] : "pass";
    }),
  },
  {
    // Fifty-second audit (2026-11-28): bind2-offline-cleared's set-up login took any SASL2 <success/>, so a server that
    // reported no binding (no <bound/>, the bare JID) and so cleared nothing failed BINDTWO-OFFLINE-01 when the later
    // RFC 6120 session got the stored message, where its breach is BINDTWO-BIND-01's.
    id: "login.bind2.not-bound-offline-kept",
    area: "login",
    requirements: ["BINDTWO-SUCCESS-01", "BINDTWO-BIND-01"],
    description:
      "a SASL2 success after a Bind 2 request has no <bound/> and the bare JID, and the account's offline messages are kept: the next session that binds the RFC 6120 way gets them when it becomes available",
    stream: offlineKept(true),
  },
  {
    id: "login.bind2.offline-kept",
    area: "login",
    requirements: ["BINDTWO-OFFLINE-01"],
    description: "a Bind 2 session does not get the account's offline messages, but they are not cleared either: the next session that binds the RFC 6120 way gets them when it becomes available",
    stream: offlineKept(false),
  },
  {
    // Sixtieth audit (2026-11-28): bind2-offline-cleared: the login with a Bind 2 request was a check naming no
    // requirement, so a login never answered failed BINDTWO-OFFLINE-01 (MUST), though nothing was bound and nothing
    // had to be cleared; the login is set-up now (every answer it can give credits nothing): fail -> skip (Prosody 13
    // and ejabberd 24.12, --tls starttls).
    id: "login.bind2.success-withheld",
    area: "login",
    requirements: ["SASLTWO-FEATURE-01"],
    description: "the SASL2 <success/> answering an <authenticate/> with a Bind 2 <bind/> request, and the stream features after it, never come",
    stream: (() => {
      const withheld = new WeakSet<ProxiedConnection>();
      return onElement((el, ctx) => {
        if (isFeatures(el) && withheld.has(ctx.conn)) return "drop";
        if (!isSasl2(el, "success") || !asked(ctx)?.getChild("bind", BIND2)) return "pass";
        withheld.add(ctx.conn);
        return "drop";
      });
    })(),
  },
  {
    id: "login.resume.ignored",
    area: "login",
    requirements: ["BINDTWO-RESUME-01", "SM-INLINE-04"],
    description: "a SASL2 login holding <resume/> and a Bind 2 request binds a new session and says nothing of the resumption (neither <resumed/> nor <failed/>)",
    stream: onElement((el) =>
      isSasl2(el, "success") && el.getChild("resumed", SM)
        ? changed(el, (c) => {
            without(c, "resumed", SM);
            c.c("bound", { xmlns: BIND2 });
          })
        : "pass",
    ),
  },
  {
    id: "login.resume.login-refused",
    area: "login",
    requirements: ["BINDTWO-RESUME-01", "SM-INLINE-04"],
    description: "a SASL2 login holding <resume/> is answered with a SASL2 <failure/>, though its credentials are right",
    stream: onElement((el, ctx) => (isSasl2(el, "success") && asked(ctx)?.getChild("resume", SM) ? [`<failure xmlns='${SASL2}'><malformed-request xmlns='${SASL}'/></failure>`] : "pass")),
  },
  {
    id: "login.resume.binds-anyway",
    area: "login",
    requirements: ["BINDTWO-RESUME-02", "SM-INLINE-05"],
    description: "a SASL2 success that resumed a session inline also holds a <bound/>",
    stream: onElement((el) =>
      isSasl2(el, "success") && el.getChild("resumed", SM)
        ? changed(el, (c) => {
            c.c("bound", { xmlns: BIND2 });
          })
        : "pass",
    ),
  },
  {
    id: "login.resume.features-after",
    area: "login",
    requirements: ["SM-INLINE-06"],
    description: "stream features follow a SASL2 success that resumed a session inline",
    stream: onElement((el) => (isSasl2(el, "success") && el.getChild("resumed", SM) ? [el, `<stream:features xmlns:stream='${STREAM}'/>`] : "pass")),
  },
  {
    id: "login.resume.failed-dropped",
    area: "login",
    requirements: ["BINDTWO-RESUME-03", "SM-INLINE-07", "SM-INLINE-08"],
    description: "a SASL2 success after a failed inline resumption has neither the <failed/> nor a <bound/>",
    stream: onElement((el) =>
      isSasl2(el, "success") && el.getChild("failed", SM)
        ? changed(el, (c) => {
            without(c, "failed", SM);
            without(c, "bound", BIND2);
          })
        : "pass",
    ),
  },
  {
    // Twenty-first audit: bind2-resume-failed-binds credited BINDTWO-RESUME-03 (the failure in the response "and then
    // MUST proceed to process the bind request") on the <failed/> alone, so a success that binds nothing passed it.
    // Fifty-seventh audit (2026-11-28): the session behind this success is still bound on the server, so only the
    // success's form (BINDTWO-SUCCESS-01) is broken; bind2-resume-failed-binds now passes it (the new session is
    // shown by a message it sends) and judges the form under BINDTWO-SUCCESS-01 as an also: of the <failed/>;
    // login.resume.failed-no-session is the session that is not there.
    id: "login.resume.failed-unbound",
    area: "login",
    requirements: ["BINDTWO-SUCCESS-01"],
    description: "a SASL2 success after a failed inline resumption keeps the <failed/> but binds nothing: no <bound/>, a bare JID",
    stream: onElement((el) =>
      isSasl2(el, "success") && el.getChild("failed", SM)
        ? changed(el, (c) => {
            without(c, "bound", BIND2);
            const id = c.getChild("authorization-identifier");
            if (id) id.children = [id.getText().replace(/\/.*$/, "")];
          })
        : "pass",
    ),
  },
  {
    // Fifty-seventh audit (2026-11-28): bind2-resume-failed-binds judged the new session (SM-INLINE-08,
    // BINDTWO-RESUME-03) by the success's form alone (BINDTWO-SUCCESS-01's), so a success that reports a session the
    // server never established passed it.
    id: "login.resume.failed-no-session",
    area: "login",
    requirements: ["BINDTWO-RESUME-03", "SM-INLINE-08"],
    description:
      "a SASL2 success after a failed inline resumption reports a new session (<failed/>, <bound/>, a full JID) but none is established: the stream gets nothing more and what it sends reaches no one",
    stream: (() => {
      const phantom = new WeakSet<ProxiedConnection>();
      const jids = new Set<string>();
      return {
        fromClient: noteSasl2,
        element: (el: Element, ctx: FaultContext) => {
          if (phantom.has(ctx.conn)) return "drop";
          if (el.name === "message" && jids.has(String(el.attrs.from ?? ""))) return "drop";
          if (!(isSasl2(el, "success") && el.getChild("failed", SM))) return "pass";
          phantom.add(ctx.conn);
          const id = el.getChildText("authorization-identifier");
          if (id) jids.add(id);
          return "pass";
        },
      } satisfies StreamFault;
    })(),
  },
  // XEP-0440 (channel-binding types).
  {
    id: "login.cb.type-missing",
    area: "login",
    requirements: ["SASLCB-FEATURE-01"],
    description: "the channel-binding feature lists a <channel-binding/> without 'type'",
    stream: editFeature(
      (f) => f.getChild("sasl-channel-binding", CB),
      (cb) => void cb.c("channel-binding"),
    ),
  },
  {
    id: "login.cb.no-end-point",
    area: "login",
    requirements: ["SASLCB-ENDPOINT-01"],
    description: "the channel-binding feature does not list tls-server-end-point",
    stream: editFeature(
      (f) => f.getChild("sasl-channel-binding", CB),
      (cb) => {
        cb.children = cb.children.filter((x) => typeof x === "string" || x.attrs.type !== "tls-server-end-point");
      },
    ),
  },
  {
    // Twenty-fourth audit: sasl-cb-exporter only checked that a right tls-exporter binding authenticates, so a server
    // that takes any binding data passed (no local server does; the fault proxy is a man in the middle, so both
    // servers refuse every -PLUS login through it, and this fault answers for them as such a server would). The
    // case now also binds a second connection with another channel's tls-exporter data and requires a <failure/>
    // (SASLCB-STRONG-01 where no other stronger type is listed, SASLCB-TYPES-01): pass -> warn. sasl-cb-server-end-point
    // had the same gap for tls-server-end-point and now binds a second connection with another certificate's hash
    // (SASLCB-ENDPOINT-01, MUST): pass -> fail.
    id: "login.cb.any-binding-accepted",
    area: "login",
    requirements: ["SASLCB-STRONG-01", "SASLCB-TYPES-01", "SASLCB-ENDPOINT-01"],
    description: "a SCRAM-*-PLUS login over SASL2 succeeds whatever its channel-binding data: the server's <failure/> to it is a <success/>",
    stream: onElement((el, ctx) => (isSasl2(el, "failure") && mechanismOf(ctx).endsWith("-PLUS") ? [successFor(ctx)] : "pass")),
  },
  {
    // Forty-eighth audit: sasl-cb-downgrade sent "y" with the strongest SCRAM SASL2 lists and credited any <failure/>,
    // so a server that lists a SCRAM-SHA-256 it cannot run for the account (and never reads the GS2 flag) passed on
    // that refusal; the case now runs each SCRAM cell only where the same login without "y" succeeds: SCRAM-SHA-256
    // judges nothing, and SCRAM-SHA-1's "y" login succeeds: pass -> warn.
    id: "login.cb.downgrade-unchecked-beside-sha-256",
    area: "login",
    requirements: ["SASLCB-DOWNGRADE-01"],
    description:
      'SASL2 lists SCRAM-SHA-256, which the server refuses, and a SCRAM-SHA-1 login whose GS2 header is "y" (a client that saw no -PLUS) succeeds: the server\'s <failure/> to it is a <success/>',
    stream: onElement((el, ctx) => {
      const a = isFeatures(el) ? el.getChild("authentication", SASL2) : undefined;
      if (a && !a.getChildren("mechanism").some((m) => m.getText().trim() === "SCRAM-SHA-256")) return changed(el, (c) => void c.getChild("authentication", SASL2)!.c("mechanism").t("SCRAM-SHA-256"));
      const gs2 = Buffer.from(asked(ctx)?.getChildText("initial-response") ?? "", "base64").toString("utf8");
      return isSasl2(el, "failure") && mechanismOf(ctx) === "SCRAM-SHA-1" && gs2.startsWith("y,") ? [successFor(ctx)] : "pass";
    }),
  },
  {
    // Twenty-fourth audit: sasl-cb-exporter charged a failed tls-exporter login to SASLCB-STRONG-01 even where the
    // server also lists tls-unique, another stronger type it may implement ("stronger channel-binding types like
    // tls-exporter"): such a server breaks only its listing (SASLCB-TYPES-01). Through the proxy (a man in the middle)
    // every tls-exporter login fails, so the stream this fault lists tls-unique on is that server: warn SASLCB-STRONG-01
    // -> warn SASLCB-TYPES-01 (SASLCB-STRONG-01 not reached).
    id: "login.cb.exporter-broken-beside-unique",
    area: "login",
    requirements: ["SASLCB-TYPES-01"],
    description: "the channel-binding feature lists tls-unique beside tls-exporter, and a tls-exporter login fails",
    stream: editFeature(
      (f) => f.getChild("sasl-channel-binding", CB)?.getChildByAttr("type", "tls-exporter") ?? undefined,
      (_, features) => void features.getChild("sasl-channel-binding", CB)!.c("channel-binding", { type: "tls-unique" }),
    ),
  },
  // XEP-0484 (FAST).
  {
    id: "login.fast.no-mechanism",
    area: "login",
    requirements: ["FAST-FEATURE-02"],
    description: "the FAST feature lists no mechanism",
    stream: editFeature(
      (f) => inlineOf(f)?.getChild("fast", FAST),
      (fast) => without(fast, "mechanism"),
    ),
  },
  {
    // Review pass: fast-feature matched <mechanism>{any}</mechanism>, which an empty <mechanism/> satisfies.
    id: "login.fast.empty-mechanism",
    area: "login",
    requirements: ["FAST-FEATURE-02"],
    description: "the FAST feature lists one empty <mechanism/>, which names no mechanism",
    stream: editFeature(
      (f) => inlineOf(f)?.getChild("fast", FAST),
      (fast) => {
        without(fast, "mechanism");
        fast.c("mechanism");
      },
    ),
  },
  {
    id: "login.fast.no-channel-binding-mechanism",
    area: "login",
    requirements: ["FAST-FEATURE-04"],
    description: "the FAST feature lists only mechanisms without channel binding (HT-*-NONE)",
    stream: editFeature(
      (f) => inlineOf(f)?.getChild("fast", FAST),
      (fast) => {
        fast.children = fast.children.filter((x) => typeof x === "string" || x.name !== "mechanism" || /-NONE$/.test(x.getText().trim()));
      },
    ),
  },
  {
    // Nineteenth audit: fast-feature-channel-binding counted HT-*-UNIQ as capable of channel binding on any TLS
    // version; tls-unique is not defined for TLS 1.3 (RFC 9266), so on such a stream this list has none that binds.
    id: "login.fast.uniq-only",
    area: "login",
    requirements: ["FAST-FEATURE-04"],
    description: "the FAST feature lists HT-SHA-256-UNIQ (tls-unique) as its only mechanism with channel binding, whatever the stream's TLS version (TLS 1.3 too)",
    stream: editFeature(
      (f) => inlineOf(f)?.getChild("fast", FAST),
      (fast) => {
        fast.children = fast.children.filter((x) => typeof x === "string" || x.name !== "mechanism" || /-NONE$/.test(x.getText().trim()));
        fast.c("mechanism").t("HT-SHA-256-UNIQ");
      },
    ),
  },
  {
    id: "login.fast.unadvertised-but-issued",
    area: "login",
    requirements: ["FAST-FEATURE-01"],
    description: "the server issues FAST tokens but does not advertise FAST in SASL2's <inline/>",
    stream: unadvertised("fast", FAST),
  },
  {
    // Twenty-third audit: fast-feature now counts any listed mechanism that names no channel binding for
    // FAST-FEATURE-05 (variation login.fast.none-as-plain); this is the rule's control, a list whose every mechanism
    // binds a channel (HT-*-ENDP, -EXPR, -UNIQ): warn on the old file and the new.
    id: "login.fast.channel-binding-only",
    area: "login",
    requirements: ["FAST-FEATURE-05"],
    description: "the FAST feature lists only mechanisms with channel binding: its HT-*-NONE left out (HT-SHA-256-EXPR added where none other is left)",
    stream: editFeature(
      (f) => inlineOf(f)?.getChild("fast", FAST),
      (fast) => {
        fast.children = fast.children.filter((x) => typeof x === "string" || x.name !== "mechanism" || !/-NONE$/.test(x.getText().trim()));
        if (!fast.getChild("mechanism")) fast.c("mechanism").t("HT-SHA-256-EXPR");
      },
    ),
  },
  {
    // Twenty-third audit: fast-advertised-where-supported asked for a token of HT-SHA-256-NONE only, and XEP-0484
    // §3.1 names no mechanism a server must support, so a server whose hidden FAST issues tokens of other mechanisms
    // passed FAST-FEATURE-01 (adhoc: an -EXPR-only server). Its cells now ask for each HT-SHA-256 variant: pass -> fail.
    id: "login.fast.unadvertised-none-withheld",
    area: "login",
    requirements: ["FAST-FEATURE-01"],
    description: "the server does not advertise FAST in SASL2's <inline/> and issues tokens of its other mechanisms only: a request for an HT-SHA-256-NONE token gets a <success/> without one",
    stream: onElement((el, ctx) => {
      if (isFeatures(el) && inlineOf(el)?.getChild("fast", FAST)) return changed(el, (c) => without(inlineOf(c)!, "fast", FAST));
      const mechanism = asked(ctx)?.getChild("request-token", FAST)?.attrs.mechanism;
      return isSasl2(el, "success") && el.getChild("token", FAST) && mechanism === "HT-SHA-256-NONE" ? changed(el, (c) => without(c, "token", FAST)) : "pass";
    }),
  },
  {
    id: "login.fast.rotation-invalidates",
    area: "login",
    requirements: ["FAST-ROTATE-01"],
    description: "a token login's success brings a new token the client did not ask for, and the old token stops working at once",
    stream: onElement((el, ctx) => {
      if (!isSasl2(el, "success") || !mechanismOf(ctx).startsWith("HT-")) return "pass";
      const account = fromOf(ctx).split("/")[0];
      if (rotatedFor.delete(account)) return [`<failure xmlns='${SASL2}'><not-authorized xmlns='${SASL}'/></failure>`];
      if (el.getChild("token", FAST) || asked(ctx)?.getChild("request-token", FAST)) return "pass";
      rotatedFor.add(account);
      return changed(el, (c) => {
        c.c("token", { xmlns: FAST, token: "rotated-by-server", expiry: "2099-01-01T00:00:00Z" });
      });
    }),
  },
  {
    id: "login.fast.no-token",
    area: "login",
    requirements: ["FAST-TOKEN-01"],
    description: "a successful SASL2 login that requested a FAST token gets a <success/> without the <token/>",
    stream: onElement((el) =>
      isSasl2(el, "success") && el.getChild("token", FAST)
        ? changed(el, (c) => {
            without(c, "token", FAST);
          })
        : "pass",
    ),
  },
  {
    id: "login.fast.token-without-expiry",
    area: "login",
    requirements: ["FAST-TOKEN-03"],
    description: "a FAST <token/> has no 'expiry'",
    stream: onElement((el) =>
      isSasl2(el, "success") && el.getChild("token", FAST)
        ? changed(el, (c) => {
            delete c.getChild("token", FAST)!.attrs.expiry;
          })
        : "pass",
    ),
  },
  {
    // Sixteenth audit: the FAST cases' token capture was FAST-TOKEN-01's check, so a <token/> without 'token' warned
    // TOKEN-01 (which held) instead of failing TOKEN-03.
    id: "login.fast.token-without-value",
    area: "login",
    requirements: ["FAST-TOKEN-03"],
    description: "a FAST <token/> has no 'token' attribute (its 'expiry' is there)",
    stream: onElement((el) =>
      isSasl2(el, "success") && el.getChild("token", FAST)
        ? changed(el, (c) => {
            delete c.getChild("token", FAST)!.attrs.token;
          })
        : "pass",
    ),
  },
  // Twenty-sixth audit: fast-unused-invalidated judged FAST-TOKEN-03 on the first token only, so a second token
  // without 'expiry' passed (alternative new-token) and one without 'token' was charged to FAST-TOKEN-01 at SHOULD
  // (alternative same-token). These faults leave an account's first token alone and break every later one (counted
  // by the <success/>'s authorization identifier: the accounts are the case's own), which the login.fast.token-without-*
  // faults above, breaking every token, never showed: pass -> fail and warn -> fail (FAST-TOKEN-03; Prosody 13,
  // --tls starttls). fast-rotated-token-kept, changed with it, had the same gap for a rotated token; no kept fault
  // shows it (neither local server rotates, and a fault that rotates reaches every token login of the cases citing
  // FAST-TOKEN-03, which judge the token they use and not one rotated into their <success/>).
  ...(["expiry", "token"] as const).map((attr): FaultDef => ({
    id: `login.fast.later-token-without-${attr === "token" ? "value" : "expiry"}`,
    area: "login",
    requirements: ["FAST-TOKEN-03"],
    description: `every FAST <token/> after an account's first has no '${attr}' attribute (the first is whole)`,
    stream: (() => {
      const tokens = new Map<string, number>();
      return onElement((el) => {
        if (!isSasl2(el, "success") || !el.getChild("token", FAST)) return "pass";
        const who = (el.getChildText("authorization-identifier") ?? "").split("/")[0];
        const n = (tokens.get(who) ?? 0) + 1;
        tokens.set(who, n);
        return n === 1
          ? "pass"
          : changed(el, (c) => {
              delete c.getChild("token", FAST)!.attrs[attr];
            });
      });
    })(),
  })),
  {
    // Review pass: fast-invalidate waited, at set-up, for its token login to succeed (FAST-USE-01, fast-token-login's).
    id: "login.fast.token-refused",
    area: "login",
    requirements: ["FAST-USE-01"],
    description: "a token login (an HT-* mechanism) with the token the server issued gets a SASL2 <failure/>",
    stream: onElement((el, ctx) => (isSasl2(el, "success") && mechanismOf(ctx).startsWith("HT-") ? [`<failure xmlns='${SASL2}'><not-authorized xmlns='${SASL}'/></failure>`] : "pass")),
  },
  {
    // Twenty-first audit: a <continue/> after the token's one round trip breaks FAST-SERVER-01 alone (FAST-FEATURE-03
    // is no longer failed with it).
    id: "login.fast.token-asks-task",
    area: "login",
    requirements: ["FAST-SERVER-01"],
    description: "a token login is answered with a <continue/> asking for a task, not a success or a failure",
    stream: onElement((el, ctx) =>
      (isSasl2(el, "success") || isSasl2(el, "failure")) && mechanismOf(ctx).startsWith("HT-") ? [`<continue xmlns='${SASL2}'><tasks><task>X-CONFORM-TOTP</task></tasks></continue>`] : "pass",
    ),
  },
  {
    // Twenty-first audit: fast-token-one-round-trip judged a token login's answer by one 'one of' citing both rules,
    // so a <challenge/> (a second round trip, no interactive step) failed FAST-SERVER-01 too, and a <continue/>
    // (login.fast.token-asks-task) FAST-FEATURE-03; each now fails only its own rule.
    id: "login.fast.token-challenged",
    area: "login",
    requirements: ["FAST-FEATURE-03"],
    description: "a token login is answered with an empty SASL2 <challenge/> instead of its success or failure",
    stream: onElement((el, ctx) => ((isSasl2(el, "success") || isSasl2(el, "failure")) && mechanismOf(ctx).startsWith("HT-") ? [`<challenge xmlns='${SASL2}'/>`] : "pass")),
  },
  {
    id: "login.fast.token-accepted-anyhow",
    area: "login",
    requirements: ["FAST-BIND-01", "FAST-INVAL-01"],
    description: "a token login or a PLAIN login that must fail (another mechanism than the token's, an invalidated token) succeeds",
    stream: onElement((el, ctx) => (isSasl2(el, "failure") && /^(HT-|PLAIN$)/.test(mechanismOf(ctx)) ? [successFor(ctx)] : "pass")),
  },
  // Forty-ninth audit: fast-token-other-mechanism took only SASL2's <failure/> to the token login with another
  // mechanism, so this refusal (XEP-0388 §2.4's breach, SASLTWO-DURING-02, which keeps XEP-0484 §3.4's rule) failed
  // FAST-BIND-01; it now credits nothing (legacy-failure). No case judges DURING-02 on a token login (the DURING-02
  // cases run SCRAM up to its challenge): the fault survives the mutation bench.
  {
    id: "login.fast.token-failure-legacy-ns",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "a token login (an HT-* mechanism) that fails is answered with RFC 6120's <failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure> instead of SASL2's",
    stream: onElement((el, ctx) => (isSasl2(el, "failure") && mechanismOf(ctx).startsWith("HT-") ? [`<failure xmlns='${SASL}'><not-authorized/></failure>`] : "pass")),
  },
  {
    id: "login.fast.new-token-on-invalidate",
    area: "login",
    requirements: ["FAST-INVAL-02"],
    description: "the success of a token login with invalidate='true' holds a new token",
    stream: onElement((el, ctx) =>
      isSasl2(el, "success") && asked(ctx)?.getChild("fast", FAST)?.attrs.invalidate === "true"
        ? changed(el, (c) => {
            c.c("token", { xmlns: FAST, token: "rotated", expiry: "2099-01-01T00:00:00Z" });
          })
        : "pass",
    ),
  },
  {
    // Twentieth audit: the password login after a failed token login was judged on the same stream only; XEP-0484 §4.2
    // names no stream, so FAST-SERVER-02 is now judged on a new connection (fast-invalidate's c4), and this fault
    // refuses the password on every stream of the account after the token's failure.
    id: "login.fast.no-fallback",
    area: "login",
    requirements: ["FAST-SERVER-02"],
    description: "after a failed token login, the account's password does not log in, on that stream or any other",
    stream: onElement((el, ctx) => {
      if (isSasl2(el, "failure") && mechanismOf(ctx).startsWith("HT-")) tokenFailedFor.add(fromOf(ctx));
      return isSasl2(el, "success") && !mechanismOf(ctx).startsWith("HT-") && tokenFailedFor.has(fromOf(ctx)) ? [`<failure xmlns='${SASL2}'><not-authorized xmlns='${SASL}'/></failure>`] : "pass";
    }),
  },
  {
    // Thirty-sixth audit: the password logins after the first (fast-unused-invalidated's second, SASLTWO-FEATURE-01;
    // fast-invalidate's after the failed token login, c3 SASLTWO-FAIL-03 and c4 FAST-SERVER-02) took only SASL2's
    // answers, so this challenge (SASLTWO-DURING-02's breach, which shows nothing of whether the password logs in)
    // failed or warned them; they now credit nothing (legacy-challenge). No case judges DURING-02 on such a login:
    // the fault survives the mutation bench.
    id: "login.fast.later-password-challenge-legacy-ns",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "once an account has been issued a FAST token, the challenge answering its later password logins (on any stream) is RFC 6120's <challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
    stream: onElement((el, ctx) => {
      if (isSasl2(el, "success") && el.getChild("token", FAST)) tokenIssuedFor.add(fromOf(ctx));
      return isSasl2(el, "challenge") && !mechanismOf(ctx).startsWith("HT-") && tokenIssuedFor.has(fromOf(ctx)) ? changed(el, (c) => (c.attrs.xmlns = SASL)) : "pass";
    }),
  },
  {
    // Twentieth audit: sasl2-wrong-password's retry with the right password named no rule, so a server that ends the
    // stream after a failure (RFC 6120 §6.4.5 "a configurable but reasonable number of retries") made the case an
    // error where its stream error came before the retry was sent (in the clear on Prosody 13), a warning otherwise
    // (adhoc.sasl2.close-after-failure). The retry now names SASLTWO-FAIL-03: warn either way.
    id: "login.sasl2.failure-ends-stream",
    area: "login",
    requirements: ["SASLTWO-FAIL-03"],
    description: "every SASL2 <failure/> is followed by a policy-violation stream error and the close: no second login on that stream",
    stream: endsStreamAfterFailure(() => true),
  },
  {
    // Fifty-ninth audit (2026-11-28): fast-no-token-on-failure: a server that answers a wrong password with a stream
    // error and the close instead of a <failure/> provides no token and processes no inline feature (XEP-0484 §3.3,
    // XEP-0388 §2.6.2), yet matched no outcome and failed both MUSTs; it breaks XEP-0388 §2.6 "It may also fail, in
    // which case the client is not authenticated and the stream and session state remain entirely unchanged."
    // (SASLTWO-FAIL-03). fail -> skip (the 'stream-error' outcome credits nothing). sasl2-wrong-password and
    // fast-wrong-token charged it to SASLTWO-FAIL-01, a rule about the content of a <failure/> that never came; they
    // take the stream's end as an outcome now, and sasl2-wrong-password's retry warns SASLTWO-FAIL-03 (fail
    // SASLTWO-FAIL-01 -> warn SASLTWO-FAIL-03; fast-wrong-token fail -> skip, Prosody 13, --tls starttls).
    id: "login.sasl2.failure-replaced-by-stream-error",
    area: "login",
    requirements: ["SASLTWO-FAIL-03"],
    description: "every SASL2 <failure/> is replaced by a not-authorized stream error and the close",
    stream: {
      fromClient: noteSasl2,
      element: (el, ctx) => {
        if (endedAfterFailure.has(ctx.conn)) return "drop";
        if (!isSasl2(el, "failure")) return "pass";
        endedAfterFailure.add(ctx.conn);
        return [`<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>`];
      },
      close: (ctx) => (endedAfterFailure.has(ctx.conn) ? "" : "</stream:stream>"),
    },
  },
  {
    // Sixtieth audit (2026-11-28): fast-unused-invalidated: the second token's login (c4, the control that a token
    // logs in at all) ended by a stream error matched none of its outcomes and warned FAST-ROTATE-03, though nothing
    // showed the first token kept; a token login that does not succeed is FAST-USE-01's (fast-token-login's). A stream
    // ended there now credits nothing: warn -> pass, FAST-ROTATE-03 not reached (Prosody 13, --tls starttls).
    // Seventy-first audit (round 71): fast-token-one-round-trip failed FAST-SERVER-01 (XEP-0484 §4.2, interactive
    // steps only) beside FAST-FEATURE-03 here; now fail with FAST-FEATURE-03 alone, FAST-SERVER-01 not reached.
    id: "login.fast.token-success-replaced-by-stream-error",
    area: "login",
    requirements: ["FAST-USE-01"],
    description: "a token login (an HT-* mechanism) that succeeds gets a not-authorized stream error and the close instead of its SASL2 <success/>",
    stream: (() => {
      const ended = new WeakSet<ProxiedConnection>();
      return {
        fromClient: noteSasl2,
        element: (el: Element, ctx: FaultContext) => {
          if (ended.has(ctx.conn)) return "drop";
          if (!isSasl2(el, "success") || !mechanismOf(ctx).startsWith("HT-")) return "pass";
          ended.add(ctx.conn);
          return [`<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>`];
        },
        close: (ctx: FaultContext) => (ended.has(ctx.conn) ? "" : "</stream:stream>"),
      };
    })(),
  },
  {
    // Sixtieth audit (2026-11-28): sasl2-other-traffic credited SASLTWO-DURING-02 on the first challenge and judged
    // only the disconnection after the stanza it sends mid-exchange, so a server that bounces that stanza (an element
    // XEP-0388 §2.4 does not let it send "while authentication is in progress") and then disconnects passed. The
    // first element after the stanza is now judged: pass -> fail (SASLTWO-DURING-02; ejabberd 24.12, --tls starttls,
    // whose stream error this puts the bounce before; Prosody 13 bounces by itself and never disconnects).
    id: "login.sasl2.other-traffic-bounced",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "a stanza sent while a SASL2 exchange is in progress is bounced (a <message type='error'> with <service-unavailable/>) before the server's stream error ends the connection",
    stream: (() => {
      const bounced = new WeakSet<ProxiedConnection>();
      return {
        fromClient: noteDuring,
        element: (el: Element, ctx: FaultContext) => {
          noteEnd(el, ctx);
          if (!duringSasl2.has(ctx.conn) || bounced.has(ctx.conn) || el.getName() !== "error" || el.getNS() !== STREAM) return "pass";
          bounced.add(ctx.conn);
          const who = fromOf(ctx);
          return [`<message type='error' from='${who}' to='${who}'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`, el];
        },
      };
    })(),
  },
  {
    // Twentieth audit: fast-invalidate judged FAST-SERVER-02 (MUST) by the password login on the stream of the failed
    // token login, so a server that ends that stream (no retry there, RFC 6120 §6.4.5 "a configurable but reasonable
    // number of retries") and takes the password on a new connection failed the case (adhoc.fast.close-after-token-
    // failure). That stream is now XEP-0388 §2.6's (SASLTWO-FAIL-03, derived SHOULD): fail -> warn.
    id: "login.fast.token-failure-ends-stream",
    area: "login",
    requirements: ["SASLTWO-FAIL-03"],
    description: "a token login's SASL2 <failure/> is followed by a policy-violation stream error and the close: the password logs in on a new connection only",
    stream: endsStreamAfterFailure((ctx) => mechanismOf(ctx).startsWith("HT-")),
  },
  {
    // Twenty-first audit: sasl2-other-traffic judged XEP-0388 §2.4 ("Servers MUST disconnect Clients immediately if
    // any other traffic is received") by a 'one of' whose stream-error alternative held on the error element alone,
    // so a server that answers the stanza with a stream error and keeps the connection passed (adhoc
    // error-stays-open). It now requires the connection closed: pass -> fail (Prosody 13, whose bounce this replaces).
    id: "login.sasl2.other-traffic-error-stays-open",
    area: "login",
    requirements: ["SASLTWO-DURING-01"],
    description: "a stanza sent while a SASL2 exchange is in progress is answered with a policy-violation stream error, and the stream and the connection stay open",
    stream: {
      fromClient: noteDuring,
      element: (el, ctx) => {
        noteEnd(el, ctx);
        return duringSasl2.has(ctx.conn) && isStanza(el) ? [`<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>`] : "pass";
      },
    },
  },
  {
    // Twenty-third audit: bind2-replaces-earlier-session now takes a stream error, a closing tag or a close as the
    // earlier session's end (RFC 6120 §4.9.1.1: "Stream-level errors are unrecoverable."), so the positive control is
    // a server that sends the earlier session none of them: its <conflict/> stream error taken away, no closing tag,
    // the connection kept open and silent. Old and new file: warn BINDTWO-TERM-01 (the rule's control, both ways).
    id: "login.bind2.earlier-session-kept",
    area: "login",
    requirements: ["BINDTWO-TERM-01"],
    description: "a SASL2 session replaced by a later one gets no stream error and no closing stream tag, and its connection stays open",
    stream: keptOpen(replacedConflict, { drop: true, fromClient: noteSasl2 }),
  },
  {
    // Twenty-first audit: sasl2-base64-clean compared the challenge's text trimmed, so base64 on a line of its own
    // (XEP-0388 Example 5's layout; §2.2: "This SHOULD NOT include any line wrapping or other whitespace") passed
    // (adhoc challenge-wrapped-ends). The text is now compared as sent (xc:text='raw'): pass -> warn DATA-01.
    id: "login.sasl2.base64-on-own-line",
    area: "login",
    requirements: ["SASLTWO-DATA-01"],
    description: "the SASL2 challenge's base64 is sent on a line of its own, indented: a line break and spaces before and after it",
    stream: onElement((el) => (isSasl2(el, "challenge") ? changed(el, (c) => void (c.children = [`\n     ${el.text()}\n   `])) : "pass")),
  },
  {
    // Sixty-third audit: a server may carry SCRAM's server-final-message in a second SASL2 <challenge/> instead of the
    // success's additional data (XEP-0388 §2.6.1: the success "MAY contain" it); sasl2-base64-clean's second
    // connection had no outcome for it, so its base64 was never judged: pass -> warn DATA-01.
    // Eightieth audit (round 80): the other SCRAM logins' outcome lists (bind2, fast, sasl2, channel-binding) had no
    // outcome for this challenge either, which the harness's login never answers, so a server that sends it failed
    // MUSTs it kept (bind2-resume-failed-binds: BINDTWO-RESUME-03, SM-INLINE-07; SASLTWO-FEATURE-01 elsewhere). A
    // `final-challenge` outcome now credits nothing: 19 cases fail -> skip (sasl2-scram-success: -> pass), 3 warn ->
    // skip or pass (Prosody 13, --tls starttls; ejabberd 24.12 the same but sasl2-from-not-trusted, not failed there).
    id: "login.sasl2.final-challenge-wrapped",
    area: "login",
    requirements: ["SASLTWO-DATA-01"],
    description: "the SCRAM server-final-message comes in a second SASL2 <challenge/>, wrapped every 20 characters, instead of the success's additional data",
    stream: onElement((el) => {
      const wrapped = wrappedAdditionalData(el);
      return wrapped === undefined ? "pass" : [`<challenge xmlns='urn:xmpp:sasl:2'>${wrapped}</challenge>`];
    }),
  },
  {
    // Seventy-sixth audit (round 76): XEP-0388 §2.6.3 lets a <continue/> carry the completed mechanism's
    // <additional-data/> ("Like the <success/> element, the <continue/> element MAY contain an <additional-data/>
    // element"); sasl2-base64-clean's second connection took any <continue/> as one with no base64, so its wrapped
    // data passed (auditor G5's continue-wrapped-data): pass -> warn DATA-01 (Prosody 13).
    id: "login.sasl2.continue-data-wrapped",
    area: "login",
    requirements: ["SASLTWO-DATA-01"],
    description: "the SCRAM server-final-message comes in a SASL2 <continue/> with a task, its additional data wrapped every 20 characters, instead of in the <success/>",
    stream: onElement((el) => {
      const wrapped = wrappedAdditionalData(el);
      return wrapped === undefined ? "pass" : [`<continue xmlns='urn:xmpp:sasl:2'><additional-data>${wrapped}</additional-data><tasks><task>HOTP-EXAMPLE</task></tasks></continue>`];
    }),
  },
  {
    // Twenty-first audit: sasl2-base64-clean judged only the first challenge, so a server whose <success/> carries
    // its additional data wrapped (§2.2 "In all cases") passed (adhoc additional-data-wrapped). A second connection
    // now completes the login and judges the additional data: pass -> warn DATA-01.
    id: "login.sasl2.additional-data-wrapped",
    area: "login",
    requirements: ["SASLTWO-DATA-01"],
    description: "the additional data of a SASL2 <success/> is wrapped: a line break after every 20 base64 characters",
    stream: onElement((el) => {
      const wrapped = wrappedAdditionalData(el);
      return wrapped === undefined ? "pass" : changed(el, (c) => void (c.getChild("additional-data")!.children = [wrapped]));
    }),
  },
  {
    // Fiftieth audit (2026-11-28): sasl2-plain-success and sasl2-scram-success: the SASLTWO-SUCCESS-02 `also:` ("this
    // is a bare JID, unless resource binding has occurred") required the <authorization-identifier/> as SUCCESS-01's
    // does, so a <success/> with none warned both rows though only SUCCESS-01 ("which contains an
    // <authorization-identifier/> element") is broken. Such a <success/> is an alternative of its own now, judged on
    // SUCCESS-01 alone: warn SUCCESS-01 and SUCCESS-02 -> warn SUCCESS-01, SUCCESS-02 not reached (Prosody 13).
    id: "login.sasl2.success-without-identifier",
    area: "login",
    requirements: ["SASLTWO-SUCCESS-01"],
    description: "the SASL2 <success/> of a login that asked for no resource binding holds no <authorization-identifier/>",
    stream: onElement((el, ctx) =>
      isSasl2(el, "success") && !asked(ctx)?.getChild("bind", BIND2) && el.getChild("authorization-identifier") ? changed(el, (c) => without(c, "authorization-identifier")) : "pass",
    ),
  },
  {
    // Fiftieth audit (2026-11-28): bind2-resume-inline: the resuming login's `receives one of` took only SASL2's
    // <success/>, so this challenge (XEP-0388 §2.4's breach, SASLTWO-DURING-02, sasl2-challenge's) failed
    // BINDTWO-RESUME-01 and SM-INLINE-04; it now credits nothing (legacy-challenge). Only the resuming login is
    // touched, so that the first stream's login (set-up) still succeeds.
    id: "login.bind2.resume-challenge-legacy-ns",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "the challenge answering a SASL2 <authenticate/> that holds a Stream Management <resume/> is RFC 6120's <challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
    stream: onElement((el, ctx) => (isSasl2(el, "challenge") && asked(ctx)?.getChild("resume", SM) ? changed(el, (c) => (c.attrs.xmlns = SASL)) : "pass")),
  },
  {
    // Fiftieth audit (2026-11-28): bind2-advertised-where-supported took only SASL2's answers to its login, so this
    // challenge (XEP-0388 §2.4's breach, SASLTWO-DURING-02, sasl2-challenge's) failed BINDTWO-FEATURE-01 where Bind 2
    // is not advertised; it now credits nothing (legacy-challenge).
    id: "login.bind2.unadvertised-challenge-legacy-ns",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "the server does not advertise Bind 2 in SASL2's <inline/>, and the challenge answering a SASL2 <authenticate/> is RFC 6120's <challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
    stream: both(
      unadvertised("bind", BIND2),
      onElement((el) => (isSasl2(el, "challenge") ? changed(el, (c) => (c.attrs.xmlns = SASL)) : "pass")),
    ),
  },
  {
    // Fiftieth audit (2026-11-28): sasl2-authzid-normalized: the upper-cased login's `receives one of` took only
    // SASL2's <success/> and <continue/>, so this answer (XEP-0388 §2.4's breach, SASLTWO-DURING-02, sasl2-challenge's)
    // warned SASLTWO-AUTHZ-02; it now credits nothing (legacy-success). The exact-case set-up login is left alone.
    id: "login.sasl2.upper-authzid-success-legacy-ns",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "a SASL2 PLAIN login whose authorization identity has upper-case letters succeeds with RFC 6120's <success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/> instead of SASL2's",
    stream: onElement((el, ctx) =>
      isSasl2(el, "success") &&
      mechanismOf(ctx) === "PLAIN" &&
      /[A-Z]/.test(
        Buffer.from(asked(ctx)?.getChildText("initial-response") ?? "", "base64")
          .toString("utf8")
          .split("\0")[0],
      )
        ? [`<success xmlns='${SASL}'/>`]
        : "pass",
    ),
  },
  {
    // Fiftieth audit (2026-11-28): fast-token-one-round-trip and fast-rotated-token-kept: the token login's `receives
    // one of` took only SASL2's answers, so this <success/> (XEP-0388 §2.4's breach, SASLTWO-DURING-02,
    // sasl2-challenge's) failed FAST-FEATURE-03 and FAST-SERVER-01, or warned FAST-USE-01; it now credits nothing
    // (legacy-success). No case judges DURING-02 on a token login: the fault survives the mutation bench.
    id: "login.fast.token-success-legacy-ns",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "a token login (an HT-* mechanism) that succeeds is answered with RFC 6120's <success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/> instead of SASL2's",
    stream: onElement((el, ctx) => (isSasl2(el, "success") && mechanismOf(ctx).startsWith("HT-") ? [`<success xmlns='${SASL}'/>`] : "pass")),
  },
  {
    // Fiftieth audit (2026-11-28): sasl-cb-downgrade: the flagged login's answer was a single `receives` of SASL2's
    // <failure/>, so this refusal (XEP-0388 §2.4's breach, SASLTWO-DURING-02, sasl2-challenge's) warned
    // SASLCB-DOWNGRADE-01; it now credits nothing (legacy-failure). No case judges DURING-02 on such a login: the fault
    // survives the mutation bench.
    id: "login.cb.downgrade-failure-legacy-ns",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description: "a SASL2 SCRAM login whose GS2 header is \"y\" (RFC 5802 §6) fails with RFC 6120's <failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure> instead of SASL2's",
    stream: onElement((el, ctx) =>
      isSasl2(el, "failure") &&
      Buffer.from(asked(ctx)?.getChildText("initial-response") ?? "", "base64")
        .toString("utf8")
        .startsWith("y,")
        ? [`<failure xmlns='${SASL}'><not-authorized/></failure>`]
        : "pass",
    ),
  },
  {
    // Fifty-first audit (2026-11-28): bind2-inline-feature-listed: both logins' `receives one of` took only SASL2's
    // answers, so this challenge (XEP-0388 §2.4's breach, SASLTWO-DURING-02, sasl2-challenge's) failed
    // BINDTWO-FEATURE-02 in both cells though nothing was bound or enabled; it now credits nothing (legacy-challenge).
    id: "login.bind2.inline-feature-unlisted-challenge-legacy-ns",
    area: "login",
    requirements: ["SASLTWO-DURING-02"],
    description:
      "Bind 2's <inline/> lists neither Stream Management nor Carbons, and the challenge answering a SASL2 <authenticate/> is RFC 6120's <challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
    stream: both(
      editFeature(
        (f) => inlineOf(f)?.getChild("bind", BIND2)?.getChild("inline"),
        (inline) => {
          inline.children = inline.children.filter((x) => typeof x === "string" || (x.attrs.var !== SM && x.attrs.var !== CARBONS));
        },
      ),
      onElement((el) => (isSasl2(el, "challenge") ? changed(el, (c) => (c.attrs.xmlns = SASL)) : "pass")),
    ),
  },
  {
    // Fifty-first audit (2026-11-28): bind2-inline-feature-listed's sm cell credited BINDTWO-FEATURE-02 on a <bound/>
    // without <enabled/> alone, so a server that negotiates Stream Management inline without listing it and without
    // reporting <enabled/> passed (Stream Management on: an <r/> gets an <a/>). The cell now asks with an <r/>
    // (XEP-0198 §4: "When an <r/> element ("request") is received, the recipient MUST acknowledge it by sending an
    // <a/> element"): pass -> fail.
    id: "login.bind2.inline-sm-unlisted-unreported",
    area: "login",
    requirements: ["BINDTWO-FEATURE-02"],
    description:
      "Bind 2 enables Stream Management inline, its <inline/> lists neither Stream Management nor Carbons, and the <success/>'s <bound/> reports no <enabled/> (Stream Management is on all the same)",
    stream: both(
      editFeature(
        (f) => inlineOf(f)?.getChild("bind", BIND2)?.getChild("inline"),
        (inline) => {
          inline.children = inline.children.filter((x) => typeof x === "string" || (x.attrs.var !== SM && x.attrs.var !== CARBONS));
        },
      ),
      onElement((el) => (isSasl2(el, "success") && el.getChild("bound", BIND2)?.getChild("enabled", SM) ? changed(el, (c) => without(c.getChild("bound", BIND2)!, "enabled", SM)) : "pass")),
    ),
  },
];

/** A client header whose 'from' names sasl2-invalid-from's other domain. */
const fromElsewhere = (ctx: FaultContext) => /\bfrom=['"][^'"]*@elsewhere\.example['"]/.test(ctx.conn.clientHeader ?? "");

/**
 * SASL2's mechanisms (XEP-0388 §2.1) listed in the order `order` gives for the stream's 'from' (undefined: as sent),
 * the same set; for the variations that randomize the list (§3).
 */
function sasl2Reordered(order: (names: string[], from: string | undefined) => string[] | undefined, inlineKept?: (from: string, index: number) => boolean) {
  return onElement((el, ctx) => {
    if (!isFeatures(el)) return "pass";
    const names = (el.getChild("authentication", SASL2)?.getChildren("mechanism") ?? []).map((m) => m.getText().trim());
    const from = fromOf(ctx);
    const ordered = names.length < 2 ? undefined : order(names, from);
    if (!ordered) return "pass";
    return changed(el, (c) => {
      const auth = c.getChild("authentication", SASL2)!;
      without(auth, "mechanism");
      const rest = auth.children;
      auth.children = [];
      for (const k of ordered) auth.c("mechanism").t(k);
      auth.children.push(...rest);
      const inline = inlineKept && from ? auth.getChild("inline") : undefined;
      if (inline) inline.children = inline.children.filter((k, i) => typeof k === "string" || inlineKept!(from!, i));
    });
  });
}

/** The order login.var.sasl2-order-per-from gives a 'from': fixed by a keyed hash of it. */
const orderedPerFrom = (names: string[], from: string | undefined) => {
  if (!from) return undefined;
  const rank = (name: string) => createHmac("sha256", "xmpp-conform:sasl2-order").update(`${from}\0${name}`).digest("hex");
  return [...names].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
};

export const VARIATIONS: Variation[] = [
  {
    // Seventy-fourth audit (round 74): sasl2-mechanisms-randomized's unknown cell opened its ten streams with one
    // unknown 'from', so a server that randomizes the list per unknown JID and keeps it stable per 'from' (XEP-0388
    // §2.1: "SHOULD be stable for the given stream to and from attributes and encryption state") was warned; each
    // stream now names another unknown JID: unknown warn -> pass (Prosody 13, --tls starttls).
    id: "login.var.sasl2-order-per-from",
    description:
      "on a stream whose header has a 'from', SASL2 lists the server's own mechanisms in an order fixed by a keyed hash of that 'from': the same order for the same 'from' on every stream, another for another JID, the same set (XEP-0388 §3: \"If the server does not know the client-identity it is RECOMMENDED to randomize the list of provided SASL mechanisms to reduce these risks even further.\")",
    fault: () => "pass",
    stream: sasl2Reordered(orderedPerFrom),
  },
  {
    // Seventy-sixth audit (round 76, G2): sasl2-mechanisms-randomized's unknown cell counted a later stream only where
    // its whole <authentication/>, <inline/> included, was the first's apart from order; with a 'from' of its own on
    // each stream, §2.1's stability binds nothing across them, so a server that also offers inline features per 'from'
    // warned at random. Only the mechanisms are compared now (xc:compare='authentication/mechanism'): Prosody 13
    // unknown cell warn (at random) -> pass.
    id: "login.var.sasl2-inline-per-from",
    description:
      "as login.var.sasl2-order-per-from, and each of SASL2's inline features offered or withheld by another keyed hash of the stream's 'from' (XEP-0388 §2.1: the feature and its child content \"SHOULD be stable for the given stream to and from attributes and encryption state\")",
    fault: () => "pass",
    stream: sasl2Reordered(orderedPerFrom, (from, i) => (parseInt(createHmac("sha256", "xmpp-conform:sasl2-inline").update(from).digest("hex").slice(-4), 16) >> i) % 2 === 0),
  },
  {
    // Seventy-second audit (round 72): sasl2-mechanisms-randomized now asks a later stream for the first's set of
    // mechanisms in another order; a server that shuffles the same list on every stream without 'from' (XEP-0388 §3:
    // "it is RECOMMENDED to randomize the list of provided SASL mechanisms") still passes: none: pass -> pass (Prosody 13).
    id: "login.var.sasl2-mechanisms-shuffled",
    description:
      "on a stream whose header has no 'from', SASL2 lists the server's own mechanisms in a random order, the same set on every stream (XEP-0388 §3: \"If the server does not know the client-identity it is RECOMMENDED to randomize the list of provided SASL mechanisms to reduce these risks even further.\")",
    fault: () => "pass",
    stream: sasl2Reordered((names, from) => {
      if (from) return undefined;
      const shuffled = [...names];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      return shuffled;
    }),
  },
  {
    // Fifty-second audit (2026-11-28): sasl2-continue-has-tasks now asks its <continue/>'s <tasks/> for a named <task/>;
    // a server that asks for a second factor as XEP-0388's Example 11 does still passes.
    id: "login.var.sasl2-continue-named-tasks",
    description:
      'a SASL2 login is answered with a <continue/> as in XEP-0388 Example 11: <additional-data/>, then <tasks/> with two named <task/> elements (HOTP-EXAMPLE, TOTP-EXAMPLE), then a <text/> (§2.6.3: "Such tasks are presented within a <tasks> element, which contains a sequence of <task> elements, each containing a name.")',
    fault: () => "pass",
    stream: continuedInstead(["HOTP-EXAMPLE", "TOTP-EXAMPLE"]),
  },
  {
    // Thirty-third audit: bind2-carbons-inline's barrier after the initial presence was `receives nothing: <iq/>` in
    // set-up, so a server that pings its client (or sends it any IQ of its own) had the precondition missed and the
    // case skipped. The barrier now looks for an IQ no server sends: skip -> pass (Prosody 13).
    id: "login.var.bind2-server-pings-client",
    description:
      'a client that logged in with Bind 2 gets an XEP-0199 ping from the server when it sends its initial presence (XEP-0199 §4.1: "One popular usage is for a server to test the viability of the underlying stream connection by pinging a connected client."; no text forbids a server an IQ of its own to a bound client)',
    fault: () => "pass",
    stream: {
      fromClient: (el, ctx) => {
        noteSasl2(el, ctx);
        if (el.name !== "presence" || el.attrs.type || el.attrs.to || !asked(ctx)?.getChild("bind", BIND2)) return;
        const to = ctx.conn.jid ? ` to='${ctx.conn.jid}'` : "";
        ctx.conn.deliver(parse(`<iq type='get' id='s2c1'${to}><ping xmlns='urn:xmpp:ping'/></iq>`) as Element);
      },
    },
  },
  {
    // Class sweep (2026-11-26, group X4): bind2-failure-binds-nothing's and bind2-offline-cleared's barrier after romeo's
    // message to juliet's bare JID was `romeo receives nothing: <iq/>` in set-up (the shape round 33 fixed in
    // bind2-carbons-inline), so a server that pings the sender (or sends it any IQ of its own) had the precondition
    // missed and the case skipped. The barrier now looks for an IQ no server sends: skip -> pass (Prosody 13).
    id: "login.var.server-pings-sender",
    description:
      'a client that sends a message to a bare JID gets an XEP-0199 ping from the server (XEP-0199 §4.1: "One popular usage is for a server to test the viability of the underlying stream connection by pinging a connected client."; no text forbids a server an IQ of its own to a bound client)',
    fault: () => "pass",
    stream: {
      fromClient: (el, ctx) => {
        noteSasl2(el, ctx);
        const jid = ctx.conn.jid;
        if (el.name !== "message" || el.attrs.type === "error" || !jid || String(el.attrs.to ?? "").includes("/") || !String(el.attrs.to ?? "").includes("@")) return;
        ctx.conn.deliver(parse(`<iq type='get' id='xc-s2s-${Date.now()}' to='${jid}'><ping xmlns='urn:xmpp:ping'/></iq>`) as Element);
      },
    },
  },
  {
    // Final review of round 31's fixers: sasl2-invalid-from and sasl2-second-authenticate judged the stream error's
    // framing (the closing stream tag and the TCP close, RFC 6120 §4.9.1.1) under XEP-0388's rules, which ask only for
    // the error. Both now judge the error alone (`framing: none`): ejabberd 24.12's sasl2-invalid-from warn -> pass.
    id: "login.var.sasl2-stream-error-kept-open",
    description:
      'a stream error XEP-0388 asks for (invalid-from at a header, §2.1: "the server SHOULD respond with an invalid-from error"; after a second <authenticate/>, §4.8: "MUST result in a stream error") comes without the closing stream tag and the TCP close after it (RFC 6120 §4.9.1.1\'s framing, judged by its own cases)',
    fault: () => "pass",
    stream: keptOpen((el, ctx) => el.getName() === "error" && el.getNS() === STREAM && (usedSasl2.has(ctx.conn) || Boolean(el.getChild("invalid-from"))), { fromClient: noteSasl2 }),
  },
  {
    // Round 34: sasl2-invalid-from waited for the server's response header as set-up, so a server answering the bad
    // header with the invalid-from error alone (RFC 6120 §4.9.1.2's header missing: stream-errors' rule) was skipped;
    // the header is now optional there (`expect: either`): skip -> pass.
    id: "login.var.invalid-from-without-header",
    description:
      "a header whose 'from' names another domain is answered with the invalid-from stream error XEP-0388 §2.1 asks for (\"the server SHOULD respond with an invalid-from error\") and no response header or closing tag around it (RFC 6120 §4.9.1.2's framing, judged by its own cases)",
    fault: () => "pass",
    stream: {
      header: (raw, ctx) => (fromElsewhere(ctx) ? "" : raw),
      close: (ctx) => (fromElsewhere(ctx) ? "" : "</stream:stream>"),
    },
  },
  {
    // Twenty-third audit: fast-feature counted only HT-*-NONE as "a mechanism without channel binding", so a server
    // listing another compatible token mechanism without channel binding (XEP-0484 §3.1 names the HT draft's as "A
    // set of compatible mechanisms", not the only one) warned FAST-FEATURE-05 (adhoc: EXPR and PLAIN). Any listed
    // name that names no channel binding now counts: warn -> pass (Prosody 13, whose HT-SHA-256-NONE this replaces).
    id: "login.fast.none-as-plain",
    description:
      'the FAST feature lists its channel-binding HT mechanisms and PLAIN (carrying the token: one round trip, no channel binding) instead of HT-SHA-256-NONE (XEP-0484 §3.1: "These mechanisms MUST support authenticating with a token (instead of a password) and MUST result in success or failure within a single round-trip.")',
    fault: () => "pass",
    stream: editFeature(
      (f) => inlineOf(f)?.getChild("fast", FAST),
      (fast) => {
        fast.children = fast.children.filter((x) => typeof x === "string" || x.name !== "mechanism" || !/-NONE$/.test(x.getText().trim()));
        fast.c("mechanism").t("PLAIN");
      },
    ),
  },
  {
    // Forty-seventh audit: fast-feature-channel-binding counted only HT-*-ENDP/-EXPR(/-UNIQ) as capable of channel
    // binding, though XEP-0484 §3.1 names the HT draft's as "A set of compatible mechanisms", not the only one, and
    // fast-feature reads a name ending in '-PLUS' as one that binds. A token mechanism of another family named so now
    // counts: warn FAST-FEATURE-04 -> pass (Prosody 13, whose channel-binding HT mechanisms this replaces).
    id: "login.fast.plus-token-mechanism",
    description:
      "the FAST feature lists HT-SHA-256-NONE and, for channel binding, a token mechanism outside the HT family named in SASL's way with '-PLUS' (X-TOKEN-SHA-256-PLUS) instead of its HT-*-ENDP/-EXPR/-UNIQ (XEP-0484 §3.1: \"A set of compatible mechanisms can be found in draft-schmaus-sasl-ht-09\")",
    fault: () => "pass",
    stream: editFeature(
      (f) => inlineOf(f)?.getChild("fast", FAST),
      (fast) => {
        fast.children = fast.children.filter((x) => typeof x === "string" || x.name !== "mechanism" || /-NONE$/.test(x.getText().trim()));
        fast.c("mechanism").t("X-TOKEN-SHA-256-PLUS");
      },
    ),
  },
  {
    // Twenty-first audit (sibling of sasl2-other-traffic) made this a fault: bind2-replaces-earlier-session required
    // the earlier connection closed. Twenty-third audit: XEP-0386 §3.2 asks the server to "terminate any earlier
    // sessions", and a stream error ends one (RFC 6120 §4.9.1.1: "Stream-level errors are unrecoverable."); the
    // closing tag and the TCP close after it are RFC 6120's framing, not this rule. The case now takes the stream
    // error as the session's end: warn -> pass (Prosody 13, whose closing tag and TCP close this takes away).
    id: "login.bind2.replaced-session-kept-open",
    description:
      'a SASL2 session replaced by a later one gets a <conflict/> stream error but no closing stream tag, and its connection stays open (XEP-0386 §3.2: "the server SHOULD terminate any earlier sessions from the same client"; the stream error ends the session)',
    fault: () => "pass",
    stream: keptOpen(replacedConflict, { fromClient: noteSasl2 }),
  },
  {
    // Twenty-third audit: with the stream error taken as the earlier session's end, the case's 'one of' also takes a
    // TCP close with neither a stream error nor a closing tag ('receives disconnect' as an alternative): pass -> pass
    // (disconnected; Prosody 13, whose <conflict/> and closing tag this turns into the close).
    id: "login.bind2.replaced-session-cut",
    description:
      'a SASL2 session replaced by a later one has its TCP connection closed, with no stream error and no closing stream tag before it (XEP-0386 §3.2: "the server SHOULD terminate any earlier sessions from the same client", and names no way)',
    fault: () => "pass",
    stream: onElement((el) => (conflictError(el) ? "disconnect" : "pass")),
  },
  {
    // Twenty-second audit: sasl2-authzid-normalized sent only the upper-cased authorization string and warned on any
    // <failure/>, so a server that refuses every non-empty authorization string, the account's own exact bare JID too
    // (which the text never makes it accept), warned XEP-0388 §4.4's normalization although nothing showed a
    // normalization fault (adhoc: invalid-authzid for any authzid). The case now first logs in with the exact bare JID
    // (set-up): warn -> skip, naming that precondition (Prosody 13, the release that offers PLAIN in SASL2).
    id: "login.sasl2.authzid-refused",
    description:
      'a SASL2 PLAIN <authenticate/> with a non-empty authorization string fails (<not-authorized/>), even where it names the account itself (RFC 6120 §6.3.8: "If the initiating entity does not wish to act on behalf of another entity, it MUST NOT provide an authorization identity.": a server need not accept one)',
    fault: () => "pass",
    stream: (() => {
      const refused = new WeakSet<ProxiedConnection>();
      const withAuthzid = (ctx: FaultContext) => {
        const auth = asked(ctx);
        if (!auth || String(auth.attrs.mechanism ?? "") !== "PLAIN") return false;
        const response = auth.getChildText("initial-response") ?? "";
        return Buffer.from(response.trim(), "base64").toString("utf8").split("\0")[0] !== "";
      };
      return {
        fromClient: noteSasl2,
        element: (el, ctx) => {
          if (refused.has(ctx.conn)) return "drop";
          if (!(isSasl2(el, "success") || isSasl2(el, "continue")) || !withAuthzid(ctx)) return "pass";
          refused.add(ctx.conn);
          return [`<failure xmlns='${SASL2}'><not-authorized xmlns='${SASL}'/></failure>`];
        },
      };
    })(),
  },
  {
    // Twenty-first audit: sasl2-other-traffic accepted only a stream error or the closing stream tag, so a server that
    // answers a stanza sent during the exchange by closing the TCP connection at once, with neither, failed
    // XEP-0388 §2.4's MUST although it did disconnect (adhoc cut). It now requires the connection closed, whatever
    // came before: fail -> pass (ejabberd 24.12, whose stream error and closing tag this takes away).
    id: "login.sasl2.other-traffic-cut",
    description:
      'a stanza sent while a SASL2 exchange is in progress ends the TCP connection, with no stream error and no closing stream tag before it (XEP-0388 §2.4: "Servers MUST disconnect Clients immediately if any other traffic is received.")',
    fault: () => "pass",
    stream: {
      fromClient: noteDuring,
      element: (el, ctx) => {
        noteEnd(el, ctx);
        return duringSasl2.has(ctx.conn) && el.getName() === "error" && el.getNS() === STREAM ? "disconnect" : "pass";
      },
    },
    only: "ejabberd",
  },
  {
    // Forty-fourth audit: bind2-failure-binds-nothing failed BINDTWO-BIND-02 and SASLTWO-FAIL-02 on a server that
    // stores no offline message (RFC 6121 §8.5.2.2.1's SHOULD) and bounces none: romeo's message never reached
    // juliet's next session. The case now first shows that a control message is stored (it reaches an RFC 6120
    // session): fail -> skip. Stream-only: the messages a session gets from offline storage (with XEP-0203's
    // <delay/>) never arrive, as from a server that dropped them.
    id: "login.var.no-offline-storage",
    description:
      'a chat message to an account with no available resource is neither stored nor bounced (RFC 6121 §8.5.2.2.1: "the server SHOULD either (a) add the message to offline storage or (b) return a stanza error to the sender")',
    fault: () => "pass",
    stream: onElement((el) => (el.name === "message" && ["chat", "normal", undefined].includes(el.attrs.type) && el.getChild("body") && el.getChild("delay", "urn:xmpp:delay") ? "drop" : "pass")),
  },
];
