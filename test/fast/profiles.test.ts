import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { applyProfile } from "../../src/profiles/apply.ts";
import { checkProfile } from "../../src/profiles/check.ts";
import { loadProfile, loadProfiles, unknownEntries } from "../../src/profiles/load.ts";
import { pickProfile } from "../../src/profiles/select.ts";
import type { Profile } from "../../src/profiles/types.ts";
import { loadSuite } from "../../src/scenario/load.ts";
import { PROFILES, SUITE } from "../../src/cli/suite.ts";
import { makeCase, makeRun } from "../support/results.ts";
import { locatedError } from "../support/located.ts";
import { tempFiles } from "../support/temp-files.ts";

const file = tempFiles("profiles");

const VALID = `server: ejabberd
version: "23.01"
deviations:
  - case: roster-push-not-interested
    requirements: [ROSTER-ADD-01]
    level: MUST
    reason: pushes to resources that never asked for the roster
    rfc: "RFC 6121 §2.2: ..."
    observed: <iq type='set'/>
  - requirement: ROSTER-SET-ERR-09
    reason: answers service-unavailable
    link: https://example.org/issue/1
`;

/** The located error a broken file gives: [line, col, detail]. */
const problem = (text: string) => locatedError(file(text), loadProfile);

test("a valid profile loads with each entry's position", () => {
  const p = loadProfile(file(VALID));
  assert.deepEqual([p.server, p.version, p.entries.length], ["ejabberd", "23.01", 2]);
  assert.deepEqual([p.entries[0].case, p.entries[0].pos.line], ["roster-push-not-interested", 4]);
  assert.deepEqual([p.entries[1].requirement, p.entries[1].link, p.entries[1].pos.line], ["ROSTER-SET-ERR-09", "https://example.org/issue/1", 10]);
  assert.deepEqual(
    [p.entries[0].documents, p.entries[1].documents],
    [
      { requirements: ["ROSTER-ADD-01"], level: "MUST" },
      { requirements: ["ROSTER-SET-ERR-09"], level: "MUST" },
    ],
  );
});

test("broken profiles are reported as file:line:col", () => {
  assert.deepEqual(problem(VALID.replace("    link: https://example.org/issue/1\n", "")), [10, 5, "deviations.1: expected a link, or the RFC text (rfc) and the stanza the server sent (observed)"]);
  assert.deepEqual(problem(VALID.replace("  - case: roster-push-not-interested\n", "  - case: roster-push-not-interested\n    requirement: ROSTER-PUSH-02\n")).slice(0, 2), [4, 5]);
  assert.match(problem(VALID.replace("  - case: roster-push-not-interested\n", "  - case: roster-push-not-interested\n    requirement: ROSTER-PUSH-02\n"))[2], /exactly one of case, requirement/);
  assert.deepEqual(problem(VALID.replace("    reason: answers", "    because: x\n    reason: answers")), [11, 5, "unknown key 'because' in deviations.1"]);
  assert.deepEqual(problem(VALID.replace('version: "23.01"\n', "")), [1, 1, "version: Invalid input: expected string, received undefined"]);
  assert.match(problem(`${VALID}  - case: [oops\n`)[2], /^invalid YAML/);
  assert.match(problem(VALID.replace("requirement: ROSTER-SET-ERR-09", "requirement: roster-set"))[2], /^deviations\.1\.requirement: expected a requirement ID/);
});

test("entries naming no scenario or requirement of the suite are reported where they stand", () => {
  const suite = loadSuite([SUITE]).scenarios;
  const p = loadProfile(file(VALID.replace("case: roster-push-not-interested", "case: roster-push-not-intrested")));
  const problems = unknownEntries(p, suite);
  assert.deepEqual(
    problems.map((e) => [e.pos.line, e.detail]),
    [[4, "no scenario 'roster-push-not-intrested' in the suite"]],
  );
});

test("the shipped profiles are valid and name only cases of the suite", () => {
  const suite = loadSuite([SUITE]).scenarios;
  const profiles = loadProfiles(PROFILES);
  assert.ok(profiles.length >= 2, "a profile for Prosody and one for ejabberd");
  assert.deepEqual(
    profiles.flatMap((p) => unknownEntries(p, suite)).map((e) => e.message),
    [],
  );
});

