/** A step that cannot be carried out: the harness's or the network's fault, not the server's. */
export class HarnessError extends Error {}

/** The server refused a request the text lets a deployment refuse (a step's `refused`): the case is skipped, never retried. */
export class Refused extends Error {}
