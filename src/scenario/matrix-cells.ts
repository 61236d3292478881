/** A matrix cell: a value for each matrix variable. */
export type Cell = Record<string, string>;

/** The cells of a matrix: every combination of the variables' values, or the listed cells. */
export function cellsOf(matrix: unknown): Cell[] {
  if (Array.isArray(matrix)) return matrix.map((c) => Object.fromEntries(Object.entries(c as object).map(([k, v]) => [k, String(v)])));
  return Object.entries(matrix as Record<string, unknown[]>).reduce<Cell[]>((cells, [name, values]) => cells.flatMap((c) => values.map((v) => ({ ...c, [name]: String(v) }))), [{}]);
}

/**
 * ${m.NAME} replaced by the cell's value in every string of the document (keys included). A string that is
 * only a placeholder for an integer becomes that number, so `presence: "${m.priority}"` stays a priority (a
 * section such as "8.4" stays text).
 */
export function substitute(value: unknown, cell: Cell): unknown {
  const alone = typeof value === "string" ? /^\$\{m\.([a-z][a-z0-9_]*)\}$/.exec(value) : null;
  if (alone && cell[alone[1]] !== undefined && /^-?\d+$/.test(cell[alone[1]])) return Number(cell[alone[1]]);
  if (typeof value === "string") return value.replace(/\$\{m\.([a-z][a-z0-9_]*)\}/g, (whole, name: string) => cell[name] ?? whole);
  if (Array.isArray(value)) return value.map((v) => substitute(v, cell));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k, cell) as string, substitute(v, cell)]));
  return value;
}
