import path from "node:path";
import { fileURLToPath } from "node:url";

/** The shipped suite. */
export const SUITE = path.join(path.dirname(fileURLToPath(import.meta.url)), "../scenarios");
/** The shipped server profiles (--profile auto chooses among them). */
export const PROFILES = path.join(path.dirname(fileURLToPath(import.meta.url)), "../profiles");