const profile = (server: string, version: string): Profile => ({ file: `${server}-${version}.yaml`, server, version, entries: [] });

test("--profile auto picks by software name and version, falls back to the newest with a note", () => {
  const all = [profile("ejabberd", "23.01"), profile("ejabberd", "21.12"), profile("Prosody", "0.12")];
  assert.equal(pickProfile(all, { name: "ejabberd", version: "23.01" }).profile?.version, "23.01");
  assert.equal(pickProfile(all, { name: "ejabberd", version: "23.01-1" }).note, undefined, "Debian's 23.01-1 is 23.01");
  assert.equal(pickProfile(all, { name: "prosody", version: "0.12.3" }).profile?.server, "Prosody");
  const newer = pickProfile(all, { name: "ejabberd", version: "24.02" });
  assert.equal(newer.profile?.version, "23.01");
  assert.match(newer.note!, /no profile for ejabberd 24\.02: using the newest for ejabberd, 23\.01/);
  assert.equal(pickProfile(all, { name: "ejabberd", version: "23.010" }).profile?.version, "23.01", "23.010 is not 23.01: newest, with a note");
  assert.ok(pickProfile(all, { name: "ejabberd", version: "23.010" }).note);
  assert.deepEqual(Object.keys(pickProfile(all, { name: "Openfire", version: "4.8" })), ["note"]);
  assert.match(pickProfile(all, undefined).note!, /did not say what software it is/);
});

test("an entry documents what it cites and no more: another requirement failing, or one above its level, keeps the case's verdict", () => {
  const p = loadProfile(file(VALID.replace("    requirements: [ROSTER-ADD-01]\n    level: MUST\n", "    requirements: [ROSTER-PUSH-02]\n    level: SHOULD\n")));
  const on = { a: p };
  const warned = (id: string, verdict: "fail" | "warn") => ({ id, verdict });
  const asDocumented = applyProfile(
    makeCase({ id: "roster-push-not-interested", verdict: "warn", requirementResults: [warned("ROSTER-PUSH-02", "warn"), { id: "ROSTER-PUSH-01", verdict: "pass" }] }),
    on,
  );
  assert.equal(asDocumented.verdict, "xfail");
  assert.deepEqual(
    asDocumented.requirementResults?.map((q) => q.verdict),
    ["xfail", "pass"],
  );
  const above = applyProfile(makeCase({ id: "roster-push-not-interested", verdict: "fail", reason: "r", requirementResults: [warned("ROSTER-PUSH-02", "fail")] }), on);
  assert.equal(above.verdict, "fail", "a fail where the entry documents a warning");
  assert.match(above.reason!, /fails beyond its known deviation \(.*:4 documents ROSTER-PUSH-02 at SHOULD\): ROSTER-PUSH-02 at MUST; r$/);
  const other = applyProfile(makeCase({ id: "roster-push-not-interested", verdict: "warn", requirementResults: [warned("ROSTER-PUSH-02", "warn"), warned("ROSTER-PUSH-01", "warn")] }), on);
  assert.equal(other.verdict, "warn", "a requirement the entry does not cite");
  assert.match(problem(VALID.replace("    requirements: [ROSTER-ADD-01]\n", ""))[2], /a case entry documents what it cites and no more: expected requirements/);
});

