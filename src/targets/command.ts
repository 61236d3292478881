import { execFile } from "node:child_process";

/** Runs a server's command-line tool; a failure says what the tool printed (never the arguments: they may hold a password). */
export function runTool(command: string, args: string[], what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: "utf8" }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${what} failed (exit ${err.code ?? err.signal}): ${(stderr || stdout).trim().split("\n").slice(-3).join(" ")}`));
      else resolve(stdout);
    });
  });
}
