/**
 * A reader that goes away early (`xmpp-conform list | head -1`) closes our stdout, and stderr with it under
 * `2>&1`: that is the user's choice, not an error. Every command then ends at once, without another word to
 * the closed streams; `run` ends as after Ctrl-C instead (see onOutputClosed), so that its accounts are
 * removed and its reports written. Without these listeners the write error would reach the process-wide
 * handler, whose warning to the same closed stream fails again, in a loop.
 */
let closed: (() => void) | undefined = () => process.exit(0);
let gone = false;

export function watchOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", () => {
      if (gone) return;
      gone = true;
      closed?.();
    });
  }
}

/** What a closed output does instead of ending the process (the run's interrupt). */
export function onOutputClosed(then: () => void): void {
  closed = then;
}

/** Whether the output is gone: nothing more is worth writing. */
export const outputClosed = () => gone;
