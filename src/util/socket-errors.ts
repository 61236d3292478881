/**
 * Socket errors that reach no listener (seen when a server resets hundreds of connections at once: one of
 * the client library's sockets can fail after its listeners are gone) would end the process, and with it
 * the run, its reports and its cleanup. The socket is dead either way, and the session that owned it ends
 * by its own timeout as an error verdict, so such an error is reported and the run goes on. Any other
 * uncaught error still ends the process, as it would without this.
 */
const NETWORK = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "ECONNABORTED", "EHOSTUNREACH", "ENETUNREACH"]);

export function survivePeerResets(log: (line: string) => void): void {
  process.on("uncaughtException", (err: NodeJS.ErrnoException) => {
    if (err.code && NETWORK.has(err.code) && typeof err.syscall === "string") {
      log(`warning: a connection failed with nobody listening (${err.message}); its session ends by its timeout`);
      return;
    }
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  });
}
