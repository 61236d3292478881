/** The requirement levels of BCP 14 (RFC 2119, RFC 8174), strongest first: what a rule, a case and a step are graded at. */
export const LEVELS = ["MUST", "SHOULD", "MAY"] as const;
export type Level = (typeof LEVELS)[number];
