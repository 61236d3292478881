/** What a test case cites: an RFC section, or a XEP's spec id and section; and the one requirement it names. */
export type Cite = ({ rfc: string } | { spec: string; section: string }) & { requirement: string };

/**
 * The head of a one-case scenario file for the loader's tests: a MUST case citing one requirement (ROSTER-GET-01,
 * RFC 6121 §2.1.3, unless told), with the accounts and whatever follows them (connections) as YAML lines. The text
 * ends there, so a test appends `steps:` itself; its line count is part of the located errors tests expect.
 */
export function caseHead(accounts: string, cite: Cite = { rfc: "2.1.3", requirement: "ROSTER-GET-01" }): string {
  const where = "rfc" in cite ? `rfc: "${cite.rfc}"` : `spec: ${cite.spec}\nsection: "${cite.section}"`;
  return `id: t\ntitle: T\n${where}\nlevel: MUST\nrequirements: [${cite.requirement}]\naccounts:\n${accounts}`;
}

/** juliet with one resource, balcony, as a case's only account. */
export const julietAtBalcony = (resource = "{}") => caseHead(`  juliet:\n    resources:\n      balcony: ${resource}\n`);
