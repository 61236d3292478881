import { watch, type FSWatcher } from "node:fs";
import type { S2sLink } from "../../src/targets/s2s-log.ts";
import type { Target } from "../../src/targets/types.ts";

/**
 * The s2s links a target's servers have logged, once `want` holds for them: re-read whenever one of the
 * logs changes (ejabberd's logger writes in batches, so a link can show up a while after it carried
 * stanzas), or what is there when `timeoutMs` runs out.
 */
export async function linksWhen(target: Target, want: (links: S2sLink[]) => boolean, timeoutMs: number): Promise<S2sLink[]> {
  const read = () => target.s2sLinks?.() ?? [];
  if (want(read())) return read();
  const files = [target.logFile, target.peer?.logFile].filter((f): f is string => Boolean(f));
  const watchers: FSWatcher[] = [];
  try {
    return await new Promise<S2sLink[]>((resolve) => {
      const timer = setTimeout(() => resolve(read()), timeoutMs);
      const check = () => {
        const links = read();
        if (want(links)) {
          clearTimeout(timer);
          resolve(links);
        }
      };
      for (const f of files) watchers.push(watch(f, check));
      check(); // a write between the first read and the watch
    });
  } finally {
    for (const w of watchers) w.close();
  }
}
