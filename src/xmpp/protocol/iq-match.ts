import type { Element } from "ltx";

interface Middleware {
  use(fn: (ctx: { stanza: Element }, next: () => Promise<unknown>) => unknown): unknown;
}

/**
 * Replies to the harness's own IQs, matched by id as middleware. The library's IQ caller rejects on an
 * error reply, which turns an early error reply into an unhandled rejection (its handler is attached only
 * after the write completes); here a reply is always a value, result or error alike.
 */
export class IqMatcher {
  private readonly pending = new Map<string, { resolve: (el: Element) => void; reject: (err: Error) => void }>();
  private static ids = 0;

  constructor(middleware: Middleware) {
    middleware.use(({ stanza }, next) => {
      const waiting = this.replyTo(stanza);
      if (!waiting) return next();
      this.pending.delete(String(stanza.attrs.id));
      waiting.resolve(stanza);
      return undefined;
    });
  }

  /** Whether `el` answers one of the harness's IQs (the transcript marks it as harness traffic). */
  expects(el: Element): boolean {
    return Boolean(this.replyTo(el));
  }

  private replyTo(el: Element) {
    const id = el.attrs.id as string | undefined;
    return el.name === "iq" && (el.attrs.type === "result" || el.attrs.type === "error") && id ? this.pending.get(id) : undefined;
  }

  /** Sends `el` (given an id when it has none) and resolves with its reply, result or error. */
  request(el: Element, send: (el: Element) => Promise<void>, timeoutMs: number, who: string): Promise<Element> {
    const id = (el.attrs.id ??= `xc${++IqMatcher.ids}`);
    const reply = new Promise<Element>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${who}: no reply to <iq id='${id}'> within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
    reply.catch(() => {}); // a rejection before anyone awaits must not end the process
    return send(el).then(
      () => reply,
      (err: Error) => {
        this.pending.get(id)?.reject(err);
        this.pending.delete(id);
        return reply;
      },
    );
  }

  /** The session ended: every harness IQ still waiting fails with the reason. */
  failAll(reason: string): void {
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
  }
}
