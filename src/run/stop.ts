import type { Stopped } from "../results/schema.ts";

export type { Stopped } from "../results/schema.ts";

/**
 * Why a run stops before every case has run, decided once: the first of an interrupt from the caller (its
 * signal; a reason `{ why: "output-closed" }` says the output went away, any other reason is an interrupt)
 * and the run's own finding that the server is gone. Everything that must stop listens to `signal`; the
 * record and the cases that did not run say `stopped`.
 */
export class RunStop {
  private readonly controller = new AbortController();
  stopped?: Stopped;

  constructor(outer?: AbortSignal) {
    const fromOuter = () => this.stop(isStopReason(outer!.reason) ? outer!.reason : { why: "interrupted" });
    if (outer?.aborted) fromOuter();
    else outer?.addEventListener("abort", fromOuter, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(s: Omit<Stopped, "at">): void {
    if (this.stopped) return;
    this.stopped = { ...s, at: new Date().toISOString() };
    this.controller.abort(this.stopped);
  }
}

const isStopReason = (r: unknown): r is Omit<Stopped, "at"> => typeof r === "object" && r !== null && ["interrupted", "output-closed", "server-gone"].includes((r as Stopped).why);

/** What stopped the run a signal of RunStop belongs to (an interrupt, when the signal is some other one). */
export const stoppedBy = (signal: AbortSignal): Stopped =>
  isStopReason(signal.reason) && "at" in (signal.reason as object) ? (signal.reason as Stopped) : { why: "interrupted", at: new Date().toISOString() };