test("a profile turns expected failures into xfail, unexpected passes into xpass, and never touches errors or skips", () => {
  const p = loadProfile(file(VALID));
  const on = { a: p };
  const warn = applyProfile(makeCase({ id: "roster-push-not-interested", verdict: "warn", reason: "chamber got a push" }), on);
  assert.equal(warn.verdict, "xfail");
  assert.deepEqual(warn.deviation, { source: `${path.relative(process.cwd(), p.file)}:4`, reason: "pushes to resources that never asked for the roster", verdict: "warn" });
  assert.match(warn.reason!, /^known deviation \(.*:4\): pushes to resources/);
  const byRequirement = applyProfile(makeCase({ id: "roster-set-zero-items", verdict: "fail", requirements: ["ROSTER-SET-ERR-09"] }), on);
  assert.deepEqual([byRequirement.verdict, byRequirement.deviation?.link], ["xfail", "https://example.org/issue/1"]);
  const xpass = applyProfile(makeCase({ id: "roster-push-not-interested", verdict: "pass" }), on);
  assert.equal(xpass.verdict, "xpass");
  assert.match(xpass.reason!, /update the profile/);
  for (const verdict of ["error", "skip"] as const) assert.equal(applyProfile(makeCase({ id: "roster-push-not-interested", verdict }), on).verdict, verdict);
  assert.equal(applyProfile(makeCase({ id: "roster-get-empty", verdict: "fail" }), on).verdict, "fail");
  assert.equal(applyProfile(makeCase({ id: "roster-push-not-interested/cell", verdict: "fail" }), on).verdict, "xfail", "a scenario's entry covers its matrix cells");
  assert.equal(applyProfile(makeCase({ id: "roster-push-not-interested-2", verdict: "fail" }), on).verdict, "fail", "but not another scenario with a longer id");
  assert.equal(applyProfile(makeCase({ id: "roster-push-not-interested", verdict: "warn" }), undefined).verdict, "warn");
});

test("an intermittent entry (a race inside the server) leaves a pass a pass, and still turns the documented failure into xfail", () => {
  const p = loadProfile(file(VALID.replace("    requirements: [ROSTER-ADD-01]\n    level: MUST\n", "    requirements: [ROSTER-PUSH-02]\n    level: SHOULD\n    intermittent: true\n")));
  const on = { a: p };
  const warned = (id: string, verdict: "pass" | "warn") => ({ id, verdict });
  assert.equal(p.entries[0].intermittent, true);
  const passed = applyProfile(makeCase({ id: "roster-push-not-interested", verdict: "pass", requirementResults: [warned("ROSTER-PUSH-02", "pass")] }), on);
  assert.equal(passed.verdict, "pass");
  assert.deepEqual(
    passed.requirementResults?.map((q) => q.verdict),
    ["pass"],
  );
  assert.match(passed.reason!, /shows in some runs only/);
  assert.equal(applyProfile(makeCase({ id: "roster-push-not-interested", verdict: "warn", requirementResults: [warned("ROSTER-PUSH-02", "warn")] }), on).verdict, "xfail");
});

test("a pass that never reached what the entry documents (an after: left it unjudged) is neither an xpass nor a stale entry", () => {
  const p = loadProfile(file(VALID));
  const unreached = makeCase({ id: "roster-push-not-interested", verdict: "pass", requirementResults: [{ id: "ROSTER-ADD-01", verdict: "not-reached" }] });
  const applied = applyProfile(unreached, { a: p });
  assert.equal(applied.verdict, "pass");
  assert.match(applied.reason!, /^passed without judging what .*:4 documents \(ROSTER-ADD-01 not reached\)/);
  assert.deepEqual(
    checkProfile(p, makeRun([applied])).filter((f) => f.kind === "stale"),
    [],
  );
  const judged = applyProfile(makeCase({ id: "roster-push-not-interested", verdict: "pass", requirementResults: [{ id: "ROSTER-ADD-01", verdict: "pass" }] }), { a: p });
  assert.equal(judged.verdict, "xpass");
  assert.deepEqual(checkProfile(p, makeRun([judged])).filter((f) => f.kind === "stale").length, 1);
});

