/** A step that cannot be carried out: the harness's or the network's fault, not the server's. */
export class HarnessError extends Error {}
