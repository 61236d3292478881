import { FileError } from "../util/yaml-file.ts";

/** A problem in a scenario file, located for people and editors: "file:line:col: message". */
export class ScenarioError extends FileError {}
