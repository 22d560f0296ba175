/**
 * OData `$filter` fragments for Azure AI Search. Every value goes through `odataString`: a path
 * with a quote in it must never break a filter or widen it to other files.
 */
import { QuarryError } from '../../../contract';
import { normalizeFolder } from './search-schema';

/** A string literal: single quotes doubled, the only escape OData string literals have. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function sourcePathEquals(sourcePath: string): string {
  return `sourcePath eq ${odataString(sourcePath)}`;
}

const IN_DELIMITER = '|';

/** `search.in(field, 'a|b', '|')`: one clause for many values, faster than a chain of `or`s. */
export function fieldIn(field: string, values: readonly string[]): string {
  if (values.length === 0) return 'false';
  const bad = values.find((value) => value.includes(IN_DELIMITER));
  if (bad !== undefined) {
    throw new QuarryError('invalid_input', `Filter value may not contain "${IN_DELIMITER}": ${bad}`, {
      reason: 'bad_filter',
    });
  }
  return `search.in(${field}, ${odataString(values.join(IN_DELIMITER))}, ${odataString(IN_DELIMITER)})`;
}

/** Files inside a folder (at any depth), or the path itself, via the `folders` collection. */
export function inFolder(folder: string): string {
  const normalized = normalizeFolder(folder);
  return `(folders/any(f: f eq ${odataString(normalized)}) or sourcePath eq ${odataString(folder)})`;
}

/** `modifiedAt` bounds: at or after `after`, before `before` (epoch ms; DateTimeOffset literals). */
export function modifiedBetween(after: number | undefined, before: number | undefined): string | undefined {
  const literal = (ms: number): string => {
    if (!Number.isFinite(ms)) {
      throw new QuarryError('invalid_input', `Not a valid date filter: ${ms}`, { reason: 'bad_filter' });
    }
    return new Date(ms).toISOString();
  };
  return allOf([
    after !== undefined ? `modifiedAt ge ${literal(after)}` : undefined,
    before !== undefined ? `modifiedAt lt ${literal(before)}` : undefined,
  ]);
}

/** Joins the present clauses with `and`; undefined when there is none. */
export function allOf(clauses: readonly (string | undefined)[]): string | undefined {
  const present = clauses.filter((clause): clause is string => Boolean(clause));
  if (present.length === 0) return undefined;
  return present.length === 1 ? present[0] : present.map((clause) => `(${clause})`).join(' and ');
}
