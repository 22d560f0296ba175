/**
 * Keyword search over the local table, ranked in tiers: chunks holding the exact phrase first, then
 * chunks holding every term, then chunks holding some; BM25 orders each tier. Plain BM25 alone lets
 * a chunk that repeats one word outrank the one with the phrase.
 *
 * Tiers are computed here from each hit's tokens rather than asked of LanceDB: the index is built
 * without positions (0.31 fails to update an index with positions incrementally: "Max offset ...
 * exceeds length of values"), so it cannot run phrase queries, and a MatchQuery with operator AND
 * stops filtering once the index has been updated incrementally. Candidates come from a
 * MUST-every-term BooleanQuery (a deep pool, so phrase matches are among them) and an any-term
 * query, all with `fastSearch()` (indexed rows only); rows not yet in the index come from
 * lancedb-fresh-rows.ts.
 */
import { BooleanQuery, type FullTextQuery, MatchQuery, Occur, type Table } from '@lancedb/lancedb';
import { foldText } from '../../search/text-fold';
import { ftsTokens } from './fts-tokens';
import { searchFreshRows } from './lancedb-fresh-rows';
import { asRecord, type ChunkHit, numberField, readHit, stringField } from './lancedb-hits';
import { FTS_COLUMN, RESULT_COLUMNS } from './lancedb-schema';
import { sqlAnd, sqlColumn, sqlIn, sqlString } from './lancedb-sql';

export interface KeywordSearchInput {
  text: string;
  top: number;
  /** SQL predicate (filters), applied before ranking. */
  where?: string;
  /** Whether a full-text index exists (searched with fastSearch: indexed rows only). */
  indexed: boolean;
  /** Rows not in the full-text index yet. */
  fresh: { paths: string[] | 'all'; rowCount: number; totalRowCount: number };
}

const Tier = { SomeTerms: 1, AllTerms: 2, Phrase: 3 } as const;
type Tier = (typeof Tier)[keyof typeof Tier];

interface RankedHit {
  hit: ChunkHit;
  tier: Tier;
}

/** Candidates holding every term, read to find phrase matches among them. */
const ALL_TERMS_POOL_MIN = 50;
/** Rows scanned when a query is a lone CJK character, which bigram tokens cannot match. */
const SUBSTRING_SCAN_LIMIT = 1000;

export async function keywordSearch(table: Table, input: KeywordSearchInput): Promise<ChunkHit[]> {
  const sequence = ftsTokens(input.text);
  const terms = [...new Set(sequence)];
  if (terms.length === 0 || input.top <= 0) return [];
  if (terms.every(isLoneCjkCharacter)) return substringSearch(table, terms, input);

  const found = new Map<string, RankedHit>();
  const add = (hits: ChunkHit[]) => {
    for (const hit of hits) {
      if (!found.has(hit.id)) found.set(hit.id, { hit, tier: tierOf(hit.ftsText, sequence, terms) });
    }
  };
  const anyTerm = new MatchQuery(terms.join(' '), FTS_COLUMN);
  const enough = (tier: Tier) =>
    [...found.values()].filter((ranked) => ranked.tier >= tier).length >= input.top;

  add(
    await searchFreshRows(table, {
      terms,
      paths: input.fresh.paths,
      freshRowCount: input.fresh.rowCount,
      totalRowCount: input.fresh.totalRowCount,
      where: input.where,
    }),
  );
  if (!input.indexed) return ranked(found, input.top);
  if (terms.length > 1) {
    // Chunks holding every term, then their BM25 from the any-term query, so every indexed hit is
    // scored alike (a BooleanQuery's own score is not plain BM25).
    const everyTerm = new BooleanQuery(
      terms.map((term): [Occur, FullTextQuery] => [Occur.Must, new MatchQuery(term, FTS_COLUMN)]),
    );
    const pool = Math.max(input.top * 5, ALL_TERMS_POOL_MIN);
    const ids = (await indexedRows(table, everyTerm, pool, input.where, ['id'])).map((row) =>
      stringField(asRecord(row), 'id'),
    );
    if (ids.length > 0) {
      const scored = await indexedRows(table, anyTerm, ids.length, sqlAnd([input.where, sqlIn('id', ids)]));
      add(scored.map(toScoredHit));
    }
    if (enough(Tier.AllTerms)) return ranked(found, input.top);
  }
  add((await indexedRows(table, anyTerm, input.top + found.size, input.where)).map(toScoredHit));
  return ranked(found, input.top);
}

/** Full-text query over indexed rows only (`fastSearch`: LanceDB's own scan of the others is unreliable). */
async function indexedRows(
  table: Table,
  query: FullTextQuery,
  limit: number,
  where: string | undefined,
  columns: readonly string[] = RESULT_COLUMNS,
): Promise<unknown[]> {
  let request = table
    .query()
    .fullTextSearch(query, { columns: FTS_COLUMN })
    .fastSearch()
    .select([...columns, '_score'])
    .limit(limit);
  if (where) request = request.where(where);
  return request.toArray();
}

function toScoredHit(row: unknown): ChunkHit {
  return readHit(row, numberField(asRecord(row), '_score'));
}

function tierOf(ftsText: string, sequence: string[], terms: string[]): Tier {
  const tokens = ftsText.split(' ');
  const present = new Set(tokens);
  if (!terms.every((term) => present.has(term))) return Tier.SomeTerms;
  return sequence.length > 1 && containsSequence(tokens, sequence) ? Tier.Phrase : Tier.AllTerms;
}

function containsSequence(tokens: string[], sequence: string[]): boolean {
  outer: for (let start = 0; start + sequence.length <= tokens.length; start++) {
    for (let offset = 0; offset < sequence.length; offset++) {
      if (tokens[start + offset] !== sequence[offset]) continue outer;
    }
    return true;
  }
  return false;
}

function ranked(found: Map<string, RankedHit>, top: number): ChunkHit[] {
  return [...found.values()]
    .sort((a, b) => b.tier - a.tier || b.hit.score - a.hit.score)
    .slice(0, top)
    .map((entry) => entry.hit);
}

const LONE_CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc]$/u;

function isLoneCjkCharacter(token: string): boolean {
  return LONE_CJK.test(token);
}

/**
 * A query of single Chinese/Japanese characters ("猫") matches no bigram token, so it is answered by
 * a substring scan of the full-text column, ranked by how many of the characters a chunk holds, then
 * how often (score in [0, characters]). Slower than the index, but such queries are rare.
 */
async function substringSearch(
  table: Table,
  characters: string[],
  input: KeywordSearchInput,
): Promise<ChunkHit[]> {
  const contains = characters.map(
    (character) => `${sqlColumn(FTS_COLUMN)} LIKE ${sqlString(`%${character}%`)}`,
  );
  const rows = await table
    .query()
    .where(sqlAnd([input.where, contains.join(' OR ')])!)
    .select([...RESULT_COLUMNS])
    .limit(SUBSTRING_SCAN_LIMIT)
    .toArray();
  return rows
    .map((row) => {
      const hit = readHit(row, 0);
      const text = foldText(hit.content);
      const occurrences = characters.reduce((sum, character) => sum + text.split(character).length - 1, 0);
      const distinct = characters.filter((character) => text.includes(character)).length;
      return { ...hit, score: distinct - 1 / (1 + occurrences) };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, input.top);
}
