import { readFileSync } from "node:fs";

/** Where a password comes from: an environment variable or a file, never the command line (it would show in `ps`). */
export interface SecretSource {
  env?: string;
  file?: string;
}

/** Reads a password; the error names the source, never the value. A file's trailing newline is not part of it. */
export function readSecret(from: SecretSource, what: string): string {
  if (from.file) {
    let text: string;
    try {
      text = readFileSync(from.file, "utf8");
    } catch (err) {
      throw new Error(`cannot read the password of ${what} from ${from.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const value = text.replace(/\r?\n$/, "");
    if (!value) throw new Error(`the password file of ${what} (${from.file}) is empty`);
    return value;
  }
  const value = from.env ? process.env[from.env] : undefined;
  if (!value) throw new Error(`the password of ${what} is not set: put it in the environment variable ${from.env ?? "(none named)"} or name a file`);
  return value;
}
