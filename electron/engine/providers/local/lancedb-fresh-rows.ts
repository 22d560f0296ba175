/**
 * Keyword search over rows committed since the full-text index was last updated ("fresh" rows).
 *
 * LanceDB 0.31 is meant to search such rows by a flat scan next to the index, but that path drops
 * rows (measured: an unindexed row holding a term the index also knows is often missing, and
 * when the index covers no live row nothing is found at all). So indexed rows are searched with
 * `fastSearch()` (index only), and fresh rows here: the table is scanned for the fresh files'
 * rows that contain the query terms (every row holding all of them, then some holding any), and
 * each is scored with BM25 (k1 1.2, b 0.75), estimating document frequencies from those rows (as a
 * sample of the whole table). Fresh rows are few: the index is updated soon after writes settle
 * and every few thousand rows during long ingests (see lancedb-index.ts).
 */
import type { Table } from '@lancedb/lancedb';
import { splitFtsText } from './fts-tokens';
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
  /** Candidates wanted; rows holding every term are all read (up to a bound), others up to this. */
  limit: number;
  where?: string;
}

const BM25_K1 = 1.2;
const BM25_B = 0.75;
/** Upper bound on rows holding every term read per query. */
const ALL_TERMS_LIMIT = 2_000;

interface Candidate {
  hit: ChunkHit;
  byTerm: number[];
  length: number;
}

export async function searchFreshRows(table: Table, query: FreshRowsQuery): Promise<ChunkHit[]> {
  const { terms } = query;
  if ((query.paths !== 'all' && query.paths.length === 0) || terms.length === 0) return [];
  const inFreshFiles = sqlAnd([
    query.where,
    query.paths === 'all' ? undefined : sqlIn('sourcePath', query.paths),
  ]);
  // ftsText is padded with spaces, so `LIKE '% t %'` is exactly "holds the token t".
  const holds = terms.map((term) => `${sqlColumn(FTS_COLUMN)} LIKE ${sqlString(`% ${term} %`)}`);
  const read = async (condition: string, limit: number) =>
    (
      await table
        .query()
        .where(sqlAnd([inFreshFiles, condition])!)
        .select([...RESULT_COLUMNS])
        .limit(limit)
        .toArray()
    ).map((row) => count(readHit(row, 0), terms));

  // Rows holding every term first (few, and they rank first), then rows holding any.
  const candidates = await read(holds.join(' AND '), ALL_TERMS_LIMIT);
  if (terms.length > 1 && candidates.length < query.limit) {
    const seen = new Set(candidates.map((candidate) => candidate.hit.id));
    const some = await read(holds.join(' OR '), query.limit + candidates.length);
    candidates.push(...some.filter((candidate) => !seen.has(candidate.hit.id)));
  }
  if (candidates.length === 0) return [];
  return scoreBm25(candidates, terms, query);
}

/** BM25 with document frequencies estimated from the candidates, taken as a sample of the table. */
function scoreBm25(candidates: Candidate[], terms: string[], query: FreshRowsQuery): ChunkHit[] {
  const averageLength = candidates.reduce((sum, candidate) => sum + candidate.length, 0) / candidates.length;
  const sampleSize = Math.max(query.freshRowCount, candidates.length);
  const total = Math.max(query.totalRowCount, sampleSize);
  const idf = terms.map((_, index) => {
    const sampleFrequency = candidates.filter((candidate) => (candidate.byTerm[index] ?? 0) > 0).length;
    const frequency = Math.min(total, (sampleFrequency * total) / sampleSize);
    return Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5));
  });
  return candidates.map(({ hit, byTerm, length }) => {
    const norm = BM25_K1 * (1 - BM25_B + (BM25_B * length) / averageLength);
    const score = byTerm.reduce(
      (sum, tf, index) => sum + (tf > 0 ? (idf[index]! * tf * (BM25_K1 + 1)) / (tf + norm) : 0),
      0,
    );
    return { ...hit, score };
  });
}

function count(hit: ChunkHit, terms: string[]): Candidate {
  const tokens = splitFtsText(hit.ftsText);
  const position = new Map(terms.map((term, index) => [term, index]));
  const byTerm = terms.map(() => 0);
  for (const token of tokens) {
    const index = position.get(token);
    if (index !== undefined) byTerm[index]! += 1;
  }
  return { hit, byTerm, length: tokens.length };
}
