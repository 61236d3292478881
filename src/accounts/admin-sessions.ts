import { randomBytes } from "node:crypto";
import type { Element } from "ltx";
import { Session, type Credentials, type Endpoint } from "../xmpp/connections/session.ts";
import { Transcript } from "../xmpp/connections/transcript.ts";

/**
 * A few sessions of the admin account, logged in once and shared by every command of the run: no command
 * waits for a login, and several commands are in flight on each session. There are several because a
 * server limits each connection's rate (Prosody as shipped: mod_limits, 10 kB/s a c2s connection, paused
 * after each read for as long as its bytes take at that rate): one connection would carry every account's
 * commands one after the other.
 */
export class AdminSessions {
  /** Each session, with its commands waiting for a reply and when it was last given one (a count of commands). */
  private readonly slots: { session: Session; waiting: number; last: number }[];
  private sent = 0;

  constructor(
    endpoint: Endpoint,
    admin: Credentials,
    count: number,
    private readonly timeoutMs: number,
  ) {
    const tag = randomBytes(3).toString("hex");
    this.slots = Array.from({ length: count }, (_, i) => ({ session: new Session("admin", endpoint, admin, `xc-admin-${tag}-${i}`, new Transcript()), waiting: 0, last: 0 }));
  }

  /**
   * Logs the first session in, then the others at once. The first one's failure is the failure (it names
   * the admin and the server's answer), and a wrong password costs one refused login, not one a session (a
   * server may ban an address after a few: ejabberd's mod_fail2ban). A server that caps an account's
   * sessions still serves those it allows.
   */
  async open(): Promise<void> {
    const [first, ...others] = this.slots.map((s) => s.session);
    await first.start(this.timeoutMs);
    await Promise.allSettled(others.map((s) => s.start(this.timeoutMs)));
  }

  /**
   * Sends an IQ on the open session with the fewest commands waiting, of those the one idle longest: one
   * after another, commands go round the sessions, each of which a rate limit may still hold paused for the
   * last command it read. With none open, the first session says why it cannot send.
   */
  async request(iq: Element): Promise<Element> {
    const open = this.slots.filter((s) => s.session.isOpen);
    const slot = open.reduce((best, s) => (s.waiting < best.waiting || (s.waiting === best.waiting && s.last < best.last) ? s : best), open[0]) ?? this.slots[0];
    slot.waiting++;
    slot.last = ++this.sent;
    try {
      return await slot.session.request(iq, this.timeoutMs);
    } finally {
      slot.waiting--;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.session.close()));
  }
}
