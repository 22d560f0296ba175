import type { CompiledIndex, FieldInfo } from './search-index-schema';
import { type Token, tokenize, usesEnglishStemming } from './search-text';

/** One stored document version. */
export interface StoredDocument {
  readonly key: string;
  /** Field values as uploaded (merged across merge actions). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Before this time the document is not yet searchable (indexing latency). */
  readonly visibleFromMs: number;
  /** Tokens per searchable field, computed on first use. */
  tokens(field: FieldInfo): readonly Token[];
}

/** Text of a field value (strings, string collections joined by newlines). */
export function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join('\n');
  return '';
}

export function makeStoredDocument(
  key: string,
  values: Record<string, unknown>,
  visibleFromMs: number,
): StoredDocument {
  const cache = new Map<string, readonly Token[]>();
  return {
    key,
    values,
    visibleFromMs,
    tokens(field) {
      let tokens = cache.get(field.name);
      if (!tokens) {
        tokens = tokenize(fieldText(values[field.name]), usesEnglishStemming(field.analyzer));
        cache.set(field.name, tokens);
      }
      return tokens;
    },
  };
}

/** One index: its definition and its documents, by key. */
export interface IndexEntry {
  index: CompiledIndex;
  readonly documents: Map<string, StoredDocument>;
}

/** All indexes of the simulated service, in memory. */
export class IndexStore {
  private readonly indexes = new Map<string, IndexEntry>();

  get(name: string): IndexEntry | undefined {
    return this.indexes.get(name);
  }

  names(): string[] {
    return [...this.indexes.keys()].sort();
  }

  /** Creates or replaces the definition; documents survive an update. */
  put(index: CompiledIndex): 'created' | 'updated' {
    const existing = this.indexes.get(index.name);
    if (existing) {
      existing.index = index;
      return 'updated';
    }
    this.indexes.set(index.name, { index, documents: new Map() });
    return 'created';
  }

  delete(name: string): boolean {
    return this.indexes.delete(name);
  }

  clear(): void {
    this.indexes.clear();
  }

  /** Documents searchable at `nowMs`. */
  visibleDocuments(name: string, nowMs: number): StoredDocument[] {
    const entry = this.indexes.get(name);
    if (!entry) return [];
    return [...entry.documents.values()].filter((d) => d.visibleFromMs <= nowMs);
  }
}
