import type { Stopped } from "./schema.ts";

/** "14:03:12": when, for people, in the machine's local time. */
const clock = (iso: string) => new Date(iso).toLocaleTimeString("en-GB", { hour12: false });

/** Why a case did not run, or did not finish: "interrupted at 14:03:12", "the server went away at 14:03:12 (…)". */
export function describeStop(s: Stopped): string {
  const when = clock(s.at);
  if (s.why === "server-gone") return `the server went away at ${when}${s.detail ? ` (${s.detail})` : ""}`;
  if (s.why === "output-closed") return `the output was closed at ${when} (the reader of the pipe went away)`;
  return `interrupted at ${when}`;
}
