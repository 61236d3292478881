/** One line of a case's transcript (the results record's TranscriptEntry has this shape). */
export interface TranscriptEntry {
  /** Milliseconds since the case started. */
  at: number;
  /** The session label, account/resource. */
  session: string;
  dir: "in" | "out" | "note";
  /** The stanza as sent or received (SASL payloads and passwords redacted), or a note. */
  xml: string;
  /** Harness traffic (set-up, barriers), not part of the scenario's steps. */
  harness?: boolean;
  /** After the case's steps: the harness removing its accounts and closing its sessions (what the server says then answers the harness). */
  teardown?: boolean;
}

export class Transcript {
  readonly entries: TranscriptEntry[] = [];
  private readonly t0 = performance.now();
  private tearingDown = false;

  /** `onEntry` sees each entry as it is added (an interactive command prints them live). */
  constructor(private readonly onEntry?: (e: TranscriptEntry) => void) {}

  now(): number {
    return Math.round((performance.now() - this.t0) * 10) / 10;
  }

  /** From now on every entry is the harness's teardown: marked, and shown with harness traffic only. */
  teardown(): void {
    this.tearingDown = true;
  }

  add(session: string, dir: TranscriptEntry["dir"], xml: string, harness = false): void {
    const entry = { at: this.now(), session, dir, xml: redact(xml), ...((harness || this.tearingDown) && { harness: true }), ...(this.tearingDown && { teardown: true }) };
    this.entries.push(entry);
    this.onEntry?.(entry);
  }
}

/**
 * Passwords never reach a transcript: SASL payloads (SASL2's initial response and additional data too), FAST
 * tokens (XEP-0484), registration passwords and password fields of forms (XEP-0133) are blanked.
 */
export function redact(xml: string): string {
  return xml
    .replace(/(<(auth|response|challenge|success|initial-response|additional-data)\b[^>]*>)[^<]+(<\/\2>)/g, "$1[redacted]$3")
    .replace(/(<token\b[^>]*\btoken=)(["'])[^"']*\2/g, "$1$2[redacted]$2")
    .replace(/(<password\b[^>]*>)[^<]*(<\/password>)/g, "$1[redacted]$2")
    .replace(/(<field\b[^>]*\bvar=["']password(?:-verify)?["'][^>]*>\s*<value>)[^<]*/g, "$1[redacted]");
}
