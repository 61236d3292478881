import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the package's own files are (scenarios, profiles, spec/, package.json): the one module that locates them
 * from its own place, so the sources run as they are or bundled into one file (the tests' CLI processes) alike.
 */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** A file or folder of the package, by its path inside it. */
export const packageFile = (...parts: string[]) => path.join(PACKAGE_ROOT, ...parts);
/** The shipped suite. */
export const SUITE = packageFile("scenarios");
/** The shipped server profiles (--profile auto chooses among them). */
export const PROFILES = packageFile("profiles");
