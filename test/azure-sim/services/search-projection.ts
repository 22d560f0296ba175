import type { CompiledIndex, FieldInfo } from './search-index-schema';

/** Default value of an unset field as the service returns it: `[]` for collections, else null. */
function unsetValue(field: FieldInfo): unknown {
  return field.isCollection ? [] : null;
}

/** Retrievable fields to return: all (select absent or `*`) or the selected ones, index order. */
export function selectedFields(index: CompiledIndex, select: string[] | undefined): FieldInfo[] {
  const all = [...index.fields.values()].filter((f) => f.retrievable);
  if (!select || select.includes('*')) return all;
  const wanted = new Set(select);
  return all.filter((f) => wanted.has(f.name));
}

/** A document as returned by search or lookup: chosen fields, unset ones filled in. */
export function projectDocument(
  values: Readonly<Record<string, unknown>>,
  fields: readonly FieldInfo[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field.name] = values[field.name] ?? unsetValue(field);
  return out;
}

/** Splits `a, b,c` lists as the service does for select, searchFields, highlight. */
export function csv(value: unknown): string[] | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Names in `names` that are not fields of the index (for `$select` / `searchFields` errors). */
export function unknownFields(index: CompiledIndex, names: readonly string[]): string[] {
  return names.filter((name) => name !== '*' && !index.fields.has(name.split('-')[0] ?? name));
}
