import assert from "node:assert/strict";
import { FileError } from "../../src/util/yaml-file.ts";

/** The located error reading `file` gives, as [line, col, detail]; fails the test when there is none. */
export function locatedError(file: string, read: (file: string) => unknown): [number, number, string] {
  try {
    read(file);
  } catch (err) {
    assert.ok(err instanceof FileError, String(err));
    assert.equal(err.pos.file, file);
    assert.ok(err.message.startsWith(`${file}:${err.pos.line}:${err.pos.col}: `), err.message);
    return [err.pos.line, err.pos.col, err.detail];
  }
  assert.fail(`expected a located error for ${file}`);
}