test("an entry with config or transport applies only to runs so made; the more specific entry decides", () => {
  const p = loadProfile(
    file(
      VALID.replace(
        "  - requirement: ROSTER-SET-ERR-09",
        "  - case: roster-push-not-interested\n    transport: bosh\n    requirements: [ROSTER-ADD-01]\n    level: MUST\n    reason: over BOSH it answers late\n    link: https://example.org/issue/2\n  - case: roster-get-empty\n    config: shipped\n    requirements: [ROSTER-GET-01]\n    level: MUST\n    reason: the shipped configuration lacks the module\n    link: https://example.org/issue/3\n  - requirement: ROSTER-SET-ERR-09",
      ),
    ),
  );
  const failed = (id: string) => makeCase({ id, verdict: "fail" });
  assert.equal(applyProfile(failed("roster-get-empty"), { a: p }).verdict, "fail", "config unknown: a running server");
  assert.equal(applyProfile(failed("roster-get-empty"), { a: p, config: "harness" }).verdict, "fail");
  assert.equal(applyProfile(failed("roster-get-empty"), { a: p, config: "shipped" }).verdict, "xfail");
  // Over TCP the entry without a transport decides; over BOSH the one that names it.
  assert.equal(applyProfile(failed("roster-push-not-interested"), { a: p }).deviation?.reason, "pushes to resources that never asked for the roster");
  assert.equal(applyProfile(failed("roster-push-not-interested"), { a: p, transport: "bosh" }).deviation?.reason, "over BOSH it answers late");
  assert.match(problem(VALID.replace("  - case: roster-push-not-interested\n", "  - case: roster-push-not-interested\n    transport: udp\n"))[2], /transport/);
});

test("cross-domain variants: an entry covers a variant only in the role it names (side), and only on its pairing", () => {
  const p = loadProfile(
    file(`server: Prosody
version: "0.12"
deviations:
  - case: delivery-msg-fullnomatch-1nn
    requirements: [ROSTER-ADD-01]
    level: MUST
    side: b
    reason: the recipient's server redirects
    link: https://example.org/1
  - case: presence-probe-directed
    requirements: [ROSTER-ADD-01]
    level: MUST
    reason: single server only
    link: https://example.org/2
  - case: roster-delete-to-sends-unsubscribe@cross
    requirements: [ROSTER-ADD-01]
    level: MUST
    pairing: prosody+ejabberd
    reason: full JID across servers
    link: https://example.org/3
`),
  );
  const v = (id: string) => makeCase({ id, verdict: "fail", variant: { name: "cross", of: id.replace(/@cross$/, ""), moved: ["bob"] } });
  // As the second server's profile, a side-b entry covers the variant; as the first's, only the single-server case.
  assert.equal(applyProfile(v("delivery-msg-fullnomatch-1nn/normal@cross"), { b: p }).verdict, "xfail");
  assert.equal(applyProfile(v("delivery-msg-fullnomatch-1nn/normal@cross"), { a: p }).verdict, "fail");
  assert.equal(applyProfile(makeCase({ id: "delivery-msg-fullnomatch-1nn/normal", verdict: "fail" }), { a: p }).verdict, "xfail");
  assert.equal(applyProfile(makeCase({ id: "delivery-msg-fullnomatch-1nn/normal", verdict: "fail" }), { b: p }).verdict, "fail", "single-server cases run on the first server");
  // Without a side, the single-server entry does not cover the variant.
  assert.equal(applyProfile(v("presence-probe-directed@cross"), { a: p, b: p }).verdict, "fail");
  // An entry naming a variant is side a, on its pairing only.
  assert.equal(applyProfile(v("roster-delete-to-sends-unsubscribe@cross"), { a: p, pairing: "prosody+ejabberd" }).verdict, "xfail");
  assert.equal(applyProfile(v("roster-delete-to-sends-unsubscribe@cross"), { a: p, pairing: "prosody+prosody" }).verdict, "fail");
  assert.equal(applyProfile(makeCase({ id: "roster-delete-to-sends-unsubscribe", verdict: "fail" }), { a: p, pairing: "prosody+ejabberd" }).verdict, "fail");
  // The loader: a pairing needs a variant or a side; a variant's id must exist.
  assert.match(problem(VALID.replace("  - case: roster-push-not-interested\n", "  - case: roster-push-not-interested\n    pairing: prosody+ejabberd\n"))[2], /pairing is for cross-domain variants/);
  assert.match(problem(VALID.replace("  - case: roster-push-not-interested\n", "  - case: roster-push-not-interested\n    side: c\n"))[2], /side/);
  const suite = loadSuite([SUITE]).scenarios;
  const unknown = loadProfile(file(VALID.replace("case: roster-push-not-interested", "case: roster-get-empty@cross")));
  assert.match(unknownEntries(unknown, suite)[0].detail, /no scenario 'roster-get-empty@cross' in the suite \(or it has no cross-domain variant/);
});
