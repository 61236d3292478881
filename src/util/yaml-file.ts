import { readFileSync } from "node:fs";
import { LineCounter, parseDocument, isMap, isScalar, type Document } from "yaml";
import { z } from "zod";

/** Where something is in a YAML input file. */
export const SourcePos = z.object({
  file: z.string().describe("the scenario file"),
  line: z.number().int(),
  col: z.number().int(),
});
export type SourcePos = z.infer<typeof SourcePos>;

/** A problem in a YAML input file, located for people and editors: "file:line:col: message". */
export class FileError extends Error {
  constructor(
    readonly pos: SourcePos,
    readonly detail: string,
  ) {
    super(`${pos.file}:${pos.line}:${pos.col}: ${detail}`);
  }
}

export type Path = (string | number)[];

export interface YamlFile<T> {
  data: T;
  /** Where a path points in the source (the deepest node that exists), for checks beyond the schema. */
  at(path: Path): SourcePos;
}

/**
 * Reads one YAML document and checks it against a zod schema; the first problem becomes a FileError at
 * the line and column of the offending node (or of an unknown key itself).
 */
export function readYamlFile<S extends z.ZodType>(file: string, schema: S): YamlFile<z.infer<S>> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new FileError({ file, line: 1, col: 1 }, `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  const bad = doc.errors[0];
  if (bad) {
    const lp = bad.linePos?.[0] ?? { line: 1, col: 1 };
    throw new FileError({ file, line: lp.line, col: lp.col }, `invalid YAML: ${bad.message.split("\n")[0]}`);
  }
  const at = (p: Path, key?: string) => locate(doc, lines, file, p, key);
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const p = issue.path.map((x) => (typeof x === "symbol" ? String(x) : x));
    const key = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
    throw new FileError(at(p, key), key ? `unknown key '${key}'${p.length > 0 ? ` in ${p.join(".")}` : ""}` : `${p.join(".") || "document"}: ${issue.message}`);
  }
  return { data: parsed.data, at: (p) => at(p) };
}

/** Where a path points in the YAML source: the deepest node that exists, or the key it names. */
export function locate(doc: Document, lines: LineCounter, file: string, at: Path, key?: string): SourcePos {
  let offset = 0;
  for (let n = at.length; n >= 0; n--) {
    const node = doc.getIn(at.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (!node?.range) continue;
    offset = node.range[0];
    if (key !== undefined && n === at.length && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
    }
    break;
  }
  const { line, col } = lines.linePos(offset);
  return { file, line, col };
}
