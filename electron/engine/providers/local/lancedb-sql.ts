/**
 * SQL fragments for LanceDB predicates (DataFusion dialect). Every value goes through `sqlString`:
 * file names can hold quotes, and a predicate built by concatenation must never break or widen.
 */

/** A string literal: single quotes doubled; backslashes are literal in this dialect. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A column reference; backticks keep camelCase names from being lower-cased. */
export function sqlColumn(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** `column IN ('a', 'b')`. Callers split long lists (see `chunked`). */
export function sqlIn(column: string, values: readonly string[]): string {
  if (values.length === 0) return 'false';
  return `${sqlColumn(column)} IN (${values.map(sqlString).join(', ')})`;
}

/**
 * Paths inside a folder (and the folder itself), whichever separator the stored paths use.
 * `starts_with` rather than LIKE, so `%` and `_` in folder names are not wildcards.
 */
export function sqlInFolder(column: string, folder: string): string {
  const trimmed = folder.replace(/[\\/]+$/u, '');
  const col = sqlColumn(column);
  if (trimmed === '') return `starts_with(${col}, ${sqlString(folder.slice(0, 1))})`;
  return `(${col} = ${sqlString(trimmed)} OR starts_with(${col}, ${sqlString(`${trimmed}/`)}) OR starts_with(${col}, ${sqlString(`${trimmed}\\`)}))`;
}

/** `column op value` for a finite number; undefined (no condition) when the bound is absent. */
export function sqlNumberBound(
  column: string,
  op: '>=' | '<',
  value: number | undefined,
): string | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return `${sqlColumn(column)} ${op} ${value}`;
}

/** Joins the present conditions with AND; undefined when there are none. */
export function sqlAnd(conditions: readonly (string | undefined)[]): string | undefined {
  const present = conditions.filter((condition): condition is string => Boolean(condition));
  if (present.length === 0) return undefined;
  return present.map((condition) => `(${condition})`).join(' AND ');
}

export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}
