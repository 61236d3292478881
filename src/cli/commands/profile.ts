import { writeFileSync } from "node:fs";
import type { CommandModule } from "yargs";
import { checkProfile, describeFinding, PROBLEMS } from "../../profiles/check.ts";
import { draftProfile } from "../../profiles/draft.ts";
import { loadProfile } from "../../profiles/load.ts";
import { EXIT } from "../exit-codes.ts";
import { loadResults } from "../results-files.ts";
import { err } from "../suite.ts";

const init: CommandModule = {
  command: "init <results>",
  describe: "a draft profile for the server of a run: one entry per failing or warning case, with the rule and the stanza the server sent, marked for review",
  builder: (y) =>
    y
      .positional("results", { type: "string", describe: "results.json (or jsonl) of a run, best with --profile none" })
      .option("out", { alias: "o", type: "string", describe: "write the draft to this file (default: standard output)" })
      .example("$0 profile init reports/results.json -o profiles/myserver-1.2.yaml", "draft a profile from a run with --profile none"),
  handler: (argv) => {
    const a = argv as unknown as { results: string; out?: string };
    const [{ file, run }] = loadResults([a.results]);
    const yaml = draftProfile(run, file);
    if (!a.out) return void process.stdout.write(yaml);
    writeFileSync(a.out, yaml);
    const n = (yaml.match(/^ {2}- case: /gm) ?? []).length;
    err(`${a.out}: ${n} entr${n === 1 ? "y" : "ies"} to review; run with --profile ${a.out}, then 'xmpp-conform profile check' on its results names what is left`);
  },
};

const check: CommandModule = {
  command: "check <results>",
  describe: "the entries of a profile that a run shows stale (no longer failing), without evidence, or still under review; exit 1 when there are any",
  builder: (y) =>
    y.positional("results", { type: "string", describe: "results.json (or jsonl) of a run" }).option("profile", { type: "string", describe: "the profile file (default: the one the run used)" }),
  handler: (argv) => {
    const a = argv as unknown as { results: string; profile?: string };
    const [{ file, run }] = loadResults([a.results]);
    const profileFile = a.profile ?? run.profile?.file;
    if (!profileFile) {
      err(`xmpp-conform profile check: ${file} was run without a profile; name one with --profile FILE`);
      process.exit(EXIT.usage);
    }
    let profile;
    try {
      profile = loadProfile(profileFile);
    } catch (e) {
      err((e as Error).message);
      process.exit(EXIT.usage);
    }
    const findings = checkProfile(profile, run);
    for (const f of findings) process.stdout.write(`${describeFinding(f)}\n`);
    const problems = findings.filter((f) => PROBLEMS.includes(f.kind));
    process.stdout.write(
      `${profile.entries.length} entries in ${profileFile}: ${problems.length} to fix${findings.length > problems.length ? `, ${findings.length - problems.length} this run says nothing about` : ""}\n`,
    );
    process.exitCode = problems.length > 0 ? EXIT.failed : EXIT.ok;
  },
};

export const profile: CommandModule = {
  command: "profile <command>",
  describe: "draft a server's profile from a run (init), or check one against a run (check)",
  builder: (y) => y.command([init, check]).demandCommand(1, "say init or check"),
  handler: () => {},
};
