/**
 * Keyword search over rows committed since the full-text index was last updated ("fresh" rows).
 *
 * LanceDB 0.31 is meant to search such rows by a flat scan next to the index, but that path drops
 * rows (measured: an unindexed row holding a term the index also knows is often missing, and
 * when the index covers no live row nothing is found at all). So indexed rows are searched with
 * `fastSearch()` (index only), and fresh rows here: the table is scanned for the fresh files'
 * rows that contain a query term, and each is scored with BM25 (k1 1.2, b 0.75), estimating
 * document frequencies from the fresh rows (as a sample of the whole table). Fresh rows are few:
 * the index is updated soon after writes settle (see lancedb-index.ts).
 */
import type { Table } from '@lancedb/lancedb';
import { type ChunkHit, readHit } from './lancedb-hits';
import { FTS_COLUMN, RESULT_COLUMNS } from './lancedb-schema';
import { sqlAnd, sqlColumn, sqlIn, sqlString } from './lancedb-sql';

export interface FreshRowsQuery {
  /** Distinct query tokens (as fts-tokens.ts makes them). */
  terms: string[];
  /** Files whose rows are not in the full-text index yet ('all' when that is unknown). */
  paths: string[] | 'all';
  /** How many rows those files hold. */
  freshRowCount: number;
  /** Rows in the whole table (for document-frequency estimates). */
  totalRowCount: number;
  where?: string;
}

const BM25_K1 = 1.2;
const BM25_B = 0.75;
/** Upper bound on fresh candidate rows read per query. */
const SCAN_LIMIT = 20_000;

export async function searchFreshRows(table: Table, query: FreshRowsQuery): Promise<ChunkHit[]> {
  if ((query.paths !== 'all' && query.paths.length === 0) || query.terms.length === 0) return [];
  // LIKE is a cheap superset (substring); exact token matching happens below.
  const anyTerm = query.terms
    .map((term) => `${sqlColumn(FTS_COLUMN)} LIKE ${sqlString(`%${term}%`)}`)
    .join(' OR ');
  const rows = await table
    .query()
    .where(
      sqlAnd([query.where, query.paths === 'all' ? undefined : sqlIn('sourcePath', query.paths), anyTerm])!,
    )
    .select([...RESULT_COLUMNS])
    .limit(SCAN_LIMIT)
    .toArray();

  const candidates = rows
    .map((row) => {
      const hit = readHit(row, 0);
      return { hit, counts: termCounts(hit.ftsText, query.terms) };
    })
    .filter((candidate) => candidate.counts.matched > 0);
  if (candidates.length === 0) return [];

  const averageLength = candidates.reduce((sum, c) => sum + c.counts.length, 0) / candidates.length;
  const sampleSize = Math.max(query.freshRowCount, candidates.length);
  const total = Math.max(query.totalRowCount, sampleSize);
  const idf = query.terms.map((_, index) => {
    const freshFrequency = candidates.filter((c) => (c.counts.byTerm[index] ?? 0) > 0).length;
    const frequency = Math.min(total, (freshFrequency * total) / sampleSize);
    return Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5));
  });
  return candidates.map(({ hit, counts }) => {
    const norm = BM25_K1 * (1 - BM25_B + (BM25_B * counts.length) / averageLength);
    const score = counts.byTerm.reduce(
      (sum, tf, index) => sum + (tf > 0 ? (idf[index]! * tf * (BM25_K1 + 1)) / (tf + norm) : 0),
      0,
    );
    return { ...hit, score };
  });
}

function termCounts(ftsText: string, terms: string[]): { byTerm: number[]; matched: number; length: number } {
  const tokens = ftsText.split(' ');
  const position = new Map(terms.map((term, index) => [term, index]));
  const byTerm = terms.map(() => 0);
  for (const token of tokens) {
    const index = position.get(token);
    if (index !== undefined) byTerm[index]! += 1;
  }
  return { byTerm, matched: byTerm.filter((count) => count > 0).length, length: tokens.length };
}
